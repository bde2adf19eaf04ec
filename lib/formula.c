/* formula: see formula.h */
#include "formula.h"

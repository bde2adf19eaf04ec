/* techroad — technology-roadmap scenario simulator. Umbrella header. */
#ifndef TR_TECHROAD_H
#define TR_TECHROAD_H

#include "tr_export.h"
#include "tr_version.h"
#include "tr_errors.h"
#include "tr_scenario.h"
#include "tr_solve.h"
#include "tr_report.h"
#include "tr_analysis.h"
#include "tr_audit.h"

#endif

/* IAMC variable names (iamc.c): the common-definitions nomenclature's
 * name where one exists, a documented short form otherwise, an explicit
 * `iamc:` first. Each writes a NUL-terminated name into @buf. */
#ifndef TRI_IAMC_H
#define TRI_IAMC_H
#include "tr_internal.h"

/* "natural_gas" -> "Natural Gas" */
void tri_iamc_title(const char *id, char *buf, size_t n);
/* "Final Energy|Electricity", "Material Use|Electrodes" */
void tri_iamc_carrier(const tri_scen *s, size_t c, char *buf, size_t n);
/* "Emissions|CO2" */
void tri_iamc_species(const tri_scen *s, size_t sp, char *buf, size_t n);
/* "Production|Iron and Steel|Steel" */
void tri_iamc_product(const tri_scen *s, size_t r, char *buf, size_t n);
/* a price policy's level: "Price|Carbon" */
void tri_iamc_price(const tri_scen *s, size_t pol, char *buf, size_t n);

#endif

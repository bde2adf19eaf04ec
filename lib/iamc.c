/* IAMC variable names of the result's series (docs/MODEL.md "IAMC variable
 * names"): the IAMC common-definitions nomenclature's name where one exists
 * (Final Energy|Electricity, Final Energy|Gases, Emissions|CO2,
 * Production|Iron and Steel|Steel, Price|Carbon), a documented short form
 * otherwise, and an explicit `iamc:` on a carrier, species or product first.
 * The tables match ids (and a single product's name) exactly, ignoring case,
 * so that a name is never guessed from free text. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "iamc.h"

typedef struct alias {
    const char *iamc;
    const char *ids[16];   /* NULL-terminated */
} alias;

/* common-definitions' {Secondary Fuel} (tag_secondary_energy_carriers) and Electricity */
static const alias fuels[] = {
    {"Electricity", {"electricity", "grid_electricity", "electric_power", "power", "elec", NULL}},
    {"Gases", {"natural_gas", "gas", "ng", "lng", "cng", "biogas", "methane", "gases", NULL}},
    {"Liquids", {"oil", "diesel", "fuel_oil", "heavy_fuel_oil", "hfo", "lpg", "kerosene", "gasoline", "petrol",
                 "liquids", NULL}},
    {"Solids", {"coal", "coke", "anthracite", "lignite", "biomass", "wood", "firewood", "charcoal", "pellets",
                "solids", NULL}},
    {"Hydrogen", {"hydrogen", "h2", NULL}},
    {"Heat", {"heat", "steam", "district_heat", NULL}},
};

/* common-definitions' level-1 species (tag_level-1-species) */
static const alias species[] = {
    {"Sulfur", {"so2", "sox", "sulfur", "sulphur", NULL}},
    {"VOC", {"voc", "nmvoc", NULL}},
    {"NOx", {"nox", "no2", NULL}},
    {"PM2.5", {"pm25", "pm2.5", "pm2_5", NULL}},   /* not in the nomenclature: the usual short form */
};
static const char *const species_same[] = {"CO2", "CH4", "N2O", "BC", "OC", "CO", "NH3", "SF6", "CF4", "HFC",
                                           "PFC", "PM10", NULL};

/* common-definitions' Production|{Sector}|{Commodity} (industry/production.yaml) */
static const alias products[] = {
    {"Iron and Steel|Steel", {"steel", "liquid steel", "crude steel", "liquid_steel", "crude_steel", "raw steel",
                              NULL}},
    {"Iron and Steel|Secondary Steel", {"secondary steel", "secondary_steel", "eaf steel", "eaf_steel", NULL}},
    {"Iron and Steel|Pig Iron", {"pig iron", "pig_iron", "hot metal", "hot_metal", NULL}},
    {"Iron and Steel|Sponge Iron", {"sponge iron", "sponge_iron", "dri", NULL}},
    {"Non-Metallic Minerals|Cement", {"cement", NULL}},
    {"Non-Metallic Minerals|Clinker", {"clinker", NULL}},
    {"Non-Metallic Minerals|Glass", {"glass", NULL}},
    {"Non-Metallic Minerals|Bricks", {"bricks", "brick", NULL}},
    {"Non-Metallic Minerals|Limestone", {"limestone", NULL}},
    {"Non-Ferrous Metals|Aluminum", {"aluminium", "aluminum", NULL}},
    {"Non-Ferrous Metals|Aluminum|Secondary", {"secondary aluminium", "secondary aluminum", "secondary_aluminium",
                                               "secondary_aluminum", "recycled aluminium", "recycled aluminum", NULL}},
    {"Non-Ferrous Metals|Copper", {"copper", NULL}},
};

static const char *lookup(const alias *tab, size_t n, const char *key)
{
    for (size_t i = 0; key && i < n; i++)
        for (const char *const *a = tab[i].ids; *a; a++)
            if (!strcasecmp(*a, key))
                return tab[i].iamc;
    return NULL;
}

void tri_iamc_title(const char *id, char *buf, size_t n)
{
    size_t j = 0;
    int up = 1;
    for (const char *p = id; *p && j + 1 < n; p++) {
        char c = *p == '_' ? ' ' : *p;
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        up = c == ' ';
        buf[j++] = c;
    }
    buf[j] = '\0';
}

/* the `iamc:` name the scenario gives a carrier, species or product comes
 * first: 1 when there is one (then copied to @buf) */
static int iamc_given(const char *iamc, char *buf, size_t n)
{
    if (iamc)
        snprintf(buf, n, "%s", iamc);
    return iamc != NULL;
}

/* the name before collisions are resolved */
static void carrier_name(const tri_carrier *c, char *buf, size_t n)
{
    char tl[200];
    if (iamc_given(c->iamc, buf, n))
        return;
    const char *fuel = c->material ? NULL : lookup(fuels, sizeof fuels / sizeof *fuels, c->id);
    tri_iamc_title(c->id, tl, sizeof tl);
    snprintf(buf, n, "%s|%s", c->material ? "Material Use" : "Final Energy", fuel ? fuel : tl);
}

void tri_iamc_carrier(const tri_scen *s, size_t c, char *buf, size_t n)
{
    carrier_name(&s->car[c], buf, n);
    if (s->car[c].iamc)
        return;
    /* two carriers of one fuel (coal and firewood are both Solids): each
     * gets its own child, Final Energy|Solids|Coal, so that names stay unique */
    char other[300], tl[200];
    for (size_t d = 0; d < s->C; d++) {
        if (d == c)
            continue;
        carrier_name(&s->car[d], other, sizeof other);
        if (!strcmp(other, buf)) {
            tri_iamc_title(s->car[c].id, tl, sizeof tl);
            size_t len = strlen(buf);
            snprintf(buf + len, n > len ? n - len : 0, "|%s", tl);
            return;
        }
    }
}

void tri_iamc_species(const tri_scen *s, size_t sp, char *buf, size_t n)
{
    const tri_species *x = &s->spe[sp];
    if (iamc_given(x->iamc, buf, n))
        return;
    const char *std = lookup(species, sizeof species / sizeof *species, x->id);
    for (const char *const *a = species_same; !std && *a; a++)
        if (!strcasecmp(*a, x->id))
            std = *a;
    snprintf(buf, n, "Emissions|%s", std ? std : x->id);
}

void tri_iamc_product(const tri_scen *s, size_t r, char *buf, size_t n)
{
    const tri_product *p = &s->prod[r];
    if (iamc_given(p->iamc, buf, n))
        return;
    const char *std = lookup(products, sizeof products / sizeof *products, p->id);
    if (!std)
        std = lookup(products, sizeof products / sizeof *products, p->name);
    char tl[200];
    if (!std) {
        /* the single `product:` form's id is "main": its name reads better */
        if (!s->multi_product && p->name)
            snprintf(tl, sizeof tl, "%s", p->name);
        else
            tri_iamc_title(p->id, tl, sizeof tl);
    }
    snprintf(buf, n, "Production|%s", std ? std : tl);
}

void tri_iamc_price(const tri_scen *s, size_t pol, char *buf, size_t n)
{
    const tri_policy *po = &s->pol[pol];
    char sp[300];
    tri_iamc_species(s, po->ind.idx, sp, sizeof sp);
    int carbon = !strcmp(sp, "Emissions|CO2");
    size_t same = 0;
    for (size_t i = 0; i < s->N; i++)
        same += s->pol[i].type == TRI_POL_PRICE && s->pol[i].ind.idx == po->ind.idx;
    if (carbon)
        snprintf(buf, n, "Price|Carbon");
    else
        snprintf(buf, n, "Price|%s", sp);
    if (same > 1) {   /* several prices on one species: one child each */
        size_t len = strlen(buf);
        snprintf(buf + len, n > len ? n - len : 0, "|%s", po->id);
    }
}

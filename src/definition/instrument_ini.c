/* INI -> instrument model: the load itself, and the sections and keys a definition may have.
 *
 * iniparser 4.1 (Debian 12) gives no line numbers, merges duplicates, lowercases names,
 * has getters that misread numbers and loses keys or crashes when an allocation fails,
 * so: ini_scan.c finds every section and key with its line and reads its value as
 * iniparser 4.1 does (quotes and comments stripped), and every number is parsed by the
 * section loaders (ini_header.c, ini_scales.c, ini_validity.c, ini_cases.c) with full
 * checks. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"




/* ------------------------------------------------------------- structure */

static const char *const instrument_keys[] = {"id", "name", "version", "citation", "doi", "license",
    "items", "min", "max", "column_prefix", "min_answered", "note", "labels", "redcap_form", NULL};
static const char *const item_keys[] = {"label", "column", "min", "max", "categories", "output", NULL};
static const char *const recode_keys[] = {"map", NULL};
static const char *const scale_keys[] = {"name", "items", "reverse", "recode", "recode_items", "score",
    "min_answered", "weights", "pomp", NULL};
static const char *const derived_keys[] = {"name", "scales", "score", "weights", "pomp", NULL};
static const char *const norms_keys[] = {"score", "value", "table", "source", "groups", NULL};
static const char *const case_keys[] = {"responses", "expect", NULL};
static const char *const validity_keys[] = {"longstring_max", "irv_min", "even_odd_scales", "even_odd_min",
    "synonyms", "synonyms_min", "antonyms", "antonyms_max", "attention", "seconds_per_item", "invalid_if", NULL};

static const char *const *keys_for(const char *sec, int *any)
{
    *any = 0;
    if (strcmp(sec, "instrument") == 0)
        return instrument_keys;
    if (strcmp(sec, "validity") == 0)
        return validity_keys;
    if (strcmp(sec, "missing") == 0 || strcmp(sec, "values") == 0 || rfsi_ini_section_arg(sec, "bands.")) {
        *any = 1;
        return NULL;
    }
    if (rfsi_ini_section_arg(sec, "item."))
        return item_keys;
    if (rfsi_ini_section_arg(sec, "recode."))
        return recode_keys;
    if (rfsi_ini_section_arg(sec, "scale."))
        return scale_keys;
    if (rfsi_ini_section_arg(sec, "derived."))
        return derived_keys;
    if (rfsi_ini_section_arg(sec, "case."))
        return case_keys;
    if (rfsi_ini_section_arg(sec, "norms."))
        return norms_keys;
    return NULL;
}

static void check_structure(loader *L)
{
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        int any;
        const char *const *keys = keys_for(e->section, &any);
        if (!keys && !any) {
            if (!e->key)
                rfsi_ini_bad(L, e->section, NULL, "unknown section (expected instrument, missing, values, validity, "
                    "item.N, recode.NAME, scale.ID, derived.ID, bands.SCORE, norms.ID or case.NAME)");
            continue;
        }
        if (!e->key || any)
            continue;
        for (; *keys; keys++)
            if (strcmp(*keys, e->key) == 0)
                break;
        if (!*keys)
            rfsi_ini_bad(L, e->section, e->key, "unknown key");
    }
}

/* ------------------------------------------------------------------- load */

static rfs_instrument *load(const char *path, rfsi_report *rep)
{
    loader L;
    int nomem = 0, rc;

    memset(&L, 0, sizeof L);
    L.rep = rep;
    if (rfsi_ini_scan_file(path, &L.scan, rep) < 0 || L.scan.unparsable) {
        rfsi_ini_scan_free(&L.scan);
        return NULL;
    }
    L.inst = calloc(1, sizeof *L.inst);
    if (!L.inst || !(L.inst->path = strdup(path))) {
        nomem = 1;
        goto out;
    }
    memcpy(L.inst->sha256, L.scan.sha256, sizeof L.inst->sha256);
    check_structure(&L);
    rc = rfsi_ini_load_header(&L);
    if (rc) {
        nomem = rc < 0; /* a failed copy is not a missing key */
        goto out;
    }
    if (rfsi_ini_load_items(&L) < 0 || rfsi_ini_load_missing(&L) < 0 || rfsi_ini_load_values(&L) < 0 || rfsi_ini_load_recodes(&L) < 0 ||
        rfsi_ini_load_scales(&L) < 0 || rfsi_ini_load_derived(&L) < 0 || rfsi_ini_order_derived(&L) < 0 ||
        rfsi_ini_load_item_options(&L) < 0 || rfsi_ini_load_score_options(&L) < 0 || rfsi_ini_load_bands(&L) < 0 ||
        rfsi_ini_load_validity(&L) < 0 || rfsi_ini_load_cases(&L) < 0 ||
        rfsi_instrument_finalize(L.inst) < 0)
        nomem = 1;
    else
        rfsi_ini_check_bands(&L); /* needs the score ranges that finalize computes */
out:
    if (nomem)
        rfsi_report_add(rep, RFS_E_NOMEM, 0, "out of memory");
    rfsi_ini_scan_free(&L.scan);
    if (rep->count) {
        rfs_instrument_free(L.inst);
        return NULL;
    }
    return L.inst;
}

rfs_instrument *rfs_instrument_load(const char *path, rfs_error *err)
{
    rfsi_report rep;
    rfs_instrument *inst;

    if (!path) {
        rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no definition path (NULL)");
        return NULL;
    }
    rfsi_report_init(&rep, path, NULL, NULL);
    inst = load(path, &rep);
    if (!inst && err && err->code == RFS_OK)
        *err = rep.first;
    return inst;
}

size_t rfs_instrument_check(const char *path, rfs_problem_fn report, void *userdata)
{
    rfsi_report rep;

    rfsi_report_init(&rep, path, report, userdata);
    if (!path) {
        rfsi_report_add(&rep, RFS_E_USAGE, 0, "no definition path (NULL)");
        return rep.count;
    }
    rfs_instrument_free(load(path, &rep));
    return rep.count;
}

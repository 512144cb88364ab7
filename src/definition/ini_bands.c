/* [bands.SCORE] (cut-off bands) and [norms.ID] (norm tables), and the checks on both
 * that need every score's range, which exists only once the model is finalized
 * (rfsi_ini_check_bands runs after rfsi_instrument_finalize). Calls only the shared
 * helpers and norm_table.c. Formats: docs/instrument-format.md. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"
#include "norm_table.h"

/* "7..10", "-12..-4", "2.5..7": two plain decimals, inclusive. 0, or -1. */
static int parse_band(const char *v, double *lo, double *hi)
{
    const char *dots = strstr(v, "..");
    char a[64];
    size_t n;

    if (!dots || (size_t)(dots - v) >= sizeof a)
        return -1;
    n = (size_t)(dots - v);
    memcpy(a, v, n);
    a[n] = '\0';
    return rfsi_parse_decimal(a, lo) < 0 || rfsi_parse_decimal(dots + 2, hi) < 0 ? -1 : 0;
}

static int add_band(rfsi_bandset *bs, const char *name, double lo, double hi)
{
    rfsi_band *b = realloc(bs->bands, (bs->n + 1) * sizeof *b);

    if (!b)
        return -1;
    bs->bands = b;
    b[bs->n].name = strdup(name);
    if (!b[bs->n].name)
        return -1;
    b[bs->n].lo = lo;
    b[bs->n].hi = hi;
    bs->n++;
    return 0;
}

static int load_bandset(loader *L, const char *sec, const char *score_id)
{
    rfs_instrument *inst = L->inst;
    rfsi_bandset *bs;
    size_t i, score = rfsi_score_find(inst, score_id);
    const char *src = rfsi_ini_get(L, sec, "source");

    if (score == (size_t)-1) {
        rfsi_ini_bad(L, sec, NULL, "no scale or derived score '%s' to band", score_id);
        return 0;
    }
    if (rfsi_bandset_find(inst, score) != (size_t)-1)
        return 0; /* a repeated section is reported by the scan */
    bs = realloc(inst->bandsets, (inst->n_bandsets + 1) * sizeof *bs);
    if (!bs)
        return -1;
    inst->bandsets = bs;
    bs = &bs[inst->n_bandsets];
    memset(bs, 0, sizeof *bs);
    bs->score = score;
    bs->source = rfsi_ini_dup_or_empty(src);
    if (!bs->source)
        return -1;
    inst->n_bandsets++;
    if (!src || !*src)
        rfsi_ini_bad(L, sec, "source", "required key is missing: cite where the cut-offs are published");
    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *v;
        double lo, hi;
        size_t k;
        if (strcmp(e->section, sec) != 0 || !e->key || strcmp(e->key, "source") == 0)
            continue;
        v = rfsi_ini_get(L, sec, e->key);
        if (!rfsi_ini_valid_id(e->key)) {
            rfsi_ini_bad(L, sec, e->key, "band names are lowercase ids (e.g. positive_screen)");
            continue;
        }
        if (!v || parse_band(v, &lo, &hi) < 0) {
            rfsi_ini_bad(L, sec, e->key, "'%s' is not a range LOW..HIGH of plain decimals (e.g. 7..10)", v ? v : "");
            continue;
        }
        if (lo > hi) {
            rfsi_ini_bad(L, sec, e->key, "%g..%g is empty: the low end is above the high end", lo, hi);
            continue;
        }
        for (k = 0; k < bs->n; k++)
            if (lo <= bs->bands[k].hi && bs->bands[k].lo <= hi)
                rfsi_ini_bad(L, sec, e->key, "%g..%g overlaps band %s (%g..%g): a score has one band", lo, hi,
                    bs->bands[k].name, bs->bands[k].lo, bs->bands[k].hi);
        if (add_band(bs, e->key, lo, hi) < 0)
            return -1;
    }
    if (bs->n == 0)
        rfsi_ini_bad(L, sec, NULL, "no bands given (NAME = LOW..HIGH)");
    return 0;
}

/* "sex: f | m, age_band: 18-29 | 30-59" -> group columns and their levels. */
static int parse_groups(loader *L, const char *sec, rfsi_norms *nm, const char *v)
{
    rfsi_list list;
    size_t g;

    if (rfsi_list_split(v, &list) < 0)
        return -1;
    if (list.n > RFSI_NORM_GROUPS_MAX)
        rfsi_ini_bad(L, sec, "groups", "at most %d group columns", RFSI_NORM_GROUPS_MAX);
    nm->group_columns = calloc(list.n + 1, sizeof *nm->group_columns);
    nm->n_levels = calloc(list.n + 1, sizeof *nm->n_levels);
    nm->levels = calloc(list.n + 1, sizeof *nm->levels);
    if (!nm->group_columns || !nm->n_levels || !nm->levels) {
        rfsi_list_free(&list);
        return -1;
    }
    for (g = 0; g < list.n && g < RFSI_NORM_GROUPS_MAX; g++) {
        char *colon = strchr(list.v[g], ':'), *p, *bar;
        size_t k, j;
        if (!colon) {
            rfsi_ini_bad(L, sec, "groups", "'%s' is not COLUMN: LEVEL | LEVEL ...", list.v[g]);
            continue;
        }
        *colon = '\0';
        nm->group_columns[nm->n_groups] = strdup(rfsi_trim_inplace(list.v[g]));
        nm->levels[nm->n_groups] = calloc(strlen(colon + 1) / 2 + 2, sizeof **nm->levels);
        if (!nm->group_columns[nm->n_groups] || !nm->levels[nm->n_groups]) {
            free(nm->group_columns[nm->n_groups]);
            free(nm->levels[nm->n_groups]);
            nm->group_columns[nm->n_groups] = NULL;
            nm->levels[nm->n_groups] = NULL;
            rfsi_list_free(&list);
            return -1;
        }
        k = nm->n_groups++;
        if (!nm->group_columns[k][0])
            rfsi_ini_bad(L, sec, "groups", "a group needs a column name before ':'");
        for (p = colon + 1;; p = bar + 1) {
            char norm[RFSI_LABEL_MAX + 1];
            bar = strchr(p, '|');
            if (bar)
                *bar = '\0';
            if (rfsi_label_normalize(p, strlen(p), norm) == (size_t)-1 || !norm[0]) {
                rfsi_ini_bad(L, sec, "groups", "group %s: an empty or overlong level", nm->group_columns[k]);
            } else {
                for (j = 0; j < nm->n_levels[k] && strcmp(nm->levels[k][j], norm) != 0; j++)
                    ;
                if (j < nm->n_levels[k])
                    rfsi_ini_bad(L, sec, "groups", "group %s: level '%s' is listed twice", nm->group_columns[k], norm);
                else if (!(nm->levels[k][nm->n_levels[k]++] = strdup(norm)))
                    return rfsi_list_free(&list), -1;
            }
            if (!bar)
                break;
        }
    }
    rfsi_list_free(&list);
    return 0;
}

static int load_norms(loader *L, const char *sec, const char *id)
{
    rfs_instrument *inst = L->inst;
    rfsi_norms *nm;
    const char *score = rfsi_ini_get(L, sec, "score"), *table = rfsi_ini_get(L, sec, "table");
    const char *value = rfsi_ini_get(L, sec, "value"), *src = rfsi_ini_get(L, sec, "source");
    const char *groups = rfsi_ini_get(L, sec, "groups");
    size_t i;

    if (!rfsi_ini_valid_id(id)) {
        rfsi_ini_bad(L, sec, NULL, "norm ids are lowercase ids (the output column is <instrument>_<id>)");
        return 0;
    }
    if (rfsi_score_find(inst, id) != (size_t)-1 || rfsi_category_find(inst, id) != (size_t)-1)
        rfsi_ini_bad(L, sec, NULL, "id '%s' is already a score or an item's output", id);
    for (i = 0; i < inst->n_norms; i++)
        if (strcmp(inst->norms[i].id, id) == 0)
            return 0;
    nm = realloc(inst->norms, (inst->n_norms + 1) * sizeof *nm);
    if (!nm)
        return -1;
    inst->norms = nm;
    nm = &nm[inst->n_norms];
    memset(nm, 0, sizeof *nm);
    inst->n_norms++;
    nm->id = strdup(id);
    nm->source = rfsi_ini_dup_or_empty(src);
    if (!nm->id || !nm->source)
        return -1;
    if (!src || !*src)
        rfsi_ini_bad(L, sec, "source", "required key is missing: cite the norm sample");
    nm->score = score ? rfsi_score_find(inst, score) : (size_t)-1;
    if (!score)
        rfsi_ini_bad(L, sec, "score", "required key is missing: the scale or derived score to norm");
    else if (nm->score == (size_t)-1)
        rfsi_ini_bad(L, sec, "score", "no scale or derived score '%s'", score);
    if (!value)
        rfsi_ini_bad(L, sec, "value", "required key is missing (t_score or percentile)");
    else if (strcmp(value, "t_score") == 0)
        nm->kind = RFSI_NORM_T_SCORE;
    else if (strcmp(value, "percentile") == 0)
        nm->kind = RFSI_NORM_PERCENTILE;
    else
        rfsi_ini_bad(L, sec, "value", "'%s' is not t_score or percentile", value);
    if (groups && parse_groups(L, sec, nm, groups) < 0)
        return -1;
    if (!table || !*table) {
        rfsi_ini_bad(L, sec, "table", "required key is missing: the CSV file of the norm table");
        return 0;
    }
    return rfsi_norm_table_load(L, sec, nm, table);
}

int rfsi_ini_load_bands(loader *L)
{
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *arg;
        if (e->key)
            continue;
        if ((arg = rfsi_ini_section_arg(e->section, "bands.")) && load_bandset(L, e->section, arg) < 0)
            return -1;
        if ((arg = rfsi_ini_section_arg(e->section, "norms.")) && load_norms(L, e->section, arg) < 0)
            return -1;
    }
    return 0;
}

/* Bands and norm rows must lie within the score's possible range (computed from the
 * declared item ranges, weights and score type): a band no score can reach is a typo. */
void rfsi_ini_check_bands(loader *L)
{
    const rfs_instrument *inst = L->inst;
    size_t i, k;

    for (i = 0; i < inst->n_bandsets; i++) {
        const rfsi_bandset *bs = &inst->bandsets[i];
        double lo, hi;
        char sec[64];
        snprintf(sec, sizeof sec, "bands.%s", rfsi_score_id(inst, bs->score));
        rfsi_score_range(inst, bs->score, &lo, &hi);
        for (k = 0; k < bs->n; k++)
            if (bs->bands[k].lo < lo - 1e-9 || bs->bands[k].hi > hi + 1e-9)
                rfsi_ini_bad(L, sec, bs->bands[k].name, "%g..%g is not inside the score's range %g..%g",
                    bs->bands[k].lo, bs->bands[k].hi, lo, hi);
    }
    for (i = 0; i < inst->n_norms; i++) {
        const rfsi_norms *nm = &inst->norms[i];
        double lo, hi;
        char sec[64];
        if (nm->score == (size_t)-1)
            continue;
        snprintf(sec, sizeof sec, "norms.%s", nm->id);
        rfsi_score_range(inst, nm->score, &lo, &hi);
        for (k = 0; k < nm->n_rows; k++)
            if (nm->rows[k].lo < lo - 1e-9 || nm->rows[k].hi > hi + 1e-9) {
                rfsi_ini_bad(L, sec, "table", "%s: scores %g..%g are not inside the score's range %g..%g", nm->table,
                    nm->rows[k].lo, nm->rows[k].hi, lo, hi);
                break;
            }
    }
    for (i = 0; i < inst->n_scales + inst->n_derived; i++) {
        double lo, hi;
        rfsi_score_range(inst, i, &lo, &hi);
        if (rfsi_score_pomp(inst, i) && !(lo < hi)) {
            char sec[64];
            snprintf(sec, sizeof sec, "%s.%s", i < inst->n_scales ? "scale" : "derived", rfsi_score_id(inst, i));
            rfsi_ini_bad(L, sec, "pomp", "the score's range %g..%g is a single value: nothing to rescale", lo, hi);
        }
    }
}

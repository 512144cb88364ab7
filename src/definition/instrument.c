/* The instrument model: accessors, lifetime, and the tables the scoring core uses. */
#include "instrument.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

/* A NULL instrument (a failed load passed on) reads as empty: "" and 0, never a crash. */
const char *rfs_instrument_id(const rfs_instrument *inst) { return inst ? or_empty(inst->id) : ""; }
const char *rfs_instrument_name(const rfs_instrument *inst) { return inst ? or_empty(inst->name) : ""; }
const char *rfs_instrument_version(const rfs_instrument *inst) { return inst ? or_empty(inst->version) : ""; }
const char *rfs_instrument_citation(const rfs_instrument *inst) { return inst ? or_empty(inst->citation) : ""; }
const char *rfs_instrument_doi(const rfs_instrument *inst) { return inst ? or_empty(inst->doi) : ""; }
const char *rfs_instrument_license(const rfs_instrument *inst) { return inst ? or_empty(inst->license) : ""; }
const char *rfs_instrument_path(const rfs_instrument *inst) { return inst ? or_empty(inst->path) : ""; }
const char *rfs_instrument_sha256(const rfs_instrument *inst) { return inst ? inst->sha256 : ""; }
size_t rfs_instrument_item_count(const rfs_instrument *inst) { return inst ? inst->n_items : 0; }

const char *rfs_instrument_item_column(const rfs_instrument *inst, size_t n)
{
    if (!inst || n < 1 || n > inst->n_items)
        return NULL;
    return inst->items[n - 1].column;
}

size_t rfs_instrument_score_count(const rfs_instrument *inst)
{
    return inst ? inst->n_scales + inst->n_derived : 0;
}

const char *rfs_instrument_score_id(const rfs_instrument *inst, size_t i)
{
    return i < rfs_instrument_score_count(inst) ? rfsi_score_id(inst, i) : NULL;
}

const char *rfsi_score_id(const rfs_instrument *inst, size_t i)
{
    return i < inst->n_scales ? inst->scales[i].id : inst->derived[i - inst->n_scales].id;
}

size_t rfsi_score_find(const rfs_instrument *inst, const char *id)
{
    size_t i, n = rfs_instrument_score_count(inst);

    for (i = 0; i < n; i++) {
        const char *s = rfsi_score_id(inst, i);
        if (s && strcmp(s, id) == 0)
            return i;
    }
    return (size_t)-1;
}

size_t rfsi_min_rule_resolve(rfsi_min_rule rule, size_t k)
{
    size_t n;

    if (rule.is_percent)
        n = (k * rule.value + 99) / 100; /* rounds up: 80% of 6 items needs 5 */
    else
        n = rule.value;
    return n < 1 ? 1 : n; /* a mean of no items does not exist */
}

int rfsi_min_rule_parse(const char *text, rfsi_min_rule *out)
{
    char *end;
    unsigned long v;

    if (!text || *text < '0' || *text > '9')
        return -1;
    errno = 0;
    v = strtoul(text, &end, 10);
    if (errno || v > 100000)
        return -1;
    out->is_percent = 0;
    if (*end == '%') {
        end++;
        if (v > 100)
            return -1;
        out->is_percent = 1;
    }
    if (*end)
        return -1;
    out->value = (unsigned)v;
    return 0;
}

void rfsi_min_rule_format(rfsi_min_rule rule, size_t k, char *out, size_t size)
{
    if (rule.is_percent)
        snprintf(out, size, "%u%% of %zu items, rounded up: %zu", rule.value, k,
                 rfsi_min_rule_resolve(rule, k));
    else
        snprintf(out, size, "%zu of %zu items", rfsi_min_rule_resolve(rule, k), k);
}

size_t rfsi_label_normalize(const char *s, size_t len, char *out)
{
    size_t i, n = 0;
    int space = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] == 0xA0) { /* UTF-8 no-break space */
            i++;
            c = ' ';
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n >= RFSI_LABEL_MAX)
                return (size_t)-1;
            out[n++] = ' ';
            space = 0;
        }
        if (n >= RFSI_LABEL_MAX)
            return (size_t)-1;
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    out[n] = '\0';
    return n;
}

static const char *const flag_names[RFSI_FLAG_COUNT] = {
    "empty_row", "duplicate_id", "invalid_answer", "missing", "attention", "too_few_items",
    "longstring", "irv", "even_odd", "synonyms", "antonyms", "too_fast",
};

const char *rfsi_flag_name(rfsi_flag_kind kind)
{
    return kind < RFSI_FLAG_COUNT ? flag_names[kind] : "unknown";
}

rfsi_flag_kind rfsi_flag_find(const char *text)
{
    int k;

    for (k = 0; k < RFSI_FLAG_COUNT; k++)
        if (strcmp(flag_names[k], text) == 0)
            return (rfsi_flag_kind)k;
    return RFSI_FLAG_COUNT;
}

size_t rfsi_category_find(const rfs_instrument *inst, const char *id)
{
    size_t i;

    for (i = 0; i < inst->n_items; i++)
        if (inst->items[i].output && strcmp(inst->items[i].output, id) == 0)
            return i;
    return (size_t)-1;
}

size_t rfsi_bandset_find(const rfs_instrument *inst, size_t score)
{
    size_t i;

    for (i = 0; i < inst->n_bandsets; i++)
        if (inst->bandsets[i].score == score)
            return i;
    return (size_t)-1;
}

void rfsi_score_range(const rfs_instrument *inst, size_t i, double *lo, double *hi)
{
    if (i < inst->n_scales) {
        *lo = inst->scales[i].range_lo;
        *hi = inst->scales[i].range_hi;
    } else {
        *lo = inst->derived[i - inst->n_scales].range_lo;
        *hi = inst->derived[i - inst->n_scales].range_hi;
    }
}

int rfsi_score_pomp(const rfs_instrument *inst, size_t i)
{
    return i < inst->n_scales ? inst->scales[i].pomp : inst->derived[i - inst->n_scales].pomp;
}

/* One scale's table: for each listed item and each response in the instrument's range,
 * the scored value: reversed within the item's own range, then recoded, then weighted.
 * Responses outside the item's range never reach the table (the cell is invalid); they
 * get the value of the item's lowest response so that value_min..value_max, which sizes
 * the output caches, bounds only reachable sums. */
static void build_table(const rfs_instrument *inst, rfsi_scale *sc)
{
    size_t j, r, range = (size_t)(inst->max - inst->min + 1);
    const long *map = sc->recode >= 0 ? inst->recodes[sc->recode].map : NULL;
    double lo_sum = 0, hi_sum = 0, lo_min = 0, hi_max = 0;

    for (j = 0; j < sc->n_items; j++) {
        /* models built without items (unit tests) have the instrument's range throughout */
        long imin = inst->items ? inst->items[sc->items[j]].min : inst->min;
        long imax = inst->items ? inst->items[sc->items[j]].max : inst->max;
        long w = sc->weights ? sc->weights[j] : 1, tmin = 0, tmax = 0;
        int first = 1;
        for (r = 0; r < range; r++) {
            long x = inst->min + (long)r;
            if (x < imin || x > imax)
                continue;
            if (sc->reversed[j])
                x = imin + imax - x; /* from the declared range, never the data */
            if (map && sc->recoded[j])
                x = map[x - inst->min];
            x *= w;
            sc->table[j * range + r] = x;
            if (first || x < tmin)
                tmin = x;
            if (first || x > tmax)
                tmax = x;
            first = 0;
        }
        for (r = 0; r < range; r++) {
            long x = inst->min + (long)r;
            if (x < imin || x > imax)
                sc->table[j * range + r] = sc->table[j * range + (size_t)(imin - inst->min)];
        }
        if (j == 0 || tmin < sc->value_min)
            sc->value_min = tmin;
        if (j == 0 || tmax > sc->value_max)
            sc->value_max = tmax;
        lo_sum += (double)tmin;
        hi_sum += (double)tmax;
        if (j == 0 || (double)tmin < lo_min)
            lo_min = (double)tmin;
        if (j == 0 || (double)tmax > hi_max)
            hi_max = (double)tmax;
    }
    switch (sc->kind) {
    case RFSI_SCORE_SUM: /* every item answered: exact */
        sc->range_lo = lo_sum;
        sc->range_hi = hi_sum;
        break;
    case RFSI_SCORE_MEAN: /* exact when the items share one range; a bound otherwise */
        sc->range_lo = lo_min;
        sc->range_hi = hi_max;
        break;
    case RFSI_SCORE_PRORATED_SUM:
        sc->range_lo = lo_min * (double)sc->n_items;
        sc->range_hi = hi_max * (double)sc->n_items;
        break;
    }
}

/* A derived score's range: each component's range times its weight (a negative weight
 * swaps the ends), summed, and divided by the count for a mean. */
static void derived_range(rfs_instrument *inst, rfsi_derived *d)
{
    size_t k;
    double lo = 0, hi = 0;

    for (k = 0; k < d->n; k++) {
        double a, b, w = d->weights ? (double)d->weights[k] : 1;
        rfsi_score_range(inst, d->components[k], &a, &b);
        lo += w > 0 ? w * a : w * b;
        hi += w > 0 ? w * b : w * a;
    }
    if (d->kind == RFSI_SCORE_MEAN && d->n) {
        lo /= (double)d->n;
        hi /= (double)d->n;
    }
    d->range_lo = lo;
    d->range_hi = hi;
}

int rfsi_instrument_finalize(rfs_instrument *inst)
{
    size_t s, i, range = (size_t)(inst->max - inst->min + 1);

    for (i = 0; inst->items && i < inst->n_items; i++)
        if (!inst->items[i].has_range) {
            inst->items[i].min = inst->min;
            inst->items[i].max = inst->max;
        }
    for (s = 0; s < inst->n_scales; s++) {
        rfsi_scale *sc = &inst->scales[s];

        free(sc->table);
        sc->table = malloc((sc->n_items ? sc->n_items : 1) * range * sizeof *sc->table);
        if (!sc->table)
            return -1;
        build_table(inst, sc);
        if (sc->kind == RFSI_SCORE_SUM)
            sc->min_answered = sc->n_items;
        else
            sc->min_answered = rfsi_min_rule_resolve(sc->has_min_rule ? sc->min_rule : inst->min_rule,
                                                     sc->n_items);
    }
    for (i = 0; i < inst->n_derived; i++) /* components first */
        derived_range(inst, &inst->derived[inst->derived_order[i]]);
    return 0;
}

static void free_strv(char **v, size_t n)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void rfsi_norms_clear(rfsi_norms *nm)
{
    size_t g, r;

    free(nm->id);
    free(nm->source);
    free(nm->table);
    for (r = 0; r < nm->n_rows; r++)
        free_strv(nm->rows[r].group, nm->n_groups);
    free(nm->rows);
    for (g = 0; g < nm->n_groups; g++)
        free_strv(nm->levels ? nm->levels[g] : NULL, nm->n_levels ? nm->n_levels[g] : 0);
    free(nm->levels);
    free(nm->n_levels);
    free_strv(nm->group_columns, nm->n_groups);
    memset(nm, 0, sizeof *nm);
}

void rfs_instrument_free(rfs_instrument *inst)
{
    size_t i, j;

    if (!inst)
        return;
    free(inst->path);
    free(inst->id);
    free(inst->name);
    free(inst->version);
    free(inst->citation);
    free(inst->doi);
    free(inst->license);
    free(inst->note);
    free(inst->column_prefix);
    free(inst->redcap_form);
    if (inst->items) {
        for (i = 0; i < inst->n_items; i++) {
            free(inst->items[i].column);
            free(inst->items[i].label);
            free_strv(inst->items[i].categories, inst->items[i].n_categories);
            free_strv(inst->items[i].category_norm, inst->items[i].n_categories);
            free(inst->items[i].output);
        }
        free(inst->items);
    }
    free_strv(inst->missing_types, inst->n_missing_types);
    for (i = 0; i < inst->n_missing_codes; i++)
        free(inst->missing_codes[i].text);
    free(inst->missing_codes);
    for (i = 0; i < inst->n_values; i++) {
        free(inst->values[i].label);
        free(inst->values[i].norm);
    }
    free(inst->values);
    for (i = 0; i < inst->n_recodes; i++) {
        free(inst->recodes[i].name);
        free(inst->recodes[i].map);
    }
    free(inst->recodes);
    for (i = 0; i < inst->n_scales; i++) {
        rfsi_scale *sc = &inst->scales[i];
        free(sc->id);
        free(sc->name);
        free(sc->items);
        free(sc->reversed);
        free(sc->recoded);
        free(sc->table);
        free(sc->weights);
    }
    free(inst->scales);
    for (i = 0; i < inst->n_derived; i++) {
        free(inst->derived[i].id);
        free(inst->derived[i].name);
        free(inst->derived[i].components);
        free(inst->derived[i].weights);
    }
    free(inst->derived);
    for (i = 0; i < inst->n_bandsets; i++) {
        for (j = 0; j < inst->bandsets[i].n; j++)
            free(inst->bandsets[i].bands[j].name);
        free(inst->bandsets[i].bands);
        free(inst->bandsets[i].source);
    }
    free(inst->bandsets);
    for (i = 0; i < inst->n_norms; i++)
        rfsi_norms_clear(&inst->norms[i]);
    free(inst->norms);
    free(inst->derived_order);
    free(inst->validity.even_odd_scales);
    free(inst->validity.synonyms);
    free(inst->validity.antonyms);
    free(inst->validity.attention);
    for (i = 0; i < inst->n_cases; i++) {
        rfsi_case *c = &inst->cases[i];
        free(c->name);
        free_strv(c->cells, c->cells ? inst->n_items : 0);
        for (j = 0; j < c->n_expect; j++) {
            free(c->expect[j].text);
            free(c->expect[j].id);
        }
        free(c->expect);
    }
    free(inst->cases);
    free(inst);
}

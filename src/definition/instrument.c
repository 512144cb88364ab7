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

int rfsi_instrument_finalize(rfs_instrument *inst)
{
    size_t s, j, range = (size_t)(inst->max - inst->min + 1);

    for (s = 0; s < inst->n_scales; s++) {
        rfsi_scale *sc = &inst->scales[s];
        const long *map = sc->recode >= 0 ? inst->recodes[sc->recode].map : NULL;

        free(sc->table);
        sc->table = malloc(sc->n_items * range * sizeof *sc->table);
        if (!sc->table)
            return -1;
        for (j = 0; j < sc->n_items; j++) {
            size_t r;
            for (r = 0; r < range; r++) {
                long x = inst->min + (long)r;
                if (sc->reversed[j])
                    x = inst->min + inst->max - x; /* from the declared range, never the data */
                if (map && sc->recoded[j])
                    x = map[x - inst->min];
                sc->table[j * range + r] = x;
                if ((j == 0 && r == 0) || x < sc->value_min)
                    sc->value_min = x;
                if ((j == 0 && r == 0) || x > sc->value_max)
                    sc->value_max = x;
            }
        }
        if (sc->kind == RFSI_SCORE_SUM)
            sc->min_answered = sc->n_items;
        else
            sc->min_answered = rfsi_min_rule_resolve(sc->has_min_rule ? sc->min_rule : inst->min_rule,
                                                     sc->n_items);
    }
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
    if (inst->items) {
        for (i = 0; i < inst->n_items; i++) {
            free(inst->items[i].column);
            free(inst->items[i].label);
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
    }
    free(inst->scales);
    for (i = 0; i < inst->n_derived; i++) {
        free(inst->derived[i].id);
        free(inst->derived[i].name);
        free(inst->derived[i].components);
    }
    free(inst->derived);
    free(inst->derived_order);
    free(inst->validity.even_odd_scales);
    free(inst->validity.synonyms);
    free(inst->validity.antonyms);
    free(inst->validity.attention);
    for (i = 0; i < inst->n_cases; i++) {
        rfsi_case *c = &inst->cases[i];
        free(c->name);
        free_strv(c->cells, c->cells ? inst->n_items : 0);
        for (j = 0; j < c->n_expect; j++)
            free(c->expect[j].text);
        free(c->expect);
    }
    free(inst->cases);
    free(inst);
}

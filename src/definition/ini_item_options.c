/* [item.N] min, max, categories and output; [scale.ID] and [derived.ID] weights and pomp.
 * These refine what the header and scale loaders built (ini_header.c, ini_scales.c), so
 * they run after them; calls only the shared helpers. Formats: docs/instrument-format.md. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"

#define MAX_WEIGHT 100 /* |weight|: keeps a weighted sum of responses exact in a long */

/* An output id of ours must not clash with a score's or another categorical item's. */
static int output_taken(const rfs_instrument *inst, const char *id, size_t self)
{
    size_t i;

    if (rfsi_score_find(inst, id) != (size_t)-1)
        return 1;
    for (i = 0; i < inst->n_items; i++)
        if (i != self && inst->items[i].output && strcmp(inst->items[i].output, id) == 0)
            return 1;
    return 0;
}

static int item_categories(loader *L, const char *sec, rfsi_item *it, const char *v)
{
    rfsi_list list;
    size_t k, j;

    if (rfsi_list_split(v, &list) < 0)
        return -1;
    if (list.n < 2)
        rfsi_ini_bad(L, sec, "categories", "a categorical item needs at least 2 categories");
    it->categories = calloc(list.n + 1, sizeof *it->categories);
    it->category_norm = calloc(list.n + 1, sizeof *it->category_norm);
    if (!it->categories || !it->category_norm) {
        rfsi_list_free(&list);
        return -1;
    }
    for (k = 0; k < list.n; k++) {
        char *norm = malloc(RFSI_LABEL_MAX + 1);
        it->categories[k] = list.v[k]; /* take ownership */
        list.v[k] = NULL;
        it->category_norm[k] = norm;
        it->n_categories = k + 1;
        if (!norm) {
            rfsi_list_free(&list);
            return -1;
        }
        if (rfsi_label_normalize(it->categories[k], strlen(it->categories[k]), norm) == (size_t)-1) {
            rfsi_ini_bad(L, sec, "categories", "category %zu is longer than %d bytes", k + 1, RFSI_LABEL_MAX);
            norm[0] = '\0';
            continue;
        }
        if (!norm[0] || norm[0] == '-' || norm[0] == '+' || (norm[0] >= '0' && norm[0] <= '9'))
            rfsi_ini_bad(L, sec, "categories", "category %zu ('%s') is empty or looks like a number: answers "
                "give a category by its name or by its position 1..%zu", k + 1, it->categories[k], list.n);
        for (j = 0; j < k; j++)
            if (norm[0] && strcmp(it->category_norm[j], norm) == 0)
                rfsi_ini_bad(L, sec, "categories", "category '%s' is listed twice", it->categories[k]);
    }
    rfsi_list_free(&list);
    it->has_range = 1;
    it->min = 1;
    it->max = (long)(it->n_categories > 1 ? it->n_categories : 2);
    return 0;
}

int rfsi_ini_load_item_options(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < inst->n_items; i++) {
        rfsi_item *it = &inst->items[i];
        char sec[32];
        const char *cats, *out;
        int has_min, has_max;
        long lo = inst->min, hi = inst->max;
        snprintf(sec, sizeof sec, "item.%zu", i + 1);
        cats = rfsi_ini_get(L, sec, "categories");
        out = rfsi_ini_get(L, sec, "output");
        has_min = rfsi_ini_get(L, sec, "min") != NULL;
        has_max = rfsi_ini_get(L, sec, "max") != NULL;
        if (cats) {
            if (has_min || has_max)
                rfsi_ini_bad(L, sec, has_min ? "min" : "max", "a categorical item's codes are 1..the number of "
                    "categories; it takes no min or max");
            if (item_categories(L, sec, it, cats) < 0)
                return -1;
            if (!out) {
                rfsi_ini_bad(L, sec, "categories", "a categorical item needs an output id (output = ...)");
            } else if (!rfsi_ini_valid_id(out)) {
                rfsi_ini_bad(L, sec, "output", "'%s' is not a valid id (lowercase letter, then letters, digits "
                    "or '_', at most %d)", out, MAX_ID);
            } else if (output_taken(inst, out, i)) {
                rfsi_ini_bad(L, sec, "output", "'%s' is already a score or another item's output", out);
            } else if (!(it->output = strdup(out))) {
                return -1;
            }
            if (it->max > inst->max || it->min < inst->min)
                rfsi_ini_bad(L, sec, "categories", "codes 1..%ld must lie inside the instrument's range %ld..%ld",
                    it->max, inst->min, inst->max);
            continue;
        }
        if (out)
            rfsi_ini_bad(L, sec, "output", "only a categorical item (categories = ...) has an output of its own");
        if (!has_min && !has_max)
            continue;
        if ((has_min && rfsi_ini_long(L, sec, "min", inst->min, inst->max, &lo) < 0) ||
            (has_max && rfsi_ini_long(L, sec, "max", inst->min, inst->max, &hi) < 0))
            continue;
        if (lo >= hi) {
            rfsi_ini_bad(L, sec, has_max ? "max" : "min", "the item's range %ld..%ld is empty: min must be below max",
                lo, hi);
            continue;
        }
        it->has_range = 1;
        it->min = lo;
        it->max = hi;
    }
    return 0;
}

/* "KEY:WEIGHT, ..." -> for each pair, key (an item number or a component id) and weight. */
typedef struct weight_pair {
    char *key;
    long weight;
} weight_pair;

static int parse_weights(loader *L, const char *sec, const char *v, weight_pair **out, size_t *n)
{
    rfsi_list list;
    size_t k;

    *out = NULL;
    *n = 0;
    if (rfsi_list_split(v, &list) < 0)
        return -1;
    *out = calloc(list.n + 1, sizeof **out);
    if (!*out) {
        rfsi_list_free(&list);
        return -1;
    }
    if (list.n == 0)
        rfsi_ini_bad(L, sec, "weights", "no weights given (KEY:WEIGHT, ...)");
    for (k = 0; k < list.n; k++) {
        char *colon = strchr(list.v[k], ':');
        long w;
        if (!colon) {
            rfsi_ini_bad(L, sec, "weights", "'%s' is not KEY:WEIGHT", list.v[k]);
            continue;
        }
        *colon = '\0';
        if (rfsi_parse_long(colon + 1, &w) < 0) {
            rfsi_ini_bad(L, sec, "weights", "weight '%s' is not a plain integer", colon + 1);
            continue;
        }
        if (w == 0 || w < -MAX_WEIGHT || w > MAX_WEIGHT) {
            rfsi_ini_bad(L, sec, "weights", "weight %ld of '%s' must be a nonzero integer within +-%d (leave an item "
                "out rather than weigh it 0)", w, rfsi_trim_inplace(list.v[k]), MAX_WEIGHT);
            continue;
        }
        (*out)[*n].key = list.v[k]; /* take ownership */
        list.v[k] = NULL;
        rfsi_trim_inplace((*out)[*n].key);
        (*out)[(*n)++].weight = w;
    }
    rfsi_list_free(&list);
    return 0;
}

static void free_pairs(weight_pair *p, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++)
        free(p[k].key);
    free(p);
}

static int parse_pomp(loader *L, const char *sec, int *out)
{
    const char *v = rfsi_ini_get(L, sec, "pomp");

    *out = 0;
    if (!v)
        return 0;
    if (strcmp(v, "yes") == 0)
        *out = 1;
    else if (strcmp(v, "no") != 0)
        rfsi_ini_bad(L, sec, "pomp", "'%s' is not yes or no", v);
    return 0;
}

static int scale_weights(loader *L, rfsi_scale *sc)
{
    const rfs_instrument *inst = L->inst;
    char sec[64];
    const char *v;
    weight_pair *p;
    size_t n, k, j;

    snprintf(sec, sizeof sec, "scale.%s", sc->id);
    for (j = 0; j < sc->n_items; j++)
        if (inst->items[sc->items[j]].n_categories)
            rfsi_ini_bad(L, sec, "items", "item %zu is categorical (its codes name categories): it cannot be scored",
                sc->items[j] + 1);
    parse_pomp(L, sec, &sc->pomp);
    v = rfsi_ini_get(L, sec, "weights");
    if (!v)
        return 0;
    sc->weights = malloc((sc->n_items + 1) * sizeof *sc->weights);
    if (!sc->weights || parse_weights(L, sec, v, &p, &n) < 0)
        return -1;
    for (j = 0; j < sc->n_items; j++)
        sc->weights[j] = 1;
    for (k = 0; k < n; k++) {
        long item;
        if (rfsi_parse_long(p[k].key, &item) < 0) {
            rfsi_ini_bad(L, sec, "weights", "'%s' is not an item number", p[k].key);
            continue;
        }
        for (j = 0; j < sc->n_items && (long)sc->items[j] + 1 != item; j++)
            ;
        if (j == sc->n_items) {
            rfsi_ini_bad(L, sec, "weights", "item %ld is not in the scale's items (%s)", item,
                rfsi_ini_get(L, sec, "items"));
            continue;
        }
        {
            size_t d;
            for (d = 0; d < k && strcmp(p[d].key, p[k].key) != 0; d++)
                ;
            if (d < k)
                rfsi_ini_bad(L, sec, "weights", "item %ld is weighted twice", item);
        }
        sc->weights[j] = p[k].weight;
    }
    free_pairs(p, n);
    return 0;
}

static int derived_weights(loader *L, rfsi_derived *d)
{
    const rfs_instrument *inst = L->inst;
    char sec[64];
    const char *v;
    weight_pair *p;
    size_t n, k, j, d2;

    snprintf(sec, sizeof sec, "derived.%s", d->id);
    parse_pomp(L, sec, &d->pomp);
    v = rfsi_ini_get(L, sec, "weights");
    if (!v)
        return 0;
    d->weights = malloc((d->n + 1) * sizeof *d->weights);
    if (!d->weights || parse_weights(L, sec, v, &p, &n) < 0)
        return -1;
    for (j = 0; j < d->n; j++)
        d->weights[j] = 1;
    for (k = 0; k < n; k++) {
        size_t idx = rfsi_score_find(inst, p[k].key);
        for (j = 0; j < d->n && d->components[j] != idx; j++)
            ;
        if (idx == (size_t)-1 || j == d->n) {
            rfsi_ini_bad(L, sec, "weights", "'%s' is not one of the listed scales (%s)", p[k].key,
                rfsi_ini_get(L, sec, "scales"));
            continue;
        }
        for (d2 = 0; d2 < k && strcmp(p[d2].key, p[k].key) != 0; d2++)
            ;
        if (d2 < k)
            rfsi_ini_bad(L, sec, "weights", "'%s' is weighted twice", p[k].key);
        d->weights[j] = p[k].weight;
    }
    free_pairs(p, n);
    return 0;
}

int rfsi_ini_load_score_options(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < inst->n_scales; i++)
        if (scale_weights(L, &inst->scales[i]) < 0)
            return -1;
    for (i = 0; i < inst->n_derived; i++)
        if (derived_weights(L, &inst->derived[i]) < 0)
            return -1;
    return 0;
}

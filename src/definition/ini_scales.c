/* INI -> instrument model: [recode.NAME], [scale.ID] and [derived.ID], and the order in
 * which derived scores are evaluated. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"

/* ---------------------------------------------------------------- recodes */

int rfsi_ini_load_recodes(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, range = (size_t)(inst->max - inst->min + 1);

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *name = rfsi_ini_section_arg(e->section, "recode.");
        rfsi_recode *r;
        rfsi_list list;
        size_t k;
        if (!name || e->key)
            continue;
        if (!rfsi_ini_valid_id(name)) {
            rfsi_ini_bad(L, e->section, NULL, "recode names are lowercase ids");
            continue;
        }
        if (!rfsi_ini_get(L, e->section, "map")) {
            rfsi_ini_bad(L, e->section, "map", "required key is missing");
            continue;
        }
        r = rfsi_ini_grow(inst->recodes, inst->n_recodes, sizeof *r);
        if (!r)
            return -1;
        inst->recodes = r;
        r = &r[inst->n_recodes];
        r->name = strdup(name);
        r->map = calloc(range, sizeof *r->map);
        if (!r->name || !r->map) {
            free(r->name);
            free(r->map);
            return -1;
        }
        inst->n_recodes++;
        if (rfsi_list_split(rfsi_ini_get(L, e->section, "map"), &list) < 0)
            return -1;
        if (list.n != range)
            rfsi_ini_bad(L, e->section, "map", "has %zu values but the response range %ld..%ld has %zu: the map "
                "must give one value per response, in order", list.n, inst->min, inst->max, range);
        for (k = 0; k < list.n && k < range; k++) {
            long v;
            if (rfsi_parse_long(list.v[k], &v) < 0 || v < -MAX_ABS_VALUE || v > MAX_ABS_VALUE)
                rfsi_ini_bad(L, e->section, "map", "value %zu ('%s') is not an integer within +-%ld", k + 1,
                    list.v[k], MAX_ABS_VALUE);
            else
                r->map[k] = v;
        }
        rfsi_list_free(&list);
    }
    return 0;
}

static long find_recode(const rfs_instrument *inst, const char *name)
{
    size_t i;

    for (i = 0; i < inst->n_recodes; i++)
        if (strcmp(inst->recodes[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* ----------------------------------------------------------------- scales */

static int parse_kind(const char *v, rfsi_score_kind *out)
{
    if (!v)
        return -1;
    if (strcmp(v, "mean") == 0)
        *out = RFSI_SCORE_MEAN;
    else if (strcmp(v, "sum") == 0)
        *out = RFSI_SCORE_SUM;
    else if (strcmp(v, "prorated_sum") == 0)
        *out = RFSI_SCORE_PRORATED_SUM;
    else
        return -1;
    return 0;
}

/* Marks the scale's items named by key (reverse, recode_items) in flags. */
static int mark_items(loader *L, const char *sec, const char *key, rfsi_scale *sc, unsigned char *flags)
{
    const char *v = rfsi_ini_get(L, sec, key);
    size_t *items = NULL, n = 0, i, j;
    char why[200];

    if (!v)
        return 0;
    if (rfsi_parse_items(v, L->inst->n_items, &items, &n, why, sizeof why) < 0) {
        if (!*why) {
            free(items);
            return -1;
        }
        rfsi_ini_bad(L, sec, key, "%s", why);
        free(items);
        return 0;
    }
    for (i = 0; i < n; i++) {
        for (j = 0; j < sc->n_items; j++)
            if (sc->items[j] == items[i])
                break;
        if (j == sc->n_items)
            rfsi_ini_bad(L, sec, key, "item %zu is not in the scale's items (%s)", items[i] + 1, rfsi_ini_get(L, sec, "items"));
        else
            flags[j] = 1;
    }
    free(items);
    return 0;
}

int rfsi_ini_load_scales(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *id = rfsi_ini_section_arg(e->section, "scale."), *v;
        rfsi_scale *sc;
        char why[200];
        if (!id || e->key)
            continue;
        if (!rfsi_ini_valid_id(id)) {
            rfsi_ini_bad(L, e->section, NULL, "scale ids are lowercase ids (letters, digits, '_'; at most %d)", MAX_ID);
            continue;
        }
        sc = rfsi_ini_grow(inst->scales, inst->n_scales, sizeof *sc);
        if (!sc)
            return -1;
        inst->scales = sc;
        sc = &sc[inst->n_scales];
        memset(sc, 0, sizeof *sc);
        sc->recode = -1;
        sc->id = strdup(id);
        sc->name = rfsi_ini_dup_or_empty(rfsi_ini_get(L, e->section, "name"));
        if (!sc->id || !sc->name) {
            free(sc->id);
            free(sc->name);
            return -1;
        }
        inst->n_scales++;

        v = rfsi_ini_get(L, e->section, "items");
        if (!v) {
            rfsi_ini_bad(L, e->section, "items", "required key is missing");
        } else if (rfsi_parse_items(v, inst->n_items, &sc->items, &sc->n_items, why, sizeof why) < 0) {
            if (!*why)
                return -1;
            rfsi_ini_bad(L, e->section, "items", "%s", why);
            free(sc->items);
            sc->items = NULL;
            sc->n_items = 0;
        }
        sc->reversed = calloc(sc->n_items + 1, 1);
        sc->recoded = calloc(sc->n_items + 1, 1);
        if (!sc->reversed || !sc->recoded)
            return -1;
        if (mark_items(L, e->section, "reverse", sc, sc->reversed) < 0)
            return -1;

        v = rfsi_ini_get(L, e->section, "recode");
        if (v) {
            sc->recode = find_recode(inst, v);
            if (sc->recode < 0)
                rfsi_ini_bad(L, e->section, "recode", "no [recode.%s] section", v);
            if (rfsi_ini_get(L, e->section, "recode_items")) {
                if (mark_items(L, e->section, "recode_items", sc, sc->recoded) < 0)
                    return -1;
            } else {
                memset(sc->recoded, 1, sc->n_items);
            }
        } else if (rfsi_ini_get(L, e->section, "recode_items")) {
            rfsi_ini_bad(L, e->section, "recode_items", "recode_items without recode");
        }

        v = rfsi_ini_get(L, e->section, "score");
        if (!v)
            rfsi_ini_bad(L, e->section, "score", "required key is missing (mean, sum or prorated_sum)");
        else if (parse_kind(v, &sc->kind) < 0)
            rfsi_ini_bad(L, e->section, "score", "'%s' is not mean, sum or prorated_sum", v);

        v = rfsi_ini_get(L, e->section, "min_answered");
        if (v) {
            if (rfsi_min_rule_parse(v, &sc->min_rule) < 0 || sc->min_rule.value == 0) {
                rfsi_ini_bad(L, e->section, "min_answered", "'%s' is neither a count ('5') nor a percentage ('80%%') above 0",
                    v);
            } else if (sc->kind == RFSI_SCORE_SUM) {
                rfsi_ini_bad(L, e->section, "min_answered", "a sum scale needs every item; use score = prorated_sum "
                    "to allow missing items");
            } else {
                sc->has_min_rule = 1;
                if (!sc->min_rule.is_percent && sc->n_items && sc->min_rule.value > sc->n_items)
                    rfsi_ini_bad(L, e->section, "min_answered", "%u is more than the scale's %zu items",
                        sc->min_rule.value, sc->n_items);
            }
        }
        if (!sc->has_min_rule && !inst->min_rule.is_percent && sc->kind != RFSI_SCORE_SUM &&
            sc->n_items && inst->min_rule.value > sc->n_items)
            rfsi_ini_bad(L, e->section, NULL, "the instrument's min_answered (%u) is more than this scale's %zu items",
                inst->min_rule.value, sc->n_items);
    }
    if (inst->n_scales == 0)
        rfsi_ini_bad(L, NULL, NULL, "no [scale.ID] section: nothing to score");
    return 0;
}

/* ---------------------------------------------------------------- derived */

int rfsi_ini_load_derived(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, k;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *id = rfsi_ini_section_arg(e->section, "derived."), *v;
        rfsi_derived *d;
        if (!id || e->key)
            continue;
        if (!rfsi_ini_valid_id(id)) {
            rfsi_ini_bad(L, e->section, NULL, "derived ids are lowercase ids");
            continue;
        }
        for (k = 0; k < inst->n_scales; k++)
            if (strcmp(inst->scales[k].id, id) == 0)
                rfsi_ini_bad(L, e->section, NULL, "id '%s' is also a scale", id);
        d = rfsi_ini_grow(inst->derived, inst->n_derived, sizeof *d);
        if (!d)
            return -1;
        inst->derived = d;
        d = &d[inst->n_derived];
        memset(d, 0, sizeof *d);
        d->id = strdup(id);
        d->name = rfsi_ini_dup_or_empty(rfsi_ini_get(L, e->section, "name"));
        if (!d->id || !d->name) {
            free(d->id);
            free(d->name);
            return -1;
        }
        inst->n_derived++;
        v = rfsi_ini_get(L, e->section, "score");
        if (!v)
            rfsi_ini_bad(L, e->section, "score", "required key is missing (mean or sum)");
        else if (parse_kind(v, &d->kind) < 0 || d->kind == RFSI_SCORE_PRORATED_SUM)
            rfsi_ini_bad(L, e->section, "score", "'%s' is not mean or sum", v);
    }
    /* Components are resolved once every id is known, so order in the file is free. */
    for (i = 0; i < inst->n_derived; i++) {
        rfsi_derived *d = &inst->derived[i];
        char sec[64];
        rfsi_list list;
        snprintf(sec, sizeof sec, "derived.%s", d->id);
        if (!rfsi_ini_get(L, sec, "scales")) {
            rfsi_ini_bad(L, sec, "scales", "required key is missing");
            continue;
        }
        if (rfsi_list_split(rfsi_ini_get(L, sec, "scales"), &list) < 0)
            return -1;
        d->components = calloc(list.n + 1, sizeof *d->components);
        if (!d->components) {
            rfsi_list_free(&list);
            return -1;
        }
        if (list.n == 0)
            rfsi_ini_bad(L, sec, "scales", "no scales given");
        for (k = 0; k < list.n; k++) {
            size_t idx = rfsi_score_find(inst, list.v[k]);
            if (idx == (size_t)-1)
                rfsi_ini_bad(L, sec, "scales", "unknown scale '%s'", list.v[k]);
            else
                d->components[d->n++] = idx;
        }
        rfsi_list_free(&list);
    }
    return 0;
}

/* Depth-first: a derived score is evaluated after its components; a cycle is an error. */
static int visit(loader *L, size_t di, unsigned char *state, size_t *order, size_t *n)
{
    rfs_instrument *inst = L->inst;
    rfsi_derived *d = &inst->derived[di];
    size_t k;

    if (state[di] == 2)
        return 0;
    if (state[di] == 1) {
        char sec[64];
        snprintf(sec, sizeof sec, "derived.%s", d->id);
        rfsi_ini_bad(L, sec, "scales", "circular reference: '%s' depends on itself", d->id);
        return -1;
    }
    state[di] = 1;
    for (k = 0; k < d->n; k++)
        if (d->components[k] >= inst->n_scales &&
            visit(L, d->components[k] - inst->n_scales, state, order, n) < 0)
            return -1;
    state[di] = 2;
    order[(*n)++] = di;
    return 0;
}

int rfsi_ini_order_derived(loader *L)
{
    rfs_instrument *inst = L->inst;
    unsigned char *state = calloc(inst->n_derived + 1, 1);
    size_t i, n = 0;

    inst->derived_order = calloc(inst->n_derived + 1, sizeof *inst->derived_order);
    if (!state || !inst->derived_order) {
        free(state);
        return -1;
    }
    for (i = 0; i < inst->n_derived; i++)
        if (visit(L, i, state, inst->derived_order, &n) < 0)
            break;
    free(state);
    return 0;
}

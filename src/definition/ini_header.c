/* INI -> instrument model: the [instrument] header, [item.N], [missing] and [values]. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini_loader.h"

/* ------------------------------------------------------------ instrument */

static int text_key(loader *L, const char *key, int required, char **out)
{
    const char *v = rfsi_ini_get(L, "instrument", key);

    if (!v || !*v) {
        if (required)
            rfsi_ini_bad(L, "instrument", key, "required key is missing or empty");
        *out = strdup("");
        return *out ? 0 : -1;
    }
    *out = strdup(v);
    return *out ? 0 : -1;
}

/* Returns 1 when the rest cannot be checked (no item count or range), -1 when memory runs
 * out. */
int rfsi_ini_load_header(loader *L)
{
    rfs_instrument *inst = L->inst;
    const char *v;
    long items = 0, min = 0, max = 0;
    int ok = 0;

    if (!rfsi_ini_line(&L->scan, "instrument", NULL)) {
        rfsi_ini_bad(L, NULL, NULL, "missing [instrument] section");
        return 1;
    }
    if (text_key(L, "id", 1, &inst->id) || text_key(L, "name", 1, &inst->name) ||
        text_key(L, "version", 1, &inst->version) || text_key(L, "citation", 1, &inst->citation) ||
        text_key(L, "doi", 1, &inst->doi) || text_key(L, "license", 0, &inst->license) ||
        text_key(L, "note", 0, &inst->note))
        return -1;
    if (*inst->id && !rfsi_ini_valid_id(inst->id))
        rfsi_ini_bad(L, "instrument", "id", "'%s' is not a valid id (lowercase letter, then letters, digits "
            "or '_', at most %d)", inst->id, MAX_ID);
    v = rfsi_ini_get(L, "instrument", "column_prefix");
    if (v) {
        inst->column_prefix = strdup(v);
    } else {
        inst->column_prefix = malloc(strlen(inst->id) + 2);
        if (inst->column_prefix)
            sprintf(inst->column_prefix, "%s_", inst->id);
    }
    if (!inst->column_prefix)
        return -1;
    inst->min_rule.is_percent = 1;
    inst->min_rule.value = 80; /* rfscore's documented default when the authors give none */
    v = rfsi_ini_get(L, "instrument", "min_answered");
    if (v && (rfsi_min_rule_parse(v, &inst->min_rule) < 0 || inst->min_rule.value == 0))
        rfsi_ini_bad(L, "instrument", "min_answered", "'%s' is neither a count ('5') nor a percentage ('80%%') above 0", v);

    ok |= rfsi_ini_long(L, "instrument", "items", 1, RFS_MAX_ITEMS, &items);
    ok |= rfsi_ini_long(L, "instrument", "min", -MAX_ABS_VALUE, MAX_ABS_VALUE, &min);
    ok |= rfsi_ini_long(L, "instrument", "max", -MAX_ABS_VALUE, MAX_ABS_VALUE, &max);
    if (ok)
        return 1;
    if (min >= max) {
        rfsi_ini_bad(L, "instrument", "max", "max (%ld) must be greater than min (%ld)", max, min);
        return 1;
    }
    if (max - min > 100) {
        rfsi_ini_bad(L, "instrument", "max", "response range %ld..%ld has more than 101 values", min, max);
        return 1;
    }
    inst->n_items = (size_t)items;
    inst->min = min;
    inst->max = max;
    return 0;
}

/* ----------------------------------------------------------------- items */

int rfsi_ini_load_items(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, j;

    inst->items = calloc(inst->n_items, sizeof *inst->items);
    if (!inst->items)
        return -1;
    for (i = 0; i < inst->n_items; i++) {
        char sec[32];
        const char *col, *label;
        snprintf(sec, sizeof sec, "item.%zu", i + 1);
        col = rfsi_ini_get(L, sec, "column");
        label = rfsi_ini_get(L, sec, "label");
        if (col && !*col)
            rfsi_ini_bad(L, sec, "column", "empty column name");
        if (col && *col) {
            inst->items[i].column = strdup(col);
        } else {
            inst->items[i].column = malloc(strlen(inst->column_prefix) + 24);
            if (inst->items[i].column)
                sprintf(inst->items[i].column, "%s%zu", inst->column_prefix, i + 1);
        }
        inst->items[i].label = rfsi_ini_dup_or_empty(label);
        if (!inst->items[i].column || !inst->items[i].label)
            return -1;
    }
    /* [item.N] sections whose N is not an item */
    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *arg = rfsi_ini_section_arg(e->section, "item.");
        long n;
        if (!arg || e->key)
            continue;
        if (rfsi_parse_long(arg, &n) < 0 || n < 1 || (size_t)n > inst->n_items)
            rfsi_ini_bad(L, e->section, NULL, "no such item: the instrument has items 1..%zu", inst->n_items);
    }
    for (i = 0; i < inst->n_items; i++)
        for (j = 0; j < i; j++)
            if (strcasecmp(inst->items[i].column, inst->items[j].column) == 0) {
                char sec[32];
                size_t blame = i, other = j; /* blame the item whose column is set in the file */
                snprintf(sec, sizeof sec, "item.%zu", i + 1);
                if (!rfsi_ini_get(L, sec, "column")) {
                    blame = j;
                    other = i;
                    snprintf(sec, sizeof sec, "item.%zu", j + 1);
                }
                rfsi_ini_bad(L, sec, "column", "column '%s' is also used by item %zu", inst->items[blame].column, other + 1);
            }
    return 0;
}

/* --------------------------------------------------------- missing, values */

int rfsi_ini_load_missing(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        rfsi_list list;
        size_t t, k;
        char **types;
        if (strcmp(e->section, "missing") != 0 || !e->key)
            continue;
        if (!rfsi_ini_valid_id(e->key)) {
            rfsi_ini_bad(L, "missing", e->key, "missing type names are lowercase ids (e.g. refused)");
            continue;
        }
        types = rfsi_ini_grow(inst->missing_types, inst->n_missing_types, sizeof *types);
        if (!types)
            return -1;
        inst->missing_types = types;
        t = inst->n_missing_types;
        types[t] = strdup(e->key);
        if (!types[t])
            return -1;
        inst->n_missing_types++;
        if (rfsi_list_split(rfsi_ini_get(L, "missing", e->key), &list) < 0)
            return -1;
        if (list.n == 0)
            rfsi_ini_bad(L, "missing", e->key, "no codes given");
        for (k = 0; k < list.n; k++) {
            rfsi_missing_code *codes, *c;
            long num;
            codes = rfsi_ini_grow(inst->missing_codes, inst->n_missing_codes, sizeof *codes);
            if (!codes) {
                rfsi_list_free(&list);
                return -1;
            }
            inst->missing_codes = codes;
            c = &codes[inst->n_missing_codes];
            memset(c, 0, sizeof *c);
            c->type = t;
            c->text = strdup(list.v[k]);
            if (!c->text) {
                rfsi_list_free(&list);
                return -1;
            }
            inst->n_missing_codes++;
            if (rfsi_parse_long(list.v[k], &num) == 0) {
                if (num <= -100000000000000000L || num >= 100000000000000000L)
                    rfsi_ini_bad(L, "missing", e->key, "code %s has more than 17 digits", list.v[k]);
                c->is_number = 1;
                c->number = num;
                if (num >= inst->min && num <= inst->max)
                    rfsi_ini_bad(L, "missing", e->key, "code %ld is inside the response range %ld..%ld",
                        num, inst->min, inst->max);
            }
        }
        rfsi_list_free(&list);
    }
    return 0;
}

/* [instrument] labels = SET: the shared wordings of a common scale (labels.c), after the
 * definition's own [values], which win where both label the same text. */
static int load_label_set(loader *L)
{
    rfs_instrument *inst = L->inst;
    const char *name = rfsi_ini_get(L, "instrument", "labels");
    const rfsi_label_set *set;

    /* [instrument] redcap_form, read here where running out of memory is reported as such */
    if (!(inst->redcap_form = rfsi_ini_dup_or_empty(rfsi_ini_get(L, "instrument", "redcap_form"))))
        return -1;
    /* REDCap form names are lowercase letters, digits and '_', like our ids */
    if (*inst->redcap_form && !rfsi_ini_valid_id(inst->redcap_form))
        rfsi_ini_bad(L, "instrument", "redcap_form", "'%s' is not a REDCap form name (lowercase letter, then "
            "letters, digits or '_')", inst->redcap_form);

    if (!name)
        return 0;
    if (!(set = rfsi_label_set_find(name))) {
        rfsi_ini_bad(L, "instrument", "labels", "unknown label set '%s' (known: %s)", name, rfsi_label_set_names());
        return 0;
    }
    if ((long)set->points != inst->max - inst->min + 1) {
        rfsi_ini_bad(L, "instrument", "labels", "label set %s has %zu points; the response range %ld..%ld has %ld",
                     set->name, set->points, inst->min, inst->max, inst->max - inst->min + 1);
        return 0;
    }
    return rfsi_label_add_set(inst, set);
}

int rfsi_ini_load_values(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        rfsi_value_label *vals;
        long code;
        if (strcmp(e->section, "values") != 0 || !e->key)
            continue;
        if (rfsi_parse_long(e->key, &code) < 0 || code < inst->min || code > inst->max) {
            rfsi_ini_bad(L, "values", e->key, "value labels are 'code = \"label\"' with a code in %ld..%ld",
                inst->min, inst->max);
            continue;
        }
        vals = rfsi_ini_grow(inst->values, inst->n_values, sizeof *vals);
        if (!vals)
            return -1;
        inst->values = vals;
        vals[inst->n_values].code = code;
        vals[inst->n_values].origin = RFSI_LABEL_DEFINITION;
        vals[inst->n_values].label = rfsi_ini_dup_or_empty(rfsi_ini_get(L, "values", e->key));
        vals[inst->n_values].norm = malloc(RFSI_LABEL_MAX + 1);
        if (!vals[inst->n_values].label || !vals[inst->n_values].norm) {
            free(vals[inst->n_values].label);
            free(vals[inst->n_values].norm);
            return -1;
        }
        inst->n_values++;
        {
            rfsi_value_label *v = &vals[inst->n_values - 1];
            size_t k;
            if (rfsi_label_normalize(v->label, strlen(v->label), v->norm) == (size_t)-1) {
                rfsi_ini_bad(L, "values", e->key, "label longer than %d bytes", RFSI_LABEL_MAX);
            } else if (!v->norm[0]) {
                rfsi_ini_bad(L, "values", e->key, "empty label");
            } else if (v->norm[0] == '-' || v->norm[0] == '+' || (v->norm[0] >= '0' && v->norm[0] <= '9')) {
                rfsi_ini_bad(L, "values", e->key, "a label must not look like a number ('%s')", v->label);
            }
            for (k = 0; k + 1 < inst->n_values; k++)
                if (strcmp(vals[k].norm, v->norm) == 0 && v->norm[0])
                    rfsi_ini_bad(L, "values", e->key, "label '%s' is also the label of %ld", v->label, vals[k].code);
        }
    }
    return load_label_set(L);
}

/* INI -> instrument model. The only file that includes iniparser.
 *
 * iniparser 4.1 (Debian 12) gives no line numbers, merges duplicates, lowercases names
 * and has getters that misread numbers, so: ini_scan.c finds every section and key with
 * its line first, iniparser_getstring() supplies the values (quotes and comments
 * stripped), and every number is parsed here with full checks. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"


/* iniparser 4.1 prints syntax errors to stderr through a process-wide callback; a
 * library must not print, and ini_scan.c reports the same problems with lines. */
static int quiet(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}


void rfsi_ini_bad(loader *L, const char *sec, const char *key, const char *fmt, ...)
{
    char msg[400];
    unsigned long line = 0;
    va_list ap;

    if (sec) {
        line = key ? rfsi_ini_line(&L->scan, sec, key) : 0;
        if (!line)
            line = rfsi_ini_line(&L->scan, sec, NULL);
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sec && key)
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "[%s] %s: %s", sec, key, msg);
    else if (sec)
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "[%s]: %s", sec, msg);
    else
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "%s", msg);
}

/* The value of sec:key, or NULL when the file does not have that key. */
const char *rfsi_ini_get(loader *L, const char *sec, const char *key)
{
    char name[512];

    if (!rfsi_ini_line(&L->scan, sec, key)) /* never ask iniparser about sections */
        return NULL;
    snprintf(name, sizeof name, "%s:%s", sec, key);
    return iniparser_getstring(L->dict, name, NULL);
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

int rfsi_ini_valid_id(const char *s)
{
    size_t n = 0;

    if (!islower((unsigned char)*s))
        return 0;
    for (; *s; s++, n++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return n <= MAX_ID;
}

static const char *section_arg(const char *sec, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(sec, prefix, n) == 0 ? sec + n : NULL;
}

/* ------------------------------------------------------------- structure */

static const char *const instrument_keys[] = {"id", "name", "version", "citation", "doi", "license",
    "items", "min", "max", "column_prefix", "min_answered", "note", NULL};
static const char *const item_keys[] = {"label", "column", NULL};
static const char *const recode_keys[] = {"map", NULL};
static const char *const scale_keys[] = {"name", "items", "reverse", "recode", "recode_items", "score",
    "min_answered", NULL};
static const char *const derived_keys[] = {"name", "scales", "score", NULL};
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
    if (strcmp(sec, "missing") == 0 || strcmp(sec, "values") == 0) {
        *any = 1;
        return NULL;
    }
    if (section_arg(sec, "item."))
        return item_keys;
    if (section_arg(sec, "recode."))
        return recode_keys;
    if (section_arg(sec, "scale."))
        return scale_keys;
    if (section_arg(sec, "derived."))
        return derived_keys;
    if (section_arg(sec, "case."))
        return case_keys;
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
                    "item.N, recode.NAME, scale.ID, derived.ID or case.NAME)");
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

int rfsi_ini_long(loader *L, const char *sec, const char *key, long lo, long hi, long *out)
{
    const char *v = rfsi_ini_get(L, sec, key);

    if (!v) {
        rfsi_ini_bad(L, sec, key, "required key is missing");
        return -1;
    }
    if (rfsi_parse_long(v, out) < 0) {
        rfsi_ini_bad(L, sec, key, "'%s' is not a plain decimal integer", v);
        return -1;
    }
    if (*out < lo || *out > hi) {
        rfsi_ini_bad(L, sec, key, "%ld is outside %ld..%ld", *out, lo, hi);
        return -1;
    }
    return 0;
}

/* Returns -1 when the rest cannot be checked (no item count or range). */
static int load_header(loader *L)
{
    rfs_instrument *inst = L->inst;
    const char *v;
    long items = 0, min = 0, max = 0;
    int ok = 0;

    if (!rfsi_ini_line(&L->scan, "instrument", NULL)) {
        rfsi_ini_bad(L, NULL, NULL, "missing [instrument] section");
        return -1;
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
        return -1;
    if (min >= max) {
        rfsi_ini_bad(L, "instrument", "max", "max (%ld) must be greater than min (%ld)", max, min);
        return -1;
    }
    if (max - min > 100) {
        rfsi_ini_bad(L, "instrument", "max", "response range %ld..%ld has more than 101 values", min, max);
        return -1;
    }
    inst->n_items = (size_t)items;
    inst->min = min;
    inst->max = max;
    return 0;
}

/* ----------------------------------------------------------------- items */

static int load_items(loader *L)
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
        inst->items[i].label = dup_or_empty(label);
        if (!inst->items[i].column || !inst->items[i].label)
            return -1;
    }
    /* [item.N] sections whose N is not an item */
    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *arg = section_arg(e->section, "item.");
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

static int load_missing(loader *L)
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
        types = realloc(inst->missing_types, (inst->n_missing_types + 1) * sizeof *types);
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
            codes = realloc(inst->missing_codes, (inst->n_missing_codes + 1) * sizeof *codes);
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

static int load_values(loader *L)
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
        vals = realloc(inst->values, (inst->n_values + 1) * sizeof *vals);
        if (!vals)
            return -1;
        inst->values = vals;
        vals[inst->n_values].code = code;
        vals[inst->n_values].label = dup_or_empty(rfsi_ini_get(L, "values", e->key));
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
    return 0;
}

/* ---------------------------------------------------------------- recodes */

static int load_recodes(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, range = (size_t)(inst->max - inst->min + 1);

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *name = section_arg(e->section, "recode.");
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
        r = realloc(inst->recodes, (inst->n_recodes + 1) * sizeof *r);
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

static int load_scales(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *id = section_arg(e->section, "scale."), *v;
        rfsi_scale *sc;
        char why[200];
        if (!id || e->key)
            continue;
        if (!rfsi_ini_valid_id(id)) {
            rfsi_ini_bad(L, e->section, NULL, "scale ids are lowercase ids (letters, digits, '_'; at most %d)", MAX_ID);
            continue;
        }
        sc = realloc(inst->scales, (inst->n_scales + 1) * sizeof *sc);
        if (!sc)
            return -1;
        inst->scales = sc;
        sc = &sc[inst->n_scales];
        memset(sc, 0, sizeof *sc);
        sc->recode = -1;
        sc->id = strdup(id);
        sc->name = dup_or_empty(rfsi_ini_get(L, e->section, "name"));
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

static int load_derived(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, k;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *id = section_arg(e->section, "derived."), *v;
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
        d = realloc(inst->derived, (inst->n_derived + 1) * sizeof *d);
        if (!d)
            return -1;
        inst->derived = d;
        d = &d[inst->n_derived];
        memset(d, 0, sizeof *d);
        d->id = strdup(id);
        d->name = dup_or_empty(rfsi_ini_get(L, e->section, "name"));
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

static int order_derived(loader *L)
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

/* ------------------------------------------------------------------- load */

static rfs_instrument *load(const char *path, rfsi_report *rep)
{
    loader L;
    int nomem = 0;

    memset(&L, 0, sizeof L);
    L.rep = rep;
    if (rfsi_ini_scan_file(path, &L.scan, rep) < 0) {
        rfsi_ini_scan_free(&L.scan);
        return NULL;
    }
    iniparser_set_error_callback(quiet);
    L.dict = iniparser_load(path);
    if (!L.dict) {
        if (rep->count == 0)
            rfsi_report_add(rep, RFS_E_DEFINITION, 0, "iniparser could not read the file");
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
    if (load_header(&L) < 0) {
        if (!L.inst->column_prefix && !L.inst->id)
            nomem = rep->count == 0;
        goto out;
    }
    if (load_items(&L) < 0 || load_missing(&L) < 0 || load_values(&L) < 0 || load_recodes(&L) < 0 ||
        load_scales(&L) < 0 || load_derived(&L) < 0 || order_derived(&L) < 0 || rfsi_ini_load_validity(&L) < 0 || rfsi_ini_load_cases(&L) < 0 ||
        rfsi_instrument_finalize(L.inst) < 0)
        nomem = 1;
out:
    if (nomem)
        rfsi_report_add(rep, RFS_E_NOMEM, 0, "out of memory");
    iniparser_freedict(L.dict);
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

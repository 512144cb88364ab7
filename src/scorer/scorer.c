/* rfs_scorer: lifetime and configuration. The streaming pass is in stream.c, the column
 * plan in plan.c, the output rows in output.c. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/buf.h"
#include "scoring/cell.h"
#include "input/colindex.h"
#include "input/csv_reader.h"
#include "base/error.h"
#include "scoring/flags.h"
#include "input/idset.h"
#include "definition/instrument.h"
#include "output/numfmt.h"
#include "rfscore.h"
#include "scoring/score.h"
#include "scoring/validity.h"
#include "output/writer.h"
#include "scorer.h"

static const char *const threshold_names[6] = {"longstring_max", "irv_min", "even_odd_min",
                                               "synonyms_min", "antonyms_max", "seconds_per_item"};

const char *rfs_version(void)
{
    return RFS_VERSION;
}

rfs_scorer *rfs_scorer_new(rfs_error *err)
{
    rfs_scorer *s = calloc(1, sizeof *s);

    if (!s) {
        rfsi_nomem(err);
        return NULL;
    }
    s->id_col = s->duration_col = NONE;
    s->check_ids = 1;
    s->threads = 1;
    s->part_bytes = RFSI_PART_BYTES;
    s->input_name = strdup("<input>");
    s->numcache = calloc(1, sizeof *s->numcache);
    if (!s->input_name || !s->numcache) {
        free(s->input_name);
        free(s->numcache);
        free(s);
        rfsi_nomem(err);
        return NULL;
    }
    return s;
}

void rfs_scorer_free(rfs_scorer *s)
{
    size_t i, k;

    if (!s)
        return;
    rfsi_study_free(s->study); /* first: the reports point at the instruments (and aliases) */
    rfsi_groups_free(s);
    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        free(st->min_answered);
        free(st->resp);
        free(st->bad_off);
        free(st->bad_len);
        free(st->res);
        free(st->missing_types);
        free(st->status_rows);
        free(st->item_col);
        free(st->item_headers);
        free(st->colstats);
        rfsi_buf_free(&st->flags);
        free(st->prefix);
        free(st->suffix);
        if (st->mapped)
            for (k = 0; k < st->inst->n_items; k++)
                free(st->mapped[k]);
        free(st->mapped);
        if (st->item_names)
            for (k = 0; k < st->inst->n_items; k++)
                free(st->item_names[k]);
        free(st->item_names);
        if (st->fragments) {
            for (k = 0; k < st->inst->n_scales; k++) {
                free(st->fragments[k].cells);
                free(st->fragments[k].base);
            }
            free(st->fragments);
        }
        rfsi_itemtotal_free(st->itemtotal);
        free(st->fastkey);
        free(st->codes);
        free(st->plain_none);
        if (st->alias) /* last: st->inst may be it */
            free(st->alias->id);
        free(st->alias);
    }
    free(s->insts);
    for (i = 0; i < s->n_id_names; i++)
        free(s->id_names[i]);
    free(s->id_names);
    for (i = 0; i < s->n_filters; i++) {
        free(s->filters[i].text);
        free(s->filters[i].column);
        free(s->filters[i].value);
    }
    free(s->filters);
    free(s->duration_name);
    for (i = 0; i < s->n_keep; i++)
        free(s->keep_names[i]);
    free(s->keep_names);
    for (i = 0; i < s->n_extra; i++) {
        free(s->extra[i].type);
        free(s->extra[i].code);
    }
    free(s->extra);
    free(s->input_name);
    rfsi_writer_free(&s->out);
    rfsi_csv_free(s->csv);
    rfsi_idset_free(&s->ids);
    rfsi_buf_free(&s->header_text);
    rfsi_held_free(&s->held[0]);
    rfsi_held_free(&s->held[1]);
    rfsi_buf_free(&s->header_notes);
    rfsi_plan_free_import_ids(s);
    free(s->header_off);
    rfsi_plan_free(s);
    rfsi_buf_free(&s->row_text);
    rfsi_command_free(s);
    rfsi_buf_free(&s->scratch);
    rfsi_buf_free(&s->colnames);
    free(s->colname_off);
    free(s->numcache);
    rfsi_warnings_free(&s->warnings);
    free(s);
}

/* ----------------------------------------------------------- configuration */

static int configurable(rfs_scorer *s, rfs_error *err)
{
    if (!s)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no scorer (NULL)");
    if (s->configured || s->failed)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer cannot be configured after input was fed");
    return 0;
}

int rfsi_scorer_configurable(rfs_scorer *s, rfs_error *err)
{
    return configurable(s, err);
}

int rfs_scorer_add_instrument(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err)
{
    inst_state *p, *st;
    size_t n_scores, k;

    if (configurable(s, err) < 0)
        return -1;
    if (!inst) /* typically a failed rfs_instrument_load() passed on */
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no instrument (NULL): did loading it fail?");
    n_scores = rfs_instrument_score_count(inst);
    k = inst->n_items;
    p = realloc(s->insts, (s->n_insts + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->insts = p;
    st = &p[s->n_insts];
    memset(st, 0, sizeof *st);
    st->inst = st->def = inst;
    rfsi_thresholds_from(inst, &st->th);
    st->min_answered = calloc(inst->n_scales + 1, sizeof *st->min_answered);
    st->resp = calloc(k, sizeof *st->resp);
    st->bad_off = calloc(k, sizeof *st->bad_off);
    st->bad_len = calloc(k, sizeof *st->bad_len);
    st->res = calloc(n_scores + 1, sizeof *st->res);
    st->status_rows = calloc(n_scores + 1, sizeof *st->status_rows);
    st->item_col = calloc(k, sizeof *st->item_col);
    st->item_headers = calloc(k, sizeof *st->item_headers);
    st->colstats = calloc(k, sizeof *st->colstats);
    s->n_insts++; /* counted now so rfs_scorer_free releases a half-built state */
    if (!st->min_answered || !st->resp || !st->bad_off || !st->bad_len || !st->res || !st->status_rows ||
        !st->item_col || !st->item_headers || !st->colstats)
        return rfsi_nomem(err);
    return 0;
}

int rfsi_set_string(char **dst, const char *v, rfs_error *err)
{
    char *c = strdup(v ? v : "");

    if (!c)
        return rfsi_nomem(err);
    free(*dst);
    *dst = c;
    return 0;
}

int rfs_scorer_set_duration_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty duration column name");
    return rfsi_set_string(&s->duration_name, name, err);
}

int rfs_scorer_keep_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    char **p;

    if (configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty column name to keep");
    p = realloc(s->keep_names, (s->n_keep + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->keep_names = p;
    p[s->n_keep] = strdup(name);
    if (!p[s->n_keep])
        return rfsi_nomem(err);
    s->n_keep++;
    return 0;
}

int rfs_scorer_set_min_answered(rfs_scorer *s, const char *rule, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (rfsi_min_rule_parse(rule, &s->override) < 0 || s->override.value == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "minimum answered items '%s': expected a count (5) or a percentage (80%%)",
                         rule ? rule : "");
    s->has_override = 1;
    return 0;
}

int rfs_scorer_set_threshold(rfs_scorer *s, const char *name, double value, rfs_error *err)
{
    size_t k;

    if (configurable(s, err) < 0)
        return -1;
    for (k = 0; k < 6; k++)
        if (name && strcmp(name, threshold_names[k]) == 0)
            break;
    if (k == 6)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "unknown threshold '%s' (longstring_max, irv_min, even_odd_min, synonyms_min, "
                         "antonyms_max, seconds_per_item)", name ? name : "");
    if (!isfinite(value) || (k == 0 && (value < 1 || value != floor(value))) || ((k == 1 || k == 5) && value < 0) ||
        ((k == 2 || k == 3 || k == 4) && (value < -1 || value > 1)))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "threshold %s: %g is out of range", name, value);
    s->thresholds[k].set = 1;
    s->thresholds[k].value = value;
    return 0;
}

int rfs_scorer_add_missing_code(rfs_scorer *s, const char *type, const char *code, rfs_error *err)
{
    extra_code *p;
    const char *t;

    if (configurable(s, err) < 0)
        return -1;
    if (!type || !*type || !code || !*code)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "a missing code needs a type and a code (TYPE=CODE)");
    for (t = type; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_'))
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "missing type '%s': use lowercase letters, digits, '_'",
                             type);
    p = realloc(s->extra, (s->n_extra + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->extra = p;
    p[s->n_extra].type = strdup(type);
    p[s->n_extra].code = strdup(code);
    s->n_extra++;
    if (!p[s->n_extra - 1].type || !p[s->n_extra - 1].code)
        return rfsi_nomem(err);
    return 0;
}

int rfs_scorer_set_delimiter(rfs_scorer *s, char delimiter, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (delimiter && delimiter != ',' && delimiter != ';' && delimiter != '\t' && delimiter != '|')
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "delimiter must be ',', ';', tab or '|'");
    s->delimiter = delimiter;
    return 0;
}

int rfs_scorer_set_encoding(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (!name || strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
        s->encoding = RFSI_ENC_UTF8;
    else if (strcasecmp(name, "cp1252") == 0 || strcasecmp(name, "windows-1252") == 0)
        s->encoding = RFSI_ENC_CP1252;
    else if (strcasecmp(name, "latin1") == 0 || strcasecmp(name, "iso-8859-1") == 0)
        s->encoding = RFSI_ENC_LATIN1;
    else
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "unknown encoding '%s' (utf-8, cp1252, latin1)", name);
    return 0;
}

int rfs_scorer_set_warning_fn(rfs_scorer *s, rfs_problem_fn fn, void *userdata, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    s->warn = fn;
    s->warn_userdata = userdata;
    return 0;
}

/* The latest addition of inst: an instrument added twice is configured after each add. */
static inst_state *state_of(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err)
{
    size_t i;

    for (i = s->n_insts; i-- > 0;)
        if (s->insts[i].def == inst)
            return &s->insts[i];
    rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "instrument not added to the scorer");
    return NULL;
}

inst_state *rfsi_scorer_state_of(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err)
{
    return state_of(s, inst, err);
}

int rfs_scorer_set_columns(rfs_scorer *s, const rfs_instrument *inst, const char *prefix, const char *suffix,
                           rfs_error *err)
{
    inst_state *st;

    if (configurable(s, err) < 0 || !(st = state_of(s, inst, err)))
        return -1;
    if (prefix && rfsi_set_string(&st->prefix, prefix, err) < 0)
        return -1;
    if (suffix && rfsi_set_string(&st->suffix, suffix, err) < 0)
        return -1;
    return 0;
}

int rfs_scorer_map_item(rfs_scorer *s, const rfs_instrument *inst, size_t item, const char *column, rfs_error *err)
{
    inst_state *st;

    if (configurable(s, err) < 0 || !(st = state_of(s, inst, err)))
        return -1;
    if (item < 1 || item > inst->n_items)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "%s has no item %zu (items 1..%zu)", inst->id, item,
                         inst->n_items);
    if (!column || !*column)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty column name for item %zu of %s", item, inst->id);
    if (!st->mapped && !(st->mapped = calloc(inst->n_items, sizeof *st->mapped)))
        return rfsi_nomem(err);
    return rfsi_set_string(&st->mapped[item - 1], column, err);
}

size_t rfs_scorer_warning_count(const rfs_scorer *s)
{
    return s ? s->warnings.n : 0;
}

const char *rfs_scorer_warning(const rfs_scorer *s, size_t i, const char **code, const char **instrument)
{
    const rfsi_warning *w;

    if (!s || i >= s->warnings.n)
        return NULL;
    w = &s->warnings.list[i];
    if (code)
        *code = w->code;
    if (instrument)
        *instrument = w->inst == RFSI_NO_INSTRUMENT ? "" : s->insts[w->inst].inst->id;
    return w->message;
}

void rfs_scorer_counts(const rfs_scorer *s, rfs_counts *out)
{
    if (!out)
        return;
    if (!s) {
        memset(out, 0, sizeof *out);
        return;
    }
    *out = s->counts;
    out->rows_written = s->out.rows_delivered;
}

#define MAX_FRAGMENTS 4096 /* per scale: 36 items of 7 values fit */

static int build_fragment_tables(inst_state *st, size_t stride)
{
    const rfs_instrument *inst = st->inst;
    size_t k;

    st->fragments = calloc(inst->n_scales + 1, sizeof *st->fragments);
    if (!st->fragments)
        return -1;
    for (k = 0; k < inst->n_scales; k++) {
        const rfsi_scale *sc = &inst->scales[k];
        size_t span = (size_t)(sc->value_max - sc->value_min), n, total = 0;
        for (n = 0; n <= sc->n_items && total <= MAX_FRAGMENTS; n++)
            total += n * span + 1;
        if (total > MAX_FRAGMENTS)
            continue;
        st->fragments[k].stride = stride;
        st->fragments[k].cells = calloc(total, stride);
        st->fragments[k].base = malloc((sc->n_items + 1) * sizeof *st->fragments[k].base);
        if (!st->fragments[k].cells || !st->fragments[k].base)
            return -1;
        for (total = 0, n = 0; n <= sc->n_items; n++) {
            st->fragments[k].base[n] = total;
            total += n * span + 1;
        }
    }
    return 0;
}

/* Applies overrides to every instrument once, when input starts. */
/* The column of each item: a mapping, else the prefix (for items whose column the
 * definition does not name) and number, then the suffix. */
static int resolve_item_names(inst_state *st)
{
    const rfs_instrument *inst = st->inst;
    size_t k;

    st->item_names = calloc(inst->n_items, sizeof *st->item_names);
    if (!st->item_names)
        return -1;
    for (k = 0; k < inst->n_items; k++) {
        const char *col = inst->items[k].column, *suffix = st->suffix ? st->suffix : "";
        char num[24];
        int is_default;
        snprintf(num, sizeof num, "%zu", k + 1);
        is_default = strlen(col) == strlen(inst->column_prefix) + strlen(num) &&
                     strncmp(col, inst->column_prefix, strlen(inst->column_prefix)) == 0 &&
                     strcmp(col + strlen(inst->column_prefix), num) == 0;
        if (st->mapped && st->mapped[k]) {
            st->item_names[k] = strdup(st->mapped[k]);
        } else {
            const char *base = st->prefix && is_default ? st->prefix : "";
            const char *rest = st->prefix && is_default ? num : col;
            st->item_names[k] = malloc(strlen(base) + strlen(rest) + strlen(suffix) + 1);
            if (st->item_names[k])
                sprintf(st->item_names[k], "%s%s%s", base, rest, suffix);
        }
        if (!st->item_names[k])
            return -1;
    }
    return 0;
}

int rfsi_apply_configuration(rfs_scorer *s, rfs_error *err)
{
    size_t i, k;

    if (s->format == RFSI_FMT_REDCAP && s->long_format)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "a REDCap import has one row per record and event: --long does not apply to --format redcap");
    if (s->by_name && !s->report)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "report groups (\"%s\") without a report", s->by_name);
    if (s->row_numbers && s->n_id_names)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no id column (row numbers) and an id column \"%s\": choose one",
                         s->id_names[0]);
    if (s->format == RFSI_FMT_REDCAP && s->row_numbers)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "a REDCap import needs the record id: row numbers do not apply "
                         "to --format redcap");
    for (i = 1; s->format == RFSI_FMT_REDCAP && i < s->n_id_names; i++)
        if (strncmp(s->id_names[i], "redcap_", 7) != 0)
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                             "id column \"%s\": a REDCap import has one record id (REDCap's own event and repeat "
                             "columns are keys already)", s->id_names[i]);
    for (i = 0; i < s->n_insts; i++)
        for (k = 0; k < i; k++)
            if (strcmp(s->insts[i].inst->id, s->insts[k].inst->id) == 0)
                return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                                 "instrument '%s' is scored twice under one name: give the second another output "
                                 "name (--as NAME)", s->insts[i].inst->id);
    if (s->format == RFSI_FMT_JSONL && (s->out_delimiter || s->bom || s->numcache->point == ','))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "JSON lines have no delimiter, byte order mark or decimal comma: use --format csv or tsv");
    if (s->format == RFSI_FMT_REDCAP && ((s->out_delimiter && s->out_delimiter != ',') || s->numcache->point == ','))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "a REDCap import is comma-separated with decimal points: no other delimiter or mark");
    if (s->numcache->point == ',' &&
        (s->out_delimiter ? s->out_delimiter : s->format == RFSI_FMT_TSV ? '\t' : ',') == ',')
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "a decimal comma needs another delimiter: ';' or tab (--output-delimiter)");

    if (s->report) {
        const rfs_instrument **list = malloc((s->n_insts + 1) * sizeof *list);
        if (!list)
            return rfsi_nomem(err);
        for (i = 0; i < s->n_insts; i++)
            list[i] = s->insts[i].inst;
        s->study = rfsi_study_new(list, s->n_insts);
        free(list);
        if (!s->study)
            return rfsi_nomem(err);
        rfsi_study_set_all_rows(s->study, s->report_all_rows);
    }
    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        const rfs_instrument *inst = st->inst;
        rfsi_thresholds *th = &st->th;
        if (s->thresholds[0].set) {
            th->has_longstring_max = 1;
            th->longstring_max = (long)s->thresholds[0].value;
        }
        if (s->thresholds[1].set) {
            th->has_irv_min = 1;
            th->irv_min = s->thresholds[1].value;
        }
        if (s->thresholds[2].set)
            th->even_odd_min = s->thresholds[2].value;
        if (s->thresholds[3].set)
            th->synonyms_min = s->thresholds[3].value;
        if (s->thresholds[4].set)
            th->antonyms_max = s->thresholds[4].value;
        if (s->thresholds[5].set)
            th->seconds_per_item = s->thresholds[5].value;
        st->missing_types =
            calloc(inst->n_missing_types + s->n_extra + RFSI_N_REDCAP_CODES + 1, sizeof *st->missing_types);
        if (!st->missing_types || resolve_item_names(st) < 0)
            return rfsi_nomem(err);
        for (k = 0; k < RFSI_N_REDCAP_CODES; k++)
            st->missing_types[inst->n_missing_types + s->n_extra + k] = rfsi_redcap_types[k];
        for (k = 0; k < inst->n_missing_types; k++)
            st->missing_types[k] = inst->missing_types[k];
        for (k = 0; k < s->n_extra; k++) {
            long v;
            char *end;
            st->missing_types[inst->n_missing_types + k] = s->extra[k].type;
            v = strtol(s->extra[k].code, &end, 10);
            if (*end == '\0' && v >= inst->min && v <= inst->max)
                return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                                 "missing code %s is inside the response range %ld..%ld of %s", s->extra[k].code,
                                 inst->min, inst->max, inst->id);
        }
        if (inst->n_missing_types + s->n_extra + RFSI_N_REDCAP_CODES > 250)
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "too many missing types");
        if (build_fragment_tables(st, s->format == RFSI_FMT_JSONL ? FRAGMENT_JSON : FRAGMENT_CSV) < 0 || !(st->itemtotal = rfsi_itemtotal_new(inst)))
            return rfsi_nomem(err);
        if (rfsi_fastkey_size(inst) && !st->fastkey) {
            void *mem = malloc(rfsi_fastkey_size(inst));
            long v;
            if (!mem || !(st->codes = malloc(inst->n_items + RFSI_FASTKEY_RUN_PAD)) ||
                !(st->plain_none = calloc(inst->n_items + 1, sizeof *st->plain_none))) {
                free(mem);
                return rfsi_nomem(err);
            }
            st->fastkey = rfsi_fastkey_build(inst, mem);
            memset(st->code_of, rfsi_fastkey_none(st->fastkey), sizeof st->code_of);
            for (v = inst->min < 0 ? 0 : inst->min; v <= inst->max && v <= 9; v++)
                st->code_of['0' + v] = (unsigned char)(v - inst->min);
        }
        for (k = 0, st->n_item_outputs = 0; k < inst->n_items; k++)
            st->n_item_outputs += inst->items[k].output != NULL;
        st->seen_min = inst->max + 1;
        st->seen_max = inst->min - 1;
        for (k = 0; k < inst->n_scales; k++) {
            const rfsi_scale *sc = &inst->scales[k];
            st->min_answered[k] = sc->min_answered;
            if (!s->has_override || sc->kind == RFSI_SCORE_SUM)
                continue;
            st->min_answered[k] = rfsi_min_rule_resolve(s->override, sc->n_items);
            if (st->min_answered[k] > sc->n_items)
                return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                                 "minimum of %zu answered items is more than the %zu items of scale %s_%s",
                                 st->min_answered[k], sc->n_items, inst->id, sc->id);
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ output */


/* rfs_scorer: header -> column plan once; then per record, cells -> responses ->
 * scores, indices and flags -> one output row. No allocation per row once the buffers
 * have grown to the widest row. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "cell.h"
#include "colindex.h"
#include "csv_reader.h"
#include "error.h"
#include "flags.h"
#include "idset.h"
#include "instrument.h"
#include "numfmt.h"
#include "rfscore.h"
#include "score.h"
#include "validity.h"
#include "writer.h"
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

static void free_plan(rfs_scorer *s)
{
    free(s->header_names);
    free(s->first_target);
    free(s->targets);
    free(s->keep_cols);
    free(s->copy_col);
    free(s->fast_lo);
    free(s->fast_hi);
    free(s->cellbyte);
    free(s->text_off);
    free(s->text_len);
    s->header_names = NULL;
    s->first_target = NULL;
    s->targets = NULL;
    s->keep_cols = NULL;
    s->copy_col = NULL;
    s->fast_lo = s->fast_hi = s->cellbyte = NULL;
    s->text_off = s->text_len = NULL;
    s->n_targets = 0;
}

void rfs_scorer_free(rfs_scorer *s)
{
    size_t i;

    if (!s)
        return;
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
        if (st->fragments) {
            size_t k;
            for (k = 0; k < st->inst->n_scales; k++) {
                free(st->fragments[k].cells);
                free(st->fragments[k].base);
            }
            free(st->fragments);
        }
    }
    free(s->insts);
    free(s->id_name);
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
    free(s->header_off);
    free_plan(s);
    rfsi_buf_free(&s->row_text);
    rfsi_buf_free(&s->flags);
    free(s->numcache);
    free(s);
}

/* ----------------------------------------------------------- configuration */

static int configurable(rfs_scorer *s, rfs_error *err)
{
    if (s->configured || s->failed)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer cannot be configured after input was fed");
    return 0;
}

int rfs_scorer_add_instrument(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err)
{
    inst_state *p, *st;
    size_t n_scores = rfs_instrument_score_count(inst), k = inst->n_items;

    if (configurable(s, err) < 0)
        return -1;
    p = realloc(s->insts, (s->n_insts + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->insts = p;
    st = &p[s->n_insts];
    memset(st, 0, sizeof *st);
    st->inst = inst;
    rfsi_thresholds_from(inst, &st->th);
    st->min_answered = calloc(inst->n_scales + 1, sizeof *st->min_answered);
    st->resp = calloc(k, sizeof *st->resp);
    st->bad_off = calloc(k, sizeof *st->bad_off);
    st->bad_len = calloc(k, sizeof *st->bad_len);
    st->res = calloc(n_scores + 1, sizeof *st->res);
    st->status_rows = calloc(n_scores + 1, sizeof *st->status_rows);
    st->item_col = calloc(k, sizeof *st->item_col);
    s->n_insts++; /* counted now so rfs_scorer_free releases a half-built state */
    if (!st->min_answered || !st->resp || !st->bad_off || !st->bad_len || !st->res || !st->status_rows ||
        !st->item_col)
        return rfsi_nomem(err);
    return 0;
}

static int set_string(char **dst, const char *v, rfs_error *err)
{
    char *c = strdup(v ? v : "");

    if (!c)
        return rfsi_nomem(err);
    free(*dst);
    *dst = c;
    return 0;
}

int rfs_scorer_set_id_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty id column name");
    return set_string(&s->id_name, name, err);
}

int rfs_scorer_set_duration_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty duration column name");
    return set_string(&s->duration_name, name, err);
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

int rfs_scorer_set_duplicate_check(rfs_scorer *s, int on, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    s->check_ids = on != 0;
    return 0;
}

int rfs_scorer_set_input_name(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    return set_string(&s->input_name, name, err);
}

int rfs_scorer_set_output(rfs_scorer *s, rfs_write_fn fn, void *userdata, rfs_error *err)
{
    if (configurable(s, err) < 0)
        return -1;
    if (!fn)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no output function");
    s->out.fn = fn;
    s->out.userdata = userdata;
    s->output_set = 1;
    return 0;
}

void rfs_scorer_counts(const rfs_scorer *s, rfs_counts *out)
{
    *out = s->counts;
}

#define MAX_FRAGMENTS 4096 /* per scale: 36 items of 7 values fit */

static int build_fragment_tables(inst_state *st)
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
        st->fragments[k].cells = calloc(total, sizeof *st->fragments[k].cells);
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
static int apply_configuration(rfs_scorer *s, rfs_error *err)
{
    size_t i, k;

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
        st->missing_types = calloc(inst->n_missing_types + s->n_extra + 1, sizeof *st->missing_types);
        if (!st->missing_types)
            return rfsi_nomem(err);
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
        if (inst->n_missing_types + s->n_extra > 250)
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "too many missing types");
        if (build_fragment_tables(st) < 0)
            return rfsi_nomem(err);
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

static int out_error(rfs_scorer *s)
{
    return rfsi_fail(s->err, RFS_E_OUTPUT, NULL, 0, 0, "cannot write output");
}

static int put(rfs_scorer *s, const char *text)
{
    return rfsi_writer_raw(&s->out, text, strlen(text));
}

/* A header cell ",<inst>_<name><suffix>". */
static int put_colname(rfs_scorer *s, const char *inst, const char *name, const char *suffix)
{
    return rfsi_writer_raw(&s->out, ",", 1) | put(s, inst) | rfsi_writer_raw(&s->out, "_", 1) | put(s, name) |
           put(s, suffix);
}

static int write_header(rfs_scorer *s)
{
    size_t i, k;
    int rc = 0;

    rc |= rfsi_writer_field(&s->out, s->header_names[s->id_col], strlen(s->header_names[s->id_col]));
    for (k = 0; k < s->n_keep; k++) {
        const char *name = s->header_names[s->keep_cols[k]];
        rc |= rfsi_writer_raw(&s->out, ",", 1) | rfsi_writer_field(&s->out, name, strlen(name));
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        const rfsi_validity *va = &inst->validity;
        for (k = 0; k < inst->n_scales; k++)
            rc |= put_colname(s, inst->id, inst->scales[k].id, "") |
                  put_colname(s, inst->id, inst->scales[k].id, "_n") |
                  put_colname(s, inst->id, inst->scales[k].id, "_status");
        for (k = 0; k < inst->n_derived; k++)
            rc |= put_colname(s, inst->id, inst->derived[k].id, "") |
                  put_colname(s, inst->id, inst->derived[k].id, "_status");
        rc |= put_colname(s, inst->id, "longstring", "") | put_colname(s, inst->id, "irv", "");
        if (va->n_even_odd >= 2)
            rc |= put_colname(s, inst->id, "even_odd", "");
        if (va->n_synonyms)
            rc |= put_colname(s, inst->id, "synonyms", "");
        if (va->n_antonyms)
            rc |= put_colname(s, inst->id, "antonyms", "");
        rc |= put_colname(s, inst->id, "valid", "") | put_colname(s, inst->id, "flags", "");
    }
    rc |= rfsi_writer_endrow(&s->out);
    return rc ? out_error(s) : 0;
}

static int put_num(rfs_scorer *s, int has, double v)
{
    char num[RFSI_NUMFMT_MAX];

    if (rfsi_writer_raw(&s->out, ",", 1) < 0)
        return -1;
    return has ? rfsi_writer_raw(&s->out, num, rfsi_numcache_fmt(s->numcache, num, v)) : 0;
}

/* ",score,n,status" of a scale, from its fragment table when it has one. */
static int put_scale(rfs_scorer *s, inst_state *st, size_t k, const rfsi_score_result *r)
{
    const fragment_table *ft = &st->fragments[k];
    scale_fragment *f;
    char tmp[64];
    size_t len = 0, n;

    if (ft->cells) {
        f = &ft->cells[ft->base[r->n] + (size_t)(r->sum - (long)r->n * st->inst->scales[k].value_min)];
        if (f->len)
            return rfsi_writer_raw(&s->out, f->text, f->len);
    } else {
        f = NULL;
    }
    tmp[len++] = ',';
    if (r->status == RFSI_STATUS_OK)
        len += rfsi_numcache_fmt(s->numcache, tmp + len, r->value);
    tmp[len++] = ',';
    len += rfsi_fmt_ulong(tmp + len, r->n);
    tmp[len++] = ',';
    n = strlen(rfsi_status_name((rfsi_score_status)r->status));
    memcpy(tmp + len, rfsi_status_name((rfsi_score_status)r->status), n);
    len += n;
    if (f && len <= sizeof f->text) {
        memcpy(f->text, tmp, len);
        f->len = (unsigned char)len;
    }
    return rfsi_writer_raw(&s->out, tmp, len);
}

static void fill_fast_responses(const rfs_scorer *s, inst_state *st);

static int any_not_ok(const inst_state *st)
{
    size_t i;

    for (i = 0; i < st->inst->n_scales; i++)
        if (st->res[i].status != RFSI_STATUS_OK)
            return 1;
    return 0;
}

/* Scores the row for one instrument and writes its columns. */
static int write_instrument(rfs_scorer *s, inst_state *st, int has_duration, double duration,
                            unsigned long long id_count, int *invalid)
{
    const rfs_instrument *inst = st->inst;
    const rfsi_validity *va = &inst->validity;
    size_t i, n_scores = inst->n_scales + inst->n_derived;
    char num[RFSI_NUMFMT_MAX];
    rfsi_row_facts row;
    long kinds;
    int rc = 0;

    fill_fast_responses(s, st);
    rfsi_score(inst, st->min_answered, st->resp, st->res);
    rfsi_indices_compute(inst, st->resp, &st->ix);
    for (i = 0; i < inst->n_scales; i++) {
        rc |= put_scale(s, st, i, &st->res[i]);
        st->status_rows[i][st->res[i].status]++;
    }
    for (; i < n_scores; i++) {
        const rfsi_score_result *r = &st->res[i];
        rc |= put_num(s, r->status == RFSI_STATUS_OK, r->value);
        rc |= rfsi_writer_raw(&s->out, ",", 1) | put(s, rfsi_status_name((rfsi_score_status)r->status));
        st->status_rows[i][r->status]++;
    }
    rc |= rfsi_writer_raw(&s->out, ",", 1) | rfsi_writer_raw(&s->out, num, rfsi_fmt_ulong(num, st->ix.longstring));
    rc |= put_num(s, st->ix.has_irv, st->ix.irv);
    if (va->n_even_odd >= 2)
        rc |= put_num(s, st->ix.has_even_odd, st->ix.even_odd);
    if (va->n_synonyms)
        rc |= put_num(s, st->ix.has_synonyms, st->ix.synonyms);
    if (va->n_antonyms)
        rc |= put_num(s, st->ix.has_antonyms, st->ix.antonyms);

    /* Most rows are clean: decide that without building anything. */
    if (!(st->row_answered == 0 || st->row_invalid || st->row_typed || id_count > 1 || va->n_attention ||
          has_duration || (st->th.has_longstring_max && st->ix.longstring > (size_t)st->th.longstring_max) ||
          (st->th.has_irv_min && st->ix.has_irv) || st->ix.has_even_odd || st->ix.has_synonyms ||
          st->ix.has_antonyms || any_not_ok(st))) {
        st->row_answered = st->row_invalid = st->row_typed = 0;
        return rc | rfsi_writer_raw(&s->out, ",1,", 3);
    }
    st->row_answered = st->row_invalid = st->row_typed = 0;
    row.resp = st->resp;
    row.res = st->res;
    row.min_answered = st->min_answered;
    row.ix = &st->ix;
    row.text = s->row_text.data;
    row.bad_off = st->bad_off;
    row.bad_len = st->bad_len;
    row.missing_types = st->missing_types;
    row.has_duration = has_duration;
    row.duration = duration;
    row.id_count = id_count;
    kinds = rfsi_flags_build(inst, &st->th, &row, &s->flags);
    if (kinds < 0)
        return -1;
    for (i = 0; i < RFSI_FLAG_COUNT; i++)
        st->flag_rows[i] += (kinds >> i) & 1;
    if ((unsigned long)kinds & st->th.invalid_mask) {
        *invalid = 1;
        st->invalid_rows++;
    }
    rc |= rfsi_writer_raw(&s->out, ((unsigned long)kinds & st->th.invalid_mask) ? ",0," : ",1,", 3);
    rc |= rfsi_writer_field(&s->out, s->flags.data ? s->flags.data : "", s->flags.len);
    return rc;
}

/* ------------------------------------------------------------------ header */

static int header_field(rfs_scorer *s, const char *data, size_t len, size_t col)
{
    size_t *p;

    if (col >= s->header_cap) {
        s->header_cap = s->header_cap ? s->header_cap * 2 : 64;
        p = realloc(s->header_off, s->header_cap * sizeof *p);
        if (!p)
            return rfsi_nomem(s->err);
        s->header_off = p;
    }
    while (len && (*data == ' ' || *data == '\t')) {
        data++;
        len--;
    }
    while (len && (data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    if (memchr(data, '\0', len))
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_field_column(s->csv, col),
                         "NUL byte in the name of column %zu (is this a UTF-16 or binary file?)", col + 1);
    s->header_off[col] = s->header_text.len;
    if (rfsi_buf_append(&s->header_text, data, len) < 0 || rfsi_buf_putc(&s->header_text, '\0') < 0)
        return rfsi_nomem(s->err);
    s->ncols = col + 1;
    return 0;
}

static int add_target(rfs_scorer *s, size_t col, size_t inst, size_t item)
{
    target *t = realloc(s->targets, (s->n_targets + 1) * sizeof *t);

    if (!t)
        return rfsi_nomem(s->err);
    s->targets = t;
    t[s->n_targets].st = NULL; /* pointers into s->insts are set once all targets exist */
    t[s->n_targets].resp = NULL;
    t[s->n_targets].item = item;
    t[s->n_targets].min = (long)inst; /* the instrument index, until then */
    t[s->n_targets].next = s->first_target[col];
    s->first_target[col] = s->n_targets++;
    return 0;
}

static void bind_targets(rfs_scorer *s)
{
    size_t t;

    for (t = 0; t < s->n_targets; t++) {
        target *g = &s->targets[t];
        inst_state *st = &s->insts[g->min];
        g->st = st;
        g->resp = &st->resp[g->item];
        g->min = st->inst->min;
        g->max = st->inst->max;
    }
}

/* A column takes the fast path for the digits that every item it feeds accepts. */
static void plan_fast_path(rfs_scorer *s)
{
    size_t col, t;

    for (col = 0; col < s->ncols; col++) {
        long lo = 0, hi = 9;
        if (s->first_target[col] == NONE || s->copy_col[col])
            continue;
        for (t = s->first_target[col]; t != NONE; t = s->targets[t].next) {
            if (s->targets[t].min > lo)
                lo = s->targets[t].min;
            if (s->targets[t].max < hi)
                hi = s->targets[t].max;
        }
        if (lo <= hi) {
            s->fast_lo[col] = (unsigned char)('0' + lo);
            s->fast_hi[col] = (unsigned char)('0' + hi);
        }
    }
}

/* A named column (id, keep, duration) or a usage error with the closest names. */
static size_t find_named(rfs_scorer *s, const rfsi_colindex *ix, const char *name, const char *what)
{
    size_t col = rfsi_colindex_find(ix, name);
    char close[300];

    if (col == NONE) {
        rfsi_colindex_closest(ix, name, 3, close, sizeof close);
        rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0, "no %s column \"%s\" in the header; closest: %s", what,
                  name, close);
    }
    return col;
}

static int plan_columns(rfs_scorer *s)
{
    rfsi_colindex ix;
    size_t i, k, a, b;
    char close[300];
    int rc = -1;

    free_plan(s);
    s->id_col = s->duration_col = NONE;
    s->header_names = malloc(s->ncols * sizeof *s->header_names);
    s->first_target = malloc(s->ncols * sizeof *s->first_target);
    s->copy_col = calloc(s->ncols, 1);
    s->fast_lo = malloc(s->ncols);
    s->fast_hi = malloc(s->ncols);
    s->cellbyte = malloc(s->ncols);
    s->text_off = calloc(s->ncols, sizeof *s->text_off);
    s->text_len = calloc(s->ncols, sizeof *s->text_len);
    s->keep_cols = calloc(s->n_keep + 1, sizeof *s->keep_cols);
    if (!s->header_names || !s->first_target || !s->copy_col || !s->text_off || !s->text_len || !s->keep_cols ||
        !s->fast_lo || !s->fast_hi || !s->cellbyte)
        return rfsi_nomem(s->err);
    memset(s->fast_lo, 1, s->ncols);
    memset(s->fast_hi, 0, s->ncols);
    for (i = 0; i < s->ncols; i++) {
        s->header_names[i] = s->header_text.data + s->header_off[i];
        s->first_target[i] = NONE;
    }
    switch (rfsi_colindex_build(&ix, s->header_names, s->ncols, &a, &b)) {
    case -1:
        return rfsi_nomem(s->err);
    case 1:
        rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, rfsi_csv_field_column(s->csv, b),
                  "duplicate column name \"%s\" (columns %zu and %zu; names match ignoring case and "
                  "surrounding spaces)", s->header_names[b], a + 1, b + 1);
        goto out;
    }
    if (s->id_name) {
        if ((s->id_col = find_named(s, &ix, s->id_name, "id")) == NONE)
            goto out;
    } else {
        static const char *const defaults[] = {"id", "record_id", "participant_id"};
        for (k = 0; k < 3 && s->id_col == NONE; k++)
            s->id_col = rfsi_colindex_find(&ix, defaults[k]);
        if (s->id_col == NONE) {
            rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0,
                      "no id column: the header has none of id, record_id, participant_id; "
                      "name the id column with --id COLUMN");
            goto out;
        }
    }
    s->copy_col[s->id_col] = 1;
    if (s->duration_name) {
        if ((s->duration_col = find_named(s, &ix, s->duration_name, "duration")) == NONE)
            goto out;
        s->copy_col[s->duration_col] = 1;
    }
    for (k = 0; k < s->n_keep; k++) {
        if ((s->keep_cols[k] = find_named(s, &ix, s->keep_names[k], "kept")) == NONE)
            goto out;
        s->copy_col[s->keep_cols[k]] = 1;
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        for (k = 0; k < inst->n_items; k++) {
            size_t col = rfsi_colindex_find(&ix, inst->items[k].column);
            if (col == NONE) {
                rfsi_colindex_closest(&ix, inst->items[k].column, 3, close, sizeof close);
                rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, 0, "no column \"%s\" for item %zu of %s; closest: %s",
                          inst->items[k].column, k + 1, inst->id, close);
                goto out;
            }
            if (add_target(s, col, i, k) < 0)
                goto out;
            s->insts[i].item_col[k] = col;
        }
    }
    bind_targets(s);
    plan_fast_path(s);
    rc = 0;
out:
    rfsi_colindex_free(&ix);
    return rc;
}

/* -------------------------------------------------------------- data rows */

/* Missing codes given to the scorer: tried only on cells the instrument finds invalid. */
static void extra_missing(rfs_scorer *s, inst_state *st, const char *data, size_t len, rfsi_response *r)
{
    size_t k;

    while (len && (*data == ' ' || *data == '\t')) {
        data++;
        len--;
    }
    while (len && (data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    for (k = 0; k < s->n_extra; k++) {
        const char *c = s->extra[k].code;
        if (strlen(c) == len && strncasecmp(c, data, len) == 0) {
            r->state = RFSI_MISSING;
            r->missing_type = (unsigned char)(st->inst->n_missing_types + k + 1);
            return;
        }
    }
}

/* A cell that is not a single in-range digit: the full rules, and the bookkeeping for
 * missing and invalid answers. Kept out of on_field so the common path stays small. */
static void warn_invalid(rfs_scorer *s, const target *g, size_t col, const char *v, size_t len)
{
    const rfs_instrument *inst = g->st->inst;
    rfs_error e;
    char shown[64];
    size_t i;

    for (i = 0; i < len && i < sizeof shown - 4; i++)
        shown[i] = ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
    if (i < len)
        memcpy(shown + i, "...", 3), i += 3;
    shown[i] = '\0';
    rfs_error_clear(&e);
    rfsi_fail(&e, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_field_column(s->csv, col),
              "column \"%s\" (item %zu of %s): \"%s\" is not an answer (%ld..%ld)%s, a missing code or NA; "
              "scored as missing", inst->items[g->item].column, g->item + 1, inst->id, shown, inst->min, inst->max,
              inst->n_values ? ", a value label" : "");
    s->warn(&e, s->warn_userdata);
}

RFSI_NOINLINE static int slow_cell(rfs_scorer *s, const target *g, size_t col, const char *data, size_t len)
{
    inst_state *st = g->st;
    rfsi_response *r = g->resp;
    size_t a = 0, b = len;

    rfsi_cell_classify(st->inst, data, len, r);
    if (r->state == RFSI_INVALID && s->n_extra)
        extra_missing(s, st, data, len, r);
    if (r->state == RFSI_ANSWER) {
        st->row_answered++;
        return 0;
    }
    if (r->state == RFSI_MISSING) {
        st->row_typed += r->missing_type != 0;
        return 0;
    }
    st->row_invalid++;
    while (a < b && (data[a] == ' ' || data[a] == '\t'))
        a++;
    while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t'))
        b--;
    if (s->warn)
        warn_invalid(s, g, col, data + a, b - a);
    st->bad_off[g->item] = s->row_text.len;
    st->bad_len[g->item] = b - a;
    return rfsi_buf_append(&s->row_text, data + a, b - a) < 0 ? rfsi_nomem(s->err) : 0;
}

/* Header, id, kept and duration cells; pre-pass cells. */
RFSI_NOINLINE static int other_field(rfs_scorer *s, const char *data, size_t len, size_t col)
{
    if (!s->header_done)
        return header_field(s, data, len, col);
    if (col >= s->ncols)
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_field_column(s->csv, col),
                         "too many fields: expected %zu as in the header, found a field %zu", s->ncols, col + 1);
    s->text_off[col] = s->row_text.len;
    s->text_len[col] = len;
    if (rfsi_buf_append(&s->row_text, data, len) < 0)
        return rfsi_nomem(s->err);
    return 0;
}

#define SLOW_CELL 0xFF

static int on_field(void *ud, const char *data, size_t len, size_t col)
{
    rfs_scorer *s = ud;
    size_t t;

    /* The usual Likert cell, one digit every item of the column accepts: keep the byte;
     * the row's responses are filled from it at the end of the record. */
    if (s->header_done && col < s->ncols && len == 1 && (unsigned char)data[0] >= s->fast_lo[col] &&
        (unsigned char)data[0] <= s->fast_hi[col]) {
        s->cellbyte[col] = (unsigned char)data[0];
        return 0;
    }
    if (!s->header_done || col >= s->ncols || s->copy_col[col]) {
        if (other_field(s, data, len, col) < 0)
            return -1;
        if (!s->header_done)
            return 0;
    }
    if (s->prescanning)
        return 0;
    s->cellbyte[col] = SLOW_CELL;
    for (t = s->first_target[col]; t != NONE; t = s->targets[t].next)
        if (slow_cell(s, &s->targets[t], col, data, len) < 0)
            return -1;
    return 0;
}

/* Responses from the fast cells of the row (slow cells are already in place). */
static void fill_fast_responses(const rfs_scorer *s, inst_state *st)
{
    size_t k, n = st->inst->n_items;

    for (k = 0; k < n; k++) {
        unsigned char b = s->cellbyte[st->item_col[k]];
        if (b != SLOW_CELL) {
            st->resp[k].state = RFSI_ANSWER;
            st->resp[k].value = b - '0';
            st->resp[k].missing_type = 0;
            st->row_answered++;
        }
    }
}

/* The duration cell as seconds: a plain non-negative number, else not known. */
static int parse_duration(const char *p, size_t len, double *out)
{
    char tmp[64], *end;

    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    if (len == 0 || len >= sizeof tmp || !((*p >= '0' && *p <= '9') || *p == '.'))
        return 0;
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    errno = 0;
    *out = strtod(tmp, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    return *end == '\0' && !errno && isfinite(*out);
}

static int on_record(void *ud, size_t nfields)
{
    rfs_scorer *s = ud;
    size_t i, k;
    int invalid = 0, rc = 0, has_duration = 0;
    double duration = 0;
    unsigned long long id_count = 1;
    const char *id;
    size_t id_len;

    if (!s->header_done) {
        s->header_done = 1;
        if (plan_columns(s) < 0)
            return -1;
        return s->prescanning ? 0 : write_header(s);
    }
    if (nfields < s->ncols)
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_end_column(s->csv),
                         "too few fields: expected %zu as in the header, found %zu (record starting on line %lu)",
                         s->ncols, nfields, rfsi_csv_record_line(s->csv));
    id = s->row_text.data + s->text_off[s->id_col];
    id_len = s->text_len[s->id_col];
    if (s->prescanning) {
        s->row_text.len = 0;
        if (id_len && rfsi_idset_collect(&s->ids, rfsi_id_hash(id, id_len)) < 0)
            return rfsi_nomem(s->err);
        return 0;
    }
    s->counts.rows_read++;
    if (s->check_ids && id_len) {
        id_count = rfsi_idset_count(&s->ids, rfsi_id_hash(id, id_len));
        if (id_count == 0)
            return rfsi_nomem(s->err);
    }
    if (s->duration_col != NONE)
        has_duration = parse_duration(s->row_text.data + s->text_off[s->duration_col], s->text_len[s->duration_col],
                                      &duration);
    rc |= rfsi_writer_field(&s->out, id, id_len);
    for (k = 0; k < s->n_keep; k++)
        rc |= rfsi_writer_raw(&s->out, ",", 1) |
              rfsi_writer_field(&s->out, s->row_text.data + s->text_off[s->keep_cols[k]], s->text_len[s->keep_cols[k]]);
    for (i = 0; i < s->n_insts; i++)
        rc |= write_instrument(s, &s->insts[i], has_duration, duration, id_count, &invalid);
    rc |= rfsi_writer_endrow(&s->out);
    s->row_text.len = 0;
    if (rc)
        return s->out.failed ? out_error(s) : rfsi_nomem(s->err);
    s->counts.rows_written++;
    s->counts.rows_flagged += invalid != 0;
    return 0;
}

/* --------------------------------------------------------------- streaming */

static int start(rfs_scorer *s, rfs_error *err)
{
    if (s->csv)
        return 0;
    if (s->n_insts == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no instrument to score");
    if (!s->output_set && !s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no output set");
    if (!s->configured) {
        if (apply_configuration(s, err) < 0)
            return -1;
        s->configured = 1;
    }
    s->header_done = 0;
    s->ncols = 0;
    s->header_text.len = 0;
    s->row_text.len = 0;
    s->csv = rfsi_csv_new(s->input_name, s->delimiter, s->encoding, on_field, on_record, s);
    if (!s->csv)
        return rfsi_nomem(err);
    return 0;
}

static int feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err, int prescan)
{
    if (s->failed || s->finished || (prescan && s->prescanned) || (!prescan && s->prescanning))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has failed or finished, or a pre-pass is open");
    s->err = err;
    if (prescan && !s->csv)
        s->prescanning = 1;
    if (start(s, err) < 0 || rfsi_csv_feed(s->csv, data, len, err) < 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

int rfs_scorer_prescan(rfs_scorer *s, const char *data, size_t len, rfs_error *err)
{
    if (!s->prescanning && s->csv)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the pre-pass must come before scoring");
    return feed(s, data, len, err, 1);
}

int rfs_scorer_feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err)
{
    return feed(s, data, len, err, 0);
}

static int finish_input(rfs_scorer *s, rfs_error *err)
{
    if (start(s, err) < 0 || rfsi_csv_finish(s->csv, err) < 0) {
        s->failed = 1;
        return -1;
    }
    if (!s->header_done) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_DATA, s->input_name, 1, 0, "empty input: expected a header row");
    }
    return 0;
}

int rfs_scorer_prescan_finish(rfs_scorer *s, rfs_error *err)
{
    if (!s->prescanning && !s->csv && !s->prescanned && !s->failed)
        s->prescanning = 1; /* an empty input: the pre-pass saw no bytes */
    if (s->failed || !s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no pre-pass to finish");
    s->err = err;
    if (finish_input(s, err) < 0)
        return -1;
    if (rfsi_idset_finish(&s->ids) < 0) {
        s->failed = 1;
        return rfsi_nomem(err);
    }
    rfsi_csv_free(s->csv); /* the scoring pass starts from the header again */
    s->csv = NULL;
    s->prescanning = 0;
    s->prescanned = 1;
    return 0;
}

int rfs_scorer_finish(rfs_scorer *s, rfs_error *err)
{
    if (s->failed || s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has failed, or a pre-pass is open");
    if (s->finished)
        return 0;
    s->err = err;
    if (finish_input(s, err) < 0)
        return -1;
    s->finished = 1;
    if (rfsi_writer_flush(&s->out) < 0) {
        s->failed = 1;
        return out_error(s);
    }
    return 0;
}

static int read_all(rfs_scorer *s, FILE *in, rfs_error *err, int prescan)
{
    char buf[64 * 1024];
    size_t n;

    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (feed(s, buf, n, err, prescan) < 0)
            return -1;
    if (ferror(in)) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "read error: %s", strerror(errno));
    }
    return 0;
}

int rfs_scorer_run_file(rfs_scorer *s, FILE *in, rfs_error *err)
{
    /* With a seekable input the id pre-pass flags every occurrence of a duplicate. */
    if (s->check_ids && !s->prescanned && !s->csv && fseek(in, 0, SEEK_CUR) == 0) {
        long start_pos = ftell(in);
        if (start_pos >= 0) {
            if (read_all(s, in, err, 1) < 0 || rfs_scorer_prescan_finish(s, err) < 0)
                return -1;
            if (fseek(in, start_pos, SEEK_SET) != 0) {
                s->failed = 1;
                return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "cannot rewind the input: %s", strerror(errno));
            }
        }
    }
    if (read_all(s, in, err, 0) < 0)
        return -1;
    return rfs_scorer_finish(s, err);
}

/* rfs_scorer: header -> column plan once; then per record, cells -> responses ->
 * scores -> one output row. No allocation per row once the buffers have grown to the
 * widest row. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cell.h"
#include "colindex.h"
#include "csv_reader.h"
#include "error.h"
#include "instrument.h"
#include "numfmt.h"
#include "rfscore.h"
#include "score.h"
#include "writer.h"

#define NONE ((size_t)-1)
#define FLAG_VALUE_MAX 32 /* bytes of an invalid cell quoted in a flag */

typedef struct target {   /* an item read from a column */
    size_t inst, item, next;
} target;

typedef struct inst_state {
    const rfs_instrument *inst;
    size_t *min_answered;     /* per scale, after any override */
    rfsi_response *resp;      /* per item, for the current row */
    size_t *bad_off, *bad_len; /* per item: invalid cell text in row_text */
    rfsi_score_result *res;
} inst_state;

struct rfs_scorer {
    inst_state *insts;
    size_t n_insts;
    char *id_name;
    char **keep_names;
    size_t n_keep;
    int has_override;
    rfsi_min_rule override;
    char *input_name;
    rfsi_writer out;
    int output_set;

    rfsi_csv *csv;
    int failed, finished, header_done;

    /* header */
    rfsi_buf header_text;     /* names, each NUL-terminated */
    size_t *header_off;
    size_t ncols, header_cap;
    const char **header_names;

    /* column plan */
    size_t *first_target;     /* per column */
    target *targets;
    size_t n_targets;
    size_t id_col;
    size_t *keep_cols;
    unsigned char *copy_col;  /* per column: id or kept, text copied per row */
    size_t *text_off, *text_len;

    rfsi_buf row_text;        /* reused per row */
    rfsi_buf flags;           /* reused per row */
    rfs_counts counts;
    rfs_error *err;           /* the error of the current call */
};

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
    s->id_col = NONE;
    s->input_name = strdup("<input>");
    if (!s->input_name) {
        free(s);
        rfsi_nomem(err);
        return NULL;
    }
    return s;
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
    }
    free(s->insts);
    free(s->id_name);
    for (i = 0; i < s->n_keep; i++)
        free(s->keep_names[i]);
    free(s->keep_names);
    free(s->input_name);
    rfsi_writer_free(&s->out);
    rfsi_csv_free(s->csv);
    rfsi_buf_free(&s->header_text);
    free(s->header_off);
    free(s->header_names);
    free(s->first_target);
    free(s->targets);
    free(s->keep_cols);
    free(s->copy_col);
    free(s->text_off);
    free(s->text_len);
    rfsi_buf_free(&s->row_text);
    rfsi_buf_free(&s->flags);
    free(s);
}

static int configurable(rfs_scorer *s, rfs_error *err)
{
    if (s->csv || s->failed)
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
    st->min_answered = calloc(inst->n_scales + 1, sizeof *st->min_answered);
    st->resp = calloc(k, sizeof *st->resp);
    st->bad_off = calloc(k, sizeof *st->bad_off);
    st->bad_len = calloc(k, sizeof *st->bad_len);
    st->res = calloc(n_scores + 1, sizeof *st->res);
    s->n_insts++; /* counted now so rfs_scorer_free releases a half-built state */
    if (!st->min_answered || !st->resp || !st->bad_off || !st->bad_len || !st->res)
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
    if (rfsi_min_rule_parse(rule, &s->override) < 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "minimum answered items '%s': expected a count (5) or a percentage (80%%)",
                         rule ? rule : "");
    s->has_override = 1;
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

/* ------------------------------------------------------------------ output */

static int out_error(rfs_scorer *s)
{
    return rfsi_fail(s->err, RFS_E_OUTPUT, NULL, 0, 0, "cannot write output");
}

static int put(rfs_scorer *s, const char *text)
{
    return rfsi_writer_raw(&s->out, text, strlen(text));
}

/* A header cell "<inst>_<score><suffix>". */
static int put_colname(rfs_scorer *s, const char *inst, const char *score, const char *suffix)
{
    return rfsi_writer_raw(&s->out, ",", 1) | put(s, inst) | rfsi_writer_raw(&s->out, "_", 1) |
           put(s, score) | put(s, suffix);
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
        for (k = 0; k < inst->n_scales; k++)
            rc |= put_colname(s, inst->id, inst->scales[k].id, "") |
                  put_colname(s, inst->id, inst->scales[k].id, "_n") |
                  put_colname(s, inst->id, inst->scales[k].id, "_status");
        for (k = 0; k < inst->n_derived; k++)
            rc |= put_colname(s, inst->id, inst->derived[k].id, "") |
                  put_colname(s, inst->id, inst->derived[k].id, "_status");
        rc |= rfsi_writer_raw(&s->out, ",", 1) | put(s, inst->id) | put(s, "_valid");
        rc |= rfsi_writer_raw(&s->out, ",", 1) | put(s, inst->id) | put(s, "_flags");
    }
    rc |= rfsi_writer_endrow(&s->out);
    return rc ? out_error(s) : 0;
}

/* Adds one flag to s->flags, separated by ';'. */
static int flag(rfs_scorer *s, const char *a, const char *b)
{
    return (s->flags.len ? rfsi_buf_putc(&s->flags, ';') : 0) | rfsi_buf_puts(&s->flags, a) |
           (b ? rfsi_buf_puts(&s->flags, b) : 0);
}

/* The invalid cell's text, cut and with ';', '=' and control bytes shown as '?' so the
 * flag list stays parseable. */
static int flag_value(rfs_scorer *s, const char *v, size_t len)
{
    size_t i;
    int rc = 0;

    if (len > FLAG_VALUE_MAX)
        len = FLAG_VALUE_MAX;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        rc |= rfsi_buf_putc(&s->flags, (c < 0x20 || c == 0x7f || c == ';' || c == '=') ? '?' : (char)c);
    }
    return rc;
}

/* Scores the row for one instrument and writes its columns; returns 1 when flagged. */
static int write_instrument(rfs_scorer *s, inst_state *st, int *flagged)
{
    const rfs_instrument *inst = st->inst;
    size_t i, answered = 0;
    char num[RFSI_NUMFMT_MAX];
    int rc = 0;

    rfsi_score(inst, st->min_answered, st->resp, st->res);
    for (i = 0; i < inst->n_scales + inst->n_derived; i++) {
        const rfsi_score_result *r = &st->res[i];
        rc |= rfsi_writer_raw(&s->out, ",", 1);
        if (r->status == RFSI_STATUS_OK)
            rc |= rfsi_writer_raw(&s->out, num, rfsi_fmt_double(num, r->value));
        if (i < inst->n_scales)
            rc |= rfsi_writer_raw(&s->out, ",", 1) | rfsi_writer_raw(&s->out, num, rfsi_fmt_ulong(num, r->n));
        rc |= rfsi_writer_raw(&s->out, ",", 1) | put(s, rfsi_status_name((rfsi_score_status)r->status));
    }

    s->flags.len = 0;
    for (i = 0; i < inst->n_items; i++)
        answered += st->resp[i].state == RFSI_ANSWER;
    if (answered == 0)
        rc |= flag(s, "empty_row", NULL);
    for (i = 0; i < inst->n_items; i++)
        if (st->resp[i].state == RFSI_INVALID) {
            rc |= flag(s, "invalid_answer:", inst->items[i].column) | rfsi_buf_putc(&s->flags, '=') |
                  flag_value(s, s->row_text.data + st->bad_off[i], st->bad_len[i]);
        }
    for (i = 0; i < inst->n_scales; i++)
        if (st->res[i].status == RFSI_STATUS_TOO_FEW_ITEMS) {
            char a[RFSI_NUMFMT_MAX], b[RFSI_NUMFMT_MAX];
            rfsi_fmt_ulong(a, st->res[i].n);
            rfsi_fmt_ulong(b, inst->scales[i].kind == RFSI_SCORE_SUM ? inst->scales[i].n_items
                                                                      : st->min_answered[i]);
            rc |= flag(s, "too_few_items:", inst->scales[i].id) | rfsi_buf_putc(&s->flags, '=') |
                  rfsi_buf_puts(&s->flags, a) | rfsi_buf_putc(&s->flags, '<') | rfsi_buf_puts(&s->flags, b);
        }
    if (rc)
        return -1; /* out of memory in a buffer */
    *flagged |= s->flags.len != 0;
    rc |= rfsi_writer_raw(&s->out, s->flags.len ? ",0," : ",1,", 3);
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
    t[s->n_targets].inst = inst;
    t[s->n_targets].item = item;
    t[s->n_targets].next = s->first_target[col];
    s->first_target[col] = s->n_targets++;
    return 0;
}

static int resolve_min_answered(rfs_scorer *s)
{
    size_t i, k;

    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        for (k = 0; k < st->inst->n_scales; k++) {
            const rfsi_scale *sc = &st->inst->scales[k];
            st->min_answered[k] = sc->min_answered;
            if (!s->has_override || sc->kind == RFSI_SCORE_SUM)
                continue;
            st->min_answered[k] = rfsi_min_rule_resolve(s->override, sc->n_items);
            if (st->min_answered[k] > sc->n_items)
                return rfsi_fail(s->err, RFS_E_USAGE, NULL, 0, 0,
                                 "minimum of %zu answered items is more than the %zu items of scale %s_%s",
                                 st->min_answered[k], sc->n_items, st->inst->id, sc->id);
        }
    }
    return 0;
}

static int plan_columns(rfs_scorer *s)
{
    rfsi_colindex ix;
    size_t i, k, a, b;
    char close[300];
    int rc = -1;

    s->header_names = malloc(s->ncols * sizeof *s->header_names);
    s->first_target = malloc(s->ncols * sizeof *s->first_target);
    s->copy_col = calloc(s->ncols, 1);
    s->text_off = calloc(s->ncols, sizeof *s->text_off);
    s->text_len = calloc(s->ncols, sizeof *s->text_len);
    s->keep_cols = calloc(s->n_keep + 1, sizeof *s->keep_cols);
    if (!s->header_names || !s->first_target || !s->copy_col || !s->text_off || !s->text_len || !s->keep_cols)
        return rfsi_nomem(s->err);
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
        s->id_col = rfsi_colindex_find(&ix, s->id_name);
        if (s->id_col == NONE) {
            rfsi_colindex_closest(&ix, s->id_name, 3, close, sizeof close);
            rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0, "no id column \"%s\" in the header; closest: %s",
                      s->id_name, close);
            goto out;
        }
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
    for (k = 0; k < s->n_keep; k++) {
        s->keep_cols[k] = rfsi_colindex_find(&ix, s->keep_names[k]);
        if (s->keep_cols[k] == NONE) {
            rfsi_colindex_closest(&ix, s->keep_names[k], 3, close, sizeof close);
            rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0, "no column \"%s\" to keep; closest: %s",
                      s->keep_names[k], close);
            goto out;
        }
        s->copy_col[s->keep_cols[k]] = 1;
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        for (k = 0; k < inst->n_items; k++) {
            size_t col = rfsi_colindex_find(&ix, inst->items[k].column);
            if (col == NONE) {
                rfsi_colindex_closest(&ix, inst->items[k].column, 3, close, sizeof close);
                rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, 0,
                          "no column \"%s\" for item %zu of %s; closest: %s", inst->items[k].column, k + 1,
                          inst->id, close);
                goto out;
            }
            if (add_target(s, col, i, k) < 0)
                goto out;
        }
    }
    rc = 0;
out:
    rfsi_colindex_free(&ix);
    return rc;
}

/* -------------------------------------------------------------- data rows */

static int on_field(void *ud, const char *data, size_t len, size_t col)
{
    rfs_scorer *s = ud;
    size_t t;

    if (!s->header_done)
        return header_field(s, data, len, col);
    if (col >= s->ncols) {
        unsigned long line = rfsi_csv_line(s->csv);
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, line, rfsi_csv_field_column(s->csv, col),
                         "too many fields: expected %zu as in the header, found a field %zu", s->ncols,
                         col + 1);
    }
    if (s->copy_col[col]) {
        s->text_off[col] = s->row_text.len;
        s->text_len[col] = len;
        if (rfsi_buf_append(&s->row_text, data, len) < 0)
            return rfsi_nomem(s->err);
    }
    for (t = s->first_target[col]; t != NONE; t = s->targets[t].next) {
        inst_state *st = &s->insts[s->targets[t].inst];
        size_t item = s->targets[t].item;
        rfsi_cell_classify(st->inst, data, len, &st->resp[item]);
        if (st->resp[item].state == RFSI_INVALID) {
            size_t a = 0, b = len;
            while (a < b && (data[a] == ' ' || data[a] == '\t'))
                a++;
            while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t'))
                b--;
            st->bad_off[item] = s->row_text.len;
            st->bad_len[item] = b - a;
            if (rfsi_buf_append(&s->row_text, data + a, b - a) < 0)
                return rfsi_nomem(s->err);
        }
    }
    return 0;
}

static int on_record(void *ud, size_t nfields)
{
    rfs_scorer *s = ud;
    size_t i, k;
    int flagged = 0, rc = 0;

    if (!s->header_done) {
        s->header_done = 1;
        if (resolve_min_answered(s) < 0 || plan_columns(s) < 0)
            return -1;
        return write_header(s);
    }
    s->counts.rows_read++;
    if (nfields < s->ncols)
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_end_column(s->csv),
                         "too few fields: expected %zu as in the header, found %zu (record starting on "
                         "line %lu)", s->ncols, nfields, rfsi_csv_record_line(s->csv));
    rc |= rfsi_writer_field(&s->out, s->row_text.data + s->text_off[s->id_col], s->text_len[s->id_col]);
    for (k = 0; k < s->n_keep; k++)
        rc |= rfsi_writer_raw(&s->out, ",", 1) |
              rfsi_writer_field(&s->out, s->row_text.data + s->text_off[s->keep_cols[k]],
                                s->text_len[s->keep_cols[k]]);
    for (i = 0; i < s->n_insts; i++)
        rc |= write_instrument(s, &s->insts[i], &flagged);
    rc |= rfsi_writer_endrow(&s->out);
    s->row_text.len = 0;
    if (rc)
        return s->out.failed ? out_error(s) : rfsi_nomem(s->err);
    s->counts.rows_written++;
    s->counts.rows_flagged += flagged != 0;
    return 0;
}

/* --------------------------------------------------------------- streaming */

static int start(rfs_scorer *s, rfs_error *err)
{
    if (s->csv)
        return 0;
    if (s->n_insts == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no instrument to score");
    if (!s->output_set)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no output set");
    s->csv = rfsi_csv_new(s->input_name, ',', on_field, on_record, s);
    if (!s->csv)
        return rfsi_nomem(err);
    return 0;
}

int rfs_scorer_feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err)
{
    if (s->failed || s->finished)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has already failed or finished");
    s->err = err;
    if (start(s, err) < 0 || rfsi_csv_feed(s->csv, data, len, err) < 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

int rfs_scorer_finish(rfs_scorer *s, rfs_error *err)
{
    if (s->failed)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has already failed");
    if (s->finished)
        return 0;
    s->err = err;
    if (start(s, err) < 0 || rfsi_csv_finish(s->csv, err) < 0) {
        s->failed = 1;
        return -1;
    }
    s->finished = 1;
    if (!s->header_done) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_DATA, s->input_name, 1, 0, "empty input: expected a header row");
    }
    if (rfsi_writer_flush(&s->out) < 0) {
        s->failed = 1;
        return out_error(s);
    }
    return 0;
}

int rfs_scorer_run_file(rfs_scorer *s, FILE *in, rfs_error *err)
{
    char buf[64 * 1024];
    size_t n;

    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (rfs_scorer_feed(s, buf, n, err) < 0)
            return -1;
    if (ferror(in)) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "read error");
    }
    return rfs_scorer_finish(s, err);
}

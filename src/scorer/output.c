/* Output rows, in any format: CSV, TSV, JSON lines or a REDCap import file, wide (one
 * row per respondent) or long (one row per respondent and score); and the header that
 * names the columns. Every value goes through one of a few cell writers, so formats
 * differ only there. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "scorer.h"
#include "scoring/transform.h"

int rfsi_out_error(rfs_scorer *s)
{
    if (s->out.nomem)
        return rfsi_nomem(s->err);
    return rfsi_fail(s->err, RFS_E_OUTPUT, NULL, 0, 0, "cannot write output");
}

static char sep_of(const rfs_scorer *s)
{
    return s->out_delimiter ? s->out_delimiter : s->format == RFSI_FMT_TSV ? '\t' : ',';
}

/* ------------------------------------------------------------- column names */

static int add_name(rfs_scorer *s, const char *a, const char *b, const char *c)
{
    if (s->n_colnames == s->colname_cap) {
        size_t cap = s->colname_cap ? s->colname_cap * 2 : 64, *p = realloc(s->colname_off, cap * sizeof *p);
        if (!p)
            return -1;
        s->colname_off = p;
        s->colname_cap = cap;
    }
    s->colname_off[s->n_colnames++] = s->colnames.len;
    return rfsi_buf_puts(&s->colnames, a) | (b ? rfsi_buf_putc(&s->colnames, '_') | rfsi_buf_puts(&s->colnames, b) : 0) |
           (c ? rfsi_buf_puts(&s->colnames, c) : 0) | rfsi_buf_putc(&s->colnames, '\0');
}

static const char *colname(const rfs_scorer *s, size_t i)
{
    return s->colnames.data + s->colname_off[i];
}

/* Kept columns in the output: in a REDCap import only REDCap's own keys are fields. */
static int kept_in_output(const rfs_scorer *s, size_t k)
{
    return s->format != RFSI_FMT_REDCAP || strncmp(s->header_names[s->keep_cols[k]], "redcap_", 7) == 0;
}

/* After the scores (wide format only): POMP rescalings, bands, categorical items, and
 * norms with their status, in that order (docs/output.md). */
static int transform_names(rfs_scorer *s, const rfs_instrument *inst)
{
    size_t k;
    int rc = 0;

    for (k = 0; k < inst->n_scales + inst->n_derived; k++)
        if (rfsi_score_pomp(inst, k))
            rc |= add_name(s, inst->id, rfsi_score_id(inst, k), "_pomp");
    for (k = 0; k < inst->n_bandsets; k++)
        rc |= add_name(s, inst->id, rfsi_score_id(inst, inst->bandsets[k].score), "_band");
    for (k = 0; k < inst->n_items; k++)
        if (inst->items[k].output)
            rc |= add_name(s, inst->id, inst->items[k].output, NULL);
    for (k = 0; k < inst->n_norms; k++)
        rc |= add_name(s, inst->id, inst->norms[k].id, NULL) | add_name(s, inst->id, inst->norms[k].id, "_status");
    return rc;
}

static int build_names(rfs_scorer *s)
{
    size_t i, k;
    int rc = 0;

    s->colnames.len = 0;
    s->n_colnames = 0;
    rc |= add_name(s, s->format == RFSI_FMT_REDCAP ? "record_id" : s->id_col == NONE ? "row" : s->header_names[s->id_col],
                   NULL, NULL);
    for (k = 0; k < s->n_keep_cols; k++)
        if (kept_in_output(s, k))
            rc |= add_name(s, s->header_names[s->keep_cols[k]], NULL, NULL);
    if (s->long_format) {
        static const char *const cols[] = {"instrument", "scale", "score", "n", "status", "valid", "flags"};
        for (k = 0; k < sizeof cols / sizeof *cols; k++)
            rc |= add_name(s, cols[k], NULL, NULL);
        return rc;
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        const rfsi_validity *va = &inst->validity;
        size_t first = s->n_colnames;
        for (k = 0; k < inst->n_scales; k++)
            rc |= add_name(s, inst->id, inst->scales[k].id, NULL) | add_name(s, inst->id, inst->scales[k].id, "_n") |
                  add_name(s, inst->id, inst->scales[k].id, "_status");
        for (k = 0; k < inst->n_derived; k++)
            rc |= add_name(s, inst->id, inst->derived[k].id, NULL) |
                  add_name(s, inst->id, inst->derived[k].id, "_status");
        rc |= transform_names(s, inst);
        rc |= add_name(s, inst->id, "longstring", NULL) | add_name(s, inst->id, "irv", NULL);
        if (va->n_even_odd >= 2)
            rc |= add_name(s, inst->id, "even_odd", NULL);
        if (va->n_synonyms)
            rc |= add_name(s, inst->id, "synonyms", NULL);
        if (va->n_antonyms)
            rc |= add_name(s, inst->id, "antonyms", NULL);
        rc |= add_name(s, inst->id, "valid", NULL) | add_name(s, inst->id, "flags", NULL);
        s->insts[i].n_out_cols = s->n_colnames - first; /* for rows where it was not administered */
    }
    return rc;
}

/* ------------------------------------------------------------------- cells */

static int begin_row(rfs_scorer *s)
{
    s->cell = 0;
    return s->format == RFSI_FMT_JSONL ? rfsi_writer_raw(&s->out, "{", 1) : 0;
}

/* Before each cell: the separator, or in JSON the key. */
static int next_cell(rfs_scorer *s)
{
    int rc = 0;

    if (s->format == RFSI_FMT_JSONL) {
        const char *name = colname(s, s->cell);
        if (s->cell)
            rc |= rfsi_writer_raw(&s->out, ",", 1);
        rc |= rfsi_writer_json_string(&s->out, name, strlen(name)) | rfsi_writer_raw(&s->out, ":", 1);
    } else if (s->cell) {
        char sep = sep_of(s);
        rc |= rfsi_writer_raw(&s->out, &sep, 1);
    }
    s->cell++;
    return rc;
}

static int end_row(rfs_scorer *s)
{
    int rc = s->format == RFSI_FMT_JSONL ? rfsi_writer_raw(&s->out, "}", 1) : 0;
    return rc | rfsi_writer_endrow(&s->out);
}

/* A plain decimal number, which spreadsheets read as a number, not a formula. */
static int is_number(const char *p, size_t len)
{
    size_t i = (len && (p[0] == '-' || p[0] == '+')), digits = 0;

    for (; i < len && p[i] >= '0' && p[i] <= '9'; i++)
        digits++;
    if (i < len && p[i] == '.')
        for (i++; i < len && p[i] >= '0' && p[i] <= '9'; i++)
            digits++;
    return digits && i == len;
}

/* Text from the input. In CSV and TSV a cell starting with = + - @ (or a tab or CR) is a
 * formula to Excel and LibreOffice (CSV injection): a leading ' keeps it text, unless
 * it is a plain number or --raw-text is set. */
static int input_field(rfs_scorer *s, const char *data, size_t len)
{
    if (!s->raw_text && s->format != RFSI_FMT_REDCAP && len && strchr("=+-@\t\r", data[0]) &&
        !is_number(data, len)) {
        s->scratch.len = 0;
        if (rfsi_buf_putc(&s->scratch, '\'') < 0 || rfsi_buf_append(&s->scratch, data, len) < 0)
            return -1;
        return rfsi_writer_field(&s->out, s->scratch.data, s->scratch.len, sep_of(s));
    }
    return rfsi_writer_field(&s->out, data, len, sep_of(s));
}

/* A REDCap import is read by REDCap, not a spreadsheet: its record ids and keys are
 * written as they are (a ' would make "=2" a different record). */
static int text_cell(rfs_scorer *s, const char *data, size_t len, int from_input)
{
    if (next_cell(s) < 0)
        return -1;
    if (s->format == RFSI_FMT_JSONL)
        return rfsi_writer_json_string(&s->out, data, len);
    if (from_input)
        return input_field(s, data, len);
    return rfsi_writer_field(&s->out, data, len, sep_of(s));
}

/* A word of ours (a status, an id of ours): never needs quoting in CSV. */
static int word_cell(rfs_scorer *s, const char *w)
{
    if (next_cell(s) < 0)
        return -1;
    if (s->format == RFSI_FMT_JSONL)
        return rfsi_writer_json_string(&s->out, w, strlen(w));
    return rfsi_writer_raw(&s->out, w, strlen(w));
}

static int num_cell(rfs_scorer *s, int has, double v)
{
    char num[RFSI_NUMFMT_MAX];

    if (next_cell(s) < 0)
        return -1;
    if (!has)
        return s->format == RFSI_FMT_JSONL ? rfsi_writer_raw(&s->out, "null", 4) : 0;
    return rfsi_writer_raw(&s->out, num, rfsi_numcache_fmt(s->numcache, num, v));
}

/* An IRV: printed through the cache keyed by its exact integers. */
/* The IRV's text, by its integers: the value is worked out only when the cache has no
 * text for them (a plain row's irv is not computed: fastkey.h). */
static size_t irv_text(rfs_scorer *s, const rfsi_indices *ix, char *out)
{
    size_t n = rfsi_numcache_keyed_lookup(s->numcache, out, ix->irv_d, ix->irv_n);

    return n ? n : rfsi_numcache_fmt_keyed(s->numcache, out, ix->irv_d, ix->irv_n, rfsi_irv_value(ix));
}

static int irv_cell(rfs_scorer *s, const rfsi_indices *ix)
{
    char num[RFSI_NUMFMT_MAX];

    if (next_cell(s) < 0)
        return -1;
    if (!ix->has_irv)
        return s->format == RFSI_FMT_JSONL ? rfsi_writer_raw(&s->out, "null", 4) : 0;
    return rfsi_writer_raw(&s->out, num, irv_text(s, ix, num));
}

static int uint_cell(rfs_scorer *s, unsigned long long v)
{
    char num[RFSI_NUMFMT_MAX];

    return next_cell(s) | rfsi_writer_raw(&s->out, num, rfsi_fmt_ulong(num, v));
}

/* ------------------------------------------------------------------ header */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Output column names that come from the input: the id (except in REDCap, where it is
 * record_id) and the kept columns. */
static size_t input_names(const rfs_scorer *s)
{
    size_t k, n = s->format != RFSI_FMT_REDCAP;

    for (k = 0; k < s->n_keep_cols; k++)
        n += kept_in_output(s, k);
    return n;
}

int rfsi_out_check_names(rfs_scorer *s)
{
    const char **order;
    size_t i;
    int rc = 0;

    if (build_names(s) < 0)
        return rfsi_nomem(s->err);
    if (!(order = malloc((s->n_colnames + 1) * sizeof *order)))
        return rfsi_nomem(s->err);
    for (i = 0; i < s->n_colnames; i++)
        order[i] = colname(s, i);
    qsort(order, s->n_colnames, sizeof *order, by_name);
    for (i = 1; i < s->n_colnames && rc == 0; i++)
        if (strcmp(order[i - 1], order[i]) == 0)
            rc = rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0,
                           "output column \"%s\" would appear twice: a kept or id column has the name of an "
                           "output column; rename it in the input or do not keep it", order[i]);
    free(order);
    return rc;
}

int rfsi_out_header(rfs_scorer *s)
{
    size_t i, from_input;
    int rc = 0;

    if (build_names(s) < 0)
        return rfsi_nomem(s->err);
    if (s->bom && rfsi_writer_raw(&s->out, "\xEF\xBB\xBF", 3) < 0)
        return rfsi_out_error(s);
    if (s->format == RFSI_FMT_JSONL || s->no_header)
        return 0;
    from_input = input_names(s);
    for (i = 0; i < s->n_colnames; i++) {
        char sep = sep_of(s);
        if (i)
            rc |= rfsi_writer_raw(&s->out, &sep, 1);
        if (i < from_input) /* names from the input are text from the input */
            rc |= input_field(s, colname(s, i), strlen(colname(s, i)));
        else
            rc |= rfsi_writer_field(&s->out, colname(s, i), strlen(colname(s, i)), sep);
    }
    rc |= rfsi_writer_endrow(&s->out);
    return rc ? rfsi_out_error(s) : 0;
}

/* -------------------------------------------------------------------- rows */

/* The score, n and status cells of a scale. They depend only on (answered items, sum),
 * so their bytes are built once per pair and copied after that. */
static int scale_cells(rfs_scorer *s, inst_state *st, size_t k)
{
    const rfsi_score_result *r = &st->res[k];
    const fragment_table *ft = &st->fragments[k];
    unsigned char *f = NULL;
    size_t start = s->out.buf.len;
    int rc;

    if (ft->cells) {
        f = ft->cells + ft->stride * (ft->base[r->n] + (size_t)(r->sum - (long)r->n * st->inst->scales[k].value_min));
        if (f[0]) {
            s->cell += 3;
            return ft->stride == FRAGMENT_CSV ? rfsi_writer_raw_fixed(&s->out, (const char *)f + 1, f[0])
                                              : rfsi_writer_raw(&s->out, (const char *)f + 1, f[0]);
        }
    }
    rc = num_cell(s, r->status == RFSI_STATUS_OK, r->value) | uint_cell(s, r->n) |
         word_cell(s, rfsi_status_name((rfsi_score_status)r->status));
    if (!rc && f && !s->out.failed && s->out.buf.len - start <= ft->stride - 1) {
        memcpy(f + 1, s->out.buf.data + start, s->out.buf.len - start);
        f[0] = (unsigned char)(s->out.buf.len - start);
    }
    return rc;
}

static int key_cells(rfs_scorer *s, const char *id, size_t id_len)
{
    size_t k;
    int rc = begin_row(s);

    if (s->id_col == NONE) /* --id none: the data row's number */
        rc |= uint_cell(s, s->counts.rows_read);
    else
        rc |= text_cell(s, id, id_len, 1);

    for (k = 0; k < s->n_keep_cols; k++) {
        size_t c = s->keep_cols[k];
        if (!kept_in_output(s, k))
            continue;
        /* In a REDCap import the scores belong to the "scores" form of the codebook, so a
         * repeating instance is an instance of that form. */
        if (s->format == RFSI_FMT_REDCAP && s->text_len[c] &&
            strcmp(s->header_names[c], "redcap_repeat_instrument") == 0)
            rc |= text_cell(s, "scores", 6, 0);
        else
            rc |= text_cell(s, s->row_text.data + s->text_off[c], s->text_len[c], 1);
    }
    return rc;
}

static int flag_cells(rfs_scorer *s, const inst_state *st)
{
    if (st->not_administered) /* no valid either way: empty, and the reason */
        return num_cell(s, 0, 0) | word_cell(s, "not_administered");
    return uint_cell(s, st->valid) | text_cell(s, st->flags.data ? st->flags.data : "", st->flags.len, 0);
}

static int transform_cells(rfs_scorer *s, const inst_state *st)
{
    const rfs_instrument *inst = st->inst;
    size_t k, g;
    int rc = 0;

    for (k = 0; k < inst->n_scales + inst->n_derived; k++)
        if (rfsi_score_pomp(inst, k)) {
            double lo, hi;
            rfsi_score_range(inst, k, &lo, &hi);
            rc |= num_cell(s, st->res[k].status == RFSI_STATUS_OK, rfsi_pomp(st->res[k].value, lo, hi));
        }
    for (k = 0; k < inst->n_bandsets; k++) {
        const rfsi_bandset *bs = &inst->bandsets[k];
        size_t b = st->res[bs->score].status == RFSI_STATUS_OK ? rfsi_band_of(bs, st->res[bs->score].value)
                                                                : (size_t)-1;
        rc |= b == (size_t)-1 ? num_cell(s, 0, 0) : word_cell(s, bs->bands[b].name);
    }
    for (k = 0; st->n_item_outputs && k < inst->n_items; k++)
        if (inst->items[k].output) {
            const rfsi_response *r = &st->resp[k];
            if (r->state == RFSI_ANSWER && r->value >= 1 && (size_t)r->value <= inst->items[k].n_categories) {
                const char *name = inst->items[k].categories[r->value - 1];
                rc |= text_cell(s, name, strlen(name), 0);
            } else {
                rc |= num_cell(s, 0, 0);
            }
        }
    for (k = 0; k < inst->n_norms; k++) {
        const rfsi_norms *nm = &inst->norms[k];
        const char *group[RFSI_NORM_GROUPS_MAX];
        size_t len[RFSI_NORM_GROUPS_MAX];
        double v = 0;
        rfsi_norm_status ns = RFSI_NORM_NOT_SCORED;
        for (g = 0; g < nm->n_groups; g++) {
            size_t col = s->norm_cols[st->norm_base + k * RFSI_NORM_GROUPS_MAX + g];
            group[g] = col == NONE ? NULL : s->row_text.data + s->text_off[col];
            len[g] = col == NONE ? 0 : s->text_len[col];
        }
        if (st->res[nm->score].status == RFSI_STATUS_OK)
            ns = rfsi_norm_lookup(nm, group, len, st->res[nm->score].value, &v);
        rc |= num_cell(s, ns == RFSI_NORM_OK, v) | word_cell(s, rfsi_norm_status_name(ns));
    }
    return rc;
}

/* The usual end of an instrument's cells outside JSON: longstring, IRV, valid = 1 and no
 * flags, in one write; the same bytes as uint_cell, irv_cell and flag_cells. Never the
 * row's first cell (the id is). */
static int clean_tail(rfs_scorer *s, const inst_state *st)
{
    char buf[2 * RFSI_NUMFMT_MAX + 8], *p = buf, sep = sep_of(s);

    *p++ = sep;
    p += rfsi_fmt_ulong(p, st->ix.longstring);
    *p++ = sep;
    if (st->ix.has_irv)
        p += irv_text(s, &st->ix, p);
    *p++ = sep;
    *p++ = '1';
    *p++ = sep;
    s->cell += 4;
    return rfsi_writer_raw(&s->out, buf, (size_t)(p - buf));
}

/* An instrument not administered on this row: every cell before valid is empty. */
static int empty_cells(rfs_scorer *s, const inst_state *st)
{
    size_t k;
    int rc = 0;

    for (k = 0; k + 2 < st->n_out_cols; k++)
        rc |= num_cell(s, 0, 0);
    return rc;
}

static int wide_row(rfs_scorer *s, const char *id, size_t id_len)
{
    size_t i, k;
    int rc = key_cells(s, id, id_len);

    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        const rfs_instrument *inst = st->inst;
        const rfsi_validity *va = &inst->validity;
        if (st->not_administered) {
            rc |= empty_cells(s, st) | flag_cells(s, st);
            continue;
        }
        for (k = 0; k < inst->n_scales; k++)
            rc |= scale_cells(s, st, k);
        for (; k < inst->n_scales + inst->n_derived; k++)
            rc |= num_cell(s, st->res[k].status == RFSI_STATUS_OK, st->res[k].value) |
                  word_cell(s, rfsi_status_name((rfsi_score_status)st->res[k].status));
        rc |= transform_cells(s, st);
        if (s->format != RFSI_FMT_JSONL && st->valid && st->flags.len == 0 && va->n_even_odd < 2 &&
            !va->n_synonyms && !va->n_antonyms) {
            rc |= clean_tail(s, st);
            continue;
        }
        rc |= uint_cell(s, st->ix.longstring) | irv_cell(s, &st->ix);
        if (va->n_even_odd >= 2)
            rc |= num_cell(s, st->ix.has_even_odd, st->ix.even_odd);
        if (va->n_synonyms)
            rc |= num_cell(s, st->ix.has_synonyms, st->ix.synonyms);
        if (va->n_antonyms)
            rc |= num_cell(s, st->ix.has_antonyms, st->ix.antonyms);
        rc |= flag_cells(s, st);
    }
    return rc | end_row(s);
}

/* One row per respondent and score, for mixed models: keys, instrument, scale, score,
 * n (empty for derived scores), status, and the instrument's valid and flags. */
static int long_rows(rfs_scorer *s, const char *id, size_t id_len)
{
    size_t i, k;
    int rc = 0;

    for (i = 0; i < s->n_insts; i++) {
        const inst_state *st = &s->insts[i];
        const rfs_instrument *inst = st->inst;
        for (k = 0; k < inst->n_scales + inst->n_derived; k++) {
            const rfsi_score_result *r = &st->res[k];
            if (st->not_administered) {
                rc |= key_cells(s, id, id_len) | word_cell(s, inst->id) | word_cell(s, rfsi_score_id(inst, k)) |
                      num_cell(s, 0, 0) | num_cell(s, 0, 0) | num_cell(s, 0, 0) | flag_cells(s, st) | end_row(s);
                continue;
            }
            rc |= key_cells(s, id, id_len) | word_cell(s, inst->id) | word_cell(s, rfsi_score_id(inst, k)) |
                  num_cell(s, r->status == RFSI_STATUS_OK, r->value);
            if (k < inst->n_scales)
                rc |= uint_cell(s, r->n);
            else
                rc |= num_cell(s, 0, 0);
            rc |= word_cell(s, rfsi_status_name((rfsi_score_status)r->status)) | flag_cells(s, st) | end_row(s);
        }
    }
    return rc;
}

int rfsi_out_row(rfs_scorer *s, const char *id, size_t id_len)
{
    int rc = s->long_format ? long_rows(s, id, id_len) : wide_row(s, id, id_len);

    if (rc)
        return s->out.failed ? rfsi_out_error(s) : rfsi_nomem(s->err);
    /* rows_written counts rows delivered: this one is, when its last line flushed. */
    if (++s->out.rows_ended, s->out.buf.len == 0)
        s->out.rows_delivered = s->out.rows_ended;
    return 0;
}

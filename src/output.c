/* One output row: id, kept columns, then per instrument scores, indices, valid and
 * flags; and the header that names them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "scorer.h"

int rfsi_out_error(rfs_scorer *s)
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

int rfsi_out_header(rfs_scorer *s)
{
    size_t i, k;
    int rc = 0;

    rc |= rfsi_writer_field(&s->out, s->header_names[s->id_col], strlen(s->header_names[s->id_col]));
    for (k = 0; k < s->n_keep_cols; k++) {
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
    return rc ? rfsi_out_error(s) : 0;
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

static int any_not_ok(const inst_state *st)
{
    size_t i;

    for (i = 0; i < st->inst->n_scales; i++)
        if (st->res[i].status != RFSI_STATUS_OK)
            return 1;
    return 0;
}

/* Scores the row for one instrument and writes its columns. */
int rfsi_out_instrument(rfs_scorer *s, inst_state *st, int has_duration, double duration,
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
    row.item_names = st->item_names;
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

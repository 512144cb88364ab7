/* One respondent, one instrument: responses -> scores, indices, flags and valid. */
#include "base/error.h"
#include "scorer.h"

/* Responses from the fast cells of the row (slow cells are already in place). */
static void fill_fast_responses(const rfs_scorer *s, inst_state *st)
{
    size_t k, n = st->inst->n_items;

    for (k = 0; k < n; k++) {
        unsigned char b = s->cellbyte[st->item_col[k]];
        if (b == EMPTY_CELL) {
            st->resp[k].state = RFSI_MISSING;
            st->resp[k].value = 0;
            st->resp[k].missing_type = 0;
        } else if (b != SLOW_CELL) {
            st->resp[k].state = RFSI_ANSWER;
            st->resp[k].value = b - '0';
            st->resp[k].missing_type = 0;
            st->row_answered++;
            st->colstats[k].answered++;
        }
    }
}

/* A row whose cells of this instrument were all plain (a digit in range, or empty): the
 * fast key's codes. The responses are made from them only when something needs them. */
static void gather_plain(const rfs_scorer *s, inst_state *st)
{
    size_t k, n = st->inst->n_items;
    size_t answered = st->run_col != NONE
                          ? rfsi_fastkey_gather_run(st->fastkey, EMPTY_CELL, s->cellbyte + st->run_col, st->codes, &st->ix)
                          : rfsi_fastkey_gather(st->fastkey, st->code_of, s->cellbyte, st->item_col, st->codes, &st->ix);
    unsigned char none = rfsi_fastkey_none(st->fastkey);

    if (answered < n) /* answered counts per column are settled at the end (colstats.c) */
        for (k = 0; k < n; k++)
            st->plain_none[k] += st->codes[k] == none;
    st->plain_rows++;
    st->row_answered += answered;
    st->resp_ready = 0;
}

static void need_responses(inst_state *st)
{
    size_t k, n = st->inst->n_items;
    unsigned char none;

    if (st->resp_ready)
        return;
    none = rfsi_fastkey_none(st->fastkey);
    for (k = 0; k < n; k++) {
        unsigned char c = st->codes[k];
        st->resp[k].state = c != none ? RFSI_ANSWER : RFSI_MISSING;
        st->resp[k].value = c != none ? (long)c + st->inst->min : 0;
        st->resp[k].missing_type = 0;
    }
    st->resp_ready = 1;
}

/* The answers' range so far, until both ends of the key's have been seen (on clean data,
 * within the first rows). */
static void note_range(inst_state *st)
{
    size_t k;

    for (k = 0; k < st->inst->n_items; k++)
        if (st->resp[k].state == RFSI_ANSWER) {
            long v = st->resp[k].value;
            if (v < st->seen_min)
                st->seen_min = v;
            if (v > st->seen_max)
                st->seen_max = v;
        }
    st->range_full = st->seen_min <= st->inst->min && st->seen_max >= st->inst->max;
}

static int any_not_ok(const inst_state *st)
{
    size_t i;

    for (i = 0; i < st->inst->n_scales; i++)
        if (st->res[i].status != RFSI_STATUS_OK)
            return 1;
    return 0;
}

/* In a REDCap export a row is one event (or repeat instance) of a record, and most
 * events do not collect every form: a form none of whose fields holds anything was not
 * administered there. That is not a participant who skipped a questionnaire (plain CSV:
 * empty_row, invalid); it is no data, and is neither scored nor invalid. */
static int not_administered(const rfs_scorer *s, const inst_state *st)
{
    /* An empty <form>_complete: REDCap has no saved record of the form at this event,
     * whatever its fields hold (a @DEFAULT or calculated value is not an answer). */
    if (st->complete_col != NONE && s->text_len[st->complete_col] == 0)
        return 1;
    return s->redcap && st->row_answered == 0 && st->row_invalid == 0 && st->row_typed == 0;
}

int rfsi_row_compute(rfs_scorer *s, inst_state *st, int has_duration, double duration, unsigned long long id_count)
{
    const rfs_instrument *inst = st->inst;
    const rfsi_validity *va = &inst->validity;
    size_t i;
    rfsi_row_facts row;
    long kinds = 0;

    int plain = st->fastkey && st->row_slow == 0;

    if (plain) {
        gather_plain(s, st);
    } else {
        fill_fast_responses(s, st);
        st->resp_ready = 1;
    }
    st->row_slow = 0;
    st->not_administered = not_administered(s, st);
    if (st->not_administered) {
        st->row_answered = st->row_invalid = st->row_typed = 0;
        st->kinds = 0;
        st->valid = 1; /* not invalid: not counted in rows with valid = 0 */
        st->flags.len = 0;
        st->not_administered_rows++;
        return 0;
    }
    if (st->row_answered) {
        st->answered_rows++;
        if (!st->range_full) {
            need_responses(st);
            note_range(st);
        }
    }
    if (plain) {
        rfsi_fastkey_score(st->fastkey, st->codes, st->min_answered, st->res);
        if (va->n_even_odd >= 2 || va->n_synonyms || va->n_antonyms)
            need_responses(st);
        rfsi_indices_declared(inst, st->resp, &st->ix);
    } else {
        rfsi_score(inst, st->min_answered, st->resp, st->res);
        rfsi_indices_compute(inst, st->resp, &st->ix);
    }
    for (i = 0; i < inst->n_scales + inst->n_derived; i++)
        st->status_rows[i][st->res[i].status]++;
    st->flags.len = 0;
    /* Most rows are clean: decide that without building anything. */
    if (st->row_answered == 0 || st->row_invalid || st->row_typed || id_count > 1 || va->n_attention ||
        has_duration || (st->th.has_longstring_max && st->ix.longstring > (size_t)st->th.longstring_max) ||
        (st->th.has_irv_min && st->ix.has_irv) || st->ix.has_even_odd || st->ix.has_synonyms ||
        st->ix.has_antonyms || any_not_ok(st)) {
        need_responses(st);
        if (plain) /* the fast key leaves the value to whoever needs it: the irv_min flag does */
            st->ix.irv = rfsi_irv_value(&st->ix);
        row.resp = st->resp;
        row.res = st->res;
        row.min_answered = st->min_answered;
        row.ix = &st->ix;
        row.text = s->row_text.data;
        row.bad_off = st->bad_off;
        row.bad_len = st->bad_len;
        row.missing_types = st->missing_types;
        row.item_names = st->item_headers;
        row.has_duration = has_duration;
        row.duration = duration;
        row.id_count = id_count;
        kinds = rfsi_flags_build(inst, &st->th, &row, &st->flags);
        if (kinds < 0)
            return rfsi_nomem(s->err);
    }
    st->row_answered = st->row_invalid = st->row_typed = 0;
    st->kinds = kinds;
    st->valid = !((unsigned long)kinds & st->th.invalid_mask);
    for (i = 0; kinds && i < RFSI_FLAG_COUNT; i++)
        st->flag_rows[i] += (kinds >> i) & 1;
    st->invalid_rows += !st->valid;
    if (st->valid && !st->itemtotal_off && !rfsi_itemtotal_full(st->itemtotal)) {
        need_responses(st);
        rfsi_itemtotal_add(st->itemtotal, st->resp);
    }
    if (s->study || s->by_name) /* the report's accumulators read them */
        need_responses(st);
    return 0;
}

/* rfsi_score: the pure scoring core, fed plain arrays of responses. Instruments are built
 * by hand (tables by rfsi_instrument_finalize), except one loaded from INI text to check a
 * derived score of a derived score in the loader's evaluation order. Every expected value
 * is worked by hand in the comment next to it. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scoring/cell.h"
#include "definition/instrument.h"
#include "scoring/score.h"

/* ------------------------------------------------------------------ builders */

static rfs_instrument *new_inst(long min, long max, size_t n_items)
{
    rfs_instrument *inst = calloc(1, sizeof *inst);

    assert_non_null(inst);
    inst->min = min;
    inst->max = max;
    inst->n_items = n_items;
    inst->min_rule.is_percent = 1;
    inst->min_rule.value = 80;
    return inst;
}

/* A recode map over min..max; returns its index. */
static long add_recode(rfs_instrument *inst, const char *name, const long *map)
{
    size_t range = (size_t)(inst->max - inst->min + 1);
    rfsi_recode *r;

    inst->recodes = realloc(inst->recodes, (inst->n_recodes + 1) * sizeof *r);
    assert_non_null(inst->recodes);
    r = &inst->recodes[inst->n_recodes];
    r->name = strdup(name);
    r->map = malloc(range * sizeof *r->map);
    assert_non_null(r->name);
    assert_non_null(r->map);
    memcpy(r->map, map, range * sizeof *r->map);
    return (long)inst->n_recodes++;
}

/* A scale over 1-based items; reversed/recoded list 1-based items too (0-terminated). */
static rfsi_scale *add_scale(rfs_instrument *inst, const char *id, rfsi_score_kind kind, const size_t *items,
                             size_t n, const size_t *reversed, long recode, const size_t *recoded)
{
    rfsi_scale *sc;
    size_t j, k;

    inst->scales = realloc(inst->scales, (inst->n_scales + 1) * sizeof *sc);
    assert_non_null(inst->scales);
    sc = &inst->scales[inst->n_scales++];
    memset(sc, 0, sizeof *sc);
    sc->id = strdup(id);
    sc->n_items = n;
    sc->items = calloc(n, sizeof *sc->items);
    sc->reversed = calloc(n, 1);
    sc->recoded = calloc(n, 1);
    assert_non_null(sc->id);
    assert_non_null(sc->items);
    assert_non_null(sc->reversed);
    assert_non_null(sc->recoded);
    sc->kind = kind;
    sc->recode = recode;
    for (j = 0; j < n; j++) {
        sc->items[j] = items[j] - 1;
        for (k = 0; reversed && reversed[k]; k++)
            if (reversed[k] == items[j])
                sc->reversed[j] = 1;
        if (recode >= 0 && !recoded)
            sc->recoded[j] = 1;
        for (k = 0; recoded && recoded[k]; k++)
            if (recoded[k] == items[j])
                sc->recoded[j] = 1;
    }
    return sc;
}

/* A derived score over score-list indices (scales first, then derived). */
static void add_derived(rfs_instrument *inst, const char *id, rfsi_score_kind kind, const size_t *comp, size_t n)
{
    rfsi_derived *d;

    inst->derived = realloc(inst->derived, (inst->n_derived + 1) * sizeof *d);
    assert_non_null(inst->derived);
    d = &inst->derived[inst->n_derived++];
    memset(d, 0, sizeof *d);
    d->id = strdup(id);
    d->components = malloc(n * sizeof *d->components);
    assert_non_null(d->id);
    assert_non_null(d->components);
    memcpy(d->components, comp, n * sizeof *comp);
    d->n = n;
    d->kind = kind;
}

/* The loader computes derived_order; rfsi_instrument_finalize does not, so a hand-built
 * instrument sets it here (components first). */
static void set_order(rfs_instrument *inst, const size_t *order)
{
    inst->derived_order = malloc((inst->n_derived + 1) * sizeof *inst->derived_order);
    assert_non_null(inst->derived_order);
    memcpy(inst->derived_order, order, inst->n_derived * sizeof *order);
}

static void finalize(rfs_instrument *inst)
{
    assert_int_equal(rfsi_instrument_finalize(inst), 0);
}

/* Responses from ints: MIS = missing, INV = invalid, anything else an answer. */
#define MIS (-1000)
#define INV (-1001)
static void responses(rfsi_response *r, const long *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof r[i]);
        if (v[i] == MIS) {
            r[i].state = RFSI_MISSING;
            r[i].value = 3; /* a value the scorer must ignore */
        } else if (v[i] == INV) {
            r[i].state = RFSI_INVALID;
            r[i].value = 4;
        } else {
            r[i].state = RFSI_ANSWER;
            r[i].value = v[i];
        }
    }
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void score_row(const rfs_instrument *inst, const size_t *min_answered, const long *cells,
                      rfsi_score_result *out)
{
    rfsi_response resp[16];
    size_t i;

    assert_true(inst->n_items <= 16);
    responses(resp, cells, inst->n_items);
    for (i = 0; i < inst->n_scales + inst->n_derived; i++) { /* garbage in, so stale fields show */
        out[i].value = -777;
        out[i].sum = -777;
        out[i].n = 777;
        out[i].status = 0xEE;
    }
    rfsi_score(inst, min_answered, resp, out);
}

static void expect_ok(const rfsi_score_result *r, double value, size_t n)
{
    assert_int_equal(r->status, RFSI_STATUS_OK);
    assert_double_equal(r->value, value, 1e-12);
    assert_int_equal(r->n, n);
}

static void expect_too_few(const rfsi_score_result *r, size_t n)
{
    assert_int_equal(r->status, RFSI_STATUS_TOO_FEW_ITEMS);
    assert_int_equal(r->n, n);
}

/* -------------------------------------------------------------------- mean */

static void test_mean(void **state)
{
    /* 4 items on 1..5, one mean scale over all four. */
    static const size_t items[] = {1, 2, 3, 4};
    rfs_instrument *inst = new_inst(1, 5, 4);
    size_t min[1] = {3};
    rfsi_score_result out[1];

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, items, 4, NULL, -1, NULL);
    finalize(inst);

    /* 1+2+3+5 = 11 over 4 = 2.75 */
    score_row(inst, min, (const long[]){1, 2, 3, 5}, out);
    expect_ok(&out[0], 2.75, 4);
    assert_int_equal(out[0].sum, 11);

    /* 1 + (missing) + 3 + 5 = 9 over 3 answered = 3 (a 0 for the missing item would give 2.25) */
    score_row(inst, min, (const long[]){1, MIS, 3, 5}, out);
    expect_ok(&out[0], 3.0, 3);
    assert_int_equal(out[0].sum, 9);

    /* an invalid answer is missing too: 2 + 2 + 5 = 9 / 3 = 3 */
    score_row(inst, min, (const long[]){2, 2, INV, 5}, out);
    expect_ok(&out[0], 3.0, 3);

    /* 1 + 1 + 2 = 4 over 3 = 1.3333333333333333 */
    score_row(inst, min, (const long[]){1, 1, MIS, 2}, out);
    expect_ok(&out[0], 4.0 / 3.0, 3);
    assert_true(out[0].value == 4.0 / 3.0); /* one rounding: sum / n */
    rfs_instrument_free(inst);
}

static void test_min_answered_boundary(void **state)
{
    /* 6 items on 1..7, mean, the instrument default 80%: ceil(4.8) = 5. */
    static const size_t items[] = {1, 2, 3, 4, 5, 6};
    rfs_instrument *inst = new_inst(1, 7, 6);
    rfsi_score_result out[1];
    size_t min[1];

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, items, 6, NULL, -1, NULL);
    finalize(inst);
    assert_int_equal(inst->scales[0].min_answered, 5);
    min[0] = inst->scales[0].min_answered;

    /* exactly 5 answered: 7+7+7+7+2 = 30 / 5 = 6 */
    score_row(inst, min, (const long[]){7, 7, MIS, 7, 7, 2}, out);
    expect_ok(&out[0], 6.0, 5);
    /* 4 answered (one missing, one invalid): not scored; n and sum still reported */
    score_row(inst, min, (const long[]){7, 7, MIS, 7, INV, 2}, out);
    expect_too_few(&out[0], 4);
    assert_int_equal(out[0].sum, 7 + 7 + 7 + 2);
    /* none answered */
    score_row(inst, min, (const long[]){MIS, MIS, MIS, MIS, MIS, MIS}, out);
    expect_too_few(&out[0], 0);
    assert_int_equal(out[0].sum, 0);

    /* the caller's min_answered wins over the scale's (the --min-answered override) */
    min[0] = 6;
    score_row(inst, min, (const long[]){7, 7, MIS, 7, 7, 2}, out);
    expect_too_few(&out[0], 5);
    min[0] = 1;
    /* 1 answered: 4 / 1 = 4 */
    score_row(inst, min, (const long[]){MIS, MIS, MIS, 4, MIS, MIS}, out);
    expect_ok(&out[0], 4.0, 1);
    /* 0 answered is never a score, even with a minimum of 0 */
    min[0] = 0;
    score_row(inst, min, (const long[]){MIS, MIS, MIS, MIS, MIS, MIS}, out);
    expect_too_few(&out[0], 0);
    rfs_instrument_free(inst);
}

static void test_min_rule_resolution(void **state)
{
    /* finalize resolves each scale's rule: its own, else the instrument default. */
    static const size_t four[] = {1, 2, 3, 4}, five[] = {1, 2, 3, 4, 5};
    rfs_instrument *inst = new_inst(1, 5, 5);
    rfsi_scale *sc;

    (void)state;
    inst->min_rule.value = 75;
    add_scale(inst, "a", RFSI_SCORE_MEAN, four, 4, NULL, -1, NULL);  /* 75% of 4 = 3 */
    add_scale(inst, "b", RFSI_SCORE_MEAN, five, 5, NULL, -1, NULL);  /* 75% of 5 = 3.75 -> 4 */
    sc = add_scale(inst, "c", RFSI_SCORE_PRORATED_SUM, five, 5, NULL, -1, NULL);
    sc->has_min_rule = 1;                                              /* count 2 */
    sc->min_rule.is_percent = 0;
    sc->min_rule.value = 2;
    sc = add_scale(inst, "d", RFSI_SCORE_MEAN, five, 5, NULL, -1, NULL);
    sc->has_min_rule = 1;                                              /* 1% of 5 = 0.05 -> 1 */
    sc->min_rule.is_percent = 1;
    sc->min_rule.value = 1;
    add_scale(inst, "e", RFSI_SCORE_SUM, five, 5, NULL, -1, NULL);     /* sum: all 5 */
    finalize(inst);
    assert_int_equal(inst->scales[0].min_answered, 3);
    assert_int_equal(inst->scales[1].min_answered, 4);
    assert_int_equal(inst->scales[2].min_answered, 2);
    assert_int_equal(inst->scales[3].min_answered, 1);
    assert_int_equal(inst->scales[4].min_answered, 5);
    rfs_instrument_free(inst);
}

/* --------------------------------------------------------------------- sum */

static void test_sum_needs_every_item(void **state)
{
    static const size_t items[] = {1, 2, 3, 4};
    rfs_instrument *inst = new_inst(1, 5, 4);
    size_t min[1] = {1}; /* even a low minimum does not let a sum skip items */
    rfsi_score_result out[1];

    (void)state;
    add_scale(inst, "s", RFSI_SCORE_SUM, items, 4, NULL, -1, NULL);
    finalize(inst);

    /* 1+2+3+5 = 11 */
    score_row(inst, min, (const long[]){1, 2, 3, 5}, out);
    expect_ok(&out[0], 11.0, 4);
    assert_int_equal(out[0].sum, 11);
    /* 5+5+5+5 = 20 */
    score_row(inst, min, (const long[]){5, 5, 5, 5}, out);
    expect_ok(&out[0], 20.0, 4);
    /* one missing: not scored (never 5+5+0+5 = 15) */
    score_row(inst, min, (const long[]){5, 5, MIS, 5}, out);
    expect_too_few(&out[0], 3);
    assert_int_equal(out[0].sum, 15);
    /* one invalid: not scored */
    score_row(inst, min, (const long[]){5, INV, 5, 5}, out);
    expect_too_few(&out[0], 3);
    rfs_instrument_free(inst);
}

static void test_prorated_sum(void **state)
{
    /* 5 items on 1..5, prorated sum, at least 3 answered. */
    static const size_t items[] = {1, 2, 3, 4, 5};
    rfs_instrument *inst = new_inst(1, 5, 5);
    size_t min[1] = {3};
    rfsi_score_result out[1];

    (void)state;
    add_scale(inst, "p", RFSI_SCORE_PRORATED_SUM, items, 5, NULL, -1, NULL);
    finalize(inst);

    /* all answered: 1+2+3+4+5 = 15 * 5 / 5 = 15 */
    score_row(inst, min, (const long[]){1, 2, 3, 4, 5}, out);
    expect_ok(&out[0], 15.0, 5);
    /* 4 + 4 + 4 + 4 = 16 over 4 answered: 16 * 5 / 4 = 20 (missing as 0 would give 16) */
    score_row(inst, min, (const long[]){4, 4, MIS, 4, 4}, out);
    expect_ok(&out[0], 20.0, 4);
    assert_int_equal(out[0].sum, 16);
    /* 1 + 2 + 2 = 5 over 3: 5 * 5 / 3 = 25/3 = 8.333333333333334, one rounding */
    score_row(inst, min, (const long[]){1, MIS, 2, INV, 2}, out);
    expect_ok(&out[0], 25.0 / 3.0, 3);
    assert_true(out[0].value == 25.0 / 3.0);
    /* 2 answered < 3 */
    score_row(inst, min, (const long[]){1, MIS, 2, MIS, MIS}, out);
    expect_too_few(&out[0], 2);
    rfs_instrument_free(inst);
}

/* ------------------------------------------------------- reverse and recode */

static void test_reverse_from_declared_range(void **state)
{
    /* Range 0..4: reversed x -> 0 + 4 - x. Item 2 reversed. */
    static const size_t items[] = {1, 2}, rev[] = {2, 0};
    rfs_instrument *inst = new_inst(0, 4, 2);
    size_t min[1] = {1};
    rfsi_score_result out[1];

    (void)state;
    add_scale(inst, "r", RFSI_SCORE_SUM, items, 2, rev, -1, NULL);
    finalize(inst);

    /* 1 + (4-1 = 3) = 4 -- the data only hold 1s: a range taken from the data (1..1)
     * would give 1 + 1 = 2 */
    score_row(inst, min, (const long[]){1, 1}, out);
    expect_ok(&out[0], 4.0, 2);
    /* 0 + (4-0 = 4) = 4; 4 + (4-4 = 0) = 4; 2 + (4-3 = 1) = 3 */
    score_row(inst, min, (const long[]){0, 0}, out);
    expect_ok(&out[0], 4.0, 2);
    score_row(inst, min, (const long[]){4, 4}, out);
    expect_ok(&out[0], 4.0, 2);
    score_row(inst, min, (const long[]){2, 3}, out);
    expect_ok(&out[0], 3.0, 2);
    rfs_instrument_free(inst);
}

static void test_reverse_1_to_7(void **state)
{
    /* Range 1..7: reversed x -> 8 - x. Items 1..3, item 3 reversed. */
    static const size_t items[] = {1, 2, 3}, rev[] = {3, 0};
    rfs_instrument *inst = new_inst(1, 7, 3);
    size_t min[1] = {1};
    rfsi_score_result out[1];

    (void)state;
    add_scale(inst, "r", RFSI_SCORE_MEAN, items, 3, rev, -1, NULL);
    finalize(inst);
    /* 1 + 1 + (8-1 = 7) = 9 / 3 = 3 */
    score_row(inst, min, (const long[]){1, 1, 1}, out);
    expect_ok(&out[0], 3.0, 3);
    /* 7 + 6 + (8-2 = 6) = 19 / 3 */
    score_row(inst, min, (const long[]){7, 6, 2}, out);
    expect_ok(&out[0], 19.0 / 3.0, 3);
    /* only the reversed item: 8-5 = 3 */
    score_row(inst, min, (const long[]){MIS, MIS, 5}, out);
    expect_ok(&out[0], 3.0, 1);
    rfs_instrument_free(inst);
}

static void test_recode_after_reverse(void **state)
{
    /* RFQ-8's u: 1..7, recode "uncertainty" 1..4->0 5->1 6->2 7->3 on every item, item 2
     * also reversed (8 - x) BEFORE the recode. */
    static const long uncertainty[] = {0, 0, 0, 0, 1, 2, 3};
    static const size_t items[] = {1, 2}, rev[] = {2, 0};
    rfs_instrument *inst = new_inst(1, 7, 2);
    size_t min[1] = {1};
    rfsi_score_result out[1];
    long rc;

    (void)state;
    rc = add_recode(inst, "uncertainty", uncertainty);
    add_scale(inst, "u", RFSI_SCORE_SUM, items, 2, rev, rc, NULL);
    finalize(inst);
    /* scored values span 0..3 */
    assert_int_equal(inst->scales[0].value_min, 0);
    assert_int_equal(inst->scales[0].value_max, 3);

    /* item 1: 7 -> 3; item 2: 1 -> 8-1 = 7 -> 3. Sum 6.
     * (recode first would give 1 -> 0 -> 8-0 = 8: sum 11) */
    score_row(inst, min, (const long[]){7, 1}, out);
    expect_ok(&out[0], 6.0, 2);
    assert_int_equal(out[0].sum, 6);
    /* item 1: 5 -> 1; item 2: 7 -> 1 -> 0. Sum 1. (recode first: 7 -> 3 -> 5: 6) */
    score_row(inst, min, (const long[]){5, 7}, out);
    expect_ok(&out[0], 1.0, 2);
    /* item 1: 4 -> 0; item 2: 2 -> 6 -> 2. Sum 2. */
    score_row(inst, min, (const long[]){4, 2}, out);
    expect_ok(&out[0], 2.0, 2);
    /* item 1: 6 -> 2; item 2: 3 -> 5 -> 1. Sum 3. */
    score_row(inst, min, (const long[]){6, 3}, out);
    expect_ok(&out[0], 3.0, 2);
    /* item 1: 6 -> 2; item 2: 4 -> 4 -> 0. Sum 2. */
    score_row(inst, min, (const long[]){6, 4}, out);
    expect_ok(&out[0], 2.0, 2);
    rfs_instrument_free(inst);
}

static void test_recode_items_subset(void **state)
{
    /* 1..5; recode "dichotomize" 1,2 -> 0 and 3..5 -> 1 only on item 2 (recode_items = 2);
     * item 1 is scored raw. */
    static const long dich[] = {0, 0, 1, 1, 1};
    static const size_t items[] = {1, 2}, only2[] = {2, 0};
    rfs_instrument *inst = new_inst(1, 5, 2);
    size_t min[1] = {1};
    rfsi_score_result out[1];
    long rc;

    (void)state;
    rc = add_recode(inst, "dichotomize", dich);
    add_scale(inst, "m", RFSI_SCORE_SUM, items, 2, NULL, rc, only2);
    finalize(inst);
    /* 5 (raw) + (5 -> 1) = 6 */
    score_row(inst, min, (const long[]){5, 5}, out);
    expect_ok(&out[0], 6.0, 2);
    /* 2 (raw) + (2 -> 0) = 2 */
    score_row(inst, min, (const long[]){2, 2}, out);
    expect_ok(&out[0], 2.0, 2);
    rfs_instrument_free(inst);
}

static void test_rfq8_by_hand(void **state)
{
    /* The RFQ-8 key built by hand, checked on a case worked from the published key:
     * c: items 1-6 certainty (1->3 2->2 3->1 4..7->0), mean;
     * u: items 2,4,5,6,7,8 uncertainty (1..4->0 5->1 6->2 7->3), item 7 reversed first. */
    static const long certainty[] = {3, 2, 1, 0, 0, 0, 0}, uncertainty[] = {0, 0, 0, 0, 1, 2, 3};
    static const size_t c_items[] = {1, 2, 3, 4, 5, 6}, u_items[] = {2, 4, 5, 6, 7, 8}, rev[] = {7, 0};
    rfs_instrument *inst = new_inst(1, 7, 8);
    rfsi_score_result out[2];
    size_t min[2];

    (void)state;
    add_scale(inst, "c", RFSI_SCORE_MEAN, c_items, 6, NULL, add_recode(inst, "certainty", certainty), NULL);
    add_scale(inst, "u", RFSI_SCORE_MEAN, u_items, 6, rev, add_recode(inst, "uncertainty", uncertainty), NULL);
    finalize(inst);
    min[0] = inst->scales[0].min_answered;
    min[1] = inst->scales[1].min_answered;
    assert_int_equal(min[0], 5);
    assert_int_equal(min[1], 5);

    /* responses 1,2,3,4,5,6,7,NA:
     * c: 3,2,1,0,0,0 = 6 / 6 = 1
     * u: items 2,4,5,6 = 2,4,5,6 -> 0,0,1,2; item 7 = 7 -> 1 -> 0; item 8 NA: 3 / 5 = 0.6 */
    score_row(inst, min, (const long[]){1, 2, 3, 4, 5, 6, 7, MIS}, out);
    expect_ok(&out[0], 1.0, 6);
    expect_ok(&out[1], 0.6, 5);
    assert_true(out[1].value == 3.0 / 5.0);
    /* responses NA, NA, 9 (invalid), 4, 5, 6, 1, 7:
     * c: items 4,5,6 only -> 3 answered < 5: not scored
     * u: 4,5,6 -> 0,1,2; item 7 = 1 -> 7 -> 3; item 8 = 7 -> 3: 9 / 5 = 1.8 */
    score_row(inst, min, (const long[]){MIS, MIS, INV, 4, 5, 6, 1, 7}, out);
    expect_too_few(&out[0], 3);
    expect_ok(&out[1], 1.8, 5);
    rfs_instrument_free(inst);
}

/* ------------------------------------------------------------------ derived */

/* Two mean scales on 1..5 (a = items 1-2, b = items 3-4, each needs both items), and
 * derived: total = a + b (sum), avg = (a + b) / 2 (mean). */
static rfs_instrument *two_scales(void)
{
    static const size_t ia[] = {1, 2}, ib[] = {3, 4};
    static const size_t comp[] = {0, 1}, order[] = {0, 1};
    rfs_instrument *inst = new_inst(1, 5, 4);

    add_scale(inst, "a", RFSI_SCORE_MEAN, ia, 2, NULL, -1, NULL);
    add_scale(inst, "b", RFSI_SCORE_MEAN, ib, 2, NULL, -1, NULL);
    add_derived(inst, "total", RFSI_SCORE_SUM, comp, 2);
    add_derived(inst, "avg", RFSI_SCORE_MEAN, comp, 2);
    set_order(inst, order);
    finalize(inst);
    return inst;
}

static void test_derived_mean_and_sum(void **state)
{
    rfs_instrument *inst = two_scales();
    size_t min[2] = {2, 2};
    rfsi_score_result out[4];

    (void)state;
    /* a = (1+2)/2 = 1.5; b = (4+5)/2 = 4.5; total = 6; avg = 3 */
    score_row(inst, min, (const long[]){1, 2, 4, 5}, out);
    expect_ok(&out[0], 1.5, 2);
    expect_ok(&out[1], 4.5, 2);
    expect_ok(&out[2], 6.0, 2);
    expect_ok(&out[3], 3.0, 2);
    /* a = (1+2)/2 = 1.5; b = (1+1)/2 = 1; total = 2.5; avg = 1.25 */
    score_row(inst, min, (const long[]){1, 2, 1, 1}, out);
    expect_ok(&out[2], 2.5, 2);
    expect_ok(&out[3], 1.25, 2);
    rfs_instrument_free(inst);
}

static void test_derived_component_not_scored(void **state)
{
    rfs_instrument *inst = two_scales();
    size_t min[2] = {2, 2};
    rfsi_score_result out[4];

    (void)state;
    /* b has 1 of 2 items: not scored; a = 1.5 is scored but the derived scores are not */
    score_row(inst, min, (const long[]){1, 2, MIS, 5}, out);
    expect_ok(&out[0], 1.5, 2);
    expect_too_few(&out[1], 1);
    assert_int_equal(out[2].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[3].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[2].n, 1); /* derived n: components scored */
    assert_int_equal(out[3].n, 1);
    /* neither scored */
    score_row(inst, min, (const long[]){MIS, 2, MIS, 5}, out);
    assert_int_equal(out[2].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[2].n, 0);
    rfs_instrument_free(inst);
}

static void test_derived_of_derived(void **state)
{
    /* Scales a (items 1-2), b (items 3-4), mean, each needs both items. Derived, LISTED in
     * this order: outer = mean(inner, a); inner = sum(a, b). inner must be evaluated first:
     * score list a=0, b=1, outer=2, inner=3; derived_order = inner (1), outer (0). */
    static const size_t ia[] = {1, 2}, ib[] = {3, 4};
    static const size_t outer_c[] = {3, 0}, inner_c[] = {0, 1}, order[] = {1, 0};
    rfs_instrument *inst = new_inst(1, 5, 4);
    size_t min[2] = {2, 2};
    rfsi_score_result out[4];

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, ia, 2, NULL, -1, NULL);
    add_scale(inst, "b", RFSI_SCORE_MEAN, ib, 2, NULL, -1, NULL);
    add_derived(inst, "outer", RFSI_SCORE_MEAN, outer_c, 2);
    add_derived(inst, "inner", RFSI_SCORE_SUM, inner_c, 2);
    set_order(inst, order);
    finalize(inst);

    /* a = (2+4)/2 = 3; b = (5+5)/2 = 5; inner = 8; outer = (8 + 3) / 2 = 5.5 */
    score_row(inst, min, (const long[]){2, 4, 5, 5}, out);
    expect_ok(&out[3], 8.0, 2);
    expect_ok(&out[2], 5.5, 2);
    /* b not scored -> inner not scored -> outer not scored (a is scored: outer n = 1) */
    score_row(inst, min, (const long[]){2, 4, 5, MIS}, out);
    assert_int_equal(out[3].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[2].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[2].n, 1);
    /* and back to scored on the next row: results from a previous row do not stick.
     * a = (1+1)/2 = 1; b = (1+2)/2 = 1.5; inner = 2.5; outer = (2.5 + 1) / 2 = 1.75 */
    score_row(inst, min, (const long[]){1, 1, 1, 2}, out);
    expect_ok(&out[3], 2.5, 2);
    expect_ok(&out[2], 1.75, 2);
    rfs_instrument_free(inst);
}

/* The same derived-of-derived key, written as INI text and loaded, so the loader's
 * evaluation order is the one used. */
static const char derived_ini[] =
    "[instrument]\n"
    "id = demo\n"
    "name = \"Demo\"\n"
    "version = \"1.0\"\n"
    "citation = \"Nobody (2026). Not a real instrument.\"\n"
    "doi = \"10.0000/none\"\n"
    "items = 4\n"
    "min = 1\n"
    "max = 5\n"
    "[scale.a]\n"
    "items = 1-2\n"
    "score = mean\n"
    "min_answered = 2\n"
    "[scale.b]\n"
    "items = 3-4\n"
    "score = mean\n"
    "min_answered = 2\n"
    "[derived.outer]\n"
    "scales = inner, a\n"
    "score = mean\n"
    "[derived.inner]\n"
    "scales = a, b\n"
    "score = sum\n";

static void test_derived_of_derived_loaded(void **state)
{
    char path[] = "/tmp/rfs_test_score_XXXXXX";
    int fd = mkstemp(path);
    rfs_instrument *inst;
    rfs_error err;
    size_t min[2], outer, inner;
    rfsi_score_result out[4];

    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, derived_ini, sizeof derived_ini - 1), (ssize_t)(sizeof derived_ini - 1));
    close(fd);
    rfs_error_clear(&err);
    inst = rfs_instrument_load(path, &err);
    unlink(path);
    if (!inst)
        fail_msg("load: %s:%lu: %s", err.file, err.line, err.message);
    assert_int_equal(rfs_instrument_score_count(inst), 4);
    outer = rfsi_score_find(inst, "outer");
    inner = rfsi_score_find(inst, "inner");
    assert_int_not_equal(outer, (size_t)-1);
    assert_int_not_equal(inner, (size_t)-1);
    min[0] = inst->scales[0].min_answered;
    min[1] = inst->scales[1].min_answered;
    assert_int_equal(min[0], 2);

    /* a = (2+4)/2 = 3; b = (5+5)/2 = 5; inner = 8; outer = (8 + 3) / 2 = 5.5 */
    score_row(inst, min, (const long[]){2, 4, 5, 5}, out);
    expect_ok(&out[inner], 8.0, 2);
    expect_ok(&out[outer], 5.5, 2);
    /* b not scored -> both derived scores not scored */
    score_row(inst, min, (const long[]){2, 4, MIS, 5}, out);
    assert_int_equal(out[inner].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    assert_int_equal(out[outer].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    rfs_instrument_free(inst);
}

static void test_derived_mean_listed_order(void **state)
{
    /* A derived mean adds the components in listed order, then divides by their count:
     * scales on 1..7 with 3 items (x/3) so the sum is not exact.
     * a = (1+1+2)/3 = 4/3, b = (1+1+1)/3 = 1, c = (2+2+3)/3 = 7/3;
     * avg = (4/3 + 1 + 7/3) / 3 = (14/3) / 3 = 14/9, and exactly ((4/3 + 1) + 7/3) / 3
     * when computed in listed order in doubles. */
    static const size_t ia[] = {1, 2, 3}, ib[] = {4, 5, 6}, ic[] = {7, 8, 9};
    static const size_t comp[] = {0, 1, 2}, order[] = {0};
    rfs_instrument *inst = new_inst(1, 7, 9);
    size_t min[3] = {3, 3, 3};
    rfsi_score_result out[4];
    double a = 4.0 / 3.0, b = 1.0, c = 7.0 / 3.0;

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, ia, 3, NULL, -1, NULL);
    add_scale(inst, "b", RFSI_SCORE_MEAN, ib, 3, NULL, -1, NULL);
    add_scale(inst, "c", RFSI_SCORE_MEAN, ic, 3, NULL, -1, NULL);
    add_derived(inst, "avg", RFSI_SCORE_MEAN, comp, 3);
    set_order(inst, order);
    finalize(inst);
    score_row(inst, min, (const long[]){1, 1, 2, 1, 1, 1, 2, 2, 3}, out);
    expect_ok(&out[3], 14.0 / 9.0, 3);
    assert_true(out[3].value == ((a + b) + c) / 3.0);
    rfs_instrument_free(inst);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(rfsi_status_name(RFSI_STATUS_OK), "ok");
    assert_string_equal(rfsi_status_name(RFSI_STATUS_TOO_FEW_ITEMS), "too_few_items");
    assert_string_equal(rfsi_status_name(RFSI_STATUS_COMPONENT_NOT_SCORED), "component_not_scored");
}

/* ----------------------------------------------------------------- weights */

/* RQ model of self (Griffin & Bartholomew 1994, as quoted in docs/instruments.md):
 * (secure + dismissing) - (preoccupied + fearful), items 1 secure, 2 fearful,
 * 3 preoccupied, 4 dismissing on 1..7, as a weighted sum: weights +1, -1, -1, +1. */
static void test_weighted_sum(void **state)
{
    static const size_t items[] = {1, 2, 3, 4};
    rfs_instrument *inst = new_inst(1, 7, 4);
    rfsi_scale *sc;
    size_t min[1] = {4};
    rfsi_score_result out[1];

    (void)state;
    sc = add_scale(inst, "self", RFSI_SCORE_SUM, items, 4, NULL, -1, NULL);
    sc->weights = malloc(4 * sizeof *sc->weights);
    assert_non_null(sc->weights);
    sc->weights[0] = 1;
    sc->weights[1] = -1;
    sc->weights[2] = -1;
    sc->weights[3] = 1;
    finalize(inst);
    /* range: lows 1 - 7 - 7 + 1 = -12, highs 7 - 1 - 1 + 7 = 12 */
    assert_double_equal(sc->range_lo, -12, 0);
    assert_double_equal(sc->range_hi, 12, 0);
    assert_int_equal(sc->value_min, -7);
    assert_int_equal(sc->value_max, 7);
    /* secure 6, fearful 2, preoccupied 3, dismissing 5: (6 + 5) - (3 + 2) = 6 */
    score_row(inst, min, (const long[]){6, 2, 3, 5}, out);
    expect_ok(&out[0], 6, 4);
    assert_int_equal(out[0].sum, 6);
    /* fearful 7, preoccupied 7, the others 1: 2 - 14 = -12, the lowest */
    score_row(inst, min, (const long[]){1, 7, 7, 1}, out);
    expect_ok(&out[0], -12, 4);
    /* a missing item: a sum needs every item, and a difference score cannot do without one */
    score_row(inst, min, (const long[]){6, 2, MIS, 5}, out);
    expect_too_few(&out[0], 3);
    rfs_instrument_free(inst);
}

/* A weighted derived score: a - b over two mean scales, and its range. */
static void test_weighted_derived(void **state)
{
    static const size_t ia[] = {1, 2}, ib[] = {3, 4}, comp[] = {0, 1}, order[] = {0};
    rfs_instrument *inst = new_inst(1, 5, 4);
    size_t min[2] = {1, 1};
    rfsi_score_result out[3];

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, ia, 2, NULL, -1, NULL);
    add_scale(inst, "b", RFSI_SCORE_MEAN, ib, 2, NULL, -1, NULL);
    add_derived(inst, "diff", RFSI_SCORE_SUM, comp, 2);
    inst->derived[0].weights = malloc(2 * sizeof(long));
    assert_non_null(inst->derived[0].weights);
    inst->derived[0].weights[0] = 1;
    inst->derived[0].weights[1] = -1;
    set_order(inst, order);
    finalize(inst);
    /* a, b in 1..5: a - b in 1 - 5 = -4 .. 5 - 1 = 4 */
    assert_double_equal(inst->derived[0].range_lo, -4, 0);
    assert_double_equal(inst->derived[0].range_hi, 4, 0);
    /* a = (5 + 4)/2 = 4.5, b = (1 + 2)/2 = 1.5: 4.5 - 1.5 = 3 */
    score_row(inst, min, (const long[]){5, 4, 1, 2}, out);
    expect_ok(&out[2], 3, 2);
    /* b's items missing: b not scored, so neither is the difference */
    score_row(inst, min, (const long[]){5, 4, MIS, MIS}, out);
    assert_int_equal(out[2].status, RFSI_STATUS_COMPONENT_NOT_SCORED);
    rfs_instrument_free(inst);
}

/* Per-item ranges: item 2 answers 0..1 within an instrument range of 0..4; reversing it
 * uses its own range (1 - x), and a sum's range adds the items' own ranges. */
static void test_item_range(void **state)
{
    static const size_t items[] = {1, 2};
    rfs_instrument *inst = new_inst(0, 4, 2);
    rfsi_scale *sc;
    size_t min[1] = {2};
    rfsi_score_result out[1];

    (void)state;
    inst->items = calloc(2, sizeof *inst->items);
    assert_non_null(inst->items);
    inst->items[1].has_range = 1;
    inst->items[1].min = 0;
    inst->items[1].max = 1;
    sc = add_scale(inst, "s", RFSI_SCORE_SUM, items, 2, (const size_t[]){2, 0}, -1, NULL);
    finalize(inst);
    /* item 1 defaults to 0..4; range 0 + 0 .. 4 + 1 = 0..5 */
    assert_int_equal(inst->items[0].min, 0);
    assert_int_equal(inst->items[0].max, 4);
    assert_double_equal(sc->range_lo, 0, 0);
    assert_double_equal(sc->range_hi, 5, 0);
    /* 3 + (1 - 0) = 4; with 4 - 0 from the instrument's range it would be 7 */
    score_row(inst, min, (const long[]){3, 0}, out);
    expect_ok(&out[0], 4, 2);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mean),
        cmocka_unit_test(test_min_answered_boundary),
        cmocka_unit_test(test_min_rule_resolution),
        cmocka_unit_test(test_sum_needs_every_item),
        cmocka_unit_test(test_prorated_sum),
        cmocka_unit_test(test_reverse_from_declared_range),
        cmocka_unit_test(test_reverse_1_to_7),
        cmocka_unit_test(test_recode_after_reverse),
        cmocka_unit_test(test_recode_items_subset),
        cmocka_unit_test(test_rfq8_by_hand),
        cmocka_unit_test(test_derived_mean_and_sum),
        cmocka_unit_test(test_derived_component_not_scored),
        cmocka_unit_test(test_derived_of_derived),
        cmocka_unit_test(test_derived_of_derived_loaded),
        cmocka_unit_test(test_derived_mean_listed_order),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_weighted_sum),
        cmocka_unit_test(test_weighted_derived),
        cmocka_unit_test(test_item_range),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

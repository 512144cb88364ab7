/* rfsi_indices_compute, rfsi_pearson and rfsi_flags_build: the careless-responding
 * indices and a row's flags (docs/validity.md). Instruments are built by hand (tables by
 * rfsi_instrument_finalize); row facts for the flags are built by hand too. Every
 * expected value is worked by hand in the comment next to it. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "scoring/cell.h"
#include "scoring/flags.h"
#include "definition/instrument.h"
#include "scoring/score.h"
#include "scoring/validity.h"

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

/* A scale over 1-based items; reversed lists 1-based items (0-terminated) or is NULL. */
static void add_scale(rfs_instrument *inst, const char *id, rfsi_score_kind kind, const size_t *items, size_t n,
                      const size_t *reversed)
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
    sc->recode = -1;
    for (j = 0; j < n; j++) {
        sc->items[j] = items[j] - 1;
        for (k = 0; reversed && reversed[k]; k++)
            if (reversed[k] == items[j])
                sc->reversed[j] = 1;
    }
}

/* n scales of 2 consecutive items each: scale s = items 2s+1, 2s+2 (1-based), named
 * "s0", "s1", ...; all of them declared for even-odd. */
static void pair_scales(rfs_instrument *inst, size_t n)
{
    size_t s;

    inst->validity.even_odd_scales = calloc(n, sizeof *inst->validity.even_odd_scales);
    assert_non_null(inst->validity.even_odd_scales);
    for (s = 0; s < n; s++) {
        size_t items[2];
        char id[32];
        items[0] = 2 * s + 1;
        items[1] = 2 * s + 2;
        snprintf(id, sizeof id, "s%zu", s);
        add_scale(inst, id, RFSI_SCORE_MEAN, items, 2, NULL);
        inst->validity.even_odd_scales[s] = s;
    }
    inst->validity.n_even_odd = n;
}

static void finalize(rfs_instrument *inst)
{
    assert_int_equal(rfsi_instrument_finalize(inst), 0);
}

/* Pairs from 1-based item numbers. */
static rfsi_pair *make_pairs(const size_t *ab, size_t n)
{
    rfsi_pair *p = calloc(n ? n : 1, sizeof *p);
    size_t k;

    assert_non_null(p);
    for (k = 0; k < n; k++) {
        p[k].a = ab[2 * k] - 1;
        p[k].b = ab[2 * k + 1] - 1;
    }
    return p;
}

/* Responses from ints: MIS = missing, INV = invalid, anything else an answer. The value
 * field of a missing/invalid cell is set to something an index must ignore. */
#define MIS (-1000)
#define INV (-1001)
static void responses(rfsi_response *r, const long *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        memset(&r[i], 0, sizeof r[i]);
        if (v[i] == MIS) {
            r[i].state = RFSI_MISSING;
            r[i].value = 3;
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

/* Computes the indices of one row, with garbage in out first so stale fields show. */
static void indices(const rfs_instrument *inst, const long *cells, rfsi_indices *out)
{
    rfsi_response *resp = calloc(inst->n_items, sizeof *resp);

    assert_non_null(resp);
    responses(resp, cells, inst->n_items);
    memset(out, 0, sizeof *out);
    out->longstring = 777;
    out->has_irv = out->has_even_odd = out->has_synonyms = out->has_antonyms = -7;
    out->irv = out->even_odd = out->synonyms = out->antonyms = -777;
    rfsi_indices_compute(inst, resp, out);
    free(resp);
}

static size_t longstring_of(const long *cells, size_t n)
{
    rfs_instrument *inst = new_inst(1, 5, n);
    rfsi_indices ix;

    indices(inst, cells, &ix);
    rfs_instrument_free(inst);
    return ix.longstring;
}

/* ------------------------------------------------------------------ longstring */

static void test_longstring(void **state)
{
    (void)state;
    /* 1 1 | 2 2 2 | 3: runs 2, 3, 1 -> 3 */
    assert_int_equal(longstring_of((const long[]){1, 1, 2, 2, 2, 3}, 6), 3);
    /* runs in item order, not counts: 1 1 | 2 | 1 1 1: max(rle(x)$lengths) = 3, though
     * five answers are 1 */
    assert_int_equal(longstring_of((const long[]){1, 1, 2, 1, 1, 1}, 6), 3);
    /* run at the end: 1 | 2 | 3 3 3 3 -> 4 */
    assert_int_equal(longstring_of((const long[]){1, 2, 3, 3, 3, 3}, 6), 4);
    /* run at the start: 5 5 5 | 4 | 3 -> 3 */
    assert_int_equal(longstring_of((const long[]){5, 5, 5, 4, 3}, 5), 3);
    /* all the same: 6 */
    assert_int_equal(longstring_of((const long[]){2, 2, 2, 2, 2, 2}, 6), 6);
    /* all different: 1 */
    assert_int_equal(longstring_of((const long[]){1, 2, 3, 4, 5}, 5), 1);
    /* a missing cell breaks a run: 2 2 | NA | 2 2 2 -> 3, not 5 */
    assert_int_equal(longstring_of((const long[]){2, 2, MIS, 2, 2, 2}, 6), 3);
    /* the missing cell's stored value (3) equals its neighbours and must not count:
     * 3 3 | NA | 3 3 -> 2 */
    assert_int_equal(longstring_of((const long[]){3, 3, MIS, 3, 3}, 5), 2);
    /* an invalid cell (stored value 4) breaks a run too: 4 4 | INV | 4 -> 2 */
    assert_int_equal(longstring_of((const long[]){4, 4, INV, 4}, 4), 2);
    /* nothing answered -> 0 (careless gives 1; documented difference) */
    assert_int_equal(longstring_of((const long[]){MIS, MIS, INV, MIS}, 4), 0);
    /* a single answer -> 1 */
    assert_int_equal(longstring_of((const long[]){MIS, 5, MIS, MIS}, 4), 1);
    /* a single item instrument: 1 */
    assert_int_equal(longstring_of((const long[]){3}, 1), 1);
}

/* ------------------------------------------------------------------ irv */

static void test_irv(void **state)
{
    rfs_instrument *inst5 = new_inst(1, 9, 5), *inst4 = new_inst(1, 9, 4), *inst8 = new_inst(1, 9, 8);
    rfsi_indices ix;

    (void)state;
    /* 1..5: mean 3, squared deviations 4+1+0+1+4 = 10, / (n-1 = 4) = 2.5 -> sqrt(2.5)
     * (population SD would be sqrt(2)) */
    indices(inst5, (const long[]){1, 2, 3, 4, 5}, &ix);
    assert_int_equal(ix.has_irv, 1);
    assert_double_equal(ix.irv, sqrt(2.5), 1e-15);

    /* 1, NA, 3, INV, 5: answered 1,3,5; mean 3; 4+0+4 = 8 / 2 = 4 -> 2
     * (counting the stored values 3 and 4 of the skipped cells would change it) */
    indices(inst5, (const long[]){1, MIS, 3, INV, 5}, &ix);
    assert_int_equal(ix.has_irv, 1);
    assert_double_equal(ix.irv, 2.0, 1e-15);

    /* 2 4 4 4 5 5 7 9: mean 40/8 = 5; 9+1+1+1+0+0+4+16 = 32 / 7 -> sqrt(32/7) */
    indices(inst8, (const long[]){2, 4, 4, 4, 5, 5, 7, 9}, &ix);
    assert_int_equal(ix.has_irv, 1);
    assert_double_equal(ix.irv, sqrt(32.0 / 7.0), 1e-15);

    /* two answers 1, 9: mean 5; 16+16 = 32 / 1 -> sqrt(32) */
    indices(inst4, (const long[]){1, MIS, MIS, 9}, &ix);
    assert_int_equal(ix.has_irv, 1);
    assert_double_equal(ix.irv, sqrt(32.0), 1e-14);

    /* all equal -> 0, and it is a value */
    indices(inst4, (const long[]){4, 4, 4, 4}, &ix);
    assert_int_equal(ix.has_irv, 1);
    assert_double_equal(ix.irv, 0.0, 0);

    /* one answer -> no value */
    indices(inst4, (const long[]){MIS, 7, INV, MIS}, &ix);
    assert_int_equal(ix.has_irv, 0);
    /* none -> no value */
    indices(inst4, (const long[]){MIS, MIS, INV, MIS}, &ix);
    assert_int_equal(ix.has_irv, 0);
    rfs_instrument_free(inst5);
    rfs_instrument_free(inst4);
    rfs_instrument_free(inst8);
}

/* ------------------------------------------------------------------ even-odd */

static void test_even_odd_basic(void **state)
{
    /* 3 scales of 2 items on 1..5: scale s = items 2s+1 (odd half), 2s+2 (even half), so
     * each half mean is just that item's value. */
    rfs_instrument *inst = new_inst(1, 5, 6);
    rfsi_indices ix;

    (void)state;
    pair_scales(inst, 3);
    finalize(inst);

    /* odd 1,2,3; even 1,2,3 -> r = 1 -> SB 2*1/(1+1) = 1 */
    indices(inst, (const long[]){1, 1, 2, 2, 3, 3}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 1.0, 1e-12);

    /* odd 1,2,3; even 3,2,1 -> r = -1 -> SB -2/0 -> floored at -1 */
    indices(inst, (const long[]){1, 3, 2, 2, 3, 1}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, -1.0, 0);

    /* odd 1,2,3 (centred -1,0,1); even 1,3,2 (centred -1,1,0):
     * sxy = 1+0+0 = 1, sxx = 2, syy = 2 -> r = 1/2 -> SB 1/(3/2) = 2/3 */
    indices(inst, (const long[]){1, 1, 2, 3, 3, 2}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 2.0 / 3.0, 1e-12);

    /* odd 1,2,3; even 3,1,2 (centred 1,-1,0): sxy = -1 -> r = -1/2 ->
     * SB -1/(1/2) = -2 -> floored at -1 */
    indices(inst, (const long[]){1, 3, 2, 1, 3, 2}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, -1.0, 0);

    /* odd 2,2,2: zero variance -> no value */
    indices(inst, (const long[]){2, 1, 2, 4, 2, 5}, &ix);
    assert_int_equal(ix.has_even_odd, 0);
    /* even 4,4,4: zero variance -> no value */
    indices(inst, (const long[]){1, 4, 2, 4, 3, 4}, &ix);
    assert_int_equal(ix.has_even_odd, 0);

    /* scale s1 has an empty even half (item 4 missing) and s2 an empty odd half (item 5
     * invalid): only s0 usable -> fewer than 2 scales -> no value */
    indices(inst, (const long[]){1, 2, 3, MIS, INV, 4}, &ix);
    assert_int_equal(ix.has_even_odd, 0);
    rfs_instrument_free(inst);
}

static void test_even_odd_empty_half_skipped(void **state)
{
    /* 4 scales of 2 items; s3 = items 7, 8 with item 8 missing: its even half is empty, so
     * it is skipped (pairwise complete) and the other three give the r = 1/2 case above:
     * odd 1,2,3; even 1,3,2 -> SB 2/3. */
    rfs_instrument *inst = new_inst(1, 5, 8);
    rfsi_indices ix;

    (void)state;
    pair_scales(inst, 4);
    finalize(inst);
    indices(inst, (const long[]){1, 1, 2, 3, 3, 2, 5, MIS}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 2.0 / 3.0, 1e-12);
    /* the skipped scale in the middle: s1 = items 3, 4 with item 3 invalid; the others are
     * s0 (1,1), s2 (2,3), s3 (3,2): odd 1,2,3; even 1,3,2 -> 2/3 again */
    indices(inst, (const long[]){1, 1, INV, 5, 2, 3, 3, 2}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 2.0 / 3.0, 1e-12);
    rfs_instrument_free(inst);
}

static void test_even_odd_means_and_scored_values(void **state)
{
    /* 3 scales of 4 items on 1..5: a = 1-4, b = 5-8, c = 9-12; odd half = 1st and 3rd
     * listed, even half = 2nd and 4th.
     * a = 1 1 3 3: odd (1+3)/2 = 2, even (1+3)/2 = 2
     * b = 2 4 4 NA: odd (2+4)/2 = 3, even 4/1 = 4 (missing ignored)
     * c = 5 5 5 5: odd 5, even 5
     * odd 2,3,5 (mean 10/3, centred -4/3,-1/3,5/3); even 2,4,5 (mean 11/3, centred
     * -5/3,1/3,4/3): sxy = (20-1+20)/9 = 39/9, sxx = (16+1+25)/9 = 42/9,
     * syy = (25+1+16)/9 = 42/9 -> r = 39/42 = 13/14 -> SB (26/14)/(27/14) = 26/27 */
    static const size_t ia[] = {1, 2, 3, 4}, ib[] = {5, 6, 7, 8}, ic[] = {9, 10, 11, 12};
    static const size_t rev[] = {2, 0};
    rfs_instrument *inst = new_inst(1, 5, 12), *inst2 = new_inst(1, 5, 6);
    rfsi_indices ix;

    (void)state;
    add_scale(inst, "a", RFSI_SCORE_MEAN, ia, 4, NULL);
    add_scale(inst, "b", RFSI_SCORE_MEAN, ib, 4, NULL);
    add_scale(inst, "c", RFSI_SCORE_MEAN, ic, 4, NULL);
    inst->validity.even_odd_scales = calloc(3, sizeof(size_t));
    assert_non_null(inst->validity.even_odd_scales);
    inst->validity.even_odd_scales[0] = 0;
    inst->validity.even_odd_scales[1] = 1;
    inst->validity.even_odd_scales[2] = 2;
    inst->validity.n_even_odd = 3;
    finalize(inst);
    indices(inst, (const long[]){1, 1, 3, 3, 2, 4, 4, MIS, 5, 5, 5, 5}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 26.0 / 27.0, 1e-12);

    /* Scored values, not raw: s0 = items 1, 2 with item 2 reversed (x -> 6 - x).
     * Raw 1 5 | 2 2 | 3 3: scored s0 odd 1, even 6-5 = 1; odd 1,2,3; even 1,2,3 -> SB 1.
     * (Raw values would give even 5,2,3: centred 5/3,-4/3,-1/3 against -1,0,1:
     * sxy = -5/3 - 1/3 = -2 < 0.) */
    add_scale(inst2, "s0", RFSI_SCORE_MEAN, (const size_t[]){1, 2}, 2, rev);
    add_scale(inst2, "s1", RFSI_SCORE_MEAN, (const size_t[]){3, 4}, 2, NULL);
    add_scale(inst2, "s2", RFSI_SCORE_MEAN, (const size_t[]){5, 6}, 2, NULL);
    inst2->validity.even_odd_scales = calloc(3, sizeof(size_t));
    assert_non_null(inst2->validity.even_odd_scales);
    inst2->validity.even_odd_scales[0] = 0;
    inst2->validity.even_odd_scales[1] = 1;
    inst2->validity.even_odd_scales[2] = 2;
    inst2->validity.n_even_odd = 3;
    finalize(inst2);
    indices(inst2, (const long[]){1, 5, 2, 2, 3, 3}, &ix);
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 1.0, 1e-12);
    rfs_instrument_free(inst);
    rfs_instrument_free(inst2);
}

static void test_even_odd_needs_two_scales(void **state)
{
    /* one declared scale, both halves answered with variance inside it: never a value */
    rfs_instrument *inst = new_inst(1, 5, 4), *none = new_inst(1, 5, 4);
    rfsi_indices ix;

    (void)state;
    pair_scales(inst, 1);
    finalize(inst);
    indices(inst, (const long[]){1, 5, 3, 3}, &ix);
    assert_int_equal(ix.has_even_odd, 0);
    /* none declared */
    indices(none, (const long[]){1, 5, 3, 3}, &ix);
    assert_int_equal(ix.has_even_odd, 0);
    assert_int_equal(ix.has_synonyms, 0);
    assert_int_equal(ix.has_antonyms, 0);
    rfs_instrument_free(inst);
    rfs_instrument_free(none);
}

static void test_even_odd_many_scales(void **state)
{
    /* 66 declared scales of 2 items (132 items; the loader accepts up to 500 such scales).
     * s0..s63 alternate (odd 1, even 1) and (odd 2, even 2); s64 = (1, 2); s65 = (2, 1).
     * With X = odd - 1, Y = even - 1 over n = 66 scales: sum X = 33, sum Y = 33,
     * sum XY = 32, sum X^2 = sum Y^2 = 33.
     * sxy = 32 - 33*33/66 = 15.5; sxx = syy = 33 - 16.5 = 16.5 -> r = 31/33 ->
     * SB (62/33)/(64/33) = 31/32. Every declared scale counts (only the first 64 would
     * give r = 1 -> 1). */
    rfs_instrument *inst = new_inst(1, 5, 132);
    long cells[132];
    rfsi_indices ix;
    size_t s;

    (void)state;
    pair_scales(inst, 66);
    finalize(inst);
    for (s = 0; s < 64; s++)
        cells[2 * s] = cells[2 * s + 1] = (long)(s % 2) + 1;
    cells[128] = 1;
    cells[129] = 2;
    cells[130] = 2;
    cells[131] = 1;
    indices(inst, cells, &ix);
    rfs_instrument_free(inst); /* first, so a failure leaks nothing */
    assert_int_equal(ix.has_even_odd, 1);
    assert_double_equal(ix.even_odd, 31.0 / 32.0, 1e-12);
}

/* ------------------------------------------------------------------ synonyms / antonyms */

static void test_synonyms_antonyms(void **state)
{
    /* 10 items on 1..5. synonyms (1,5) (2,6) (3,7) (4,8) (9,10); antonyms (1,8) (2,7)
     * (3,6) (4,5). */
    static const size_t syn[] = {1, 5, 2, 6, 3, 7, 4, 8, 9, 10};
    static const size_t ant[] = {1, 8, 2, 7, 3, 6, 4, 5};
    rfs_instrument *inst = new_inst(1, 5, 10);
    rfsi_indices ix;

    (void)state;
    inst->validity.synonyms = make_pairs(syn, 5);
    inst->validity.n_synonyms = 5;
    inst->validity.antonyms = make_pairs(ant, 4);
    inst->validity.n_antonyms = 4;
    finalize(inst);

    /* items 1-4 = 1 2 3 4, items 5-8 = 2 1 4 3, item 9 NA (pair (9,10) incomplete).
     * synonyms over 4 complete pairs: x 1,2,3,4 (centred -1.5,-.5,.5,1.5),
     * y 2,1,4,3 (centred -.5,-1.5,1.5,.5): sxy = .75+.75+.75+.75 = 3, sxx = syy = 5
     * -> r = 3/5 = 0.6.
     * antonyms: x 1,2,3,4; y = items 8,7,6,5 = 3,4,1,2 (centred .5,1.5,-1.5,-.5):
     * sxy = -.75-.75-.75-.75 = -3 -> r = -3/5 = -0.6 */
    indices(inst, (const long[]){1, 2, 3, 4, 2, 1, 4, 3, MIS, 5}, &ix);
    assert_int_equal(ix.has_synonyms, 1);
    assert_double_equal(ix.synonyms, 0.6, 1e-12);
    assert_int_equal(ix.has_antonyms, 1);
    assert_double_equal(ix.antonyms, -0.6, 1e-12);

    /* raw answers: the 5th pair complete now (9,10) = (5,5): synonyms x 1,2,3,4,5 and
     * y 2,1,4,3,5: means 3, 3; centred x -2,-1,0,1,2, y -1,-2,1,0,2:
     * sxy = 2+2+0+0+4 = 8, sxx = syy = 10 -> r = 0.8 */
    indices(inst, (const long[]){1, 2, 3, 4, 2, 1, 4, 3, 5, 5}, &ix);
    assert_int_equal(ix.has_synonyms, 1);
    assert_double_equal(ix.synonyms, 0.8, 1e-12);

    /* 3 complete pairs suffice (> 2): item 4 missing breaks (4,8), (4,5) and item 9 (9,10).
     * items 1-8 = 1 2 3 NA 1 3 2 5.
     * synonyms (1,5) (2,6) (3,7): x 1,2,3, y 1,3,2 -> (centred -1,0,1 / -1,1,0) sxy 1,
     * sxx = syy = 2 -> 0.5.
     * antonyms (1,8) (2,7) (3,6): x 1,2,3, y = items 8,7,6 = 5,2,3: mean 10/3, centred
     * 5/3,-4/3,-1/3: sxy = -5/3 + 0 - 1/3 = -2, syy = (25+16+1)/9 = 42/9
     * -> r = -2 / sqrt(2 * 42/9) = -2 / sqrt(84/9) = -6/sqrt(84) */
    indices(inst, (const long[]){1, 2, 3, MIS, 1, 3, 2, 5, MIS, 5}, &ix);
    assert_int_equal(ix.has_synonyms, 1);
    assert_double_equal(ix.synonyms, 0.5, 1e-12);
    assert_int_equal(ix.has_antonyms, 1);
    assert_double_equal(ix.antonyms, -6.0 / sqrt(84.0), 1e-12);

    /* only 2 complete pairs (items 3 and 4 gone, 9 invalid): no value for either */
    indices(inst, (const long[]){1, 2, INV, MIS, 5, 2, 3, 5, INV, 5}, &ix);
    assert_int_equal(ix.has_synonyms, 0);
    assert_int_equal(ix.has_antonyms, 0);

    /* zero variance on one side: synonyms x 1,2,3,4,5 but y all 3 -> no value */
    indices(inst, (const long[]){1, 2, 3, 4, 3, 3, 3, 3, 5, 3}, &ix);
    assert_int_equal(ix.has_synonyms, 0);
    rfs_instrument_free(inst);
}

static void test_synonyms_many_pairs(void **state)
{
    /* 260 declared pairs (k, 260 + k), 520 items (the loader accepts up to 500 pairs).
     * Pairs 0..255: x = y, alternating 1 and 2 (128 of (1,1), 128 of (2,2)); pairs
     * 256..259: (1, 2). With X = x - 1, Y = y - 1, n = 260: sum X = 128, sum Y = 132,
     * sum XY = 128, sum X^2 = 128, sum Y^2 = 132.
     * sxy = 128 - 128*132/260 = 128*128/260; sxx = 128 - 128^2/260 = 128*132/260;
     * syy = 132 - 132^2/260 = 132*128/260 -> r = 128*128 / (128*132) = 32/33.
     * Every declared pair counts (only the first 256 would give r = 1). */
    rfs_instrument *inst = new_inst(1, 5, 520);
    long cells[520];
    size_t ab[520], k;
    rfsi_indices ix;

    (void)state;
    for (k = 0; k < 260; k++) {
        ab[2 * k] = k + 1;
        ab[2 * k + 1] = 260 + k + 1;
        if (k < 256)
            cells[k] = cells[260 + k] = (long)(k % 2) + 1;
        else {
            cells[k] = 1;
            cells[260 + k] = 2;
        }
    }
    inst->validity.synonyms = make_pairs(ab, 260);
    inst->validity.n_synonyms = 260;
    finalize(inst);
    indices(inst, cells, &ix);
    rfs_instrument_free(inst); /* first, so a failure leaks nothing */
    assert_int_equal(ix.has_synonyms, 1);
    assert_double_equal(ix.synonyms, 32.0 / 33.0, 1e-12);
}

/* ------------------------------------------------------------------ rfsi_pearson */

static void test_pearson(void **state)
{
    double r;

    (void)state;
    /* y = 2x: r = 1 */
    r = -9;
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3}, (const double[]){2, 4, 6}, 3, &r), 1);
    assert_double_equal(r, 1.0, 1e-15);
    /* y = -x + 4: r = -1 */
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3}, (const double[]){3, 2, 1}, 3, &r), 1);
    assert_double_equal(r, -1.0, 1e-15);
    /* x 1,2,3,4, y 2,1,4,3: sxy 3, sxx = syy = 5 -> 0.6 */
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3, 4}, (const double[]){2, 1, 4, 3}, 4, &r), 1);
    assert_double_equal(r, 0.6, 1e-15);
    /* x 1,2,3 y 1,3,2 -> 0.5 */
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3}, (const double[]){1, 3, 2}, 3, &r), 1);
    assert_double_equal(r, 0.5, 1e-15);
    /* x 0,0,1,1 y 0,1,0,1: centred x -.5,-.5,.5,.5, y -.5,.5,-.5,.5 -> sxy 0 -> r 0 */
    assert_int_equal(rfsi_pearson((const double[]){0, 0, 1, 1}, (const double[]){0, 1, 0, 1}, 4, &r), 1);
    assert_double_equal(r, 0.0, 1e-15);
    /* x 1,2,3 y 5,2,3: sxy -2, sxx 2, syy 42/9 -> -2/sqrt(84/9) = -6/sqrt(84) */
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3}, (const double[]){5, 2, 3}, 3, &r), 1);
    assert_double_equal(r, -6.0 / sqrt(84.0), 1e-15);
    /* two points: always +-1 */
    assert_int_equal(rfsi_pearson((const double[]){1, 5}, (const double[]){7, 2}, 2, &r), 1);
    assert_double_equal(r, -1.0, 1e-15);

    /* no value: n < 2, or a zero variance; r untouched */
    r = 42;
    assert_int_equal(rfsi_pearson((const double[]){1}, (const double[]){2}, 1, &r), 0);
    assert_int_equal(rfsi_pearson((const double[]){1}, (const double[]){2}, 0, &r), 0);
    assert_int_equal(rfsi_pearson((const double[]){3, 3, 3}, (const double[]){1, 2, 3}, 3, &r), 0);
    assert_int_equal(rfsi_pearson((const double[]){1, 2, 3}, (const double[]){4, 4, 4}, 3, &r), 0);
    assert_double_equal(r, 42.0, 0);
}

/* ------------------------------------------------------------------ flags */

/* An 8-item instrument on 1..5, columns q1..q8, missing types "refused", "dontknow";
 * scales: 0 "c" mean over items 1-6, 1 "s" sum over items 7-8; attention item 4 must be 1.
 * Every fact of the row is set by hand; each test changes only what it needs. */
typedef struct fixture {
    rfs_instrument *inst;
    rfsi_thresholds th;
    rfsi_response resp[8];
    rfsi_score_result res[2];
    size_t min_answered[2];
    rfsi_indices ix;
    char text[256];
    size_t bad_off[8], bad_len[8];
    rfsi_row_facts row;
    rfsi_buf out;
} fixture;

static const char *const item_names[8] = {"q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"};
static const char *const missing_type_names[2] = {"refused", "dontknow"};

static void fx_init(fixture *f)
{
    static const size_t ic[] = {1, 2, 3, 4, 5, 6}, is[] = {7, 8};
    size_t i;

    memset(f, 0, sizeof *f);
    f->inst = new_inst(1, 5, 8);
    add_scale(f->inst, "c", RFSI_SCORE_MEAN, ic, 6, NULL);
    add_scale(f->inst, "s", RFSI_SCORE_SUM, is, 2, NULL);
    f->inst->validity.attention = calloc(1, sizeof *f->inst->validity.attention);
    assert_non_null(f->inst->validity.attention);
    f->inst->validity.attention[0].item = 3; /* q4 */
    f->inst->validity.attention[0].expected = 1;
    f->inst->validity.n_attention = 1;
    finalize(f->inst);

    /* thresholds: the documented defaults (indices off, 0, 0, 0, 2 s per item) */
    f->th.seconds_per_item = 2;
    /* a clean row: q1..q8 = 2 3 4 1 5 2 3 4 (q4 = 1 as the attention check wants) */
    responses(f->resp, (const long[]){2, 3, 4, 1, 5, 2, 3, 4}, 8);
    f->res[0].status = RFSI_STATUS_OK;
    f->res[0].n = 6;
    f->res[1].status = RFSI_STATUS_OK;
    f->res[1].n = 2;
    f->min_answered[0] = 5;
    f->min_answered[1] = 2;
    /* index values that no default threshold flags */
    f->ix.longstring = 1;
    f->ix.has_irv = 1;
    f->ix.irv = 1.25;
    f->ix.has_even_odd = 1;
    f->ix.even_odd = 0.5;
    f->ix.has_synonyms = 1;
    f->ix.synonyms = 0.5;
    f->ix.has_antonyms = 1;
    f->ix.antonyms = -0.5;
    for (i = 0; i < 8; i++)
        f->bad_off[i] = f->bad_len[i] = 0;
    f->row.resp = f->resp;
    f->row.res = f->res;
    f->row.min_answered = f->min_answered;
    f->row.ix = &f->ix;
    f->row.text = f->text;
    f->row.bad_off = f->bad_off;
    f->row.bad_len = f->bad_len;
    f->row.missing_types = missing_type_names;
    f->row.item_names = item_names;
    f->row.has_duration = 0;
    f->row.id_count = 1;
    /* stale contents, to see the buffer cleared */
    assert_int_equal(rfsi_buf_puts(&f->out, "stale;junk"), 0);
}

static void fx_free(fixture *f)
{
    rfsi_buf_free(&f->out);
    rfs_instrument_free(f->inst);
}

#define BIT(k) (1L << (k))

/* Builds the flags and checks the text and the kinds. */
static void expect_flags(fixture *f, const char *want, long kinds)
{
    long got = rfsi_flags_build(f->inst, &f->th, &f->row, &f->out);
    char *s = malloc(f->out.len + 1);

    assert_non_null(s);
    if (f->out.len)
        memcpy(s, f->out.data, f->out.len);
    s[f->out.len] = '\0';
    if (strcmp(s, want) != 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "flags \"%s\" != \"%s\"", s, want);
        free(s);
        fail_msg("%s", msg);
    }
    free(s);
    assert_int_equal(f->out.len, strlen(want)); /* no NUL or bytes past the text */
    assert_int_equal(got, kinds);
}

/* Marks item i (0-based) invalid with text s[0..len). */
static void set_invalid(fixture *f, size_t i, const char *s, size_t len, size_t *at)
{
    f->resp[i].state = RFSI_INVALID;
    f->resp[i].value = 0;
    memcpy(f->text + *at, s, len);
    f->bad_off[i] = *at;
    f->bad_len[i] = len;
    *at += len;
}

static void test_flags_clean_row(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    expect_flags(&f, "", 0);
    /* the same with a duration at the limit: 2 s x 8 items = 16, and 16 is not < 16 */
    f.row.has_duration = 1;
    f.row.duration = 16;
    expect_flags(&f, "", 0);
    /* untyped missing cells (blank/NA) are not flagged */
    f.resp[1].state = RFSI_MISSING;
    f.resp[1].missing_type = 0;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_empty_row(void **state)
{
    fixture f;
    size_t i;

    (void)state;
    fx_init(&f);
    f.inst->validity.n_attention = 0; /* else the attention item would be flagged too */
    for (i = 0; i < 8; i++) {
        f.resp[i].state = RFSI_MISSING;
        f.resp[i].missing_type = 0;
    }
    f.ix.has_irv = f.ix.has_even_odd = f.ix.has_synonyms = f.ix.has_antonyms = 0;
    f.ix.longstring = 0;
    expect_flags(&f, "empty_row", BIT(RFSI_FLAG_EMPTY_ROW));
    /* one answer: not empty */
    f.resp[7].state = RFSI_ANSWER;
    f.resp[7].value = 5;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_duplicate_id(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    f.row.id_count = 3;
    expect_flags(&f, "duplicate_id:3", BIT(RFSI_FLAG_DUPLICATE_ID));
    f.row.id_count = 2;
    expect_flags(&f, "duplicate_id:2", BIT(RFSI_FLAG_DUPLICATE_ID));
    f.row.id_count = 1;
    expect_flags(&f, "", 0);
    f.row.id_count = 0; /* empty ids are counted 0: never duplicates */
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_invalid_answer(void **state)
{
    fixture f;
    size_t at = 0;
    static const char longv[] = "0123456789abcdefghijklmnopqrstuvWXYZ"; /* 36 bytes */
    static const char odd[] = "a;b=c\n\0d\x7f\xc3\xa9"; /* 12 bytes, with a NUL */

    (void)state;
    fx_init(&f);
    set_invalid(&f, 1, "9", 1, &at);
    expect_flags(&f, "invalid_answer:q2=9", BIT(RFSI_FLAG_INVALID_ANSWER));

    /* two invalid cells, in item order; q6 holds 36 bytes, cut to the first 32 */
    set_invalid(&f, 5, longv, 36, &at);
    expect_flags(&f, "invalid_answer:q2=9;invalid_answer:q6=0123456789abcdefghijklmnopqrstuv",
                 BIT(RFSI_FLAG_INVALID_ANSWER));

    /* ';' '=' '\n' NUL 0x7f shown as '?'; bytes >= 0x80 (UTF-8 e-acute) kept:
     * a ; b = c \n \0 d \x7f \xc3 \xa9 -> a?b?c??d?\xc3\xa9 */
    fx_free(&f);
    fx_init(&f);
    at = 0;
    set_invalid(&f, 2, odd, sizeof odd - 1, &at);
    expect_flags(&f, "invalid_answer:q3=a?b?c??d?\xc3\xa9", BIT(RFSI_FLAG_INVALID_ANSWER));

    /* the cut comes before the replacing: 31 'x' then ";;" (33 bytes) -> 31 'x' and one '?' */
    fx_free(&f);
    fx_init(&f);
    at = 0;
    set_invalid(&f, 0, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;;", 33, &at);
    expect_flags(&f, "invalid_answer:q1=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx?", BIT(RFSI_FLAG_INVALID_ANSWER));
    /* exactly 32 bytes: kept whole */
    fx_free(&f);
    fx_init(&f);
    at = 0;
    set_invalid(&f, 0, "0123456789abcdefghijklmnopqrstuv", 32, &at);
    expect_flags(&f, "invalid_answer:q1=0123456789abcdefghijklmnopqrstuv", BIT(RFSI_FLAG_INVALID_ANSWER));
    fx_free(&f);
}

static void test_flags_missing(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* q3 = the 2nd missing type, q7 = the 1st; in item order */
    f.resp[2].state = RFSI_MISSING;
    f.resp[2].missing_type = 2;
    f.resp[6].state = RFSI_MISSING;
    f.resp[6].missing_type = 1;
    expect_flags(&f, "missing:q3=dontknow;missing:q7=refused", BIT(RFSI_FLAG_MISSING));
    fx_free(&f);
}

static void test_flags_attention(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* q4 must be 1: answered 4 */
    f.resp[3].value = 4;
    expect_flags(&f, "attention:q4=4", BIT(RFSI_FLAG_ATTENTION));
    /* missing (untyped) */
    f.resp[3].state = RFSI_MISSING;
    f.resp[3].missing_type = 0;
    f.resp[3].value = 1; /* a stale value equal to the expected answer must not pass */
    expect_flags(&f, "attention:q4=missing", BIT(RFSI_FLAG_ATTENTION));
    /* typed missing: both the information and the attention flag */
    f.resp[3].missing_type = 1;
    expect_flags(&f, "missing:q4=refused;attention:q4=missing", BIT(RFSI_FLAG_MISSING) | BIT(RFSI_FLAG_ATTENTION));
    /* invalid "7" */
    f.resp[3].missing_type = 0;
    {
        size_t at = 0;
        set_invalid(&f, 3, "7", 1, &at);
        f.resp[3].value = 1;
    }
    expect_flags(&f, "invalid_answer:q4=7;attention:q4=invalid",
                 BIT(RFSI_FLAG_INVALID_ANSWER) | BIT(RFSI_FLAG_ATTENTION));
    /* right answer: nothing */
    f.resp[3].state = RFSI_ANSWER;
    f.resp[3].value = 1;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_too_few_items(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* mean scale c: 4 answered, 5 needed -> c=4<5 */
    f.res[0].status = RFSI_STATUS_TOO_FEW_ITEMS;
    f.res[0].n = 4;
    expect_flags(&f, "too_few_items:c=4<5", BIT(RFSI_FLAG_TOO_FEW_ITEMS));
    /* the needed count comes from the row's min_answered (an override), here 6 */
    f.min_answered[0] = 6;
    expect_flags(&f, "too_few_items:c=4<6", BIT(RFSI_FLAG_TOO_FEW_ITEMS));
    /* sum scale s needs every item: 1 < 2 whatever min_answered says */
    f.res[1].status = RFSI_STATUS_TOO_FEW_ITEMS;
    f.res[1].n = 1;
    f.min_answered[1] = 1;
    expect_flags(&f, "too_few_items:c=4<6;too_few_items:s=1<2", BIT(RFSI_FLAG_TOO_FEW_ITEMS));
    fx_free(&f);
}

static void test_flags_longstring_irv(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* no maximum: a run of 8 is not flagged */
    f.ix.longstring = 8;
    expect_flags(&f, "", 0);
    f.th.has_longstring_max = 1;
    f.th.longstring_max = 6;
    expect_flags(&f, "longstring:8>6", BIT(RFSI_FLAG_LONGSTRING));
    /* 7 > 6 */
    f.ix.longstring = 7;
    expect_flags(&f, "longstring:7>6", BIT(RFSI_FLAG_LONGSTRING));
    /* 6 is not > 6 */
    f.ix.longstring = 6;
    expect_flags(&f, "", 0);

    /* no minimum: irv 0.25 not flagged */
    f.ix.irv = 0.25;
    expect_flags(&f, "", 0);
    f.th.has_irv_min = 1;
    f.th.irv_min = 0.5;
    expect_flags(&f, "irv:0.25<0.5", BIT(RFSI_FLAG_IRV));
    /* 0 < 0.5 */
    f.ix.irv = 0;
    expect_flags(&f, "irv:0<0.5", BIT(RFSI_FLAG_IRV));
    /* 0.5 is not < 0.5 */
    f.ix.irv = 0.5;
    expect_flags(&f, "", 0);
    /* no irv value: nothing, even with a stale low value */
    f.ix.irv = 0;
    f.ix.has_irv = 0;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_even_odd_synonyms_antonyms(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* defaults 0, 0, 0 */
    f.ix.even_odd = -0.25;
    expect_flags(&f, "even_odd:-0.25<0", BIT(RFSI_FLAG_EVEN_ODD));
    f.ix.even_odd = 0; /* not < 0 */
    expect_flags(&f, "", 0);
    f.ix.even_odd = -1;
    f.ix.has_even_odd = 0; /* no value, no flag */
    expect_flags(&f, "", 0);

    f.ix.synonyms = -0.5;
    expect_flags(&f, "synonyms:-0.5<0", BIT(RFSI_FLAG_SYNONYMS));
    f.th.synonyms_min = 0.3;
    f.ix.synonyms = 0.25;
    expect_flags(&f, "synonyms:0.25<0.3", BIT(RFSI_FLAG_SYNONYMS));
    f.ix.synonyms = 0.3; /* not < 0.3 */
    expect_flags(&f, "", 0);
    f.ix.synonyms = -1;
    f.ix.has_synonyms = 0;
    expect_flags(&f, "", 0);

    f.ix.antonyms = 0.5;
    expect_flags(&f, "antonyms:0.5>0", BIT(RFSI_FLAG_ANTONYMS));
    f.ix.antonyms = 0; /* not > 0 */
    expect_flags(&f, "", 0);
    f.th.antonyms_max = -0.5;
    f.ix.antonyms = -0.25;
    expect_flags(&f, "antonyms:-0.25>-0.5", BIT(RFSI_FLAG_ANTONYMS));
    f.ix.has_antonyms = 0;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_too_fast(void **state)
{
    fixture f;

    (void)state;
    fx_init(&f);
    /* 2 s x 8 items = 16: 12 < 16 */
    f.row.has_duration = 1;
    f.row.duration = 12;
    expect_flags(&f, "too_fast:12<16", BIT(RFSI_FLAG_TOO_FAST));
    /* 1.5 s x 8 = 12: 11.5 < 12 */
    f.th.seconds_per_item = 1.5;
    f.row.duration = 11.5;
    expect_flags(&f, "too_fast:11.5<12", BIT(RFSI_FLAG_TOO_FAST));
    /* 12 is not < 12 */
    f.row.duration = 12;
    expect_flags(&f, "", 0);
    /* no duration: nothing */
    f.row.duration = 0;
    f.row.has_duration = 0;
    expect_flags(&f, "", 0);
    fx_free(&f);
}

static void test_flags_order(void **state)
{
    /* Every kind at once, in the documented order (not in item order across kinds):
     * q1 typed missing (refused) comes after q2's invalid answer. Facts (by hand, not
     * consistent with each other on purpose):
     * no answer at all -> empty_row; id seen 2 times; q2 invalid "x"; q1 refused;
     * q4 (attention) untyped missing; c 0 of 5; s 0 of 2; longstring 3 > 2;
     * irv 0.25 < 0.5; even_odd -0.5 < 0; synonyms -0.25 < 0; antonyms 0.75 > 0.5;
     * duration 1 < 2 x 8 = 16. */
    fixture f;
    size_t i, at = 0;

    (void)state;
    fx_init(&f);
    for (i = 0; i < 8; i++) {
        f.resp[i].state = RFSI_MISSING;
        f.resp[i].missing_type = 0;
    }
    f.resp[0].missing_type = 1;
    set_invalid(&f, 1, "x", 1, &at);
    f.row.id_count = 2;
    f.res[0].status = RFSI_STATUS_TOO_FEW_ITEMS;
    f.res[0].n = 0;
    f.res[1].status = RFSI_STATUS_TOO_FEW_ITEMS;
    f.res[1].n = 0;
    f.th.has_longstring_max = 1;
    f.th.longstring_max = 2;
    f.ix.longstring = 3;
    f.th.has_irv_min = 1;
    f.th.irv_min = 0.5;
    f.ix.irv = 0.25;
    f.ix.even_odd = -0.5;
    f.ix.synonyms = -0.25;
    f.th.antonyms_max = 0.5;
    f.ix.antonyms = 0.75;
    f.row.has_duration = 1;
    f.row.duration = 1;
    expect_flags(&f,
                 "empty_row;duplicate_id:2;invalid_answer:q2=x;missing:q1=refused;attention:q4=missing;"
                 "too_few_items:c=0<5;too_few_items:s=0<2;longstring:3>2;irv:0.25<0.5;even_odd:-0.5<0;"
                 "synonyms:-0.25<0;antonyms:0.75>0.5;too_fast:1<16",
                 (1L << RFSI_FLAG_COUNT) - 1);
    fx_free(&f);
}

static void test_thresholds_from(void **state)
{
    rfs_instrument *inst = new_inst(1, 5, 3);
    rfsi_thresholds th;

    (void)state;
    inst->validity.has_longstring_max = 1;
    inst->validity.longstring_max = 4;
    inst->validity.has_irv_min = 1;
    inst->validity.irv_min = 0.75;
    inst->validity.even_odd_min = -0.25;
    inst->validity.synonyms_min = 0.125;
    inst->validity.antonyms_max = -0.5;
    inst->validity.seconds_per_item = 3.5;
    inst->validity.invalid_mask = 0x5u;
    memset(&th, 0xAB, sizeof th);
    rfsi_thresholds_from(inst, &th);
    assert_int_equal(th.has_longstring_max, 1);
    assert_int_equal(th.longstring_max, 4);
    assert_int_equal(th.has_irv_min, 1);
    assert_double_equal(th.irv_min, 0.75, 0);
    assert_double_equal(th.even_odd_min, -0.25, 0);
    assert_double_equal(th.synonyms_min, 0.125, 0);
    assert_double_equal(th.antonyms_max, -0.5, 0);
    assert_double_equal(th.seconds_per_item, 3.5, 0);
    assert_int_equal(th.invalid_mask, 0x5u);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_longstring),
        cmocka_unit_test(test_irv),
        cmocka_unit_test(test_even_odd_basic),
        cmocka_unit_test(test_even_odd_empty_half_skipped),
        cmocka_unit_test(test_even_odd_means_and_scored_values),
        cmocka_unit_test(test_even_odd_needs_two_scales),
        cmocka_unit_test(test_even_odd_many_scales),
        cmocka_unit_test(test_synonyms_antonyms),
        cmocka_unit_test(test_synonyms_many_pairs),
        cmocka_unit_test(test_pearson),
        cmocka_unit_test(test_flags_clean_row),
        cmocka_unit_test(test_flags_empty_row),
        cmocka_unit_test(test_flags_duplicate_id),
        cmocka_unit_test(test_flags_invalid_answer),
        cmocka_unit_test(test_flags_missing),
        cmocka_unit_test(test_flags_attention),
        cmocka_unit_test(test_flags_too_few_items),
        cmocka_unit_test(test_flags_longstring_irv),
        cmocka_unit_test(test_flags_even_odd_synonyms_antonyms),
        cmocka_unit_test(test_flags_too_fast),
        cmocka_unit_test(test_flags_order),
        cmocka_unit_test(test_thresholds_from),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

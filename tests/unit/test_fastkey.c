/* The compiled key (scoring/fastkey.c) against the plain core (rfsi_score and the
 * longstring and IRV of rfsi_indices_compute), which the hand-worked tests check: on every
 * shipped instrument it compiles, and on a hand-built one with negative values, reversals
 * and a prorated sum, every result must be identical, bit for bit, over random rows with
 * every pattern of missing answers (none, some, all; long runs; alternation). A row of
 * hand-worked values pins the packing itself. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "definition/instrument.h"
#include "scoring/fastkey.h"
#include "scoring/score.h"
#include "scoring/validity.h"

static unsigned long long rng = 20261201;

static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static void same_results(const rfs_instrument *inst, const rfsi_score_result *a, const rfsi_score_result *b,
                         const rfsi_indices *ia, const rfsi_indices *ib, unsigned long row)
{
    size_t i, n = rfs_instrument_score_count(inst);

    for (i = 0; i < n; i++)
        if (memcmp(&a[i].value, &b[i].value, sizeof a[i].value) != 0 || a[i].sum != b[i].sum || a[i].n != b[i].n ||
            a[i].status != b[i].status)
            fail_msg("%s row %lu score %zu: fast %.17g sum %ld n %zu status %d, plain %.17g sum %ld n %zu status %d",
                     inst->id, row, i, a[i].value, a[i].sum, a[i].n, a[i].status, b[i].value, b[i].sum, b[i].n,
                     b[i].status);
    double fast_irv = rfsi_irv_value(ia); /* the fast key leaves irv itself unset (NaN) */

    if (ia->longstring != ib->longstring || ia->has_irv != ib->has_irv || ia->irv_d != ib->irv_d ||
        ia->irv_n != ib->irv_n || memcmp(&fast_irv, &ib->irv, sizeof fast_irv) != 0 || !isnan(ia->irv))
        fail_msg("%s row %lu: fast longstring %zu irv %.17g (%llu/%u), plain %zu irv %.17g (%llu/%u)", inst->id, row,
                 ia->longstring, fast_irv, ia->irv_d, ia->irv_n, ib->longstring, ib->irv, ib->irv_d, ib->irv_n);
}

static size_t answered_items(const rfsi_response *resp, size_t k)
{
    size_t i, n = 0;

    for (i = 0; i < k; i++)
        n += resp[i].state == RFSI_ANSWER;
    return n;
}

/* rows random rows through both; returns the rows where some score was OK, so the caller
 * can see the test reached the scoring rules and not only "too few items". */
static unsigned long check_equal(const rfs_instrument *inst, unsigned long rows)
{
    size_t size = rfsi_fastkey_size(inst), k = inst->n_items, range = (size_t)(inst->max - inst->min + 1), i, s;
    size_t n_scores = rfs_instrument_score_count(inst);
    void *mem = malloc(size);
    rfsi_fastkey *fk;
    unsigned char *codes = malloc(k), cells[RFS_MAX_ITEMS];
    rfsi_response *resp = calloc(k, sizeof *resp);
    rfsi_score_result *fast = calloc(n_scores, sizeof *fast), *plain = calloc(n_scores, sizeof *plain);
    size_t *mins = calloc(inst->n_scales + 1, sizeof *mins);
    rfsi_indices ifast, iplain;
    unsigned long row, scored = 0;
    unsigned char identity[256], gathered[RFS_MAX_ITEMS];
    size_t cols[RFS_MAX_ITEMS];

    assert_true(size > 0);
    assert_non_null(mem);
    assert_non_null(codes);
    assert_non_null(resp);
    assert_non_null(fast);
    assert_non_null(plain);
    assert_non_null(mins);
    fk = rfsi_fastkey_build(inst, mem);
    assert_int_equal(rfsi_fastkey_none(fk), range);
    for (i = 0; i < 256; i++)
        identity[i] = (unsigned char)i;
    for (i = 0; i < k; i++) /* the cells in reverse order, to check the gather */
        cols[i] = k - 1 - i;
    for (s = 0; s < inst->n_scales; s++)
        mins[s] = inst->scales[s].min_answered;
    for (row = 0; row < rows; row++) {
        unsigned pattern = row % 6, missing = next(100);
        for (i = 0; i < k; i++) {
            int answered;
            size_t c;
            switch (pattern) {
            case 0: answered = 1; c = next((unsigned)range); break;                   /* complete */
            case 1: answered = next(100) >= missing; c = next((unsigned)range); break; /* any share missing */
            case 2: answered = 0; c = 0; break;                                        /* nothing */
            case 3: answered = next(10) != 0; c = (i / 4) % 2 ? range - 1 : 0; break;  /* runs of 4 */
            case 4: answered = 1; c = i % 2 ? range - 1 : 0; break;                    /* alternation */
            default: answered = i % 3 != 0; c = 1 % range; break;                     /* one value, gaps */
            }
            codes[i] = answered ? (unsigned char)c : rfsi_fastkey_none(fk);
            resp[i].state = answered ? RFSI_ANSWER : RFSI_MISSING;
            resp[i].value = answered ? (long)c + inst->min : 0;
            resp[i].missing_type = 0;
        }
        memset(&ifast, 0, sizeof ifast);
        memset(&iplain, 0, sizeof iplain);
        for (i = 0; i < k; i++)
            cells[k - 1 - i] = codes[i];
        if (rfsi_fastkey_gather(fk, identity, cells, cols, gathered, &ifast) != answered_items(resp, k))
            fail_msg("%s row %lu: answered count", inst->id, row);
        assert_memory_equal(gathered, codes, k);
        if (k <= RFSI_FASTKEY_RUN_MAX) { /* items in consecutive columns: the 16-a-step gather */
            unsigned char bytes[RFSI_FASTKEY_RUN_MAX + RFSI_FASTKEY_RUN_PAD], run[RFSI_FASTKEY_RUN_MAX + RFSI_FASTKEY_RUN_PAD];
            rfsi_indices irun;
            memset(bytes, next(256), sizeof bytes); /* whatever lies past the items */
            for (i = 0; i < k; i++)
                bytes[i] = resp[i].state == RFSI_ANSWER ? (unsigned char)('0' + resp[i].value) : 0xFE;
            memset(&irun, 0, sizeof irun);
            if (rfsi_fastkey_gather_run(fk, 0xFE, bytes, run, &irun) != answered_items(resp, k))
                fail_msg("%s row %lu: answered count (run)", inst->id, row);
            assert_memory_equal(run, codes, k);
            if (irun.longstring != ifast.longstring || irun.has_irv != ifast.has_irv || irun.irv_d != ifast.irv_d ||
                irun.irv_n != ifast.irv_n)
                fail_msg("%s row %lu: longstring %zu/%zu or IRV %llu/%u, %llu/%u (run)", inst->id, row,
                         irun.longstring, ifast.longstring, irun.irv_d, irun.irv_n, ifast.irv_d, ifast.irv_n);
        }
        rfsi_fastkey_score(fk, codes, mins, fast);
        rfsi_score(inst, mins, resp, plain);
        rfsi_indices_compute(inst, resp, &iplain);
        /* only longstring and IRV are the fast key's: copy the declared ones over */
        ifast.has_even_odd = iplain.has_even_odd, ifast.even_odd = iplain.even_odd;
        ifast.has_synonyms = iplain.has_synonyms, ifast.synonyms = iplain.synonyms;
        ifast.has_antonyms = iplain.has_antonyms, ifast.antonyms = iplain.antonyms;
        same_results(inst, fast, plain, &ifast, &iplain, row);
        scored += plain[0].status == RFSI_STATUS_OK;
    }
    free(mem);
    free(codes);
    free(resp);
    free(fast);
    free(plain);
    free(mins);
    return scored;
}

static void shipped_instruments(void **state)
{
    static const char *const ids[] = {"rfq8", "prfq", "ecrr", "ecrrs", "ecrs", "msibpd"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof ids / sizeof *ids; i++) {
        rfs_instrument *inst = test_load_shipped(ids[i]);
        unsigned long scored = check_equal(inst, 30000);
        if (scored < 5000) /* the random rows must reach the scoring rules */
            fail_msg("%s: only %lu of 30000 rows scored", ids[i], scored);
        rfs_instrument_free(inst);
    }
}

/* The RQ's best-fit item is categorical: not for the fast key (longstring and IRV leave it out). */
static void categorical_not_compiled(void **state)
{
    rfs_instrument *inst = test_load_shipped("rq");

    (void)state;
    assert_int_equal(rfsi_fastkey_size(inst), 0);
    rfs_instrument_free(inst);
}

/* -3..3, three items: scale a = mean of 1, 2 (reversed) and 3; scale b = prorated sum of
 * 1 and 3, at least 1 answered. */
static const char signed_ini[] =
    "[instrument]\nid = signed\nname = Signed\nversion = 1\ncitation = test\ndoi = 10.0/test\nitems = 3\nmin = -3\nmax = 3\n"
    "min_answered = 1\n"
    "[scale.a]\nname = A\nitems = 1,2,3\nreverse = 2\nscore = mean\n"
    "[scale.b]\nname = B\nitems = 1,3\nscore = prorated_sum\n";

static void negative_values(void **state)
{
    rfs_instrument *inst = test_load_text(signed_ini);
    char mem[4096];
    rfsi_fastkey *fk;
    unsigned char codes[3];
    size_t mins[2] = {1, 1};
    rfsi_score_result res[2];
    rfsi_indices ix;
    unsigned char identity[256], out[3];
    size_t cols[3] = {0, 1, 2}, i;

    (void)state;
    for (i = 0; i < 256; i++)
        identity[i] = (unsigned char)i;
    assert_true(rfsi_fastkey_size(inst) <= sizeof mem);
    fk = rfsi_fastkey_build(inst, mem);
    /* answers -3, 2, -1: codes are value + 3 = 0, 5, 2. Scale a: -3 + (-2, item 2 reversed
     * around 0) + -1 = -6, mean -2. Scale b: (-3 + -1) * 2 / 2 = -4. Longstring 1 (all
     * differ). IRV: n 3, sum -2, sum of squares 9 + 4 + 1 = 14: 3 * 14 - 4 = 38, sd
     * sqrt(38 / 6). */
    codes[0] = 0, codes[1] = 5, codes[2] = 2;
    rfsi_fastkey_score(fk, codes, mins, res);
    rfsi_fastkey_gather(fk, identity, codes, cols, out, &ix);
    assert_int_equal(res[0].sum, -6);
    assert_int_equal(res[0].n, 3);
    assert_double_equal(res[0].value, -2.0, 0);
    assert_int_equal(res[1].sum, -4);
    assert_double_equal(res[1].value, -4.0, 0);
    assert_int_equal(ix.longstring, 1);
    assert_int_equal(ix.irv_n, 3);
    assert_int_equal(ix.irv_d, 38);
    assert_double_equal(rfsi_irv_value(&ix), sqrt(38.0 / 6.0), 0);
    /* item 1 missing, 2 and 3 both -1 (codes 7 = none, 2, 2): a = (1 + -1) / 2 = 0 (item 2
     * reversed: 1); b = -1 * 2 / 1 = -2; the two -1 answers are a run of 2. */
    codes[0] = rfsi_fastkey_none(fk), codes[1] = 2, codes[2] = 2;
    rfsi_fastkey_score(fk, codes, mins, res);
    rfsi_fastkey_gather(fk, identity, codes, cols, out, &ix);
    assert_int_equal(res[0].sum, 0);
    assert_int_equal(res[0].n, 2);
    assert_int_equal(res[1].sum, -1);
    assert_int_equal(res[1].n, 1);
    assert_double_equal(res[1].value, -2.0, 0);
    assert_int_equal(ix.longstring, 2);
    assert_int_equal(ix.irv_d, 0);
    assert_true(check_equal(inst, 30000) > 5000);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shipped_instruments),
        cmocka_unit_test(categorical_not_compiled),
        cmocka_unit_test(negative_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

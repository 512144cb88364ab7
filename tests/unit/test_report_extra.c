/* The study report's additions worked by hand: one-factor minres and omega total
 * (src/report/omega.c), pairwise correlations (pairs.c), the exclusion flow
 * (report_flow.c), the provenance block and the scoring rule in words (report_meta.c).
 * The figures against R are in test_report.c (tests/report/reference.csv). */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "definition/instrument.h"
#include "report/omega.h"
#include "report/pairs.h"
#include "report/report.h"
#include "scoring/score.h"

/* A correlation matrix that one factor fits exactly: r_ij = l_i l_j. minres must find l,
 * with zero residual, and omega total is then (sum l)^2 / sum(R):
 * l = (.8, .7, .6, .5): sum l = 2.6, sum l^2 = 1.74, sum(R) = 2.6^2 - 1.74 + 4 = 9.02,
 * omega = 1 - (4 - 1.74) / 9.02 = 6.76 / 9.02 = 0.749445676274944... */
static void test_omega_exact_fit(void **state)
{
    static const double l[4] = {0.8, 0.7, 0.6, 0.5};
    double r[16], got[8];
    rfsi_omega_fit fit;
    size_t i, j;

    (void)state;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++)
            r[i * 4 + j] = i == j ? 1 : l[i] * l[j];
    assert_int_equal(rfsi_omega_minres(r, 4, got, &fit), 0);
    assert_true(fit.converged);
    assert_false(fit.heywood);
    for (i = 0; i < 4; i++)
        assert_double_equal(got[i], l[i], 1e-10);
    assert_double_equal(fit.fit, 0, 1e-18);
    assert_double_equal(fit.omega_total, 6.76 / 9.02, 1e-12);

    /* The sign is free; rfscore gives the solution whose loadings sum to >= 0. Reversing
     * item 1 (its row and column negated) gives loadings (-.8, .7, .6, .5), same fit,
     * and sum(R) = 9.02 - 2 * 2 * .8 * (.7 + .6 + .5) = 3.26: omega 1 - 2.26 / 3.26,
     * far below the keyed 0.749: omega, like alpha, shows a keying error. */
    for (j = 1; j < 4; j++)
        r[j] = r[j * 4] = -r[j];
    assert_int_equal(rfsi_omega_minres(r, 4, got, &fit), 0);
    assert_double_equal(got[0], -0.8, 1e-10);
    assert_double_equal(got[3], 0.5, 1e-10);
    assert_double_equal(fit.omega_total, 1 - 2.26 / 3.26, 1e-12);
}

/* r12 = r13 = .9, r23 = .5 asks for l1^2 = r12 r13 / r23 = 1.62: a Heywood case. The
 * loading stops at sqrt(0.995), as psych's bound on the uniqueness does, and says so. */
static void test_omega_heywood_and_limits(void **state)
{
    double r[9] = {1, 0.9, 0.9, 0.9, 1, 0.5, 0.9, 0.5, 1}, l[6];
    double two[4] = {1, 0.5, 0.5, 1}, nan3[9] = {1, 0.5, 0.5, 0.5, 1, NAN, 0.5, NAN, 1};
    rfsi_omega_fit fit;

    (void)state;
    assert_int_equal(rfsi_omega_minres(r, 3, l, &fit), 0);
    assert_true(fit.heywood);
    assert_double_equal(l[0], sqrt(RFSI_OMEGA_MAX_COMMUNALITY), 1e-12);
    /* with l1 fixed, l2 = l3 = x minimises 2 (.9 - l1 x)^2 * 2 + 2 (.5 - x^2)^2 */
    assert_true(l[1] > 0 && fabs(l[1] - l[2]) < 1e-9);
    assert_int_equal(rfsi_omega_minres(two, 2, l, &fit), -1); /* one factor needs 3 items */
    assert_true(isnan(fit.omega_total));
    assert_int_equal(rfsi_omega_minres(nan3, 3, l, &fit), -1);
}

/* Pairwise complete: x = (1, 2, 3), y = (1, 3, 2) where both are present: deviations
 * (-1, 0, 1) and (-1, 1, 0), so r = 1 / sqrt(2 * 2) = 0.5; a row without y is left out
 * of that pair only. */
static void test_pairs(void **state)
{
    static const double x[4] = {1, 2, 100, 3}, y[4] = {1, 3, 0, 2}, z[4] = {5, 5, 5, 5};
    static const unsigned char y_present[4] = {1, 1, 0, 1};
    rfsi_pairs p;
    unsigned long long n;
    size_t r;

    (void)state;
    assert_int_equal(rfsi_pairs_init(&p, 3), 0);
    for (r = 0; r < 4; r++) {
        p.x[0] = x[r];
        p.x[1] = y[r];
        p.x[2] = z[r];
        p.present[0] = p.present[2] = 1;
        p.present[1] = y_present[r];
        rfsi_pairs_add(&p);
    }
    assert_double_equal(rfsi_pairs_cor(&p, 0, 1, &n), 0.5, 1e-15);
    assert_int_equal(n, 3);
    assert_double_equal(rfsi_pairs_cor(&p, 1, 0, &n), 0.5, 1e-15);
    assert_true(isnan(rfsi_pairs_cor(&p, 0, 2, &n))); /* z has no variance */
    assert_int_equal(n, 4);
    assert_true(isnan(rfsi_pairs_cor(&p, 1, 1, &n)));
    rfsi_pairs_free(&p);
}

#define FLOW_INI                                                                                        \
    "[instrument]\nid = fl\nname = \"Flow\"\nversion = \"2.1\"\n"                                       \
    "citation = \"Nobody N (2026). Flow test.\"\ndoi = \"10.0000/fl\"\nitems = 3\nmin = 1\nmax = 5\n"   \
    "[item.1]\nlabel = \"First & foremost\"\n"                                                          \
    "[scale.a]\nitems = 1-3\nreverse = 3\nscore = mean\nmin_answered = 2\n"

#define K(f) (1L << RFSI_FLAG_##f)

/* Eleven rows: five valid, and one invalid row per reason, each with more than one flag
 * where it can have: the first reason in the flow's order takes the row. */
static void feed_flow(rfsi_study *st, const rfs_instrument *inst)
{
    static const struct {
        long kinds;
        int valid;
    } rows[] = {
        {0, 1}, {0, 1}, {0, 1}, {K(MISSING), 1}, {0, 1},
        {K(EMPTY_ROW) | K(TOO_FEW_ITEMS), 0},       /* empty row */
        {K(DUPLICATE_ID) | K(INVALID_ANSWER), 0},   /* duplicate id */
        {K(INVALID_ANSWER) | K(LONGSTRING), 0},     /* invalid answers */
        {K(TOO_FEW_ITEMS) | K(IRV), 0},             /* too few items */
        {K(TOO_FAST), 0},                           /* careless */
        {K(MISSING), 0},                            /* other: as if invalid_if named missing */
    };
    rfsi_response resp[3];
    rfsi_score_result res[1];
    size_t r, j, min_answered[1] = {2};

    for (r = 0; r < sizeof rows / sizeof rows[0]; r++) {
        for (j = 0; j < 3; j++) {
            resp[j].state = RFSI_ANSWER;
            resp[j].value = 1 + (long)((r + j) % 5);
            resp[j].missing_type = 0;
        }
        rfsi_score(inst, min_answered, resp, res);
        assert_int_equal(rfsi_study_add(st, 0, resp, res, rows[r].kinds, rows[r].valid), 0);
    }
}

static void test_exclusion_flow(void **state)
{
    rfs_instrument *inst = test_load_text(FLOW_INI);
    const rfs_instrument *list[1];
    rfsi_study *st, *all;
    rfsi_flow_box bx[RFSI_FLOW_MAX];
    unsigned long long sum = 0;
    size_t n, i, e;
    char *text, *html, *json;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    all = rfsi_study_new(list, 1);
    assert_non_null(st);
    assert_non_null(all);
    rfsi_study_set_all_rows(all, 1);
    feed_flow(st, inst);
    feed_flow(all, inst);
    for (e = 0; e < RFSI_EXCL_COUNT; e++)
        assert_int_equal(rfsi_study_excluded(st, 0, (rfsi_exclusion)e), 1);
    n = rfsi_study_flow(st, 0, bx);
    assert_int_equal(n, 2 + RFSI_EXCL_COUNT); /* rows read, six reasons, analysed */
    assert_string_equal(bx[0].key, "rows_read");
    assert_int_equal(bx[0].n, 11);
    assert_string_equal(bx[n - 1].key, "analysed");
    assert_int_equal(bx[n - 1].n, 5);
    for (i = 1; i + 1 < n; i++) {
        assert_true(bx[i].is_exclusion);
        sum += bx[i].n;
    }
    assert_int_equal(sum + bx[n - 1].n, bx[0].n); /* every row is accounted for once */
    n = rfsi_study_flow(all, 0, bx);
    assert_int_equal(bx[n - 1].n, 11); /* --all-rows: the invalid rows stay in */
    assert_non_null(strstr(rfsi_flow_stage_title(all, bx[1].stage), "kept by --all-rows"));
    assert_int_equal(rfsi_exclusion_of(K(MISSING), inst->validity.invalid_mask), RFSI_EXCL_OTHER);
    assert_int_equal(rfsi_exclusion_of(K(IRV) | K(DUPLICATE_ID), ~0u), RFSI_EXCL_DUPLICATE_ID);
    assert_int_equal(rfsi_exclusion_of(K(IRV) | K(DUPLICATE_ID), (unsigned)K(IRV)), RFSI_EXCL_CARELESS);

    text = rfsi_study_render(st, 0, "flow.csv");
    json = rfsi_study_render(st, 1, "flow.csv");
    html = rfsi_study_render(st, 2, "flow.csv");
    assert_non_null(text);
    assert_non_null(json);
    assert_non_null(html);
    assert_non_null(strstr(text, "      - duplicate id                                  1\n"));
    assert_non_null(strstr(text, "  analysed (valid = 1)                                5\n"));
    assert_non_null(strstr(json, "{\"key\": \"invalid.careless\", \"label\": \"careless-responding flags\", "
                                 "\"n\": 1, \"stage\": 3, \"exclusion\": true}"));
    assert_non_null(strstr(html, "<figure class=\"flow\" id=\"flow-fl\"><svg class=\"flow\""));
    assert_non_null(strstr(html, "<table class=\"flow\" id=\"flow-table-fl\">"));
    assert_non_null(strstr(html, "<tr class=\"main\"><td>analysed (valid = 1)</td><td>5</td></tr>"));
    free(text);
    free(json);
    free(html);
    rfsi_study_free(st);
    rfsi_study_free(all);
    rfs_instrument_free(inst);
}

/* The provenance block carries what --manifest records; the rule says the minimum in
 * force, and that --min-answered set it when it differs from the definition's. */
static void test_provenance_and_rule(void **state)
{
    rfs_instrument *inst = test_load_text(FLOW_INI);
    const rfs_instrument *list[1];
    const char *argv[] = {"score", "-i", "fl", "--where", "group == 'a b'", "data.csv"};
    rfsi_study_provenance p;
    rfsi_study *st;
    size_t three[1] = {3};
    char *text, *json, *html;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    assert_non_null(st);
    feed_flow(st, inst);
    memset(&p, 0, sizeof p);
    p.created = "2026-12-01T20:30:00Z";
    p.argc = 6;
    p.argv = argv;
    p.input_sha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    p.input_bytes = 0;
    p.rows_read = 11;
    assert_int_equal(rfsi_study_set_provenance(st, &p), 0);
    assert_int_equal(rfsi_study_min_answered(st, 0, 0), 2);
    text = rfsi_study_render(st, 0, "data.csv");
    assert_non_null(text);
    assert_non_null(strstr(text, "  created     2026-12-01T20:30:00Z\n"));
    assert_non_null(strstr(text, "  command     rfscore score -i fl --where 'group == '\\''a b'\\''' data.csv\n"));
    assert_non_null(strstr(text, "SHA-256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    assert_non_null(strstr(text, "  definition  fl version 2.1, "));
    assert_non_null(strstr(text, inst->sha256));
    assert_non_null(strstr(text, "Source: Nobody N (2026). Flow test.\nDOI: 10.0000/fl\n"));
    assert_non_null(strstr(text, "  a: 3 items (1, 2, 3); score: mean of the answered items; reversed (x -> 6 - x): "
                                 "3; scored when at least 2 of 3 items are answered\n"));
    free(text);

    assert_int_equal(rfsi_study_set_min_answered(st, 0, three), 0);
    json = rfsi_study_render(st, 1, "data.csv");
    html = rfsi_study_render(st, 2, "data.csv");
    assert_non_null(json);
    assert_non_null(html);
    assert_non_null(strstr(json, "\"arguments\": [\"score\", \"-i\", \"fl\", \"--where\", \"group == 'a b'\", "
                                 "\"data.csv\"]"));
    assert_non_null(strstr(json, "\"created\": \"2026-12-01T20:30:00Z\""));
    assert_non_null(strstr(json, "scored when at least 3 of 3 are answered (set by --min-answered; the definition "
                                 "says 2 of 3 items)"));
    assert_non_null(strstr(json, "\"label\": \"First & foremost\""));
    assert_non_null(strstr(html, "<span class=\"label\">First &amp; foremost</span>"));
    assert_non_null(strstr(html, "<code>rfscore score -i fl --where &#39;group == &#39;\\&#39;&#39;a b&#39;\\&#39;&#39;&#39; "
                                 "data.csv</code>"));
    assert_non_null(strstr(html, "doi:10.0000/fl"));
    free(json);
    free(html);
    rfsi_study_free(st);
    rfs_instrument_free(inst);
}

static int collect(const char *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (void)userdata;
    return 0;
}

#ifndef TEST_TOP
#define TEST_TOP "."
#endif

/* Through the public API: the scorer hands the report its command line, the input's
 * SHA-256 and size, SOURCE_DATE_EPOCH's date and the --min-answered minimum. The input's
 * digest, from sha256sum:
 *   94e9736b080d397108f232eb8f0d7851dc14ab39ce4aa4c78409bdcfdce7cf5d  (115 bytes).
 * --where id!=p2 leaves p2 out before anything is scored; row p3 leaves item 2 blank: 5 of
 * 6 answered in both scales, too few for "6", so it is the one invalid row; p1 alone is
 * analysed: 3 read = 1 not matching --where + 1 too few items + 1 analysed. */
static void test_scorer_provenance(void **state)
{
    static const char csv[] = "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n"
                              "p1,1,2,3,4,5,6,7,1\np2,7,6,5,4,3,2,1,7\np3,4,,4,4,4,4,4,4\n";
    const char *argv[] = {"report", "-i", "rfq8", "--min-answered", "6", "--where", "id!=p2", "my data.csv"};
    rfs_error err;
    rfs_instrument *inst;
    rfs_scorer *s;
    char *text;

    (void)state;
    rfs_error_clear(&err);
    inst = rfs_instrument_load(TEST_TOP "/instruments/rfq8.ini", &err);
    assert_non_null(inst);
    s = rfs_scorer_new(&err);
    assert_non_null(s);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_min_answered(s, "6", &err), 0);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, NULL, &err), 0);
    assert_int_equal(rfs_scorer_set_input_name(s, "my data.csv", &err), 0);
    assert_int_equal(rfs_scorer_add_filter(s, "id!=p2", &err), 0);
    assert_int_equal(rfs_scorer_set_command(s, 8, argv, &err), 0);
    assert_int_equal(rfs_scorer_set_command(s, -1, NULL, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, csv, sizeof csv - 1, &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_int_equal(setenv("SOURCE_DATE_EPOCH", "86400", 1), 0);
    text = rfs_scorer_report(s, "text");
    unsetenv("SOURCE_DATE_EPOCH");
    assert_non_null(text);
    assert_non_null(strstr(text, "  created     1970-01-02T00:00:00Z\n"));
    assert_non_null(strstr(text, "  command     rfscore report -i rfq8 --min-answered 6 --where 'id!=p2' 'my data.csv'\n"));
    assert_non_null(strstr(text, "  filter      --where id!=p2\n"));
    assert_non_null(strstr(text, "  input       my data.csv (115 bytes, 3 rows read), SHA-256 "
                                 "94e9736b080d397108f232eb8f0d7851dc14ab39ce4aa4c78409bdcfdce7cf5d\n"));
    assert_non_null(strstr(text, rfs_instrument_sha256(inst)));
    assert_non_null(strstr(text, "scored when at least 6 of 6 are answered (set by --min-answered; the definition "
                                 "says 80% of 6 items, rounded up: 5)"));
    assert_non_null(strstr(text, "  rows read                                           3\n"
                                 "    excluded by --where (rows not written):\n"
                                 "      - not matching --where                          1\n"
                                 "  rows selected                                       2\n"));
    assert_non_null(strstr(text, "      - too few items answered                        1\n"));
    assert_non_null(strstr(text, "  analysed (valid = 1)                                1\n"));
    free(text);
    rfs_scorer_free(s);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_omega_exact_fit),
        cmocka_unit_test(test_omega_heywood_and_limits),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_exclusion_flow),
        cmocka_unit_test(test_provenance_and_rule),
        cmocka_unit_test(test_scorer_provenance),
    };

    return cmocka_run_group_tests_name("report_extra", tests, NULL, NULL);
}

/* rfsi_band_of, rfsi_pomp, rfsi_norm_lookup: what a score turns into after scoring.
 * Bands and norm tables are built by hand here; the norm table is SYNTHETIC (made up for
 * this test, no published sample). Every expected value is worked by hand beside it. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "definition/instrument.h"
#include "scoring/transform.h"

/* ------------------------------------------------------------------- bands */

/* The MSI-BPD cut-off (Zanarini et al. 2003: positive screen at 7 or more of 10). */
static void test_band_edges(void **state)
{
    rfsi_band b[2] = {{"negative", 0, 6}, {"positive_screen", 7, 10}};
    rfsi_bandset bs = {0, "test", 2, b};

    (void)state;
    assert_int_equal(rfsi_band_of(&bs, 0), 0);
    assert_int_equal(rfsi_band_of(&bs, 6), 0);   /* upper edge of negative is inside */
    assert_int_equal(rfsi_band_of(&bs, 7), 1);   /* the cut-off itself screens positive */
    assert_int_equal(rfsi_band_of(&bs, 10), 1);
    /* 7 as a mean arrives as 6.999999999999999: still on the edge (slack 1e-9) */
    assert_int_equal(rfsi_band_of(&bs, 7 - 1e-15), 1);
    /* between bands and outside all of them: none */
    assert_true(rfsi_band_of(&bs, 6.5) == (size_t)-1);
    assert_true(rfsi_band_of(&bs, 11) == (size_t)-1);
    assert_true(rfsi_band_of(&bs, -1) == (size_t)-1);
}

/* ------------------------------------------------------------------- POMP */

static void test_pomp(void **state)
{
    (void)state;
    /* a 1..7 mean: 1 -> 0, 7 -> 100, 4 -> (4-1)/(7-1)*100 = 50, 2.5 -> 1.5/6*100 = 25 */
    assert_double_equal(rfsi_pomp(1, 1, 7), 0, 1e-12);
    assert_double_equal(rfsi_pomp(7, 1, 7), 100, 1e-12);
    assert_double_equal(rfsi_pomp(4, 1, 7), 50, 1e-12);
    assert_double_equal(rfsi_pomp(2.5, 1, 7), 25, 1e-12);
    /* RQ self -12..12: 0 -> 12/24*100 = 50; -6 -> 6/24*100 = 25 */
    assert_double_equal(rfsi_pomp(0, -12, 12), 50, 1e-12);
    assert_double_equal(rfsi_pomp(-6, -12, 12), 25, 1e-12);
}

/* ------------------------------------------------------------------- norms */

/* SYNTHETIC norm table, two groups (sex f|m, age_band young|old):
 *   f young 0..5 -> 40, 6..10 -> 60      m young 0..10 -> 50
 *   f old   0..10 -> 45                  m old   0..4 -> 35 (nothing above 4) */
static char *dupe(const char *s)
{
    char *d = strdup(s);
    assert_non_null(d);
    return d;
}

static void add_row(rfsi_norms *nm, const char *sex, const char *age, double lo, double hi, double v)
{
    rfsi_norm_row *r;

    nm->rows = realloc(nm->rows, (nm->n_rows + 1) * sizeof *nm->rows);
    assert_non_null(nm->rows);
    r = &nm->rows[nm->n_rows++];
    r->group = calloc(2, sizeof *r->group);
    assert_non_null(r->group);
    r->group[0] = dupe(sex);
    r->group[1] = dupe(age);
    r->lo = lo;
    r->hi = hi;
    r->value = v;
}

static rfsi_norms *make_norms(void)
{
    rfsi_norms *nm = calloc(1, sizeof *nm);
    size_t g;
    static const char *const lv[2][2] = {{"f", "m"}, {"young", "old"}};

    assert_non_null(nm);
    nm->n_groups = 2;
    nm->group_columns = calloc(2, sizeof *nm->group_columns);
    nm->n_levels = calloc(2, sizeof *nm->n_levels);
    nm->levels = calloc(2, sizeof *nm->levels);
    assert_non_null(nm->group_columns);
    assert_non_null(nm->n_levels);
    assert_non_null(nm->levels);
    nm->group_columns[0] = dupe("sex");
    nm->group_columns[1] = dupe("age_band");
    for (g = 0; g < 2; g++) {
        nm->n_levels[g] = 2;
        nm->levels[g] = calloc(2, sizeof *nm->levels[g]);
        assert_non_null(nm->levels[g]);
        nm->levels[g][0] = dupe(lv[g][0]);
        nm->levels[g][1] = dupe(lv[g][1]);
    }
    add_row(nm, "f", "young", 0, 5, 40);
    add_row(nm, "f", "young", 6, 10, 60);
    add_row(nm, "m", "young", 0, 10, 50);
    add_row(nm, "f", "old", 0, 10, 45);
    add_row(nm, "m", "old", 0, 4, 35);
    return nm;
}

static rfsi_norm_status look(const rfsi_norms *nm, const char *sex, const char *age, double score, double *out)
{
    const char *g[2] = {sex, age};
    size_t len[2] = {sex ? strlen(sex) : 0, age ? strlen(age) : 0};
    return rfsi_norm_lookup(nm, g, len, score, out);
}

static void test_norm_lookup(void **state)
{
    rfsi_norms *nm = make_norms();
    double v = -1;

    (void)state;
    assert_int_equal(look(nm, "f", "young", 5, &v), RFSI_NORM_OK); /* edge of 0..5 */
    assert_double_equal(v, 40, 0);
    assert_int_equal(look(nm, "f", "young", 6, &v), RFSI_NORM_OK);
    assert_double_equal(v, 60, 0);
    assert_int_equal(look(nm, "m", "young", 3, &v), RFSI_NORM_OK);
    assert_double_equal(v, 50, 0);
    /* group cells match as labels do: case and spacing ignored */
    assert_int_equal(look(nm, " F ", "Old", 10, &v), RFSI_NORM_OK);
    assert_double_equal(v, 45, 0);
    /* m old has rows only up to 4: 5 is outside, never extrapolated; *out untouched */
    v = -1;
    assert_int_equal(look(nm, "m", "old", 5, &v), RFSI_NORM_OUTSIDE);
    assert_double_equal(v, -1, 0);
    /* between f young's rows (5 < 5.5 < 6): outside too */
    assert_int_equal(look(nm, "f", "young", 5.5, &v), RFSI_NORM_OUTSIDE);
    /* an undeclared level, an empty cell, a missing cell: no group */
    assert_int_equal(look(nm, "x", "young", 3, &v), RFSI_NORM_NO_GROUP);
    assert_int_equal(look(nm, "", "young", 3, &v), RFSI_NORM_NO_GROUP);
    assert_int_equal(look(nm, "f", NULL, 3, &v), RFSI_NORM_NO_GROUP);
    rfsi_norms_clear(nm);
    free(nm);
}

static void test_norm_no_groups(void **state)
{
    rfsi_norms nm;
    rfsi_norm_row rows[2] = {{NULL, 0, 9, 30}, {NULL, 10, 20, 70}};
    double v = 0;

    (void)state;
    memset(&nm, 0, sizeof nm);
    nm.n_rows = 2;
    nm.rows = rows;
    assert_int_equal(rfsi_norm_lookup(&nm, NULL, NULL, 10, &v), RFSI_NORM_OK);
    assert_double_equal(v, 70, 0);
    assert_int_equal(rfsi_norm_lookup(&nm, NULL, NULL, 21, &v), RFSI_NORM_OUTSIDE);
}

static void test_norm_status_names(void **state)
{
    (void)state;
    assert_string_equal(rfsi_norm_status_name(RFSI_NORM_OK), "ok");
    assert_string_equal(rfsi_norm_status_name(RFSI_NORM_NOT_SCORED), "not_scored");
    assert_string_equal(rfsi_norm_status_name(RFSI_NORM_NO_GROUP), "no_norm_group");
    assert_string_equal(rfsi_norm_status_name(RFSI_NORM_OUTSIDE), "outside_norms");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_band_edges),
        cmocka_unit_test(test_pomp),
        cmocka_unit_test(test_norm_lookup),
        cmocka_unit_test(test_norm_no_groups),
        cmocka_unit_test(test_norm_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

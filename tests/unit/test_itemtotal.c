/* The one-pass item-total accumulator (src/report/itemtotal.c) against R.
 *
 * tests/report/reference.csv holds psych::alpha's r.drop for every item of RFQ-8 and
 * ECR-R on tests/report/rfq8.csv and ecrr.csv (tests/report/reference.R, psych 2.2.9),
 * over the valid rows and over all rows. Each data row goes through the real cell
 * classifier with the shipped definitions, so keying and recodes are checked too. Then two
 * small cases by hand: an item swapped with a reversed one turns r.drop negative, and
 * items without variance give NaN (psych leaves them out). */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "definition/instrument.h"
#include "report/itemtotal.h"
#include "scoring/cell.h"

#define REPORT_DIR TEST_TOP "/tests/report/"

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;

    fields[n++] = line;
    for (; *line && n < max; line++)
        if (*line == ',') {
            *line = '\0';
            fields[n++] = line + 1;
        }
    return n;
}

/* Feeds id.csv (id, valid, items in order) to it: valid rows only, or all. */
static void feed(const char *id, const rfs_instrument *inst, rfsi_itemtotal *it, int all_rows)
{
    char path[512], *text, *p, *line, *f[64];
    rfsi_response resp[64];
    size_t j;
    int header = 1;

    snprintf(path, sizeof path, "%s%s.csv", REPORT_DIR, id);
    text = read_text(path);
    assert_non_null(text);
    for (p = text; (line = strsep(&p, "\n")) != NULL;) {
        size_t n;
        if (!*line)
            continue;
        if (line[strlen(line) - 1] == '\r')
            line[strlen(line) - 1] = '\0';
        n = split(line, f, 64);
        if (header) {
            header = 0;
            continue;
        }
        assert_int_equal(n, 2 + inst->n_items);
        for (j = 0; j < inst->n_items; j++)
            rfsi_cell_classify(inst, f[2 + j], strlen(f[2 + j]), &resp[j]);
        if (all_rows || strcmp(f[1], "1") == 0)
            rfsi_itemtotal_add(it, resp);
    }
    free(text);
}

static void check_against_r(const char *id)
{
    rfs_instrument *inst = test_load_shipped(id);
    char *ref = read_text(REPORT_DIR "reference.csv"), *p, *line, *f[8];
    rfsi_itemtotal *valid = rfsi_itemtotal_new(inst), *all = rfsi_itemtotal_new(inst);
    size_t checked = 0, s, j;

    assert_non_null(ref);
    assert_non_null(valid);
    assert_non_null(all);
    feed(id, inst, valid, 0);
    feed(id, inst, all, 1);
    for (p = ref; (line = strsep(&p, "\n")) != NULL;) {
        const rfsi_itemtotal *it;
        double got, want;
        if (split(line, f, 8) < 6 || strcmp(f[0], id) != 0 || strcmp(f[4], "r_drop") != 0)
            continue;
        it = strcmp(f[1], "all") == 0 ? all : valid;
        for (s = 0; s < inst->n_scales && strcmp(inst->scales[s].id, f[2]) != 0; s++)
            ;
        assert_true(s < inst->n_scales);
        for (j = 0; j < inst->scales[s].n_items && strcmp(inst->items[inst->scales[s].items[j]].column, f[3]) != 0;
             j++)
            ;
        assert_true(j < inst->scales[s].n_items);
        got = rfsi_itemtotal_r_drop(it, s, j);
        want = strtod(f[5], NULL);
        if (!(fabs(got - want) <= 1e-9))
            fail_msg("%s %s %s %s: r.drop %.17g, R says %.17g", id, f[1], f[2], f[3], got, want);
        checked++;
    }
    for (j = 0, s = 0; s < inst->n_scales; s++)
        j += inst->scales[s].n_items;
    assert_int_equal(checked, 2 * j); /* every listed item, over valid and over all rows */
    rfsi_itemtotal_free(valid);
    rfsi_itemtotal_free(all);
    free(ref);
    rfs_instrument_free(inst);
}

static void test_rfq8_against_r(void **state)
{
    (void)state;
    check_against_r("rfq8");
}

static void test_ecrr_against_r(void **state)
{
    (void)state;
    check_against_r("ecrr");
}

/* PRFQ's pre-mentalizing scale is items 1, 4, 7, 10, 13, 16, none reversed. Rows answer
 * v, v, v, v, v, v for v = 1..7 (so every item tracks the total), except that the column
 * read as item 4 holds 8 - v (the file's own reverse-worded item in that place: a wrong
 * column order). By hand: item 4 is then an exact negative of each other item, so its
 * r.drop is -1; each other item x against the rest (4 copies of x plus 8 - x) = 3x + 8:
 * perfectly correlated, r.drop 1. */
static void test_swapped_item(void **state)
{
    rfs_instrument *inst = test_load_shipped("prfq");
    rfsi_itemtotal *it = rfsi_itemtotal_new(inst);
    rfsi_response resp[18];
    size_t s, j;
    long v;

    (void)state;
    for (s = 0; s < inst->n_scales && strcmp(inst->scales[s].id, "pm") != 0; s++)
        ;
    assert_true(s < inst->n_scales);
    for (v = 1; v <= 7; v++) {
        for (j = 0; j < 18; j++) {
            resp[j].state = RFSI_ANSWER;
            resp[j].value = j + 1 == 4 ? 8 - v : v;
            resp[j].missing_type = 0;
        }
        rfsi_itemtotal_add(it, resp);
    }
    assert_int_equal(rfsi_itemtotal_rows(it, s), 7);
    for (j = 0; j < inst->scales[s].n_items; j++) {
        double r = rfsi_itemtotal_r_drop(it, s, j);
        if (inst->scales[s].items[j] == 3)
            assert_double_equal(r, -1, 1e-12);
        else
            assert_double_equal(r, 1, 1e-12);
    }
    rfsi_itemtotal_free(it);
    rfs_instrument_free(inst);
}

/* No variance: every row the same gives NaN for every item; one row gives NaN; an
 * incomplete row is not counted. */
static void test_no_variance(void **state)
{
    rfs_instrument *inst = test_load_shipped("rfq8");
    rfsi_itemtotal *it = rfsi_itemtotal_new(inst);
    rfsi_response resp[8];
    size_t j;
    int r;

    (void)state;
    for (j = 0; j < 8; j++) {
        resp[j].state = RFSI_ANSWER;
        resp[j].value = 2;
        resp[j].missing_type = 0;
    }
    rfsi_itemtotal_add(it, resp);
    assert_true(isnan(rfsi_itemtotal_r_drop(it, 0, 0)));
    for (r = 0; r < 5; r++)
        rfsi_itemtotal_add(it, resp);
    resp[0].state = RFSI_MISSING; /* item 1: c incomplete, u complete */
    rfsi_itemtotal_add(it, resp);
    assert_int_equal(rfsi_itemtotal_rows(it, 0), 6);
    assert_int_equal(rfsi_itemtotal_rows(it, 1), 7);
    for (j = 0; j < 6; j++)
        assert_true(isnan(rfsi_itemtotal_r_drop(it, 0, j)));
    rfsi_itemtotal_free(it);
    rfsi_itemtotal_free(NULL);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfq8_against_r),
        cmocka_unit_test(test_ecrr_against_r),
        cmocka_unit_test(test_swapped_item),
        cmocka_unit_test(test_no_variance),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

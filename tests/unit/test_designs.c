/* Study designs through the public API: composite keys, no id column, one definition
 * scored twice under two names, and row filters. instruments/rfq8.ini throughout.
 *
 * RFQ-8 key (instruments/rfq8.ini): c = mean of items 1-6 recoded 1->3 2->2 3->1 4..7->0;
 * u = mean of items 2,4,5,6,7,8 recoded 1..4->0 5->1 6->2 7->3, item 7 reversed first
 * (8 - x); each needs 5 of 6. By hand, for a row answering every item with one value:
 *   all 1: c = 3, u = (item 7: 1 -> 7 -> 3) 3 / 6 = 0.5
 *   all 2: c = 2, u = (item 7: 2 -> 6 -> 2) 2 / 6 = 0.3333333333333333
 *   all 4: c = 0, u = (item 7: 4 -> 4 -> 0) 0
 *   all 7: c = 0, u = (items 2,4,5,6,8: 3 each; item 7: 7 -> 1 -> 0) 15 / 6 = 2.5
 * longstring 8 and irv 0 for each (docs/validity.md). A clean row ends "1," (valid, no
 * flags); duplicate_id:N makes it invalid (docs/validity.md: the default invalid flags). */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "rfscore.h"

#define RFQ8 TEST_TOP "/instruments/rfq8.ini"
#define ITEMS "rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8"
#define SCORES(p)                                                                                       \
    p "_c," p "_c_n," p "_c_status," p "_u," p "_u_n," p "_u_status," p "_longstring," p "_irv," p     \
      "_valid," p "_flags"
#define ALL1 "3,6,ok,0.5,6,ok,8,0"
#define ALL2 "2,6,ok,0.3333333333333333,6,ok,8,0"
#define ALL4 "0,6,ok,0,6,ok,8,0"
#define ALL7 "0,6,ok,2.5,6,ok,8,0"

typedef struct sink {
    char *data;
    size_t len;
} sink;

static int collect(const char *data, size_t len, void *userdata)
{
    sink *s = userdata;
    char *p = realloc(s->data, s->len + len + 1);

    if (!p)
        return -1;
    memcpy(p + s->len, data, len);
    s->data = p;
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

static int setup(void **state)
{
    rfs_error err;

    rfs_error_clear(&err);
    *state = rfs_instrument_load(RFQ8, &err);
    if (!*state)
        fprintf(stderr, "cannot load %s: %s\n", RFQ8, err.message);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    rfs_instrument_free(*state);
    return 0;
}

static rfs_scorer *new_scorer(const rfs_instrument *inst, sink *out)
{
    rfs_error err;
    rfs_scorer *s;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_non_null(s);
    if (inst)
        assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_input_name(s, "in.csv", &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, out, &err), 0);
    return s;
}

/* Feeds text in chunks of `chunk` bytes (0: at once) and finishes. 0 or -1. */
static int run(rfs_scorer *s, const char *text, size_t chunk, rfs_error *err)
{
    size_t off = 0, len = strlen(text);

    if (chunk == 0)
        chunk = len ? len : 1;
    while (off < len) {
        size_t n = len - off < chunk ? len - off : chunk;
        if (rfs_scorer_feed(s, text + off, n, err) < 0)
            return -1;
        off += n;
    }
    return rfs_scorer_finish(s, err);
}

/* ------------------------------------------------------------ composite key */

/* A dyadic, longitudinal file: the key is (pt, dyad, mth). Rows 1 and 4 repeat a
 * combination; rows 2 and 3 share parts of it only. Streaming without the pre-pass flags
 * the second occurrence (duplicate_id:2); with it, both. */
static const char dyad_csv[] = "pt,dyad,mth," ITEMS "\n"
                               "1,a,0,4,4,4,4,4,4,4,4\n"
                               "1,a,6,1,1,1,1,1,1,1,1\n"
                               "1,b,0,7,7,7,7,7,7,7,7\n"
                               "1,a,0,2,2,2,2,2,2,2,2\n";

static void test_composite_key(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    static const char want[] = "pt,dyad,mth," SCORES("rfq8") "\n"
                               "1,a,0," ALL4 ",1,\n"
                               "1,a,6," ALL1 ",1,\n"
                               "1,b,0," ALL7 ",1,\n"
                               "1,a,0," ALL2 ",0,duplicate_id:2\n";

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "pt", &err), 0);
    assert_int_equal(rfs_scorer_add_id_column(s, "DYAD", &err), 0); /* names match ignoring case */
    assert_int_equal(rfs_scorer_add_id_column(s, "mth", &err), 0);
    assert_int_equal(run(s, dyad_csv, 7, &err), 0);
    assert_string_equal(out.data, want);
    rfs_scorer_free(s);
    free(out.data);
}

static void test_composite_key_prescan(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "pt", &err), 0);
    assert_int_equal(rfs_scorer_add_id_column(s, "dyad", &err), 0);
    assert_int_equal(rfs_scorer_add_id_column(s, "mth", &err), 0);
    assert_int_equal(rfs_scorer_prescan(s, dyad_csv, strlen(dyad_csv), &err), 0);
    assert_int_equal(rfs_scorer_prescan_finish(s, &err), 0);
    assert_int_equal(run(s, dyad_csv, 0, &err), 0);
    assert_non_null(strstr(out.data, "\n1,a,0," ALL4 ",0,duplicate_id:2\n"));
    assert_non_null(strstr(out.data, "\n1,a,6," ALL1 ",1,\n"));
    assert_non_null(strstr(out.data, "\n1,a,0," ALL2 ",0,duplicate_id:2\n"));
    rfs_scorer_free(s);
    free(out.data);
}

static void test_composite_key_errors(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "pt", &err), 0);
    assert_int_equal(rfs_scorer_add_id_column(s, "PT", &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_non_null(strstr(err.message, "\"PT\" given twice"));
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_id_column(s, "wave", &err), 0);
    assert_int_equal(run(s, dyad_csv, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_non_null(strstr(err.message, "no id column \"wave\""));
    rfs_scorer_free(s);
    free(out.data);
}

/* ----------------------------------------------------------------- no id */

static void test_row_numbers(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    /* No id column at all; two rows alike (no duplicate check without a key). */
    static const char in[] = ITEMS "\n1,1,1,1,1,1,1,1\n\n7,7,7,7,7,7,7,7\n7,7,7,7,7,7,7,7\n";
    static const char want[] = "row," SCORES("rfq8") "\n"
                               "1," ALL1 ",1,\n"
                               "2," ALL7 ",1,\n" /* the blank line is not a record */
                               "3," ALL7 ",1,\n";

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_row_numbers(s, 1, &err), 0);
    assert_int_equal(run(s, in, 3, &err), 0);
    assert_string_equal(out.data, want);
    rfs_scorer_free(s);
    free(out.data);

    out.data = NULL;
    out.len = 0;
    s = new_scorer(*state, &out);
    assert_int_equal(rfs_scorer_set_row_numbers(s, 1, &err), 0);
    assert_int_equal(rfs_scorer_set_id_column(s, "pt", &err), 0);
    assert_int_equal(run(s, in, 0, &err), -1); /* both: refused */
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    free(out.data);
}

/* ------------------------------------------------- one definition, two names */

static const char waves_csv[] = "id," ITEMS ",rfq8_1_t2,rfq8_2_t2,rfq8_3_t2,rfq8_4_t2,rfq8_5_t2,rfq8_6_t2,"
                                "rfq8_7_t2,rfq8_8_t2\n"
                                "p1,1,1,1,1,1,1,1,1,7,7,7,7,7,7,7,7\n";

static void test_same_instrument_twice(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    static const char want[] = "id," SCORES("rfq8_t1") "," SCORES("rfq8_t2") "\n"
                               "p1," ALL1 ",1,," ALL7 ",1,\n";

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "rfq8_t1", &err), 0);
    assert_int_equal(rfs_scorer_add_instrument(s, *state, &err), 0);
    /* applies to the latest addition */
    assert_int_equal(rfs_scorer_set_columns(s, *state, NULL, "_t2", &err), 0);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "rfq8_t2", &err), 0);
    assert_int_equal(run(s, waves_csv, 5, &err), 0);
    assert_string_equal(out.data, want);
    {
        char *sum = rfs_scorer_summary(s, 1);
        assert_non_null(strstr(sum, "\"id\": \"rfq8_t2\",\n      \"definition\": \"rfq8\""));
        free(sum);
    }
    rfs_scorer_free(s);
    free(out.data);
}

static void test_same_name_twice_refused(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, *state, &err), 0);
    assert_int_equal(rfs_scorer_set_columns(s, *state, NULL, "_t2", &err), 0);
    assert_int_equal(run(s, waves_csv, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_non_null(strstr(err.message, "'rfq8' is scored twice under one name"));
    rfs_scorer_free(s);
    free(out.data);

    s = new_scorer(*state, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "T2", &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "", &err), -1);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "a23456789012345678901234567890123", &err), -1);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "a_2", &err), 0);
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "b_2", &err), 0); /* renamed again */
    assert_int_equal(run(s, dyad_csv + 0, 0, &err), -1); /* no id column: but named b_2 */
    rfs_scorer_free(s);
    free(out.data);
}

/* --------------------------------------------------------------- filters */

/* A Qualtrics-like file: status 1 is a preview, finished 0 unfinished. Kept: rows where
 * finished = 1 and status != 1, i.e. p1 (" 1 " trims to 1) and p4. p2's invalid 9 is in an
 * excluded row: no warning. p5 repeats p1's id in an excluded row: no duplicate. */
static const char survey_csv[] = "id,status,finished," ITEMS "\n"
                                 "p1,0, 1 ,1,1,1,1,1,1,1,1\n"
                                 "p2,1,1,9,\"7\",7,7,7,7,7,7\n"
                                 "p3,0,0,4,4,4,4,4,4,4,4\n"
                                 "p4,2,1,7,\"7\",7,7,7,7, 7 ,7\n"
                                 "p1,0,Finished,2,2,2,2,2,2,2,2\n";

static void count_warning(const rfs_error *e, void *ud)
{
    (void)e;
    ++*(int *)ud;
}

static void test_filters(void **state)
{
    size_t chunk, len = strlen(survey_csv);
    static const char want[] = "id," SCORES("rfq8") "\n"
                               "p1," ALL1 ",1,\n"
                               "p4," ALL7 ",1,\n";

    for (chunk = 1; chunk <= len; chunk++) {
        sink out = {0};
        rfs_error err;
        rfs_counts c;
        int warned = 0;
        rfs_scorer *s = new_scorer(*state, &out);
        char *sum;
        rfs_error_clear(&err);
        assert_int_equal(rfs_scorer_add_filter(s, " finished = 1", &err), 0);
        assert_int_equal(rfs_scorer_add_filter(s, "status!=1", &err), 0);
        assert_int_equal(rfs_scorer_set_warning_fn(s, count_warning, &warned, &err), 0);
        if (run(s, survey_csv, chunk, &err) != 0)
            fail_msg("chunk %zu: %s", chunk, err.message);
        if (strcmp(out.data, want) != 0)
            fail_msg("chunk %zu: output\n%s\nexpected\n%s", chunk, out.data, want);
        assert_int_equal(warned, 0);
        rfs_scorer_counts(s, &c);
        assert_int_equal(c.rows_read, 5);
        assert_int_equal(c.rows_written, 2);
        assert_int_equal(c.rows_excluded, 3);
        sum = rfs_scorer_summary(s, 1);
        assert_non_null(strstr(sum, "\"rows_excluded\": 3,\n  \"filters\": [\" finished = 1\", \"status!=1\"]"));
        free(sum);
        sum = rfs_scorer_summary(s, 0);
        assert_non_null(strstr(sum, "3 rows excluded, not written; filters:  finished = 1, status!=1\n"));
        free(sum);
        rfs_scorer_free(s);
        free(out.data);
    }
}

/* An item cell that needs the full rules in a kept row is still read and flagged. */
static void test_filters_keep_invalid_answers(void **state)
{
    sink out = {0};
    rfs_error err;
    int warned = 0;
    rfs_scorer *s = new_scorer(*state, &out);
    static const char in[] = "id,keep," ITEMS "\n"
                             "a,y,1,1,\"1\",1,1,1,1,x\n"
                             "b,n,1,1,1,1,1,1,1,x\n"
                             "c,,1,1,1,1,1,1,1,1\n";
    /* a: item 8 invalid: u over items 2,4,5,6,7 = 0,0,0,0,3 = 3 / 5 = 0.6; longstring 7 (the
     * invalid cell ends the run); irv over seven 1s = 0. c: the empty keep is not "n". */
    static const char want[] = "id," SCORES("rfq8") "\n"
                               "a,3,6,ok,0.6,5,ok,7,0,0,invalid_answer:rfq8_8=x\n"
                               "c," ALL1 ",1,\n";

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_filter(s, "keep!=n", &err), 0);
    assert_int_equal(rfs_scorer_set_warning_fn(s, count_warning, &warned, &err), 0);
    assert_int_equal(run(s, in, 0, &err), 0);
    assert_string_equal(out.data, want);
    assert_int_equal(warned, 1);
    rfs_scorer_free(s);
    free(out.data);
}

static void test_filter_errors(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_filter(s, "finished", &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_filter(s, " !=1", &err), -1);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_add_filter(s, "Finishd=1", &err), 0);
    assert_int_equal(run(s, survey_csv, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    if (!strstr(err.message, "no filter column \"Finishd\" in the header; closest: \"finished\""))
        fail_msg("%s", err.message);
    rfs_scorer_free(s);
    free(out.data);
}

/* ---------------------------------------------------------- report groups */

/* Waves t1 (rows all 1 and all 2) and t2 (all 7), interleaved: c in t1 is (3 + 2) / 2 =
 * 2.5 over 2 rows; in t2, 0 over 1 row. Pooled, they would be 5 / 3. */
static const char waves_long_csv[] = "id,wave," ITEMS "\n"
                                     "p1,t1,1,1,1,1,1,1,1,1\n"
                                     "p1,t2,7,7,7,7,7,7,7,7\n"
                                     "p2, t1 ,2,2,2,2,2,2,2,2\n";

static void test_report_by(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    char *text, *t2;

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "id", &err), 0);
    assert_int_equal(rfs_scorer_add_id_column(s, "wave", &err), 0);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_set_report_by(s, "wave", &err), 0);
    assert_int_equal(run(s, waves_long_csv, 0, &err), 0);
    text = rfs_scorer_report(s, "text");
    assert_non_null(text);
    t2 = strstr(text, "rfscore report: in.csv: wave = t2\n");
    if (!t2 || strncmp(text, "rfscore report: in.csv: wave = t1\n", 34) != 0)
        fail_msg("%s", text);
    /* t1: 2 rows; c: n 2, mean 2.5 */
    assert_non_null(strstr(text, "2 rows, 2 valid"));
    assert_true(strstr(text, "2 rows, 2 valid") < t2);
    assert_non_null(strstr(t2, "1 rows, 1 valid"));
    assert_null(strstr(text, "3 rows,")); /* no whole-file section (the provenance says "3 rows read") */
    free(text);
    text = rfs_scorer_report(s, "json");
    assert_non_null(text);
    assert_non_null(strstr(text, "{\n  \"by\": \"wave\",\n  \"groups\": [\n    {\"value\": \"t1\", \"report\": {"));
    assert_non_null(strstr(text, "\n    {\"value\": \"t2\", \"report\": {"));
    free(text);
    text = rfs_scorer_report(s, "html");
    assert_non_null(text);
    assert_non_null(strstr(text, "in.csv: wave = t1"));
    assert_non_null(strstr(text, "in.csv: wave = t2"));
    assert_non_null(strstr(text, "</body>\n</html>\n"));
    assert_null(strstr(strstr(text, "<body>") + 1, "<body>")); /* one page */
    assert_null(strstr(strstr(text, "</html>") + 1, "</html>"));
    free(text);
    rfs_scorer_free(s);
    free(out.data);
}

static void test_report_by_bound(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    char *in = malloc(200 * 40), *p = in;
    int i;

    rfs_error_clear(&err);
    p += sprintf(p, "id,wave," ITEMS "\n");
    for (i = 1; i <= 101; i++)
        p += sprintf(p, "p%d,w%d,1,1,1,1,1,1,1,1\n", i, i);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_set_report_by(s, "wave", &err), 0);
    assert_int_equal(run(s, in, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_LIMIT);
    assert_int_equal(err.line, 102); /* the 101st data row */
    if (!strstr(err.message, "report by \"wave\": more than 100 different values (this row: \"w101\")"))
        fail_msg("%s", err.message);
    rfs_scorer_free(s);
    free(out.data);
    free(in);

    /* without a report: refused */
    out.data = NULL;
    out.len = 0;
    rfs_error_clear(&err);
    s = new_scorer(*state, &out);
    assert_int_equal(rfs_scorer_set_report_by(s, "wave", &err), 0);
    assert_int_equal(run(s, waves_long_csv, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    free(out.data);
}

/* ------------------------------------------------------------- warnings */

/* 30 rows answering 1..5 only (v = 1..5 six times; item 7 answered 6 - v, as a 5-point
 * form's reverse-worded item), scored under the name rfq8_t1: range_unused for rfq8_t1,
 * naming 1..5 and the key's 1..7 (tests/e2e/cases/warn_range_unused works the keying). */
static void test_range_unused_api(void **state)
{
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out);
    char *in = malloc(64 * 40), *p = in;
    const char *code = NULL, *inst = NULL, *msg;
    int r;

    rfs_error_clear(&err);
    p += sprintf(p, "id," ITEMS "\n");
    for (r = 0; r < 30; r++) {
        int v = r % 5 + 1;
        p += sprintf(p, "p%d,%d,%d,%d,%d,%d,%d,%d,%d\n", r, v, v, v, v, v, v, 6 - v, v);
    }
    assert_int_equal(rfs_scorer_set_instrument_name(s, *state, "rfq8_t1", &err), 0);
    assert_int_equal(run(s, in, 0, &err), 0);
    assert_int_equal(rfs_scorer_warning_count(s), 1);
    msg = rfs_scorer_warning(s, 0, &code, &inst);
    assert_non_null(msg);
    assert_string_equal(code, "range_unused");
    assert_string_equal(inst, "rfq8_t1");
    if (!strstr(msg, "in 30 answered rows every answer is within 1..5, never the top of the key's range 1..7"))
        fail_msg("%s", msg);
    assert_null(rfs_scorer_warning(s, 1, NULL, NULL));
    rfs_scorer_free(s);
    free(out.data);
    free(in);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_composite_key),
        T(test_composite_key_prescan),
        T(test_composite_key_errors),
        T(test_row_numbers),
        T(test_same_instrument_twice),
        T(test_same_name_twice_refused),
        T(test_filters),
        T(test_filters_keep_invalid_answers),
        T(test_filter_errors),
        T(test_report_by),
        T(test_report_by_bound),
        T(test_range_unused_api),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}

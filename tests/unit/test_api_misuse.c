/* Misuse of the public API (issue 12, defect 11): NULL for every pointer argument of
 * every function in include/rfscore.h, calls out of order, a failing output callback.
 * None may crash (this suite runs in the ASan build too); each gives a usage error (or
 * the documented NULL / "" / 0), and a NULL rfs_error is always accepted. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "rfscore.h"

#define RFQ8 TEST_TOP "/instruments/rfq8.ini"
#define CSV "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\np,1,1,1,1,1,1,1,1\n"

static int discard(const char *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (void)userdata;
    return 0;
}

static int refuse(const char *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    ++*(int *)userdata;
    return -1;
}

static void on_problem(const rfs_error *e, void *userdata)
{
    assert_non_null(e);
    ++*(int *)userdata;
}

/* rc is -1 and err says RFS_E_USAGE; err is cleared for the next call. */
#define USAGE(call)                                                                                      \
    do {                                                                                                 \
        rfs_error_clear(&err);                                                                           \
        assert_int_equal((call), -1);                                                                    \
        assert_int_equal(err.code, RFS_E_USAGE);                                                         \
    } while (0)

static rfs_instrument *load(void)
{
    rfs_error err;
    rfs_instrument *inst;

    rfs_error_clear(&err);
    inst = rfs_instrument_load(RFQ8, &err);
    assert_non_null(inst);
    return inst;
}

static void test_instrument_functions_null(void **state)
{
    rfs_error err;
    int problems = 0;
    size_t cases = 7;

    (void)state;
    rfs_error_clear(&err);
    assert_null(rfs_instrument_load(NULL, &err));
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_null(rfs_instrument_load(NULL, NULL));
    assert_int_equal(rfs_instrument_check(NULL, on_problem, &problems), 1);
    assert_int_equal(problems, 1);
    assert_int_equal(rfs_instrument_check(NULL, NULL, NULL), 1);
    assert_int_equal(rfs_instrument_check(RFQ8, NULL, NULL), 0);
    rfs_instrument_free(NULL);
    assert_string_equal(rfs_instrument_id(NULL), "");
    assert_string_equal(rfs_instrument_name(NULL), "");
    assert_string_equal(rfs_instrument_version(NULL), "");
    assert_string_equal(rfs_instrument_citation(NULL), "");
    assert_string_equal(rfs_instrument_doi(NULL), "");
    assert_string_equal(rfs_instrument_license(NULL), "");
    assert_string_equal(rfs_instrument_path(NULL), "");
    assert_string_equal(rfs_instrument_sha256(NULL), "");
    assert_int_equal(rfs_instrument_item_count(NULL), 0);
    assert_null(rfs_instrument_item_column(NULL, 1));
    assert_int_equal(rfs_instrument_score_count(NULL), 0);
    assert_null(rfs_instrument_score_id(NULL, 0));
    assert_null(rfs_instrument_describe(NULL));
    assert_null(rfs_codebook(NULL, 1, "csv"));
    {
        const rfs_instrument *list[2] = {NULL, NULL};
        char *empty;
        assert_null(rfs_codebook(list, 2, "csv"));
        empty = rfs_codebook(NULL, 0, "csv"); /* no instruments: a header only, or NULL */
        free(empty);
    }
    problems = 0;
    assert_int_equal(rfs_instrument_selftest(NULL, &cases, on_problem, &problems), 1);
    assert_int_equal(cases, 0);
    assert_int_equal(problems, 1);
    assert_int_equal(rfs_instrument_selftest(NULL, NULL, NULL, NULL), 1);
    {
        rfs_instrument *inst = load();
        assert_null(rfs_instrument_item_column(inst, 0));
        assert_null(rfs_instrument_item_column(inst, 9));
        assert_null(rfs_instrument_score_id(inst, 99));
        assert_int_equal(rfs_instrument_selftest(inst, NULL, NULL, NULL), 0);
        assert_null(rfs_codebook((const rfs_instrument *const *)&inst, 1, "bogus"));
        {
            char *md = rfs_codebook((const rfs_instrument *const *)&inst, 1, NULL); /* NULL: markdown */
            assert_non_null(md);
            free(md);
        }
        rfs_instrument_free(inst);
    }
}

static void test_misc_functions_null(void **state)
{
    char hex[65];

    (void)state;
    rfs_error_clear(NULL);
    assert_non_null(rfs_status_text((rfs_status)999));
    assert_non_null(rfs_version());
    assert_int_equal(rfs_file_sha256(NULL, hex), -1);
    assert_int_equal(rfs_file_sha256(RFQ8, NULL), -1);
    assert_int_equal(rfs_file_sha256(TEST_TOP "/no/such/file", hex), -1);
    assert_null(rfs_json_quote(NULL));
}

/* Every scorer function with a NULL scorer. */
static void test_scorer_functions_null_scorer(void **state)
{
    rfs_error err;
    rfs_counts c;
    char hex[65];
    unsigned long long bytes;
    rfs_instrument *inst = load();

    (void)state;
    rfs_scorer_free(NULL);
    USAGE(rfs_scorer_add_instrument(NULL, inst, &err));
    USAGE(rfs_scorer_set_id_column(NULL, "id", &err));
    USAGE(rfs_scorer_keep_column(NULL, "x", &err));
    USAGE(rfs_scorer_set_min_answered(NULL, "5", &err));
    USAGE(rfs_scorer_set_input_name(NULL, "x", &err));
    USAGE(rfs_scorer_set_command(NULL, 0, NULL, &err));
    USAGE(rfs_scorer_set_output(NULL, discard, NULL, &err));
    USAGE(rfs_scorer_set_threshold(NULL, "irv_min", 1, &err));
    USAGE(rfs_scorer_add_missing_code(NULL, "refused", "-99", &err));
    USAGE(rfs_scorer_set_duration_column(NULL, "t", &err));
    USAGE(rfs_scorer_set_delimiter(NULL, ',', &err));
    USAGE(rfs_scorer_set_encoding(NULL, "utf-8", &err));
    USAGE(rfs_scorer_set_duplicate_check(NULL, 1, &err));
    USAGE(rfs_scorer_set_columns(NULL, inst, "a", "b", &err));
    USAGE(rfs_scorer_map_item(NULL, inst, 1, "x", &err));
    USAGE(rfs_scorer_set_format(NULL, "csv", &err));
    USAGE(rfs_scorer_set_long(NULL, 1, &err));
    USAGE(rfs_scorer_set_raw_text(NULL, 1, &err));
    USAGE(rfs_scorer_enable_report(NULL, 0, &err));
    assert_null(rfs_scorer_report(NULL, "json"));
    USAGE(rfs_scorer_enable_digest(NULL, &err));
    assert_int_equal(rfs_scorer_input_digest(NULL, hex, &bytes), -1);
    USAGE(rfs_scorer_set_dry_run(NULL, 1, &err));
    USAGE(rfs_scorer_set_warning_fn(NULL, on_problem, NULL, &err));
    USAGE(rfs_scorer_add_id_column(NULL, "id", &err));
    USAGE(rfs_scorer_set_row_numbers(NULL, 1, &err));
    USAGE(rfs_scorer_add_filter(NULL, "a=b", &err));
    USAGE(rfs_scorer_set_instrument_name(NULL, inst, "x", &err));
    USAGE(rfs_scorer_set_digits(NULL, 2, &err));
    USAGE(rfs_scorer_set_decimal_mark(NULL, '.', &err));
    USAGE(rfs_scorer_set_header(NULL, 1, &err));
    USAGE(rfs_scorer_set_output_delimiter(NULL, ',', &err));
    USAGE(rfs_scorer_set_bom(NULL, 1, &err));
    USAGE(rfs_scorer_set_report_by(NULL, "wave", &err));
    USAGE(rfs_scorer_set_progress_fn(NULL, NULL, NULL, &err));
    USAGE(rfs_scorer_prescan(NULL, "x", 1, &err));
    USAGE(rfs_scorer_prescan_finish(NULL, &err));
    USAGE(rfs_scorer_feed(NULL, "x", 1, &err));
    USAGE(rfs_scorer_finish(NULL, &err));
    USAGE(rfs_scorer_run_file(NULL, stdin, &err));
    memset(&c, 0x55, sizeof c);
    rfs_scorer_counts(NULL, &c);
    assert_int_equal(c.rows_read, 0);
    assert_int_equal(c.rows_written, 0);
    rfs_scorer_counts(NULL, NULL);
    assert_null(rfs_scorer_summary(NULL, 0));
    assert_null(rfs_scorer_summary(NULL, 1));
    /* and with a NULL error too */
    assert_int_equal(rfs_scorer_feed(NULL, NULL, 1, NULL), -1);
    assert_int_equal(rfs_scorer_add_instrument(NULL, NULL, NULL), -1);
    rfs_instrument_free(inst);
}

/* Every other pointer argument NULL, on a live scorer. */
static void test_scorer_functions_null_arguments(void **state)
{
    rfs_error err;
    rfs_scorer *s;
    rfs_instrument *inst = load();
    char hex[65];
    rfs_counts c;

    (void)state;
    rfs_error_clear(&err);
    s = rfs_scorer_new(NULL);
    assert_non_null(s);
    /* the README's pattern when the load failed: add_instrument(s, NULL, &err) */
    USAGE(rfs_scorer_add_instrument(s, NULL, &err));
    USAGE(rfs_scorer_set_id_column(s, NULL, &err));
    USAGE(rfs_scorer_keep_column(s, NULL, &err));
    USAGE(rfs_scorer_set_min_answered(s, NULL, &err));
    USAGE(rfs_scorer_set_input_name(s, NULL, &err));
    USAGE(rfs_scorer_set_command(s, 1, NULL, &err));
    USAGE(rfs_scorer_set_output(s, NULL, NULL, &err));
    USAGE(rfs_scorer_set_threshold(s, NULL, 1, &err));
    USAGE(rfs_scorer_add_missing_code(s, NULL, "-99", &err));
    USAGE(rfs_scorer_add_missing_code(s, "refused", NULL, &err));
    USAGE(rfs_scorer_set_duration_column(s, NULL, &err));
    USAGE(rfs_scorer_set_columns(s, NULL, "a", "b", &err));
    USAGE(rfs_scorer_map_item(s, NULL, 1, "x", &err));
    USAGE(rfs_scorer_set_format(s, NULL, &err));
    USAGE(rfs_scorer_add_id_column(s, NULL, &err));
    USAGE(rfs_scorer_add_filter(s, NULL, &err));
    USAGE(rfs_scorer_set_instrument_name(s, NULL, "x", &err));
    USAGE(rfs_scorer_set_report_by(s, NULL, &err));
    /* not added yet */
    USAGE(rfs_scorer_set_columns(s, inst, "a", NULL, &err));
    USAGE(rfs_scorer_map_item(s, inst, 1, "x", &err));
    USAGE(rfs_scorer_set_instrument_name(s, inst, "x", &err));
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    USAGE(rfs_scorer_set_instrument_name(s, inst, NULL, &err));
    USAGE(rfs_scorer_map_item(s, inst, 1, NULL, &err));
    USAGE(rfs_scorer_map_item(s, inst, 0, "x", &err));
    USAGE(rfs_scorer_map_item(s, inst, 9, "x", &err));
    assert_int_equal(rfs_scorer_set_columns(s, inst, NULL, NULL, &err), 0); /* NULL: leave as is */
    assert_int_equal(rfs_scorer_set_encoding(s, NULL, &err), 0);            /* NULL: utf-8 */
    assert_int_equal(rfs_scorer_set_warning_fn(s, NULL, NULL, &err), 0);    /* NULL: no warnings */
    assert_int_equal(rfs_scorer_set_progress_fn(s, NULL, NULL, &err), 0);   /* NULL: no progress */
    assert_null(rfs_scorer_report(s, "json")); /* not enabled */
    assert_int_equal(rfs_scorer_input_digest(s, NULL, NULL), -1);
    assert_int_equal(rfs_scorer_input_digest(s, hex, NULL), -1); /* not enabled */
    USAGE(rfs_scorer_feed(s, "x", 1, &err));                     /* no output set */
    assert_int_equal(rfs_scorer_set_output(s, discard, NULL, &err), 0);
    assert_int_equal(rfs_scorer_enable_digest(s, &err), 0);
    USAGE(rfs_scorer_feed(s, NULL, 5, &err));
    USAGE(rfs_scorer_prescan(s, NULL, 5, &err));
    USAGE(rfs_scorer_run_file(s, NULL, &err));
    /* a NULL with no bytes is an empty feed; the scorer still works after the refusals */
    assert_int_equal(rfs_scorer_feed(s, NULL, 0, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, CSV, strlen(CSV), &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_int_equal(rfs_scorer_input_digest(s, hex, NULL), 0);
    rfs_scorer_counts(s, NULL);
    rfs_scorer_counts(s, &c);
    assert_int_equal(c.rows_written, 1);
    rfs_scorer_free(s);
    rfs_instrument_free(inst);
}

/* Calls out of order: configuration after input, a pre-pass after scoring began, a
 * pre-pass finish without a pre-pass, finishing twice, feeding after the end, reading
 * results before the end. */
static void test_calls_out_of_order(void **state)
{
    rfs_error err;
    rfs_scorer *s;
    rfs_instrument *inst = load();
    char hex[65], *text;

    (void)state;
    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    USAGE(rfs_scorer_finish(s, &err)); /* no instrument */
    rfs_scorer_free(s);

    /* a pre-pass finished without bytes is an empty input's pre-pass: an error, located */
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, discard, NULL, &err), 0);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_prescan_finish(s, &err), -1);
    assert_int_equal(err.code, RFS_E_DATA);
    USAGE(rfs_scorer_feed(s, CSV, 1, &err));
    rfs_scorer_free(s);

    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, discard, NULL, &err), 0);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_enable_digest(s, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, CSV, 10, &err), 0);
    assert_int_equal(rfs_scorer_input_digest(s, hex, NULL), -1); /* not finished */
    text = rfs_scorer_summary(s, 1);                                /* so far: allowed */
    free(text);
    text = rfs_scorer_report(s, "text");
    free(text);
    USAGE(rfs_scorer_add_instrument(s, inst, &err));
    USAGE(rfs_scorer_set_id_column(s, "id", &err));
    USAGE(rfs_scorer_set_output(s, discard, NULL, &err));
    USAGE(rfs_scorer_set_format(s, "jsonl", &err));
    USAGE(rfs_scorer_prescan(s, CSV, 10, &err));
    USAGE(rfs_scorer_prescan_finish(s, &err));
    assert_int_equal(rfs_scorer_feed(s, CSV + 10, strlen(CSV) - 10, &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0); /* twice: harmless */
    USAGE(rfs_scorer_feed(s, CSV, 1, &err));
    USAGE(rfs_scorer_prescan(s, CSV, 1, &err));
    assert_int_equal(rfs_scorer_input_digest(s, hex, NULL), 0);
    text = rfs_scorer_report(s, "html");
    assert_non_null(text);
    free(text);
    rfs_scorer_free(s);

    /* scoring while a pre-pass is open; finishing a pre-pass twice */
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, discard, NULL, &err), 0);
    assert_int_equal(rfs_scorer_prescan(s, CSV, strlen(CSV), &err), 0);
    USAGE(rfs_scorer_feed(s, CSV, 1, &err));
    USAGE(rfs_scorer_finish(s, &err));
    assert_int_equal(rfs_scorer_prescan_finish(s, &err), 0);
    USAGE(rfs_scorer_prescan_finish(s, &err));
    USAGE(rfs_scorer_prescan(s, CSV, 1, &err));
    assert_int_equal(rfs_scorer_feed(s, CSV, strlen(CSV), &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    rfs_scorer_free(s);
    rfs_instrument_free(inst);
}

/* A callback that fails: the error is RFS_E_OUTPUT, it is not called again, nothing is
 * counted as written, and every later call is refused without a crash. */
static void test_failing_callback(void **state)
{
    rfs_error err;
    rfs_scorer *s;
    rfs_instrument *inst = load();
    rfs_counts c;
    int calls = 0;
    char *text;

    (void)state;
    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, refuse, &calls, &err), 0);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, CSV, strlen(CSV), &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), -1);
    assert_int_equal(err.code, RFS_E_OUTPUT);
    assert_int_equal(calls, 1);
    rfs_scorer_counts(s, &c);
    assert_int_equal(c.rows_read, 1);
    assert_int_equal(c.rows_written, 0);
    USAGE(rfs_scorer_finish(s, &err));
    USAGE(rfs_scorer_feed(s, CSV, 1, &err));
    assert_int_equal(calls, 1);
    text = rfs_scorer_summary(s, 1);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"rows_written\": 0"));
    free(text);
    rfs_scorer_free(s);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_instrument_functions_null),
        cmocka_unit_test(test_misc_functions_null),
        cmocka_unit_test(test_scorer_functions_null_scorer),
        cmocka_unit_test(test_scorer_functions_null_arguments),
        cmocka_unit_test(test_calls_out_of_order),
        cmocka_unit_test(test_failing_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

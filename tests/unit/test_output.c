/* Output text from the input (issue 12): formula-looking header cells, REDCap ids, flags
 * naming odd columns, cut cells, JSON escaping, colliding column names, and counting
 * rows when the output fails. Public API only, with instruments/rfq8.ini.
 *
 * RFQ-8 key (instruments/rfq8.ini): c = mean of items 1-6 recoded 1->3 2->2 3->1 4..7->0,
 * u = mean of items 2,4,5,6,7,8 recoded 1..4->0 5->1 6->2 7->3 with item 7 reversed
 * (8 - x) first; each needs 5 of its 6 items. An all-1 row: c = 3*6/6 = 3,
 * u = (0*5 + 3)/6 = 0.5, longstring 8, irv 0. With item 3 invalid and the rest 1:
 * c = 3*5/5 = 3 (5 answered), u as before 0.5, longstring: the invalid cell breaks the
 * run, so 5 (items 4-8), irv 0; flags invalid_answer. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "rfscore.h"

#define RFQ8 TEST_TOP "/instruments/rfq8.ini"

#define SCORE_COLS                                                                                       \
    "rfq8_c,rfq8_c_n,rfq8_c_status,rfq8_u,rfq8_u_n,rfq8_u_status,rfq8_longstring,rfq8_irv,rfq8_valid,"   \
    "rfq8_flags\n"
#define ITEMS "rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8"
#define ROW_ALL_1 "3,6,ok,0.5,6,ok,8,0,1,\n"

typedef struct sink {
    char *data;
    size_t len, cap, calls;
    size_t fail_at; /* fail this call (1-based) and every later one; 0 never */
} sink;

static int collect(const char *data, size_t len, void *userdata)
{
    sink *s = userdata;

    if (s->fail_at && ++s->calls >= s->fail_at)
        return -1;
    if (s->len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        char *p;
        while (cap < s->len + len + 1)
            cap *= 2;
        if (!(p = realloc(s->data, cap)))
            return -1;
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

static int setup(void **state)
{
    rfs_error err;

    rfs_error_clear(&err);
    *state = rfs_instrument_load(RFQ8, &err);
    return *state ? 0 : -1;
}

static int teardown(void **state)
{
    rfs_instrument_free(*state);
    return 0;
}

static rfs_scorer *new_scorer(const rfs_instrument *inst, sink *out, const char *format)
{
    rfs_error err;
    rfs_scorer *s;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_non_null(s);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_input_name(s, "in.csv", &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, out, &err), 0);
    if (format)
        assert_int_equal(rfs_scorer_set_format(s, format, &err), 0);
    return s;
}

static int run(rfs_scorer *s, const char *text, rfs_error *err)
{
    rfs_error_clear(err);
    if (rfs_scorer_feed(s, text, strlen(text), err) < 0)
        return -1;
    return rfs_scorer_finish(s, err);
}

/* Defect 14: an id or kept column name that a spreadsheet would run as a formula is
 * neutralised in the CSV, TSV and long headers, like cell text; a REDCap import keeps
 * its record ids as they are ("=2" is the record "=2"). */
static void test_header_cells_neutralised(void **state)
{
    static const char csv[] = "=HYPERLINK(1),@grp," ITEMS "\n=2,+x,1,1,1,1,1,1,1,1\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    s = new_scorer(*state, &out, NULL);
    assert_int_equal(rfs_scorer_set_id_column(s, "=HYPERLINK(1)", &err), 0);
    assert_int_equal(rfs_scorer_keep_column(s, "@grp", &err), 0);
    assert_int_equal(run(s, csv, &err), 0);
    assert_string_equal(out.data, "'=HYPERLINK(1),'@grp," SCORE_COLS "'=2,'+x," ROW_ALL_1);
    rfs_scorer_free(s);
    free(out.data);
    memset(&out, 0, sizeof out);

    s = new_scorer(*state, &out, "tsv");
    assert_int_equal(rfs_scorer_set_id_column(s, "=HYPERLINK(1)", &err), 0);
    assert_int_equal(rfs_scorer_set_long(s, 1, &err), 0);
    assert_int_equal(run(s, csv, &err), 0);
    assert_non_null(strstr(out.data, "'=HYPERLINK(1)\tinstrument\t"));
    rfs_scorer_free(s);
    free(out.data);
    memset(&out, 0, sizeof out);

    /* REDCap: record_id is ours; the value "=2" is written as it is */
    s = new_scorer(*state, &out, "redcap");
    assert_int_equal(run(s, "record_id," ITEMS "\n=2,1,1,1,1,1,1,1,1\n", &err), 0);
    assert_non_null(strstr(out.data, "\n=2,"));
    assert_null(strstr(out.data, "'"));
    rfs_scorer_free(s);
    free(out.data);
}

/* Defect 16: an invalid cell is quoted in the flag cut to at most 32 bytes, at a
 * character boundary: "x" and 20 "é" (41 bytes) become "x" and 15 "é" (31 bytes). */
static void test_flag_value_cut_at_character(void **state)
{
    static const char csv[] = "id," ITEMS "\np,1,1,x"
                              "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                              "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                              ",1,1,1,1,1\n";
    static const char want[] = "p,3,5,ok,0.5,6,ok,5,0,0,invalid_answer:rfq8_3=x"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                               "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out, NULL);

    assert_int_equal(run(s, csv, &err), 0);
    assert_non_null(strchr(out.data, '\n'));
    assert_string_equal(strchr(out.data, '\n') + 1, want);
    rfs_scorer_free(s);
    free(out.data);
}

/* Defect 17: a column name holding ';' or '=' is shown with '?' in flags, as cell text
 * is, so _flags splits into flags at ';' and each at its first ':' and '='. */
static void test_flag_column_names_escaped(void **state)
{
    static const char csv[] = "id,q;1,q=2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\np,9,x;y,1,1,1,1,1,1\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out, NULL);

    assert_int_equal(rfs_scorer_map_item(s, *state, 1, "q;1", &err), 0);
    assert_int_equal(rfs_scorer_map_item(s, *state, 2, "q=2", &err), 0);
    assert_int_equal(run(s, csv, &err), 0);
    /* items 1, 2 invalid: c = 3*4/4 < 5 answered: too_few_items; u: items 4-8 answered,
     * 0+0+0+3+0 = 3 / 5 = 0.6 */
    assert_non_null(strstr(out.data, ",invalid_answer:q?1=9;invalid_answer:q?2=x?y;too_few_items:c=4<5\n"));
    rfs_scorer_free(s);
    free(out.data);
}

/* Defect 17: a kept column named like an output column would give two columns of that
 * name (and a JSON object with a repeated key): a usage error, with or without the
 * pre-pass. */
static void test_kept_column_collision(void **state)
{
    static const char csv[] = "id,rfq8_c," ITEMS "\np,old,1,1,1,1,1,1,1,1\nq,1\n";
    int prescan;

    for (prescan = 0; prescan < 2; prescan++) {
        sink out = {0};
        rfs_error err;
        rfs_scorer *s = new_scorer(*state, &out, prescan ? "jsonl" : NULL);
        assert_int_equal(rfs_scorer_keep_column(s, "rfq8_c", &err), 0);
        rfs_error_clear(&err);
        if (prescan)
            assert_int_equal(rfs_scorer_prescan(s, csv, strlen(csv), &err), -1);
        else
            assert_int_equal(rfs_scorer_feed(s, csv, strlen(csv), &err), -1);
        assert_int_equal(err.code, RFS_E_USAGE);
        assert_non_null(strstr(err.message, "\"rfq8_c\""));
        assert_int_equal(out.len, 0);
        rfs_scorer_free(s);
        free(out.data);
    }
}

/* Defect 13: JSON from the library parses whatever the bytes of a name: a byte that
 * does not begin a UTF-8 character is \u00XX; UTF-8 is kept. */
static void test_json_escapes_non_utf8(void **state)
{
    static const char csv[] = "id," ITEMS "\np,1,1,1,1,1,1,1,1\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(*state, &out, NULL);
    char *json, *q;

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_input_name(s, "caf\xe9-\xc3\xa9\x01.csv", &err), 0);
    assert_int_equal(rfs_scorer_enable_report(s, 0, &err), 0);
    assert_int_equal(run(s, csv, &err), 0);
    json = rfs_scorer_summary(s, 1);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"caf\\u00e9-\xc3\xa9\\u0001.csv\""));
    assert_null(strstr(json, "\xe9-"));
    free(json);
    json = rfs_scorer_report(s, "json");
    assert_non_null(json);
    assert_non_null(strstr(json, "\"caf\\u00e9-\xc3\xa9\\u0001.csv\""));
    free(json);
    rfs_scorer_free(s);
    free(out.data);

    q = rfs_json_quote("a\"\\\n\xff\xc3\xa9\xed\xa0\x80\xf0\x9f\x98\x80\xc3");
    assert_non_null(q);
    /* \xed\xa0\x80 is a surrogate (not UTF-8): three bytes escaped; U+1F600 kept; a lone
     * lead byte at the end escaped */
    assert_string_equal(q, "\"a\\\"\\\\\\n\\u00ff\xc3\xa9\\u00ed\\u00a0\\u0080\xf0\x9f\x98\x80\\u00c3\"");
    free(q);
    assert_null(rfs_json_quote(NULL));
}

/* Defect 11: rows_written counts the rows that reached the output function. 10000 rows
 * of about 30 bytes are flushed in 64 KiB pieces; the second write fails, so only the
 * rows of the first piece were delivered. */
static void test_rows_written_when_output_fails(void **state)
{
    size_t cap = 10000 * 32 + 128, len = 0, i, lines = 0;
    char *csv = malloc(cap);
    sink out = {0};
    rfs_error err;
    rfs_counts c;
    rfs_scorer *s;

    assert_non_null(csv);
    len += (size_t)sprintf(csv, "id," ITEMS "\n");
    for (i = 0; i < 10000; i++)
        len += (size_t)sprintf(csv + len, "r%zu,1,1,1,1,1,1,1,1\n", i);
    out.fail_at = 2;
    s = new_scorer(*state, &out, NULL);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, csv, len, &err), -1);
    assert_int_equal(err.code, RFS_E_OUTPUT);
    for (i = 0; i < out.len; i++)
        lines += out.data[i] == '\n';
    rfs_scorer_counts(s, &c);
    assert_true(lines > 1);
    assert_int_equal(c.rows_written, lines - 1); /* the header is no row */
    assert_true(c.rows_read > c.rows_written);
    rfs_scorer_free(s);
    free(out.data);
    memset(&out, 0, sizeof out);

    /* a small output fails at finish: nothing was delivered */
    out.fail_at = 1;
    s = new_scorer(*state, &out, NULL);
    assert_int_equal(run(s, "id," ITEMS "\np,1,1,1,1,1,1,1,1\n", &err), -1);
    rfs_scorer_counts(s, &c);
    assert_int_equal(c.rows_read, 1);
    assert_int_equal(c.rows_written, 0);
    rfs_scorer_free(s);
    free(out.data);
    free(csv);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_header_cells_neutralised),
        T(test_flag_value_cut_at_character),
        T(test_flag_column_names_escaped),
        T(test_kept_column_collision),
        T(test_json_escapes_non_utf8),
        T(test_rows_written_when_output_fails),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

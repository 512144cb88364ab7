/* The streaming pass at its edges (issue 12): delimiters, the id pre-pass, chunking,
 * header-only exports and very wide headers. Public API only, with instruments/rfq8.ini.
 *
 * RFQ-8 key (instruments/rfq8.ini): c = mean of items 1-6 recoded 1->3 2->2 3->1 4..7->0,
 * u = mean of items 2,4,5,6,7,8 recoded 1..4->0 5->1 6->2 7->3 with item 7 reversed
 * (8 - x) first; each needs 5 of its 6 items. An all-1 row: c = 3*6/6 = 3,
 * u = (0*5 + 3)/6 = 0.5, longstring 8, irv 0. An all-empty row: nothing answered, so
 * empty_row and too_few_items for both scales (0 < 5), longstring 0, irv empty. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rfscore.h"

#define RFQ8 TEST_TOP "/instruments/rfq8.ini"

#define SCORE_COLS                                                                                       \
    "rfq8_c,rfq8_c_n,rfq8_c_status,rfq8_u,rfq8_u_n,rfq8_u_status,rfq8_longstring,rfq8_irv,rfq8_valid,"   \
    "rfq8_flags\n"
#define ROW_ALL_1 "3,6,ok,0.5,6,ok,8,0,1,\n"
#define ROW_EMPTY /* after the id and its comma */ ",0,too_few_items,,0,too_few_items,0,,0,empty_row;too_few_items:c=0<5;too_few_items:u=0<5\n"

typedef struct sink {
    char *data;
    size_t len, cap;
} sink;

static int collect(const char *data, size_t len, void *userdata)
{
    sink *s = userdata;

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

typedef struct run_opts {
    size_t chunk;     /* feed size; 0: all at once */
    int prescan;      /* run the id pre-pass first, in the same chunks */
    int no_id_check;
    char delimiter;
} run_opts;

static int feed_chunks(rfs_scorer *s, const char *text, size_t len, size_t chunk, int prescan, rfs_error *err)
{
    size_t off = 0;

    if (chunk == 0)
        chunk = len ? len : 1;
    for (; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        if ((prescan ? rfs_scorer_prescan(s, text + off, n, err) : rfs_scorer_feed(s, text + off, n, err)) < 0)
            return -1;
    }
    return prescan ? rfs_scorer_prescan_finish(s, err) : rfs_scorer_finish(s, err);
}

/* Scores text; out holds the output, err the first error. */
static int score(const rfs_instrument *inst, const char *text, size_t len, const run_opts *o, sink *out,
                 rfs_error *err)
{
    rfs_scorer *s;
    int rc;

    rfs_error_clear(err);
    s = rfs_scorer_new(err);
    assert_non_null(s);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, err), 0);
    assert_int_equal(rfs_scorer_set_input_name(s, "in.csv", err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, out, err), 0);
    assert_int_equal(rfs_scorer_set_delimiter(s, o->delimiter, err), 0);
    if (o->no_id_check)
        assert_int_equal(rfs_scorer_set_duplicate_check(s, 0, err), 0);
    rc = 0;
    if (o->prescan)
        rc = feed_chunks(s, text, len, o->chunk, 1, err);
    if (rc == 0)
        rc = feed_chunks(s, text, len, o->chunk, 0, err);
    rfs_scorer_free(s);
    return rc;
}

#define ITEMS_TAB "rfq8_1\trfq8_2\trfq8_3\trfq8_4\trfq8_5\trfq8_6\trfq8_7\trfq8_8"

/* Defect 3: a TSV line of tabs only is a record of nine empty fields (libcsv's reading),
 * not a blank line, however the input is chunked; as in CSV, it is an empty_row. */
static void test_tsv_record_of_empty_fields(void **state)
{
    static const char tsv[] = "id\t" ITEMS_TAB "\n\t\t\t\t\t\t\t\t\na\t1\t1\t1\t1\t1\t1\t1\t1\n";
    static const char csv[] = "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n,,,,,,,,\n"
                              "a,1,1,1,1,1,1,1,1\n";
    static const char want[] = "id," SCORE_COLS "," ROW_EMPTY "a," ROW_ALL_1; /* the empty id, then the empty row */
    size_t chunk;
    int detect;

    for (detect = 0; detect < 2; detect++)
        for (chunk = 0; chunk <= sizeof tsv - 1; chunk++) {
            run_opts o = {chunk, 0, 0, detect ? 0 : '\t'};
            sink out = {0};
            rfs_error err;
            if (score(*state, tsv, sizeof tsv - 1, &o, &out, &err) != 0)
                fail_msg("chunk %zu: %s", chunk, err.message);
            if (strcmp(out.data, want) != 0)
                fail_msg("chunk %zu, delimiter %s: got\n%s", chunk, detect ? "detected" : "tab", out.data);
            free(out.data);
        }
    {
        run_opts o = {0, 0, 0, 0};
        sink out = {0};
        rfs_error err;
        assert_int_equal(score(*state, csv, sizeof csv - 1, &o, &out, &err), 0);
        assert_string_equal(out.data, want);
        free(out.data);
    }
}

/* Defect 10: the first error does not depend on the pre-pass, --no-id-check or chunking.
 * Each text has one error; every way of reading it must report the same place. */
static void test_first_error_independent_of_prepass(void **state)
{
    static const struct {
        const char *text;
        unsigned long line;
        const char *what;
    } cases[] = {
        /* line 3 has 10 fields, line 4 has 8: the first error is line 3's */
        {"id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\na,1,1,1,1,1,1,1,1\n"
         "b,1,1,1,1,1,1,1,1,1\nc,1,1,1,1,1,1,1\n", 3, "too many fields"},
        {"id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\na,1,1,1,1,1,1,1,1\n"
         "b,1,1,1\nc,1,1,1,1,1,1,1,1,1\n", 3, "too few fields"},
        {"id;rfq8_1;rfq8_2;rfq8_3;rfq8_4;rfq8_5;rfq8_6;rfq8_7;rfq8_8\na;1;1;1;1;1;1;1;1\n"
         "b;1;1\n", 3, "too few fields"},
        {"id\t" ITEMS_TAB "\na\t1\t1\t1\t1\t1\t1\t1\t1\t\t\n", 2, "too many fields"},
        /* the ragged row comes before the bad quote */
        {"id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\nb,1\nc,\"1\"x,1,1,1,1,1,1,1\n", 2,
         "too few fields"},
    };
    size_t i, chunk;
    int mode;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len = strlen(cases[i].text);
        unsigned long col0 = 0;
        for (mode = 0; mode < 3; mode++)
            for (chunk = 0; chunk <= len; chunk++) {
                run_opts o = {chunk, mode == 1, mode == 2, 0};
                sink out = {0};
                rfs_error err;
                if (score(*state, cases[i].text, len, &o, &out, &err) == 0)
                    fail_msg("case %zu mode %d chunk %zu: accepted", i, mode, chunk);
                if (err.code != RFS_E_DATA || err.line != cases[i].line || !strstr(err.message, cases[i].what))
                    fail_msg("case %zu mode %d chunk %zu: %lu:%lu %s; expected line %lu, \"%s\"", i, mode, chunk,
                             err.line, err.column, err.message, cases[i].line, cases[i].what);
                if (mode == 0 && chunk == 0)
                    col0 = err.column;
                else if (err.column != col0 && err.column != 0)
                    fail_msg("case %zu mode %d chunk %zu: column %lu, whole-input run gives %lu", i, mode, chunk,
                             err.column, col0);
                free(out.data);
            }
    }
}

/* The pre-pass reads a quote-free line only up to the key's last column (here a composite
 * key ending at column 4) and only counts the rest: the first error must still be the
 * scoring pass's, in every chunk size. Line 3 of each text is the first bad line. */
static void test_first_error_composite_key(void **state)
{
    static const char head[] = "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\na,1,1,1,1,1,1,1,1\n";
    static const char *const bad[] = {"b,1,1,1,1,1,1,1,1,1,1\nc,1\n", "b,1,1,1,1\nc,1,1,1,1,1,1,1,1,1\n",
                                      "b,1,1,1,1,1,1,1,1,   \n", "b,1,1,1,1,1,1,1,1,9,@\n", "b,1,1,1,1,1,@,1,1\n"}; /* @: a field over the limit */
    size_t big = RFS_MAX_FIELD + 2, i, chunk;

    for (i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *text = malloc(sizeof head + strlen(bad[i]) + big), *x = malloc(big + 1);
        rfs_error first;
        size_t len;
        int prescan;
        assert_non_null(text);
        assert_non_null(x);
        memset(x, 'x', big);
        x[big] = '\0';
        const char *at = strchr(bad[i], '@');
        memcpy(text, head, sizeof head - 1);
        len = sizeof head - 1;
        if (at) {
            memcpy(text + len, bad[i], (size_t)(at - bad[i]));
            len += (size_t)(at - bad[i]);
            memcpy(text + len, x, big);
            len += big;
            strcpy(text + len, at + 1);
            len += strlen(at + 1);
        } else {
            strcpy(text + len, bad[i]);
            len += strlen(bad[i]);
        }
        for (prescan = 1; prescan >= 0; prescan--)
            for (chunk = 0; chunk <= 64; chunk += chunk < 8 ? 1 : 19) {
                rfs_scorer *s;
                rfs_error err;
                sink out = {0};
                int rc = 0;
                rfs_error_clear(&err);
                s = rfs_scorer_new(&err);
                assert_non_null(s);
                assert_int_equal(rfs_scorer_add_instrument(s, *state, &err), 0);
                assert_int_equal(rfs_scorer_set_output(s, collect, &out, &err), 0);
                assert_int_equal(rfs_scorer_set_id_column(s, "id", &err), 0);
                assert_int_equal(rfs_scorer_add_id_column(s, "rfq8_3", &err), 0);
                if (prescan)
                    rc = feed_chunks(s, text, len, chunk, 1, &err);
                if (rc == 0)
                    rc = feed_chunks(s, text, len, chunk, 0, &err);
                rfs_scorer_free(s);
                free(out.data);
                if (rc == 0)
                    fail_msg("text %zu prescan %d chunk %zu: accepted", i, prescan, chunk);
                if (prescan && chunk == 0)
                    first = err;
                else if (err.code != first.code || err.line != first.line || strcmp(err.message, first.message) != 0 ||
                         (err.column != first.column && err.column && first.column))
                    fail_msg("text %zu prescan %d chunk %zu: %lu:%lu %s; the pre-pass whole gave %lu:%lu %s", i,
                             prescan, chunk, err.line, err.column, err.message, first.line, first.column,
                             first.message);
                if (err.line != 3)
                    fail_msg("text %zu: line %lu %s", i, err.line, err.message);
            }
        free(text);
        free(x);
    }
}

/* Defect 12: a wide header (about 900 KB: 60,000 columns) fed in 16-byte pieces costs
 * about what it costs in one piece; before, holding the header line while looking for
 * its end rescanned everything held at every feed (tens of seconds). */
static void test_wide_header_small_feeds(void **state)
{
    size_t n = 60000, i, len = 0, cap = n * 16 + 256;
    char *text = malloc(cap);
    clock_t t0;
    double secs;
    run_opts o = {16, 0, 0, 0};
    sink out = {0};
    rfs_error err;

    assert_non_null(text);
    len += (size_t)sprintf(text, "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, ",extra_%05zu", i);
    text[len++] = '\n';
    t0 = clock();
    assert_int_equal(score(*state, text, len, &o, &out, &err), 0);
    secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_string_equal(out.data, "id," SCORE_COLS);
    if (secs > 10)
        fail_msg("%zu-byte header in 16-byte feeds took %.1f s CPU", len, secs);
    free(out.data);
    free(text);
}

/* Defect 15: a Qualtrics export with no responses yet (the header alone, or with the
 * question text row, or with the ImportId row too) gives the output header, as a plain
 * CSV with only a header does; with the pre-pass too. */
static void test_qualtrics_without_responses(void **state)
{
#define QH "StartDate,EndDate,ResponseId,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n"
#define QQ "Start Date,End Date,Response ID,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8\n"
#define QI                                                                                               \
    "\"{\"\"ImportId\"\":\"\"startDate\"\"}\",\"{\"\"ImportId\"\":\"\"endDate\"\"}\","                  \
    "\"{\"\"ImportId\"\":\"\"_recordId\"\"}\",\"{\"\"ImportId\"\":\"\"QID1_1\"\"}\","                   \
    "\"{\"\"ImportId\"\":\"\"QID1_2\"\"}\",\"{\"\"ImportId\"\":\"\"QID1_3\"\"}\","                      \
    "\"{\"\"ImportId\"\":\"\"QID1_4\"\"}\",\"{\"\"ImportId\"\":\"\"QID1_5\"\"}\","                      \
    "\"{\"\"ImportId\"\":\"\"QID1_6\"\"}\",\"{\"\"ImportId\"\":\"\"QID1_7\"\"}\","                      \
    "\"{\"\"ImportId\"\":\"\"QID1_8\"\"}\"\n"
    static const char *const inputs[] = {QH, QH QQ, QH QQ QI, "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n"};
    static const char *const want[] = {"ResponseId," SCORE_COLS, "ResponseId," SCORE_COLS, "ResponseId," SCORE_COLS,
                                       "id," SCORE_COLS};
    size_t i;
    int prescan;

    for (i = 0; i < sizeof inputs / sizeof *inputs; i++)
        for (prescan = 0; prescan < 2; prescan++) {
            run_opts o = {0, prescan, 0, 0};
            sink out = {0};
            rfs_error err;
            if (score(*state, inputs[i], strlen(inputs[i]), &o, &out, &err) != 0)
                fail_msg("input %zu prescan %d: %s:%lu: %s", i, prescan, err.file, err.line, err.message);
            assert_string_equal(out.data, want[i]);
            free(out.data);
        }
#undef QH
#undef QQ
#undef QI
}

/* Chunk equivalence for every delimiter, with and without the pre-pass: the same records
 * written with ',', ';' or tab (delimiter detected), CRLF line ends, a quoted note holding
 * all three delimiters, a record of empty fields, a blank line and a repeated id, fed in
 * every chunk size, give the same output, worked by hand:
 *   a1 all 1: c 3, u 0.5, longstring 8, irv 0 (see the top of this file)
 *   (empty id and cells): empty_row, too_few_items for c and u
 *   a1 all 7: c 0 (7 -> 0); u: items 2,4,5,6,8 -> 3 each = 15, item 7 reversed 8-7 = 1 -> 0:
 *      15/6 = 2.5; longstring 8, irv 0; a1 again: duplicate_id:2, so valid 0
 *   a3 1,2,3,4,5,6,7,NA: c 3+2+1+0+0+0 = 6/6 = 1; u: items 2,4,5,6 -> 0,0,1,2, item 7
 *      8-7 = 1 -> 0, item 8 missing: 3/5 = 0.6; longstring 1; irv over 1..7: n 7, Sx 28,
 *      Sxx 140: sqrt((7*140 - 28^2) / (7*6)) = sqrt(14/3) = 2.160246899469287
 * The pre-pass flags the first a1 as well (every occurrence of a repeated id). */
static void test_chunk_equivalence_every_delimiter(void **state)
{
    static const char tmpl[] = "id|rfq8_1|rfq8_2|rfq8_3|rfq8_4|rfq8_5|rfq8_6|rfq8_7|rfq8_8|note\r\n"
                               "a1|1|1|1|1|1|1|1|1|\"x,y;z\tw\"\r\n"
                               "|||||||||\r\n"
                               "\r\n"
                               "a1|7|7|7|7|7|7|7|7|\"say \"\"hi\"\"\"\r\n"
                               "a3|1|2|3|4|5|6|7|NA|plain\r\n";
    static const char rows[] = ",,,0,too_few_items,,0,too_few_items,0,,0,empty_row;too_few_items:c=0<5;too_few_items:u=0<5\n"
                               "a1,\"say \"\"hi\"\"\",0,6,ok,2.5,6,ok,8,0,0,duplicate_id:2\n"
                               "a3,plain,1,6,ok,0.6,5,ok,1,2.160246899469287,1,\n";
    static const char *const first[2] = {"a1,\"x,y;z\tw\",3,6,ok,0.5,6,ok,8,0,1,\n",
                                         "a1,\"x,y;z\tw\",3,6,ok,0.5,6,ok,8,0,0,duplicate_id:2\n"};
    static const char delims[] = ",;\t";
    char text[sizeof tmpl], want[1024];
    size_t d, i, chunk, len = sizeof tmpl - 1;
    int prescan;

    for (d = 0; d < 3; d++) {
        for (i = 0; i < len; i++)
            text[i] = tmpl[i] == '|' ? delims[d] : tmpl[i];
        for (prescan = 0; prescan < 2; prescan++) {
            snprintf(want, sizeof want, "id,note,%s%s%s", SCORE_COLS, first[prescan], rows);
            for (chunk = 0; chunk <= len; chunk++) {
                run_opts o = {chunk, prescan, 0, 0};
                sink out = {0};
                rfs_error err;
                rfs_scorer *s;
                int rc;
                rfs_error_clear(&err);
                s = rfs_scorer_new(&err);
                assert_int_equal(rfs_scorer_add_instrument(s, *state, &err), 0);
                assert_int_equal(rfs_scorer_set_output(s, collect, &out, &err), 0);
                assert_int_equal(rfs_scorer_keep_column(s, "note", &err), 0);
                rc = o.prescan ? feed_chunks(s, text, len, chunk, 1, &err) : 0;
                if (rc == 0)
                    rc = feed_chunks(s, text, len, chunk, 0, &err);
                rfs_scorer_free(s);
                if (rc != 0)
                    fail_msg("delimiter %zu prescan %d chunk %zu: %lu:%lu %s", d, prescan, chunk, err.line,
                             err.column, err.message);
                if (strcmp(out.data, want) != 0)
                    fail_msg("delimiter %zu prescan %d chunk %zu: got\n%s\nexpected\n%s", d, prescan, chunk,
                             out.data, want);
                free(out.data);
            }
        }
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_tsv_record_of_empty_fields),
        T(test_first_error_independent_of_prepass),
        T(test_first_error_composite_key),
        T(test_wide_header_small_feeds),
        T(test_qualtrics_without_responses),
        T(test_chunk_equivalence_every_delimiter),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}

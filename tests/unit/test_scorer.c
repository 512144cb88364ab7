/* The public streaming API end to end, in memory, with instruments/rfq8.ini.
 *
 * RFQ-8 key (instruments/rfq8.ini), used for every expected row below:
 *   c = mean of items 1-6 recoded 1->3 2->2 3->1 4..7->0; needs 5 of 6 (80%, rounded up)
 *   u = mean of items 2,4,5,6,7,8 recoded 1..4->0 5->1 6->2 7->3, item 7 reversed first
 *       (8 - x), so item 7 scores 1->3 2->2 3->1 4..7->0; needs 5 of 6
 * Output columns: id, kept columns, rfq8_c, rfq8_c_n, rfq8_c_status, rfq8_u, rfq8_u_n,
 * rfq8_u_status, rfq8_longstring, rfq8_irv, rfq8_valid, rfq8_flags (docs/output.md).
 * RFQ-8 declares no [validity] thresholds, so longstring and irv are printed, never flagged:
 *   longstring = longest run of equal consecutive raw answers (a missing or invalid cell
 *                breaks a run; 0 when nothing is answered)
 *   irv = sqrt((n Sxx - Sx^2) / (n (n - 1))) over the n answered raw values; empty if n < 2
 * (docs/validity.md). Every id below is distinct, so no duplicate_id flag. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "rfscore.h"

#define RFQ8 TEST_TOP "/instruments/rfq8.ini"

/* ------------------------------------------------------------------ sink */

typedef struct sink {
    char *data;
    size_t len, cap;
    size_t calls;
    int fail_after; /* fail on this call (1-based); 0 never */
} sink;

static int collect(const char *data, size_t len, void *userdata)
{
    sink *s = userdata;

    s->calls++;
    if (s->fail_after && s->calls >= (size_t)s->fail_after)
        return -1;
    if (s->len + len + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 256;
        char *p;
        while (cap < s->len + len + 1)
            cap *= 2;
        p = realloc(s->data, cap);
        if (!p)
            return -1;
        s->data = p;
        s->cap = cap;
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    return 0;
}

static void sink_free(sink *s)
{
    free(s->data);
    memset(s, 0, sizeof *s);
}

/* -------------------------------------------------------------- fixtures */

typedef struct fixture {
    rfs_instrument *inst;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    rfs_error err;

    rfs_error_clear(&err);
    if (!f)
        return -1;
    f->inst = rfs_instrument_load(RFQ8, &err);
    if (!f->inst) {
        fprintf(stderr, "cannot load %s: %s:%lu: %s\n", RFQ8, err.file, err.line, err.message);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    rfs_instrument_free(f->inst);
    free(f);
    return 0;
}

/* A scorer for RFQ-8, writing to out, input named "in.csv". */
static rfs_scorer *new_scorer(const rfs_instrument *inst, sink *out)
{
    rfs_error err;
    rfs_scorer *s;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_non_null(s);
    assert_int_equal(rfs_scorer_add_instrument(s, inst, &err), 0);
    assert_int_equal(rfs_scorer_set_input_name(s, "in.csv", &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, out, &err), 0);
    assert_int_equal(err.code, RFS_OK);
    return s;
}

/* Feeds text in chunks of `chunk` bytes (0: all at once), then finishes. Returns 0 or -1. */
static int run(rfs_scorer *s, const char *text, size_t len, size_t chunk, rfs_error *err)
{
    size_t off = 0;

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

/* Scores text with a fresh RFQ-8 scorer (optionally keeping "note"); the output is
 * left in out. */
static int score_text(const rfs_instrument *inst, const char *text, size_t chunk, const char *keep,
                      const char *min_answered, sink *out, rfs_error *err)
{
    rfs_scorer *s = new_scorer(inst, out);
    int rc;

    if (keep)
        assert_int_equal(rfs_scorer_keep_column(s, keep, err), 0);
    if (min_answered)
        assert_int_equal(rfs_scorer_set_min_answered(s, min_answered, err), 0);
    rc = run(s, text, strlen(text), chunk, err);
    rfs_scorer_free(s);
    return rc;
}

#define SCORE_COLS                                                                                       \
    "rfq8_c,rfq8_c_n,rfq8_c_status,rfq8_u,rfq8_u_n,rfq8_u_status,rfq8_longstring,rfq8_irv,rfq8_valid,"   \
    "rfq8_flags\n"
#define HEADER_NOTE "id,note," SCORE_COLS
#define HEADER "id," SCORE_COLS
#define ITEMS "rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8"

/* A UTF-8 BOM, CRLF line ends, quoted fields holding commas, CRLF and doubled quotes, a
 * blank line (not a record), and no newline after the last record. */
static const char forms_csv[] =
    "\xEF\xBB\xBF" "id," ITEMS ",note\r\n"
    "a1,1,1,1,1,1,1,1,1,\"x, y\"\r\n"
    "\"a,2\",7,7,7,7,7,7,7,7,\"line1\r\nline2\"\r\n"
    "a3,1,2,3,4,5,6,7,NA,plain\r\n"
    "\r\n"
    "a4,NA,,9,4,5,6,1,7,\"say \"\"hi\"\"\"\r\n"
    "a6,NA,NA,NA,NA,NA,NA,NA,NA,\"\"\r\n"
    "a5, 2 ,2.0,+2,2,2,2,2,2,z";

/* Worked by hand from the key above:
 * a1: all 1. c: 3 x 6 = 18 / 6 = 3.  u: items 2,4,5,6,8 -> 0; item 7: 1 -> 7 -> 3: 3 / 6 = 0.5
 *   longstring 8; irv 0 (no variation)
 * a,2: all 7. c: 0 x 6 = 0.  u: 3 x 5 = 15; item 7: 7 -> 1 -> 0: 15 / 6 = 2.5
 *   longstring 8; irv 0. (id holds a comma and note a CRLF: both quoted on output, the CRLF
 *   kept inside the quotes)
 * a3: 1,2,3,4,5,6,7,NA. c: 3,2,1,0,0,0 = 6 / 6 = 1.
 *   u: items 2,4,5,6 = 2,4,5,6 -> 0,0,1,2; item 7: 7 -> 1 -> 0; item 8 missing: 3 / 5 = 0.6
 *   longstring 1; irv over 1..7: n 7, Sx 28, Sxx 140: (980 - 784) / 42 = 14/3,
 *   sqrt = 2.160246899469287
 * a4: NA,"",9,4,5,6,1,7. c: items 1,2 missing, 3 invalid; 4,5,6 -> 0,0,0: 3 answered < 5.
 *   u: item 2 missing; 4,5,6 -> 0,1,2; item 7: 1 -> 7 -> 3; item 8: 7 -> 3: 9 / 5 = 1.8
 *   longstring 1; irv over 4,5,6,1,7: n 5, Sx 23, Sxx 127: (635 - 529) / 20 = 5.3,
 *   sqrt = 2.3021728866442674
 *   flags: invalid_answer:rfq8_3=9;too_few_items:c=3<5
 * a6: all NA: nothing scored; longstring 0, irv empty;
 *   flags empty_row;too_few_items:c=0<5;too_few_items:u=0<5
 * a5: all 2 (written " 2 ", "2.0", "+2"). c: 2 x 6 = 12 / 6 = 2.
 *   u: items 2,4,5,6,8 -> 0; item 7: 2 -> 6 -> 2: 2 / 6 = 0.3333333333333333
 *   longstring 8; irv 0 */
static const char forms_expected[] =
    HEADER_NOTE
    "a1,\"x, y\",3,6,ok,0.5,6,ok,8,0,1,\n"
    "\"a,2\",\"line1\r\nline2\",0,6,ok,2.5,6,ok,8,0,1,\n"
    "a3,plain,1,6,ok,0.6,5,ok,1,2.160246899469287,1,\n"
    "a4,\"say \"\"hi\"\"\",,3,too_few_items,1.8,5,ok,1,2.3021728866442674,0,invalid_answer:rfq8_3=9;too_few_items:c=3<5\n"
    "a6,,,0,too_few_items,,0,too_few_items,0,,0,empty_row;too_few_items:c=0<5;too_few_items:u=0<5\n"
    "a5,z,2,6,ok,0.3333333333333333,6,ok,8,0,1,\n";

static void test_every_chunk_size(void **state)
{
    fixture *f = *state;
    size_t len = sizeof forms_csv - 1, chunk;

    for (chunk = 1; chunk <= len; chunk++) {
        sink out = {0};
        rfs_error err;
        rfs_error_clear(&err);
        if (score_text(f->inst, forms_csv, chunk, "note", NULL, &out, &err) != 0)
            fail_msg("chunk %zu: %s:%lu:%lu: %s", chunk, err.file, err.line, err.column, err.message);
        assert_int_equal(err.code, RFS_OK);
        assert_non_null(out.data);
        if (out.len != sizeof forms_expected - 1 || memcmp(out.data, forms_expected, out.len) != 0)
            fail_msg("chunk %zu: output differs:\n%s\nexpected:\n%s", chunk, out.data, forms_expected);
        sink_free(&out);
    }
}

static void test_uneven_chunks_and_empty_feeds(void **state)
{
    /* Chunks of 1, 2, 3, ... bytes with an empty feed between each. */
    fixture *f = *state;
    size_t len = sizeof forms_csv - 1, off = 0, step = 1;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_keep_column(s, "note", &err), 0);
    while (off < len) {
        size_t n = len - off < step ? len - off : step;
        assert_int_equal(rfs_scorer_feed(s, forms_csv + off, n, &err), 0);
        assert_int_equal(rfs_scorer_feed(s, forms_csv + off + n, 0, &err), 0);
        off += n;
        step++;
    }
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_string_equal(out.data, forms_expected);
    /* finishing twice is harmless and writes nothing more */
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_int_equal(out.len, sizeof forms_expected - 1);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_counts(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_counts c;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    rfs_scorer_counts(s, &c);
    assert_int_equal(c.rows_read, 0);
    assert_int_equal(c.rows_written, 0);
    assert_int_equal(c.rows_flagged, 0);
    assert_int_equal(run(s, forms_csv, sizeof forms_csv - 1, 0, &err), 0);
    rfs_scorer_counts(s, &c);
    assert_int_equal(c.rows_read, 6);    /* a1, a,2, a3, a4, a6, a5; the blank line is no record */
    assert_int_equal(c.rows_written, 6);
    assert_int_equal(c.rows_flagged, 2); /* a4 and a6 */
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_id_column_choice(void **state)
{
    /* Without an id column set, the first of id, record_id, participant_id present is
     * used; set_id_column names any column (case-insensitive; printed as in the input).
     * Every item 1: c = 3, u = 0.5, longstring 8, irv 0 (see forms_expected, row a1). */
    fixture *f = *state;
    static const char csv[] =
        "participant_id,record_id,PID," ITEMS "\n"
        "P1,R1,X1,1,1,1,1,1,1,1,1\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    rfs_error_clear(&err);
    assert_int_equal(score_text(f->inst, csv, 0, NULL, NULL, &out, &err), 0);
    assert_string_equal(out.data, "record_id," SCORE_COLS "R1,3,6,ok,0.5,6,ok,8,0,1,\n");
    sink_free(&out);

    s = new_scorer(f->inst, &out);
    assert_int_equal(rfs_scorer_set_id_column(s, "pid", &err), 0);
    assert_int_equal(rfs_scorer_keep_column(s, "Participant_ID", &err), 0);
    assert_int_equal(run(s, csv, sizeof csv - 1, 0, &err), 0);
    assert_string_equal(out.data, "PID,participant_id," SCORE_COLS "X1,P1,3,6,ok,0.5,6,ok,8,0,1,\n");
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_header_only(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;

    rfs_error_clear(&err);
    assert_int_equal(score_text(f->inst, "id," ITEMS, 0, NULL, NULL, &out, &err), 0);
    assert_string_equal(out.data, HEADER);
    sink_free(&out);
}

static void test_flag_values(void **state)
{
    /* Invalid cells are quoted in the flag trimmed, cut to 32 bytes, with ';' and '='
     * shown as '?'. Items: 1 = "x;y=z", 2 = 36 letters/digits, 3 = " 9 ", 4..8 = 1.
     * c: items 4,5,6 only: 3 < 5, not scored.
     * u: item 2 invalid; 4,5,6,8 = 1 -> 0; item 7 = 1 -> 7 -> 3: 3 / 5 = 0.6
     * longstring 5 (items 4-8), irv 0 */
    fixture *f = *state;
    static const char csv[] =
        "id," ITEMS "\n"
        "f1,x;y=z,ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789, 9 ,1,1,1,1,1\n";
    sink out = {0};
    rfs_error err;

    rfs_error_clear(&err);
    assert_int_equal(score_text(f->inst, csv, 0, NULL, NULL, &out, &err), 0);
    assert_string_equal(out.data, HEADER
                        "f1,,3,too_few_items,0.6,5,ok,5,0,0,"
                        "invalid_answer:rfq8_1=x?y?z;"
                        "invalid_answer:rfq8_2=ABCDEFGHIJKLMNOPQRSTUVWXYZ012345;"
                        "invalid_answer:rfq8_3=9;"
                        "too_few_items:c=3<5\n");
    sink_free(&out);
}

/* ------------------------------------------------------------ min_answered */

/* r1: 1,2,3,4,5,6,7,NA -- c 6 of 6: 3,2,1,0,0,0 = 6/6 = 1; u 5 of 6: 3/5 = 0.6;
 *     longstring 1, irv 2.160246899469287 (row a3 above).
 * r2: NA,NA,1,1,1,1,1,1 -- c 4 of 6: items 3-6 -> 3 each, 12/4 = 3;
 *     u 5 of 6: items 4,5,6,8 -> 0, item 7: 1 -> 7 -> 3: 3/5 = 0.6; longstring 6, irv 0 */
static const char min_csv[] =
    "id," ITEMS "\n"
    "r1,1,2,3,4,5,6,7,NA\n"
    "r2,NA,NA,1,1,1,1,1,1\n";

static void test_min_answered_default(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;

    rfs_error_clear(&err);
    assert_int_equal(score_text(f->inst, min_csv, 0, NULL, NULL, &out, &err), 0);
    assert_string_equal(out.data, HEADER
                        "r1,1,6,ok,0.6,5,ok,1,2.160246899469287,1,\n"
                        "r2,,4,too_few_items,0.6,5,ok,6,0,0,too_few_items:c=4<5\n");
    sink_free(&out);
}

static void test_min_answered_all(void **state)
{
    /* "100%" of 6 = 6: a 5-of-6 scale is no longer scored */
    fixture *f = *state;
    sink out = {0};
    rfs_error err;

    rfs_error_clear(&err);
    assert_int_equal(score_text(f->inst, min_csv, 0, NULL, "100%", &out, &err), 0);
    assert_string_equal(out.data, HEADER
                        "r1,1,6,ok,,5,too_few_items,1,2.160246899469287,0,too_few_items:u=5<6\n"
                        "r2,,4,too_few_items,,5,too_few_items,6,0,0,too_few_items:c=4<6;too_few_items:u=5<6\n");
    sink_free(&out);

    /* "6" items: the same */
    assert_int_equal(score_text(f->inst, min_csv, 0, NULL, "6", &out, &err), 0);
    assert_string_equal(out.data, HEADER
                        "r1,1,6,ok,,5,too_few_items,1,2.160246899469287,0,too_few_items:u=5<6\n"
                        "r2,,4,too_few_items,,5,too_few_items,6,0,0,too_few_items:c=4<6;too_few_items:u=5<6\n");
    sink_free(&out);
}

static void test_min_answered_lower(void **state)
{
    /* "4" items, and "60%" of 6 = 3.6 -> 4: r2's c (4 answered) is now scored, 12/4 = 3 */
    fixture *f = *state;
    static const char *const rules[] = {"4", "60%"};
    size_t i;

    for (i = 0; i < 2; i++) {
        sink out = {0};
        rfs_error err;
        rfs_error_clear(&err);
        assert_int_equal(score_text(f->inst, min_csv, 0, NULL, rules[i], &out, &err), 0);
        assert_string_equal(out.data, HEADER
                            "r1,1,6,ok,0.6,5,ok,1,2.160246899469287,1,\n"
                            "r2,3,4,ok,0.6,5,ok,6,0,1,\n");
        sink_free(&out);
    }
}

static void test_min_answered_bad_rules(void **state)
{
    fixture *f = *state;
    static const char *const bad[] = {"", "abc", "101%", "-1", "5x", "%", "80 %", "+5"};
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rfs_error_clear(&err);
        if (rfs_scorer_set_min_answered(s, bad[i], &err) != -1)
            fail_msg("min_answered \"%s\" accepted", bad[i]);
        assert_int_equal(err.code, RFS_E_USAGE);
    }
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_min_answered(s, NULL, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    /* the scorer still works, with the definition's rule */
    rfs_error_clear(&err);
    assert_int_equal(run(s, min_csv, sizeof min_csv - 1, 0, &err), 0);
    assert_string_equal(out.data, HEADER
                        "r1,1,6,ok,0.6,5,ok,1,2.160246899469287,1,\n"
                        "r2,,4,too_few_items,0.6,5,ok,6,0,0,too_few_items:c=4<5\n");
    rfs_scorer_free(s);
    sink_free(&out);

    /* more than the 6 items of a scale: refused once the instrument is known */
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_min_answered(s, "7", &err), 0);
    assert_int_equal(run(s, min_csv, sizeof min_csv - 1, 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    sink_free(&out);
}

/* ----------------------------------------------------------------- errors */

/* Runs text at every chunk size; each run must fail with code at line and column
 * (column (unsigned long)-1: not checked). */
static void expect_error_every_chunk(const rfs_instrument *inst, const char *text, rfs_status code,
                                     unsigned long line, unsigned long column, const char *in_message)
{
    size_t len = strlen(text), chunk;

    for (chunk = 1; chunk <= len; chunk++) {
        sink out = {0};
        rfs_error err;
        int rc;
        rfs_error_clear(&err);
        rc = score_text(inst, text, chunk, NULL, NULL, &out, &err);
        if (rc != -1 || err.code != code || err.line != line ||
            (column != (unsigned long)-1 && err.column != column) || strcmp(err.file, "in.csv") != 0 ||
            (in_message && !strstr(err.message, in_message)))
            fail_msg("chunk %zu: rc %d, %s:%lu:%lu: [%s] %s; expected in.csv:%lu:%lu [%s] with \"%s\"",
                     chunk, rc, err.file, err.line, err.column, rfs_status_text(err.code), err.message, line,
                     column, rfs_status_text(code), in_message ? in_message : "");
        sink_free(&out);
    }
}

/* The same at once (chunk 0 = whole text), checking the column. */
static void expect_error_whole(const rfs_instrument *inst, const char *text, rfs_status code, unsigned long line,
                               unsigned long column, const char *in_message)
{
    sink out = {0};
    rfs_error err;

    rfs_error_clear(&err);
    assert_int_equal(score_text(inst, text, 0, NULL, NULL, &out, &err), -1);
    if (err.code != code || err.line != line || err.column != column || strcmp(err.file, "in.csv") != 0 ||
        (in_message && !strstr(err.message, in_message)))
        fail_msg("%s:%lu:%lu: [%s] %s; expected in.csv:%lu:%lu [%s] with \"%s\"", err.file, err.line,
                 err.column, rfs_status_text(err.code), err.message, line, column, rfs_status_text(code),
                 in_message ? in_message : "");
    sink_free(&out);
}

static void test_error_too_few_fields(void **state)
{
    /* Line 3 "p2,1,2,3" has 4 fields of 9; the missing field would go at column 9. */
    fixture *f = *state;

    expect_error_every_chunk(f->inst,
                             "id," ITEMS "\n"
                             "p1,1,1,1,1,1,1,1,1\n"
                             "p2,1,2,3\n"
                             "p3,1,1,1,1,1,1,1,1\n",
                             RFS_E_DATA, 3, 9, "too few fields");
    expect_error_every_chunk(f->inst,
                             "id," ITEMS "\r\n"
                             "p1,1,1,1,1,1,1,1,1\r\n"
                             "p2,1,2,3\r\n",
                             RFS_E_DATA, 3, 9, "too few fields");
    /* the last line, without a newline: the line is still known */
    expect_error_every_chunk(f->inst,
                             "id," ITEMS "\n"
                             "p1,1,1,1,1,1,1,1,1\n"
                             "p2,1,2,3",
                             RFS_E_DATA, 3, (unsigned long)-1, "too few fields");
}

static void test_error_too_many_fields(void **state)
{
    /* Line 3: "p2," + "1," x 8 = 19 bytes, then a 10th field at column 20. */
    fixture *f = *state;
    static const char csv[] =
        "id," ITEMS "\n"
        "p1,1,1,1,1,1,1,1,1\n"
        "p2,1,1,1,1,1,1,1,1,9\n";

    expect_error_whole(f->inst, csv, RFS_E_DATA, 3, 20, "too many fields");
    expect_error_every_chunk(f->inst, csv, RFS_E_DATA, 3, (unsigned long)-1, "too many fields");
}

static void test_error_unterminated_quote(void **state)
{
    /* The quote opens on line 3 and is never closed: reported at the record's line. */
    fixture *f = *state;

    expect_error_every_chunk(f->inst,
                             "id," ITEMS "\n"
                             "p1,1,1,1,1,1,1,1,1\n"
                             "p2,\"1,1,1,1,1,1,1,1\n"
                             "p3,1,1,1,1,1,1,1,1\n",
                             RFS_E_DATA, 3, (unsigned long)-1, "unterminated");
}

static void test_error_stray_quote(void **state)
{
    /* A quote inside an unquoted field, at byte 5 of line 3. */
    fixture *f = *state;

    expect_error_every_chunk(f->inst,
                             "id," ITEMS "\n"
                             "p1,1,1,1,1,1,1,1,1\n"
                             "p2,1\"x,1,1,1,1,1,1,1\n",
                             RFS_E_DATA, 3, 5, NULL);
}

static void test_error_duplicate_header(void **state)
{
    /* Column 10 " RFQ8_2 " repeats column 3 (case and spaces ignored). It starts after
     * "id," (3 bytes) + ITEMS (8 names of 6 bytes + 7 commas = 55) + "," = 59 bytes: 60. */
    fixture *f = *state;
    static const char csv[] =
        "id," ITEMS ", RFQ8_2 \n"
        "p1,1,1,1,1,1,1,1,1,1\n";

    assert_int_equal(strlen("id," ITEMS ","), 59);
    expect_error_whole(f->inst, csv, RFS_E_DATA, 1, 60, "RFQ8_2");
    expect_error_every_chunk(f->inst, csv, RFS_E_DATA, 1, (unsigned long)-1, "duplicate column");
}

static void test_error_missing_item_column(void **state)
{
    fixture *f = *state;

    expect_error_every_chunk(f->inst,
                             "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7\n"
                             "p1,1,1,1,1,1,1,1\n",
                             RFS_E_DATA, 1, (unsigned long)-1, "rfq8_8");
}

static void test_error_no_id_column(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    expect_error_every_chunk(f->inst,
                             "ident," ITEMS "\n"
                             "p1,1,1,1,1,1,1,1,1\n",
                             RFS_E_USAGE, 1, (unsigned long)-1, NULL);
    /* a named id column that is not there */
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "subject", &err), 0);
    assert_int_equal(run(s, "id," ITEMS "\n", strlen("id," ITEMS "\n"), 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_non_null(strstr(err.message, "subject"));
    rfs_scorer_free(s);
    /* a kept column that is not there */
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_keep_column(s, "group", &err), 0);
    assert_int_equal(run(s, "id," ITEMS "\n", strlen("id," ITEMS "\n"), 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_non_null(strstr(err.message, "group"));
    rfs_scorer_free(s);
    /* empty names are refused at once */
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_id_column(s, "", &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_keep_column(s, "", &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_error_empty_input(void **state)
{
    fixture *f = *state;
    static const char *const inputs[] = {"", "\xEF\xBB\xBF", "\n", "\r\n\r\n", "\n\n\n"};
    size_t i;

    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        sink out = {0};
        rfs_error err;
        rfs_error_clear(&err);
        if (score_text(f->inst, inputs[i], 0, NULL, NULL, &out, &err) != -1)
            fail_msg("input %zu accepted", i);
        assert_int_equal(err.code, RFS_E_DATA);
        assert_string_equal(err.file, "in.csv");
        assert_int_equal(err.line, 1);
        assert_int_equal(out.len, 0); /* nothing written */
        sink_free(&out);
    }
}

static void test_error_first_wins_and_scorer_stops(void **state)
{
    fixture *f = *state;
    static const char bad[] = "id," ITEMS "\np2,1,2,3\n";
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, bad, sizeof bad - 1, &err), -1);
    assert_int_equal(err.code, RFS_E_DATA);
    assert_int_equal(err.line, 2);
    /* later calls fail and leave the first error alone */
    assert_int_equal(rfs_scorer_feed(s, "p3,1,1,1,1,1,1,1,1\n", 19, &err), -1);
    assert_int_equal(rfs_scorer_finish(s, &err), -1);
    assert_int_equal(err.code, RFS_E_DATA);
    assert_int_equal(err.line, 2);
    /* with a fresh error: refused as a usage error */
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, "x", 1, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_finish(s, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    /* NULL error pointers are accepted */
    assert_int_equal(rfs_scorer_feed(s, "x", 1, NULL), -1);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_feed_after_finish_refused(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    assert_int_equal(run(s, "id," ITEMS "\n", strlen("id," ITEMS "\n"), 0, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, "p1,1,1,1,1,1,1,1,1\n", 19, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    assert_string_equal(out.data, HEADER);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_not_configured(void **state)
{
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    /* no instrument */
    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_non_null(s);
    assert_int_equal(rfs_scorer_set_output(s, collect, &out, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, "id\n", 3, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    /* no output */
    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, f->inst, &err), 0);
    assert_int_equal(rfs_scorer_feed(s, "id\n", 3, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    /* a NULL output function */
    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_set_output(s, NULL, NULL, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_configuration_after_feed_refused(void **state)
{
    fixture *f = *state;
    static const char csv[] = "id," ITEMS "\np1,1,1,1,1,1,1,1,1\n";
    sink out = {0}, other = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, csv, 5, &err), 0); /* part of the header */

#define REFUSED(call)                                                                                   \
    do {                                                                                                \
        rfs_error_clear(&err);                                                                          \
        assert_int_equal((call), -1);                                                                   \
        assert_int_equal(err.code, RFS_E_USAGE);                                                        \
    } while (0)
    REFUSED(rfs_scorer_set_min_answered(s, "100%", &err));
    REFUSED(rfs_scorer_add_instrument(s, f->inst, &err));
    REFUSED(rfs_scorer_set_id_column(s, "rfq8_1", &err));
    REFUSED(rfs_scorer_keep_column(s, "rfq8_1", &err));
    REFUSED(rfs_scorer_set_input_name(s, "other.csv", &err));
    REFUSED(rfs_scorer_set_output(s, collect, &other, &err));
    REFUSED(rfs_scorer_set_threads(s, 2, 0, &err));
#undef REFUSED

    /* nothing changed: the rest scores as configured before the feed
     * (all 1: c = 3, u = 0.5, longstring 8, irv 0; see forms_expected, row a1) */
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, csv + 5, sizeof csv - 1 - 5, &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), 0);
    assert_string_equal(out.data, HEADER "p1,3,6,ok,0.5,6,ok,8,0,1,\n");
    assert_int_equal(other.len, 0);
    rfs_scorer_free(s);
    sink_free(&out);
}

/* ----------------------------------------------------------------- output */

static void test_output_failure_at_finish(void **state)
{
    /* A small output is buffered and reaches the callback at finish, which fails. */
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    out.fail_after = 1;
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_feed(s, min_csv, sizeof min_csv - 1, &err), 0);
    assert_int_equal(rfs_scorer_finish(s, &err), -1);
    assert_int_equal(err.code, RFS_E_OUTPUT);
    assert_int_equal(out.calls, 1);
    assert_int_equal(out.len, 0);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_finish(s, &err), -1); /* still failed */
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_output_failure_while_feeding(void **state)
{
    /* A big output reaches the callback during feed; the second write fails there. Each
     * row of all 1s prints as "r<n>,3,6,ok,0.5,6,ok,8,0,1,", about 30 bytes: 10000 rows are
     * over 64 KiB several times. Ids are distinct (no duplicate_id flag). */
    fixture *f = *state;
    const char *row = ",1,1,1,1,1,1,1,1\n";
    size_t cap = 10000 * 32 + 128, len = 0, i;
    char *csv = malloc(cap);
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;
    int rc;

    assert_non_null(csv);
    len += (size_t)sprintf(csv + len, "id,%s\n", ITEMS);
    for (i = 0; i < 10000; i++)
        len += (size_t)sprintf(csv + len, "r%zu%s", i, row);

    /* first check that it works with a good sink, and the row count */
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(run(s, csv, len, 4096, &err), 0);
    assert_true(out.calls >= 3);
    assert_non_null(strstr(out.data, "\nr9999,3,6,ok,0.5,6,ok,8,0,1,\n"));
    rfs_scorer_free(s);
    sink_free(&out);

    out.fail_after = 2;
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    for (i = 0, rc = 0; i < len && rc == 0; i += 4096)
        rc = rfs_scorer_feed(s, csv + i, len - i < 4096 ? len - i : 4096, &err);
    assert_int_equal(rc, -1);
    assert_int_equal(err.code, RFS_E_OUTPUT);
    assert_int_equal(out.calls, 2); /* no write after the failure */
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_finish(s, &err), -1);
    assert_int_equal(out.calls, 2);
    rfs_scorer_free(s);
    sink_free(&out);
    free(csv);
}

/* ------------------------------------------------------------------ misc */

static void test_run_file(void **state)
{
    fixture *f = *state;
    FILE *in = tmpfile();
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    assert_non_null(in);
    assert_int_equal(fwrite(forms_csv, 1, sizeof forms_csv - 1, in), sizeof forms_csv - 1);
    rewind(in);
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_keep_column(s, "note", &err), 0);
    assert_int_equal(rfs_scorer_run_file(s, in, &err), 0);
    assert_string_equal(out.data, forms_expected);
    rfs_scorer_free(s);
    sink_free(&out);
    fclose(in);
}

/* The progress callback of rfs_scorer_run_file(): after each chunk, the id pre-pass (0)
 * then the scoring pass (1), bytes growing to the file's size in each, rows read counted
 * in the scoring pass. 20000 rows of 23 bytes are 460 kB: several 64 KiB chunks. */
typedef struct progress_log {
    int calls, passes_seen[2], order_broken;
    unsigned long long last_bytes[2], last_rows;
} progress_log;

static void log_progress(int pass, unsigned long long bytes, const rfs_counts *counts, void *ud)
{
    progress_log *p = ud;

    p->calls++;
    if (pass < 0 || pass > 1 || (pass == 0 && p->passes_seen[1]) || bytes <= p->last_bytes[pass]) {
        p->order_broken = 1;
        return;
    }
    p->passes_seen[pass] = 1;
    p->last_bytes[pass] = bytes;
    if (pass == 1)
        p->last_rows = counts->rows_read;
}

static void test_progress(void **state)
{
    fixture *f = *state;
    FILE *in = tmpfile();
    sink out = {0};
    progress_log log = {0};
    rfs_error err;
    rfs_scorer *s;
    long size;
    int i;

    assert_non_null(in);
    fputs("id," ITEMS "\n", in);
    for (i = 0; i < 20000; i++)
        fprintf(in, "p%05d,1,2,3,4,5,6,7,1\n", i); /* 23 bytes */
    size = ftell(in);
    rewind(in);
    s = new_scorer(f->inst, &out);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_progress_fn(s, log_progress, &log, &err), 0);
    assert_int_equal(rfs_scorer_run_file(s, in, &err), 0);
    assert_false(log.order_broken);
    assert_true(log.passes_seen[0] && log.passes_seen[1]);
    assert_true(log.calls >= 2 * (int)(size / 65536));
    assert_int_equal(log.last_bytes[0], (unsigned long long)size);
    assert_int_equal(log.last_bytes[1], (unsigned long long)size);
    assert_int_equal(log.last_rows, 20000);
    rfs_scorer_free(s);
    sink_free(&out);
    fclose(in);
}

/* Output layout: no header, ';' between fields, a decimal comma, a BOM, fixed decimals.
 * p1 answers 1,1,1,1,1,4,4,2: c = (3+3+3+3+3+0)/6 = 2.5, u = 0, longstring 5,
 * irv = sqrt((8*41 - 15^2)/56) = sqrt(103/56) = 1.3562 -> 1,36 with 2 decimals. */
static void test_output_layout(void **state)
{
    static const char csv[] = "id," ITEMS "\np1,1,1,1,1,1,4,4,2\n";
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s = new_scorer(f->inst, &out);

    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_header(s, 0, &err), 0);
    assert_int_equal(rfs_scorer_set_output_delimiter(s, ';', &err), 0);
    assert_int_equal(rfs_scorer_set_decimal_mark(s, ',', &err), 0);
    assert_int_equal(rfs_scorer_set_bom(s, 1, &err), 0);
    assert_int_equal(rfs_scorer_set_digits(s, 2, &err), 0);
    assert_int_equal(rfs_scorer_set_digits(s, 16, &err), -1); /* 0..15 */
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_error_clear(&err);
    assert_int_equal(rfs_scorer_set_output_delimiter(s, '|', &err), -1);
    rfs_error_clear(&err);
    assert_int_equal(run(s, csv, strlen(csv), 0, &err), 0);
    assert_string_equal(out.data, "\xEF\xBB\xBFp1;2,50;6;ok;0,00;6;ok;5;1,36;1;\n");
    rfs_scorer_free(s);
    sink_free(&out);

    /* A decimal comma in comma-separated output is refused when the run starts. */
    s = new_scorer(f->inst, &out);
    assert_int_equal(rfs_scorer_set_decimal_mark(s, ',', &err), 0);
    assert_int_equal(run(s, csv, strlen(csv), 0, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_default_input_name(void **state)
{
    /* Without set_input_name, errors name "<input>". */
    fixture *f = *state;
    sink out = {0};
    rfs_error err;
    rfs_scorer *s;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    assert_int_equal(rfs_scorer_add_instrument(s, f->inst, &err), 0);
    assert_int_equal(rfs_scorer_set_output(s, collect, &out, &err), 0);
    assert_int_equal(run(s, "id," ITEMS "\np1,1\n", strlen("id," ITEMS "\np1,1\n"), 0, &err), -1);
    assert_int_equal(err.code, RFS_E_DATA);
    assert_string_equal(err.file, "<input>");
    assert_int_equal(err.line, 2);
    rfs_scorer_free(s);
    sink_free(&out);
}

static void test_version_and_null_frees(void **state)
{
    (void)state;
    assert_non_null(rfs_version());
    assert_string_equal(rfs_version(), RFS_VERSION);
    assert_string_equal(RFS_VERSION, "0.1.0");
    rfs_scorer_free(NULL);
    rfs_instrument_free(NULL);
}

static void test_error_helpers(void **state)
{
    rfs_error err;

    (void)state;
    memset(&err, 0x55, sizeof err);
    rfs_error_clear(&err);
    assert_int_equal(err.code, RFS_OK);
    assert_int_equal(err.line, 0);
    assert_int_equal(err.column, 0);
    assert_string_equal(err.file, "");
    assert_string_equal(err.message, "");
    rfs_error_clear(NULL);
    assert_string_equal(rfs_status_text(RFS_OK), "no error");
    assert_string_equal(rfs_status_text(RFS_E_DATA), "bad data");
}

/* Run warnings through the API: column rfq8_1 holds 2 invalid texts of 3 filled cells
 * (more than half): one column_mostly_invalid warning for rfq8; rfq8_3 holds 1 invalid of
 * 3 (not most): none. In every chunk size, since the counts must not depend on it. */
static void test_warnings(void **state)
{
    fixture *f = *state;
    static const char text[] = "id," ITEMS "\n"
                               "w1,often,1,1,1,1,1,1,1\n"
                               "w2,often,1,9,1,1,1,1,1\n"
                               "w3,2,1,1,1,1,1,1,1\n";
    size_t chunk;

    for (chunk = 1; chunk <= sizeof text - 1; chunk += 7) {
        sink out = {0};
        rfs_error err;
        rfs_scorer *s = new_scorer(f->inst, &out);
        const char *code = NULL, *inst = NULL, *msg;
        rfs_error_clear(&err);
        assert_int_equal(rfs_scorer_warning_count(s), 0);
        assert_int_equal(run(s, text, sizeof text - 1, chunk, &err), 0);
        assert_int_equal(rfs_scorer_warning_count(s), 1);
        msg = rfs_scorer_warning(s, 0, &code, &inst);
        assert_non_null(msg);
        assert_string_equal(code, "column_mostly_invalid");
        assert_string_equal(inst, "rfq8");
        assert_non_null(strstr(msg, "\"rfq8_1\""));
        assert_non_null(strstr(msg, "2 of 3 filled cells"));
        assert_non_null(strstr(msg, "\"often\" (2)"));
        assert_null(rfs_scorer_warning(s, 1, &code, &inst));
        rfs_scorer_free(s);
        sink_free(&out);
    }
    assert_int_equal(rfs_scorer_warning_count(NULL), 0);
}

/* Qualtrics header rows told by structure, in every chunk size: line 2 is question text
 * in German (a quoted newline inside), line 3 ImportIds in the 2016-17 form; items found
 * by ImportId in the current spelling (QID3_n finds QID3-n). The one respondent:
 * 1,2,3,4,5,6,7,1 -> c 3,2,1,0,0,0 = 1; u 0,0,1,2,(8-7=1 -> 0),0 = 3/6 = 0.5;
 * longstring 1; irv: sum 29, sumsq 141: (8*141 - 29^2)/56 = 287/56 -> 2.2638462845343543. */
static void test_qualtrics_header_rows(void **state)
{
    fixture *f = *state;
    static const char text[] =
        "StartDate,ResponseId,A1,A2,A3,A4,A5,A6,A7,A8\r\n"
        "Anfangsdatum,Antwort-ID,\"Frage\r\n1\",Frage 2,Frage 3,Frage 4,Frage 5,Frage 6,Frage 7,Frage 8\r\n"
        "{'ImportId': 'startDate'},{'ImportId': 'responseId'},{'ImportId': 'QID3-1'},{'ImportId': 'QID3-2'},"
        "{'ImportId': 'QID3-3'},{'ImportId': 'QID3-4'},{'ImportId': 'QID3-5'},{'ImportId': 'QID3-6'},"
        "{'ImportId': 'QID3-7'},{'ImportId': 'QID3-8'}\r\n"
        "2016-11-02 10:00:00,R_aB3dE5fG7hJ9kL1,1,2,3,4,5,6,7,1\r\n";
    static const char expected[] = "ResponseId," SCORE_COLS "R_aB3dE5fG7hJ9kL1,1,6,ok,0.5,6,ok,1,2.2638462845343543,1,\n";
    size_t chunk, k;

    for (chunk = 1; chunk <= sizeof text - 1; chunk++) {
        sink out = {0};
        rfs_error err;
        rfs_scorer *s = new_scorer(f->inst, &out);
        char qid[16];
        rfs_error_clear(&err);
        for (k = 1; k <= 8; k++) {
            snprintf(qid, sizeof qid, "QID3_%zu", k);
            assert_int_equal(rfs_scorer_map_item(s, f->inst, k, qid, &err), 0);
        }
        assert_int_equal(run(s, text, sizeof text - 1, chunk, &err), 0);
        assert_string_equal(out.data, expected);
        assert_int_equal(rfs_scorer_warning_count(s), 0);
        rfs_scorer_free(s);
        sink_free(&out);
    }
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_every_chunk_size),
        T(test_uneven_chunks_and_empty_feeds),
        T(test_counts),
        T(test_id_column_choice),
        T(test_header_only),
        T(test_flag_values),
        T(test_min_answered_default),
        T(test_min_answered_all),
        T(test_min_answered_lower),
        T(test_min_answered_bad_rules),
        T(test_error_too_few_fields),
        T(test_error_too_many_fields),
        T(test_error_unterminated_quote),
        T(test_error_stray_quote),
        T(test_error_duplicate_header),
        T(test_error_missing_item_column),
        T(test_error_no_id_column),
        T(test_error_empty_input),
        T(test_error_first_wins_and_scorer_stops),
        T(test_feed_after_finish_refused),
        T(test_not_configured),
        T(test_configuration_after_feed_refused),
        T(test_output_failure_at_finish),
        T(test_output_failure_while_feeding),
        T(test_run_file),
        T(test_progress),
        T(test_output_layout),
        T(test_default_input_name),
        T(test_warnings),
        T(test_qualtrics_header_rows),
        cmocka_unit_test(test_version_and_null_frees),
        cmocka_unit_test(test_error_helpers),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}

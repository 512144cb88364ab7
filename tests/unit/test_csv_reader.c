/* The private libcsv adapter (src/csv_reader.h): fields, records and physical line
 * numbers, strict quoting errors with line and byte column, and the same results
 * whatever the chunk sizes the input arrives in. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "input/csv_reader.h"

/* ------------------------------------------------------------ collection */

/* Everything the callbacks saw, serialized: "col:field|" per field (control and
 * non-ASCII bytes as \xHH) and "#nfields@record_line-line\n" per record. */
typedef struct collect {
    rfsi_csv *r;
    char text[8192];
    size_t len;
    int overflow;
    size_t n_fields;       /* fields in the current record so far */
    int bad_col;           /* a field arrived with a col other than its position */
    size_t records;
    size_t fields_total;
    /* stopping: 0 = never */
    size_t stop_at_record; /* the on_record callback for this record (1-based) returns -1 */
    size_t stop_at_field;  /* the on_field callback for this field (1-based, overall) returns -1 */
    rfs_error *err;        /* set by a stopping callback, as the contract says */
    /* columns seen in the record callback (test_columns) */
    unsigned long colpos[8];
    unsigned long endcol;
} collect;

static void put(collect *c, const char *s, size_t n)
{
    if (c->len + n >= sizeof c->text) {
        c->overflow = 1;
        return;
    }
    memcpy(c->text + c->len, s, n);
    c->len += n;
    c->text[c->len] = '\0';
}

static void putf(collect *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(collect *c, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    put(c, tmp, (size_t)n);
}

static int on_field(void *ud, const char *data, size_t len, size_t col)
{
    collect *c = ud;
    size_t i;

    if (col != c->n_fields)
        c->bad_col = 1;
    c->n_fields++;
    c->fields_total++;
    putf(c, "%zu:", col);
    for (i = 0; i < len; i++) {
        unsigned char b = (unsigned char)data[i];
        if (b < 0x20 || b >= 0x7f || b == '\\')
            putf(c, "\\x%02X", b);
        else
            put(c, (const char *)&b, 1);
    }
    put(c, "|", 1);
    if (c->stop_at_field && c->fields_total == c->stop_at_field) {
        rfs_error *e = c->err;
        if (e && e->code == RFS_OK) {
            e->code = RFS_E_USAGE;
            snprintf(e->message, sizeof e->message, "field callback stopped");
        }
        return -1;
    }
    return 0;
}

static int on_record(void *ud, size_t nfields)
{
    collect *c = ud;
    size_t i;

    if (nfields != c->n_fields)
        c->bad_col = 1;
    c->n_fields = 0;
    c->records++;
    putf(c, "#%zu@%lu-%lu\n", nfields, rfsi_csv_record_line(c->r), rfsi_csv_line(c->r));
    for (i = 0; i < 8; i++)
        c->colpos[i] = rfsi_csv_field_column(c->r, i);
    c->endcol = rfsi_csv_end_column(c->r);
    if (c->stop_at_record && c->records == c->stop_at_record) {
        rfs_error *e = c->err;
        if (e && e->code == RFS_OK) {
            e->code = RFS_E_USAGE;
            snprintf(e->message, sizeof e->message, "record callback stopped");
        }
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ the runner */

enum { OK = 0, FAIL_FEED = 1, FAIL_FINISH = 2 };

typedef struct outcome {
    collect c;
    int stage;   /* OK, FAIL_FEED or FAIL_FINISH */
    rfs_error err;
} outcome;

/* Feeds data in chunks of chunk bytes (0: all at once), then finishes. */
static void run(const char *data, size_t len, size_t chunk, size_t stop_at_record, size_t stop_at_field,
                outcome *o)
{
    size_t off = 0;

    memset(o, 0, sizeof *o);
    rfs_error_clear(&o->err);
    o->c.stop_at_record = stop_at_record;
    o->c.stop_at_field = stop_at_field;
    o->c.err = &o->err;
    o->c.r = rfsi_csv_new("input.csv", ',', RFSI_ENC_UTF8, on_field, on_record, &o->c);
    assert_non_null(o->c.r);
    if (chunk == 0)
        chunk = len ? len : 1;
    while (off < len) {
        size_t n = len - off < chunk ? len - off : chunk;
        if (rfsi_csv_feed(o->c.r, data + off, n, &o->err) != 0) {
            o->stage = FAIL_FEED;
            break;
        }
        off += n;
    }
    if (o->stage == OK && rfsi_csv_finish(o->c.r, &o->err) != 0)
        o->stage = FAIL_FINISH;
    if (o->stage != OK) {
        /* After an error nothing more is accepted. */
        rfs_error again;
        rfs_error_clear(&again);
        assert_int_equal(rfsi_csv_feed(o->c.r, "x\n", 2, &again), -1);
        assert_int_equal(again.code, RFS_E_USAGE);
        assert_int_equal(rfsi_csv_finish(o->c.r, &again), -1);
    }
    rfsi_csv_free(o->c.r);
    o->c.r = NULL;
    assert_false(o->c.overflow);
    assert_false(o->c.bad_col);
}

static void same_outcome(const outcome *ref, const outcome *o, size_t chunk)
{
    if (strcmp(ref->c.text, o->c.text) != 0)
        fail_msg("chunk size %zu: callbacks saw\n%s\ninstead of\n%s", chunk, o->c.text, ref->c.text);
    if (ref->stage != o->stage || ref->err.code != o->err.code || ref->err.line != o->err.line ||
        ref->err.column != o->err.column || strcmp(ref->err.message, o->err.message) != 0 ||
        strcmp(ref->err.file, o->err.file) != 0)
        fail_msg("chunk size %zu: stage %d code %d at %lu:%lu (%s) instead of stage %d code %d at %lu:%lu (%s)",
                 chunk, o->stage, (int)o->err.code, o->err.line, o->err.column, o->err.message, ref->stage,
                 (int)ref->err.code, ref->err.line, ref->err.column, ref->err.message);
}

/* Runs data whole and in every chunk size from 1 to its length; every run must agree
 * with the whole-input run, which must match expected. Returns the reference outcome. */
static outcome *check_stops(const char *data, size_t len, const char *expected, size_t stop_at_record,
                            size_t stop_at_field)
{
    static outcome ref, o;
    size_t chunk;

    run(data, len, 0, stop_at_record, stop_at_field, &ref);
    if (strcmp(ref.c.text, expected) != 0)
        fail_msg("callbacks saw\n%s\nexpected\n%s", ref.c.text, expected);
    for (chunk = 1; chunk <= len; chunk++) {
        run(data, len, chunk, stop_at_record, stop_at_field, &o);
        same_outcome(&ref, &o, chunk);
    }
    return &ref;
}

static outcome *check(const char *data, size_t len, const char *expected)
{
    return check_stops(data, len, expected, 0, 0);
}

#define CHECK_OK(lit, expected)                                                                        \
    do {                                                                                               \
        outcome *o_ = check(lit, sizeof(lit) - 1, expected);                                           \
        assert_int_equal(o_->stage, OK);                                                               \
        assert_int_equal(o_->err.code, RFS_OK);                                                        \
    } while (0)

/* ------------------------------------------------------------- the tests */

static void test_plain_rows(void **state)
{
    (void)state;
    CHECK_OK("id,a,b\n1,2,3\n4,5,6\n",
             "0:id|1:a|2:b|#3@1-1\n"
             "0:1|1:2|2:3|#3@2-2\n"
             "0:4|1:5|2:6|#3@3-3\n");
    /* empty fields, and unquoted fields trimmed of spaces and tabs */
    CHECK_OK("id,a,b\n7,, x \t\n,,\n",
             "0:id|1:a|2:b|#3@1-1\n"
             "0:7|1:|2:x|#3@2-2\n"
             "0:|1:|2:|#3@3-3\n");
}

static void test_empty_input(void **state)
{
    (void)state;
    CHECK_OK("", "");
    CHECK_OK("\n\n", "");
}

static void test_bom(void **state)
{
    (void)state;
    /* the BOM is removed from the first header name, wherever the chunks split it */
    CHECK_OK("\xEF\xBB\xBFid,a\n1,2\n",
             "0:id|1:a|#2@1-1\n"
             "0:1|1:2|#2@2-2\n");
    /* only a leading BOM is special */
    CHECK_OK("id\n\xEF\xBB\xBFx\n",
             "0:id|#1@1-1\n"
             "0:\\xEF\\xBB\\xBFx|#1@2-2\n");
    /* BOM, then at once a blank line: the first record is on line 2 */
    CHECK_OK("\xEF\xBB\xBF\nid\n", "0:id|#1@2-2\n");
}

#define CHECK_ERR(lit, expected, stage_, code_, line_, column_, needle)                                \
    do {                                                                                               \
        outcome *o_ = check(lit, sizeof(lit) - 1, expected);                                           \
        assert_int_equal(o_->stage, stage_);                                                           \
        assert_int_equal(o_->err.code, code_);                                                         \
        assert_string_equal(o_->err.file, "input.csv");                                                \
        assert_int_equal(o_->err.line, line_);                                                         \
        assert_int_equal(o_->err.column, column_);                                                     \
        if (!strstr(o_->err.message, needle))                                                          \
            fail_msg("message '%s' lacks '%s'", o_->err.message, needle);                              \
    } while (0)

static void test_partial_bom(void **state)
{
    (void)state;
    /* a partial BOM is not swallowed: it is the start of a broken UTF-8 character, an
     * error located at its first byte */
    CHECK_ERR("\xEF\xBB", "", FAIL_FINISH, RFS_E_DATA, 1, 1, "ends inside a multi-byte character");
    CHECK_ERR("\xEF", "", FAIL_FINISH, RFS_E_DATA, 1, 1, "ends inside a multi-byte character");
    CHECK_ERR("\xEF\xBBx,y\n", "", FAIL_FEED, RFS_E_DATA, 1, 1, "not UTF-8 (byte 0xEF)");
    CHECK_ERR("\xEF\xBB\xEFz\n", "", FAIL_FEED, RFS_E_DATA, 1, 1, "not UTF-8 (byte 0xEF)");
}

static void test_crlf(void **state)
{
    (void)state;
    CHECK_OK("id,a\r\n1,2\r\n\r\n3,4\r\n",
             "0:id|1:a|#2@1-1\n"
             "0:1|1:2|#2@2-2\n"
             "0:3|1:4|#2@4-4\n");
    /* a quoted field keeps its CRLF */
    CHECK_OK("id,t\r\n1,\"a\r\nb\"\r\n2,c\r\n",
             "0:id|1:t|#2@1-1\n"
             "0:1|1:a\\x0D\\x0Ab|#2@2-3\n"
             "0:2|1:c|#2@4-4\n");
}

static void test_quoted(void **state)
{
    (void)state;
    CHECK_OK("id,text\n"
             "1,\"a,b\"\n"
             "2,\"say \"\"hi\"\"\"\n"
             "3,\"multi\n"
             "line\",z\n"
             "4,\"\"\n"
             "5,x\n",
             "0:id|1:text|#2@1-1\n"
             "0:1|1:a,b|#2@2-2\n"
             "0:2|1:say \"hi\"|#2@3-3\n"
             "0:3|1:multi\\x0Aline|2:z|#3@4-5\n"
             "0:4|1:|#2@6-6\n"
             "0:5|1:x|#2@7-7\n");
    /* a quoted field keeps its spaces; a quoted field may start a record and span
     * several lines, including blank ones */
    CHECK_OK("\" a \"\n\"x\n\n\ny\"\nq\n",
             "0: a |#1@1-1\n"
             "0:x\\x0A\\x0A\\x0Ay|#1@2-5\n"
             "0:q|#1@6-6\n");
}

static void test_blank_lines(void **state)
{
    (void)state;
    /* blank and whitespace-only lines are not records, but count as lines */
    CHECK_OK("id,a\n\n  \n\n1,2\n\n",
             "0:id|1:a|#2@1-1\n"
             "0:1|1:2|#2@5-5\n");
    CHECK_OK("\n\n\nid\n", "0:id|#1@4-4\n");
}

static void test_whitespace_only_line(void **state)
{
    (void)state;
    CHECK_OK("a\n \t \nb\n",
             "0:a|#1@1-1\n"
             "0:b|#1@3-3\n");
    CHECK_OK("a\r\n \t\r\nb\r\n",
             "0:a|#1@1-1\n"
             "0:b|#1@3-3\n");
    /* leading spaces before the first field do not move the record's line */
    CHECK_OK("a\n   b,c\n",
             "0:a|#1@1-1\n"
             "0:b|1:c|#2@2-2\n");
}

static void test_no_final_newline(void **state)
{
    (void)state;
    CHECK_OK("id,a\n1,2",
             "0:id|1:a|#2@1-1\n"
             "0:1|1:2|#2@2-2\n");
    /* a trailing delimiter at the end gives an empty last field */
    CHECK_OK("id,a,b\n1,2,",
             "0:id|1:a|2:b|#3@1-1\n"
             "0:1|1:2|2:|#3@2-2\n");
    CHECK_OK("id\n\n\nx", "0:id|#1@1-1\n0:x|#1@4-4\n");
    /* a quoted last field, closed, without a newline */
    CHECK_OK("id\n\"x,y\"", "0:id|#1@1-1\n0:x,y|#1@2-2\n");
}

static void test_delimiter(void **state)
{
    collect c;
    rfs_error err;
    rfsi_csv *r;

    (void)state;
    memset(&c, 0, sizeof c);
    rfs_error_clear(&err);
    r = rfsi_csv_new("semi.csv", ';', RFSI_ENC_UTF8, on_field, on_record, &c);
    assert_non_null(r);
    c.r = r;
    assert_string_equal(rfsi_csv_name(r), "semi.csv");
    assert_int_equal(rfsi_csv_feed(r, "a;b,c\n", 6, &err), 0);
    assert_int_equal(rfsi_csv_finish(r, &err), 0);
    assert_string_equal(c.text, "0:a|1:b,c|#2@1-1\n");
    /* finish twice is harmless */
    assert_int_equal(rfsi_csv_finish(r, &err), 0);
    /* but nothing may be fed after the end */
    assert_int_equal(rfsi_csv_feed(r, "x\n", 2, &err), -1);
    assert_int_equal(err.code, RFS_E_USAGE);
    rfsi_csv_free(r);
    rfsi_csv_free(NULL);
}


static void test_strict_quote_in_unquoted(void **state)
{
    (void)state;
    /* line 2 is 1,ab"c: the stray quote is byte 5 */
    CHECK_ERR("id,val\n1,ab\"c\n2,ok\n", "0:id|1:val|#2@1-1\n0:1|", FAIL_FEED, RFS_E_DATA, 2, 5,
              "a quote inside an unquoted field");
    /* after blank lines and a multi-line record: line and column still right */
    CHECK_ERR("id,val\n\n1,\"a\nb\"\n\n  x,y\"\n", "0:id|1:val|#2@1-1\n0:1|1:a\\x0Ab|#2@3-4\n0:x|",
              FAIL_FEED, RFS_E_DATA, 6, 6, "malformed quoting");
    /* CRLF input */
    CHECK_ERR("id\r\nab\"\r\n", "0:id|#1@1-1\n", FAIL_FEED, RFS_E_DATA, 2, 3, "malformed quoting");
    /* a partial BOM is broken UTF-8, found before the quote, located at its first byte */
    CHECK_ERR("\xEF\xBB" "a\"b\n", "", FAIL_FEED, RFS_E_DATA, 1, 1, "not UTF-8");
}

static void test_strict_text_after_quote(void **state)
{
    (void)state;
    /* line 2 is 1,"ab"c: the c after the closing quote is byte 7 */
    CHECK_ERR("id,val\n1,\"ab\"c\n", "0:id|1:val|#2@1-1\n0:1|", FAIL_FEED, RFS_E_DATA, 2, 7,
              "text after a closing quote");
    /* on the second line of a quoted field: the column is on that line */
    CHECK_ERR("id,val\n1,\"a\nbc\"d,e\n", "0:id|1:val|#2@1-1\n0:1|", FAIL_FEED, RFS_E_DATA, 3, 4,
              "malformed quoting");
}

static void test_strict_unterminated_quote(void **state)
{
    (void)state;
    /* the quote opens on line 2 and is never closed: the error comes at finish and
     * names the line where the record started */
    CHECK_ERR("id,val\n1,\"ab\ncd\n\nef\n", "0:id|1:val|#2@1-1\n0:1|", FAIL_FINISH, RFS_E_DATA, 2, 0,
              "unterminated quoted field");
    CHECK_ERR("\"", "", FAIL_FINISH, RFS_E_DATA, 1, 0, "line 1");
    CHECK_ERR("a\nb\n\n\"x", "0:a|#1@1-1\n0:b|#1@2-2\n", FAIL_FINISH, RFS_E_DATA, 4, 0,
              "the quote opened on line 4");
}

static void test_callback_stops(void **state)
{
    static const char data[] = "id,a\n1,2\n3,4\n5,6\n";
    outcome *o;

    (void)state;
    /* the record callback of the second record fails: nothing after it is seen */
    o = check_stops(data, sizeof data - 1, "0:id|1:a|#2@1-1\n0:1|1:2|#2@2-2\n", 2, 0);
    assert_int_equal(o->stage, FAIL_FEED);
    assert_int_equal(o->c.records, 2);
    assert_int_equal(o->err.code, RFS_E_USAGE); /* the callback's own error is kept */
    assert_string_equal(o->err.message, "record callback stopped");

    /* the field callback of the fourth field fails: not even its record ends */
    o = check_stops(data, sizeof data - 1, "0:id|1:a|#2@1-1\n0:1|1:2|", 0, 4);
    assert_int_equal(o->stage, FAIL_FEED);
    assert_int_equal(o->c.records, 1);
    assert_int_equal(o->c.fields_total, 4);
    assert_string_equal(o->err.message, "field callback stopped");

    /* a record delivered only by finish (no final newline) can stop it too */
    o = check_stops("a\nb", 3, "0:a|#1@1-1\n0:b|#1@2-2\n", 2, 0);
    assert_int_equal(o->stage, FAIL_FINISH);
    assert_int_equal(o->c.records, 2);
    assert_string_equal(o->err.message, "record callback stopped");
}

static void test_columns(void **state)
{
    static const char line[] = "a,bb,\"c,c\",d\n";
    static const char crlf[] = "x, y\r\n";
    collect c;
    rfs_error err;
    rfsi_csv *r;

    (void)state;
    memset(&c, 0, sizeof c);
    rfs_error_clear(&err);
    r = rfsi_csv_new("cols.csv", ',', RFSI_ENC_UTF8, on_field, on_record, &c);
    assert_non_null(r);
    c.r = r;
    /* outside a callback there is no line in hand */
    assert_int_equal(rfsi_csv_field_column(r, 0), 0);
    assert_int_equal(rfsi_csv_end_column(r), 0);

    assert_int_equal(rfsi_csv_feed(r, line, sizeof line - 1, &err), 0);
    assert_int_equal(c.records, 1);
    /* a,bb,"c,c",d : fields start at bytes 1, 3, 6 and 12; the content ends at 12 */
    assert_int_equal(c.colpos[0], 1);
    assert_int_equal(c.colpos[1], 3);
    assert_int_equal(c.colpos[2], 6);
    assert_int_equal(c.colpos[3], 12);
    assert_int_equal(c.colpos[4], 0); /* no such field */
    assert_int_equal(c.endcol, 13);

    assert_int_equal(rfsi_csv_feed(r, crlf, sizeof crlf - 1, &err), 0);
    assert_int_equal(c.records, 2);
    assert_int_equal(c.colpos[0], 1);
    assert_int_equal(c.colpos[1], 3);
    assert_int_equal(c.colpos[2], 0);
    assert_int_equal(c.endcol, 5); /* the CR is not content */

    /* a record that started on an earlier line: no field columns, but the end column of
     * the current line */
    assert_int_equal(rfsi_csv_feed(r, "\"p\nq\",rr\n", 9, &err), 0);
    assert_int_equal(c.records, 3);
    assert_int_equal(c.colpos[0], 0);
    assert_int_equal(c.colpos[1], 0);
    assert_int_equal(c.endcol, 6);

    /* a line fed in two pieces: the end column counts the earlier piece */
    assert_int_equal(rfsi_csv_feed(r, "abc,", 4, &err), 0);
    assert_int_equal(rfsi_csv_feed(r, "de\n", 3, &err), 0);
    assert_int_equal(c.records, 4);
    assert_int_equal(c.endcol, 7);

    assert_int_equal(rfsi_csv_finish(r, &err), 0);
    assert_int_equal(err.code, RFS_OK);
    assert_string_equal(c.text, "0:a|1:bb|2:c,c|3:d|#4@1-1\n"
                                "0:x|1:y|#2@2-2\n"
                                "0:p\\x0Aq|1:rr|#2@3-4\n"
                                "0:abc|1:de|#2@5-5\n");
    rfsi_csv_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_rows),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_partial_bom),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_quoted),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_whitespace_only_line),
        cmocka_unit_test(test_no_final_newline),
        cmocka_unit_test(test_delimiter),
        cmocka_unit_test(test_strict_quote_in_unquoted),
        cmocka_unit_test(test_strict_text_after_quote),
        cmocka_unit_test(test_strict_unterminated_quote),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target: CSV bytes through the streaming scorer, with a fixed instrument.
 *
 * The instrument is $RFS_FUZZ_INSTRUMENT, else the compiled-in RFS_FUZZ_INSTRUMENT_PATH
 * (run.sh passes instruments/rfq8.ini). The first input byte is the size of the chunks the
 * rest is cut into for rfs_scorer_feed() (0: one chunk); the second chooses options:
 *   1 keep the column "group"          2 run the id pre-pass (rfs_scorer_prescan) first
 *   4 set every validity threshold      8 duration column "dur" (too_fast)
 *  16 missing code refused = -99       32 no duplicate-id check
 *  64 ask for the run summary, text and JSON, and the study report in JSON
 * 128 output format jsonl (else CSV)
 * Output goes to a callback that hashes and counts it and keeps the last 64 KiB.
 *
 * Oracles besides the sanitizers:
 *  - the result does not depend on where the input is cut: the same bytes in one chunk
 *    give the same output, error code and error line (and column, when both know it);
 *  - on success, rows written == rows read, and the output has one line per row plus
 *    the header (newlines counted outside quotes);
 *  - a data or limit error names the input and a line;
 *  - every output is valid UTF-8 (CSV) and every JSON output parses: each jsonl line, the
 *    summary and the report (issue 12). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"
#include "rfscore.h"

#ifndef RFS_FUZZ_INSTRUMENT_PATH
#define RFS_FUZZ_INSTRUMENT_PATH "instruments/rfq8.ini"
#endif

static rfs_instrument *inst;

/* RFS_FUZZ_NO_COLUMN_CHECK=1 leaves out the comparison of error columns (lines and codes
 * are still compared), so that a long run gets past a known column bug and looks for
 * others (first used for regressions/fuzz_score/utf8-sequence-split-column). */
static int no_column_check;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path = getenv("RFS_FUZZ_INSTRUMENT");
    rfs_error err;

    (void)argc;
    (void)argv;
    if (!path || !*path)
        path = RFS_FUZZ_INSTRUMENT_PATH;
    no_column_check = getenv("RFS_FUZZ_NO_COLUMN_CHECK") && atoi(getenv("RFS_FUZZ_NO_COLUMN_CHECK"));
    rfs_error_clear(&err);
    inst = rfs_instrument_load(path, &err);
    if (!inst)
        fprintf(stderr, "fuzz_score: %s:%lu: %s\n", err.file, err.line, err.message);
    CHECK(inst);
    return 0;
}

typedef struct sink {
    uint64_t hash;
    size_t bytes;
    size_t lines;   /* '\n' outside quotes */
    int quoted;
    int jsonl;
    int invalid;    /* a delivered piece was not UTF-8, or a jsonl line not JSON */
} sink;

/* Each delivery holds whole rows (the scorer flushes at row ends): check them. */
static void check_piece(sink *k, const char *data, size_t len)
{
    const char *p = data, *end = data + len, *nl;

    if (!fuzz_utf8_valid(data, len))
        k->invalid = 1;
    if (!k->jsonl)
        return;
    for (; p < end; p = nl + 1) {
        if (!(nl = memchr(p, '\n', (size_t)(end - p))))
            nl = end;
        if (nl > p && !fuzz_json_valid(p, (size_t)(nl - p)))
            k->invalid = 1;
    }
}

static int take(const char *data, size_t len, void *ud)
{
    sink *k = ud;
    size_t i;

    for (i = 0; i < len; i++) {
        k->hash = (k->hash ^ (unsigned char)data[i]) * 1099511628211ULL;
        if (data[i] == '"' && !k->jsonl) /* JSON escapes its quotes and newlines */
            k->quoted = !k->quoted;
        else if (data[i] == '\n' && !k->quoted)
            k->lines++;
    }
    k->bytes += len;
    check_piece(k, data, len);
    return 0;
}

typedef struct outcome {
    int rc;
    rfs_error err;
    sink out;
    rfs_counts counts;
} outcome;

enum { OPT_KEEP = 1, OPT_PRESCAN = 2, OPT_THRESHOLDS = 4, OPT_DURATION = 8, OPT_MISSING = 16,
       OPT_NO_IDS = 32, OPT_SUMMARY = 64, OPT_JSONL = 128 };

/* Feeds data in chunks to fn; 0 or -1 as the scorer's calls. */
static int feed_all(rfs_scorer *s, int (*fn)(rfs_scorer *, const char *, size_t, rfs_error *),
                    const uint8_t *data, size_t size, size_t chunk, rfs_error *err)
{
    size_t off = 0;

    while (off < size) {
        size_t n = size - off < chunk ? size - off : chunk;
        if (fn(s, (const char *)data + off, n, err) < 0)
            return -1;
        off += n;
    }
    return 0;
}

static void run(const uint8_t *data, size_t size, size_t chunk, unsigned opts, outcome *o)
{
    static const char *const thresholds[] = {"longstring_max", "irv_min", "even_odd_min", "synonyms_min",
                                             "antonyms_max", "seconds_per_item"};
    static const double values[] = {3, 0.5, 0, 0, 0, 2};
    rfs_scorer *s;
    size_t i;

    memset(o, 0, sizeof *o);
    o->out.hash = 1469598103934665603ULL;
    rfs_error_clear(&o->err);
    s = rfs_scorer_new(&o->err);
    CHECK(s);
    CHECK(rfs_scorer_add_instrument(s, inst, &o->err) == 0);
    /* with the summary, a name that is not UTF-8: the JSON must escape it */
    CHECK(rfs_scorer_set_input_name(s, opts & OPT_SUMMARY ? "fuzz\xe9.csv" : "fuzz.csv", &o->err) == 0);
    CHECK(rfs_scorer_set_output(s, take, &o->out, &o->err) == 0);
    CHECK(!(opts & OPT_KEEP) || rfs_scorer_keep_column(s, "group", &o->err) == 0);
    for (i = 0; (opts & OPT_THRESHOLDS) && i < sizeof values / sizeof *values; i++)
        CHECK(rfs_scorer_set_threshold(s, thresholds[i], values[i], &o->err) == 0);
    CHECK(!(opts & OPT_DURATION) || rfs_scorer_set_duration_column(s, "dur", &o->err) == 0);
    CHECK(!(opts & OPT_MISSING) || rfs_scorer_add_missing_code(s, "refused", "-99", &o->err) == 0);
    CHECK(!(opts & OPT_NO_IDS) || rfs_scorer_set_duplicate_check(s, 0, &o->err) == 0);
    CHECK(!(opts & OPT_SUMMARY) || rfs_scorer_enable_report(s, 0, &o->err) == 0);
    o->out.jsonl = (opts & OPT_JSONL) != 0;
    CHECK(!(opts & OPT_JSONL) || rfs_scorer_set_format(s, "jsonl", &o->err) == 0);
    if (chunk == 0)
        chunk = size ? size : 1;
    o->rc = 0;
    if (opts & OPT_PRESCAN) {
        o->rc = feed_all(s, rfs_scorer_prescan, data, size, chunk, &o->err);
        if (o->rc == 0)
            o->rc = rfs_scorer_prescan_finish(s, &o->err);
    }
    if (o->rc == 0)
        o->rc = feed_all(s, rfs_scorer_feed, data, size, chunk, &o->err);
    if (o->rc == 0)
        o->rc = rfs_scorer_finish(s, &o->err);
    rfs_scorer_counts(s, &o->counts);
    if (opts & OPT_SUMMARY) {
        char *text = rfs_scorer_summary(s, 0), *json = rfs_scorer_summary(s, 1);
        CHECK(text && json && json[0] == '{' && json[strlen(json) - 1] != ',');
        CHECK(fuzz_json_valid(json, strlen(json))); /* the text keeps the name's own bytes */
        free(text);
        free(json);
        if (o->rc == 0) {
            json = rfs_scorer_report(s, "json");
            CHECK(json && fuzz_json_valid(json, strlen(json)));
            free(json);
        }
    }
    rfs_scorer_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    outcome a, b;
    size_t chunk;
    unsigned opts;

    if (size < 2)
        return 0;
    chunk = data[0];
    opts = data[1];
    data += 2;
    size -= 2;

    run(data, size, chunk, opts, &a);
    CHECK(!a.out.invalid);
    if (a.rc == 0) {
        CHECK(a.err.code == RFS_OK);
        CHECK(a.counts.rows_written == a.counts.rows_read);
        CHECK(!a.out.quoted && a.out.lines == a.counts.rows_written + !a.out.jsonl); /* + the CSV header */
    } else {
        CHECK(a.err.code != RFS_OK && a.err.message[0]);
        if (a.err.code == RFS_E_DATA || a.err.code == RFS_E_LIMIT)
            CHECK(a.err.file[0] && a.err.line != 0);
    }
    if (chunk != 0 && chunk < size) {
        run(data, size, 0, opts, &b);
        CHECK(a.rc == b.rc && a.err.code == b.err.code && a.err.line == b.err.line);
        if (a.rc == 0)
            CHECK(a.out.hash == b.out.hash && a.out.bytes == b.out.bytes);
        if (a.err.column && b.err.column && !no_column_check)
            CHECK(a.err.column == b.err.column);
    }
    return 0;
}

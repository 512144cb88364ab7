/* libFuzzer target: CSV bytes through the streaming scorer, with a fixed instrument.
 *
 * The instrument is $RFS_FUZZ_INSTRUMENT, else the compiled-in RFS_FUZZ_INSTRUMENT_PATH
 * (run.sh passes instruments/rfq8.ini). The first input byte chooses how the rest is
 * cut into chunks for rfs_scorer_feed(): low 7 bits are the chunk size (0: one chunk),
 * the high bit also keeps the column "group". Output goes to a callback that only
 * hashes and counts it.
 *
 * Oracles besides the sanitizers:
 *  - the result does not depend on where the input is cut: the same bytes in one chunk
 *    give the same output, error code and error line (and column, when both know it);
 *  - on success, rows written == rows read, and the output has one line per row plus
 *    the header (newlines counted outside quotes);
 *  - a data or limit error names the input and a line. */
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
/* RFS_FUZZ_SKIP_BARE_CR=1: skip the column comparison for inputs with a CR not followed by
 * LF (a known bug: a record ended by a bare CR gets the column of the end of the piece
 * of line in hand), so that a long run looks for other bugs. */
static int skip_bare_cr;

static int has_bare_cr(const uint8_t *data, size_t size)
{
    size_t i;

    for (i = 0; i < size; i++)
        if (data[i] == '\r' && (i + 1 == size || data[i + 1] != '\n'))
            return 1;
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path = getenv("RFS_FUZZ_INSTRUMENT");
    rfs_error err;

    (void)argc;
    (void)argv;
    if (!path || !*path)
        path = RFS_FUZZ_INSTRUMENT_PATH;
    skip_bare_cr = getenv("RFS_FUZZ_SKIP_BARE_CR") && atoi(getenv("RFS_FUZZ_SKIP_BARE_CR"));
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
} sink;

static int take(const char *data, size_t len, void *ud)
{
    sink *k = ud;
    size_t i;

    for (i = 0; i < len; i++) {
        k->hash = (k->hash ^ (unsigned char)data[i]) * 1099511628211ULL;
        if (data[i] == '"')
            k->quoted = !k->quoted;
        else if (data[i] == '\n' && !k->quoted)
            k->lines++;
    }
    k->bytes += len;
    return 0;
}

typedef struct outcome {
    int rc;
    rfs_error err;
    sink out;
    rfs_counts counts;
} outcome;

static void run(const uint8_t *data, size_t size, size_t chunk, int keep, outcome *o)
{
    rfs_scorer *s;
    size_t off = 0;

    memset(o, 0, sizeof *o);
    o->out.hash = 1469598103934665603ULL;
    rfs_error_clear(&o->err);
    s = rfs_scorer_new(&o->err);
    CHECK(s);
    CHECK(rfs_scorer_add_instrument(s, inst, &o->err) == 0);
    CHECK(rfs_scorer_set_input_name(s, "fuzz.csv", &o->err) == 0);
    CHECK(rfs_scorer_set_output(s, take, &o->out, &o->err) == 0);
    CHECK(!keep || rfs_scorer_keep_column(s, "group", &o->err) == 0);
    if (chunk == 0)
        chunk = size ? size : 1;
    while (off < size && o->rc == 0) {
        size_t n = size - off < chunk ? size - off : chunk;
        o->rc = rfs_scorer_feed(s, (const char *)data + off, n, &o->err);
        off += n;
    }
    if (o->rc == 0)
        o->rc = rfs_scorer_finish(s, &o->err);
    rfs_scorer_counts(s, &o->counts);
    rfs_scorer_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    outcome a, b;
    size_t chunk;
    int keep;

    if (size < 1)
        return 0;
    chunk = data[0] & 0x7f;
    keep = data[0] >> 7;
    data++;
    size--;

    run(data, size, chunk, keep, &a);
    if (a.rc == 0) {
        CHECK(a.err.code == RFS_OK);
        CHECK(a.counts.rows_written == a.counts.rows_read);
        CHECK(!a.out.quoted && a.out.lines == a.counts.rows_written + 1);
    } else {
        CHECK(a.err.code != RFS_OK && a.err.message[0]);
        if (a.err.code == RFS_E_DATA || a.err.code == RFS_E_LIMIT)
            CHECK(a.err.file[0] && a.err.line != 0);
    }
    if (chunk != 0 && chunk < size) {
        run(data, size, 0, keep, &b);
        CHECK(a.rc == b.rc && a.err.code == b.err.code && a.err.line == b.err.line);
        if (a.rc == 0)
            CHECK(a.out.hash == b.out.hash && a.out.bytes == b.out.bytes);
        if (a.err.column && b.err.column && !(skip_bare_cr && has_bare_cr(data, size)))
            CHECK(a.err.column == b.err.column);
    }
    return 0;
}

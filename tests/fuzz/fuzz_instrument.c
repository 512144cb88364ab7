/* libFuzzer target: an instrument definition (INI text) through the whole loader.
 *
 * The input is written to a temporary .ini file (iniparser 4.1 reads only paths), then
 * loaded, checked (lint), described and self-tested. When it loads, a header and a few
 * rows built from its own item columns are scored too, so odd but valid definitions
 * (derived chains, recodes, missing codes) reach the scoring core.
 *
 * Oracles besides the sanitizers: load and check agree (a definition that loads has no
 * problems, one that fails has at least one), every problem names the file and says
 * something, the accessors answer for every index they advertise, and a loaded
 * instrument scores well-formed rows of its own columns without error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_check.h"
#include "rfscore.h"

static char ini_path[4096];

static void cleanup(void)
{
    if (ini_path[0])
        unlink(ini_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *dir = getenv("TMPDIR");
    int fd;

    (void)argc;
    (void)argv;
    snprintf(ini_path, sizeof ini_path, "%s/rfs-fuzz-XXXXXX.ini", dir && *dir ? dir : "/tmp");
    fd = mkstemps(ini_path, 4);
    CHECK(fd >= 0);
    close(fd);
    atexit(cleanup);
    return 0;
}

static void on_problem(const rfs_error *err, void *ud)
{
    CHECK(err->code != RFS_OK && err->file[0] && err->message[0]);
    ++*(size_t *)ud;
}

static int discard(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

/* Scores a header of the instrument's own item columns and four rows. */
static void score_some(const rfs_instrument *inst)
{
    static const char *const cells[] = {"1", "", "NA", "-99", "3.0", "x", "+2", "0", "7"};
    size_t n = rfs_instrument_item_count(inst), i, row, cap = 64, len;
    rfs_error err;
    rfs_scorer *s;
    rfs_counts counts;
    char *line = NULL;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    CHECK(s);
    CHECK(rfs_scorer_add_instrument(s, inst, &err) == 0);
    CHECK(rfs_scorer_set_output(s, discard, NULL, &err) == 0);
    for (i = 1; i <= n; i++)
        cap += strlen(rfs_instrument_item_column(inst, i)) * 2 + 4;
    cap += n * 8;
    line = malloc(cap);
    CHECK(line);
    /* Header: id, then each item column quoted (a column name may hold a comma). */
    len = (size_t)snprintf(line, cap, "id");
    for (i = 1; i <= n; i++) {
        const char *c = rfs_instrument_item_column(inst, i);
        line[len++] = ',';
        line[len++] = '"';
        for (; *c; c++) {
            if (*c == '"')
                line[len++] = '"';
            line[len++] = *c;
        }
        line[len++] = '"';
    }
    line[len++] = '\n';
    if (rfs_scorer_feed(s, line, len, &err) < 0) {
        /* A column named like the id column, or one the header cannot carry, is a data
         * or usage problem of this made-up file; anything else is a bug. */
        CHECK(err.code == RFS_E_DATA || err.code == RFS_E_USAGE);
        goto out;
    }
    for (row = 0; row < 4; row++) {
        len = (size_t)snprintf(line, cap, "p%zu", row);
        for (i = 0; i < n; i++)
            len += (size_t)snprintf(line + len, cap - len, ",%s",
                                    cells[(i * 7 + row * 3) % (sizeof cells / sizeof *cells)]);
        line[len++] = '\n';
        CHECK(rfs_scorer_feed(s, line, len, &err) == 0);
    }
    CHECK(rfs_scorer_finish(s, &err) == 0);
    rfs_scorer_counts(s, &counts);
    CHECK(counts.rows_read == 4 && counts.rows_written == 4);
out:
    free(line);
    rfs_scorer_free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fopen(ini_path, "wb");
    rfs_instrument *inst;
    rfs_error err;
    size_t n_problems, reported = 0, i, k, runs = 0;
    char *text;

    CHECK(f);
    CHECK(size == 0 || fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);

    rfs_error_clear(&err);
    inst = rfs_instrument_load(ini_path, &err);
    n_problems = rfs_instrument_check(ini_path, on_problem, &reported);
    CHECK(n_problems == reported);
    if (!inst) {
        CHECK(err.code != RFS_OK && err.file[0] && err.message[0]);
        CHECK(n_problems > 0);
        return 0;
    }
    CHECK(err.code == RFS_OK && n_problems == 0);

    text = rfs_instrument_describe(inst);
    CHECK(!text || text[0]);
    free(text);
    rfs_instrument_selftest(inst, &runs, NULL, NULL);
    for (i = 1; i <= rfs_instrument_item_count(inst); i++)
        CHECK(rfs_instrument_item_column(inst, i) != NULL);
    CHECK(rfs_instrument_item_column(inst, 0) == NULL && rfs_instrument_item_column(inst, i) == NULL);
    for (k = 0; k < rfs_instrument_score_count(inst); k++)
        CHECK(rfs_instrument_score_id(inst, k) != NULL);
    score_some(inst);
    rfs_instrument_free(inst);
    return 0;
}

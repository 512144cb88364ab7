/* Two threads (scorer/parallel.c) against one: for every input and configuration below,
 * rfs_scorer_run_file() on a regular file (tmpfile()) with threads = 2 and parts of 1, 17,
 * 64, 300 and 4096 bytes must give exactly what threads = 1 gives: the output bytes, the
 * invalid answers passed to the warning function (code, file, line, column, message, in
 * order), the counts, the run warnings, the text and JSON summaries, and the item-total
 * guard's rows and r.drop of every item, bit for bit. Every expected value is the
 * one-thread run's. On an error the return code, the error and the invalid answers before
 * it are compared, not the output: how much of it reached the write function before the
 * error depends on which parts were taken whole (a taken part's rows go out at once).
 *
 * The private counters parts_taken and parts_reread say which path ran: each case names
 * the part sizes at which some part must be taken from a worker, and those at which some
 * part must be scored again because a worker could not have done it as one thread would
 * (a part starting inside quotes, more distinct invalid texts in a column than the tally
 * keeps, too many invalid answers, the part in which the item-total guard fills up, an
 * error). Threads start only for data of 8 parts or more: every input has over 32 KiB.
 *
 * A cell on a line cut between two reads has column 0 (unknown) in messages, so every
 * reader cuts where one thread's 64 KiB reads cut (column_at_read_boundary). */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "report/itemtotal.h"
#include "scorer/scorer.h"

static const unsigned long long part_sizes[] = {1, 17, 64, 300, 4096};
#define N_SIZES (sizeof part_sizes / sizeof *part_sizes)
#define SIZE(i) (1u << (i)) /* part_sizes[i], in the masks below */
#define ALL_SIZES ((1u << N_SIZES) - 1)

static unsigned long long rng;

static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

static void put(rfsi_buf *b, const char *fmt, ...) RFS_PRINTF(2, 3);

static void put(rfsi_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = rfsi_buf_vprintf(b, fmt, ap);
    va_end(ap);
    assert_int_equal(rc, 0);
}

/* ------------------------------------------------------------- one run */

typedef struct options {
    const char *format;        /* NULL: csv */
    int long_format;
    int no_id_check;           /* no duplicate check, so no pre-pass: errors come from the parts */
    int warn;                  /* a warning function, so invalid answers are reported */
    const char *filters[2];
    const char *keep[2];
    const char *duration;
    const char *missing[2][2]; /* type, code */
    size_t fail_after;         /* the write function fails past this many bytes; 0: never */
} options;

typedef struct run {
    int rc;
    rfs_error err;
    size_t fail_after;
    rfsi_buf out;
    rfs_error *problems;
    size_t n_problems, cap_problems;
    rfs_counts counts;
    rfsi_buf warnings;         /* code, instrument and message of each, a line each */
    char *summary, *summary_json;
    rfsi_buf guard;            /* per instrument and scale: rows, then each item's r.drop, as bytes */
    unsigned long long taken, reread;
} run;

static int on_output(const char *data, size_t len, void *ud)
{
    run *r = ud;

    if (r->fail_after && r->out.len + len > r->fail_after)
        return -1;
    return rfsi_buf_append(&r->out, data, len);
}

static void on_problem(const rfs_error *e, void *ud)
{
    run *r = ud;

    if (r->n_problems == r->cap_problems) {
        r->cap_problems = r->cap_problems ? 2 * r->cap_problems : 64;
        r->problems = realloc(r->problems, r->cap_problems * sizeof *r->problems);
        assert_non_null(r->problems);
    }
    r->problems[r->n_problems++] = *e;
}

static void run_free(run *r)
{
    rfsi_buf_free(&r->out);
    free(r->problems);
    rfsi_buf_free(&r->warnings);
    free(r->summary);
    free(r->summary_json);
    rfsi_buf_free(&r->guard);
    memset(r, 0, sizeof *r);
}

#define OK(call) assert_int_equal((call), 0)

static rfs_scorer *configured(const rfs_instrument *const *insts, const options *o, unsigned threads,
                              unsigned long long part_bytes, run *r)
{
    rfs_scorer *s;
    rfs_error e;
    size_t i;

    memset(r, 0, sizeof *r);
    r->fail_after = o->fail_after;
    rfs_error_clear(&e);
    rfs_error_clear(&r->err);
    assert_non_null(s = rfs_scorer_new(&e));
    for (i = 0; insts[i]; i++)
        OK(rfs_scorer_add_instrument(s, insts[i], &e));
    OK(rfs_scorer_set_input_name(s, "data.csv", &e));
    OK(rfs_scorer_set_output(s, on_output, r, &e));
    if (o->format)
        OK(rfs_scorer_set_format(s, o->format, &e));
    if (o->long_format)
        OK(rfs_scorer_set_long(s, 1, &e));
    if (o->no_id_check)
        OK(rfs_scorer_set_duplicate_check(s, 0, &e));
    if (o->warn)
        OK(rfs_scorer_set_warning_fn(s, on_problem, r, &e));
    for (i = 0; i < 2 && o->filters[i]; i++)
        OK(rfs_scorer_add_filter(s, o->filters[i], &e));
    for (i = 0; i < 2 && o->keep[i]; i++)
        OK(rfs_scorer_keep_column(s, o->keep[i], &e));
    if (o->duration)
        OK(rfs_scorer_set_duration_column(s, o->duration, &e));
    for (i = 0; i < 2 && o->missing[i][0]; i++)
        OK(rfs_scorer_add_missing_code(s, o->missing[i][0], o->missing[i][1], &e));
    OK(rfs_scorer_set_threads(s, threads, part_bytes, &e));
    return s;
}

/* What a run left: counts, warnings, summaries, the guard and the parts' counters. */
static void collect(rfs_scorer *s, run *r)
{
    size_t i, k, j;

    rfs_scorer_counts(s, &r->counts);
    for (i = 0; i < rfs_scorer_warning_count(s); i++) {
        const char *code, *inst, *msg = rfs_scorer_warning(s, i, &code, &inst);
        put(&r->warnings, "%s [%s] %s\n", code, inst, msg);
    }
    assert_non_null(r->summary = rfs_scorer_summary(s, 0));
    assert_non_null(r->summary_json = rfs_scorer_summary(s, 1));
    for (i = 0; i < s->n_insts && s->insts[i].itemtotal; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        for (k = 0; k < inst->n_scales; k++) {
            unsigned long long n = rfsi_itemtotal_rows(s->insts[i].itemtotal, k);
            OK(rfsi_buf_append(&r->guard, (const char *)&n, sizeof n));
            for (j = 0; j < inst->scales[k].n_items; j++) {
                double d = rfsi_itemtotal_r_drop(s->insts[i].itemtotal, k, j);
                OK(rfsi_buf_append(&r->guard, (const char *)&d, sizeof d));
            }
        }
    }
    r->taken = s->parts_taken;
    r->reread = s->parts_reread;
}

static void score(const rfs_instrument *const *insts, const options *o, FILE *in, unsigned threads,
                  unsigned long long part_bytes, run *r)
{
    rfs_scorer *s = configured(insts, o, threads, part_bytes, r);

    rewind(in);
    r->rc = rfs_scorer_run_file(s, in, &r->err);
    collect(s, r);
    rfs_scorer_free(s);
}

/* ------------------------------------------------------------ comparing */

static void same_bytes(const char *what, const char *label, const rfsi_buf *a, const rfsi_buf *b)
{
    size_t i, n = a->len < b->len ? a->len : b->len;

    for (i = 0; i < n && a->data[i] == b->data[i]; i++)
        ;
    if (i < n || a->len != b->len) {
        size_t from = i > 40 ? i - 40 : 0;
        fail_msg("%s: %s differ at byte %zu (one thread %zu bytes, two %zu):\n  one: %.80s\n  two: %.80s", label,
                 what, i, a->len, b->len, a->len > from ? a->data + from : "", b->len > from ? b->data + from : "");
    }
}

static void same_error(const char *what, const char *label, const rfs_error *a, const rfs_error *b)
{
    if (a->code != b->code || strcmp(a->file, b->file) != 0 || a->line != b->line || a->column != b->column ||
        strcmp(a->message, b->message) != 0)
        fail_msg("%s: %s:\n  one: %d %s:%lu:%lu: %s\n  two: %d %s:%lu:%lu: %s", label, what, a->code, a->file,
                 a->line, a->column, a->message, b->code, b->file, b->line, b->column, b->message);
}

static void same_run(const char *label, const run *a, const run *b)
{
    size_t i;
    char what[64];

    if (a->rc != b->rc)
        fail_msg("%s: one thread returned %d, two %d: %s", label, a->rc, b->rc, b->rc ? b->err.message : "");
    /* in order, and on an error too: the part with the error is scored by the scorer */
    for (i = 0; i < a->n_problems && i < b->n_problems; i++) {
        snprintf(what, sizeof what, "invalid answer %zu of %zu", i + 1, a->n_problems);
        same_error(what, label, &a->problems[i], &b->problems[i]);
    }
    if (a->n_problems != b->n_problems)
        fail_msg("%s: %zu invalid answers with one thread, %zu with two", label, a->n_problems, b->n_problems);
    if (a->rc != 0) {
        same_error("the error", label, &a->err, &b->err);
        return;
    }
    same_bytes("the output", label, &a->out, &b->out);
    if (memcmp(&a->counts, &b->counts, sizeof a->counts) != 0)
        fail_msg("%s: counts (read, written, flagged, excluded): one thread %llu %llu %llu %llu, two %llu %llu %llu %llu",
                 label, a->counts.rows_read, a->counts.rows_written, a->counts.rows_flagged, a->counts.rows_excluded,
                 b->counts.rows_read, b->counts.rows_written, b->counts.rows_flagged, b->counts.rows_excluded);
    same_bytes("the warnings", label, &a->warnings, &b->warnings);
    if (strcmp(a->summary, b->summary) != 0)
        fail_msg("%s: text summary:\n--- one\n%s--- two\n%s", label, a->summary, b->summary);
    if (strcmp(a->summary_json, b->summary_json) != 0)
        fail_msg("%s: JSON summary:\n--- one\n%s--- two\n%s", label, a->summary_json, b->summary_json);
    same_bytes("the item-total guard", label, &a->guard, &b->guard);
}

/* What a case expects beyond equality, as masks of SIZE(i): the part sizes it runs (0:
 * all), those at which some part is taken and those at which some part is scored again;
 * whether the run fails; and text the one-thread run must show (in its output, summary or
 * warnings), so the case is what it says. */
typedef struct expect {
    unsigned sizes, taken, reread;
    int fails;
    const char *shows[3];
} expect;

/* data as a regular file: one thread once, then two at each part size. The one-thread
 * run goes to *keep when keep is not NULL (caller frees with run_free()). */
static void check(const char *name, const rfs_instrument *const *insts, const options *o, const rfsi_buf *data,
                  const expect *x, run *keep)
{
    FILE *in = tmpfile();
    run base, r;
    size_t i;
    char label[128];

    assert_non_null(in);
    assert_int_equal(fwrite(data->data, 1, data->len, in), data->len);
    assert_int_equal(fflush(in), 0);
    assert_true(data->len > RFSI_MIN_PARTS * 4096 + 1024); /* threads start at every size */
    score(insts, o, in, 1, 0, &base);
    if ((base.rc != 0) != x->fails)
        fail_msg("%s: one thread %s: %s:%lu:%lu: %s", name, base.rc ? "failed" : "succeeded", base.err.file,
                 base.err.line, base.err.column, base.err.message);
    assert_true(base.taken == 0 && base.reread == 0);
    for (i = 0; i < 3 && x->shows[i]; i++)
        if (!(base.out.data && strstr(base.out.data, x->shows[i])) && !strstr(base.summary, x->shows[i]) &&
            !(base.warnings.data && strstr(base.warnings.data, x->shows[i])))
            fail_msg("%s: the one-thread run does not show \"%s\"", name, x->shows[i]);
    for (i = 0; i < N_SIZES; i++) {
        if (x->sizes && !(x->sizes & SIZE(i)))
            continue;
        snprintf(label, sizeof label, "%s, parts of %llu bytes", name, part_sizes[i]);
        score(insts, o, in, 2, part_sizes[i], &r);
        same_run(label, &base, &r);
        if ((x->taken & SIZE(i)) && r.taken == 0)
            fail_msg("%s: no part was taken from a worker (%llu scored again)", label, r.reread);
        if ((x->reread & SIZE(i)) && r.reread == 0)
            fail_msg("%s: no part was scored again (%llu taken)", label, r.taken);
        run_free(&r);
    }
    if (keep)
        *keep = base;
    else
        run_free(&base);
    fclose(in);
}

/* ------------------------------------------------------------ the inputs */

typedef struct fixture {
    rfs_instrument *rfq8, *prfq, *ecrr, *mood, *trio;
} fixture;

/* A REDCap form of four items, for <form>_complete (no shipped definition names one). */
static const char mood_ini[] =
    "[instrument]\nid = mood\nname = Mood\nversion = 1\ncitation = test\ndoi = 10.0/test\nitems = 4\nmin = 1\n"
    "max = 5\nmin_answered = 3\nredcap_form = mood\n"
    "[scale.m]\nname = M\nitems = 1-4\nreverse = 4\nscore = mean\n";

/* Three items, two scales: short rows pass the item-total guard's 100,000 rows in a small
 * file, and the scales fill at different rows (item 3 is sometimes empty). */
static const char trio_ini[] =
    "[instrument]\nid = trio\nname = Trio\nversion = 1\ncitation = test\ndoi = 10.0/test\nitems = 3\nmin = 1\n"
    "max = 5\nmin_answered = 2\n"
    "[scale.t]\nname = T\nitems = 1-3\nscore = mean\n"
    "[scale.p]\nname = P\nitems = 1,2\nscore = mean\n";

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    f->rfq8 = test_load_shipped("rfq8");
    f->prfq = test_load_shipped("prfq");
    f->ecrr = test_load_shipped("ecrr");
    f->mood = test_load_text(mood_ini);
    f->trio = test_load_text(trio_ini);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    rfs_instrument_free(f->rfq8);
    rfs_instrument_free(f->prfq);
    rfs_instrument_free(f->ecrr);
    rfs_instrument_free(f->mood);
    rfs_instrument_free(f->trio);
    free(f);
    return 0;
}

static void header(rfsi_buf *b, const char *first, const char *id, size_t items)
{
    size_t k;

    put(b, "%s", first);
    for (k = 1; k <= items; k++)
        put(b, ",%s_%zu", id, k);
}

/* items answers lo..hi, each empty with chance empty_in_100 */
static void answers(rfsi_buf *b, size_t items, unsigned empty_in_100, unsigned lo, unsigned hi)
{
    size_t k;

    for (k = 0; k < items; k++)
        if (next(100) < empty_in_100)
            put(b, ",");
        else
            put(b, ",%u", lo + next(hi - lo + 1));
}

static void likert(rfsi_buf *b, size_t items, unsigned empty_in_100)
{
    answers(b, items, empty_in_100, 1, 7);
}

/* 1: clean rows, default options: the id pre-pass runs (the file can be read twice), and
 * every 37th row repeats an earlier id: duplicate_id comes from the counts the workers
 * share. The ECR-R answers stay within 2..6 (range_unused: the parts' ranges merge). */
static void clean_rows(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, f->ecrr, NULL};
    const expect x = {0, ALL_SIZES, 0, 0, {"duplicate_id", "range_unused"}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i;

    rng = 1;
    header(&b, "id", "rfq8", 8);
    header(&b, "", "ecrr", 36);
    put(&b, "\n");
    for (i = 0; i < 2000; i++) {
        put(&b, "p%u", i % 37 == 36 ? next(i) : i);
        likert(&b, 8, 2);
        answers(&b, 36, 1, 2, 6);
        put(&b, "\n");
    }
    check("clean rows", insts, &o, &b, &x, NULL);
    rfsi_buf_free(&b);
}

/* 2: invalid answers, reported with their lines in the file. prfq_1 is mostly one of five
 * texts in turn: equal counts, so the warning's "commonest" follow the order the texts
 * were first seen, which merging the parts' tallies must keep. prfq_2 holds five others
 * in the first half, then twenty new ones and the five again, in turn: past the tally's
 * eight texts, so a part meeting more than eight is scored again (one thread counts the
 * five it already holds, which such a part's worker had no slot for).
 * A block of rows with every cell invalid gives a part of 4096 bytes more invalid answers
 * than a worker keeps. The rest: NA, empty cells, numbers out of range, answers. */
static void invalid_answers(void **state)
{
    static const char *const five[] = {"yes", "no", "n/a", "skip", "?"};
    static const char *const other[] = {"never", "rarely", "often", "always", "-"};
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->prfq, NULL};
    const expect x = {0, ALL_SIZES, SIZE(4), 0, {"column_mostly_invalid", "\"prfq_1\"", "\"prfq_2\""}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i, n5 = 0, n20 = 0;
    size_t k;

    o.warn = 1;
    rng = 2;
    header(&b, "id", "prfq", 18);
    put(&b, "\n");
    for (i = 0; i < 1300; i++) {
        put(&b, "r%u", i);
        if (i >= 300 && i < 400) { /* 1800 invalid answers in 4 KiB */
            for (k = 0; k < 18; k++)
                put(&b, ",x");
            put(&b, "\n");
            continue;
        }
        if (i % 10 < 7)
            put(&b, ",%s", five[n5++ % 5]);
        else
            put(&b, ",%u", 1 + next(7));
        if (i % 4 == 3)
            put(&b, ",%u", 1 + next(7));
        else if (i < 650)
            put(&b, ",%s", other[(i / 4) % 5]);
        else if (n20 % 25 < 20) /* spaces: trimmed before tallying */
            put(&b, ", t%02u ", n20++ % 25 * 7 % 20);
        else /* after more than eight others: a worker cannot count these */
            put(&b, ",%s", other[n20++ % 25 - 20]);
        for (k = 2; k < 18; k++) {
            unsigned c = next(100);
            if (c < 3)
                put(&b, ",NA");
            else if (c < 6)
                put(&b, ",");
            else if (c < 8)
                put(&b, ",%d", c == 6 ? 0 : 12);
            else
                put(&b, ",%u", 1 + next(7));
        }
        put(&b, "\n");
    }
    assert_int_equal(n5 % 5, 0);
    assert_true(b.len < 65536);
    check("invalid answers", insts, &o, &b, &x, NULL);
    rfsi_buf_free(&b);
}

/* 3: a kept column of quoted text with newlines, commas and doubled quotes: a part cut at
 * a line end inside the quotes is scored again, by the scorer, from where it stands. One
 * note holds a line that is a whole row when read alone, as a worker whose part of one
 * line starts there reads it, without an error. */
static void quoted_newlines(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    const expect x = {0, ALL_SIZES, ALL_SIZES, 0, {"\"two\nlines"}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i;

    o.keep[0] = "note";
    o.warn = 1;
    rng = 3;
    header(&b, "id,note", "rfq8", 8);
    put(&b, "\n");
    for (i = 0; i < 1000; i++) {
        switch (i % 3) {
        case 0: put(&b, "q%u,plain", i); break;
        case 1: put(&b, "q%u,\"two\nlines, \"\"quoted\"\"\"", i); break;
        default: put(&b, "q%u,\"three\nz%u,n,1,2,3,4,5,6,7,1\nx\"", i, i); break; /* a row, read alone */
        }
        likert(&b, 7, 3);
        put(&b, i % 50 == 7 ? ",x\n" : ",1\n"); /* an invalid answer after a note's lines */
    }
    assert_true(b.len < 65536);
    check("quoted newlines", insts, &o, &b, &x, NULL);
    rfsi_buf_free(&b);
}

/* 4: CRLF line ends; the last line without one (the last part ends at the input's end:
 * the worker finishes the input, or the scorer reads the rest when no line end follows). */
static void line_ends(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    const expect x = {0, ALL_SIZES, 0, 0, {"column_mostly_invalid"}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i, crlf;

    o.warn = 1;
    for (crlf = 0; crlf < 2; crlf++) {
        rng = 4;
        b.len = 0;
        header(&b, "id", "rfq8", 8);
        for (i = 0; i < 1900; i++) {
            put(&b, "%sc%u", crlf ? "\r\n" : "\n", i);
            likert(&b, 7, 3);
            /* rfq8_8 mostly out of range (each reported with its line), else mostly empty:
             * column_mostly_invalid counts the answers of rows of plain cells at the end */
            put(&b, i % 5 < 2 ? ",9" : i % 5 < 4 ? "," : ",1");
        }
        assert_true(b.len < 65536);
        check(crlf ? "CRLF, no last line end" : "LF, no last line end", insts, &o, &b, &x, NULL);
    }
    rfsi_buf_free(&b);
}

/* 5: a row with too few fields, early and late. With the duplicate check the pre-pass
 * meets it first (in its own parts); without, a scoring part does: either way the scorer
 * must score that part itself and stop with the error one thread gives. */
static void data_errors(void **state)
{
    static const unsigned rows_at[] = {3, 1850};
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    rfsi_buf b = {0};
    unsigned at, i, check_ids;

    for (at = 0; at < 2; at++)
        for (check_ids = 0; check_ids < 2; check_ids++) {
            expect x = {0, 0, 0, 1, {NULL}};
            options o = {0};
            char name[64];
            o.warn = 1;
            o.no_id_check = !check_ids;
            if (!check_ids) { /* the parts before the error's are taken */
                x.reread = ALL_SIZES;
                x.taken = at ? ALL_SIZES : 0;
            }
            rng = 5;
            b.len = 0;
            header(&b, "id", "rfq8", 8);
            put(&b, "\n");
            for (i = 0; i < 1900; i++) {
                put(&b, "e%u", i);
                likert(&b, i == rows_at[at] ? 5 : 7, 3);
                put(&b, i % 30 == 1 ? ",x\n" : ",1\n");
            }
            assert_true(b.len < 65536);
            snprintf(name, sizeof name, "too few fields on row %u%s", rows_at[at], check_ids ? "" : ", no id check");
            check(name, insts, &o, &b, &x, NULL);
        }
    rfsi_buf_free(&b);
}

/* 5b: the write function fails part way: the same error, whichever part it meets. */
static void write_error(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    const expect x = {0, ALL_SIZES, 0, 1, {NULL}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i;

    o.fail_after = 20000;
    rng = 55;
    header(&b, "id", "rfq8", 8);
    put(&b, "\n");
    for (i = 0; i < 1900; i++) {
        put(&b, "w%u", i);
        likert(&b, 8, 3);
        put(&b, "\n");
    }
    check("write error", insts, &o, &b, &x, NULL);
    rfsi_buf_free(&b);
}

/* 6: filters, kept and duration columns (too_fast, at 2 s an item), missing codes and
 * invalid answers, in each output format. */
static void options_and_formats(void **state)
{
    static const struct {
        const char *format;
        int long_format;
    } outs[] = {{NULL, 0}, {"tsv", 0}, {"jsonl", 0}, {NULL, 1}, {"jsonl", 1}};
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, f->prfq, NULL};
    const expect x = {0, ALL_SIZES, 0, 0, {"too_fast", "rows excluded", "refused"}};
    rfsi_buf b = {0};
    unsigned i;
    size_t v;

    rng = 6;
    header(&b, "id,group,consent,seconds", "rfq8", 8);
    header(&b, "", "prfq", 18);
    put(&b, "\n");
    for (i = 0; i < 600; i++) {
        unsigned c = next(20);
        put(&b, "o%u,%s,%s,%u", i % 400, i % 3 ? "a" : "b", c == 0 ? "no" : c == 1 ? "" : "yes", 5 + next(60));
        likert(&b, 8, 2);
        likert(&b, 17, 2);
        put(&b, ",%s\n", c == 2 ? "-99" : c == 3 ? "DK" : c == 4 ? "huh" : "4");
    }
    assert_true(b.len < 65536);
    for (v = 0; v < sizeof outs / sizeof *outs; v++) {
        options o = {0};
        char name[64];
        o.format = outs[v].format;
        o.long_format = outs[v].long_format;
        o.warn = 1;
        o.filters[0] = "group=a";
        o.filters[1] = "consent!=no";
        o.keep[0] = "group";
        o.duration = "seconds";
        o.missing[0][0] = "refused";
        o.missing[0][1] = "-99";
        o.missing[1][0] = "dont_know";
        o.missing[1][1] = "DK";
        snprintf(name, sizeof name, "options, %s%s", o.format ? o.format : "csv", o.long_format ? " long" : "");
        check(name, insts, &o, &b, &x, NULL);
    }
    rfsi_buf_free(&b);
}

/* 7: a REDCap export: record ids repeat across events (the event is part of the key),
 * with a few real duplicates; forms not administered at an event (all empty, or an empty
 * <form>_complete); REDCap's missing codes. As CSV and as a REDCap import. */
static void redcap_export(void **state)
{
    static const char *const events[] = {"baseline_arm_1", "week_4_arm_1", "week_8_arm_1"};
    static const char *const formats[] = {NULL, "redcap"};
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, f->mood, NULL};
    const expect x = {0, ALL_SIZES, 0, 0, {"not administered", "duplicate_id"}};
    rfsi_buf b = {0};
    unsigned i;
    size_t k, v;

    rng = 7;
    header(&b, "record_id,redcap_event_name", "rfq8", 8);
    header(&b, "", "mood", 4);
    put(&b, ",mood_complete\n");
    for (i = 0; i < 1200; i++) {
        unsigned ev = i % 3, given = next(10);
        put(&b, "%u,%s", i / 3 + (i % 97 == 0), events[ev]);
        if (ev == 1 && given < 6) { /* rfq8 is mostly not given at week 4 */
            put(&b, ",,,,,,,,");
        } else {
            for (k = 0; k < 8; k++) {
                unsigned c = next(80);
                if (c < 2)
                    put(&b, ",%s", c ? "UNK" : "NASK");
                else
                    put(&b, ",%u", 1 + next(7));
            }
        }
        if (given == 0) /* values, but no saved form */
            put(&b, ",3,3,3,3,\n");
        else if (ev == 2 && given < 4)
            put(&b, ",,,,,\n");
        else {
            likert(&b, 4, 5);
            put(&b, ",%u\n", next(3));
        }
    }
    assert_true(b.len < 65536);
    for (v = 0; v < 2; v++) {
        options o = {0};
        o.format = formats[v];
        o.warn = 1;
        check(v ? "REDCap export, REDCap import" : "REDCap export", insts, &o, &b, &x, NULL);
    }
    rfsi_buf_free(&b);
}

/* 8: the item-total guard takes the first 100,000 valid complete rows of each scale. Over
 * those item 3 runs against items 1 and 2 (item_total_negative), after them with them, so
 * a guard that took rows past its limit gives another r.drop. The part in which a scale's
 * guard fills up is scored again; the parts after it are taken (their scorers stop
 * counting). Parts of 300 and 4096 bytes only: at 1, 17 or 64 bytes the 130,000 rows are
 * as many hand-overs (seconds), and a part of one or two rows rarely straddles the limit. */
static void itemtotal_guard(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->trio, NULL};
    const expect x = {SIZE(3) | SIZE(4), SIZE(3) | SIZE(4), SIZE(3) | SIZE(4), 0, {"item_total_negative"}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i, complete = 0;
    run base;
    unsigned long long rows;

    o.no_id_check = 1; /* the pre-pass would only add time */
    rng = 8;
    put(&b, "id,trio_1,trio_2,trio_3\n");
    for (i = 0; complete < RFSI_ITEMTOTAL_ROWS + 30000; i++) {
        unsigned a = 1 + next(5), c = next(20);
        unsigned third = complete < RFSI_ITEMTOTAL_ROWS ? 6 - a : a;
        if (c == 0) {
            put(&b, "%x,%u,,%u\n", i, a, third); /* one answer for p: not valid */
        } else if (c == 1) {
            put(&b, "%x,%u,%u,\n", i, a, 1 + next(5)); /* complete for p only */
        } else {
            put(&b, "%x,%u,%u,%u\n", i, a, a > 1 && next(2) ? a - 1 : a, third);
            complete++;
        }
    }
    check("item-total guard", insts, &o, &b, &x, &base);
    assert_true(base.guard.len >= sizeof rows); /* scale t's guard filled */
    memcpy(&rows, base.guard.data, sizeof rows);
    assert_int_equal(rows, RFSI_ITEMTOTAL_ROWS);
    run_free(&base);
    rfsi_buf_free(&b);
}

/* ------------------------------------------ found by this test, now fixed */

/* An invalid answer on a line that one thread's 64 KiB reads cut, past the cut: the
 * reader knows a field's column only while the record's line is in hand from its start
 * (csv_reader.c, rfsi_csv_field_column), so one thread reports column 0; two threads read
 * the line within one part and gave its column (22) until every reader cut where one
 * thread cuts. */
static void column_at_read_boundary(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    const expect x = {SIZE(4), SIZE(4), 0, 0, {NULL}};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i;

    o.warn = 1;
    put(&b, "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n");
    for (i = 0; b.len < 100000; i++) {
        size_t at = b.len;
        put(&b, "p%05u,1,2,3,4,5,6,7,1\n", i);
        if (at < 65536 && b.len > 65536)
            b.data[b.len - 2] = 'x';
    }
    check("invalid answer past a 64 KiB read", insts, &o, &b, &x, NULL);
    rfsi_buf_free(&b);
}

/* After a write error in a part taken from a worker the scorer must be marked failed, as
 * one thread's is: a later rfs_scorer_finish() is refused (RFS_E_USAGE, "the scorer has
 * failed") and adds no run warnings (here it added column_mostly_invalid). */
static void failed_after_write_error(void **state)
{
    fixture *f = *state;
    const rfs_instrument *insts[] = {f->rfq8, NULL};
    options o = {0};
    rfsi_buf b = {0};
    unsigned i, threads;
    FILE *in;
    run r[2];
    rfs_error e[2];
    int rc[2];

    o.fail_after = 20000;
    put(&b, "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n");
    for (i = 0; i < 1500; i++)
        put(&b, "f%u,1,2,3,4,5,6,7,x\n", i);
    assert_non_null(in = tmpfile());
    assert_int_equal(fwrite(b.data, 1, b.len, in), b.len);
    assert_int_equal(fflush(in), 0);
    for (threads = 1; threads <= 2; threads++) {
        rfs_scorer *s = configured(insts, &o, threads, 300, &r[threads - 1]);
        rewind(in);
        assert_int_equal(rfs_scorer_run_file(s, in, &r[threads - 1].err), -1);
        rfs_error_clear(&e[threads - 1]);
        rc[threads - 1] = rfs_scorer_finish(s, &e[threads - 1]);
        collect(s, &r[threads - 1]);
        rfs_scorer_free(s);
    }
    assert_true(r[1].taken > 0);
    assert_int_equal(rc[1], rc[0]);
    same_error("rfs_scorer_finish() after the write error", "write error, then finish", &e[0], &e[1]);
    same_bytes("the warnings", "write error, then finish", &r[0].warnings, &r[1].warnings);
    run_free(&r[0]);
    run_free(&r[1]);
    fclose(in);
    rfsi_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_rows),
        cmocka_unit_test(invalid_answers),
        cmocka_unit_test(quoted_newlines),
        cmocka_unit_test(line_ends),
        cmocka_unit_test(data_errors),
        cmocka_unit_test(write_error),
        cmocka_unit_test(options_and_formats),
        cmocka_unit_test(redcap_export),
        cmocka_unit_test(itemtotal_guard),
        cmocka_unit_test(column_at_read_boundary),
        cmocka_unit_test(failed_after_write_error),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

/* The scoring pass, or the id pre-pass, of a regular file in threads. The scorer reads
 * the header; the data that follow are cut into parts of s->part_bytes (256 KiB) at line
 * ends, and each of two workers, a scorer configured the same way, scores the next part
 * into memory, numbering its lines from 1 (the pre-pass: gathers its ids). The scorer
 * takes the parts in file order, each only if it is exactly what one thread would have
 * done there:
 *   - the scorer's own reading ended a record on a line end (not inside quotes);
 *   - the worker read its part to a line end (or the file's end, if the file has not
 *     grown) with no error, no warning, and at most MAX_PROBLEMS invalid answers;
 *   - nothing the worker kept depends on the rows before the part: the item-total guard
 *     takes all of the part's rows or none (it keeps only its first rows), and no
 *     column's distinct invalid texts went past those it counts.
 * It then writes the part's rows, adds its counts, reports its invalid answers with their
 * lines in the file, and numbers its own lines on. A part that does not qualify the
 * scorer reads itself, as one thread does. Every reader cuts the input where one
 * thread's reads cut it (a message's column depends on that). So the output, warnings,
 * counts and errors never depend on the threads; memory depends on the parts in hand,
 * not on the rows. */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base/error.h"
#include "scorer.h"

#define LINE_MAX_PART (1 << 20)  /* a line longer than this past a part's end: one thread */
#define CHUNK RFSI_READ_CHUNK
#define MAX_PROBLEMS 1024        /* invalid answers a part may report; more: the scorer reads it */
#define MAX_WORKERS 2

enum { W_IDLE, W_BUSY, W_DONE, W_EXIT };

typedef struct pool pool;

typedef struct worker {
    pool *pl;
    rfs_scorer *w;
    pthread_t thread;
    int started;
    int state;                 /* W_*, under pl->mu */
    size_t part;               /* the part it holds (W_BUSY, W_DONE) */
    unsigned long long from, to;
    int rc;                    /* 0: the part read to its end, no error */
    rfsi_buf rows;             /* the part's output */
    rfs_error *problems;       /* the part's invalid answers, lines from 1 */
    size_t n_problems;
    int too_many, out_failed;
    rfs_error err;
    char *buf;
} worker;

struct pool {
    rfs_scorer *s;
    int fd;
    unsigned long long start, header_end, size;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next_part;          /* the next part to hand out ... */
    unsigned long long next_from; /* ... and where it starts */
    int no_more;               /* every part has been handed out, or the run stops */
    int prescan;               /* the id pre-pass: parts give ids, not rows */
    worker workers[MAX_WORKERS];
    size_t n_workers;
};

/* ------------------------------------------------------------------ reading */

static int read_at(int fd, char *buf, size_t len, unsigned long long at, size_t *got)
{
    ssize_t n;

    do
        n = pread(fd, buf, len, (off_t)at);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    *got = (size_t)n;
    return 0;
}

/* Just past the first LF at or after at, looking at most max bytes; 0 when none. A line
 * is short: the first look is at a few hundred bytes. */
static unsigned long long line_after(int fd, char *buf, unsigned long long at, unsigned long long size, size_t max)
{
    size_t seen = 0, want = 512;

    while (at < size && seen < max) {
        size_t got;
        const char *nl;
        if (read_at(fd, buf, want, at, &got) < 0 || got == 0)
            return 0;
        if ((nl = memchr(buf, '\n', got)))
            return at + (unsigned long long)(nl - buf) + 1;
        at += got;
        seen += got;
        want = CHUNK;
    }
    return 0;
}

/* Feeds [at, to) of the input that starts at start, in the pieces one thread reads: up to
 * each multiple of RFSI_READ_CHUNK from start, so that every line is cut where one
 * thread's reading cuts it (a message's column depends on that). 1 when the file ends
 * before to (it shrank, or to is ULLONG_MAX: read to the end), 0, or -1 with err set. */
static int feed_span(rfs_scorer *s, int fd, char *buf, unsigned long long start, unsigned long long at,
                     unsigned long long to, int prescan, rfs_error *err)
{
    while (at < to) {
        size_t got, want = RFSI_READ_CHUNK - (size_t)((at - start) % RFSI_READ_CHUNK);
        if (to - at < want)
            want = (size_t)(to - at);
        if (read_at(fd, buf, want, at, &got) < 0) {
            s->failed = 1;
            return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "read error: %s", strerror(errno));
        }
        if (got == 0)
            return 1;
        if ((prescan ? rfs_scorer_prescan(s, buf, got, err) : rfs_scorer_feed(s, buf, got, err)) < 0)
            return -1;
        at += got;
    }
    return 0;
}

/* ----------------------------------------------------------- the workers */

static int worker_write(const char *data, size_t len, void *ud)
{
    worker *k = ud;

    if (rfsi_buf_append(&k->rows, data, len) < 0) {
        k->out_failed = 1;
        return -1;
    }
    return 0;
}

static void worker_problem(const rfs_error *e, void *ud)
{
    worker *k = ud;

    if (k->n_problems == MAX_PROBLEMS) {
        k->too_many = 1;
        return;
    }
    k->problems[k->n_problems++] = *e;
}

/* Counts since the last part, cleared once it is taken (or dropped). */
static void clear_counts(rfs_scorer *w)
{
    size_t i;

    if (w->prescanning)
        w->ids.n = 0;
    rfsi_warnings_free(&w->warnings); /* a part with one is scored again: not the next too */
    memset(&w->counts, 0, sizeof w->counts);
    w->out.rows_ended = w->out.rows_delivered = 0;
    for (i = 0; i < w->n_insts; i++) {
        inst_state *st = &w->insts[i];
        const rfs_instrument *inst = st->inst;
        size_t n = inst->n_scales + inst->n_derived;
        memset(st->colstats, 0, inst->n_items * sizeof *st->colstats);
        if (st->plain_none)
            memset(st->plain_none, 0, inst->n_items * sizeof *st->plain_none);
        memset(st->flag_rows, 0, sizeof st->flag_rows);
        memset(st->status_rows, 0, n * sizeof *st->status_rows);
        st->plain_rows = st->invalid_rows = st->not_administered_rows = 0;
        st->answered_rows = 0;
        rfsi_itemtotal_clear(st->itemtotal);
        st->seen_min = inst->max + 1;
        st->seen_max = inst->min - 1;
        st->range_full = 0;
    }
}

static void free_scorer(const pool *pl, rfs_scorer *w)
{
    if (w) {
        if (!pl->prescan) /* borrowed */
            memset(&w->ids, 0, sizeof w->ids);
        rfs_scorer_free(w);
    }
}

/* A scorer configured as s, past the header: no output header or byte order mark, the
 * pre-pass's id counts shared (read-only once sorted). NULL when it cannot be made so. */
static rfs_scorer *make_scorer(pool *pl, worker *k, char *buf)
{
    const rfs_scorer *s = pl->s;
    rfs_error e;
    rfs_scorer *w = rfs_scorer_new(&e);
    size_t i, j;
    int rc = 0;

    if (!w)
        return NULL;
    for (i = 0; i < s->n_insts && rc == 0; i++) {
        const inst_state *st = &s->insts[i];
        rc |= rfs_scorer_add_instrument(w, st->def, &e);
        if (rc == 0 && st->alias)
            rc |= rfs_scorer_set_instrument_name(w, st->def, st->alias->id, &e);
        if (rc == 0 && (st->prefix || st->suffix))
            rc |= rfs_scorer_set_columns(w, st->def, st->prefix, st->suffix, &e);
        for (j = 0; rc == 0 && st->mapped && j < st->def->n_items; j++)
            if (st->mapped[j])
                rc |= rfs_scorer_map_item(w, st->def, j + 1, st->mapped[j], &e);
    }
    for (i = 0; rc == 0 && i < s->n_id_names; i++)
        rc |= rfs_scorer_add_id_column(w, s->id_names[i], &e);
    for (i = 0; rc == 0 && i < s->n_filters; i++)
        rc |= rfs_scorer_add_filter(w, s->filters[i].text, &e);
    if (rc == 0 && s->duration_name)
        rc |= rfs_scorer_set_duration_column(w, s->duration_name, &e);
    for (i = 0; rc == 0 && i < s->n_keep; i++)
        rc |= rfs_scorer_keep_column(w, s->keep_names[i], &e);
    for (i = 0; rc == 0 && i < s->n_extra; i++)
        rc |= rfs_scorer_add_missing_code(w, s->extra[i].type, s->extra[i].code, &e);
    if (rc == 0)
        rc |= rfs_scorer_set_input_name(w, s->input_name, &e);
    if (rc == 0)
        rc |= rfs_scorer_set_output(w, worker_write, k, &e);
    if (rc == 0 && s->warn)
        rc |= rfs_scorer_set_warning_fn(w, worker_problem, k, &e);
    if (rc) {
        rfs_scorer_free(w);
        return NULL;
    }
    w->has_override = s->has_override;
    w->override = s->override;
    memcpy(w->thresholds, s->thresholds, sizeof w->thresholds);
    w->format = s->format;
    w->long_format = s->long_format;
    w->raw_text = s->raw_text;
    w->out_delimiter = s->out_delimiter;
    w->numcache->fixed = s->numcache->fixed;
    w->numcache->digits = s->numcache->digits;
    w->numcache->point = s->numcache->point;
    w->no_header = 1;
    w->bom = 0;
    w->delimiter = s->delimiter;
    w->encoding = s->encoding;
    w->check_ids = s->check_ids;
    if (!pl->prescan) {
        w->ids = s->ids; /* borrowed: cleared before the scorer is freed */
        w->prescanned = s->prescanned;
    }
    /* The header as the scorer read it: the same columns, and nothing held. */
    if (feed_span(w, pl->fd, buf, pl->start, pl->start, pl->header_end, pl->prescan, &e) != 0 || !w->header_done || w->qualtrics ||
        w->n_held || w->ncols != s->ncols || !rfsi_csv_at_line_start(w->csv)) {
        free_scorer(pl, w);
        return NULL;
    }
    w->out.buf.len = 0;
    clear_counts(w);
    return w;
}

/* One part: [from, to) with lines from 1; at the file's end, the input's end too. */
static void score_part(pool *pl, worker *k)
{
    rfs_scorer *w = k->w;

    k->rc = -1;
    k->rows.len = 0;
    k->n_problems = 0;
    k->too_many = k->out_failed = 0;
    rfs_error_clear(&k->err);
    if (rfsi_scorer_resume(w, 1) < 0 || feed_span(w, pl->fd, k->buf, pl->start, k->from, k->to, pl->prescan, &k->err) != 0)
        return;
    if (k->to == pl->size ? rfsi_scorer_finish_input(w, &k->err) < 0 : !rfsi_csv_at_line_start(w->csv))
        return;
    if (rfsi_writer_flush(&w->out) < 0)
        return;
    k->rc = 0;
}

static void *worker_main(void *arg)
{
    worker *k = arg;
    pool *pl = k->pl;

    pthread_mutex_lock(&pl->mu);
    for (;;) {
        unsigned long long from, to;
        while (k->state == W_DONE)
            pthread_cond_wait(&pl->cv, &pl->mu);
        if (k->state == W_EXIT || pl->no_more || !k->w)
            break;
        /* The next part, from where the last ended to the first line end part_bytes on. */
        from = pl->next_from;
        to = from + pl->s->part_bytes < pl->size
                 ? line_after(pl->fd, k->buf, from + pl->s->part_bytes, pl->size, LINE_MAX_PART)
                 : pl->size;
        if (to == 0) { /* no line end soon after: the scorer reads the rest */
            pl->no_more = 1;
            pthread_cond_broadcast(&pl->cv);
            break;
        }
        k->part = pl->next_part++;
        k->from = from;
        k->to = to;
        pl->next_from = to;
        pl->no_more = to == pl->size;
        k->state = W_BUSY;
        pthread_mutex_unlock(&pl->mu);
        score_part(pl, k);
        pthread_mutex_lock(&pl->mu);
        if (k->state != W_EXIT)
            k->state = W_DONE;
        pthread_cond_broadcast(&pl->cv);
    }
    if (k->state != W_DONE)
        k->state = W_EXIT;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
    return NULL;
}

/* ------------------------------------------------------------- the merge */

static int mergeable(const pool *pl, const worker *k)
{
    const rfs_scorer *s = pl->s, *w = k->w;
    struct stat sb;
    size_t i, j;

    if (k->rc || k->too_many || k->out_failed || w->warnings.n || !rfsi_csv_at_line_start(s->csv))
        return 0;
    /* The last part ended the input: only if the file has not grown since (one thread
     * would read on). */
    if (k->to == pl->size && (fstat(pl->fd, &sb) != 0 || (unsigned long long)sb.st_size != pl->size))
        return 0;
    for (i = 0; i < s->n_insts; i++) {
        const inst_state *a = &s->insts[i], *b = &w->insts[i];
        if (!rfsi_itemtotal_can_merge(a->itemtotal, b->itemtotal))
            return 0;
        for (j = 0; j < a->inst->n_items; j++)
            if (b->colstats[j].untallied)
                return 0;
    }
    return 1;
}

static void merge_colstats(rfsi_colstats *a, const rfsi_colstats *b)
{
    size_t t, j;

    a->answered += b->answered;
    a->typed += b->typed;
    a->invalid += b->invalid;
    for (t = 0; t < b->n_tally; t++) { /* in the order first seen, as one thread meets them */
        const rfsi_tally *x = &b->tally[t];
        for (j = 0; j < a->n_tally; j++)
            if (a->tally[j].len == x->len && memcmp(a->tally[j].text, x->text, x->len) == 0)
                break;
        if (j < a->n_tally)
            a->tally[j].count += x->count;
        else if (a->n_tally < RFSI_TALLY_SLOTS)
            a->tally[a->n_tally++] = *x;
        else
            a->untallied += x->count;
    }
}

static void merge_state(inst_state *a, const inst_state *b)
{
    size_t k, n = a->inst->n_scales + a->inst->n_derived;

    for (k = 0; k < a->inst->n_items; k++) {
        merge_colstats(&a->colstats[k], &b->colstats[k]);
        if (a->plain_none)
            a->plain_none[k] += b->plain_none[k];
    }
    a->plain_rows += b->plain_rows;
    for (k = 0; k < RFSI_FLAG_COUNT; k++)
        a->flag_rows[k] += b->flag_rows[k];
    a->invalid_rows += b->invalid_rows;
    a->not_administered_rows += b->not_administered_rows;
    for (k = 0; k < n; k++) {
        a->status_rows[k][0] += b->status_rows[k][0];
        a->status_rows[k][1] += b->status_rows[k][1];
        a->status_rows[k][2] += b->status_rows[k][2];
    }
    a->answered_rows += b->answered_rows;
    rfsi_itemtotal_merge(a->itemtotal, b->itemtotal);
    if (b->seen_min < a->seen_min)
        a->seen_min = b->seen_min;
    if (b->seen_max > a->seen_max)
        a->seen_max = b->seen_max;
    a->range_full = a->seen_min <= a->inst->min && a->seen_max >= a->inst->max;
}

/* The part's rows after the scorer's, then its counts and invalid answers; the scorer
 * numbers its lines on past the part. */
static int take(rfs_scorer *s, worker *k)
{
    rfs_scorer *w = k->w;
    unsigned long line = rfsi_csv_line(s->csv);
    size_t i;

    if (s->prescanning) { /* the part's ids, after the scorer's */
        for (i = 0; i < w->ids.n; i++)
            if (rfsi_idset_collect(&s->ids, w->ids.keys[i]) < 0)
                return rfsi_nomem(s->err);
        return rfsi_scorer_resume(s, line + rfsi_csv_line(w->csv) - 1) < 0 ? rfsi_nomem(s->err) : 0;
    }
    if (rfsi_writer_flush(&s->out) < 0)
        return rfsi_out_error(s);
    if (k->rows.len && s->out.fn(k->rows.data, k->rows.len, s->out.userdata) != 0) {
        s->out.failed = 1;
        return rfsi_out_error(s);
    }
    s->out.rows_ended += w->out.rows_ended;
    s->out.rows_delivered = s->out.rows_ended;
    s->counts.rows_read += w->counts.rows_read;
    s->counts.rows_flagged += w->counts.rows_flagged;
    s->counts.rows_excluded += w->counts.rows_excluded;
    for (i = 0; i < s->n_insts; i++)
        merge_state(&s->insts[i], &w->insts[i]);
    for (i = 0; i < k->n_problems; i++) {
        rfs_error e = k->problems[i];
        if (e.line)
            e.line += line - 1;
        s->warn(&e, s->warn_userdata);
    }
    return rfsi_scorer_resume(s, line + rfsi_csv_line(w->csv) - 1) < 0 ? rfsi_nomem(s->err) : 0;
}

/* ---------------------------------------------------------------- the run */

static void stop_pool(pool *pl)
{
    size_t i;

    pthread_mutex_lock(&pl->mu);
    pl->no_more = 1;
    for (i = 0; i < pl->n_workers; i++)
        pl->workers[i].state = W_EXIT;
    pthread_cond_broadcast(&pl->cv);
    pthread_mutex_unlock(&pl->mu);
    for (i = 0; i < pl->n_workers; i++) {
        worker *k = &pl->workers[i];
        if (k->started)
            pthread_join(k->thread, NULL);
        free_scorer(pl, k->w);
        rfsi_buf_free(&k->rows);
        free(k->problems);
        free(k->buf);
    }
    pthread_cond_destroy(&pl->cv);
    pthread_mutex_destroy(&pl->mu);
}

/* The worker holding part p once it is done, or NULL when no worker will hold it (the
 * scorer reads the rest). Under pl->mu. */
static worker *wait_part(pool *pl, size_t p)
{
    for (;;) {
        size_t i, live = 0;
        for (i = 0; i < pl->n_workers; i++) {
            worker *k = &pl->workers[i];
            if (k->state == W_DONE && k->part == p)
                return k;
            live += k->state != W_EXIT && !(k->state == W_IDLE && pl->no_more);
        }
        if (!live && pl->next_part <= p)
            return NULL;
        pthread_cond_wait(&pl->cv, &pl->mu);
    }
}

int rfsi_parallel_run(rfs_scorer *s, FILE *in, int prescan, rfs_error *err)
{
    struct stat sb;
    pool pl;
    char *buf, *mbuf;
    long pos;
    size_t i, p;
    unsigned long long done_to;
    int rc = 0, ended = 0;

    /* What a part cannot be scored without the rows before it: row numbers, the report's
     * and the digest's accumulators, duplicate ids counted as they come. The pre-pass
     * only gathers ids. */
    if (s->threads < 2 || s->dry_run || s->csv ||
        (!prescan && (s->row_numbers || s->report || s->by_name || s->digest_input ||
                      (s->check_ids && !s->prescanned))) ||
        (pos = ftell(in)) < 0 || fstat(fileno(in), &sb) != 0 ||
        !S_ISREG(sb.st_mode) || (unsigned long long)sb.st_size <= (unsigned long long)pos ||
        ((unsigned long long)sb.st_size - (unsigned long long)pos) / RFSI_MIN_PARTS < s->part_bytes)
        return 0;
    memset(&pl, 0, sizeof pl);
    pl.s = s;
    pl.fd = fileno(in);
    pl.start = (unsigned long long)pos;
    pl.size = (unsigned long long)sb.st_size;
    pl.prescan = prescan;
    if (!(buf = malloc(CHUNK)))
        return 0;
    pl.header_end = line_after(pl.fd, buf, pl.start, pl.size, LINE_MAX_PART);
    free(buf);
    if (!pl.header_end || pl.header_end >= pl.size)
        return 0;
    /* The scorer reads the header itself; a plain one, read to its line end, or no threads. */
    if (rfsi_read_input(s, in, err, prescan, pl.header_end - pl.start) < 0)
        return -1;
    if (!s->csv || !s->header_done || s->qualtrics || s->n_held || s->dry_done || !rfsi_csv_at_line_start(s->csv))
        return 0; /* it reads on */
    if (pthread_mutex_init(&pl.mu, NULL) != 0)
        return 0;
    if (pthread_cond_init(&pl.cv, NULL) != 0) {
        pthread_mutex_destroy(&pl.mu);
        return 0;
    }
    if (!(mbuf = malloc(CHUNK))) {
        pthread_cond_destroy(&pl.cv);
        pthread_mutex_destroy(&pl.mu);
        return 0;
    }
    pl.next_from = pl.header_end;
    for (i = 0; i < MAX_WORKERS && i < s->threads; i++) {
        worker *k = &pl.workers[pl.n_workers];
        memset(k, 0, sizeof *k);
        k->pl = &pl;
        if (!(k->buf = malloc(CHUNK)) || !(k->problems = malloc(MAX_PROBLEMS * sizeof *k->problems)) ||
            !(k->w = make_scorer(&pl, k, k->buf))) {
            free(k->buf);
            free(k->problems);
            break;
        }
        pl.n_workers++;
        if (pthread_create(&k->thread, NULL, worker_main, k) != 0) {
            k->state = W_EXIT;
            break;
        }
        k->started = 1;
    }
    done_to = pl.header_end;
    for (p = 0; rc == 0 && !ended; p++) {
        worker *k;
        pthread_mutex_lock(&pl.mu);
        k = wait_part(&pl, p);
        pthread_mutex_unlock(&pl.mu);
        if (!k)
            break;
        s->err = err;
        if (mergeable(&pl, k)) {
            rc = take(s, k);
            s->parts_taken++;
        } else { /* as one thread: the scorer reads the part itself */
            if ((rc = feed_span(s, pl.fd, mbuf, pl.start, k->from, k->to, prescan, err)) > 0)
                ended = 1; /* the file shrank: its end is here, as for one thread */
            s->parts_reread++;
            if (k->rc) { /* the worker's scorer stopped: a new one for its next part */
                free_scorer(&pl, k->w);
                k->w = make_scorer(&pl, k, k->buf);
            }
        }
        done_to = k->to;
        if (k->w) {
            clear_counts(k->w);
            for (i = 0; i < s->n_insts && !prescan; i++) /* the guard has its rows: parts need not count */
                k->w->insts[i].itemtotal_off = rfsi_itemtotal_full(s->insts[i].itemtotal);
        }
        pthread_mutex_lock(&pl.mu);
        k->state = W_IDLE;
        pthread_cond_broadcast(&pl.cv);
        pthread_mutex_unlock(&pl.mu);
        if (rc == 0 && s->progress)
            s->progress(!prescan, done_to - pl.start, &s->counts, s->progress_ud);
    }
    stop_pool(&pl);
    /* Parts no worker took (none could be made, or a line end was too far), and what the
     * file has grown by since it was measured: one thread, to the end. */
    if (rc == 0 && !ended)
        rc = feed_span(s, pl.fd, mbuf, pl.start, done_to, ULLONG_MAX, prescan, err);
    free(mbuf);
    if (rc < 0) { /* as when one thread fails: nothing more is accepted */
        s->failed = 1;
        return -1;
    }
    return 1;
}


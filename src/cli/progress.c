/* Progress of a long run on a terminal: rows and MB/s on one stderr line, redrawn about
 * once a second. Nothing at all when stderr is not a terminal (a log file, a pipe, a
 * test), when -q is given, or when the run ends within the first second. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, int enabled)
{
    memset(p, 0, sizeof *p);
    p->enabled = enabled && isatty(STDERR_FILENO);
    if (p->enabled)
        p->pass_start = p->last = now();
}

void cli_progress_update(int pass, unsigned long long bytes, const rfs_counts *counts, void *ud)
{
    cli_progress *p = ud;
    double t, secs;

    if (!p->enabled)
        return;
    t = now(); /* a vDSO call, cheap next to scoring a 64 KiB chunk */
    if (pass != p->pass) { /* the scoring pass after the id pre-pass: its own rate */
        p->pass = pass;
        p->pass_start = t;
    }
    if (t - p->last < 1.0)
        return;
    p->last = t;
    secs = t - p->pass_start;
    if (pass == 0)
        fprintf(stderr, "\rrfscore: checking ids: %.1f MB, %.1f MB/s   ", (double)bytes / 1e6,
                secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
    else
        fprintf(stderr, "\rrfscore: %llu rows, %.1f MB, %.1f MB/s   ", counts->rows_read, (double)bytes / 1e6,
                secs > 0 ? (double)bytes / 1e6 / secs : 0.0);
    p->shown = 1;
}

void cli_progress_end(cli_progress *p)
{
    if (p->enabled && p->shown)
        fputs("\r\033[K", stderr); /* erase the line, so the summary starts clean */
    p->shown = 0;
}

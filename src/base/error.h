/* Private helpers for filling rfs_error (first error wins). */
#ifndef RFS_ERROR_H
#define RFS_ERROR_H

#include "rfscore.h"

#if defined(__GNUC__)
#define RFS_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RFS_PRINTF(a, b)
#endif


/* Fills err (when not NULL and still clear). Always returns -1, so callers can
 * `return rfsi_fail(...)`. */
int rfsi_fail(rfs_error *err, rfs_status code, const char *file, unsigned long line,
              unsigned long column, const char *fmt, ...) RFS_PRINTF(6, 7);

int rfsi_nomem(rfs_error *err);



/* Collects the problems found while checking a definition: the first is kept as the
 * error, every one goes to the optional callback (for lint). */
typedef struct rfsi_report {
    const char *path;
    rfs_problem_fn fn;
    void *userdata;
    size_t count;
    rfs_error first;
} rfsi_report;

void rfsi_report_init(rfsi_report *r, const char *path, rfs_problem_fn fn, void *userdata);
void rfsi_report_add(rfsi_report *r, rfs_status code, unsigned long line, const char *fmt, ...)
    RFS_PRINTF(4, 5);
#endif

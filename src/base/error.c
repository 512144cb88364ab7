/* rfs_error: errors as values carrying their place (after jansson's json_error_t). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void rfs_error_clear(rfs_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

const char *rfs_status_text(rfs_status code)
{
    switch (code) {
    case RFS_OK: return "no error";
    case RFS_E_NOMEM: return "out of memory";
    case RFS_E_USAGE: return "usage error";
    case RFS_E_OPEN: return "cannot open input";
    case RFS_E_DEFINITION: return "bad instrument definition";
    case RFS_E_DATA: return "bad data";
    case RFS_E_OUTPUT: return "cannot write output";
    case RFS_E_LIMIT: return "input exceeds a limit";
    }
    return "unknown error";
}

int rfsi_fail(rfs_error *err, rfs_status code, const char *file, unsigned long line,
              unsigned long column, const char *fmt, ...)
{
    va_list ap;

    if (!err || err->code != RFS_OK)
        return -1;
    err->code = code;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    err->column = column;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

int rfsi_nomem(rfs_error *err)
{
    return rfsi_fail(err, RFS_E_NOMEM, NULL, 0, 0, "out of memory");
}

void rfsi_report_init(rfsi_report *r, const char *path, rfs_problem_fn fn, void *userdata)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->fn = fn;
    r->userdata = userdata;
}

void rfsi_report_add(rfsi_report *r, rfs_status code, unsigned long line, const char *fmt, ...)
{
    rfs_error e;
    va_list ap;

    rfs_error_clear(&e);
    e.code = code;
    snprintf(e.file, sizeof e.file, "%s", r->path ? r->path : "");
    e.line = line;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    if (r->count++ == 0)
        r->first = e;
    if (r->fn)
        r->fn(&e, r->userdata);
}

/* Run warnings: what a run noticed about its input as a whole (an answer range that fits
 * a shorter version of the scale, an item against the rest of its scale), as opposed to
 * the flags of one row. Each has a stable code, the instrument it concerns (or none), a
 * one-line message and extra JSON fields; they reach the caller through
 * rfs_scorer_warning(), the text summary (stderr) and the --summary JSON.
 *
 * A minimal list, written to the interface of the warnings of issue 13 (branch exports) so
 * that the two can be reconciled: pick a code, rfsi_warning_add(), then the fields with
 * rfsi_warning_str() / rfsi_warning_num() / rfsi_warning_json(). */
#ifndef RFS_WARNINGS_H
#define RFS_WARNINGS_H

#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"

#define RFSI_NO_INSTRUMENT ((size_t)-1)

typedef struct rfsi_warning_field {
    char *key;
    char *json;       /* the value, already JSON */
} rfsi_warning_field;

typedef struct rfsi_warning {
    char *code;       /* "range_unused" */
    size_t inst;      /* index of the instrument in the scorer, or RFSI_NO_INSTRUMENT */
    char *message;    /* one line, no newline */
    rfsi_warning_field *fields;
    size_t n_fields;
} rfsi_warning;

typedef struct rfsi_warnings {
    rfsi_warning *list;
    size_t n, cap;
} rfsi_warnings;

/* Appends a warning; returns it (owned by the list, valid until the next add or
 * rfsi_warnings_free()), or NULL when memory runs out. */
rfsi_warning *rfsi_warning_add(rfsi_warnings *w, const char *code, size_t inst, const char *fmt, ...)
    RFS_PRINTF(4, 5);
/* Extra fields, in the order added. 0, or -1 when memory runs out. */
int rfsi_warning_str(rfsi_warning *x, const char *key, const char *value);
int rfsi_warning_num(rfsi_warning *x, const char *key, double value);
int rfsi_warning_json(rfsi_warning *x, const char *key, const char *json); /* copied as is */

void rfsi_warnings_free(rfsi_warnings *w);

/* The warnings of one instrument (or RFSI_NO_INSTRUMENT) as a JSON array of objects
 * {"code": ..., "message": ..., fields...}, one per line, indented by indent. */
int rfsi_warnings_json(const rfsi_warnings *w, size_t inst, rfsi_buf *b, int indent);

#endif

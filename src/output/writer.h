/* Buffered CSV output through the caller's rfs_write_fn. */
#ifndef RFS_WRITER_H
#define RFS_WRITER_H

#include <stddef.h>
#include <string.h>

#include "base/buf.h"
#include "rfscore.h"

typedef struct rfsi_writer {
    rfs_write_fn fn;
    void *userdata;
    rfsi_buf buf;
    rfsi_buf scratch;          /* a JSON string being escaped */
    int failed;                /* sticky: the callback failed, or memory ran out ... */
    int nomem;                 /* ... and this says which */
    /* Rows (as the caller counts them) whose bytes are all in the buffer, and those of
     * them that have reached the callback: a flush delivers every whole row buffered. */
    unsigned long long rows_ended, rows_delivered;
} rfsi_writer;

/* Each returns 0, or -1 once the output has failed (sticky). */
int rfsi_writer_raw_slow(rfsi_writer *w, const char *data, size_t len);

/* Inline: most writes are a few bytes into a buffer with room. */
static inline int rfsi_writer_raw(rfsi_writer *w, const char *data, size_t len)
{
    if (w->buf.len + len < w->buf.cap && !w->failed) {
        memcpy(w->buf.data + w->buf.len, data, len);
        w->buf.len += len;
        return 0;
    }
    return rfsi_writer_raw_slow(w, data, len);
}
/* The same for len <= RFSI_WRITER_FIXED - 1 bytes from data, which has that many readable:
 * one copy of a constant size, not a call sized at run time (a short memcpy of a variable
 * length compiles to rep movs, slow to start). */
#define RFSI_WRITER_FIXED 32
static inline int rfsi_writer_raw_fixed(rfsi_writer *w, const char *data, size_t len)
{
    if (w->buf.len + RFSI_WRITER_FIXED < w->buf.cap && !w->failed) {
        memcpy(w->buf.data + w->buf.len, data, RFSI_WRITER_FIXED - 1);
        w->buf.len += len;
        return 0;
    }
    return rfsi_writer_raw_slow(w, data, len);
}
/* A CSV field (RFC 4180) with separator sep: quoted only when it holds sep, a quote, CR
 * or LF. */
int rfsi_writer_field(rfsi_writer *w, const char *data, size_t len, char sep);
/* A JSON string, quotes included, escaped as rfsi_json_string() (base/json.h). */
int rfsi_writer_json_string(rfsi_writer *w, const char *data, size_t len);
/* Ends a row, flushing when the buffer is large. */
int rfsi_writer_endrow(rfsi_writer *w);
int rfsi_writer_flush(rfsi_writer *w);
void rfsi_writer_free(rfsi_writer *w);

#endif

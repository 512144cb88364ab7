/* A growable byte buffer. Grows by doubling; never shrinks, so a buffer reused per row
 * stops allocating once it has seen the widest row. */
#ifndef RFS_BUF_H
#define RFS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct rfsi_buf {
    char *data;
    size_t len;
    size_t cap;
} rfsi_buf;

/* Returns 0, or -1 when memory runs out (the buffer is unchanged). */
int rfsi_buf_reserve(rfsi_buf *b, size_t extra);
int rfsi_buf_append(rfsi_buf *b, const char *data, size_t len);
int rfsi_buf_putc(rfsi_buf *b, char c);
int rfsi_buf_puts(rfsi_buf *b, const char *s);
/* Appends printf-style text, any length (no truncation). 0, or -1 when memory runs out
 * or the format fails. */
int rfsi_buf_vprintf(rfsi_buf *b, const char *fmt, va_list ap);
void rfsi_buf_free(rfsi_buf *b);

#endif

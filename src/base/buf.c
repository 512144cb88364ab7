#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int rfsi_buf_reserve(rfsi_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > (size_t)-1 - b->len - 1)
        return -1;
    need = b->len + extra + 1; /* room for a terminating NUL */
    if (need <= b->cap)
        return 0;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int rfsi_buf_append(rfsi_buf *b, const char *data, size_t len)
{
    if (rfsi_buf_reserve(b, len) < 0)
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int rfsi_buf_putc(rfsi_buf *b, char c)
{
    return rfsi_buf_append(b, &c, 1);
}

int rfsi_buf_puts(rfsi_buf *b, const char *s)
{
    return rfsi_buf_append(b, s, strlen(s));
}

int rfsi_buf_vprintf(rfsi_buf *b, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0 || rfsi_buf_reserve(b, (size_t)n) < 0)
        return -1;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

void rfsi_buf_free(rfsi_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

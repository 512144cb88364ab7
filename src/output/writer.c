#include "writer.h"

#include <string.h>

#include "base/json.h"

#define FLUSH_AT (64 * 1024)

int rfsi_writer_raw_slow(rfsi_writer *w, const char *data, size_t len)
{
    if (w->failed)
        return -1;
    if (rfsi_buf_append(&w->buf, data, len) < 0) {
        w->failed = w->nomem = 1;
        return -1;
    }
    return 0;
}

int rfsi_writer_field(rfsi_writer *w, const char *data, size_t len, char sep)
{
    size_t i, start;

    for (i = 0; i < len; i++)
        if (data[i] == sep || data[i] == '"' || data[i] == '\n' || data[i] == '\r')
            break;
    if (i == len)
        return rfsi_writer_raw(w, data, len);
    if (rfsi_writer_raw(w, "\"", 1) < 0)
        return -1;
    for (start = 0, i = 0; i < len; i++)
        if (data[i] == '"') {
            if (rfsi_writer_raw(w, data + start, i + 1 - start) < 0 || rfsi_writer_raw(w, "\"", 1) < 0)
                return -1;
            start = i + 1;
        }
    if (rfsi_writer_raw(w, data + start, len - start) < 0)
        return -1;
    return rfsi_writer_raw(w, "\"", 1);
}

int rfsi_writer_flush(rfsi_writer *w)
{
    if (w->failed)
        return -1;
    if (w->buf.len && w->fn(w->buf.data, w->buf.len, w->userdata) != 0) {
        w->failed = 1;
        return -1;
    }
    w->buf.len = 0;
    w->rows_delivered = w->rows_ended;
    return 0;
}

int rfsi_writer_endrow(rfsi_writer *w)
{
    if (rfsi_writer_raw(w, "\n", 1) < 0)
        return -1;
    return w->buf.len >= FLUSH_AT ? rfsi_writer_flush(w) : 0;
}

void rfsi_writer_free(rfsi_writer *w)
{
    rfsi_buf_free(&w->buf);
    rfsi_buf_free(&w->scratch);
}

/* As rfsi_json_string (base/json.c), straight into the output buffer: ASCII that needs
 * no escape is copied in runs. */
int rfsi_writer_json_string(rfsi_writer *w, const char *data, size_t len)
{
    size_t i = 0, k;

    while (i < len) {
        unsigned char c = (unsigned char)data[i];
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80 && (k = rfsi_utf8_char_len(data + i, len - i)) != 0) {
            i += k;
            continue;
        }
        break;
    }
    if (i == len) {
        if (rfsi_writer_raw(w, "\"", 1) < 0 || rfsi_writer_raw(w, data, len) < 0)
            return -1;
        return rfsi_writer_raw(w, "\"", 1);
    }
    /* Something to escape: build the literal aside, then copy it. */
    w->scratch.len = 0;
    if (rfsi_json_string(&w->scratch, data, len) < 0) {
        w->failed = w->nomem = 1;
        return -1;
    }
    return rfsi_writer_raw(w, w->scratch.data, w->scratch.len);
}

#include "writer.h"

#include <string.h>

#define FLUSH_AT (64 * 1024)

int rfsi_writer_raw_slow(rfsi_writer *w, const char *data, size_t len)
{
    if (w->failed)
        return -1;
    if (rfsi_buf_append(&w->buf, data, len) < 0) {
        w->failed = 1;
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
}

int rfsi_writer_json_string(rfsi_writer *w, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, start = 0;

    if (rfsi_writer_raw(w, "\"", 1) < 0)
        return -1;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)data[i];
        char esc[6] = {'\\', 'u', '0', '0', 0, 0};
        size_t n = 2;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (rfsi_writer_raw(w, data + start, i - start) < 0)
            return -1;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            n = 6;
        }
        if (rfsi_writer_raw(w, esc, n) < 0)
            return -1;
        start = i + 1;
    }
    if (rfsi_writer_raw(w, data + start, len - start) < 0)
        return -1;
    return rfsi_writer_raw(w, "\"", 1);
}

/* JSON string escaping shared by every JSON writer (report, summary, jsonl rows). */
#include "json.h"

#include "rfscore.h"

#include <string.h>

size_t rfsi_utf8_char_len(const char *p, size_t len)
{
    const unsigned char *u = (const unsigned char *)p;
    unsigned char lo = 0x80, hi = 0xBF;
    size_t need, i;

    if (len == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    if (u[0] >= 0xC2 && u[0] <= 0xDF)
        need = 1;
    else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
        need = 2;
        lo = u[0] == 0xE0 ? 0xA0 : 0x80; /* overlong */
        hi = u[0] == 0xED ? 0x9F : 0xBF; /* surrogates */
    } else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
        need = 3;
        lo = u[0] == 0xF0 ? 0x90 : 0x80;
        hi = u[0] == 0xF4 ? 0x8F : 0xBF;
    } else
        return 0;
    if (len < need + 1)
        return 0;
    for (i = 1; i <= need; i++) {
        if (u[i] < lo || u[i] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
    }
    return need + 1;
}

int rfsi_json_string(rfsi_buf *b, const char *data, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    size_t i = 0, start = 0;
    int rc = rfsi_buf_putc(b, '"');

    while (i < len) {
        unsigned char c = (unsigned char)data[i];
        char esc[6] = {'\\', 'u', '0', '0', 0, 0};
        size_t n = 2, k;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80 && (k = rfsi_utf8_char_len(data + i, len - i)) != 0) {
            i += k;
            continue;
        }
        rc |= rfsi_buf_append(b, data + start, i - start);
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
        rc |= rfsi_buf_append(b, esc, n);
        start = ++i;
    }
    rc |= rfsi_buf_append(b, data + start, len - start);
    rc |= rfsi_buf_putc(b, '"');
    return rc ? -1 : 0;
}

char *rfs_json_quote(const char *text)
{
    rfsi_buf b = {0};

    if (!text)
        return NULL;
    if (rfsi_json_string(&b, text, strlen(text)) < 0 || rfsi_buf_putc(&b, '\0') < 0) {
        rfsi_buf_free(&b);
        return NULL;
    }
    return b.data;
}

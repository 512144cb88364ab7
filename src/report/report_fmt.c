/* Formatting helpers of the report sections (see report_fmt.h). */
#include "report_fmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "output/numfmt.h"

void rfsi_rput(rfsi_buf *b, int *rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(b, fmt, ap) < 0)
        *rc = -1;
    va_end(ap);
}

void rfsi_rjson_str(rfsi_buf *b, int *rc, const char *s)
{
    *rc |= rfsi_json_string(b, s ? s : "", s ? strlen(s) : 0); /* the one JSON escaper */
}

void rfsi_rjson_num(rfsi_buf *b, int *rc, const char *key, double v)
{
    char t[RFSI_NUMFMT_MAX];

    if (!isfinite(v)) {
        rfsi_rput(b, rc, "\"%s\": null", key);
        return;
    }
    rfsi_fmt_double(t, v);
    rfsi_rput(b, rc, "\"%s\": %s", key, t);
}

void rfsi_resc(rfsi_buf *b, int *rc, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&': *rc |= rfsi_buf_puts(b, "&amp;"); break;
        case '<': *rc |= rfsi_buf_puts(b, "&lt;"); break;
        case '>': *rc |= rfsi_buf_puts(b, "&gt;"); break;
        case '"': *rc |= rfsi_buf_puts(b, "&quot;"); break;
        case '\'': *rc |= rfsi_buf_puts(b, "&#39;"); break;
        default: *rc |= rfsi_buf_putc(b, *s);
        }
}

void rfsi_rid(rfsi_buf *b, int *rc, const char *s)
{
    for (; s && *s; s++) {
        char c = *s;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        *rc |= rfsi_buf_putc(b, keep ? c : '_');
    }
}

const char *rfsi_rf3(char *out, double v)
{
    if (isnan(v))
        return "NA";
    snprintf(out, RFSI_NUMFMT_MAX, "%.3f", fabs(v) < 5e-4 ? 0 : v);
    return out;
}

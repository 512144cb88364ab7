#include "numfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t rfsi_fmt_ulong(char *out, unsigned long long v)
{
    char tmp[24];
    size_t n = 0, i;

    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    out[n] = '\0';
    return n;
}

size_t rfsi_fmt_double(char *out, double v)
{
    int prec;

    if (v == 0) { /* also -0: a score of "-0" would only confuse */
        out[0] = '0';
        out[1] = '\0';
        return 1;
    }
    if (!isfinite(v))
        return (size_t)snprintf(out, RFSI_NUMFMT_MAX, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
    if (v == floor(v) && fabs(v) < 1e15) { /* whole numbers print as integers */
        unsigned long long u = (unsigned long long)fabs(v);
        size_t n = 0;
        if (v < 0)
            out[n++] = '-';
        return n + rfsi_fmt_ulong(out + n, u);
    }
    /* The shortest %.*g that round-trips; 17 significant digits always do. */
    for (prec = 1; prec < 17; prec++) {
        snprintf(out, RFSI_NUMFMT_MAX, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
    if (prec == 17)
        snprintf(out, RFSI_NUMFMT_MAX, "%.17g", v);
    return strlen(out);
}

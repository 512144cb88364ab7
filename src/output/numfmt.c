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
    if (v == floor(v) && fabs(v) < 1e16) { /* whole numbers print as integers, as Python's repr */
        unsigned long long u = (unsigned long long)fabs(v);
        size_t n = 0;
        if (v < 0)
            out[n++] = '-';
        return n + rfsi_fmt_ulong(out + n, u);
    }
    /* The shortest %.*g that round-trips, by binary search: if p digits read back
     * exactly, so do p + 1; 17 always do. */
    {
        int lo = 1, hi = 17;
        while (lo < hi) {
            prec = lo + (hi - lo) / 2;
            snprintf(out, RFSI_NUMFMT_MAX, "%.*g", prec, v);
            if (strtod(out, NULL) == v)
                hi = prec;
            else
                lo = prec + 1;
        }
        return (size_t)snprintf(out, RFSI_NUMFMT_MAX, "%.*g", lo, v);
    }
}

size_t rfsi_fmt_fixed(char *out, double v, int digits)
{
    char tmp[RFSI_NUMFMT_MAX + 8];
    int n;

    if (digits < 0 || digits > RFSI_MAX_DIGITS || !isfinite(v))
        return rfsi_fmt_double(out, v);
    /* printf's %.*f rounds the exact binary value, ties to even (glibc and musl print
     * exactly; C17 7.21.6.1 leaves it to the implementation but these are exact). */
    n = snprintf(tmp, sizeof tmp, "%.*f", digits, v);
    if (n < 0 || n >= RFSI_NUMFMT_MAX)
        return rfsi_fmt_double(out, v);
    if (tmp[0] == '-' && strspn(tmp + 1, "0.") == (size_t)n - 1) { /* -0.00: a rounded tiny negative */
        memcpy(out, tmp + 1, (size_t)n);
        return (size_t)n - 1;
    }
    memcpy(out, tmp, (size_t)n + 1);
    return (size_t)n;
}

size_t rfsi_numcache_fmt(rfsi_numcache *c, char *out, double v)
{
    unsigned long long bits;
    rfsi_numcache_slot *sl;
    size_t n;

    memcpy(&bits, &v, sizeof bits);
    sl = &c->slot[(size_t)((bits * 0x9E3779B97F4A7C15ULL) >> 40) & (RFSI_NUMCACHE_SLOTS - 1)];
    if (sl->len && sl->bits == bits) {
        memcpy(out, sl->text, sl->len);
        return sl->len;
    }
    n = c->fixed ? rfsi_fmt_fixed(out, v, c->digits) : rfsi_fmt_double(out, v);
    if (c->point && c->point != '.') {
        char *dot = memchr(out, '.', n);
        if (dot)
            *dot = c->point;
    }
    if (n < sizeof sl->text) {
        sl->bits = bits;
        sl->len = (unsigned char)n;
        memcpy(sl->text, out, n);
    }
    return n;
}

static size_t keyed_slot(unsigned long long a, unsigned int b)
{
    unsigned long long h = (a * 0x9E3779B97F4A7C15ULL + b) * 0xC2B2AE3D27D4EB4FULL;

    return (size_t)(h >> 40) & (RFSI_KEYCACHE_SLOTS - 1);
}

size_t rfsi_numcache_keyed_lookup(const rfsi_numcache *c, char *out, unsigned long long a, unsigned int b)
{
    const rfsi_keycache_slot *sl = &c->keyed[keyed_slot(a, b)];

    if (sl->len && sl->a == a && sl->b == b) {
        memcpy(out, sl->text, sl->len);
        return sl->len;
    }
    return 0;
}

size_t rfsi_numcache_fmt_keyed(rfsi_numcache *c, char *out, unsigned long long a, unsigned int b, double v)
{
    rfsi_keycache_slot *sl = &c->keyed[keyed_slot(a, b)];
    size_t n;

    if (sl->len && sl->a == a && sl->b == b) {
        memcpy(out, sl->text, sl->len);
        return sl->len;
    }
    n = rfsi_numcache_fmt(c, out, v);
    if (n < sizeof sl->text) {
        sl->a = a;
        sl->b = b;
        sl->len = (unsigned char)n;
        memcpy(sl->text, out, n);
    }
    return n;
}

/* A data.frame -> CSV bytes, a chunk of rows at a time, into rfs_scorer_feed() (or the
 * duplicate-id pre-pass). The CSV is what write.csv(na = "") would give, except that
 * whole-number doubles print without a decimal point ("4", as in the file they were read
 * from) and text is always UTF-8. Only one chunk (about 1 MiB) exists at a time. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"

#define CHUNK_BYTES (1u << 20)

typedef struct sink {
    char *buf;
    size_t len, cap;
    rfs_scorer *s;
    int prescan;
    rfs_error *err;
    int failed;
} sink;

static int grow_buffer(sink *k, size_t more)
{
    size_t cap = k->cap ? k->cap : CHUNK_BYTES + 4096;
    char *p;

    while (cap < k->len + more)
        cap *= 2;
    if (cap == k->cap)
        return 0;
    p = realloc(k->buf, cap);
    if (!p)
        return -1;
    k->buf = p;
    k->cap = cap;
    return 0;
}

static inline int grow(sink *k, size_t more)
{
    return k->len + more <= k->cap ? 0 : grow_buffer(k, more);
}

static int flush(sink *k)
{
    int rc;

    if (k->failed || k->len == 0)
        return k->failed ? -1 : 0;
    rc = k->prescan ? rfs_scorer_prescan(k->s, k->buf, k->len, k->err)
                    : rfs_scorer_feed(k->s, k->buf, k->len, k->err);
    k->len = 0;
    if (rc < 0)
        k->failed = 1;
    return rc;
}

/* Text, quoted when it holds a comma, a quote or a line break. */
static int put_text(sink *k, const char *t, size_t n)
{
    size_t i, quotes = 0;
    int quote = 0;

    for (i = 0; i < n; i++) {
        char c = t[i];
        if (c == ',' || c == '\n' || c == '\r')
            quote = 1;
        else if (c == '"') {
            quote = 1;
            quotes++;
        }
    }
    if (grow(k, n + quotes + 3) < 0)
        return -1;
    if (!quote) {
        memcpy(k->buf + k->len, t, n);
        k->len += n;
        return 0;
    }
    k->buf[k->len++] = '"';
    for (i = 0; i < n; i++) {
        if (t[i] == '"')
            k->buf[k->len++] = '"';
        k->buf[k->len++] = t[i];
    }
    k->buf[k->len++] = '"';
    return 0;
}

static int put_char(sink *k, char c)
{
    if (grow(k, 1) < 0)
        return -1;
    k->buf[k->len++] = c;
    return 0;
}

static size_t put_long(char *out, long long v)
{
    char tmp[24];
    size_t n = 0, i;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    i = 0;
    if (v < 0)
        out[i++] = '-';
    while (n)
        out[i++] = tmp[--n];
    return i;
}

/* A double as the shortest of %.15g and %.17g that reads back exactly; NA and NaN are
 * empty (missing), like write.csv(na = ""). */
static size_t put_double(char *out, double v)
{
    if (isnan(v))
        return 0;
    if (v >= 0 && v < 10 && v == (double)(int)v) { /* most answers: one digit */
        out[0] = (char)('0' + (int)v);
        return 1;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        return put_long(out, (long long)v);
    if (isinf(v)) {
        memcpy(out, v > 0 ? "Inf" : "-Inf", v > 0 ? 3 : 4);
        return v > 0 ? 3 : 4;
    }
    {
        int n = snprintf(out, 32, "%.15g", v);
        if (strtod(out, NULL) != v)
            n = snprintf(out, 32, "%.17g", v);
        return (size_t)n;
    }
}

static int put_cell(sink *k, SEXP col, int kind, R_xlen_t row, SEXP levels)
{
    if (grow(k, 40) < 0)
        return -1;
    switch (kind) {
    case RFSR_COL_DOUBLE:
        k->len += put_double(k->buf + k->len, REAL(col)[row]);
        return 0;
    case RFSR_COL_INTEGER: {
        int v = INTEGER(col)[row];
        if (v != NA_INTEGER)
            k->len += put_long(k->buf + k->len, v);
        return 0;
    }
    case RFSR_COL_LOGICAL: {
        int v = LOGICAL(col)[row];
        if (v != NA_LOGICAL) {
            memcpy(k->buf + k->len, v ? "TRUE" : "FALSE", v ? 4 : 5);
            k->len += v ? 4 : 5;
        }
        return 0;
    }
    case RFSR_COL_FACTOR: {
        int v = INTEGER(col)[row];
        if (v != NA_INTEGER && v >= 1 && v <= LENGTH(levels)) {
            const char *t = Rf_translateCharUTF8(STRING_ELT(levels, v - 1));
            return put_text(k, t, strlen(t));
        }
        return 0;
    }
    default: {
        SEXP e = STRING_ELT(col, row);
        if (e != NA_STRING) {
            const char *t = Rf_translateCharUTF8(e);
            return put_text(k, t, strlen(t));
        }
        return 0;
    }
    }
}

int rfsr_feed_frame(rfs_scorer *s, SEXP cols, SEXP names, SEXP kinds, int prescan, R_xlen_t max_rows,
                    rfs_error *err)
{
    sink k = {NULL, 0, 0, s, prescan, err, 0};
    R_xlen_t ncol = XLENGTH(cols), nrow = ncol ? XLENGTH(VECTOR_ELT(cols, 0)) : 0, r, j;
    const int *kind = INTEGER(kinds);
    SEXP *colv = (SEXP *)R_alloc((size_t)(ncol ? ncol : 1), sizeof(SEXP));
    SEXP *levels = (SEXP *)R_alloc((size_t)(ncol ? ncol : 1), sizeof(SEXP));
    int rc = 0;

    if (max_rows >= 0 && max_rows < nrow)
        nrow = max_rows;
    for (j = 0; j < ncol; j++) {
        colv[j] = VECTOR_ELT(cols, j);
        levels[j] = kind[j] == RFSR_COL_FACTOR ? Rf_getAttrib(colv[j], R_LevelsSymbol) : R_NilValue;
    }
    for (j = 0; j < ncol && rc == 0; j++) {
        const char *t = Rf_translateCharUTF8(STRING_ELT(names, j));
        if ((j && put_char(&k, ',') < 0) || put_text(&k, t, strlen(t)) < 0)
            rc = -1;
    }
    if (rc == 0)
        rc = put_char(&k, '\n');
    for (r = 0; r < nrow && rc == 0; r++) {
        size_t start = k.len;
        const void *vmax = vmaxget(); /* translateCharUTF8 may allocate per cell */
        for (j = 0; j < ncol && rc == 0; j++)
            rc = j && put_char(&k, ',') < 0 ? -1 : put_cell(&k, colv[j], kind[j], r, levels[j]);
        vmaxset(vmax);
        /* A one-column row left empty would be a blank line, which is no record. */
        if (rc == 0 && k.len == start)
            rc = put_char(&k, '"') < 0 || put_char(&k, '"') < 0 ? -1 : 0;
        if (rc == 0)
            rc = put_char(&k, '\n');
        if (rc == 0 && k.len >= CHUNK_BYTES)
            rc = flush(&k);
    }
    if (rc == 0)
        rc = flush(&k);
    if (rc < 0 && !k.failed && err->code == RFS_OK) {
        err->code = RFS_E_NOMEM;
        snprintf(err->message, sizeof err->message, "out of memory while writing the data frame as CSV");
    }
    free(k.buf);
    return rc;
}

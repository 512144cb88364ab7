/* The Python package's C glue around librfscore (compiled by cffi, see _build.py):
 *  - a DataFrame's columns (numpy buffers) -> CSV bytes, about 1 MiB at a time, into
 *    rfs_scorer_feed() or the duplicate-id pre-pass: never the whole CSV at once;
 *  - the library's CSV output -> typed C arrays as it arrives (doubles, int32 counts,
 *    int8 status and valid codes, dictionary-coded text), which Python wraps in numpy;
 *  - the first invalid-answer warnings, located, and their count.
 * Column types follow docs/output.md, as in the R package. Scoring is the library's. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rfscore.h>

/* ------------------------------------------------------------ input: columns -> CSV */

enum { RFSPY_IN_DOUBLE = 0, RFSPY_IN_INT64, RFSPY_IN_TEXT, RFSPY_IN_BOOL };

typedef struct rfspy_column {
    int kind;
    const double *dbl;             /* DOUBLE: NaN is missing */
    const long long *i64;          /* INT64 values; TEXT: dictionary codes, -1 missing */
    const unsigned char *b8;       /* BOOL values */
    const unsigned char *mask;     /* INT64, BOOL: 1 = missing; NULL = none */
    const char *text;              /* TEXT: the dictionary, entries back to back (UTF-8) */
    const long long *offsets;      /* TEXT: entry k is text[offsets[k] .. offsets[k + 1]) */
    long long n_text;              /* TEXT: entries */
} rfspy_column;

#define CHUNK_BYTES (1u << 20)

typedef struct sink {
    char *buf;
    size_t len, cap;
    rfs_scorer *s;
    int prescan, failed;
    rfs_error *err;
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
    rc = k->prescan ? rfs_scorer_prescan(k->s, k->buf, k->len, k->err) : rfs_scorer_feed(k->s, k->buf, k->len, k->err);
    k->len = 0;
    if (rc < 0)
        k->failed = 1;
    return rc;
}

static int put_char(sink *k, char c)
{
    if (grow(k, 1) < 0)
        return -1;
    k->buf[k->len++] = c;
    return 0;
}

/* Text, quoted when it holds a comma, a quote or a line break. */
static int put_text(sink *k, const char *t, size_t n)
{
    size_t i, quotes = 0;
    int quote = 0;

    for (i = 0; i < n; i++) {
        if (t[i] == ',' || t[i] == '\n' || t[i] == '\r')
            quote = 1;
        else if (t[i] == '"')
            quote = 1, quotes++;
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

static size_t put_long(char *out, long long v)
{
    char tmp[24];
    size_t n = 0, i = 0;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[i++] = '-';
    while (n)
        out[i++] = tmp[--n];
    return i;
}

/* Whole numbers without a decimal point ("4", as in the file they were read from), else
 * the shortest of %.15g, %.16g, %.17g that reads back exactly; NaN is empty (missing). */
static size_t put_double(char *out, double v)
{
    int n, digits;

    if (isnan(v))
        return 0;
    if (v >= 0 && v < 10 && v == (double)(int)v) { /* most answers: one digit */
        out[0] = (char)('0' + (int)v);
        return 1;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        return put_long(out, (long long)v);
    if (isinf(v)) {
        memcpy(out, v > 0 ? "inf" : "-inf", v > 0 ? 3 : 4);
        return v > 0 ? 3 : 4;
    }
    for (digits = 15;; digits++) {
        n = snprintf(out, 32, "%.*g", digits, v);
        if (digits == 17 || strtod(out, NULL) == v)
            return (size_t)n;
    }
}

static int put_cell(sink *k, const rfspy_column *c, size_t row)
{
    if (grow(k, 40) < 0)
        return -1;
    switch (c->kind) {
    case RFSPY_IN_DOUBLE:
        k->len += put_double(k->buf + k->len, c->dbl[row]);
        return 0;
    case RFSPY_IN_INT64:
        if (!c->mask || !c->mask[row])
            k->len += put_long(k->buf + k->len, c->i64[row]);
        return 0;
    case RFSPY_IN_BOOL:
        if (!c->mask || !c->mask[row]) {
            memcpy(k->buf + k->len, c->b8[row] ? "True" : "False", c->b8[row] ? 4 : 5);
            k->len += c->b8[row] ? 4 : 5;
        }
        return 0;
    default: {
        long long code = c->i64[row];
        if (code < 0 || code >= c->n_text)
            return 0;
        return put_text(k, c->text + c->offsets[code], (size_t)(c->offsets[code + 1] - c->offsets[code]));
    }
    }
}

/* header: the header line, already CSV (with its newline). Into rfs_scorer_feed(), or
 * rfs_scorer_prescan() when prescan is 1; prescan 2 feeds the header and the first 8 rows
 * only (a dry run). 0, or -1 with err set. */
int rfspy_feed_frame(rfs_scorer *s, const char *header, size_t header_len, const rfspy_column *cols, size_t ncol,
                     size_t nrow, int prescan, rfs_error *err)
{
    sink k = {NULL, 0, 0, s, prescan, 0, err};
    size_t r, j;
    int rc = grow(&k, header_len);

    if (prescan == 2) { /* the header and the first rows only, for a dry run */
        k.prescan = 0;
        if (nrow > 8)
            nrow = 8;
    }
    if (rc == 0) {
        memcpy(k.buf, header, header_len);
        k.len = header_len;
    }
    for (r = 0; r < nrow && rc == 0; r++) {
        size_t start = k.len;
        for (j = 0; j < ncol && rc == 0; j++)
            rc = j && put_char(&k, ',') < 0 ? -1 : put_cell(&k, &cols[j], r);
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

/* ------------------------------------------------------------ output: CSV -> arrays */

enum { RFSPY_OUT_TEXT = 0, RFSPY_OUT_DOUBLE, RFSPY_OUT_INTEGER, RFSPY_OUT_STATUS, RFSPY_OUT_LOGICAL, RFSPY_OUT_FLAGS,
       RFSPY_OUT_SKIP };

/* Text cells, dictionary-coded: codes[row] indexes the distinct values, which are stored
 * back to back, each followed by a NUL (the library never writes a NUL in a field), so
 * Python splits them in one call. */
typedef struct dict {
    char *text;
    size_t tlen, tcap;
    long long *offsets; /* n + 1: entry k is text[offsets[k] .. offsets[k + 1] - 1) */
    size_t n, ocap;
    long long *slots;   /* open addressing: entry + 1, 0 free */
    size_t nslots;
} dict;

typedef struct outcol {
    char *name;
    int kind;
    void *data; /* double, int32 (INT_MIN = NA), int8 (-1 = NA), int32 dictionary code (-1 = NA) */
    dict d;
} outcol;

typedef struct rfspy_out {
    const rfs_instrument *const *insts;
    const char *const *names; /* what each instrument is scored under: its id or an alias */
    size_t n_inst, n_keep;
    int row_numbers;          /* the first column is "row", the data row's number */
    char *field;
    size_t flen, fcap;
    int in_quotes, after_quote, field_started, header_done, failed;
    outcol *cols;
    size_t ncol, hcap, col, row, cap;
    /* warnings */
    char *warnings[10];
    size_t n_warnings;
    unsigned long long warning_count;
    int frame;
    char *skip;      /* names of columns the caller fills from its data frame, NUL-separated */
    size_t skip_len;
    char *text;      /* rfspy_out_write_text(): the output as it came */
    size_t text_len;
} rfspy_out;

static const char *const statuses[] = {"ok", "too_few_items", "component_not_scored"};

/* The output's numbers are the shortest text that reads back to the exact double (up to
 * 17 significant digits). strtod was half the cost of reading the output, so plain
 * decimals take a fast path: the digits as an integer m (< 2^64) divided by 10^k (exact
 * for k <= 27) in x87 extended precision, one correctly rounded operation; rounding that
 * to double is then exact unless the extended result sits exactly on a halfway point
 * between two doubles (its low 11 bits 10000000000), where strtod decides. Checked
 * against strtod on 15 million shortest and 17-digit forms of random doubles. */
#if defined(__x86_64__) && LDBL_MANT_DIG == 64
#define FAST_DECIMAL 1
static const long double pow10l_[] = {1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L,
                                       1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L,
                                       1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};
#endif

static double read_double(const char *f, size_t n, int *ok)
{
    char *end;
    double d;
#ifdef FAST_DECIMAL
    size_t i = 0, digits = 0, frac = 0;
    unsigned long long m = 0;
    int neg = 0, dot = 0, any = 0;

    if (i < n && (f[i] == '-' || f[i] == '+'))
        neg = f[i++] == '-';
    for (; i < n; i++) {
        char c = f[i];
        if (c >= '0' && c <= '9') {
            any = 1;
            if (m == 0 && c == '0') { /* leading zeros are not significant */
                if (dot)
                    frac++;
                continue;
            }
            if (++digits > 19)
                break;
            m = m * 10 + (unsigned long long)(c - '0');
            if (dot)
                frac++;
        } else if (c == '.' && !dot)
            dot = 1;
        else
            break;
    }
    if (i == n && any && frac <= 27) {
        long double q = (long double)m / pow10l_[frac];
        unsigned long long bits; /* x87 extended: the 64-bit significand comes first */
        memcpy(&bits, &q, sizeof bits);
        if ((bits & 0x7FF) != 0x400) {
            *ok = 1;
            d = (double)q;
            return neg ? -d : d;
        }
    }
#endif
    d = strtod(f, &end);
    *ok = n > 0 && *end == '\0';
    return d;
}

static int read_int(const char *f, size_t n, int *out)
{
    size_t i = 0;
    long long v = 0;
    int neg = 0;

    if (n && f[0] == '-')
        neg = 1, i = 1;
    if (i == n || n - i > 9)
        return 0;
    for (; i < n; i++) {
        if (f[i] < '0' || f[i] > '9')
            return 0;
        v = v * 10 + (f[i] - '0');
    }
    *out = (int)(neg ? -v : v);
    return 1;
}

/* insts and names (ids or aliases) are borrowed; n_keep columns after the first are text
 * (more key columns and kept columns); with row_numbers the first is an integer. */
rfspy_out *rfspy_out_new(const rfs_instrument *const *insts, const char *const *names, size_t n_inst, size_t n_keep,
                         int row_numbers, size_t rows_hint, int frame)
{
    rfspy_out *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->insts = insts;
    p->names = names;
    p->row_numbers = row_numbers;
    p->n_inst = n_inst;
    p->n_keep = n_keep;
    p->cap = rows_hint ? rows_hint : 1024;
    p->frame = frame;
    return p;
}

void rfspy_out_free(rfspy_out *p)
{
    size_t j;

    if (!p)
        return;
    for (j = 0; j < p->ncol; j++) {
        free(p->cols[j].name);
        free(p->cols[j].data);
        free(p->cols[j].d.text);
        free(p->cols[j].d.offsets);
        free(p->cols[j].d.slots);
    }
    for (j = 0; j < p->n_warnings; j++)
        free(p->warnings[j]);
    free(p->skip);
    free(p->text);
    free(p->cols);
    free(p->field);
    free(p);
}

static int kind_of(const rfspy_out *p, const char *name, size_t col)
{
    static const char *const doubles[] = {"irv", "even_odd", "synonyms", "antonyms"};
    size_t i, k, n;

    if (col == 0 && p->row_numbers)
        return RFSPY_OUT_INTEGER;
    if (col <= p->n_keep) {
        size_t at = 0;
        while (p->skip && at < p->skip_len) {
            if (strcmp(p->skip + at, name) == 0)
                return RFSPY_OUT_SKIP;
            at += strlen(p->skip + at) + 1;
        }
        return RFSPY_OUT_TEXT;
    }
    for (i = 0; i < p->n_inst; i++) {
        const char *id = p->names[i], *rest;
        n = strlen(id);
        if (strncmp(name, id, n) != 0 || name[n] != '_')
            continue;
        rest = name + n + 1;
        if (strcmp(rest, "valid") == 0)
            return RFSPY_OUT_LOGICAL;
        if (strcmp(rest, "flags") == 0)
            return RFSPY_OUT_FLAGS;
        if (strcmp(rest, "longstring") == 0)
            return RFSPY_OUT_INTEGER;
        for (k = 0; k < sizeof doubles / sizeof *doubles; k++)
            if (strcmp(rest, doubles[k]) == 0)
                return RFSPY_OUT_DOUBLE;
        for (k = 0; k < rfs_instrument_score_count(p->insts[i]); k++) {
            const char *sid = rfs_instrument_score_id(p->insts[i], k);
            size_t m = strlen(sid);
            if (strncmp(rest, sid, m) != 0)
                continue;
            if (rest[m] == '\0')
                return RFSPY_OUT_DOUBLE;
            if (strcmp(rest + m, "_n") == 0)
                return RFSPY_OUT_INTEGER;
            if (strcmp(rest + m, "_pomp") == 0) /* percent of maximum possible */
                return RFSPY_OUT_DOUBLE;
            if (strcmp(rest + m, "_status") == 0)
                return RFSPY_OUT_STATUS;
        }
    }
    return RFSPY_OUT_TEXT;
}

static size_t cell_size(int kind)
{
    return kind == RFSPY_OUT_DOUBLE ? sizeof(double) : kind == RFSPY_OUT_STATUS || kind == RFSPY_OUT_LOGICAL ? 1 : 4;
}

/* names: the data frame's column names, each followed by a NUL (copied). 0, or -1. */
int rfspy_out_skip(rfspy_out *p, const char *names, size_t len)
{
    free(p->skip);
    p->skip = malloc(len + 1);
    if (!p->skip)
        return -1;
    memcpy(p->skip, names, len);
    p->skip[len] = '\0';
    p->skip_len = len;
    return 0;
}

/* An rfs_write_fn that keeps the output as text (a dry run's); userdata is the rfspy_out. */
int rfspy_out_write_text(const char *data, size_t len, void *userdata)
{
    rfspy_out *p = userdata;
    char *t = realloc(p->text, p->text_len + len + 1);

    if (!t)
        return -1;
    memcpy(t + p->text_len, data, len);
    p->text_len += len;
    t[p->text_len] = '\0';
    p->text = t;
    return 0;
}

const char *rfspy_out_text(const rfspy_out *p) { return p->text ? p->text : ""; }

static int resize(rfspy_out *p, size_t cap)
{
    size_t j;

    for (j = 0; j < p->ncol; j++) {
        void *d;
        if (p->cols[j].kind == RFSPY_OUT_SKIP)
            continue;
        d = realloc(p->cols[j].data, (cap ? cap : 1) * cell_size(p->cols[j].kind));
        if (!d)
            return -1;
        p->cols[j].data = d;
    }
    p->cap = cap;
    return 0;
}

static unsigned long long hash(const char *s, size_t n)
{
    unsigned long long h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* The code of text s in d, adding it when new; -1 on no memory. */
static long long dict_code(dict *d, const char *s, size_t n)
{
    size_t i, mask;
    long long e;

    if ((d->n + 1) * 2 > d->nslots) { /* rehash at half full */
        size_t ns = d->nslots ? d->nslots * 2 : 64, k;
        long long *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return -1;
        for (k = 0; k < d->n; k++) {
            i = hash(d->text + d->offsets[k], (size_t)(d->offsets[k + 1] - d->offsets[k] - 1)) & (ns - 1);
            while (sl[i])
                i = (i + 1) & (ns - 1);
            sl[i] = (long long)k + 1;
        }
        free(d->slots);
        d->slots = sl;
        d->nslots = ns;
    }
    mask = d->nslots - 1;
    for (i = hash(s, n) & mask; (e = d->slots[i]) != 0; i = (i + 1) & mask) {
        size_t len = (size_t)(d->offsets[e] - d->offsets[e - 1] - 1);
        if (len == n && memcmp(d->text + d->offsets[e - 1], s, n) == 0)
            return e - 1;
    }
    if (d->n + 2 > d->ocap) {
        size_t oc = d->ocap ? d->ocap * 2 : 64;
        long long *o = realloc(d->offsets, oc * sizeof *o);
        if (!o)
            return -1;
        d->offsets = o;
        d->ocap = oc;
        if (d->n == 0)
            d->offsets[0] = 0;
    }
    if (d->tlen + n + 1 > d->tcap) {
        size_t tc = d->tcap ? d->tcap : 1024;
        char *t;
        while (tc < d->tlen + n + 1)
            tc *= 2;
        t = realloc(d->text, tc);
        if (!t)
            return -1;
        d->text = t;
        d->tcap = tc;
    }
    if (n)
        memcpy(d->text + d->tlen, s, n);
    d->tlen += n;
    d->text[d->tlen++] = '\0';
    d->offsets[d->n + 1] = (long long)d->tlen;
    d->slots[i] = (long long)d->n + 1;
    return (long long)d->n++;
}

static int header_field(rfspy_out *p)
{
    outcol *c;

    if (p->ncol == p->hcap) {
        size_t cap = p->hcap ? p->hcap * 2 : 64;
        outcol *n = realloc(p->cols, cap * sizeof *n);
        if (!n)
            return -1;
        p->cols = n;
        p->hcap = cap;
    }
    c = &p->cols[p->ncol];
    memset(c, 0, sizeof *c);
    c->name = malloc(p->flen + 1);
    if (!c->name)
        return -1;
    memcpy(c->name, p->field, p->flen);
    c->name[p->flen] = '\0';
    c->kind = kind_of(p, c->name, p->ncol);
    p->ncol++;
    return 0;
}

static int store(rfspy_out *p)
{
    outcol *c;
    const char *f = p->field;
    size_t n = p->flen;

    if (p->col >= p->ncol)
        return 0; /* the library writes rectangular output */
    c = &p->cols[p->col];
    p->field[n] = '\0';
    switch (c->kind) {
    case RFSPY_OUT_DOUBLE: {
        int ok = 0;
        double d = n ? read_double(f, n, &ok) : NAN;
        ((double *)c->data)[p->row] = ok ? d : NAN;
        return 0;
    }
    case RFSPY_OUT_INTEGER: {
        int v;
        ((int *)c->data)[p->row] = n && read_int(f, n, &v) ? v : INT_MIN;
        return 0;
    }
    case RFSPY_OUT_STATUS: {
        signed char v = -1, k;
        if (n == 2 && f[0] == 'o' && f[1] == 'k')
            v = 0;
        else
            for (k = 1; k < 3; k++)
                if (strcmp(f, statuses[k]) == 0)
                    v = k;
        ((signed char *)c->data)[p->row] = v;
        return 0;
    }
    case RFSPY_OUT_LOGICAL:
        ((signed char *)c->data)[p->row] = n == 1 && *f == '1' ? 1 : n == 1 && *f == '0' ? 0 : -1;
        return 0;
    case RFSPY_OUT_SKIP:
        return 0;
    default: {
        long long code = n || c->kind == RFSPY_OUT_FLAGS ? dict_code(&c->d, f, n) : -1;
        if (code < -1 || (code == -1 && (n || c->kind == RFSPY_OUT_FLAGS)))
            return -1;
        ((int *)c->data)[p->row] = (int)code;
        return 0;
    }
    }
}

static int end_field(rfspy_out *p)
{
    if (!p->header_done) {
        if (header_field(p) < 0)
            return -1;
    } else {
        if (p->col == 0 && p->row == p->cap && resize(p, p->cap * 2) < 0)
            return -1;
        if (store(p) < 0)
            return -1;
    }
    p->col++;
    p->flen = 0;
    p->in_quotes = p->after_quote = p->field_started = 0;
    return 0;
}

static int end_record(rfspy_out *p)
{
    if (end_field(p) < 0)
        return -1;
    if (!p->header_done) {
        p->header_done = 1;
        if (resize(p, p->cap) < 0)
            return -1;
    } else
        p->row++;
    p->col = 0;
    return 0;
}

/* Room for more bytes and a NUL in the field being read. */
static int field_room(rfspy_out *p, size_t more)
{
    if (p->flen + more + 2 > p->fcap) {
        size_t cap = p->fcap ? p->fcap : 256;
        char *f;
        while (cap < p->flen + more + 2)
            cap *= 2;
        f = realloc(p->field, cap);
        if (!f) {
            p->failed = 1;
            return -1;
        }
        p->field = f;
        p->fcap = cap;
    }
    return 0;
}

/* An rfs_write_fn; userdata is the rfspy_out. */
int rfspy_out_write(const char *data, size_t len, void *userdata)
{
    rfspy_out *p = userdata;
    size_t i = 0;

    if (p->failed)
        return -1;
    while (i < len && !p->failed) {
        char c;
        if (!p->in_quotes && !p->after_quote) { /* plain bytes up to the next , " \n \r */
            size_t j = i;
            while (j < len && data[j] != ',' && data[j] != '\n' && data[j] != '"' && data[j] != '\r')
                j++;
            if (j > i) {
                if (field_room(p, j - i) < 0)
                    break;
                memcpy(p->field + p->flen, data + i, j - i);
                p->flen += j - i;
                i = j;
                if (i == len)
                    break;
            }
        }
        if (field_room(p, 1) < 0)
            break;
        c = data[i++];
        if (p->in_quotes) {
            if (c == '"')
                p->in_quotes = 0, p->after_quote = 1;
            else
                p->field[p->flen++] = c;
        } else if (c == '"') {
            if (p->after_quote)
                p->field[p->flen++] = '"';
            p->in_quotes = 1;
            p->after_quote = 0;
            p->field_started = 1;
        } else if (c == ',') {
            if (end_field(p) < 0)
                p->failed = 1;
        } else if (c == '\n') {
            if ((p->col > 0 || p->flen > 0 || p->field_started) && end_record(p) < 0)
                p->failed = 1;
        } else if (c != '\r') {
            p->field[p->flen++] = c;
            p->after_quote = 0;
        }
    }
    return p->failed ? -1 : 0;
}

int rfspy_write_null(const char *data, size_t len, void *userdata)
{
    (void)data;
    (void)len;
    (void)userdata;
    return 0;
}

/* An rfs_problem_fn for invalid answers; userdata is the rfspy_out. */
void rfspy_out_warn(const rfs_error *e, void *userdata)
{
    rfspy_out *p = userdata;
    char line[1024];

    p->warning_count++;
    if (p->n_warnings < sizeof p->warnings / sizeof *p->warnings) {
        if (p->frame)
            snprintf(line, sizeof line, "row %lu: %s", e->line - 1, e->message);
        else
            snprintf(line, sizeof line, "%s:%lu:%lu: %s", e->file, e->line, e->column, e->message);
        if ((p->warnings[p->n_warnings] = strdup(line)) != NULL)
            p->n_warnings++;
    }
}

size_t rfspy_out_ncol(const rfspy_out *p) { return p->ncol; }
size_t rfspy_out_nrow(const rfspy_out *p) { return p->row; }
const char *rfspy_out_name(const rfspy_out *p, size_t j) { return p->cols[j].name; }
int rfspy_out_kind(const rfspy_out *p, size_t j) { return p->cols[j].kind; }
void *rfspy_out_data(const rfspy_out *p, size_t j) { return p->cols[j].data; }
size_t rfspy_out_dict_size(const rfspy_out *p, size_t j) { return p->cols[j].d.n; }
const char *rfspy_out_dict_text(const rfspy_out *p, size_t j) { return p->cols[j].d.text ? p->cols[j].d.text : ""; }
const long long *rfspy_out_dict_offsets(const rfspy_out *p, size_t j) { return p->cols[j].d.offsets; }
size_t rfspy_out_warning_count(const rfspy_out *p, size_t *shown) { *shown = p->n_warnings; return (size_t)p->warning_count; }
const char *rfspy_out_warning(const rfspy_out *p, size_t i) { return p->warnings[i]; }

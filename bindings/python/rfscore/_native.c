/* The Python package's C glue around librfscore (compiled by cffi, see _build.py):
 *  - a DataFrame's columns (numpy buffers) -> CSV bytes, about 1 MiB at a time, into
 *    rfs_scorer_feed() or the duplicate-id pre-pass: never the whole CSV at once;
 *  - the library's CSV output -> typed C arrays as it arrives (doubles, int32 counts,
 *    int8 status and valid codes, dictionary-coded text), which Python wraps in numpy;
 *  - the first invalid-answer warnings, located, and their count.
 * Column types follow docs/output.md, as in the R package. Scoring is the library's. */
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

static int grow(sink *k, size_t more)
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

/* header: the header line, already CSV (with its newline). 0, or -1 with err set. */
int rfspy_feed_frame(rfs_scorer *s, const char *header, size_t header_len, const rfspy_column *cols, size_t ncol,
                     size_t nrow, int prescan, rfs_error *err)
{
    sink k = {NULL, 0, 0, s, prescan, 0, err};
    size_t r, j;
    int rc = grow(&k, header_len);

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

enum { RFSPY_OUT_TEXT = 0, RFSPY_OUT_DOUBLE, RFSPY_OUT_INTEGER, RFSPY_OUT_STATUS, RFSPY_OUT_LOGICAL, RFSPY_OUT_FLAGS };

/* Text cells, dictionary-coded: codes[row] indexes the distinct values. */
typedef struct dict {
    char *text;
    size_t tlen, tcap;
    long long *offsets; /* n + 1 */
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
    size_t n_inst, n_keep;
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
} rfspy_out;

static const char *const statuses[] = {"ok", "too_few_items", "component_not_scored"};

rfspy_out *rfspy_out_new(const rfs_instrument *const *insts, size_t n_inst, size_t n_keep, size_t rows_hint, int frame)
{
    rfspy_out *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->insts = insts;
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
    free(p->cols);
    free(p->field);
    free(p);
}

static int kind_of(const rfspy_out *p, const char *name, size_t col)
{
    static const char *const doubles[] = {"irv", "even_odd", "synonyms", "antonyms"};
    size_t i, k, n;

    if (col <= p->n_keep)
        return RFSPY_OUT_TEXT;
    for (i = 0; i < p->n_inst; i++) {
        const char *id = rfs_instrument_id(p->insts[i]), *rest;
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

static int resize(rfspy_out *p, size_t cap)
{
    size_t j;

    for (j = 0; j < p->ncol; j++) {
        void *d = realloc(p->cols[j].data, (cap ? cap : 1) * cell_size(p->cols[j].kind));
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
            i = hash(d->text + d->offsets[k], (size_t)(d->offsets[k + 1] - d->offsets[k])) & (ns - 1);
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
        size_t len = (size_t)(d->offsets[e] - d->offsets[e - 1]);
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
    if (d->tlen + n > d->tcap) {
        size_t tc = d->tcap ? d->tcap : 1024;
        char *t;
        while (tc < d->tlen + n)
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
    char *end;

    if (p->col >= p->ncol)
        return 0; /* the library writes rectangular output */
    c = &p->cols[p->col];
    p->field[n] = '\0';
    switch (c->kind) {
    case RFSPY_OUT_DOUBLE: {
        double d = n ? strtod(f, &end) : NAN;
        ((double *)c->data)[p->row] = n && *end ? NAN : d;
        return 0;
    }
    case RFSPY_OUT_INTEGER: {
        long l = n ? strtol(f, &end, 10) : 0;
        ((int *)c->data)[p->row] = !n || *end ? INT_MIN : (int)l;
        return 0;
    }
    case RFSPY_OUT_STATUS: {
        signed char v = -1, k;
        for (k = 0; k < 3; k++)
            if (strcmp(f, statuses[k]) == 0)
                v = k;
        ((signed char *)c->data)[p->row] = v;
        return 0;
    }
    case RFSPY_OUT_LOGICAL:
        ((signed char *)c->data)[p->row] = n == 1 && *f == '1' ? 1 : n == 1 && *f == '0' ? 0 : -1;
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

/* An rfs_write_fn; userdata is the rfspy_out. */
int rfspy_out_write(const char *data, size_t len, void *userdata)
{
    rfspy_out *p = userdata;
    size_t i;

    if (p->failed)
        return -1;
    for (i = 0; i < len && !p->failed; i++) {
        char c = data[i];
        if (p->flen + 2 > p->fcap) {
            size_t cap = p->fcap ? p->fcap * 2 : 256;
            char *f = realloc(p->field, cap);
            if (!f) {
                p->failed = 1;
                break;
            }
            p->field = f;
            p->fcap = cap;
        }
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

/* The library's CSV output -> typed R vectors, parsed as the bytes arrive (so the text
 * of the output is never held whole). Column types come from the names documented in
 * docs/output.md: <inst>_<score> double, _n integer, _status a factor code, the indices
 * (_longstring integer, _irv, _even_odd, _synonyms, _antonyms double), _valid logical,
 * _flags text ("" when none); the id and the kept columns are text. */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glue.h"

struct rfsr_parser {
    const rfs_instrument *const *insts;
    size_t n_inst, n_keep;
    SEXP inst_names; /* the name each instrument is scored under (its id, or an alias) */
    int row_numbers; /* the first column is "row", the data row's number */
    /* the field being read */
    char *field;
    size_t flen, fcap;
    int in_quotes, after_quote, field_started;
    /* the header, then the rows */
    int header_done;
    size_t col, ncol, hcap;
    char **hnames;
    int *kinds;
    R_xlen_t row, cap;
    SEXP cols; /* preserved VECSXP, one vector per column */
    SEXP skip; /* the data frame's names: its id and kept columns are taken from it */
    int failed;
};

static const char *const statuses[] = {"ok", "too_few_items", "component_not_scored"};

/* (The same number reading as the Python package's rfscore/_native.c.) */
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

rfsr_parser *rfsr_parser_new(const rfs_instrument *const *insts, SEXP inst_names, size_t n_inst, size_t n_keep,
                             int row_numbers, R_xlen_t rows_hint, SEXP skip)
{
    rfsr_parser *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->insts = insts;
    p->n_inst = n_inst;
    p->n_keep = n_keep;
    p->inst_names = inst_names;
    p->row_numbers = row_numbers;
    p->cap = rows_hint > 0 ? rows_hint : 1024;
    p->cols = R_NilValue;
    p->skip = skip;
    return p;
}

void rfsr_parser_free(rfsr_parser *p)
{
    size_t j;

    if (!p)
        return;
    if (p->cols != R_NilValue)
        R_ReleaseObject(p->cols);
    for (j = 0; j < p->ncol; j++)
        free(p->hnames[j]);
    free(p->hnames);
    free(p->kinds);
    free(p->field);
    free(p);
}

/* name is "<inst>_<rest>": what rest makes it. */
static int kind_of(const rfsr_parser *p, const char *name, size_t col)
{
    static const char *const doubles[] = {"irv", "even_odd", "synonyms", "antonyms"};
    size_t i, k, n;

    if (col == 0 && p->row_numbers)
        return RFSR_OUT_INTEGER;
    if (col <= p->n_keep) {
        R_xlen_t j;
        for (j = 0; !Rf_isNull(p->skip) && j < XLENGTH(p->skip); j++)
            if (strcmp(name, CHAR(STRING_ELT(p->skip, j))) == 0)
                return RFSR_OUT_SKIP;
        return RFSR_OUT_TEXT;
    }
    for (i = 0; i < p->n_inst; i++) {
        const char *id = CHAR(STRING_ELT(p->inst_names, (R_xlen_t)i)), *rest;
        n = strlen(id);
        if (strncmp(name, id, n) != 0 || name[n] != '_')
            continue;
        rest = name + n + 1;
        if (strcmp(rest, "valid") == 0)
            return RFSR_OUT_LOGICAL;
        if (strcmp(rest, "flags") == 0)
            return RFSR_OUT_FLAGS;
        if (strcmp(rest, "longstring") == 0)
            return RFSR_OUT_INTEGER;
        for (k = 0; k < sizeof doubles / sizeof *doubles; k++)
            if (strcmp(rest, doubles[k]) == 0)
                return RFSR_OUT_DOUBLE;
        for (k = 0; k < rfs_instrument_score_count(p->insts[i]); k++) {
            const char *sid = rfs_instrument_score_id(p->insts[i], k);
            size_t m = strlen(sid);
            if (strncmp(rest, sid, m) != 0)
                continue;
            if (rest[m] == '\0')
                return RFSR_OUT_DOUBLE;
            if (strcmp(rest + m, "_n") == 0)
                return RFSR_OUT_INTEGER;
            if (strcmp(rest + m, "_pomp") == 0) /* percent of maximum possible */
                return RFSR_OUT_DOUBLE;
            if (strcmp(rest + m, "_status") == 0)
                return RFSR_OUT_STATUS;
        }
    }
    return RFSR_OUT_TEXT;
}

static SEXPTYPE sexptype(int kind)
{
    switch (kind) {
    case RFSR_OUT_DOUBLE:
        return REALSXP;
    case RFSR_OUT_INTEGER:
    case RFSR_OUT_STATUS:
        return INTSXP;
    case RFSR_OUT_LOGICAL:
        return LGLSXP;
    case RFSR_OUT_SKIP:
        return LGLSXP; /* length 0: filled in from the data frame */
    default:
        return STRSXP;
    }
}

static void start_rows(rfsr_parser *p)
{
    size_t j;

    p->cols = Rf_allocVector(VECSXP, (R_xlen_t)p->ncol);
    R_PreserveObject(p->cols);
    for (j = 0; j < p->ncol; j++)
        SET_VECTOR_ELT(p->cols, (R_xlen_t)j,
                       Rf_allocVector(sexptype(p->kinds[j]), p->kinds[j] == RFSR_OUT_SKIP ? 0 : p->cap));
}

static void grow_rows(rfsr_parser *p)
{
    size_t j;

    p->cap *= 2;
    for (j = 0; j < p->ncol; j++)
        if (p->kinds[j] != RFSR_OUT_SKIP)
            SET_VECTOR_ELT(p->cols, (R_xlen_t)j, Rf_xlengthgets(VECTOR_ELT(p->cols, (R_xlen_t)j), p->cap));
}

static int header_field(rfsr_parser *p)
{
    if (p->ncol == p->hcap) {
        size_t cap = p->hcap ? p->hcap * 2 : 64;
        char **h = realloc(p->hnames, cap * sizeof *h);
        int *k;
        if (!h)
            return -1;
        p->hnames = h;
        k = realloc(p->kinds, cap * sizeof *k);
        if (!k)
            return -1;
        p->kinds = k;
        p->hcap = cap;
    }
    p->hnames[p->ncol] = malloc(p->flen + 1);
    if (!p->hnames[p->ncol])
        return -1;
    memcpy(p->hnames[p->ncol], p->field, p->flen);
    p->hnames[p->ncol][p->flen] = '\0';
    p->kinds[p->ncol] = kind_of(p, p->hnames[p->ncol], p->ncol);
    p->ncol++;
    return 0;
}

static void store(rfsr_parser *p)
{
    SEXP v;
    const char *f = p->field;
    size_t n = p->flen;

    if (p->col >= p->ncol)
        return; /* the library writes rectangular output; ignore anything else */
    v = VECTOR_ELT(p->cols, (R_xlen_t)p->col);
    p->field[n] = '\0';
    switch (p->kinds[p->col]) {
    case RFSR_OUT_DOUBLE: {
        int ok = 0;
        double d = n ? read_double(f, n, &ok) : NA_REAL;
        REAL(v)[p->row] = ok ? d : NA_REAL;
        break;
    }
    case RFSR_OUT_INTEGER: {
        int i;
        INTEGER(v)[p->row] = n && read_int(f, n, &i) ? i : NA_INTEGER;
        break;
    }
    case RFSR_OUT_SKIP:
        break;
    case RFSR_OUT_STATUS: {
        size_t k;
        INTEGER(v)[p->row] = n == 2 && f[0] == 'o' && f[1] == 'k' ? 1 : NA_INTEGER;
        for (k = 1; k < 3 && n != 2; k++)
            if (strcmp(f, statuses[k]) == 0)
                INTEGER(v)[p->row] = (int)k + 1;
        break;
    }
    case RFSR_OUT_LOGICAL:
        LOGICAL(v)[p->row] = n == 1 && *f == '1' ? TRUE : n == 1 && *f == '0' ? FALSE : NA_LOGICAL;
        break;
    case RFSR_OUT_FLAGS:
        SET_STRING_ELT(v, p->row, Rf_mkCharLenCE(f, (int)n, CE_UTF8));
        break;
    default:
        SET_STRING_ELT(v, p->row, n ? Rf_mkCharLenCE(f, (int)n, CE_UTF8) : NA_STRING);
    }
}

static int end_field(rfsr_parser *p)
{
    if (!p->header_done) {
        if (header_field(p) < 0)
            return -1;
    } else {
        if (p->col == 0 && p->row == p->cap)
            grow_rows(p);
        store(p);
    }
    p->col++;
    p->flen = 0;
    p->in_quotes = p->after_quote = p->field_started = 0;
    return 0;
}

static int end_record(rfsr_parser *p)
{
    if (end_field(p) < 0)
        return -1;
    if (!p->header_done) {
        p->header_done = 1;
        start_rows(p);
    } else
        p->row++;
    p->col = 0;
    return 0;
}

/* Room for more bytes and a NUL in the field being read. */
static int field_room(rfsr_parser *p, size_t more)
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

int rfsr_parser_write(const char *data, size_t len, void *userdata)
{
    rfsr_parser *p = userdata;
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
            if (p->after_quote) /* "" inside quotes */
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

SEXP rfsr_parser_result(rfsr_parser *p)
{
    SEXP out, names, kinds;
    size_t j;

    if (p->cols == R_NilValue) { /* no output at all (the run failed before the header) */
        out = PROTECT(Rf_allocVector(VECSXP, 0));
        UNPROTECT(1);
        return out;
    }
    out = PROTECT(Rf_allocVector(VECSXP, (R_xlen_t)p->ncol));
    names = PROTECT(Rf_allocVector(STRSXP, (R_xlen_t)p->ncol));
    kinds = PROTECT(Rf_allocVector(INTSXP, (R_xlen_t)p->ncol));
    for (j = 0; j < p->ncol; j++) {
        SEXP v = VECTOR_ELT(p->cols, (R_xlen_t)j);
        SET_VECTOR_ELT(out, (R_xlen_t)j,
                       XLENGTH(v) == p->row || p->kinds[j] == RFSR_OUT_SKIP ? v : Rf_xlengthgets(v, p->row));
        SET_STRING_ELT(names, (R_xlen_t)j, Rf_mkCharCE(p->hnames[j], CE_UTF8));
        INTEGER(kinds)[j] = p->kinds[j];
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    Rf_setAttrib(out, Rf_install("kinds"), kinds);
    UNPROTECT(3);
    return out;
}

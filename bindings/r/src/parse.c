/* The library's CSV output -> typed R vectors, parsed as the bytes arrive (so the text
 * of the output is never held whole). Column types come from the names documented in
 * docs/output.md: <inst>_<score> double, _n integer, _status a factor code, the indices
 * (_longstring integer, _irv, _even_odd, _synonyms, _antonyms double), _valid logical,
 * _flags text ("" when none); the id and the kept columns are text. */
#include <stdlib.h>
#include <string.h>

#include "glue.h"

struct rfsr_parser {
    const rfs_instrument *const *insts;
    size_t n_inst, n_keep;
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
    int failed;
};

static const char *const statuses[] = {"ok", "too_few_items", "component_not_scored"};

rfsr_parser *rfsr_parser_new(const rfs_instrument *const *insts, size_t n_inst, size_t n_keep, R_xlen_t rows_hint)
{
    rfsr_parser *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    p->insts = insts;
    p->n_inst = n_inst;
    p->n_keep = n_keep;
    p->cap = rows_hint > 0 ? rows_hint : 1024;
    p->cols = R_NilValue;
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

    if (col <= p->n_keep)
        return RFSR_OUT_TEXT;
    for (i = 0; i < p->n_inst; i++) {
        const char *id = rfs_instrument_id(p->insts[i]), *rest;
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
        SET_VECTOR_ELT(p->cols, (R_xlen_t)j, Rf_allocVector(sexptype(p->kinds[j]), p->cap));
}

static void grow_rows(rfsr_parser *p)
{
    size_t j;

    p->cap *= 2;
    for (j = 0; j < p->ncol; j++)
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
    char *end;

    if (p->col >= p->ncol)
        return; /* the library writes rectangular output; ignore anything else */
    v = VECTOR_ELT(p->cols, (R_xlen_t)p->col);
    p->field[n] = '\0';
    switch (p->kinds[p->col]) {
    case RFSR_OUT_DOUBLE: {
        double d = n ? strtod(f, &end) : NA_REAL;
        REAL(v)[p->row] = n && *end ? NA_REAL : d;
        break;
    }
    case RFSR_OUT_INTEGER: {
        long l = n ? strtol(f, &end, 10) : 0;
        INTEGER(v)[p->row] = !n || *end ? NA_INTEGER : (int)l;
        break;
    }
    case RFSR_OUT_STATUS: {
        size_t k;
        INTEGER(v)[p->row] = NA_INTEGER;
        for (k = 0; k < 3; k++)
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

int rfsr_parser_write(const char *data, size_t len, void *userdata)
{
    rfsr_parser *p = userdata;
    size_t i;

    if (p->failed)
        return -1;
    for (i = 0; i < len; i++) {
        char c = data[i];
        if (p->flen + 2 > p->fcap) {
            size_t cap = p->fcap ? p->fcap * 2 : 256;
            char *f = realloc(p->field, cap);
            if (!f) {
                p->failed = 1;
                return -1;
            }
            p->field = f;
            p->fcap = cap;
        }
        if (p->in_quotes) {
            if (c == '"') {
                p->in_quotes = 0;
                p->after_quote = 1;
            } else
                p->field[p->flen++] = c;
            continue;
        }
        if (c == '"') {
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
        if (p->failed)
            return -1;
    }
    return 0;
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
        SET_VECTOR_ELT(out, (R_xlen_t)j, XLENGTH(v) == p->row ? v : Rf_xlengthgets(v, p->row));
        SET_STRING_ELT(names, (R_xlen_t)j, Rf_mkCharCE(p->hnames[j], CE_UTF8));
        INTEGER(kinds)[j] = p->kinds[j];
    }
    Rf_setAttrib(out, R_NamesSymbol, names);
    Rf_setAttrib(out, Rf_install("kinds"), kinds);
    UNPROTECT(3);
    return out;
}

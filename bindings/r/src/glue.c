/* .Call entry points: instrument metadata, codebook, and one scoring run (a data.frame
 * or a file through an rfs_scorer). Library errors come back as a list (code, file,
 * line, column, message) that R turns into a condition, so nothing here longjmps over
 * the library's frames; the scorer and instruments hang on an external pointer whose
 * finalizer frees them if R itself fails (out of memory). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <R_ext/Rdynload.h>

#include "glue.h"

#define MAX_WARNINGS 10

typedef struct run {
    rfs_scorer *s;
    rfs_instrument **insts;
    size_t n_inst;
    rfsr_parser *parser;
    FILE *in;
    /* the first invalid answers, located; the rest counted */
    char *warnings[MAX_WARNINGS];
    size_t n_warnings;
    double warning_count;
    int frame; /* the input is a data.frame: line n of its CSV is row n - 1 */
    char *dry;  /* a dry run's output */
    size_t dry_len;
} run;

static void run_free(run *r)
{
    size_t i;

    if (!r)
        return;
    rfs_scorer_free(r->s);
    for (i = 0; i < r->n_inst; i++)
        rfs_instrument_free(r->insts[i]);
    free(r->insts);
    rfsr_parser_free(r->parser);
    if (r->in)
        fclose(r->in);
    for (i = 0; i < r->n_warnings; i++)
        free(r->warnings[i]);
    free(r->dry);
    free(r);
}

static void run_finalize(SEXP ptr)
{
    run_free(R_ExternalPtrAddr(ptr));
    R_ClearExternalPtr(ptr);
}

static SEXP error_value(const rfs_error *e)
{
    const char *names[] = {"code", "file", "line", "column", "message", ""};
    SEXP v = PROTECT(Rf_mkNamed(VECSXP, names));

    SET_VECTOR_ELT(v, 0, Rf_mkString(rfs_status_text(e->code)));
    SET_VECTOR_ELT(v, 1, Rf_ScalarString(Rf_mkCharCE(e->file, CE_UTF8)));
    SET_VECTOR_ELT(v, 2, Rf_ScalarReal((double)e->line));
    SET_VECTOR_ELT(v, 3, Rf_ScalarReal((double)e->column));
    SET_VECTOR_ELT(v, 4, Rf_ScalarString(Rf_mkCharCE(e->message[0] ? e->message : rfs_status_text(e->code), CE_UTF8)));
    UNPROTECT(1);
    return v;
}

static SEXP error_result(const rfs_error *e)
{
    const char *names[] = {"error", ""};
    SEXP v = PROTECT(Rf_mkNamed(VECSXP, names));

    SET_VECTOR_ELT(v, 0, error_value(e));
    UNPROTECT(1);
    return v;
}

static const char *str_arg(SEXP x) /* NULL for NULL, NA or a zero-length vector */
{
    if (Rf_isNull(x) || !Rf_isString(x) || XLENGTH(x) == 0 || STRING_ELT(x, 0) == NA_STRING)
        return NULL;
    return Rf_translateCharUTF8(STRING_ELT(x, 0));
}

static SEXP opt(SEXP opts, const char *name)
{
    SEXP names = Rf_getAttrib(opts, R_NamesSymbol);
    R_xlen_t i;

    for (i = 0; i < XLENGTH(opts); i++)
        if (strcmp(CHAR(STRING_ELT(names, i)), name) == 0)
            return VECTOR_ELT(opts, i);
    return R_NilValue;
}

static SEXP text_or_null(char *t)
{
    SEXP v;

    if (!t)
        return R_NilValue;
    v = Rf_ScalarString(Rf_mkCharCE(t, CE_UTF8));
    free(t);
    return v;
}

/* rfscore:::instrument_info(paths): one list per definition: id, name, ..., items, scores. */
SEXP rfsr_instrument_info(SEXP paths)
{
    const char *names[] = {"id", "name", "version", "citation", "doi", "license", "path", "sha256",
                           "items", "scores", "describe", ""};
    R_xlen_t i, n = XLENGTH(paths);
    SEXP out = PROTECT(Rf_allocVector(VECSXP, n));

    for (i = 0; i < n; i++) {
        rfs_error err;
        rfs_instrument *inst;
        SEXP v, items, scores;
        size_t k;

        rfs_error_clear(&err);
        inst = rfs_instrument_load(Rf_translateCharUTF8(STRING_ELT(paths, i)), &err);
        if (!inst) {
            SET_VECTOR_ELT(out, i, error_result(&err));
            continue;
        }
        v = PROTECT(Rf_mkNamed(VECSXP, names));
        SET_VECTOR_ELT(v, 0, Rf_mkString(rfs_instrument_id(inst)));
        SET_VECTOR_ELT(v, 1, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_name(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 2, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_version(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 3, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_citation(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 4, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_doi(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 5, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_license(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 6, Rf_ScalarString(Rf_mkCharCE(rfs_instrument_path(inst), CE_UTF8)));
        SET_VECTOR_ELT(v, 7, Rf_mkString(rfs_instrument_sha256(inst)));
        items = Rf_allocVector(STRSXP, (R_xlen_t)rfs_instrument_item_count(inst));
        SET_VECTOR_ELT(v, 8, items);
        for (k = 0; k < rfs_instrument_item_count(inst); k++)
            SET_STRING_ELT(items, (R_xlen_t)k, Rf_mkCharCE(rfs_instrument_item_column(inst, k + 1), CE_UTF8));
        scores = Rf_allocVector(STRSXP, (R_xlen_t)rfs_instrument_score_count(inst));
        SET_VECTOR_ELT(v, 9, scores);
        for (k = 0; k < rfs_instrument_score_count(inst); k++)
            SET_STRING_ELT(scores, (R_xlen_t)k, Rf_mkCharCE(rfs_instrument_score_id(inst, k), CE_UTF8));
        SET_VECTOR_ELT(v, 10, text_or_null(rfs_instrument_describe(inst)));
        SET_VECTOR_ELT(out, i, v);
        UNPROTECT(1);
        rfs_instrument_free(inst);
    }
    UNPROTECT(1);
    return out;
}

/* rfscore:::codebook_text(paths, format): the data dictionary as text. */
SEXP rfsr_codebook(SEXP paths, SEXP format)
{
    R_xlen_t i, n = XLENGTH(paths);
    rfs_instrument **insts = (rfs_instrument **)R_alloc((size_t)(n ? n : 1), sizeof *insts);
    rfs_error err;
    SEXP out;
    char *text;

    rfs_error_clear(&err);
    for (i = 0; i < n; i++) {
        insts[i] = rfs_instrument_load(Rf_translateCharUTF8(STRING_ELT(paths, i)), &err);
        if (!insts[i]) {
            while (i--)
                rfs_instrument_free(insts[i]);
            return error_result(&err);
        }
    }
    text = rfs_codebook((const rfs_instrument *const *)insts, (size_t)n, CHAR(STRING_ELT(format, 0)));
    for (i = 0; i < n; i++)
        rfs_instrument_free(insts[i]);
    if (!text) {
        err.code = RFS_E_USAGE;
        snprintf(err.message, sizeof err.message, "codebook format '%s': expected markdown, csv or redcap",
                 CHAR(STRING_ELT(format, 0)));
        return error_result(&err);
    }
    out = PROTECT(text_or_null(text));
    UNPROTECT(1);
    return out;
}

static void on_warning(const rfs_error *e, void *ud)
{
    run *r = ud;
    char line[1024];

    r->warning_count++;
    if (r->n_warnings < MAX_WARNINGS) {
        if (r->frame)
            snprintf(line, sizeof line, "row %lu: %s", e->line - 1, e->message);
        else
            snprintf(line, sizeof line, "%s:%lu:%lu: %s", e->file, e->line, e->column, e->message);
        r->warnings[r->n_warnings] = strdup(line);
        if (r->warnings[r->n_warnings])
            r->n_warnings++;
    }
}

static int write_null(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

static int write_dry(const char *data, size_t len, void *ud)
{
    run *r = ud;
    char *t = realloc(r->dry, r->dry_len + len + 1);

    if (!t)
        return -1;
    memcpy(t + r->dry_len, data, len);
    r->dry_len += len;
    t[r->dry_len] = '\0';
    r->dry = t;
    return 0;
}

/* Everything the options list asks for, before the first byte. */
static int configure(run *r, SEXP opts, rfs_error *err)
{
    SEXP v, prefix = opt(opts, "prefix"), suffix = opt(opts, "suffix"), map = opt(opts, "map");
    R_xlen_t i;
    size_t k;

    for (k = 0; k < r->n_inst; k++) {
        const char *p = Rf_isNull(prefix) || STRING_ELT(prefix, (R_xlen_t)k) == NA_STRING
                            ? NULL : Rf_translateCharUTF8(STRING_ELT(prefix, (R_xlen_t)k));
        const char *s = Rf_isNull(suffix) || STRING_ELT(suffix, (R_xlen_t)k) == NA_STRING
                            ? NULL : Rf_translateCharUTF8(STRING_ELT(suffix, (R_xlen_t)k));
        SEXP as = opt(opts, "as");
        if (rfs_scorer_add_instrument(r->s, r->insts[k], err) < 0 ||
            rfs_scorer_set_columns(r->s, r->insts[k], p, s, err) < 0)
            return -1;
        if (!Rf_isNull(as) && STRING_ELT(as, (R_xlen_t)k) != NA_STRING &&
            rfs_scorer_set_instrument_name(r->s, r->insts[k], CHAR(STRING_ELT(as, (R_xlen_t)k)), err) < 0)
            return -1;
        if (!Rf_isNull(map) && !Rf_isNull(VECTOR_ELT(map, (R_xlen_t)k))) {
            SEXP m = VECTOR_ELT(map, (R_xlen_t)k), items = VECTOR_ELT(m, 0), columns = VECTOR_ELT(m, 1);
            for (i = 0; i < XLENGTH(items); i++)
                if (rfs_scorer_map_item(r->s, r->insts[k], (size_t)INTEGER(items)[i],
                                        Rf_translateCharUTF8(STRING_ELT(columns, i)), err) < 0)
                    return -1;
        }
    }
    v = opt(opts, "id");
    for (i = 0; !Rf_isNull(v) && i < XLENGTH(v); i++)
        if ((i == 0 ? rfs_scorer_set_id_column : rfs_scorer_add_id_column)(r->s, Rf_translateCharUTF8(STRING_ELT(v, i)),
                                                                         err) < 0)
            return -1;
    if (Rf_asLogical(opt(opts, "row_numbers")) == TRUE && rfs_scorer_set_row_numbers(r->s, 1, err) < 0)
        return -1;
    v = opt(opts, "where");
    for (i = 0; !Rf_isNull(v) && i < XLENGTH(v); i++)
        if (rfs_scorer_add_filter(r->s, Rf_translateCharUTF8(STRING_ELT(v, i)), err) < 0)
            return -1;
    v = opt(opts, "keep");
    for (i = 0; !Rf_isNull(v) && i < XLENGTH(v); i++)
        if (rfs_scorer_keep_column(r->s, Rf_translateCharUTF8(STRING_ELT(v, i)), err) < 0)
            return -1;
    if (str_arg(opt(opts, "min_answered")) &&
        rfs_scorer_set_min_answered(r->s, str_arg(opt(opts, "min_answered")), err) < 0)
        return -1;
    if (str_arg(opt(opts, "duration")) &&
        rfs_scorer_set_duration_column(r->s, str_arg(opt(opts, "duration")), err) < 0)
        return -1;
    v = opt(opts, "missing_types");
    for (i = 0; !Rf_isNull(v) && i < XLENGTH(v); i++)
        if (rfs_scorer_add_missing_code(r->s, Rf_translateCharUTF8(STRING_ELT(v, i)),
                                        Rf_translateCharUTF8(STRING_ELT(opt(opts, "missing_codes"), i)), err) < 0)
            return -1;
    v = opt(opts, "thresholds");
    for (i = 0; !Rf_isNull(v) && i < XLENGTH(v); i++)
        if (rfs_scorer_set_threshold(r->s, CHAR(STRING_ELT(Rf_getAttrib(v, R_NamesSymbol), i)), REAL(v)[i], err) < 0)
            return -1;
    if (!Rf_asLogical(opt(opts, "id_check")) && rfs_scorer_set_duplicate_check(r->s, 0, err) < 0)
        return -1;
    if (str_arg(opt(opts, "delimiter")) && rfs_scorer_set_delimiter(r->s, str_arg(opt(opts, "delimiter"))[0], err) < 0)
        return -1;
    if (str_arg(opt(opts, "encoding")) && rfs_scorer_set_encoding(r->s, str_arg(opt(opts, "encoding")), err) < 0)
        return -1;
    if (str_arg(opt(opts, "input_name")) &&
        rfs_scorer_set_input_name(r->s, str_arg(opt(opts, "input_name")), err) < 0)
        return -1;
    if (Rf_asLogical(opt(opts, "report")) && rfs_scorer_enable_report(r->s, Rf_asLogical(opt(opts, "all_rows")), err) < 0)
        return -1;
    if (rfs_scorer_set_raw_text(r->s, 1, err) < 0 || rfs_scorer_set_warning_fn(r->s, on_warning, r, err) < 0)
        return -1;
    return 0;
}

/* rfscore:::run(source, kinds, paths, opts): source a list of columns (names set) or a
 * file path. Returns list(columns, summary, report_json, report_html, warnings,
 * warning_count), list(dry = text) for opts$dry (the dry run of the header and the
 * first rows: which column is the id), or list(error = ...). */
SEXP rfsr_run(SEXP source, SEXP kinds, SEXP paths, SEXP opts)
{
    const char *names[] = {"columns", "summary", "report_json", "report_html", "warnings", "warning_count", ""};
    run *r = calloc(1, sizeof *r);
    SEXP ptr, out, w;
    rfs_error err;
    R_xlen_t i, n = XLENGTH(paths), rows = 0;
    int scores = Rf_asLogical(opt(opts, "scores")), frame = TYPEOF(source) == VECSXP, rc;
    int dry = Rf_asLogical(opt(opts, "dry")) == TRUE;

    rfs_error_clear(&err);
    if (!r)
        Rf_error("rfscore: out of memory");
    r->frame = frame;
    ptr = PROTECT(R_MakeExternalPtr(r, R_NilValue, R_NilValue));
    R_RegisterCFinalizerEx(ptr, run_finalize, TRUE);
    r->insts = calloc((size_t)(n ? n : 1), sizeof *r->insts);
    if (!r->insts)
        Rf_error("rfscore: out of memory");
    for (i = 0; i < n; i++) {
        r->insts[i] = rfs_instrument_load(Rf_translateCharUTF8(STRING_ELT(paths, i)), &err);
        if (!r->insts[i])
            goto fail;
        r->n_inst++;
    }
    r->s = rfs_scorer_new(&err);
    if (!r->s || configure(r, opts, &err) < 0)
        goto fail;
    if (frame && XLENGTH(source) > 0)
        rows = XLENGTH(VECTOR_ELT(source, 0));
    r->parser = rfsr_parser_new((const rfs_instrument *const *)r->insts, opt(opts, "names"), r->n_inst,
                                (size_t)Rf_asInteger(opt(opts, "text_columns")), Rf_asLogical(opt(opts, "row_numbers")) == TRUE,
                                rows, frame && Rf_asLogical(opt(opts, "take_keys")) == TRUE ? Rf_getAttrib(source, R_NamesSymbol)
                                                                                          : R_NilValue);
    if (!r->parser) {
        err.code = RFS_E_NOMEM;
        goto fail;
    }
    if (dry) {
        const char *dnames[] = {"dry", ""};
        if (!frame || rfs_scorer_set_dry_run(r->s, 1, &err) < 0 || rfs_scorer_set_output(r->s, write_dry, r, &err) < 0 ||
            rfs_scorer_set_input_name(r->s, "<data.frame>", &err) < 0 || rfs_scorer_set_delimiter(r->s, ',', &err) < 0 ||
            rfsr_feed_frame(r->s, source, Rf_getAttrib(source, R_NamesSymbol), kinds, 0, 8, &err) < 0 ||
            rfs_scorer_finish(r->s, &err) < 0)
            goto fail;
        out = PROTECT(Rf_mkNamed(VECSXP, dnames));
        SET_VECTOR_ELT(out, 0, Rf_ScalarString(Rf_mkCharCE(r->dry ? r->dry : "", CE_UTF8)));
        R_ClearExternalPtr(ptr);
        run_free(r);
        UNPROTECT(2);
        return out;
    }
    if (rfs_scorer_set_output(r->s, scores ? rfsr_parser_write : write_null, r->parser, &err) < 0)
        goto fail;
    if (frame) {
        SEXP cnames = Rf_getAttrib(source, R_NamesSymbol);
        if (!str_arg(opt(opts, "input_name")) && rfs_scorer_set_input_name(r->s, "<data.frame>", &err) < 0)
            goto fail;
        if (rfs_scorer_set_delimiter(r->s, ',', &err) < 0)
            goto fail;
        /* Flag every occurrence of a repeated id, as the command does on a file (R skips
         * this pass when the ids are distinct: it would find nothing). */
        if (Rf_asLogical(opt(opts, "prescan")) == TRUE &&
            (rfsr_feed_frame(r->s, source, cnames, kinds, 1, -1, &err) < 0 ||
             rfs_scorer_prescan_finish(r->s, &err) < 0))
            goto fail;
        rc = rfsr_feed_frame(r->s, source, cnames, kinds, 0, -1, &err);
        if (rc == 0)
            rc = rfs_scorer_finish(r->s, &err);
    } else {
        const char *path = str_arg(source);
        r->in = fopen(path, "rb");
        if (!r->in) {
            err.code = RFS_E_OPEN;
            snprintf(err.file, sizeof err.file, "%s", path);
            snprintf(err.message, sizeof err.message, "cannot open input: %s", strerror(errno));
            goto fail;
        }
        if (!str_arg(opt(opts, "input_name")) && rfs_scorer_set_input_name(r->s, path, &err) < 0)
            goto fail;
        rc = rfs_scorer_run_file(r->s, r->in, &err);
    }
    if (rc < 0)
        goto fail;
    out = PROTECT(Rf_mkNamed(VECSXP, names));
    SET_VECTOR_ELT(out, 0, scores ? rfsr_parser_result(r->parser) : R_NilValue);
    SET_VECTOR_ELT(out, 1, text_or_null(rfs_scorer_summary(r->s, 1)));
    if (Rf_asLogical(opt(opts, "report"))) {
        SET_VECTOR_ELT(out, 2, text_or_null(rfs_scorer_report(r->s, "json")));
        if (Rf_asLogical(opt(opts, "html")))
            SET_VECTOR_ELT(out, 3, text_or_null(rfs_scorer_report(r->s, "html")));
    }
    w = Rf_allocVector(STRSXP, (R_xlen_t)r->n_warnings);
    SET_VECTOR_ELT(out, 4, w);
    for (i = 0; i < (R_xlen_t)r->n_warnings; i++)
        SET_STRING_ELT(w, i, Rf_mkCharCE(r->warnings[i], CE_UTF8));
    SET_VECTOR_ELT(out, 5, Rf_ScalarReal(r->warning_count));
    R_ClearExternalPtr(ptr);
    run_free(r);
    UNPROTECT(2);
    return out;
fail:
    if (err.code == RFS_OK) {
        err.code = RFS_E_NOMEM;
        snprintf(err.message, sizeof err.message, "out of memory");
    }
    out = PROTECT(error_result(&err));
    R_ClearExternalPtr(ptr);
    run_free(r);
    UNPROTECT(2);
    return out;
}

SEXP rfsr_version(void)
{
    return Rf_mkString(rfs_version());
}

static const R_CallMethodDef calls[] = {
    {"rfsr_instrument_info", (DL_FUNC)&rfsr_instrument_info, 1},
    {"rfsr_codebook", (DL_FUNC)&rfsr_codebook, 2},
    {"rfsr_run", (DL_FUNC)&rfsr_run, 4},
    {"rfsr_version", (DL_FUNC)&rfsr_version, 0},
    {NULL, NULL, 0},
};

void R_init_rfscore(DllInfo *dll)
{
    R_registerRoutines(dll, NULL, calls, NULL, NULL);
    R_useDynamicSymbols(dll, FALSE);
}

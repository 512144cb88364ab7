/* The study report as a terminal table and as JSON (docs/report.md shows both). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "output/numfmt.h"
#include "report.h"

/* Text lines longer than this are cut (only names can make them so). */

static void put(rfsi_buf *b, int *rc, const char *fmt, ...) RFS_PRINTF(3, 4);

static void put(rfsi_buf *b, int *rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(b, fmt, ap) < 0)
        *rc = -1;
    va_end(ap);
}

/* A figure for the table: three decimals, or NA. */
static const char *f3(char *out, double v)
{
    if (isnan(v))
        return "NA";
    snprintf(out, RFSI_NUMFMT_MAX, "%.3f", fabs(v) < 5e-4 ? 0 : v); /* never "-0.000" */
    return out;
}

/* Hand-built instruments (tests) may leave text fields NULL. */
static const char *txt(const char *s)
{
    return s ? s : "";
}

static size_t max_len(size_t w, const char *s)
{
    size_t n = strlen(txt(s));
    return n > w ? n : w;
}

static const char *missing_name(const rfs_instrument *inst, size_t type)
{
    return type == 0 ? "blank" : inst->missing_types[type - 1];
}

static void text_scores(const rfsi_study *st, size_t i, size_t w, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    size_t s, n_scores = rfs_instrument_score_count(inst);
    char t[8][RFSI_NUMFMT_MAX];
    rfsi_score_stats ss;

    put(b, rc, "\n%-*s %8s %13s%s %7s %8s %8s %8s %8s %8s %8s\n", (int)w, "score", "scored", "too_few_items",
        inst->n_derived ? " component_not_scored" : "", "n", "mean", "sd", "min", "max", "skew", "kurtosis");
    for (s = 0; s < n_scores; s++) {
        if (rfsi_study_score_stats(st, i, s, &ss, NULL) < 0) {
            *rc = -1;
            return;
        }
        put(b, rc, "%-*s %8llu %13llu", (int)w, rfsi_score_id(inst, s), ss.status[RFSI_STATUS_OK],
            ss.status[RFSI_STATUS_TOO_FEW_ITEMS]);
        if (inst->n_derived)
            put(b, rc, " %20llu", ss.status[RFSI_STATUS_COMPONENT_NOT_SCORED]);
        put(b, rc, " %7llu %8s %8s %8s %8s %8s %8s\n", ss.d.n, f3(t[0], ss.d.mean), f3(t[1], ss.d.sd),
            f3(t[2], ss.d.min), f3(t[3], ss.d.max), f3(t[4], ss.d.skew), f3(t[5], ss.d.kurtosis));
    }
}

static void text_alpha(const rfsi_study *st, size_t i, size_t w, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    char t[8][RFSI_NUMFMT_MAX];
    rfsi_score_stats ss;
    size_t s, j, wi = strlen("item");

    if (!inst->n_scales)
        return;
    for (j = 0; j < inst->n_items; j++)
        wi = max_len(wi, inst->items[j].column);
    put(b, rc, "\n%-*s %7s %5s %8s %9s %17s %7s %8s\n", (int)w, "scale", "n", "items", "alpha", "std.alpha",
        "95% CI (Feldt)", "ase", "omega_t");
    for (s = 0; s < inst->n_scales; s++) {
        if (rfsi_study_score_stats(st, i, s, &ss, NULL) < 0) {
            *rc = -1;
            return;
        }
        put(b, rc, "%-*s %7llu %5zu %8s %9s  [%6s, %6s] %7s %8s\n", (int)w, inst->scales[s].id, ss.alpha.n,
            ss.alpha.k, f3(t[0], ss.alpha.raw), f3(t[1], ss.alpha.std), f3(t[2], ss.alpha.feldt_lower),
            f3(t[3], ss.alpha.feldt_upper), f3(t[4], ss.alpha.ase), f3(t[5], ss.alpha.omega_total));
    }
    put(b, rc, "(omega_t: McDonald's omega total, one factor fitted by minres to the items' correlations, as "
        "psych::omega)\n");
    for (s = 0; s < inst->n_scales && *rc == 0; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        rfsi_alpha_item *items = calloc(sc->n_items + 1, sizeof *items);
        if (!items || rfsi_study_score_stats(st, i, s, &ss, items) < 0) {
            free(items);
            *rc = -1;
            return;
        }
        put(b, rc, "\nscale %s, items (scored values, complete rows)\n", sc->id);
        put(b, rc, "%-*s %-8s %10s %14s %9s %8s %8s %8s  %s\n", (int)wi, "item", "keying", "alpha_drop",
            "std_alpha_drop", "r.drop", "mean", "sd", "loading", "label");
        for (j = 0; j < sc->n_items; j++) {
            /* the mis-keying screen, in the table itself: a negative r.drop is marked "!" */
            put(b, rc, "%-*s %-8s %10s %14s %8s%s %8s %8s %8s  %s\n", (int)wi, inst->items[sc->items[j]].column,
                sc->reversed[j] ? (sc->recoded[j] ? "rev+rec" : "reversed") : sc->recoded[j] ? "recoded" : "-",
                f3(t[0], items[j].alpha_drop), f3(t[1], items[j].std_alpha_drop), f3(t[2], items[j].r_drop),
                items[j].r_drop < 0 ? "!" : " ", f3(t[3], items[j].mean), f3(t[4], items[j].sd),
                f3(t[5], items[j].loading), txt(inst->items[sc->items[j]].label));
        }
        for (j = 0; j < sc->n_items; j++)
            if (items[j].r_drop < 0) {
                put(b, rc, "! negative r.drop: the item runs against the rest of the scale after keying: check its "
                    "keying\n");
                break;
            }
        free(items);
    }
}

/* Answers min..max are columns when there are at most 11 of them. */
static void text_items(const rfsi_study *st, size_t i, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    size_t range = (size_t)(inst->max - inst->min + 1), j, v, wi = strlen("item");
    int columns = range <= 11;
    unsigned long long rows = rfsi_study_rows(st, i, NULL);

    for (j = 0; j < inst->n_items; j++)
        wi = max_len(wi, inst->items[j].column);
    put(b, rc, "\nitem responses (every row)\n%-*s", (int)wi, "item");
    if (columns)
        for (v = 0; v < range; v++)
            put(b, rc, " %6ld", inst->min + (long)v);
    else
        put(b, rc, " %8s", "answered");
    put(b, rc, " %8s %8s %9s\n", "missing", "invalid", "missing%");
    for (j = 0; j < inst->n_items; j++) {
        const unsigned long long *c = rfsi_study_item_counts(st, i, j);
        unsigned long long answered = 0, missing = 0;
        for (v = 0; v < range; v++)
            answered += c[v];
        for (v = 0; v <= inst->n_missing_types; v++)
            missing += c[range + v];
        put(b, rc, "%-*s", (int)wi, inst->items[j].column);
        if (columns)
            for (v = 0; v < range; v++)
                put(b, rc, " %6llu", c[v]);
        else
            put(b, rc, " %8llu", answered);
        put(b, rc, " %8llu %8llu %8.1f%%  %s\n", missing, c[range + inst->n_missing_types + 1],
            rows ? 100.0 * (double)missing / (double)rows : 0.0, txt(inst->items[j].label));
    }
    if (!columns || !rows)
        return;
    put(b, rc, "\nitem responses, %% of every row (as on the report's response bars)\n%-*s", (int)wi, "item");
    for (v = 0; v < range; v++)
        put(b, rc, " %6ld", inst->min + (long)v);
    put(b, rc, " %8s %8s\n", "missing", "invalid");
    for (j = 0; j < inst->n_items; j++) {
        const unsigned long long *c = rfsi_study_item_counts(st, i, j);
        unsigned long long missing = 0;
        for (v = 0; v <= inst->n_missing_types; v++)
            missing += c[range + v];
        put(b, rc, "%-*s", (int)wi, inst->items[j].column);
        for (v = 0; v < range; v++)
            put(b, rc, " %6.1f", 100.0 * (double)c[v] / (double)rows);
        put(b, rc, " %8.1f %8.1f\n", 100.0 * (double)missing / (double)rows,
            100.0 * (double)c[range + inst->n_missing_types + 1] / (double)rows);
    }
}

static int text_warning(const rfsi_study_warning *w, void *userdata)
{
    int rc = 0;

    put(userdata, &rc, "warning: %s\n", w->text);
    return rc;
}

int rfsi_study_render_text(const rfsi_study *st, const char *input_name, rfsi_buf *b)
{
    size_t i, s, k;
    int rc = 0;

    put(b, &rc, "rfscore report: %s\n", input_name ? input_name : "<input>");
    put(b, &rc, "Statistics over %s; alpha and omega over rows with every item of the scale answered.\n",
        rfsi_study_all_rows(st) ? "every row" : "valid rows (valid = 1)");
    rfsi_study_provenance_render(st, input_name, 0, b, &rc);
    for (i = 0; i < rfsi_study_instrument_count(st) && rc == 0; i++) {
        const rfs_instrument *inst = rfsi_study_instrument(st, i);
        unsigned long long valid, rows = rfsi_study_rows(st, i, &valid);
        size_t w = strlen("score");
        int any = 0;
        for (s = 0; s < rfs_instrument_score_count(inst); s++)
            w = max_len(w, rfsi_score_id(inst, s));
        put(b, &rc, "\n== %s: %s (version %s)\n%llu rows, %llu valid\n", txt(inst->id), txt(inst->name),
            txt(inst->version), rows, valid);
        rfsi_study_rule_render(st, i, 0, b, &rc);
        rfsi_study_flow_render(st, i, 0, b, &rc);
        text_scores(st, i, w, b, &rc);
        text_alpha(st, i, w, b, &rc);
        rfsi_study_cor_render(st, i, 0, b, &rc);
        text_items(st, i, b, &rc);
        put(b, &rc, "\nflags (rows):");
        for (k = 0; k < RFSI_FLAG_COUNT; k++) {
            unsigned long long n = rfsi_study_flag_rows(st, i, (rfsi_flag_kind)k);
            if (n) {
                put(b, &rc, "%s %s %llu", any ? "," : "", rfsi_flag_name((rfsi_flag_kind)k), n);
                any = 1;
            }
        }
        put(b, &rc, "%s\n", any ? "" : " none");
        if (rc == 0 && rfsi_study_warnings(st, i, text_warning, b) < 0)
            rc = -1;
    }
    return rc;
}

/* ------------------------------------------------------------------- JSON */

static void json_str(rfsi_buf *b, int *rc, const char *s)
{
    *rc |= rfsi_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

/* "key": number (shortest round-trip form), or null when not computable. */
static void json_num(rfsi_buf *b, int *rc, const char *key, double v)
{
    char t[RFSI_NUMFMT_MAX];

    if (!isfinite(v))
        put(b, rc, "\"%s\": null", key);
    else {
        rfsi_fmt_double(t, v);
        put(b, rc, "\"%s\": %s", key, t);
    }
}

static void json_score(const rfsi_study *st, size_t i, size_t s, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    const unsigned long long *hist;
    rfsi_alpha_item *items = NULL;
    rfsi_score_stats ss;
    size_t j, bins;
    double lo, hi;

    if (s < inst->n_scales && !(items = calloc(inst->scales[s].n_items + 1, sizeof *items))) {
        *rc = -1;
        return;
    }
    if (rfsi_study_score_stats(st, i, s, &ss, items) < 0) {
        free(items);
        *rc = -1;
        return;
    }
    put(b, rc, "%s\n        {\"id\": ", s ? "," : "");
    json_str(b, rc, rfsi_score_id(inst, s));
    put(b, rc, ", \"name\": ");
    json_str(b, rc, s < inst->n_scales ? inst->scales[s].name : inst->derived[s - inst->n_scales].name);
    put(b, rc, ", \"kind\": \"%s\",\n         \"scored\": %llu, \"not_scored\": {\"too_few_items\": %llu, "
        "\"component_not_scored\": %llu},\n         \"describe\": {\"n\": %llu, ", ss.is_scale ? "scale" : "derived",
        ss.status[0], ss.status[1], ss.status[2], ss.d.n);
    json_num(b, rc, "mean", ss.d.mean);
    put(b, rc, ", ");
    json_num(b, rc, "sd", ss.d.sd);
    put(b, rc, ", ");
    json_num(b, rc, "min", ss.d.min);
    put(b, rc, ", ");
    json_num(b, rc, "max", ss.d.max);
    put(b, rc, ", ");
    json_num(b, rc, "range", ss.d.range);
    put(b, rc, ", ");
    json_num(b, rc, "skew", ss.d.skew);
    put(b, rc, ", ");
    json_num(b, rc, "kurtosis", ss.d.kurtosis);
    put(b, rc, ", ");
    json_num(b, rc, "se", ss.d.se);
    hist = rfsi_study_histogram(st, i, s, &bins, &lo, &hi);
    put(b, rc, "},\n         \"histogram\": {");
    json_num(b, rc, "lo", lo);
    put(b, rc, ", ");
    json_num(b, rc, "hi", hi);
    put(b, rc, ", \"counts\": [");
    for (j = 0; j < bins; j++)
        put(b, rc, "%s%llu", j ? ", " : "", hist[j]);
    put(b, rc, "]}");
    if (ss.is_scale) {
        const rfsi_scale *sc = &inst->scales[s];
        put(b, rc, ",\n         \"alpha\": {\"n\": %llu, \"items\": %zu, ", ss.alpha.n, ss.alpha.k);
        json_num(b, rc, "raw_alpha", ss.alpha.raw);
        put(b, rc, ", ");
        json_num(b, rc, "std_alpha", ss.alpha.std);
        put(b, rc, ", ");
        json_num(b, rc, "ase", ss.alpha.ase);
        put(b, rc, ", ");
        json_num(b, rc, "feldt_lower", ss.alpha.feldt_lower);
        put(b, rc, ", ");
        json_num(b, rc, "feldt_upper", ss.alpha.feldt_upper);
        put(b, rc, ", ");
        json_num(b, rc, "omega_total", ss.alpha.omega_total);
        put(b, rc, ", \"omega_heywood\": %s},\n         \"items\": [", ss.alpha.omega_heywood ? "true" : "false");
        for (j = 0; j < sc->n_items; j++) {
            put(b, rc, "%s\n           {\"column\": ", j ? "," : "");
            json_str(b, rc, inst->items[sc->items[j]].column);
            put(b, rc, ", \"label\": ");
            json_str(b, rc, inst->items[sc->items[j]].label);
            put(b, rc, ", \"reversed\": %s, \"recoded\": %s, \"in_alpha\": %s, ", sc->reversed[j] ? "true" : "false",
                sc->recoded[j] ? "true" : "false", items[j].in_alpha ? "true" : "false");
            json_num(b, rc, "alpha_drop", items[j].alpha_drop);
            put(b, rc, ", ");
            json_num(b, rc, "std_alpha_drop", items[j].std_alpha_drop);
            put(b, rc, ", ");
            json_num(b, rc, "r_drop", items[j].r_drop);
            put(b, rc, ", ");
            json_num(b, rc, "mean", items[j].mean);
            put(b, rc, ", ");
            json_num(b, rc, "sd", items[j].sd);
            put(b, rc, ", ");
            json_num(b, rc, "loading", items[j].loading);
            put(b, rc, "}");
        }
        put(b, rc, "]");
    }
    put(b, rc, "}");
    free(items);
}

static void json_items(const rfsi_study *st, size_t i, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    size_t range = (size_t)(inst->max - inst->min + 1), j, v;

    for (j = 0; j < inst->n_items; j++) {
        const unsigned long long *c = rfsi_study_item_counts(st, i, j);
        unsigned long long missing = 0;
        put(b, rc, "%s\n        {\"column\": ", j ? "," : "");
        json_str(b, rc, inst->items[j].column);
        put(b, rc, ", \"label\": ");
        json_str(b, rc, inst->items[j].label);
        put(b, rc, ", \"responses\": {");
        for (v = 0; v < range; v++)
            put(b, rc, "%s\"%ld\": %llu", v ? ", " : "", inst->min + (long)v, c[v]);
        put(b, rc, "}, \"missing_by_type\": {");
        for (v = 0; v <= inst->n_missing_types; v++) {
            missing += c[range + v];
            put(b, rc, "%s", v ? ", " : "");
            json_str(b, rc, missing_name(inst, v));
            put(b, rc, ": %llu", c[range + v]);
        }
        put(b, rc, "}, \"missing\": %llu, \"invalid\": %llu}", missing, c[range + inst->n_missing_types + 1]);
    }
}

typedef struct json_warn_ctx {
    rfsi_buf *b;
    const rfs_instrument *inst;
    size_t n;
} json_warn_ctx;

static int json_warning(const rfsi_study_warning *w, void *userdata)
{
    static const char *const kinds[] = {"negative_r_drop", "no_variance", "no_alpha", "heywood"};
    json_warn_ctx *ctx = userdata;
    const rfsi_scale *sc = &ctx->inst->scales[w->score];
    int rc = 0;

    put(ctx->b, &rc, "%s\n        {\"kind\": \"%s\", \"scale\": ", ctx->n++ ? "," : "", kinds[w->kind]);
    json_str(ctx->b, &rc, sc->id);
    put(ctx->b, &rc, ", \"item\": ");
    if (w->item < sc->n_items)
        json_str(ctx->b, &rc, ctx->inst->items[sc->items[w->item]].column);
    else
        put(ctx->b, &rc, "null");
    put(ctx->b, &rc, ", ");
    json_num(ctx->b, &rc, "value", w->value);
    put(ctx->b, &rc, ", \"message\": ");
    json_str(ctx->b, &rc, w->text);
    put(ctx->b, &rc, "}");
    return rc;
}

int rfsi_study_render_json(const rfsi_study *st, const char *input_name, rfsi_buf *b)
{
    size_t i, s, k;
    int rc = 0;

    put(b, &rc, "{\n  \"input\": ");
    json_str(b, &rc, input_name ? input_name : "");
    put(b, &rc, ",\n  \"rows\": \"%s\",\n  ", rfsi_study_all_rows(st) ? "all" : "valid");
    rfsi_study_provenance_render(st, input_name, 1, b, &rc);
    put(b, &rc, ",\n  \"instruments\": [");
    for (i = 0; i < rfsi_study_instrument_count(st) && rc == 0; i++) {
        const rfs_instrument *inst = rfsi_study_instrument(st, i);
        unsigned long long valid, rows = rfsi_study_rows(st, i, &valid);
        json_warn_ctx ctx;
        put(b, &rc, "%s\n    {\"id\": ", i ? "," : "");
        json_str(b, &rc, inst->id);
        put(b, &rc, ", \"name\": ");
        json_str(b, &rc, inst->name);
        put(b, &rc, ", \"version\": ");
        json_str(b, &rc, inst->version);
        put(b, &rc, ",\n      ");
        rfsi_study_rule_render(st, i, 1, b, &rc);
        put(b, &rc, ",\n      \"rows\": %llu, \"rows_valid\": %llu,\n      ", rows, valid);
        rfsi_study_flow_render(st, i, 1, b, &rc);
        put(b, &rc, ",\n      ");
        rfsi_study_cor_render(st, i, 1, b, &rc);
        put(b, &rc, ",\n      \"flags\": {");
        for (k = 0; k < RFSI_FLAG_COUNT; k++)
            put(b, &rc, "%s\"%s\": %llu", k ? ", " : "", rfsi_flag_name((rfsi_flag_kind)k),
                rfsi_study_flag_rows(st, i, (rfsi_flag_kind)k));
        put(b, &rc, "},\n      \"scores\": [");
        for (s = 0; s < rfs_instrument_score_count(inst) && rc == 0; s++)
            json_score(st, i, s, b, &rc);
        put(b, &rc, "],\n      \"items\": [");
        json_items(st, i, b, &rc);
        put(b, &rc, "],\n      \"warnings\": [");
        ctx.b = b;
        ctx.inst = inst;
        ctx.n = 0;
        if (rc == 0 && rfsi_study_warnings(st, i, json_warning, &ctx) < 0)
            rc = -1;
        put(b, &rc, "]}");
    }
    put(b, &rc, "\n  ]\n}\n");
    return rc;
}

char *rfsi_study_render(const rfsi_study *st, int format, const char *input_name)
{
    rfsi_buf b = {0};
    int rc;

    switch (format) {
    case 0: rc = rfsi_study_render_text(st, input_name, &b); break;
    case 1: rc = rfsi_study_render_json(st, input_name, &b); break;
    case 2: rc = rfsi_study_render_html(st, input_name, &b); break;
    default: return NULL;
    }
    if (rc == 0)
        rc = rfsi_buf_putc(&b, '\0');
    if (rc) {
        rfsi_buf_free(&b);
        return NULL;
    }
    return b.data;
}

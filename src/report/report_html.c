/* The study report as one self-contained HTML file: inline CSS, inline SVG, no script and
 * no external asset, so it opens offline and can be mailed or archived as it is.
 * Stable hooks (tests/report/check-html.sh, docs/report.md): section.instrument#inst-ID,
 * table.scores, figure.histogram#hist-ID-SCORE > svg.histogram > rect.bar, table.alpha,
 * table.alpha-items, table.responses with one svg.response-bar per item (rect.seg),
 * table.flags#flags-ID, ul.warnings > li.warning. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "output/numfmt.h"
#include "report.h"

#define HIST_W 360
#define HIST_H 200
#define HIST_LEFT 44
#define HIST_RIGHT 12
#define HIST_TOP 12
#define HIST_BOTTOM 34
#define BAR_W 320
#define BAR_H 16

static void put(rfsi_buf *b, int *rc, const char *fmt, ...) RFS_PRINTF(3, 4);

static void put(rfsi_buf *b, int *rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(b, fmt, ap) < 0)
        *rc = -1;
    va_end(ap);
}

/* Text and attribute values alike. */
static void esc(rfsi_buf *b, int *rc, const char *s)
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

/* An id token: letters, digits, '-' and '_' kept, anything else '_'. */
static void id_token(rfsi_buf *b, int *rc, const char *s)
{
    for (; s && *s; s++) {
        char c = *s;
        int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        *rc |= rfsi_buf_putc(b, keep ? c : '_');
    }
}

static void cell(rfsi_buf *b, int *rc, double v)
{
    if (isnan(v))
        put(b, rc, "<td class=\"na\">NA</td>");
    else
        put(b, rc, "<td>%.3f</td>", fabs(v) < 5e-4 ? 0 : v); /* never "-0.000" */
}

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:2em auto;max-width:72em;"
    "padding:0 1em;color:#222}\n"
    "h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #4a7ab8}h3{margin-bottom:.3em}\n"
    "table{border-collapse:collapse;margin:.3em 0 1.2em}\n"
    "th,td{border:1px solid #ccd;padding:.15em .5em;text-align:right;font-variant-numeric:tabular-nums}\n"
    "th{background:#eef2f8}th:first-child,td:first-child{text-align:left}\n"
    "td.na{color:#999}td.t{text-align:left}.note{color:#555}\n"
    ".histograms{display:flex;flex-wrap:wrap;gap:1em}\n"
    "figure.histogram{margin:0}figcaption{font-size:.9em;color:#444;max-width:360px}\n"
    "svg text{font-size:10px;fill:#333}svg .axis{stroke:#666;stroke-width:1}\n"
    "svg .bar{fill:#4a7ab8}svg .bar:hover,svg .seg:hover{opacity:.75}\n"
    ".seg-missing{fill:#b8b8b8}.seg-invalid{fill:#d9534f}\n"
    ".legend span{display:inline-block;width:.9em;height:.9em;margin:0 .3em 0 .8em;vertical-align:-.1em}\n"
    "ul.warnings{padding-left:1.2em}li.warning{color:#a04000}\n"
    "span.label{display:block;color:#555;font-size:.85em;max-width:28em}\n"
    "tr.negative td{background:#fde8e4}tr.negative td.r-drop{color:#b00000;font-weight:bold}\n"
    "td.flag-cell{color:#b00000;text-align:left;font-weight:bold}\n"
    "table.provenance th{text-align:left}code{font-size:.9em;word-break:break-all}\n"
    ".flow-pair{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}figure.flow{margin:0}\n"
    "svg .flow-main{fill:#dbe8f7;stroke:#4a7ab8}svg .flow-excl{fill:#fff1cc;stroke:#c79a2e}\n"
    "svg .flow-arrow{stroke:#555;stroke-width:1.5}svg .flow-head{fill:#555}\n"
    "svg.flow text{font-size:12px}svg.flow text.title{font-weight:bold}svg text.n{font-weight:bold}\n"
    "table.flow tr.stage td{font-style:italic;background:#fff8e6}table.flow tr.excl td:first-child{padding-left:1.5em}\n"
    "svg .tick{stroke:#666;stroke-width:1}svg .grid{stroke:#e3e6ea;stroke-width:1}\n"
    "svg text.pct{font-size:9px;fill:#222}svg text.pct.on-dark{fill:#fff}td.over{color:#b00000}\n"
    "table.rules th,table.rules td{text-align:left}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{font-size:9.5pt;max-width:none;margin:0;padding:0;color:#000}\n"
    " h2{break-before:page;margin-top:0}section.provenance h2{break-before:auto}\n"
    " h3,h4{break-after:avoid}table,figure,.flow-pair{break-inside:avoid}tr{break-inside:avoid}\n"
    " th,td{padding:.05em .35em}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    " svg .bar:hover,svg .seg:hover{opacity:1}}\n";

/* Response value v of n (0-based): light to dark blue. */
static void value_colour(char *out, size_t size, size_t v, size_t n)
{
    double t = n > 1 ? (double)v / (double)(n - 1) : 1;
    snprintf(out, size, "hsl(214,55%%,%.0f%%)", 86 - 56 * t);
}

/* A "nice" step (1, 2 or 5 times a power of ten) of at least raw. */
static double nice_step(double raw)
{
    double p = pow(10, floor(log10(raw))), f = raw / p;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/* Histogram axes with ticks at the score's natural points: its possible values (one bin
 * per integer: the bin centres) or whole units over a mean's range, thinned to a nice
 * step when there are more than 12; counts at a nice step with light grid lines. */
static void axes(rfsi_buf *b, int *rc, double lo, double hi, int integer_bins, unsigned long long top)
{
    double pw = HIST_W - HIST_LEFT - HIST_RIGHT, ph = HIST_H - HIST_TOP - HIST_BOTTOM, base = HIST_TOP + ph;
    double a = integer_bins ? lo + 0.5 : lo, z = integer_bins ? hi - 0.5 : hi, step, v, ys;

    step = z - a <= 12 && floor(a) == a && floor(z) == z ? 1 : nice_step((z - a) / 10);
    if (!(step > 0))
        step = 1;
    put(b, rc, "<line class=\"axis\" x1=\"%d\" y1=\"%.0f\" x2=\"%d\" y2=\"%.0f\"/>"
        "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.0f\"/>\n", HIST_LEFT, base, HIST_W - HIST_RIGHT,
        base, HIST_LEFT, HIST_TOP, HIST_LEFT, base);
    for (v = ceil(a / step - 1e-9) * step; v <= z + 1e-9 * step; v += step) {
        double x = HIST_LEFT + pw * (v - lo) / (hi - lo);
        put(b, rc, "<line class=\"tick\" x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\"/><text class=\"xtick\" "
            "x=\"%.2f\" y=\"%.0f\" text-anchor=\"middle\">%g</text>", x, base, x, base + 4, x, base + 15,
            fabs(v) < 1e-12 ? 0 : v);
    }
    put(b, rc, "\n");
    if (!top)
        return;
    ys = top <= 5 ? 1 : nice_step((double)top / 5);
    for (v = 0; v <= (double)top + 1e-9; v += ys) {
        double y = base - ph * v / (double)top;
        if (v > 0)
            put(b, rc, "<line class=\"grid\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/>", HIST_LEFT + 1, y,
                HIST_W - HIST_RIGHT, y);
        put(b, rc, "<line class=\"tick\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\"/><text class=\"ytick\" "
            "x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%g</text>", HIST_LEFT - 4, y, HIST_LEFT, y, HIST_LEFT - 6, y + 3, v);
    }
    put(b, rc, "<text x=\"12\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 12 %.0f)\">rows</text>\n",
        HIST_TOP + ph / 2, HIST_TOP + ph / 2);
}

static void histogram(const rfsi_study *st, size_t i, size_t s, const rfsi_score_stats *ss, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    const char *id = rfsi_score_id(inst, s), *name;
    double lo, hi, pw = HIST_W - HIST_LEFT - HIST_RIGHT, ph = HIST_H - HIST_TOP - HIST_BOTTOM, bw;
    size_t bins, j;
    const unsigned long long *hist = rfsi_study_histogram(st, i, s, &bins, &lo, &hi);
    unsigned long long top = 0;
    int integer_bins = fabs((hi - lo) - (double)bins) < 1e-9 && lo + 0.5 == floor(lo + 0.5);

    for (j = 0; j < bins; j++)
        if (hist[j] > top)
            top = hist[j];
    bw = pw / (double)bins;
    put(b, rc, "<figure class=\"histogram\" id=\"hist-");
    id_token(b, rc, inst->id);
    *rc |= rfsi_buf_putc(b, '-');
    id_token(b, rc, id);
    put(b, rc, "\"><svg class=\"histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
        "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"Histogram of ", HIST_W, HIST_H, HIST_W, HIST_H);
    esc(b, rc, id);
    put(b, rc, "\">\n");
    for (j = 0; j < bins && top; j++) {
        double h = ph * (double)hist[j] / (double)top, x0 = lo + (hi - lo) * (double)j / (double)bins;
        if (!hist[j])
            continue; /* an empty bin is the gap between its neighbours */
        put(b, rc, "<rect class=\"bar\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" data-count=\"%llu\">"
            "<title>%g to %g: %llu</title></rect>\n", HIST_LEFT + bw * (double)j + 0.5, HIST_TOP + ph - h,
            bw > 2 ? bw - 1 : bw, h, hist[j], x0, x0 + (hi - lo) / (double)bins, hist[j]);
    }
    if (!top)
        put(b, rc, "<text class=\"empty\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">no scored rows</text>\n",
            HIST_LEFT + (int)pw / 2, HIST_TOP + (int)ph / 2);
    axes(b, rc, lo, hi, integer_bins, top);
    put(b, rc, "\n<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", HIST_LEFT + pw / 2, HIST_H - 4);
    esc(b, rc, id);
    put(b, rc, "</text></svg><figcaption>");
    name = s < inst->n_scales ? inst->scales[s].name : inst->derived[s - inst->n_scales].name;
    esc(b, rc, name && *name ? name : id);
    put(b, rc, " (n = %llu)</figcaption></figure>\n", ss->d.n);
}

static void scores_section(const rfsi_study *st, size_t i, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    size_t s, n_scores = rfs_instrument_score_count(inst);
    rfsi_score_stats ss;

    put(b, rc, "<h3>Scores</h3>\n<table class=\"scores\" id=\"scores-");
    id_token(b, rc, inst->id);
    put(b, rc, "\"><tr><th>score</th><th>scored</th><th>too_few_items</th><th>component_not_scored</th><th>n</th>"
        "<th>mean</th><th>sd</th><th>min</th><th>max</th><th>skew</th><th>kurtosis</th><th>se</th></tr>\n");
    for (s = 0; s < n_scores && *rc == 0; s++) {
        if (rfsi_study_score_stats(st, i, s, &ss, NULL) < 0) {
            *rc = -1;
            return;
        }
        put(b, rc, "<tr><td>");
        esc(b, rc, rfsi_score_id(inst, s));
        put(b, rc, "</td><td>%llu</td><td>%llu</td><td>%llu</td><td>%llu</td>", ss.status[0], ss.status[1],
            ss.status[2], ss.d.n);
        cell(b, rc, ss.d.mean);
        cell(b, rc, ss.d.sd);
        cell(b, rc, ss.d.min);
        cell(b, rc, ss.d.max);
        cell(b, rc, ss.d.skew);
        cell(b, rc, ss.d.kurtosis);
        cell(b, rc, ss.d.se);
        put(b, rc, "</tr>\n");
    }
    put(b, rc, "</table>\n<div class=\"histograms\">\n");
    for (s = 0; s < n_scores && *rc == 0; s++) {
        if (rfsi_study_score_stats(st, i, s, &ss, NULL) < 0) {
            *rc = -1;
            return;
        }
        histogram(st, i, s, &ss, b, rc);
    }
    put(b, rc, "</div>\n");
}

static void alpha_items(const rfsi_study *st, size_t i, size_t s, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    const rfsi_scale *sc = &inst->scales[s];
    rfsi_alpha_item *items = calloc(sc->n_items + 1, sizeof *items);
    rfsi_score_stats ss;
    size_t j;

    if (!items || rfsi_study_score_stats(st, i, s, &ss, items) < 0) {
        free(items);
        *rc = -1;
        return;
    }
    put(b, rc, "<h4>");
    esc(b, rc, sc->id);
    put(b, rc, ": items</h4>\n<table class=\"alpha-items\" id=\"alpha-items-");
    id_token(b, rc, inst->id);
    *rc |= rfsi_buf_putc(b, '-');
    id_token(b, rc, sc->id);
    put(b, rc, "\"><tr><th>item</th><th>keying</th><th>alpha if deleted</th><th>std. alpha if deleted</th>"
        "<th>r.drop</th><th>mean</th><th>sd</th><th>loading</th><th>screen</th></tr>\n");
    for (j = 0; j < sc->n_items; j++) {
        const rfsi_item *it = &inst->items[sc->items[j]];
        int negative = items[j].r_drop < 0;
        put(b, rc, "<tr%s><td>", negative ? " class=\"negative\"" : "");
        esc(b, rc, it->column);
        if (it->label && *it->label) {
            put(b, rc, "<span class=\"label\">");
            esc(b, rc, it->label);
            put(b, rc, "</span>");
        }
        put(b, rc, "</td><td class=\"t\">%s</td>", sc->reversed[j] ? (sc->recoded[j] ? "reversed, recoded" : "reversed")
                                                       : sc->recoded[j] ? "recoded" : "");
        cell(b, rc, items[j].alpha_drop);
        cell(b, rc, items[j].std_alpha_drop);
        if (negative)
            put(b, rc, "<td class=\"r-drop\">%.3f</td>", items[j].r_drop);
        else
            cell(b, rc, items[j].r_drop);
        cell(b, rc, items[j].mean);
        cell(b, rc, items[j].sd);
        cell(b, rc, items[j].loading);
        /* the mis-keying screen where the figure is, not only in the list at the end */
        put(b, rc, "<td class=\"flag-cell\">%s</td></tr>\n", negative ? "&#9888; runs against the scale: check keying" : "");
    }
    put(b, rc, "</table>\n");
    free(items);
}

static void alpha_section(const rfsi_study *st, size_t i, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    rfsi_score_stats ss;
    size_t s;

    if (!inst->n_scales)
        return;
    put(b, rc, "<h3>Reliability</h3>\n<p class=\"note\">Cronbach's alpha over the rows where every item of the "
        "scale is answered (listwise), on the scored item values (after reversal and recode).</p>\n"
        "<table class=\"alpha\" id=\"alpha-");
    id_token(b, rc, inst->id);
    put(b, rc, "\"><tr><th>scale</th><th>complete rows</th><th>items</th><th>alpha</th><th>std. alpha</th>"
        "<th>95%% CI lower (Feldt)</th><th>95%% CI upper</th><th>ase</th><th>omega total</th></tr>\n");
    for (s = 0; s < inst->n_scales && *rc == 0; s++) {
        if (rfsi_study_score_stats(st, i, s, &ss, NULL) < 0) {
            *rc = -1;
            return;
        }
        put(b, rc, "<tr><td>");
        esc(b, rc, inst->scales[s].id);
        put(b, rc, "</td><td>%llu</td><td>%zu</td>", ss.alpha.n, ss.alpha.k);
        cell(b, rc, ss.alpha.raw);
        cell(b, rc, ss.alpha.std);
        cell(b, rc, ss.alpha.feldt_lower);
        cell(b, rc, ss.alpha.feldt_upper);
        cell(b, rc, ss.alpha.ase);
        cell(b, rc, ss.alpha.omega_total);
        put(b, rc, "</tr>\n");
    }
    put(b, rc, "</table>\n<p class=\"note\">Omega total: McDonald's omega from a one-factor model fitted by "
        "minres (unweighted least squares) to the items' correlations, 1 - sum(1 - loading<sup>2</sup>) / sum(R), "
        "as psych::omega(x, nfactors = 1) computes it; the loadings are in the item tables.</p>\n");
    for (s = 0; s < inst->n_scales && *rc == 0; s++)
        alpha_items(st, i, s, b, rc);
    rfsi_study_cor_render(st, i, 2, b, rc);
}

static void responses_section(const rfsi_study *st, size_t i, rfsi_buf *b, int *rc)
{
    const rfs_instrument *inst = rfsi_study_instrument(st, i);
    size_t range = (size_t)(inst->max - inst->min + 1), j, v;
    unsigned long long rows = rfsi_study_rows(st, i, NULL);
    char colour[48];

    put(b, rc, "<h3>Item responses</h3>\n<p class=\"legend\">Every row.");
    for (v = 0; v < range; v++) {
        value_colour(colour, sizeof colour, v, range);
        put(b, rc, "<span style=\"background:%s\"></span>%ld", colour, inst->min + (long)v);
    }
    put(b, rc, "<span style=\"background:#b8b8b8\"></span>missing<span style=\"background:#d9534f\"></span>"
        "invalid</p>\n<table class=\"responses\" id=\"responses-");
    id_token(b, rc, inst->id);
    put(b, rc, "\"><tr><th>item</th><th>responses</th><th>answered</th><th>missing</th><th>invalid</th></tr>\n");
    for (j = 0; j < inst->n_items && *rc == 0; j++) {
        const unsigned long long *c = rfsi_study_item_counts(st, i, j);
        unsigned long long answered = 0, missing = 0, invalid = c[range + inst->n_missing_types + 1];
        double x = 0, unit = rows ? (double)BAR_W / (double)rows : 0;
        for (v = 0; v < range; v++)
            answered += c[v];
        for (v = 0; v <= inst->n_missing_types; v++)
            missing += c[range + v];
        put(b, rc, "<tr><td>");
        esc(b, rc, inst->items[j].column);
        if (inst->items[j].label && *inst->items[j].label) {
            put(b, rc, "<span class=\"label\">");
            esc(b, rc, inst->items[j].label);
            put(b, rc, "</span>");
        }
        put(b, rc, "</td><td class=\"t\"><svg class=\"response-bar\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
            "height=\"%d\" viewBox=\"0 0 %d %d\">", BAR_W, BAR_H, BAR_W, BAR_H);
        for (v = 0; v < range + 2; v++) {
            unsigned long long n = v < range ? c[v] : v == range ? missing : invalid;
            if (!n)
                continue;
            if (v < range) {
                value_colour(colour, sizeof colour, v, range);
                put(b, rc, "<rect class=\"seg seg-value\" fill=\"%s\"", colour);
            } else
                put(b, rc, "<rect class=\"seg %s\"", v == range ? "seg-missing" : "seg-invalid");
            put(b, rc, " x=\"%.2f\" y=\"0\" width=\"%.2f\" height=\"%d\"><title>", x, unit * (double)n, BAR_H);
            if (v < range)
                put(b, rc, "%ld", inst->min + (long)v);
            else
                put(b, rc, "%s", v == range ? "missing" : "invalid");
            put(b, rc, ": %llu (%.1f%%)</title></rect>", n, 100.0 * (double)n / (double)rows);
            /* the share written on the segment when it fits (dark text on light values) */
            if (unit * (double)n >= 24)
                put(b, rc, "<text class=\"pct%s\" x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%.0f%%</text>",
                    v < range && 2 * v >= range ? " on-dark" : "", x + unit * (double)n / 2, BAR_H - 4,
                    100.0 * (double)n / (double)rows);
            x += unit * (double)n;
        }
        put(b, rc, "</svg></td><td>%llu</td><td>%llu</td><td>%llu</td></tr>\n", answered, missing, invalid);
    }
    put(b, rc, "</table>\n");
}

typedef struct warn_ctx {
    rfsi_buf *b;
    size_t n;
} warn_ctx;

static int html_warning(const rfsi_study_warning *w, void *userdata)
{
    warn_ctx *ctx = userdata;
    int rc = 0;

    ctx->n++;
    put(ctx->b, &rc, "<li class=\"warning\">");
    esc(ctx->b, &rc, w->text);
    put(ctx->b, &rc, "</li>\n");
    return rc;
}

int rfsi_study_render_html(const rfsi_study *st, const char *input_name, rfsi_buf *b)
{
    size_t i, k;
    int rc = 0;

    if (!input_name)
        input_name = "";
    put(b, &rc, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"generator\" content=\"rfscore %s\">\n<title>rfscore report: ", RFS_VERSION);
    esc(b, &rc, input_name);
    put(b, &rc, "</title>\n<style>\n");
    rc |= rfsi_buf_puts(b, style);
    put(b, &rc, "</style>\n</head>\n<body>\n<h1>Study report: ");
    esc(b, &rc, input_name);
    put(b, &rc, "</h1>\n<p class=\"note\">Descriptives, histograms, alpha and omega over %s. Counts of statuses, "
        "responses and flags over every row.</p>\n",
        rfsi_study_all_rows(st) ? "every row" : "valid rows (valid = 1)");
    rfsi_study_provenance_render(st, input_name, 2, b, &rc);
    for (i = 0; i < rfsi_study_instrument_count(st) && rc == 0; i++) {
        const rfs_instrument *inst = rfsi_study_instrument(st, i);
        unsigned long long valid, rows = rfsi_study_rows(st, i, &valid);
        warn_ctx ctx;
        put(b, &rc, "<section class=\"instrument\" id=\"inst-");
        id_token(b, &rc, inst->id);
        put(b, &rc, "\">\n<h2>");
        esc(b, &rc, inst->id);
        put(b, &rc, ": ");
        esc(b, &rc, inst->name);
        put(b, &rc, "</h2>\n<p class=\"counts\">%llu rows, %llu valid. Definition version ", rows, valid);
        esc(b, &rc, inst->version);
        put(b, &rc, ".</p>\n");
        rfsi_study_rule_render(st, i, 2, b, &rc);
        rfsi_study_flow_render(st, i, 2, b, &rc);
        scores_section(st, i, b, &rc);
        alpha_section(st, i, b, &rc);
        responses_section(st, i, b, &rc);
        put(b, &rc, "<h3>Flags</h3>\n<table class=\"flags\" id=\"flags-");
        id_token(b, &rc, inst->id);
        put(b, &rc, "\"><tr><th>flag</th><th>rows</th></tr>\n");
        for (k = 0; k < RFSI_FLAG_COUNT; k++)
            put(b, &rc, "<tr><td>%s</td><td>%llu</td></tr>\n", rfsi_flag_name((rfsi_flag_kind)k),
                rfsi_study_flag_rows(st, i, (rfsi_flag_kind)k));
        put(b, &rc, "</table>\n<h3>Warnings</h3>\n<ul class=\"warnings\" id=\"warnings-");
        id_token(b, &rc, inst->id);
        put(b, &rc, "\">\n");
        ctx.b = b;
        ctx.n = 0;
        if (rc == 0 && rfsi_study_warnings(st, i, html_warning, &ctx) < 0)
            rc = -1;
        put(b, &rc, "%s</ul>\n</section>\n", ctx.n ? "" : "<li class=\"none\">none</li>\n");
    }
    put(b, &rc, "</body>\n</html>\n");
    return rc;
}

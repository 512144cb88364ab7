/* The exclusion flow: from the rows read to the rows analysed, stage by stage, with every
 * excluded row counted once under its first reason; as a table (text, JSON, HTML) and as
 * a CONSORT-style diagram (inline SVG: main boxes down the left, exclusion boxes to the
 * right; Schulz, Altman and Moher 2010, doi:10.1136/bmj.c332, figure 1).
 *
 * Stages: 1 rows excluded by --where, 2 instrument not administered, 3 invalid rows
 * (valid = 0). Only stages whose counters exist are shown: a new one is a few lines in
 * rfsi_study_flow() and a title in rfsi_flow_stage_title(). */
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_fmt.h"

#define STAGE_INVALID 3

/* Precedence of the reasons: a row with nothing answered is empty before it is anything
 * else; a repeated id is a data-handling exclusion regardless of content; an invalid
 * answer is a data error before it is a missing item; too few items is a missing-data
 * exclusion; careless-responding screens apply last. */
static const struct {
    const char *name, *text;
    unsigned long kinds;
} reasons[RFSI_EXCL_COUNT] = {
    {"empty_row", "no item answered", 1ul << RFSI_FLAG_EMPTY_ROW},
    {"duplicate_id", "duplicate id", 1ul << RFSI_FLAG_DUPLICATE_ID},
    {"invalid_answer", "invalid answers", 1ul << RFSI_FLAG_INVALID_ANSWER},
    {"too_few_items", "too few items answered", 1ul << RFSI_FLAG_TOO_FEW_ITEMS},
    {"careless", "careless-responding flags",
     (1ul << RFSI_FLAG_ATTENTION) | (1ul << RFSI_FLAG_LONGSTRING) | (1ul << RFSI_FLAG_IRV) |
         (1ul << RFSI_FLAG_EVEN_ODD) | (1ul << RFSI_FLAG_SYNONYMS) | (1ul << RFSI_FLAG_ANTONYMS) |
         (1ul << RFSI_FLAG_TOO_FAST)},
    {"other", "other reasons", ~0ul},
};

rfsi_exclusion rfsi_exclusion_of(long kinds, unsigned invalid_mask)
{
    unsigned long k = kinds > 0 ? (unsigned long)kinds & invalid_mask : 0;
    int e;

    for (e = 0; e < RFSI_EXCL_OTHER; e++)
        if (k & reasons[e].kinds)
            return (rfsi_exclusion)e;
    return RFSI_EXCL_OTHER;
}

const char *rfsi_exclusion_name(rfsi_exclusion e)
{
    return e < RFSI_EXCL_COUNT ? reasons[e].name : "?";
}

const char *rfsi_exclusion_text(rfsi_exclusion e)
{
    return e < RFSI_EXCL_COUNT ? reasons[e].text : "?";
}

static const char *const invalid_keys[RFSI_EXCL_COUNT] = {
    "invalid.empty_row", "invalid.duplicate_id", "invalid.invalid_answer",
    "invalid.too_few_items", "invalid.careless", "invalid.other",
};

static void box(rfsi_flow_box *boxes, size_t *n, const char *key, const char *label, unsigned long long v, int stage,
                int is_exclusion)
{
    if (*n >= RFSI_FLOW_MAX)
        return;
    boxes[*n].key = key;
    boxes[*n].label = label;
    boxes[*n].n = v;
    boxes[*n].stage = stage;
    boxes[*n].is_exclusion = is_exclusion;
    (*n)++;
}

size_t rfsi_study_flow(const rfsi_study *st, size_t inst, rfsi_flow_box *boxes)
{
    const rfs_instrument *in = rfsi_study_instrument(st, inst);
    const rfsi_study_provenance *p = rfsi_study_provenance_get(st);
    unsigned long long valid, na, rows = rfsi_study_rows(st, inst, &valid);
    size_t n = 0;
    int e;

    if (p && p->where_stage && p->n_filters) { /* stage 1: the rows --where left out never reach the study */
        box(boxes, &n, "rows_read", "rows read", p->rows_read, 0, 0);
        box(boxes, &n, "where", "not matching --where", p->rows_excluded, 1, 1);
        box(boxes, &n, "selected", "rows selected", rows + rfsi_study_not_administered(st, inst), 1, 0);
    } else
        box(boxes, &n, "rows_read", "rows read", rows + rfsi_study_not_administered(st, inst), 0, 0);
    /* Stage 2: rows on which the instrument was not given (REDCap) never reach its figures:
     * rows counts the administered ones only. */
    if ((na = rfsi_study_not_administered(st, inst)) > 0) {
        box(boxes, &n, "not_administered", "not administered", na, 2, 1);
        box(boxes, &n, "administered", "instrument administered", rows, 2, 0);
    }
    for (e = 0; e < RFSI_EXCL_COUNT; e++) {
        unsigned long long x = rfsi_study_excluded(st, inst, (rfsi_exclusion)e);
        /* a reason is listed when its flags can make a row invalid, "other" only when used */
        if (e == RFSI_EXCL_OTHER ? x > 0 : (reasons[e].kinds & in->validity.invalid_mask) != 0 || x > 0)
            box(boxes, &n, invalid_keys[e], reasons[e].text, x, STAGE_INVALID, 1);
    }
    box(boxes, &n, "analysed", rfsi_study_all_rows(st) ? "analysed (every row: --all-rows)" : "analysed (valid = 1)",
        rfsi_study_all_rows(st) ? rows : valid, STAGE_INVALID, 0);
    return n;
}

const char *rfsi_flow_stage_title(const rfsi_study *st, int stage)
{
    switch (stage) {
    case 1: return "excluded by --where (rows not written)";
    case 2: return "instrument not administered";
    case STAGE_INVALID:
        return rfsi_study_all_rows(st) ? "invalid (valid = 0), kept by --all-rows; first reason"
                                       : "excluded: invalid (valid = 0), by first reason";
    }
    return "";
}

/* ------------------------------------------------------------ the table */

static void flow_text(const rfsi_study *st, const rfsi_flow_box *bx, size_t n, rfsi_buf *b, int *rc)
{
    size_t i;
    int stage = -1;

    rfsi_rput(b, rc, "\nexclusion flow (rows; each excluded row counted once, under its first reason)\n");
    for (i = 0; i < n; i++) {
        if (bx[i].is_exclusion && bx[i].stage != stage) {
            stage = bx[i].stage;
            rfsi_rput(b, rc, "    %s:\n", rfsi_flow_stage_title(st, stage));
        }
        if (bx[i].is_exclusion)
            rfsi_rput(b, rc, "      - %-36s %10llu\n", bx[i].label, bx[i].n);
        else
            rfsi_rput(b, rc, "  %-42s %10llu\n", bx[i].label, bx[i].n);
    }
}

static void flow_json(const rfsi_flow_box *bx, size_t n, rfsi_buf *b, int *rc)
{
    size_t i;

    rfsi_rput(b, rc, "\"flow\": [");
    for (i = 0; i < n; i++) {
        rfsi_rput(b, rc, "%s\n        {\"key\": \"%s\", \"label\": ", i ? "," : "", bx[i].key);
        rfsi_rjson_str(b, rc, bx[i].label);
        rfsi_rput(b, rc, ", \"n\": %llu, \"stage\": %d, \"exclusion\": %s}", bx[i].n, bx[i].stage,
                  bx[i].is_exclusion ? "true" : "false");
    }
    rfsi_rput(b, rc, "]");
}

static void flow_table(const rfsi_study *st, const char *id, const rfsi_flow_box *bx, size_t n, rfsi_buf *b, int *rc)
{
    size_t i;
    int stage = -1;

    rfsi_rput(b, rc, "<table class=\"flow\" id=\"flow-table-");
    rfsi_rid(b, rc, id);
    rfsi_rput(b, rc, "\"><tr><th>step</th><th>rows</th></tr>\n");
    for (i = 0; i < n; i++) {
        if (bx[i].is_exclusion && bx[i].stage != stage) {
            stage = bx[i].stage;
            rfsi_rput(b, rc, "<tr class=\"stage\"><td colspan=\"2\">%s</td></tr>\n", rfsi_flow_stage_title(st, stage));
        }
        rfsi_rput(b, rc, "<tr class=\"%s\"><td>%s%s</td><td>%llu</td></tr>\n", bx[i].is_exclusion ? "excl" : "main",
                  bx[i].is_exclusion ? "&#8211; " : "", bx[i].label, bx[i].n);
    }
    rfsi_rput(b, rc, "</table>\n");
}

/* ---------------------------------------------------------- the diagram */

#define FL_W 680
#define FL_MAIN_X 16
#define FL_MAIN_W 250
#define FL_MAIN_H 44
#define FL_SIDE_X 330
#define FL_SIDE_W 330
#define FL_LINE 16
#define FL_GAP 18

static void arrow_down(rfsi_buf *b, int *rc, double x, double y0, double y1)
{
    rfsi_rput(b, rc, "<line class=\"flow-arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
              "<polygon class=\"flow-head\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
              x, y0, x, y1 - 6, x - 5, y1 - 7, x + 5, y1 - 7, x, y1);
}

static void arrow_right(rfsi_buf *b, int *rc, double x0, double x1, double y)
{
    rfsi_rput(b, rc, "<line class=\"flow-arrow\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>"
              "<polygon class=\"flow-head\" points=\"%.1f,%.1f %.1f,%.1f %.1f,%.1f\"/>\n",
              x0, y, x1 - 6, y, x1 - 7, y - 5, x1 - 7, y + 5, x1, y);
}

static void main_box(rfsi_buf *b, int *rc, const rfsi_flow_box *bx, double y)
{
    rfsi_rput(b, rc, "<rect class=\"flow-box flow-main\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" rx=\"3\"/>"
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">", FL_MAIN_X, y, FL_MAIN_W, FL_MAIN_H,
              FL_MAIN_X + FL_MAIN_W / 2, y + 18);
    rfsi_resc(b, rc, bx->label);
    rfsi_rput(b, rc, "</text><text class=\"n\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">n = %llu</text>\n",
              FL_MAIN_X + FL_MAIN_W / 2, y + 35, bx->n);
}

static void flow_svg(const rfsi_study *st, const char *id, const rfsi_flow_box *bx, size_t n, rfsi_buf *b, int *rc)
{
    double height = 8, y, cx = FL_MAIN_X + FL_MAIN_W / 2.0;
    size_t i, j;

    /* height: main boxes, and per stage an exclusion box (title + lines) between them */
    for (i = 0; i < n; i++) {
        if (!bx[i].is_exclusion) {
            height += FL_MAIN_H + FL_GAP;
            continue;
        }
        for (j = i; j < n && bx[j].is_exclusion && bx[j].stage == bx[i].stage; j++)
            ;
        height += 12 + FL_LINE * (double)(j - i + 1) + FL_GAP;
        i = j - 1;
    }
    rfsi_rput(b, rc, "<figure class=\"flow\" id=\"flow-");
    rfsi_rid(b, rc, id);
    rfsi_rput(b, rc, "\"><svg class=\"flow\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
              "viewBox=\"0 0 %d %.0f\" role=\"img\" aria-label=\"Exclusion flow of ", FL_W, height, FL_W, height);
    rfsi_resc(b, rc, id);
    rfsi_rput(b, rc, "\">\n");
    y = 8;
    for (i = 0; i < n; i++) {
        if (!bx[i].is_exclusion) {
            main_box(b, rc, &bx[i], y);
            y += FL_MAIN_H;
            if (i + 1 < n)
                y += FL_GAP;
            continue;
        }
        for (j = i; j < n && bx[j].is_exclusion && bx[j].stage == bx[i].stage; j++)
            ;
        {
            double h = 12 + FL_LINE * (double)(j - i + 1), top = y, next_main = y + h + FL_GAP;
            size_t m;
            arrow_down(b, rc, cx, top - FL_GAP, next_main);
            arrow_right(b, rc, cx, FL_SIDE_X, top + h / 2);
            rfsi_rput(b, rc, "<rect class=\"flow-box flow-excl\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                      "rx=\"3\"/><text class=\"title\" x=\"%d\" y=\"%.1f\">", FL_SIDE_X, top, FL_SIDE_W, h, FL_SIDE_X + 8,
                      top + 16);
            rfsi_resc(b, rc, rfsi_flow_stage_title(st, bx[i].stage));
            rfsi_rput(b, rc, "</text>\n");
            for (m = i; m < j; m++) {
                double ty = top + 16 + FL_LINE * (double)(m - i + 1);
                rfsi_rput(b, rc, "<text x=\"%d\" y=\"%.1f\">", FL_SIDE_X + 16, ty);
                rfsi_resc(b, rc, bx[m].label);
                rfsi_rput(b, rc, "</text><text class=\"n\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%llu</text>\n",
                          FL_SIDE_X + FL_SIDE_W - 8, ty, bx[m].n);
            }
            y = next_main;
        }
        i = j - 1;
    }
    rfsi_rput(b, rc, "</svg><figcaption>Each excluded row is counted once, under the first of its reasons in the "
              "order shown.</figcaption></figure>\n");
}

void rfsi_study_flow_render(const rfsi_study *st, size_t inst, int format, rfsi_buf *b, int *rc)
{
    rfsi_flow_box bx[RFSI_FLOW_MAX];
    size_t n = rfsi_study_flow(st, inst, bx);
    const char *id = rfsi_study_instrument(st, inst)->id;

    if (format == 0)
        flow_text(st, bx, n, b, rc);
    else if (format == 1)
        flow_json(bx, n, b, rc);
    else {
        rfsi_rput(b, rc, "<h3>Exclusion flow</h3>\n<div class=\"flow-pair\">\n");
        flow_svg(st, id, bx, n, b, rc);
        flow_table(st, id, bx, n, b, rc);
        rfsi_rput(b, rc, "</div>\n");
    }
}

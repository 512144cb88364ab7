/* rfs_instrument_selftest: run a definition's [case.*] conformance cases through the
 * same cell rules and scoring core as data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scoring/cell.h"
#include "base/error.h"
#include "definition/instrument.h"
#include "output/numfmt.h"
#include "scoring/score.h"
#include "scoring/transform.h"

#define TOLERANCE 1e-9

/* The band or category a case produced, or NULL when there is none. */
static const char *outcome_text(const rfs_instrument *inst, const rfsi_case_expect *x, const rfsi_score_result *res,
                                const rfsi_response *resp)
{
    if (x->kind == RFSI_EXPECT_BAND) {
        const rfsi_bandset *bs = &inst->bandsets[x->score];
        size_t b;
        if (res[bs->score].status != RFSI_STATUS_OK)
            return NULL;
        b = rfsi_band_of(bs, res[bs->score].value);
        return b == (size_t)-1 ? NULL : bs->bands[b].name;
    } else {
        const rfsi_item *it = &inst->items[x->score];
        const rfsi_response *r = &resp[x->score];
        if (r->state != RFSI_ANSWER || r->value < 1 || (size_t)r->value > it->n_categories)
            return NULL;
        return it->categories[r->value - 1];
    }
}

size_t rfs_instrument_selftest(const rfs_instrument *inst, size_t *cases_run, rfs_problem_fn report,
                               void *userdata)
{
    size_t n_scores = rfs_instrument_score_count(inst), failures = 0, c, i, k;
    rfsi_response *resp;
    rfsi_score_result *res;
    size_t *mins;
    rfsi_report rep;

    if (cases_run)
        *cases_run = 0;
    if (!inst) {
        rfsi_report_init(&rep, NULL, report, userdata);
        rfsi_report_add(&rep, RFS_E_USAGE, 0, "no instrument (NULL)");
        return 1;
    }
    resp = calloc(inst->n_items, sizeof *resp);
    res = calloc(n_scores + 1, sizeof *res);
    mins = calloc(inst->n_scales + 1, sizeof *mins);
    rfsi_report_init(&rep, inst->path, report, userdata);
    if (!resp || !res || !mins) {
        rfsi_report_add(&rep, RFS_E_NOMEM, 0, "out of memory");
        free(resp);
        free(res);
        free(mins);
        return 1;
    }
    for (k = 0; k < inst->n_scales; k++)
        mins[k] = inst->scales[k].min_answered;
    for (c = 0; c < inst->n_cases; c++) {
        const rfsi_case *tc = &inst->cases[c];
        for (i = 0; i < inst->n_items; i++)
            rfsi_cell_classify_item(inst, i, tc->cells[i], strlen(tc->cells[i]), &resp[i]);
        rfsi_score(inst, mins, resp, res);
        for (k = 0; k < tc->n_expect; k++) {
            const rfsi_case_expect *x = &tc->expect[k];
            char got[RFSI_NUMFMT_MAX + RFSI_LABEL_MAX];
            int ok;
            if (x->kind == RFSI_EXPECT_BAND || x->kind == RFSI_EXPECT_CATEGORY) {
                const char *name = outcome_text(inst, x, res, resp);
                snprintf(got, sizeof got, "%s", name ? name : "NA");
                ok = x->is_na ? !name : name && strcasecmp(name, x->text) == 0;
            } else {
                const rfsi_score_result *r = &res[x->score];
                double v = r->value;
                if (x->kind == RFSI_EXPECT_POMP && r->status == RFSI_STATUS_OK) {
                    double lo, hi;
                    rfsi_score_range(inst, x->score, &lo, &hi);
                    v = rfsi_pomp(v, lo, hi);
                }
                if (r->status == RFSI_STATUS_OK)
                    rfsi_fmt_double(got, v);
                else
                    snprintf(got, sizeof got, "NA");
                ok = x->is_na ? r->status != RFSI_STATUS_OK
                              : r->status == RFSI_STATUS_OK && fabs(v - x->value) <= TOLERANCE;
            }
            if (!ok) {
                failures++;
                rfsi_report_add(&rep, RFS_E_DEFINITION, tc->line, "[case.%s] %s: expected %s, scored %s",
                                tc->name, x->id ? x->id : rfsi_score_id(inst, x->score), x->text, got);
            }
        }
        if (cases_run)
            (*cases_run)++;
    }
    free(resp);
    free(res);
    free(mins);
    return failures;
}

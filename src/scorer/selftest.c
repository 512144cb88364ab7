/* rfs_instrument_selftest: run a definition's [case.*] conformance cases through the
 * same cell rules and scoring core as data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scoring/cell.h"
#include "base/error.h"
#include "definition/instrument.h"
#include "output/numfmt.h"
#include "scoring/score.h"

#define TOLERANCE 1e-9

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
            const rfsi_score_result *r = &res[x->score];
            char got[RFSI_NUMFMT_MAX];
            int ok;
            if (r->status == RFSI_STATUS_OK)
                rfsi_fmt_double(got, r->value);
            else
                snprintf(got, sizeof got, "NA");
            ok = x->is_na ? r->status != RFSI_STATUS_OK
                          : r->status == RFSI_STATUS_OK && fabs(r->value - x->value) <= TOLERANCE;
            if (!ok) {
                failures++;
                rfsi_report_add(&rep, RFS_E_DEFINITION, tc->line, "[case.%s] %s: expected %s, scored %s",
                                tc->name, rfsi_score_id(inst, x->score), x->text, got);
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

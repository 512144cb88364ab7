#include "score.h"

const char *rfsi_status_name(rfsi_score_status status)
{
    switch (status) {
    case RFSI_STATUS_OK: return "ok";
    case RFSI_STATUS_TOO_FEW_ITEMS: return "too_few_items";
    case RFSI_STATUS_COMPONENT_NOT_SCORED: return "component_not_scored";
    }
    return "unknown";
}

void rfsi_score_finish(const rfsi_scale *sc, size_t min_answered, long sum, size_t n, rfsi_score_result *out)
{
    out->sum = sum;
    out->n = n;
    out->value = 0;
    if (n == 0 || n < min_answered || (sc->kind == RFSI_SCORE_SUM && n < sc->n_items)) {
        out->status = RFSI_STATUS_TOO_FEW_ITEMS;
        return;
    }
    out->status = RFSI_STATUS_OK;
    switch (sc->kind) {
    case RFSI_SCORE_MEAN:
        out->value = (double)sum / (double)n;
        break;
    case RFSI_SCORE_SUM:
        out->value = (double)sum;
        break;
    case RFSI_SCORE_PRORATED_SUM: /* one rounding: (sum * k) / n */
        out->value = (double)sum * (double)sc->n_items / (double)n;
        break;
    }
}

static void score_scale(const rfs_instrument *inst, const rfsi_scale *sc, size_t min_answered,
                        const rfsi_response *resp, rfsi_score_result *out)
{
    size_t range = (size_t)(inst->max - inst->min + 1), j, n = 0;
    long sum = 0;

    for (j = 0; j < sc->n_items; j++) {
        const rfsi_response *r = &resp[sc->items[j]];
        if (r->state != RFSI_ANSWER)
            continue; /* missing never counts as 0 */
        sum += sc->table[j * range + (size_t)(r->value - inst->min)];
        n++;
    }
    rfsi_score_finish(sc, min_answered, sum, n, out);
}

void rfsi_score_derived(const rfs_instrument *inst, rfsi_score_result *out)
{
    size_t i, k;

    for (i = 0; i < inst->n_derived; i++) {
        size_t di = inst->derived_order[i];
        const rfsi_derived *d = &inst->derived[di];
        rfsi_score_result *o = &out[inst->n_scales + di];
        double total = 0;
        o->sum = 0;
        o->n = 0;
        o->value = 0;
        o->status = RFSI_STATUS_OK;
        for (k = 0; k < d->n; k++) {
            const rfsi_score_result *c = &out[d->components[k]];
            if (c->status != RFSI_STATUS_OK) {
                o->status = RFSI_STATUS_COMPONENT_NOT_SCORED;
                continue;
            }
            /* in listed order, as docs/output.md states; a weight (RQ's -1) multiplies */
            total += d->weights ? (double)d->weights[k] * c->value : c->value;
            o->n++;
        }
        if (o->status == RFSI_STATUS_OK)
            o->value = d->kind == RFSI_SCORE_MEAN ? total / (double)d->n : total;
    }
}

void rfsi_score(const rfs_instrument *inst, const size_t *min_answered, const rfsi_response *resp,
                rfsi_score_result *out)
{
    size_t s;

    for (s = 0; s < inst->n_scales; s++)
        score_scale(inst, &inst->scales[s], min_answered[s], resp, &out[s]);
    rfsi_score_derived(inst, out);
}

/* Indices follow the definitions of the careless R package (Yentes & Wilhelm), read in
 * its sources: longstring (Johnson 2005), irv (Dunn et al. 2018), evenodd (Johnson
 * 2005; Spearman-Brown corrected since careless 1.2.0), psychsyn (Meade & Craig 2012). */
#include "validity.h"

#include <math.h>

int rfsi_pearson(const double *x, const double *y, size_t n, double *r)
{
    double mx = 0, my = 0, sxx = 0, syy = 0, sxy = 0;
    size_t i;

    if (n < 2)
        return 0;
    for (i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    for (i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    if (sxx == 0 || syy == 0)
        return 0; /* R's cor() gives NA with a warning */
    *r = sxy / sqrt(sxx * syy);
    return 1;
}

/* One pass for both: careless::longstring runs rle() over the row, so a missing or
 * invalid cell is a run of its own and breaks runs; careless::irv is sd() of the row
 * (NA there when any item is missing; here the SD of the answered items). The variance
 * comes from exact integer sums with one rounding, then sqrt. */
static void longstring_irv(const rfs_instrument *inst, const rfsi_response *resp, rfsi_indices *out)
{
    const rfsi_item *items = inst->items;
    long long n = 0, s = 0, ss = 0;
    size_t i, run = 0, best = 0;
    long prev = 0;

    /* Without branches on the answers, which are as unpredictable as the respondent: an
     * unanswered item makes run 0, and the next answered one starts a run of 1. */
    for (i = 0; i < inst->n_items; i++) {
        long v = resp[i].value;
        /* a categorical item's code is a name, not an amount: it takes no part */
        size_t ans = resp[i].state == RFSI_ANSWER && !(items && items[i].n_categories);
        size_t same = (size_t)(run != 0) & (size_t)(prev == v); /* masks: ?: becomes a branch */
        run = ((run & (0 - same)) + 1) & (0 - ans);
        v = ans ? v : 0;
        prev = v;
        best = run > best ? run : best;
        n += (long long)ans;
        s += v;
        ss += (long long)v * v;
    }
    rfsi_longstring_irv_finish(best, n, s, ss, out);
}

double rfsi_irv_value(const rfsi_indices *ix)
{
    long long n = ix->irv_n;

    return ix->has_irv ? sqrt((double)ix->irv_d / (double)(n * (n - 1))) : 0;
}

void rfsi_longstring_irv_counts(size_t longstring, long long n, long long s, long long ss, rfsi_indices *out)
{
    out->longstring = longstring;
    out->has_irv = n >= 2;
    out->irv = NAN;
    out->irv_d = (unsigned long long)(n * ss - s * s); /* >= 0 (Cauchy-Schwarz) */
    out->irv_n = (unsigned int)n;
}

void rfsi_longstring_irv_finish(size_t longstring, long long n, long long s, long long ss, rfsi_indices *out)
{
    rfsi_longstring_irv_counts(longstring, n, s, ss, out);
    out->irv = rfsi_irv_value(out);
}

/* Per declared scale: the means of its odd- and even-positioned items (1st, 3rd, ... and
 * 2nd, 4th, ... as listed), scored values, missing ignored; then the correlation of the
 * odd means with the even means across scales, Spearman-Brown corrected, floored at -1. */
static int even_odd(const rfs_instrument *inst, const rfsi_response *resp, double *out)
{
    const rfsi_validity *va = &inst->validity;
    size_t range = (size_t)(inst->max - inst->min + 1), f, j, n = 0;
    double odd[RFS_MAX_ITEMS], even[RFS_MAX_ITEMS], r; /* the loader allows at most this many */

    for (f = 0; f < va->n_even_odd && n < RFS_MAX_ITEMS; f++) {
        const rfsi_scale *sc = &inst->scales[va->even_odd_scales[f]];
        double sum[2] = {0, 0};
        size_t cnt[2] = {0, 0};
        for (j = 0; j < sc->n_items; j++) {
            const rfsi_response *x = &resp[sc->items[j]];
            if (x->state != RFSI_ANSWER)
                continue;
            sum[j % 2] += (double)sc->table[j * range + (size_t)(x->value - inst->min)];
            cnt[j % 2]++;
        }
        if (!cnt[0] || !cnt[1])
            continue; /* pairwise complete, as cor(use = "pairwise.complete.obs") */
        odd[n] = sum[0] / (double)cnt[0];
        even[n] = sum[1] / (double)cnt[1];
        n++;
    }
    if (!rfsi_pearson(even, odd, n, &r))
        return 0;
    r = 2 * r / (1 + r);
    *out = r < -1 ? -1 : r;
    return 1;
}

/* careless::psychsyn for declared pairs: Pearson correlation of the raw answers over the
 * complete pairs, computed when more than 2 pairs are complete. */
static int pairs(const rfsi_pair *p, size_t np, const rfsi_response *resp, double *out)
{
    double x[RFS_MAX_ITEMS], y[RFS_MAX_ITEMS]; /* the loader allows at most this many pairs */
    size_t k, n = 0;

    for (k = 0; k < np && n < RFS_MAX_ITEMS; k++)
        if (resp[p[k].a].state == RFSI_ANSWER && resp[p[k].b].state == RFSI_ANSWER) {
            x[n] = (double)resp[p[k].a].value;
            y[n] = (double)resp[p[k].b].value;
            n++;
        }
    return n > 2 && rfsi_pearson(x, y, n, out);
}

void rfsi_indices_compute(const rfs_instrument *inst, const rfsi_response *resp, rfsi_indices *out)
{
    longstring_irv(inst, resp, out);
    rfsi_indices_declared(inst, resp, out);
}

void rfsi_indices_declared(const rfs_instrument *inst, const rfsi_response *resp, rfsi_indices *out)
{
    const rfsi_validity *va = &inst->validity;

    out->has_even_odd = va->n_even_odd >= 2 && even_odd(inst, resp, &out->even_odd);
    out->has_synonyms = va->n_synonyms && pairs(va->synonyms, va->n_synonyms, resp, &out->synonyms);
    out->has_antonyms = va->n_antonyms && pairs(va->antonyms, va->n_antonyms, resp, &out->antonyms);
}

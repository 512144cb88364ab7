/* The study report's warnings: the mis-keying screen (a negative r.drop after the
 * declared keying), items without variance, scales without alpha, and one-factor models
 * at a bound (docs/report.md, "Mis-keying screen"). */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omega.h"

static const char *keying(const rfsi_scale *sc, size_t j)
{
    if (sc->reversed[j] && sc->recoded[j])
        return "reversed, then recoded";
    return sc->reversed[j] ? "reversed" : sc->recoded[j] ? "recoded" : "not reversed";
}

int rfsi_study_warnings(const rfsi_study *st, size_t inst, rfsi_study_warning_fn fn, void *userdata)
{
    const rfs_instrument *in;
    rfsi_alpha_item *items;
    rfsi_study_warning w;
    size_t s, j;
    int rc = 0;

    if (inst >= rfsi_study_instrument_count(st))
        return -1;
    in = rfsi_study_instrument(st, inst);
    for (s = 0; s < in->n_scales && rc == 0; s++) {
        const rfsi_scale *sc = &in->scales[s];
        rfsi_score_stats ss;
        if (sc->n_items < 2)
            continue; /* a single item has no internal consistency to report */
        items = calloc(sc->n_items, sizeof *items);
        if (!items || rfsi_study_score_stats(st, inst, s, &ss, items) < 0) {
            free(items);
            return -1;
        }
        memset(&w, 0, sizeof w);
        w.score = s;
        if (ss.alpha.k < 2) {
            w.kind = RFSI_WARN_NO_ALPHA;
            w.item = (size_t)-1;
            w.value = (double)ss.alpha.n;
            snprintf(w.text, sizeof w.text,
                     "%s scale %s: no alpha: %llu complete rows, %zu items with variance (needs 2 of each)",
                     in->id, sc->id, ss.alpha.n, ss.alpha.k);
            rc = fn(&w, userdata);
        }
        if (rc == 0 && ss.alpha.omega_heywood) {
            w.kind = RFSI_WARN_HEYWOOD;
            w.item = (size_t)-1;
            w.value = ss.alpha.omega_total;
            snprintf(w.text, sizeof w.text,
                     "%s scale %s: the one-factor model behind omega put a communality at its bound (%g, a "
                     "Heywood case): omega total (%.3f) is suspect",
                     in->id, sc->id, RFSI_OMEGA_MAX_COMMUNALITY, ss.alpha.omega_total);
            rc = fn(&w, userdata);
        }
        for (j = 0; j < sc->n_items && rc == 0; j++) {
            const char *col = in->items[sc->items[j]].column;
            w.item = j;
            if (ss.alpha.n >= 2 && !items[j].in_alpha) {
                w.kind = RFSI_WARN_NO_VARIANCE;
                w.value = items[j].mean;
                snprintf(w.text, sizeof w.text,
                         "%s scale %s: item %s has the same scored value (%g) in all %llu complete rows; "
                         "left out of alpha, as psych::alpha does",
                         in->id, sc->id, col, items[j].mean, ss.alpha.n);
                rc = fn(&w, userdata);
            } else if (items[j].r_drop < 0) {
                w.kind = RFSI_WARN_NEGATIVE_R_DROP;
                w.value = items[j].r_drop;
                snprintf(w.text, sizeof w.text,
                         "%s scale %s: item %s (%s) correlates negatively with the rest of the scale after "
                         "keying (r.drop = %.3f): check its keying",
                         in->id, sc->id, col, keying(sc, j), items[j].r_drop);
                rc = fn(&w, userdata);
            }
        }
        free(items);
    }
    return rc ? -1 : 0;
}

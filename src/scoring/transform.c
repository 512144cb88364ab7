#include "transform.h"

#include <string.h>

size_t rfsi_band_of(const rfsi_bandset *bs, double value)
{
    size_t i;

    for (i = 0; i < bs->n; i++)
        if (value >= bs->bands[i].lo - RFSI_EDGE_SLACK && value <= bs->bands[i].hi + RFSI_EDGE_SLACK)
            return i;
    return (size_t)-1;
}

double rfsi_pomp(double value, double lo, double hi)
{
    return 100.0 * (value - lo) / (hi - lo);
}

const char *rfsi_norm_status_name(rfsi_norm_status status)
{
    switch (status) {
    case RFSI_NORM_OK: return "ok";
    case RFSI_NORM_NOT_SCORED: return "not_scored";
    case RFSI_NORM_NO_GROUP: return "no_norm_group";
    case RFSI_NORM_OUTSIDE: return "outside_norms";
    }
    return "unknown";
}

rfsi_norm_status rfsi_norm_lookup(const rfsi_norms *nm, const char *const *group, const size_t *group_len,
                                  double score, double *out)
{
    char norm[RFSI_NORM_GROUPS_MAX][RFSI_LABEL_MAX + 1];
    size_t g, r, k;

    for (g = 0; g < nm->n_groups && g < RFSI_NORM_GROUPS_MAX; g++) {
        if (!group[g] || rfsi_label_normalize(group[g], group_len[g], norm[g]) == (size_t)-1 || !norm[g][0])
            return RFSI_NORM_NO_GROUP;
        for (k = 0; k < nm->n_levels[g]; k++)
            if (strcmp(nm->levels[g][k], norm[g]) == 0)
                break;
        if (k == nm->n_levels[g])
            return RFSI_NORM_NO_GROUP;
    }
    for (r = 0; r < nm->n_rows; r++) {
        const rfsi_norm_row *row = &nm->rows[r];
        for (g = 0; g < nm->n_groups; g++)
            if (strcmp(row->group[g], norm[g]) != 0)
                break;
        if (g < nm->n_groups)
            continue;
        if (score >= row->lo - RFSI_EDGE_SLACK && score <= row->hi + RFSI_EDGE_SLACK) {
            *out = row->value;
            return RFSI_NORM_OK;
        }
    }
    return RFSI_NORM_OUTSIDE;
}

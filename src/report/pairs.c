/* Pairwise-complete correlations in one pass (see pairs.h). The bivariate form of
 * Welford's update (West 1979): with d_x = x - mean_x before and x - mean_x after,
 * c_xy += (x - mean_x,old)(y - mean_y,new), so no large sums are subtracted. */
#include "pairs.h"

#include <math.h>
#include <stdlib.h>

#define FIELDS 6

/* Offset of pair (i, j), i < j, in the packed strict upper triangle. */
static size_t pair_at(size_t i, size_t j, size_t k)
{
    return (i * (2 * k - i - 1) / 2 + (j - i - 1)) * FIELDS;
}

int rfsi_pairs_init(rfsi_pairs *p, size_t k)
{
    size_t n_pairs = k * (k - (k > 0)) / 2;

    p->k = k;
    p->acc = calloc(n_pairs * FIELDS + 1, sizeof *p->acc);
    p->x = calloc(k + 1, sizeof *p->x);
    p->present = calloc(k + 1, 1);
    return p->acc && p->x && p->present ? 0 : -1;
}

void rfsi_pairs_free(rfsi_pairs *p)
{
    free(p->acc);
    free(p->x);
    free(p->present);
    p->acc = p->x = NULL;
    p->present = NULL;
}

void rfsi_pairs_add(rfsi_pairs *p)
{
    size_t i, j;

    for (i = 0; i < p->k; i++) {
        if (!p->present[i])
            continue;
        for (j = i + 1; j < p->k; j++) {
            double *a, n, dx, dy;
            if (!p->present[j])
                continue;
            a = p->acc + pair_at(i, j, p->k);
            n = ++a[0];
            dx = p->x[i] - a[1];
            dy = p->x[j] - a[2];
            a[1] += dx / n;
            a[2] += dy / n;
            a[3] += dx * (p->x[i] - a[1]);
            a[4] += dy * (p->x[j] - a[2]);
            a[5] += dx * (p->x[j] - a[2]);
        }
    }
}

double rfsi_pairs_cor(const rfsi_pairs *p, size_t i, size_t j, unsigned long long *n)
{
    const double *a;

    if (n)
        *n = 0;
    if (i == j || i >= p->k || j >= p->k)
        return NAN;
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    a = p->acc + pair_at(i, j, p->k);
    if (n)
        *n = (unsigned long long)a[0];
    if (a[0] < 2 || !(a[3] > 0) || !(a[4] > 0))
        return NAN;
    return a[5] / sqrt(a[3] * a[4]);
}

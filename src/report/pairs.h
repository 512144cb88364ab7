/* Pairwise-complete co-moments of k variables (the study report's scale
 * intercorrelations): for every pair, the rows where both are present, their means and
 * the sums of squared and crossed deviations, updated per row with Welford's recurrence.
 * Memory is 6 doubles per pair, whatever the number of rows. */
#ifndef RFS_PAIRS_H
#define RFS_PAIRS_H

#include <stddef.h>

typedef struct rfsi_pairs {
    size_t k;
    double *acc;              /* per pair i < j: n, mean_i, mean_j, c_ii, c_jj, c_ij */
    double *x;                /* per-row scratch: the values, k entries */
    unsigned char *present;   /* per-row scratch: 1 where x holds a value */
} rfsi_pairs;

/* Returns 0, or -1 on no memory. rfsi_pairs_free() either way. */
int rfsi_pairs_init(rfsi_pairs *p, size_t k);
void rfsi_pairs_free(rfsi_pairs *p);

/* One row: p->x and p->present filled by the caller. Never allocates. */
void rfsi_pairs_add(rfsi_pairs *p);

/* Pearson r of variables i != j over the rows where both were present (R: cor(x, use =
 * "pairwise.complete.obs")), NaN with fewer than 2 rows or no variance; *n those rows. */
double rfsi_pairs_cor(const rfsi_pairs *p, size_t i, size_t j, unsigned long long *n);

#endif

/* Corrected item-total correlations (psych::alpha's r.drop: an item against the sum of the
 * other items of its scale) for every scale of an instrument, accumulated in one pass with
 * O(items) work per row: per scale, the sums of the keyed item values and of their total,
 * and the co-moments item-item (the diagonal only) and item-total (from exact integer
 * sums of x, x^2, x t, t and t^2: keyed values are integers). That is all r.drop
 * needs, since cov(x_i, T - x_i) = cov(x_i, T) - var(x_i) and
 * var(T - x_i) = var(T) - 2 cov(x_i, T) + var(x_i). The study report (report.c) keeps the
 * whole k x k matrix for alpha, about a third of a run's CPU on the benchmark; the run's
 * item_total_negative warning, on in every run, uses this instead. Rows: those with every
 * item of the scale answered (listwise, as the report), the first RFSI_ITEMTOTAL_ROWS of
 * them: plenty for the sign of a correlation, and it keeps the cost off long files (the
 * per-row work is about 9% of a run's instructions on the benchmark data); the caller
 * chooses which rows to add (the scorer: valid rows, as the report by default). */
#ifndef RFS_ITEMTOTAL_H
#define RFS_ITEMTOTAL_H

#include <stddef.h>

#include "definition/instrument.h"
#include "scoring/cell.h"

typedef struct rfsi_itemtotal rfsi_itemtotal;

#define RFSI_ITEMTOTAL_ROWS 100000ULL

/* inst is borrowed and must outlive it. NULL on no memory. Caller frees with
 * rfsi_itemtotal_free(), which does nothing for NULL. */
rfsi_itemtotal *rfsi_itemtotal_new(const rfs_instrument *inst);
void rfsi_itemtotal_free(rfsi_itemtotal *it);

/* One row's responses (inst->n_items entries). Never allocates. */
void rfsi_itemtotal_add(rfsi_itemtotal *it, const rfsi_response *resp);

/* Rows added to b after those of a (the same instrument), as if added to a in turn; only
 * when can_merge says a takes all of them or none (it does not fill up within them). */
int rfsi_itemtotal_can_merge(const rfsi_itemtotal *a, const rfsi_itemtotal *b);
void rfsi_itemtotal_merge(rfsi_itemtotal *a, const rfsi_itemtotal *b);
/* Back to no rows. */
void rfsi_itemtotal_clear(rfsi_itemtotal *it);

/* 1 when every scale has its RFSI_ITEMTOTAL_ROWS rows (or its limit): adding does nothing. */
int rfsi_itemtotal_full(const rfsi_itemtotal *it);
/* Complete rows of scale s counted so far (at most RFSI_ITEMTOTAL_ROWS). */
unsigned long long rfsi_itemtotal_rows(const rfsi_itemtotal *it, size_t s);
/* r.drop of listed item j of scale s; NaN with fewer than 2 complete rows, or when the
 * item or the rest of the scale has no variance (psych leaves such items out). */
double rfsi_itemtotal_r_drop(const rfsi_itemtotal *it, size_t s, size_t j);

#endif

/* What a score turns into after it is scored: its cut-off band, its POMP rescaling and
 * its normed value (T-score or percentile). Pure: no I/O, no allocation; the tables come
 * from the definition (docs/instrument-format.md: bands, pomp, norms). */
#ifndef RFS_TRANSFORM_H
#define RFS_TRANSFORM_H

#include <stddef.h>

#include "definition/instrument.h"

/* Scores are means and sums of integers, so a score on a band edge may arrive as
 * 6.999999999999999; edges are compared with this slack. Bands never overlap by more. */
#define RFSI_EDGE_SLACK 1e-9

/* The band of bs that holds value (edges inclusive): its index, or (size_t)-1. */
size_t rfsi_band_of(const rfsi_bandset *bs, double value);

/* Percent of maximum possible: 100 * (value - lo) / (hi - lo), from the score's declared
 * range lo < hi (Cohen, Cohen, Aiken & West 1999). */
double rfsi_pomp(double value, double lo, double hi);

typedef enum rfsi_norm_status {
    RFSI_NORM_OK = 0,
    RFSI_NORM_NOT_SCORED,    /* the score itself was not scored */
    RFSI_NORM_NO_GROUP,      /* a group cell is empty or not a declared level */
    RFSI_NORM_OUTSIDE        /* no row of the respondent's group holds the score */
} rfsi_norm_status;

/* Looks score up in nm for the respondent whose group cells are group[g][0..group_len[g])
 * (one per nm->group_columns; not NUL-terminated). On RFSI_NORM_OK sets *out. A score
 * outside the table is a status: a norm table is never extrapolated. */
rfsi_norm_status rfsi_norm_lookup(const rfsi_norms *nm, const char *const *group, const size_t *group_len,
                                  double score, double *out);

/* "ok", "not_scored", "no_norm_group", "outside_norms". */
const char *rfsi_norm_status_name(rfsi_norm_status status);

#endif

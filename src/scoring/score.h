/* The scoring core: responses in, scores and statuses out. Pure: no I/O, no allocation,
 * no libcsv or iniparser types, so it is tested with plain arrays. */
#ifndef RFS_SCORE_H
#define RFS_SCORE_H

#include <stddef.h>

#include "cell.h"
#include "definition/instrument.h"

typedef enum rfsi_score_status {
    RFSI_STATUS_OK = 0,
    RFSI_STATUS_TOO_FEW_ITEMS,
    RFSI_STATUS_COMPONENT_NOT_SCORED
} rfsi_score_status;

typedef struct rfsi_score_result {
    double value;     /* the score, when status is OK */
    long sum;         /* scales: integer sum of the scored values of answered items */
    size_t n;         /* scales: answered items; derived: components scored */
    unsigned char status;
} rfsi_score_result;

/* Scores one respondent. resp has inst->n_items entries; min_answered has one entry per
 * scale (normally each scale's min_answered); out has rfs_instrument_score_count()
 * entries. */
void rfsi_score(const rfs_instrument *inst, const size_t *min_answered, const rfsi_response *resp,
                rfsi_score_result *out);

/* The parts of rfsi_score, for a caller that sums the items its own way (fastkey.h): a
 * scale's result from its sum and answered count, and the derived scores from the scales'. */
void rfsi_score_finish(const rfsi_scale *sc, size_t min_answered, long sum, size_t n, rfsi_score_result *out);
void rfsi_score_derived(const rfs_instrument *inst, rfsi_score_result *out);

/* Text of a status, e.g. "too_few_items". */
const char *rfsi_status_name(rfsi_score_status status);

#endif

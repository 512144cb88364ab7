/* A row's flags for one instrument: which problems, in a fixed order, as text
 * ("invalid_answer:rfq8_3=9;too_few_items:c=4<5"), and which kinds occurred. */
#ifndef RFS_FLAGS_H
#define RFS_FLAGS_H

#include <stddef.h>

#include "base/buf.h"
#include "cell.h"
#include "definition/instrument.h"
#include "score.h"
#include "validity.h"

/* An instrument's thresholds after command-line overrides. */
typedef struct rfsi_thresholds {
    int has_longstring_max;
    long longstring_max;
    int has_irv_min;
    double irv_min;
    double even_odd_min, synonyms_min, antonyms_max;
    double seconds_per_item;
    unsigned invalid_mask;
} rfsi_thresholds;

void rfsi_thresholds_from(const rfs_instrument *inst, rfsi_thresholds *out);

/* What is known about one row, borrowed for the call. */
typedef struct rfsi_row_facts {
    const rfsi_response *resp;
    const rfsi_score_result *res;
    const size_t *min_answered;
    const rfsi_indices *ix;
    const char *text;               /* invalid cells' text lives here ... */
    const size_t *bad_off, *bad_len; /* ... at these offsets, per item */
    const char *const *missing_types; /* names by missing_type - 1 */
    const char *const *item_names;  /* the column of each item, as in the header */
    int has_duration;
    double duration;                /* seconds */
    unsigned long long id_count;    /* occurrences of this row's id; > 1 flags duplicate_id */
} rfsi_row_facts;

/* Appends the flags to out (cleared first). Returns the set of kinds found as bits
 * (1 << rfsi_flag_kind), or -1 when memory runs out. */
long rfsi_flags_build(const rfs_instrument *inst, const rfsi_thresholds *th, const rfsi_row_facts *row,
                      rfsi_buf *out);

#endif

/* One CSV cell -> one response: an answer, a typed missing value, or an invalid answer.
 * Pure: no I/O. The rules are in docs/output.md ("Cells"). */
#ifndef RFS_CELL_H
#define RFS_CELL_H

#include <stddef.h>

#include "definition/instrument.h"

typedef enum rfsi_cell_state {
    RFSI_ANSWER = 0,
    RFSI_MISSING = 1,
    RFSI_INVALID = 2
} rfsi_cell_state;

/* missing_type: 0 for a blank cell or NA, N/A, "."; k + 1 for the instrument's missing
 * type k. */
typedef struct rfsi_response {
    long value;
    unsigned char state;
    unsigned char missing_type;
} rfsi_response;

/* Classifies s[0..len) (not NUL-terminated; may contain NULs) for inst, against the
 * instrument's response range. */
void rfsi_cell_classify(const rfs_instrument *inst, const char *s, size_t len, rfsi_response *out);

/* The same for one item (0-based): an answer must also lie in the item's own range, and a
 * categorical item is answered by a category's code or name (never by [values] labels). */
void rfsi_cell_classify_item(const rfs_instrument *inst, size_t item, const char *s, size_t len,
                             rfsi_response *out);

#endif

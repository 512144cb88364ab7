/* An instrument's key compiled for the common row, whose every item is either a plain
 * answer or not answered: one table per listed item of each scale, indexed by the
 * answer's code, whose entries pack the scored value and a count of 1, so a scale's sum
 * and answered count come from one add per item and no branch. It gives exactly what
 * rfsi_score() and the longstring and IRV of rfsi_indices_compute() give for the same
 * answers (tests/unit/test_fastkey.c). Pure: the caller provides the memory. */
#ifndef RFS_FASTKEY_H
#define RFS_FASTKEY_H

#include <stddef.h>

#include "score.h"
#include "validity.h"

typedef struct rfsi_fastkey rfsi_fastkey;

/* Bytes rfsi_fastkey_build() needs for inst, or 0 when the key cannot be compiled: a
 * categorical item (which takes no part in longstring and IRV), a response range of more
 * than 254 values, or scored values too large to pack. */
size_t rfsi_fastkey_size(const rfs_instrument *inst);
/* Builds into mem (rfsi_fastkey_size() bytes, aligned as malloc aligns); inst must outlive
 * it. Returns mem as the key. */
rfsi_fastkey *rfsi_fastkey_build(const rfs_instrument *inst, void *mem);

/* The code of a response: value - inst->min for an answer, this for none. */
unsigned char rfsi_fastkey_none(const rfsi_fastkey *fk);

/* codes: one per item (inst->n_items). As rfsi_score(). */
void rfsi_fastkey_score(const rfsi_fastkey *fk, const unsigned char *codes, const size_t *min_answered,
                        rfsi_score_result *out);
/* A row's codes, codes[i] = lut[cells[cols[i]]] for each item (a table from the caller's
 * cell bytes to codes, the bytes, and each item's place among them), with its longstring
 * and IRV into out as rfsi_indices_compute() gives them, but for the irv value itself
 * (rfsi_longstring_irv_counts(): rfsi_irv_value() gives it); the declared indices are
 * left to rfsi_indices_declared(). Returns the items answered. */
size_t rfsi_fastkey_gather(const rfsi_fastkey *fk, const unsigned char *restrict lut,
                           const unsigned char *restrict cells, const size_t *restrict cols,
                           unsigned char *restrict codes, rfsi_indices *out);

/* The same for the common layout, an instrument's items in consecutive columns in order:
 * cells[i] is item i's cell byte, '0' + v for an answer v (a value of the key's range) or
 * `empty` for none, and the code is the byte less '0' + inst->min. At most
 * RFSI_FASTKEY_RUN_MAX items; cells has RFSI_FASTKEY_RUN_PAD bytes readable past the last
 * item, codes as many writable. */
#define RFSI_FASTKEY_RUN_MAX 64
#define RFSI_FASTKEY_RUN_PAD 16
size_t rfsi_fastkey_gather_run(const rfsi_fastkey *fk, unsigned char empty, const unsigned char *restrict cells,
                               unsigned char *restrict codes, rfsi_indices *out);

#endif

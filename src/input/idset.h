/* Participant ids seen in a file, as 64-bit hashes (8 bytes per row), for the
 * duplicate_id flag. Two ways: collect every id in a pre-pass and then ask how often
 * each occurs (flags every occurrence), or count while streaming (flags the second and
 * later occurrences only). */
#ifndef RFS_IDSET_H
#define RFS_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct rfsi_idset {
    uint64_t *keys;      /* pre-pass: all hashes, then sorted; streaming: hash table */
    uint32_t *counts;    /* pre-pass after finish: counts of keys[i]; streaming: per slot */
    size_t n, cap;
    int sorted;          /* pre-pass finished */
} rfsi_idset;

uint64_t rfsi_id_hash(const char *id, size_t len);

/* Pre-pass: 0 or -1 (no memory). */
int rfsi_idset_collect(rfsi_idset *s, uint64_t h);
/* Ends the pre-pass: sorts and keeps one entry per id with its count. 0 or -1. */
int rfsi_idset_finish(rfsi_idset *s);
/* Occurrences of h in the whole input (after finish), or so far including this one
 * (streaming: counts h). 0 only when memory runs out in streaming mode. */
uint32_t rfsi_idset_count(rfsi_idset *s, uint64_t h);
void rfsi_idset_free(rfsi_idset *s);

#endif

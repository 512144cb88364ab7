/* Numbers to text for output: integers, and doubles in the shortest form that reads
 * back exactly (as Python's repr, with no trailing ".0"). */
#ifndef RFS_NUMFMT_H
#define RFS_NUMFMT_H

#include <stddef.h>

#define RFSI_NUMFMT_MAX 32

/* Writes v into out (at least RFSI_NUMFMT_MAX bytes, NUL-terminated); returns the length. */
size_t rfsi_fmt_double(char *out, double v);
size_t rfsi_fmt_ulong(char *out, unsigned long long v);

/* Scores are means and sums of small integers, so a run prints few distinct values many
 * times: a direct-mapped cache of printed forms, keyed by the double's bits, turns the
 * shortest-round-trip search into a copy. Owned by one scorer (no global state). */
#ifndef RFSI_NUMCACHE_SLOTS /* a power of two; fuzz builds make it small */
#define RFSI_NUMCACHE_SLOTS 65536 /* 2 MiB: holds the IRVs of a wide instrument too */
#endif

typedef struct rfsi_numcache_slot {
    unsigned long long bits;
    unsigned char len;     /* 0: empty */
    char text[RFSI_NUMFMT_MAX - 1];
} rfsi_numcache_slot;

typedef struct rfsi_numcache {
    rfsi_numcache_slot slot[RFSI_NUMCACHE_SLOTS];
} rfsi_numcache;

/* As rfsi_fmt_double, through the cache; out is not NUL-terminated. Returns the length. */
size_t rfsi_numcache_fmt(rfsi_numcache *c, char *out, double v);

#endif

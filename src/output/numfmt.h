/* Numbers to text for output: integers, and doubles in the shortest form that reads
 * back exactly (as Python's repr, with no trailing ".0"). */
#ifndef RFS_NUMFMT_H
#define RFS_NUMFMT_H

#include <stddef.h>

#define RFSI_NUMFMT_MAX 32

/* Writes v into out (at least RFSI_NUMFMT_MAX bytes, NUL-terminated); returns the length. */
size_t rfsi_fmt_double(char *out, double v);
size_t rfsi_fmt_ulong(char *out, unsigned long long v);
/* v with exactly digits (0..RFSI_MAX_DIGITS) decimals, rounded half to even from the
 * exact binary value of v (so 0.125 gives 0.12 and 2.675, stored as 2.67499999...,
 * gives 2.67); never "-0.00". Values too large for the buffer get the shortest form. */
#define RFSI_MAX_DIGITS 15
size_t rfsi_fmt_fixed(char *out, double v, int digits);

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

/* Numbers that are a function of two integers (an IRV is sqrt(d / (n (n - 1))) with
 * d = n sum(x^2) - sum(x)^2) take many distinct doubles but few (n, d) pairs: keyed by the
 * exact pair, a small table hits where the double's bits miss. */
#ifndef RFSI_KEYCACHE_SLOTS /* a power of two */
#define RFSI_KEYCACHE_SLOTS 8192 /* 256 KiB */
#endif

typedef struct rfsi_keycache_slot {
    unsigned long long a;
    unsigned int b;
    unsigned char len;     /* 0: empty */
    char text[19];         /* longer forms are not kept */
} rfsi_keycache_slot;

typedef struct rfsi_numcache {
    unsigned char fixed, digits; /* fixed: digits decimals (rfsi_fmt_fixed); else shortest */
    char point;                  /* the decimal mark written; 0 is '.' */
    rfsi_numcache_slot slot[RFSI_NUMCACHE_SLOTS];
    rfsi_keycache_slot keyed[RFSI_KEYCACHE_SLOTS];
} rfsi_numcache;

/* As rfsi_fmt_double (or rfsi_fmt_fixed, with the cache's decimal mark), through the
 * cache; out is not NUL-terminated. Returns the length. Set fixed, digits and point
 * before the first call. */
size_t rfsi_numcache_fmt(rfsi_numcache *c, char *out, double v);
/* The same text as rfsi_numcache_fmt(c, out, v), looked up by the exact integers (a, b)
 * first. The caller promises that v is a function of (a, b) alone, the same for every
 * call with that pair, and uses one pair space per cache (only IRV uses it now). */
size_t rfsi_numcache_fmt_keyed(rfsi_numcache *c, char *out, unsigned long long a, unsigned int b, double v);
/* Its lookup alone: the length of the text kept for (a, b), copied to out, or 0 when none
 * is (then compute v, and rfsi_numcache_fmt_keyed). */
size_t rfsi_numcache_keyed_lookup(const rfsi_numcache *c, char *out, unsigned long long a, unsigned int b);

#endif

#include "idset.h"

#include <stdlib.h>
#include <string.h>

uint64_t rfsi_id_hash(const char *id, size_t len)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a, then a splitmix64 finaliser */
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= (unsigned char)id[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h ? h : 1; /* 0 marks an empty slot */
}

int rfsi_idset_collect(rfsi_idset *s, uint64_t h)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *k = realloc(s->keys, cap * sizeof *k);
        if (!k)
            return -1;
        s->keys = k;
        s->cap = cap;
    }
    s->keys[s->n++] = h;
    return 0;
}

/* Sorted in place by buckets of the hash's bits, most significant first (an in-place
 * "American flag" radix sort): glibc's qsort is a merge sort that mallocs a copy of the
 * array, and a comparison sort does ~log2(n) passes where hashes, being uniformly
 * random, split evenly into 256 buckets per pass (two or three passes for a million
 * rows). Equal hashes stay together in one bucket to the last bit, so repeated ids cannot
 * make it quadratic: small buckets are finished by insertion sort, which is linear on
 * equal keys. The stack holds 6 KiB of tables per level, 8 levels at most. */
static void insertion_sort_u64(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t k = i;
        while (k && a[k - 1] > v) {
            a[k] = a[k - 1];
            k--;
        }
        a[k] = v;
    }
}

static void radix_sort_u64(uint64_t *a, size_t n, unsigned shift)
{
    size_t count[256] = {0}, next[256], end[256], pos = 0, b;

    if (n <= 48) {
        insertion_sort_u64(a, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        count[(a[i] >> shift) & 255]++;
    for (b = 0; b < 256; b++) {
        next[b] = pos;
        pos += count[b];
        end[b] = pos;
    }
    for (b = 0; b < 256; b++) /* swap each key into its bucket; each move places one key */
        while (next[b] < end[b]) {
            uint64_t v = a[next[b]];
            size_t t = (v >> shift) & 255;
            while (t != b) {
                uint64_t w = a[next[t]];
                a[next[t]++] = v;
                v = w;
                t = (v >> shift) & 255;
            }
            a[next[b]++] = v;
        }
    if (shift == 0)
        return;
    for (b = 0, pos = 0; b < 256; pos += count[b++])
        if (count[b] > 1)
            radix_sort_u64(a + pos, count[b], shift - 8);
}

int rfsi_idset_finish(rfsi_idset *s)
{
    size_t i, j, groups = 0, out = 0;

    radix_sort_u64(s->keys, s->n, 56);
    for (i = 0; i < s->n; i = j) {
        for (j = i + 1; j < s->n && s->keys[j] == s->keys[i]; j++)
            ;
        groups += j - i > 1;
    }
    free(s->counts);
    s->counts = malloc((groups ? groups : 1) * sizeof *s->counts);
    if (!s->counts)
        return -1;
    /* Keep only repeated ids, with their counts: lookups for the rest miss and count 1. */
    for (i = 0; i < s->n; i = j) {
        for (j = i + 1; j < s->n && s->keys[j] == s->keys[i]; j++)
            ;
        if (j - i > 1) {
            s->keys[out] = s->keys[i];
            s->counts[out++] = (uint32_t)(j - i);
        }
    }
    s->n = out;
    s->sorted = 1;
    if (out) { /* give back the pre-pass array */
        uint64_t *k = realloc(s->keys, out * sizeof *k);
        if (k)
            s->keys = k;
    } else {
        free(s->keys);
        s->keys = NULL;
    }
    s->cap = out;
    return 0;
}

uint32_t rfsi_idset_count(rfsi_idset *s, uint64_t h)
{
    if (s->sorted) {
        size_t lo = 0, hi = s->n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->keys[mid] < h)
                lo = mid + 1;
            else
                hi = mid;
        }
        return lo < s->n && s->keys[lo] == h ? s->counts[lo] : 1;
    }
    /* Streaming: open addressing, load at most one half. */
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024, i;
        uint64_t *k = calloc(cap, sizeof *k);
        uint32_t *c = calloc(cap, sizeof *c);
        if (!k || !c) {
            free(k);
            free(c);
            return 0;
        }
        for (i = 0; i < s->cap; i++)
            if (s->keys[i]) {
                size_t j = (size_t)s->keys[i] & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = s->keys[i];
                c[j] = s->counts[i];
            }
        free(s->keys);
        free(s->counts);
        s->keys = k;
        s->counts = c;
        s->cap = cap;
    }
    {
        size_t j = (size_t)h & (s->cap - 1);
        while (s->keys[j] && s->keys[j] != h)
            j = (j + 1) & (s->cap - 1);
        if (!s->keys[j]) {
            s->keys[j] = h;
            s->n++;
        }
        return ++s->counts[j];
    }
}

void rfsi_idset_free(rfsi_idset *s)
{
    free(s->keys);
    free(s->counts);
    memset(s, 0, sizeof *s);
}

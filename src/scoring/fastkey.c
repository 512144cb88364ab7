#include "fastkey.h"

#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define COUNT_BITS 16 /* an entry is value * 2^16 + 1: the low bits count, RFS_MAX_ITEMS < 2^16 */

struct rfsi_fastkey {
    const rfs_instrument *inst;
    size_t stride;       /* codes per item: the range, then "not answered" */
    long long *packed;   /* per scale, per listed item, per code */
};

/* The packed sums of a scale stay exact in 64 bits below this. */
#define VALUE_LIMIT (1LL << 36)

size_t rfsi_fastkey_size(const rfs_instrument *inst)
{
    size_t range, cells = 0, i;

    if (inst->max - inst->min + 1 > 254 || inst->n_items >= (1u << COUNT_BITS))
        return 0;
    range = (size_t)(inst->max - inst->min + 1);
    for (i = 0; inst->items && i < inst->n_items; i++)
        if (inst->items[i].n_categories)
            return 0;
    for (i = 0; i < inst->n_scales; i++) {
        const rfsi_scale *sc = &inst->scales[i];
        long v = sc->value_max > -sc->value_min ? sc->value_max : -sc->value_min;
        if ((long long)v * (long long)(sc->n_items + 1) >= VALUE_LIMIT)
            return 0;
        cells += sc->n_items * (range + 1);
    }
    return sizeof(rfsi_fastkey) + cells * sizeof(long long);
}

rfsi_fastkey *rfsi_fastkey_build(const rfs_instrument *inst, void *mem)
{
    rfsi_fastkey *fk = mem;
    size_t range = (size_t)(inst->max - inst->min + 1), i, j, c;
    long long *t;

    fk->inst = inst;
    fk->stride = range + 1;
    fk->packed = t = (long long *)(fk + 1);
    for (i = 0; i < inst->n_scales; i++) {
        const rfsi_scale *sc = &inst->scales[i];
        for (j = 0; j < sc->n_items; j++, t += fk->stride) {
            for (c = 0; c < range; c++) /* the value times 2^16, by multiplication: it may be < 0 */
                t[c] = (long long)sc->table[j * range + c] * (1LL << COUNT_BITS) + 1;
            t[range] = 0;
        }
    }
    return fk;
}

unsigned char rfsi_fastkey_none(const rfsi_fastkey *fk)
{
    return (unsigned char)(fk->stride - 1);
}

void rfsi_fastkey_score(const rfsi_fastkey *fk, const unsigned char *codes, const size_t *min_answered,
                        rfsi_score_result *out)
{
    const rfs_instrument *inst = fk->inst;
    const long long *t = fk->packed;
    size_t s, j;

    for (s = 0; s < inst->n_scales; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        long long acc = 0, n;
        for (j = 0; j < sc->n_items; j++, t += fk->stride)
            acc += t[codes[sc->items[j]]];
        n = acc & ((1LL << COUNT_BITS) - 1);
        rfsi_score_finish(sc, min_answered[s], (long)((acc - n) / (1LL << COUNT_BITS)), (size_t)n, &out[s]);
    }
    rfsi_score_derived(inst, out);
}

size_t rfsi_fastkey_gather(const rfsi_fastkey *fk, const unsigned char *restrict lut,
                           const unsigned char *restrict cells, const size_t *restrict cols,
                           unsigned char *restrict codes, rfsi_indices *out)
{
    const unsigned none = (unsigned)(fk->stride - 1);
    const size_t k = fk->inst->n_items;
    unsigned n = 0, s = 0, ss = 0, run = 0, best = 0, prev = none; /* at most 1000 codes < 255 */
    size_t i;

    /* Longstring as in validity.c, with masks rather than ?:, which the compiler turns into
     * a branch as unpredictable as the answers; an unanswered item ends the run. The IRV's
     * integers come from the codes: n sum(x^2) - sum(x)^2 does not change when every x is
     * shifted by the same amount (here by the key's minimum), so it is exact. */
    for (i = 0; i < k; i++) {
        unsigned c = lut[cells[cols[i]]], a = c != none, m = 0u - a, x = c & m;
        codes[i] = (unsigned char)c;
        run = ((run & (0u - (unsigned)(c == prev))) + 1) & m;
        prev = c;
        best = run > best ? run : best;
        n += a;
        s += x;
        ss += x * x;
    }
    rfsi_longstring_irv_counts(best, (long long)n, (long long)s, (long long)ss, out);
    return n;
}

/* Set bits, without a call into libgcc when the target has no popcnt instruction. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (unsigned)((x * 0x0101010101010101ULL) >> 56);
}

/* The longest run of set bits. */
static unsigned longest_run(uint64_t m)
{
    unsigned n = 0;

    for (; m; n++)
        m &= m >> 1;
    return n;
}

/* Sixteen items a step: the codes by subtraction, the answered items as a bit mask, the
 * sums from psadbw and pmaddwd, and longstring as the longest run of answered neighbours
 * with equal codes, from a second mask. */
size_t rfsi_fastkey_gather_run(const rfsi_fastkey *fk, unsigned char empty, const unsigned char *restrict cells,
                               unsigned char *restrict codes, rfsi_indices *out)
{
    const unsigned char none = (unsigned char)(fk->stride - 1), base = (unsigned char)('0' + fk->inst->min);
    const size_t k = fk->inst->n_items;
    uint64_t answered = 0, same = 0;
    unsigned long long s = 0, ss = 0;
    size_t j, n;
#if defined(__SSE2__)
    const __m128i vbase = _mm_set1_epi8((char)base), vempty = _mm_set1_epi8((char)empty);
    const __m128i vnone = _mm_set1_epi8((char)none), zero = _mm_setzero_si128();
    const __m128i lane = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    __m128i vs = zero, vss = zero, prev = vnone;

    for (j = 0; j < k; j += 16) {
        __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(cells + j));
        __m128i in = _mm_cmplt_epi8(lane, _mm_set1_epi8((char)(k - j < 16 ? k - j : 16)));
        __m128i ans = _mm_andnot_si128(_mm_cmpeq_epi8(c, vempty), in);
        __m128i x = _mm_and_si128(_mm_sub_epi8(c, vbase), ans);  /* the code; 0 when none */
        __m128i code = _mm_or_si128(x, _mm_andnot_si128(ans, vnone));
        /* each item's code beside the one before it (the last of the previous step) */
        __m128i before = _mm_or_si128(_mm_slli_si128(code, 1), _mm_srli_si128(prev, 15));
        __m128i lo = _mm_unpacklo_epi8(x, zero), hi = _mm_unpackhi_epi8(x, zero);
        _mm_storeu_si128((__m128i *)(void *)(codes + j), code);
        answered |= (uint64_t)(unsigned)_mm_movemask_epi8(ans) << j;
        same |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(code, before)) << j;
        vs = _mm_add_epi64(vs, _mm_sad_epu8(x, zero));
        vss = _mm_add_epi32(vss, _mm_add_epi32(_mm_madd_epi16(lo, lo), _mm_madd_epi16(hi, hi)));
        prev = code;
    }
    {
        unsigned long long t[2];
        unsigned u[4];
        _mm_storeu_si128((__m128i *)(void *)t, vs);
        _mm_storeu_si128((__m128i *)(void *)u, vss);
        s = t[0] + t[1];
        ss = (unsigned long long)u[0] + u[1] + u[2] + u[3];
    }
#else
    unsigned char prev = none;

    for (j = 0; j < k; j++) {
        unsigned a = cells[j] != empty;
        unsigned x = a ? (unsigned char)(cells[j] - base) : 0;
        unsigned char code = a ? (unsigned char)x : none;
        codes[j] = code;
        answered |= (uint64_t)a << j;
        same |= (uint64_t)(code == prev) << j;
        s += x;
        ss += x * x;
        prev = code;
    }
#endif
    /* item i continues a run when it and item i - 1 are answered with the same code */
    same &= answered & (answered << 1);
    n = popcount64(answered);
    rfsi_longstring_irv_counts(answered ? longest_run(same) + 1 : 0, (long long)n, (long long)s, (long long)ss, out);
    return n;
}

#include "split.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifdef __SSE2__
static size_t popcount16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555u);
    x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
    x = (x + (x >> 4)) & 0x0F0Fu;
    return (x + (x >> 8)) & 0x1Fu;
}
#else
/* The bytes of w equal to the byte in pat (pat = c * 0x01..01), as 0x80 in that byte: a
 * byte of w ^ pat is zero exactly where w has c, and this sets bit 7 of exactly those
 * bytes, with no carry between bytes. */
static unsigned long long bytes_equal(unsigned long long w, unsigned long long pat)
{
    const unsigned long long low7 = 0x7F7F7F7F7F7F7F7FULL;

    w ^= pat;
    return ~(((w & low7) + low7) | w | low7);
}
#endif

int rfsi_split_line(const char *data, size_t len, char delim, size_t want, unsigned *ends, rfsi_split *out)
{
    const char *nl = memchr(data, '\n', len < RFSI_LINE_MAX + 1 ? len : RFSI_LINE_MAX + 1);
    unsigned long long bad = 0;
    size_t n, i, k = 0;

    if (!nl)
        return 0;
    n = (size_t)(nl - data);
#ifdef __SSE2__
    {
        const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"'), vc = _mm_set1_epi8('\r');
        const __m128i zero = _mm_setzero_si128();
        __m128i vbad = zero, lanes = zero, total = zero;
        unsigned steps = 0;
        for (i = 0; i + 16 <= n; i += 16) {
            __m128i w = _mm_loadu_si128((const __m128i *)(const void *)(data + i)), e = _mm_cmpeq_epi8(w, vd);
            vbad = _mm_or_si128(vbad, _mm_or_si128(w, _mm_or_si128(_mm_cmpeq_epi8(w, vq), _mm_cmpeq_epi8(w, vc))));
            if (k < want) {
                unsigned d = (unsigned)_mm_movemask_epi8(e);
                for (; d && k < want; d &= d - 1)
                    ends[k++] = (unsigned)(i + (size_t)__builtin_ctz(d));
                k += popcount16(d); /* the rest, counted */
                continue;
            }
            /* past the delimiters wanted: counted per byte lane (a match is -1), summed
             * before a lane could pass 255 */
            lanes = _mm_sub_epi8(lanes, e);
            if (++steps == 255) {
                total = _mm_add_epi64(total, _mm_sad_epu8(lanes, zero));
                lanes = zero;
                steps = 0;
            }
        }
        total = _mm_add_epi64(total, _mm_sad_epu8(lanes, zero));
        k += (size_t)_mm_cvtsi128_si32(total) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(total, 8));
        bad = (unsigned long long)_mm_movemask_epi8(vbad); /* bit 7 of a byte: >= 0x80, or a match */
    }
#else
    {
        const unsigned long long ones = 0x0101010101010101ULL;
        const unsigned long long dpat = ones * (unsigned char)delim, qpat = ones * '"', cpat = ones * '\r';
        for (i = 0; i + 8 <= n; i += 8) {
            unsigned long long w, d;
            memcpy(&w, data + i, 8);
            bad |= (w & 0x8080808080808080ULL) | bytes_equal(w, qpat) | bytes_equal(w, cpat);
            for (d = bytes_equal(w, dpat); d && k < want; d &= d - 1)
                ends[k++] = (unsigned)(i + ((size_t)__builtin_ctzll(d) >> 3));
            if (d) /* count the rest: each is 0x80 in its byte */
                k += (size_t)(((d >> 7) * ones) >> 56);
        }
    }
#endif
    for (; i < n; i++) {
        unsigned char c = (unsigned char)data[i];
        bad |= c >= 0x80 || c == '"' || c == '\r';
        if (c == (unsigned char)delim) {
            if (k < want)
                ends[k] = (unsigned)i;
            k++;
        }
    }
    if (k < want)
        ends[k] = (unsigned)n;
    out->len = n;
    out->delims = k;
    out->plain = bad == 0;
    return 1;
}

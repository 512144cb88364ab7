/* rfsi_split_line (input/split.c) against a byte loop, on random lines over every byte
 * class it tells apart (the delimiter, the other delimiters, quote, CR, LF, space, tab,
 * ASCII text, bytes >= 0x80) and on every length across the 8- and 16-byte steps, with
 * any number of delimiters wanted. Built twice: with SSE2 and with the portable word loop
 * (-U__SSE2__, tests_unit_test_split_swar). */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "input/split.h"

static unsigned long long rng = 42;

static unsigned next(unsigned n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((rng >> 33) % n);
}

/* The reference: one byte at a time. */
static int naive(const char *data, size_t len, char delim, size_t want, unsigned *ends, rfsi_split *out)
{
    size_t i, k = 0, limit = len < RFSI_LINE_MAX + 1 ? len : RFSI_LINE_MAX + 1;
    int plain = 1;

    for (i = 0; i < limit && data[i] != '\n'; i++) {
        unsigned char c = (unsigned char)data[i];
        if (c == '"' || c == '\r' || c >= 0x80)
            plain = 0;
        if (data[i] == delim) {
            if (k < want)
                ends[k] = (unsigned)i;
            k++;
        }
    }
    if (i == limit)
        return 0;
    if (k < want)
        ends[k] = (unsigned)i;
    out->len = i;
    out->delims = k;
    out->plain = plain;
    return 1;
}

static void compare(const char *data, size_t len, char delim, size_t want)
{
    static unsigned e1[RFSI_LINE_MAX + 1], e2[RFSI_LINE_MAX + 1];
    rfsi_split a = {0, 0, 0}, b = {0, 0, 0};
    int ra = rfsi_split_line(data, len, delim, want, e1, &a), rb = naive(data, len, delim, want, e2, &b);
    size_t placed;

    if (ra != rb)
        fail_msg("len %zu want %zu: found a line end %d, the byte loop %d", len, want, ra, rb);
    if (!ra)
        return;
    if (a.len != b.len || a.delims != b.delims || a.plain != b.plain)
        fail_msg("len %zu want %zu: line %zu delims %zu plain %d, byte loop %zu %zu %d", len, want, a.len, a.delims,
                 a.plain, b.len, b.delims, b.plain);
    placed = b.delims < want ? b.delims + 1 : want;
    if (memcmp(e1, e2, placed * sizeof *e1) != 0)
        fail_msg("len %zu want %zu: delimiter positions differ", len, want);
}

static void random_lines(void **state)
{
    static const char classes[] = {',', ',', ',', ';', '\t', '"', '\r', ' ', 'a', '1', '7', '\n', (char)0x80,
                                   (char)0xC3, (char)0xFF, '\0'};
    static const size_t wants[] = {0, 1, 2, 3, 17, RFSI_LINE_MAX + 1};
    char buf[300];
    unsigned t;
    size_t len, i, w;

    (void)state;
    for (t = 0; t < 200000; t++) {
        len = next(sizeof buf);
        for (i = 0; i < len; i++) /* mostly plain cells, sometimes any class */
            buf[i] = next(4) ? (i % 2 ? ',' : (char)('1' + next(7))) : classes[next(sizeof classes)];
        if (next(2) && len)
            buf[next((unsigned)len)] = '\n';
        for (w = 0; w < sizeof wants / sizeof *wants; w++)
            compare(buf, len, next(4) ? ',' : next(2) ? ';' : '\t', wants[w]);
    }
}

/* A line of exactly the limit ends; one byte more does not; a line of delimiters only. */
static void limits(void **state)
{
    static char big[RFSI_LINE_MAX + 2];

    (void)state;
    memset(big, ',', sizeof big);
    big[RFSI_LINE_MAX] = '\n';
    compare(big, sizeof big, ',', RFSI_LINE_MAX + 1);
    compare(big, sizeof big, ',', 5);
    big[RFSI_LINE_MAX] = ',';
    big[RFSI_LINE_MAX + 1] = '\n';
    compare(big, sizeof big, ',', RFSI_LINE_MAX + 1);
    compare(big, 0, ',', 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(random_lines),
        cmocka_unit_test(limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

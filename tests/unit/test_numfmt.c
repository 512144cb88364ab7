/* rfsi_fmt_double / rfsi_fmt_ulong: shortest round-trip text, as Python's repr without a
 * trailing ".0" (docs/output.md, "Numbers"). */
#include "helpers.h"

#include <float.h>
#include <math.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "output/numfmt.h"

static void expect_double(double v, const char *text)
{
    char out[RFSI_NUMFMT_MAX];
    size_t n;

    memset(out, 'X', sizeof out);
    n = rfsi_fmt_double(out, v);
    assert_string_equal(out, text);
    assert_int_equal(n, strlen(text));
}

static void test_known_values(void **state)
{
    (void)state;
    /* the Python repr of each value, minus a trailing ".0" */
    expect_double(0.5, "0.5");
    expect_double(1 / 3.0, "0.3333333333333333");
    expect_double(2 / 3.0, "0.6666666666666666");
    expect_double(7 / 6.0, "1.1666666666666667");
    expect_double(5 / 6.0, "0.8333333333333334");
    expect_double(4 / 3.0, "1.3333333333333333");
    expect_double(25 / 3.0, "8.333333333333334");
    expect_double(0.1 + 0.2, "0.30000000000000004");
    expect_double(0.1, "0.1");
    expect_double(0.6, "0.6");
    expect_double(1.8, "1.8");
    expect_double(2.5, "2.5");
    expect_double(-2.5, "-2.5");
    expect_double(-1 / 3.0, "-0.3333333333333333");
    expect_double(1e-7, "1e-07");
    expect_double(1.5e-5, "1.5e-05");
    expect_double(0.0001, "0.0001");
    expect_double(123456789.25, "123456789.25");
    expect_double(DBL_MAX, "1.7976931348623157e+308");
    expect_double(5e-324, "5e-324");
}

static void test_whole_numbers(void **state)
{
    (void)state;
    expect_double(2.0, "2");
    expect_double(0.0, "0");
    expect_double(-0.0, "0"); /* never "-0" */
    expect_double(1.0, "1");
    expect_double(10.0, "10");
    expect_double(-7.0, "-7");
    expect_double(100.0, "100");
    expect_double(123456789.0, "123456789");
    expect_double(999999999999999.0, "999999999999999");
    expect_double(-999999999999999.0, "-999999999999999");
}

/* xorshift64*: a fixed seed, so a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

/* Significant digits in a %g-style text (digits of the mantissa, leading zeros dropped). */
static int sig_digits(const char *s)
{
    int n = 0, started = 0;

    for (; *s && *s != 'e'; s++) {
        if (*s < '0' || *s > '9')
            continue;
        if (*s != '0')
            started = 1;
        if (started)
            n++;
    }
    return n;
}

/* out reads back to v, and is the shortest text that does (no %.*g with fewer
 * significant digits reads back to v). Whole numbers below 1e16 print positionally, as
 * Python's repr does (730, not 7.3e+02), so for them only the round trip is checked. */
static void check_round_trip(double v)
{
    char out[RFSI_NUMFMT_MAX], shorter[400];
    size_t n;
    int digits, p;

    memset(out, 'X', sizeof out);
    n = rfsi_fmt_double(out, v);
    if (n >= RFSI_NUMFMT_MAX || strlen(out) != n)
        fail_msg("%.17g: length %zu", v, n);
    if (strtod(out, NULL) != v)
        fail_msg("%.17g printed as %s, which reads back as %.17g", v, out, strtod(out, NULL));
    if (strchr(out, 'e') == NULL && strchr(out, '.') != NULL && out[n - 1] == '0')
        fail_msg("%.17g printed as %s: trailing zero", v, out);
    if (n >= 2 && out[n - 2] == '.' && out[n - 1] == '0')
        fail_msg("%.17g printed as %s: trailing .0", v, out);
    if (v == floor(v) && fabs(v) < 1e16) {
        if (strchr(out, 'e') || strchr(out, '.'))
            fail_msg("%.17g printed as %s: a whole number prints as an integer", v, out);
        return;
    }
    digits = sig_digits(out);
    for (p = 1; p < digits; p++) {
        snprintf(shorter, sizeof shorter, "%.*g", p, v);
        if (strtod(shorter, NULL) == v)
            fail_msg("%.17g printed as %s, but %s (%d digits) reads back too", v, out, shorter, p);
    }
}

static void test_random_bit_patterns(void **state)
{
    int i, done = 0;

    (void)state;
    for (i = 0; done < 20000; i++) {
        uint64_t bits = rng();
        double v;
        memcpy(&v, &bits, sizeof v);
        if (!isfinite(v))
            continue;
        check_round_trip(v);
        done++;
    }
}

static void test_random_scores(void **state)
{
    /* What scores look like: small integer sums over small counts, sums of those. */
    int i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        long sum = (long)(rng() % 2001) - 1000;
        unsigned long n = 1 + (unsigned long)(rng() % 100);
        unsigned long k = 1 + (unsigned long)(rng() % 100);
        check_round_trip((double)sum / (double)n);
        check_round_trip((double)sum * (double)k / (double)n);
        check_round_trip((double)sum / (double)n + (double)(sum + 1) / (double)k);
    }
}

static void test_random_moderate(void **state)
{
    /* Uniform in [-1e6, 1e6] and log-uniform magnitudes 1e-10..1e14. */
    int i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        double u = (double)(rng() >> 11) / 9007199254740992.0; /* [0, 1) */
        double e = (double)(rng() >> 11) / 9007199254740992.0;
        check_round_trip((u - 0.5) * 2e6);
        check_round_trip(u * pow(10.0, -10.0 + 24.0 * e));
    }
}

static void test_random_whole_numbers(void **state)
{
    /* Whole numbers below 1e15 print as plain integers. */
    char out[RFSI_NUMFMT_MAX], want[64];
    int i;

    (void)state;
    for (i = 0; i < 20000; i++) {
        long long w = (long long)(rng() % 1000000000000000ULL);
        double v = (double)((i & 1) ? -w : w);
        rfsi_fmt_double(out, v);
        snprintf(want, sizeof want, "%lld", (i & 1) ? -w : w);
        if (w == 0)
            strcpy(want, "0");
        assert_string_equal(out, want);
        check_round_trip(v);
    }
}

static void expect_ulong(unsigned long long v, const char *text)
{
    char out[RFSI_NUMFMT_MAX];
    size_t n;

    memset(out, 'X', sizeof out);
    n = rfsi_fmt_ulong(out, v);
    assert_string_equal(out, text);
    assert_int_equal(n, strlen(text));
}

static void test_ulong(void **state)
{
    char out[RFSI_NUMFMT_MAX], want[32];
    int i;

    (void)state;
    expect_ulong(0, "0");
    expect_ulong(5, "5");
    expect_ulong(9, "9");
    expect_ulong(10, "10");
    expect_ulong(100, "100");
    expect_ulong(1234567890ULL, "1234567890");
    expect_ulong(4294967296ULL, "4294967296");
    expect_ulong(ULLONG_MAX, "18446744073709551615");
    for (i = 0; i < 10000; i++) {
        unsigned long long v = rng() >> (rng() % 64);
        rfsi_fmt_ulong(out, v);
        snprintf(want, sizeof want, "%llu", v);
        assert_string_equal(out, want);
    }
}

static void expect_fixed(double v, int digits, const char *text)
{
    char out[RFSI_NUMFMT_MAX];
    size_t n;

    memset(out, 'X', sizeof out);
    n = rfsi_fmt_fixed(out, v, digits);
    assert_string_equal(out, text);
    assert_int_equal(n, strlen(text));
}

/* --digits: round half to even from the exact binary value. The binary values are
 * worked out by hand: 0.125 = 1/8 and 0.375 = 3/8 are exact, so they are true ties;
 * 2.675 is stored as 2.67499999999999982236431605997495353221893310546875 and 1.005 as
 * 1.00499999999999989341858963598497211933135986328125, both just below the tie. */
static void test_fixed_digits(void **state)
{
    (void)state;
    expect_fixed(0.125, 2, "0.12");  /* tie: 2 is even */
    expect_fixed(0.375, 2, "0.38");  /* tie: 7 is odd, up to 8 */
    expect_fixed(0.5, 0, "0");
    expect_fixed(1.5, 0, "2");
    expect_fixed(2.5, 0, "2");
    expect_fixed(3.5, 0, "4");
    expect_fixed(-2.5, 0, "-2");
    expect_fixed(2.675, 2, "2.67"); /* below the tie in binary */
    expect_fixed(1.005, 2, "1.00");
    expect_fixed(7 / 6.0, 3, "1.167"); /* 1.1666... */
    expect_fixed(1 / 3.0, 2, "0.33");
    expect_fixed(2.0, 2, "2.00");   /* whole numbers get their decimals too */
    expect_fixed(0.0, 0, "0");
    expect_fixed(-0.0, 1, "0.0");   /* never "-0.0" */
    expect_fixed(-0.001, 2, "0.00"); /* a tiny negative rounds to zero, unsigned */
    expect_fixed(-0.006, 2, "-0.01");
    expect_fixed(1e20, 15, "1e+20"); /* 37 characters do not fit: the shortest form */
    expect_fixed(0.1, 15, "0.100000000000000"); /* 0.1000000000000000055511... */
}

/* The cache prints fixed decimals and a decimal comma when asked. */
static void test_numcache_options(void **state)
{
    rfsi_numcache *c = calloc(1, sizeof *c);
    char out[RFSI_NUMFMT_MAX];
    size_t n;

    (void)state;
    assert_non_null(c);
    n = rfsi_numcache_fmt(c, out, 7 / 6.0);
    assert_memory_equal(out, "1.1666666666666667", n);
    free(c);
    c = calloc(1, sizeof *c);
    assert_non_null(c);
    c->fixed = 1;
    c->digits = 2;
    c->point = ',';
    n = rfsi_numcache_fmt(c, out, 7 / 6.0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, "1,17", 4);
    n = rfsi_numcache_fmt(c, out, 7 / 6.0); /* from the cache */
    assert_int_equal(n, 4);
    assert_memory_equal(out, "1,17", 4);
    n = rfsi_numcache_fmt(c, out, 2.0);
    assert_memory_equal(out, "2,00", n);
    free(c);
}

/* The cache keyed by two integers gives the text of the double it is handed on a miss,
 * and on a hit the text stored for exactly that pair: every (n, d) of up to 24 answers on
 * a 1..7 scale, twice (the second round mostly from the table), each against the uncached
 * form. Many pairs with the same n share a slot, so a slot matched on n alone prints some
 * other pair's IRV (checked: it fails so). */
static void test_keyed_cache(void **state)
{
    rfsi_numcache *c = calloc(1, sizeof *c);
    char out[RFSI_NUMFMT_MAX], want[RFSI_NUMFMT_MAX];
    unsigned int n, round;
    unsigned long long d;

    (void)state;
    assert_non_null(c);
    for (round = 0; round < 2; round++)
        for (n = 2; n <= 24; n++)
            for (d = 0; d <= 9ULL * n * n; d++) { /* d = n sum(x^2) - sum(x)^2 <= n^2 (7-1)^2 / 4 */
                double v = sqrt((double)d / (double)(n * (n - 1)));
                size_t len = rfsi_numcache_fmt_keyed(c, out, d, n, v), wlen = rfsi_fmt_double(want, v);
                if (len != wlen || memcmp(out, want, len) != 0)
                    fail_msg("n %u d %llu round %u: got %.*s, expected %s", n, d, round, (int)len, out, want);
            }
    c->fixed = 1;
    c->digits = 2;
    c->point = ',';
    memset(c->keyed, 0, sizeof c->keyed);
    memset(c->slot, 0, sizeof c->slot);
    assert_int_equal(rfsi_numcache_fmt_keyed(c, out, 6, 3, 1.0), 4); /* 1, 2, 3: d = 3*14 - 36 */
    assert_memory_equal(out, "1,00", 4);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_whole_numbers),
        cmocka_unit_test(test_random_bit_patterns),
        cmocka_unit_test(test_random_scores),
        cmocka_unit_test(test_random_moderate),
        cmocka_unit_test(test_random_whole_numbers),
        cmocka_unit_test(test_ulong),
        cmocka_unit_test(test_fixed_digits),
        cmocka_unit_test(test_numcache_options),
        cmocka_unit_test(test_keyed_cache),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Shared by the cmocka unit tests. */
#ifndef RFS_TEST_HELPERS_H
#define RFS_TEST_HELPERS_H

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

/* cmocka 1.1.5's assert_float_equal compares as float; scores are doubles. */
#define assert_double_equal(a, b, eps)                                                                  \
    do {                                                                                                \
        double a_ = (a), b_ = (b);                                                                      \
        if (!(fabs(a_ - b_) <= (eps)))                                                                  \
            fail_msg("%.17g != %.17g (tolerance %g)", a_, b_, (double)(eps));                          \
    } while (0)

/* Instrument loaders, shared by the tests that need one: a shipped definition by id (the
 * test is built with -DTEST_TOP, the source tree), or a definition given as text. Each
 * fails the test when loading does. static inline: a test that uses neither is not warned. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rfscore.h"

#ifdef TEST_TOP
static inline rfs_instrument *test_load_shipped(const char *id)
{
    char path[512];
    rfs_error err;
    rfs_instrument *inst;

    rfs_error_clear(&err);
    snprintf(path, sizeof path, "%s/instruments/%s.ini", TEST_TOP, id);
    inst = rfs_instrument_load(path, &err);
    if (!inst)
        fail_msg("%s: %s", path, err.message);
    return inst;
}
#endif

static inline rfs_instrument *test_load_text(const char *text)
{
    char path[] = "/tmp/rfs_test_XXXXXX";
    int fd = mkstemp(path);
    size_t len = strlen(text);
    rfs_error err;
    rfs_instrument *inst;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    rfs_error_clear(&err);
    inst = rfs_instrument_load(path, &err);
    unlink(path);
    if (!inst)
        fail_msg("instrument text: %s", err.message);
    return inst;
}

#endif

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

#endif

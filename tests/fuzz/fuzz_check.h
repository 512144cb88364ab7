/* Shared by the fuzz targets: an oracle that fails says which one, then crashes so
 * libFuzzer keeps the input. */
#ifndef RFS_FUZZ_CHECK_H
#define RFS_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

#endif

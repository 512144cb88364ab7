/* Numbers to text for output: integers, and doubles in the shortest form that reads
 * back exactly (as Python's repr, with no trailing ".0"). */
#ifndef RFS_NUMFMT_H
#define RFS_NUMFMT_H

#include <stddef.h>

#define RFSI_NUMFMT_MAX 32

/* Writes v into out (at least RFSI_NUMFMT_MAX bytes, NUL-terminated); returns the length. */
size_t rfsi_fmt_double(char *out, double v);
size_t rfsi_fmt_ulong(char *out, unsigned long long v);

#endif

/* One CSV line in one pass: where it ends, where its delimiters are, and whether it is
 * plain (no quote, CR or non-ASCII byte), the case the reader takes without libcsv. Pure;
 * sixteen bytes a step with SSE2 (part of every x86-64), eight with a portable word loop
 * elsewhere; tests/unit/test_split.c checks both against a byte loop. */
#ifndef RFS_SPLIT_H
#define RFS_SPLIT_H

#include <stddef.h>

#define RFSI_LINE_MAX 16384 /* longer lines take the full reader */

typedef struct rfsi_split {
    size_t len;      /* bytes before the LF */
    size_t delims;   /* delimiters on the line: it has delims + 1 fields */
    int plain;       /* no '"', CR or byte >= 0x80 */
} rfsi_split;

/* Looks for an LF among the first RFSI_LINE_MAX + 1 bytes of data[0..len); returns 0 when
 * there is none. Else fills out, places the first want delimiters in ends (ends[k], k <
 * min(delims, want): the byte index of delimiter k), and when delims < want also ends[delims]
 * = out->len; returns 1. ends has room for RFSI_LINE_MAX + 1 entries. */
int rfsi_split_line(const char *data, size_t len, char delim, size_t want, unsigned *ends, rfsi_split *out);

#endif

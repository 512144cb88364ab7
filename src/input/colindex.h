/* Header names -> column numbers, case-insensitive and ignoring surrounding spaces;
 * a hash table, so a 100,000-column header is indexed in linear time. */
#ifndef RFS_COLINDEX_H
#define RFS_COLINDEX_H

#include <stddef.h>

#define RFSI_NO_COLUMN ((size_t)-1)

typedef struct rfsi_colindex {
    const char *const *names; /* borrowed: the header names, trimmed */
    size_t n;
    size_t *slots;            /* open addressing; RFSI_NO_COLUMN when empty */
    size_t *twin;             /* per column: the next column of the same name, or none */
    size_t mask;
} rfsi_colindex;

/* Builds the index. Returns 0, or -1 when memory runs out. Empty names are not indexed.
 * Repeated names are allowed (REDCap label exports repeat "Survey Timestamp"); using one
 * is what is ambiguous, which rfsi_colindex_find2() tells. */
int rfsi_colindex_build(rfsi_colindex *ix, const char *const *names, size_t n);
/* The first column of that name, or RFSI_NO_COLUMN. */
size_t rfsi_colindex_find(const rfsi_colindex *ix, const char *name);
/* As find; *twin gets a second column of the same name, or RFSI_NO_COLUMN. */
size_t rfsi_colindex_find2(const rfsi_colindex *ix, const char *name, size_t *twin);
void rfsi_colindex_free(rfsi_colindex *ix);

/* Up to max header names closest to name (edit distance, case-insensitive), written as
 * "a", "b" into out. */
void rfsi_colindex_closest(const rfsi_colindex *ix, const char *name, size_t max, char *out, size_t size);

#endif

/* What each item column held over the whole run (answers, invalid cells and the
 * commonest invalid texts), for the column_mostly_invalid warning. */
#ifndef RFS_COLSTATS_H
#define RFS_COLSTATS_H

#include <stddef.h>

#define RFSI_TALLY_SLOTS 8   /* distinct invalid texts counted per column */
#define RFSI_TALLY_TEXT 32   /* bytes of an invalid text kept (longer ones are cut) */

typedef struct rfsi_tally {
    unsigned long long count;
    unsigned char len;
    char text[RFSI_TALLY_TEXT];
} rfsi_tally;

typedef struct rfsi_colstats {
    unsigned long long answered, invalid, typed; /* cells: answers, invalid, typed missing codes */
    unsigned long long untallied;                /* invalid cells past the distinct texts kept */
    size_t n_tally;
    rfsi_tally tally[RFSI_TALLY_SLOTS];
} rfsi_colstats;

/* Counts an invalid cell's (trimmed) text. */
void rfsi_colstats_invalid(rfsi_colstats *c, const char *text, size_t len);

#endif

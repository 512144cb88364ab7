/* Our own line-level pass over an INI file, before iniparser reads it. iniparser 4.1
 * reports no line numbers and silently merges duplicate sections and keys; this pass
 * records where every section and key is, and reports duplicates and syntax it would
 * misread. */
#ifndef RFS_INI_SCAN_H
#define RFS_INI_SCAN_H

#include <stddef.h>

#include "base/error.h"
#include "base/sha256.h"

#define RFSI_INI_MAX_LINE 1000 /* iniparser 4.1 rejects lines of 1024 bytes or more */

typedef struct rfsi_ini_entry {
    char *section;      /* lowercased, as iniparser stores it */
    char *key;          /* lowercased; NULL for the section header itself */
    unsigned long line;
} rfsi_ini_entry;

typedef struct rfsi_ini_scan {
    rfsi_ini_entry *entries; /* in file order */
    size_t n;
    char sha256[65];         /* of the file's bytes, for the provenance manifest */
} rfsi_ini_scan;

/* Scans path, reporting problems to rep. Returns 0, or -1 when the file cannot be read
 * (reported) or memory runs out. */
int rfsi_ini_scan_file(const char *path, rfsi_ini_scan *out, rfsi_report *rep);

/* Line of a section's key (key NULL: the section header), 0 when absent. */
unsigned long rfsi_ini_line(const rfsi_ini_scan *scan, const char *section, const char *key);

void rfsi_ini_scan_free(rfsi_ini_scan *scan);

#endif

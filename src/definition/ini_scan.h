/* Our own line-level pass over an INI file. iniparser 4.1 reports no line numbers,
 * silently merges duplicate sections and keys, and loses keys or crashes when its own
 * allocations fail (dictionary_new() does not check them); this pass records where every
 * section and key is, reads each value exactly as iniparser 4.1's iniparser_line() would
 * (tests/unit/test_instrument.c checks that against iniparser itself on every definition
 * in the tree), and reports duplicates and syntax iniparser would misread. */
#ifndef RFS_INI_SCAN_H
#define RFS_INI_SCAN_H

#include <stddef.h>

#include "base/error.h"
#include "base/sha256.h"

#define RFSI_INI_MAX_LINE 1000 /* iniparser 4.1 rejects lines of 1024 bytes or more */
/* Bounds on what one definition may make us read and hold. The largest real definition
 * (1000 items, each with a label and a column) is about 3,000 entries and 200 KB; these
 * are far above that, and stop /dev/zero-like files fast. iniparser 4.1's dictionary is
 * quadratic in its entries (50,000: about 1 s), which the values here must stay
 * comparable with, hence the entry bound. */
#define RFSI_INI_MAX_BYTES (16L * 1024 * 1024)
#define RFSI_INI_MAX_ENTRIES 50000 /* sections and keys */

typedef struct rfsi_ini_entry {
    char *section;      /* lowercased, as iniparser stores it */
    char *key;          /* lowercased; NULL for the section header itself */
    unsigned long line;
    char *value;        /* a key's value as iniparser 4.1 reads it; NULL for a section */
} rfsi_ini_entry;

typedef struct rfsi_ini_scan {
    rfsi_ini_entry *entries; /* in file order */
    size_t n, cap;
    size_t *slots;           /* hash of (section, key) -> index + 1; 0: empty */
    size_t n_slots;          /* a power of two, at least twice n */
    char sha256[65];         /* of the file's bytes, for the provenance manifest */
    int unparsable;          /* a line is neither a section, a key nor a comment (or is
                              * too long, or holds a NUL): iniparser 4.1 refuses such a
                              * file, and nothing after the line problems is checked */
} rfsi_ini_scan;

/* Scans path, reporting problems to rep. Returns 0, or -1 when the file cannot be read,
 * is not a regular file or exceeds a bound (reported), or memory runs out (reported as
 * RFS_E_NOMEM). A file that is not UTF-8 is reported at the line and column of the first
 * bad byte. */
int rfsi_ini_scan_file(const char *path, rfsi_ini_scan *out, rfsi_report *rep);

/* The entry of section (its first section_len bytes) and key (NULL: the section header),
 * or NULL when the file has none. Constant time. */
rfsi_ini_entry *rfsi_ini_find(const rfsi_ini_scan *scan, const char *section, size_t section_len,
                              const char *key);

/* Line of a section's key (key NULL: the section header), 0 when absent. */
unsigned long rfsi_ini_line(const rfsi_ini_scan *scan, const char *section, const char *key);

void rfsi_ini_scan_free(rfsi_ini_scan *scan);

#endif

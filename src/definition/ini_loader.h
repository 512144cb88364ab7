/* Private to the INI loader: the state of one load, the shared helpers that read values
 * and report problems with their lines (ini_loader.c), and one loader per group of
 * sections (ini_header.c, ini_scales.c, ini_validity.c, ini_cases.c), each using only the
 * helpers. instrument_ini.c runs them in order. */
#ifndef RFS_INI_LOADER_H
#define RFS_INI_LOADER_H

#include "base/error.h"
#include "ini_scan.h"
#include "instrument.h"
#include "base/listparse.h"

#define MAX_ABS_VALUE 1000000L /* response, code and recode values: keeps sums exact */
#define MAX_ID 32

typedef struct loader {
    rfsi_report *rep;
    rfsi_ini_scan scan; /* every section and key, with its line and value */
    rfs_instrument *inst;
} loader;

/* The value of sec:key, or NULL when the file does not have that key. */
const char *rfsi_ini_get(loader *L, const char *sec, const char *key);
/* Reports a problem at the key's line (or the section's): "[sec] key: message". */
void rfsi_ini_bad(loader *L, const char *sec, const char *key, const char *fmt, ...) RFS_PRINTF(4, 5);
/* A required integer key within lo..hi; 0, or -1 (reported). */
int rfsi_ini_long(loader *L, const char *sec, const char *key, long lo, long hi, long *out);
/* A lowercase id: letter, then letters, digits or '_', at most MAX_ID. */
int rfsi_ini_valid_id(const char *s);
/* The part of sec after prefix ("scale.anx" -> "anx"), or NULL when sec has another prefix. */
const char *rfsi_ini_section_arg(const char *sec, const char *prefix);
/* A copy of s, or of "" when s is NULL; NULL when memory runs out. */
char *rfsi_ini_dup_or_empty(const char *s);
/* Room for element n of an array of n elements that only the loader grows (its capacity
 * is the next power of two), so that n appends copy O(n) bytes, not O(n^2): ASan's
 * realloc always moves. Returns the array, or NULL (the array unchanged) when memory
 * runs out. */
void *rfsi_ini_grow(void *array, size_t n, size_t size);

/* The section loaders: 0, or -1 when memory runs out (problems in the file are reported
 * to L->rep and loading goes on, so that one run reports them all). */
/* ini_header.c. rfsi_ini_load_header returns 1 instead when the rest cannot be checked
 * (no item count or range: reported). */
int rfsi_ini_load_header(loader *L);
int rfsi_ini_load_items(loader *L);
int rfsi_ini_load_missing(loader *L);
int rfsi_ini_load_values(loader *L);
/* ini_scales.c: recodes before scales, scales before derived, then the derived order. */
int rfsi_ini_load_recodes(loader *L);
int rfsi_ini_load_scales(loader *L);
int rfsi_ini_load_derived(loader *L);
int rfsi_ini_order_derived(loader *L);
/* ini_item_options.c: [item.N] min/max/categories/output, then scale and derived weights
 * and pomp; after the scales and derived scores. */
int rfsi_ini_load_item_options(loader *L);
int rfsi_ini_load_score_options(loader *L);
/* ini_bands.c: [bands.SCORE] and [norms.ID]; the range checks run after finalize. */
int rfsi_ini_load_bands(loader *L);
void rfsi_ini_check_bands(loader *L);
/* ini_validity.c, ini_cases.c */
int rfsi_ini_load_validity(loader *L);
int rfsi_ini_load_cases(loader *L);

#endif

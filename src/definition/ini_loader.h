/* Private to the INI loader (instrument_ini.c, instrument_ini_extra.c): the state of
 * one load and the helpers that read values and report problems with their lines. */
#ifndef RFS_INI_LOADER_H
#define RFS_INI_LOADER_H

#ifdef HAVE_INIPARSER_INIPARSER_H
#include <iniparser/iniparser.h>
#else
#include <iniparser.h>
#endif

#include "base/error.h"
#include "ini_scan.h"
#include "instrument.h"
#include "base/listparse.h"

#define MAX_ABS_VALUE 1000000L /* response, code and recode values: keeps sums exact */
#define MAX_ID 32

typedef struct loader {
    rfsi_report *rep;
    rfsi_ini_scan scan;
    dictionary *dict;
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

/* instrument_ini_extra.c: [validity] and [case.*]; 0, or -1 when memory runs out */
int rfsi_ini_load_validity(loader *L);
int rfsi_ini_load_cases(loader *L);

#endif

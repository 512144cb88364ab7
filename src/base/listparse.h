/* Strict parsing of the small textual values in definitions and options:
 * decimal integers, comma lists and item lists with ranges ("2, 4-8"). */
#ifndef RFS_LISTPARSE_H
#define RFS_LISTPARSE_H

#include <stddef.h>

/* A plain decimal integer, optional sign, surrounding spaces allowed; no leading zeros
 * ("010" is refused, since iniparser would read it as octal). 0 or -1. */
int rfsi_parse_long(const char *s, long *out);

/* A plain decimal number "[+-]digits[.digits]" (no exponent, hex, inf or nan),
 * surrounding spaces allowed. 0 or -1. */
int rfsi_parse_decimal(const char *s, double *out);

/* Trims spaces and tabs in place; returns the start. */
char *rfsi_trim_inplace(char *s);

typedef struct rfsi_list {
    char **v;   /* trimmed tokens, each malloc'd */
    size_t n;
} rfsi_list;

/* Splits a comma-separated value (NULL or "" gives an empty list); strips one pair of
 * double quotes around a token. 0, or -1 when memory runs out. */
int rfsi_list_split(const char *s, rfsi_list *out);
void rfsi_list_free(rfsi_list *l);

/* Parses an item list of 1..n_items into 0-based indices, in the order written.
 * Returns 0; or -1 with why set (a malformed list, out-of-range or repeated item), or -1
 * with why empty when memory runs out. *items is malloc'd (caller frees) in every case. */
int rfsi_parse_items(const char *s, size_t n_items, size_t **items, size_t *n, char *why, size_t why_size);

#endif

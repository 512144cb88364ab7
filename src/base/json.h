/* JSON string literals from any bytes. Text is copied as UTF-8 where it is UTF-8; a byte
 * that does not begin a well-formed UTF-8 character (a Latin-1 definition, a file name
 * in another encoding) is written as \u00XX, XX its value, so the output always parses
 * and the byte can be told back (docs/formats.md, "JSON strings"). */
#ifndef RFS_JSON_H
#define RFS_JSON_H

#include <stddef.h>

#include "buf.h"

/* The length (1-4) of the well-formed UTF-8 character at p[0..len), or 0 when p[0] does
 * not begin one (RFC 3629: no overlong forms, surrogates or values above U+10FFFF). */
size_t rfsi_utf8_char_len(const char *p, size_t len);
/* Appends data[0..len) as a JSON string, quotes included. 0, or -1 on no memory. */
int rfsi_json_string(rfsi_buf *b, const char *data, size_t len);

#endif

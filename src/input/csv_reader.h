/* CSV bytes -> fields and records, with physical line numbers. The only file that
 * includes libcsv. Streaming: memory depends on the widest field, not on the input. */
#ifndef RFS_CSV_READER_H
#define RFS_CSV_READER_H

#include <stddef.h>

#include "rfscore.h"

typedef struct rfsi_csv rfsi_csv;

/* A field of the current record: data[0..len) is borrowed for the call only (not
 * NUL-terminated). col is 0-based. Return 0 to go on, -1 to stop (error already set). */
typedef int (*rfsi_field_fn)(void *userdata, const char *data, size_t len, size_t col);
/* End of a record of nfields fields. Return 0 or -1 as above. */
typedef int (*rfsi_record_fn)(void *userdata, size_t nfields);
/* A whole line in one call, instead of a call per field and the record call: the line
 * has no quote, CR or non-ASCII byte, is at most RFSI_LINE_MAX bytes (split.h) and has 2
 * to RFS_MAX_COLUMNS fields, split at the delimiter; line[len] is its LF. Its fields are
 * untrimmed: libcsv would deliver each without its leading and trailing spaces and tabs.
 * The callee does what on_field for each field and then on_record would do. 0 or -1 as
 * above. */
typedef int (*rfsi_line_fn)(void *userdata, const char *line, size_t len, size_t nfields);

typedef enum rfsi_encoding {
    RFSI_ENC_UTF8,   /* checked: an invalid byte is a located error */
    RFSI_ENC_CP1252, /* Windows-1252 (Excel on Windows), converted to UTF-8 */
    RFSI_ENC_LATIN1  /* ISO-8859-1, converted to UTF-8 */
} rfsi_encoding;

/* name is used in error messages (copied). delimiter 0 detects ',', ';' or tab from the
 * header line. NULL when memory runs out. */
rfsi_csv *rfsi_csv_new(const char *name, char delimiter, rfsi_encoding encoding, rfsi_field_fn on_field,
                       rfsi_record_fn on_record, void *userdata);
/* Prefix mode (the duplicate-id pre-pass): from now on, lines without quotes deliver
 * only fields 0..last, skipping libcsv. The rest of such a line is checked only for what
 * a full read would stop at first (the field limits; more than expect fields, in which
 * case the record ends one field over expect, for the record callback to refuse), so the
 * first error is the same; the record end gives the number of fields. Lines with quotes
 * go through libcsv as usual. last (size_t)-1 turns it off. */
void rfsi_csv_prefix_only(rfsi_csv *r, size_t last, size_t expect);
/* From now on, lines that qualify (see rfsi_line_fn) go to on_line in one call; NULL
 * turns it off. In prefix mode they are split in the same one pass but delivered as
 * prefix mode says, field by field. -1 when memory runs out. */
int rfsi_csv_line_mode(rfsi_csv *r, rfsi_line_fn on_line);
/* The delimiter in use (0 until the header line has been seen, in detect mode). */
char rfsi_csv_delimiter(const rfsi_csv *r);
void rfsi_csv_free(rfsi_csv *r);

/* Feeds any chunk; at the end, finish. 0, or -1 with err set (file, line, column). */
int rfsi_csv_feed(rfsi_csv *r, const char *data, size_t len, rfs_error *err);
int rfsi_csv_finish(rfsi_csv *r, rfs_error *err);

/* The physical line (1-based) on which the current record started. */
unsigned long rfsi_csv_record_line(const rfsi_csv *r);
/* The physical line being read now (the record's last line, in a record callback). */
unsigned long rfsi_csv_line(const rfsi_csv *r);
/* Byte column (1-based) where field col of the current record starts, when the record
 * started on the line being read and that line is in hand; else 0. For error messages. */
unsigned long rfsi_csv_field_column(const rfsi_csv *r, size_t col);
/* Byte column just past the current line's content (where a missing field would go). */
unsigned long rfsi_csv_end_column(const rfsi_csv *r);
const char *rfsi_csv_name(const rfsi_csv *r);

/* For a reader of a later part of a file (two threads, scorer/parallel.c). 1 when the
 * input fed so far ended a line and a record outside quotes, with nothing held: the next
 * byte starts a record on a new line. */
int rfsi_csv_at_line_start(const rfsi_csv *r);
/* The reader is put where a part of a file starting at line `line` begins: the next byte
 * starts that line, past the start of the file (no byte order mark is looked for). */
void rfsi_csv_resume(rfsi_csv *r, unsigned long line);

#endif

/* The R glue's private declarations (the package's C code: glue.c, feed.c, parse.c). */
#ifndef RFSR_GLUE_H
#define RFSR_GLUE_H

#define R_NO_REMAP
#include <R.h>
#include <Rinternals.h>
#include <rfscore.h>

/* How a data.frame column is written as CSV (decided in R, by rfscore:::column_kinds). */
enum { RFSR_COL_CHARACTER = 0, RFSR_COL_DOUBLE, RFSR_COL_INTEGER, RFSR_COL_LOGICAL, RFSR_COL_FACTOR };

/* Writes the data.frame's columns (a list of atomic vectors), header first, as CSV into
 * rfs_scorer_feed(), or rfs_scorer_prescan() when prescan; at most max_rows rows (-1: all).
 * 0, or -1 with err set. */
int rfsr_feed_frame(rfs_scorer *s, SEXP cols, SEXP names, SEXP kinds, int prescan, R_xlen_t max_rows,
                    rfs_error *err);

/* What an output column holds, from its name (parse.c). */
enum { RFSR_OUT_TEXT = 0, RFSR_OUT_DOUBLE, RFSR_OUT_INTEGER, RFSR_OUT_STATUS, RFSR_OUT_LOGICAL, RFSR_OUT_FLAGS,
       RFSR_OUT_SKIP };

/* The library's CSV output, parsed as it arrives into typed R vectors. */
typedef struct rfsr_parser rfsr_parser;

/* insts are borrowed (for the score names), scored under inst_names (a character vector,
 * borrowed: ids or aliases); n_keep columns after the first are text (more key columns
 * and kept columns), except those named in skip (a character vector or NULL; borrowed),
 * which are left empty for the caller to fill from its data frame; with row_numbers the
 * first column is an integer; rows_hint sizes the vectors (0: unknown). Caller frees
 * with rfsr_parser_free(). */
rfsr_parser *rfsr_parser_new(const rfs_instrument *const *insts, SEXP inst_names, size_t n_inst, size_t n_keep,
                             int row_numbers, R_xlen_t rows_hint, SEXP skip);
void rfsr_parser_free(rfsr_parser *p);
/* An rfs_write_fn: userdata is the parser. */
int rfsr_parser_write(const char *data, size_t len, void *userdata);
/* After the last write: a list of the columns (names set), types as attribute "kinds";
 * allocates (protect the result). */
SEXP rfsr_parser_result(rfsr_parser *p);

#endif

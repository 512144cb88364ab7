/*
 * rfscore: questionnaire scoring for reflective-functioning and attachment research.
 *
 * The public API. Names start with rfs_ / RFS_; handles are opaque. Functions that can
 * fail take an rfs_error * (NULL accepted) and fill it on the first error only. The
 * library never prints, exits or aborts, and keeps no global state of its own. A NULL
 * handle or other pointer argument is never a crash: functions returning int give -1
 * with RFS_E_USAGE (unless documented as a default), accessors give "", 0 or NULL, and
 * calls out of order are RFS_E_USAGE.
 *
 * Data flow:  INI file -> rfs_instrument;  CSV bytes -> rfs_scorer_feed();
 *             rfs_scorer -> output bytes through the caller's rfs_write_fn.
 */
#ifndef RFSCORE_H
#define RFSCORE_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RFS_VERSION_MAJOR 0
#define RFS_VERSION_MINOR 1
#define RFS_VERSION_PATCH 0
#define RFS_VERSION "0.1.0"

/* The version of the library actually linked, e.g. "0.1.0"; compare with RFS_VERSION. */
const char *rfs_version(void);

/* ---------------------------------------------------------------- errors */

typedef enum rfs_status {
    RFS_OK = 0,
    RFS_E_NOMEM,      /* out of memory */
    RFS_E_USAGE,      /* the caller asked for something impossible (bad option, no id column) */
    RFS_E_OPEN,       /* an input file could not be opened or read */
    RFS_E_DEFINITION, /* an instrument definition is wrong */
    RFS_E_DATA,       /* the CSV data are malformed (ragged row, bad quote, missing column) */
    RFS_E_OUTPUT,     /* the output callback failed */
    RFS_E_LIMIT       /* an input exceeds a documented limit (field size, columns) */
} rfs_status;

/* Caller-allocated. line and column are 1-based; 0 means "not known". file is the name
 * the caller gave for the input (or the definition path). The first error wins: a
 * function only fills an rfs_error whose code is RFS_OK. */
typedef struct rfs_error {
    rfs_status code;
    char file[256];
    unsigned long line;
    unsigned long column;
    char message[512];
} rfs_error;

/* Resets err to "no error". */
void rfs_error_clear(rfs_error *err);

/* Static text for a status code, e.g. "bad data". */
const char *rfs_status_text(rfs_status code);

/* --------------------------------------------------------------- limits */

#define RFS_MAX_ITEMS 1000        /* items per instrument */
#define RFS_MAX_COLUMNS 100000    /* columns in a CSV file */
#define RFS_MAX_FIELD (1u << 20)  /* bytes in one CSV field (1 MiB) */

/* ----------------------------------------------------------- instruments */

typedef struct rfs_instrument rfs_instrument;

/* Loads and checks a definition. Returns NULL on error (err says where and why).
 * Caller frees with rfs_instrument_free(). */
rfs_instrument *rfs_instrument_load(const char *path, rfs_error *err);

/* Called once per problem found by rfs_instrument_check(); err is borrowed for the call. */
typedef void (*rfs_problem_fn)(const rfs_error *err, void *userdata);

/* Checks a definition and reports every problem it finds (not just the first), for lint.
 * Returns the number of problems (0: the definition loads). */
size_t rfs_instrument_check(const char *path, rfs_problem_fn report, void *userdata);

/* Does nothing for NULL. */
void rfs_instrument_free(rfs_instrument *inst);

/* Metadata, borrowed, valid until rfs_instrument_free(). Absent optional text is "";
 * a NULL instrument gives "" and 0. */
const char *rfs_instrument_id(const rfs_instrument *inst);
const char *rfs_instrument_name(const rfs_instrument *inst);
const char *rfs_instrument_version(const rfs_instrument *inst);
const char *rfs_instrument_citation(const rfs_instrument *inst);
const char *rfs_instrument_doi(const rfs_instrument *inst);
const char *rfs_instrument_license(const rfs_instrument *inst);
const char *rfs_instrument_path(const rfs_instrument *inst);
/* SHA-256 of the definition file, 64 hex digits. */
const char *rfs_instrument_sha256(const rfs_instrument *inst);
size_t rfs_instrument_item_count(const rfs_instrument *inst);
/* Column name of item n (1-based), borrowed; NULL when n is out of range. */
const char *rfs_instrument_item_column(const rfs_instrument *inst, size_t n);
/* Number of scales plus derived scores; ids by index 0..count-1 in output order. */
size_t rfs_instrument_score_count(const rfs_instrument *inst);
const char *rfs_instrument_score_id(const rfs_instrument *inst, size_t i);

/* Adds an answer label to a loaded instrument, before scoring with it (rfscore score
 * --labels FILE): a text cell equal to label, ignoring case and spacing, reads as code,
 * which must be in the response range. replace: first drop every label code has (from
 * the definition's [values] or its label set). A text that the definition gives another
 * code moves to this one; one that an earlier call gave another code is an error.
 * label is copied. 0, or -1 with err set (RFS_E_USAGE). */
int rfs_instrument_add_label(rfs_instrument *inst, long code, const char *label, int replace, rfs_error *err);

/* The whole key in readable form (items per scale, direction, recode, missing rule,
 * citation), as NUL-terminated text. Caller frees with free(). NULL on no memory. */
char *rfs_instrument_describe(const rfs_instrument *inst);

/* A data dictionary of the output columns of these instruments (name, label, type,
 * range, how computed, source): format "markdown", "csv" or "redcap" (a REDCap data
 * dictionary for a "scores" form matching `score --format redcap`). Caller frees with
 * free(); NULL for an unknown format or no memory. */
char *rfs_codebook(const rfs_instrument *const *insts, size_t n, const char *format);

/* ------------------------------------------------------------- conformance */

/* Runs the definition's [case.*] conformance cases. Returns the number of failures;
 * report (may be NULL) is called for each failure with a message naming the case. */
size_t rfs_instrument_selftest(const rfs_instrument *inst, size_t *cases_run,
                               rfs_problem_fn report, void *userdata);

/* ---------------------------------------------------------------- scoring */

typedef struct rfs_scorer rfs_scorer;

/* Receives output bytes; returns 0 on success, non-zero to stop with RFS_E_OUTPUT. */
typedef int (*rfs_write_fn)(const char *data, size_t len, void *userdata);

/* Caller frees with rfs_scorer_free(). */
rfs_scorer *rfs_scorer_new(rfs_error *err);

/* Does nothing for NULL. */
void rfs_scorer_free(rfs_scorer *s);

/* Configuration, before the first rfs_scorer_feed(). Return 0 on success, -1 on error. */

/* inst is borrowed and must outlive the scorer. Instruments are scored in the order added. */
int rfs_scorer_add_instrument(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err);
/* The id column; default: the first of id, record_id, participant_id in the header.
 * Replaces any id columns named before. */
int rfs_scorer_set_id_column(rfs_scorer *s, const char *name, rfs_error *err);
/* One more column of a composite key (a dyadic, longitudinal file: PTNUM, DyadID, mth),
 * after those named before: the key columns start the output in the order named,
 * duplicate_id flags a repeated combination, and --dry-run lists them. A column given
 * twice is an error. */
int rfs_scorer_add_id_column(rfs_scorer *s, const char *name, rfs_error *err);
/* No id column (on != 0): the output's first column is "row", the data row's 1-based
 * number in the input (the header and a Qualtrics export's two extra rows are not data
 * rows; rows a filter excludes are counted), and there is no duplicate check. Cannot be
 * combined with an id column or with format "redcap". */
int rfs_scorer_set_row_numbers(rfs_scorer *s, int on, rfs_error *err);
/* Only rows where expr holds are scored: "COLUMN=VALUE" (the cell, trimmed of spaces and
 * tabs, is exactly VALUE, case-sensitive) or "COLUMN!=VALUE" (it is not); split at the
 * first '=', COLUMN and VALUE trimmed; VALUE may be empty ("consent!=": not blank). Every
 * filter added must hold. Rows that fail are not written, give no warnings, are left out
 * of the duplicate check and the report, and are counted (rfs_counts.rows_excluded; the
 * summary names the filters). The column must be in the header (a usage error if not). */
int rfs_scorer_add_filter(rfs_scorer *s, const char *expr, rfs_error *err);
/* A column copied to the output after the id, in the order added. */
int rfs_scorer_keep_column(rfs_scorer *s, const char *name, rfs_error *err);
/* Overrides every mean and prorated-sum scale's minimum: "5" (items) or "80%". */
int rfs_scorer_set_min_answered(rfs_scorer *s, const char *rule, rfs_error *err);
/* The input's name in error messages, e.g. "data.csv" or "<stdin>" (copied). */
int rfs_scorer_set_input_name(rfs_scorer *s, const char *name, rfs_error *err);
/* Where output goes. Output is buffered; it reaches fn by rfs_scorer_finish() at the latest. */
int rfs_scorer_set_output(rfs_scorer *s, rfs_write_fn fn, void *userdata, rfs_error *err);

/* Careless-responding thresholds for every instrument, overriding their definitions:
 * "longstring_max", "irv_min", "even_odd_min", "synonyms_min", "antonyms_max",
 * "seconds_per_item" (docs/validity.md). */
int rfs_scorer_set_threshold(rfs_scorer *s, const char *name, double value, rfs_error *err);
/* A typed missing code for every instrument, e.g. type "refused", code "-99" (copied). */
int rfs_scorer_add_missing_code(rfs_scorer *s, const char *type, const char *code, rfs_error *err);
/* The column holding completion time in seconds, for the too_fast flag. */
int rfs_scorer_set_duration_column(rfs_scorer *s, const char *name, rfs_error *err);
/* The input's delimiter: ',', ';', '\t' or '|'; 0 (the default) detects ',', ';' or tab
 * from the header line. */
int rfs_scorer_set_delimiter(rfs_scorer *s, char delimiter, rfs_error *err);
/* The input's encoding: "utf-8" (default; invalid bytes are a located error), "cp1252"
 * or "latin1" (converted to UTF-8). */
int rfs_scorer_set_encoding(rfs_scorer *s, const char *name, rfs_error *err);
/* Flag rows whose id occurs more than once (default on; 8 bytes of memory per row). */
int rfs_scorer_set_duplicate_check(rfs_scorer *s, int on, rfs_error *err);

/* Where an instrument's items are in the data (inst already added): prefix replaces the
 * definition's column prefix for items it does not name ("RFQ_" reads RFQ_1..RFQ_8);
 * suffix is appended to every item's column ("_t2"). NULL leaves either as it is. */
int rfs_scorer_set_columns(rfs_scorer *s, const rfs_instrument *inst, const char *prefix, const char *suffix,
                           rfs_error *err);
/* Scores inst (its latest addition: an instrument can be added more than once, each
 * configured right after its add) under another name, e.g. "rfq8_t2" for the second wave
 * of a wide file: its output columns are NAME_c, NAME_valid, ..., and the summary, the
 * report and messages call it NAME. A lowercase letter, then lowercase letters, digits or
 * '_', at most 32 (copied). Two additions scored under one name are a usage error when
 * input starts. */
int rfs_scorer_set_instrument_name(rfs_scorer *s, const rfs_instrument *inst, const char *name, rfs_error *err);
/* Item (1-based) is read from column, a header name or a Qualtrics ImportId (QID12_1).
 * Takes precedence over prefix and suffix. */
int rfs_scorer_map_item(rfs_scorer *s, const rfs_instrument *inst, size_t item, const char *column, rfs_error *err);
/* Output format: "csv" (default), "tsv", "jsonl" (one JSON object per row; empty
 * scores are null) or "redcap" (a REDCap import file: record_id, REDCap's key columns
 * and the score fields of `rfscore codebook --format redcap`). */
int rfs_scorer_set_format(rfs_scorer *s, const char *format, rfs_error *err);
/* Long output: one row per respondent and score (keys, instrument, scale, score, n,
 * status, valid, flags) instead of one row per respondent. */
int rfs_scorer_set_long(rfs_scorer *s, int on, rfs_error *err);
/* In CSV and TSV, text from the input (id and kept values, and their names in the header)
 * that starts with = + - @ is prefixed with ' so spreadsheets do not run it as a formula
 * (plain numbers are left alone); on keeps it raw. REDCap output is never altered. A kept
 * column named like an output column is RFS_E_USAGE when the header is read. */
int rfs_scorer_set_raw_text(rfs_scorer *s, int on, rfs_error *err);
/* Numbers (scores, indices) with exactly digits decimals, 0..15, rounded half to even
 * from the exact binary value (0.125 -> 0.12; 2.675, stored as 2.67499..., -> 2.67);
 * -1 (the default): the shortest form that reads back exactly. Counts stay integers. */
int rfs_scorer_set_digits(rfs_scorer *s, int digits, rfs_error *err);
/* The decimal mark written in numbers: '.' (default) or ',' (which needs a ';' or tab
 * delimiter, and CSV or TSV output). */
int rfs_scorer_set_decimal_mark(rfs_scorer *s, char mark, rfs_error *err);
/* on == 0 leaves out the header line of CSV and TSV output (for shards of one file). */
int rfs_scorer_set_header(rfs_scorer *s, int on, rfs_error *err);
/* The separator of CSV output: ',', ';' or '\t'; 0 (default): the format's own. Not for
 * jsonl; a REDCap import stays ','. */
int rfs_scorer_set_output_delimiter(rfs_scorer *s, char delimiter, rfs_error *err);
/* Begin the output with a UTF-8 byte order mark (which Excel needs to read UTF-8). */
int rfs_scorer_set_bom(rfs_scorer *s, int on, rfs_error *err);
/* Study report (docs/report.md): per scale N, descriptives, Cronbach's alpha with its
 * Feldt interval, alpha if item deleted, item-total correlations, item distributions
 * and flag counts, accumulated while scoring, over valid rows unless all_rows. */
int rfs_scorer_enable_report(rfs_scorer *s, int all_rows, rfs_error *err);
/* The report per value of column (a wave, a REDCap event, an arm; the cell trimmed,
 * compared exactly), in order of first appearance, so rows of different groups are never
 * pooled. At most 100 values: a row with a 101st is an RFS_E_LIMIT error. Needs
 * rfs_scorer_enable_report(). */
int rfs_scorer_set_report_by(rfs_scorer *s, const char *column, rfs_error *err);
/* The report after rfs_scorer_finish(): format "text", "json" or "html" (self-contained).
 * It opens with the run's provenance: rfscore's version, the date (now, or
 * SOURCE_DATE_EPOCH when set), the command line (rfs_scorer_set_command), the input's
 * SHA-256 and size, and each definition's version, path and SHA-256.
 * Caller frees with free(); NULL when not enabled, unknown format, or no memory. */
char *rfs_scorer_report(const rfs_scorer *s, const char *format);
/* The command line to record in the report's provenance: argv[0..argc-1] as the command
 * received them, argv[0] the subcommand ("score", "report"); copied. Any time before
 * rfs_scorer_report(). */
int rfs_scorer_set_command(rfs_scorer *s, int argc, const char *const *argv, rfs_error *err);

/* Compute the SHA-256 of the input as it is scored (for a provenance manifest). */
int rfs_scorer_enable_digest(rfs_scorer *s, rfs_error *err);
/* After rfs_scorer_finish(): the input's SHA-256 as 64 hex digits and a NUL in hex (65
 * bytes) and its size in bytes. 0, or -1 when not enabled or not finished. */
int rfs_scorer_input_digest(const rfs_scorer *s, char *hex, unsigned long long *bytes);

/* SHA-256 of a file's bytes as 64 hex digits and a NUL in hex (65 bytes), for
 * provenance records. 0, or -1 when it cannot be read. */
int rfs_file_sha256(const char *path, char *hex);

/* text as a JSON string literal, quotes included, escaped as in every JSON rfscore writes
 * (reports, summaries, jsonl rows): '"', '\\' and control characters escaped; UTF-8
 * copied; each byte that does not begin a well-formed UTF-8 character written as \u00XX
 * (XX its value), so the result always parses. For file names and other text of unknown
 * encoding. Caller frees with free(); NULL for NULL text or no memory. */
char *rfs_json_quote(const char *text);

/* Dry run: after the header, write which column each item is read from and which columns
 * are unused, instead of scores, and read no further. */
int rfs_scorer_set_dry_run(rfs_scorer *s, int on, rfs_error *err);

/* Called for every invalid answer with its place (file, line, column) and what was
 * expected, so a caller can list them; err is borrowed for the call. */
int rfs_scorer_set_warning_fn(rfs_scorer *s, rfs_problem_fn fn, void *userdata, rfs_error *err);

/* Optional pre-pass: feed the whole input here, then rfs_scorer_prescan_finish(), then
 * feed it again with rfs_scorer_feed(). It reads only the header and the id column, and
 * lets duplicate_id flag every occurrence of a repeated id; without it only the second
 * and later occurrences are flagged. rfs_scorer_run_file() does it when it can rewind.
 * It checks every record as scoring does (field counts, limits, quoting, encoding), so
 * the first error is the same with or without it, and at any chunk size. */
int rfs_scorer_prescan(rfs_scorer *s, const char *data, size_t len, rfs_error *err);
int rfs_scorer_prescan_finish(rfs_scorer *s, rfs_error *err);

/* Streaming: feed any number of chunks of any size, then finish. Each returns 0 on
 * success, -1 on error (err located by input name, line and column); after an error the
 * scorer accepts nothing more. */
int rfs_scorer_feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err);
int rfs_scorer_finish(rfs_scorer *s, rfs_error *err);

/* Convenience: feeds the whole stream and finishes. */
int rfs_scorer_run_file(rfs_scorer *s, FILE *in, rfs_error *err);

/* Threads for rfs_scorer_run_file() on a regular file: 1, the default, or 2 (0 is taken
 * as 1, more as 2). With 2, the data after the header are cut into parts of part_bytes
 * (0: 256 KiB; at most 1 GiB) at line ends, two threads score them, and the calling thread
 * takes them in file order, each only when it is exactly what one thread would have done
 * there (else it scores the part again itself), so the output, warnings, counts and
 * errors never depend on the threads; the duplicate-id pre-pass is split the same way.
 * On an error, how much output and how many warnings were delivered before it may
 * differ. Threads start only for an input of 8 parts or more, and not with row numbers,
 * the report, the input digest, a dry run, a Qualtrics export's header rows, or duplicate
 * ids without the pre-pass. Memory: a part's output per thread. */
int rfs_scorer_set_threads(rfs_scorer *s, unsigned threads, unsigned long long part_bytes, rfs_error *err);

/* Counts so far: data records read, rows written (delivered to the rfs_write_fn: rows
 * still buffered, or lost when it failed, are not counted), rows with valid == 0 in any
 * instrument, rows left out by the filters (once finished, rows_read = rows_written +
 * rows_excluded). With a NULL scorer, all 0; NULL out does nothing. */
typedef struct rfs_counts {
    unsigned long long rows_read;
    unsigned long long rows_written;
    unsigned long long rows_flagged;
    unsigned long long rows_excluded;
} rfs_counts;
void rfs_scorer_counts(const rfs_scorer *s, rfs_counts *out);

/* Progress of rfs_scorer_run_file(), called after each chunk it reads: pass 0 is the id
 * pre-pass, 1 the scoring pass; bytes read so far in this pass; counts borrowed for the
 * call. It must not call the scorer. */
typedef void (*rfs_progress_fn)(int pass, unsigned long long bytes, const rfs_counts *counts, void *userdata);
int rfs_scorer_set_progress_fn(rfs_scorer *s, rfs_progress_fn fn, void *userdata, rfs_error *err);

/* Run warnings: what the run noticed about the input as a whole, not about one row
 * (docs/validity.md, "Warnings", lists the codes: a column most of whose filled cells are
 * not answers, a row that looked like a header row but was kept as data, an answer range
 * that fits a shorter version of the scale, an item that correlates negatively with its
 * scale...). Complete after rfs_scorer_finish(); some are known earlier. */
size_t rfs_scorer_warning_count(const rfs_scorer *s);
/* Warning i (0-based): its one-line message, its code ("column_mostly_invalid") in *code
 * and the name of the instrument it concerns ("" for the input as a whole) in *instrument
 * (either may be NULL). All borrowed, valid until rfs_scorer_free(); NULL when i is out
 * of range. */
const char *rfs_scorer_warning(const rfs_scorer *s, size_t i, const char **code, const char **instrument);

/* What the run read, wrote and flagged (per instrument, per flag and per score status)
 * and its warnings, as lines of text (json == 0) or a JSON document. Caller frees with free(); NULL when
 * memory runs out. */
char *rfs_scorer_summary(const rfs_scorer *s, int json);

#ifdef __cplusplus
}
#endif
#endif /* RFSCORE_H */

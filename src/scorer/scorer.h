/* The scorer's state, shared by scorer.c (the streaming pass) and summary.c (the run
 * report). Private. */
#ifndef RFS_SCORER_H
#define RFS_SCORER_H

#include "base/buf.h"
#include "base/error.h"
#include "input/csv_reader.h"
#include "scoring/flags.h"
#include "input/idset.h"
#include "output/numfmt.h"
#include "definition/instrument.h"
#include "rfscore.h"
#include "scoring/fastkey.h"
#include "scoring/score.h"
#include "scoring/validity.h"
#include "output/writer.h"
#include "report/report.h"
#include "report/itemtotal.h"
#include "warnings.h"
#include "base/sha256.h"
#include "colstats.h"
#include "warnings.h"

#define NONE ((size_t)-1)

#if defined(__GNUC__)
#define RFSI_NOINLINE __attribute__((noinline))
#else
#define RFSI_NOINLINE
#endif

typedef struct inst_state inst_state;

/* A record before the data (header_rows.c), held until we know whether it is data; its
 * lines and columns are kept so messages about it name the file's own. */
typedef struct held_row {
    rfsi_buf text;
    size_t *off, *len;
    unsigned long *colno;      /* per field: byte column where it starts (0: not known) */
    size_t n, cap;             /* fields held */
    unsigned long first_line, last_line, end_column;
    size_t nfields;
} held_row;

typedef struct target {   /* an item read from a column */
    inst_state *st;
    rfsi_response *resp;
    size_t item, next;
    long min, max;        /* the item's response range, for the single-digit fast path */
} target;

typedef struct row_filter { /* --where COLUMN=VALUE or COLUMN!=VALUE */
    char *text;                /* as given, for the summary */
    char *column, *value;      /* trimmed */
    size_t value_len;
    int negate;                /* != */
    size_t col;                /* in the header, once planned */
} row_filter;

typedef struct extra_code { /* a missing code given to the scorer, for every instrument */
    char *type;
    char *code;
} extra_code;

/* The output of one scale for one (answered items, sum) pair, ",score,n,status", built
 * once: a scale's output depends on nothing else. Each is a length byte and the text, in
 * FRAGMENT_CSV bytes in all (FRAGMENT_JSON for JSON lines, whose keys make it longer), so
 * a table stays small enough for the cache and a copy is of a fixed size. */
#define FRAGMENT_CSV RFSI_WRITER_FIXED
#define FRAGMENT_JSON 64
typedef struct fragment_table {
    unsigned char *cells;  /* NULL: too many combinations, format per row */
    size_t stride;         /* FRAGMENT_CSV or FRAGMENT_JSON */
    size_t *base;          /* per n: index of (n, n * value_min) */
} fragment_table;

struct inst_state {
    const rfs_instrument *inst; /* the definition as scored: def, or alias under another name */
    const rfs_instrument *def;  /* the caller's, which the configuration calls name */
    rfs_instrument *alias;      /* a shallow copy of def with id = the output name (--as), or NULL */
    rfsi_thresholds th;
    size_t *min_answered;      /* per scale, after any override */
    rfsi_response *resp;       /* per item, for the current row */
    size_t *bad_off, *bad_len; /* per item: invalid cell text in row_text */
    rfsi_score_result *res;
    rfsi_indices ix;
    fragment_table *fragments; /* per scale */
    size_t *item_col;          /* per item: its column */
    size_t complete_col;       /* REDCap: the <form>_complete column of its form, or NONE */
    /* column mapping (--prefix, --suffix, --map), resolved into item_names */
    char *prefix, *suffix;
    char **mapped;             /* per item: a column given by a mapping, or NULL */
    char **item_names;         /* per item: the column name it is looked up by */
    const char **item_headers; /* per item: that column's name in the header, for flags */
    const char **missing_types; /* instrument types, then the scorer's */
    /* summary */
    rfsi_colstats *colstats;   /* per item, over the run */
    unsigned long long flag_rows[RFSI_FLAG_COUNT];
    unsigned long long invalid_rows;
    unsigned long long not_administered_rows;
    unsigned long long (*status_rows)[3]; /* per score, per rfsi_score_status */
    /* trust guards (range_unused, item_total_negative): over the run, memory per instrument */
    unsigned long long answered_rows; /* rows with at least one answer */
    long seen_min, seen_max;   /* the lowest and highest answer so far */
    int range_full;            /* both ends of the key's range seen: nothing more to learn */
    rfsi_itemtotal *itemtotal; /* item-total co-moments over the valid rows */
    int itemtotal_off;         /* a part's scorer whose rows the guard no longer takes
                                  (parallel.c) */
    rfsi_fastkey *fastkey;     /* the key compiled for rows of plain cells, or NULL */
    unsigned char code_of[256]; /* per cellbyte: the fast key's code (EMPTY_CELL: none) */
    unsigned char *codes;      /* per item, such a row's answers as the fast key's codes */
    size_t run_col;            /* its items are the columns from this one in order, or NONE */
    unsigned long long plain_rows, *plain_none; /* such rows, and per item those it was empty
                                  in: its answered cells, added to colstats at the end */
    int resp_ready;            /* resp holds this row's responses (a plain row fills them
                                  from codes only when something needs them) */
    /* the current row, counted while its cells are read */
    size_t row_answered, row_invalid, row_typed;
    size_t row_slow;           /* its cells that went through the full rules */
    size_t norm_base;          /* its norm tables' group columns start at s->norm_cols[norm_base] */
    rfsi_buf flags;            /* the row's flags */
    long kinds;                /* flag kinds present, as bits */
    int valid;
    int not_administered;      /* REDCap: the form was not given on this row (row.c) */
    size_t n_out_cols;         /* its columns in a wide output row (output.c) */
    size_t n_item_outputs;     /* its categorical items, each an output column */
};

struct rfs_scorer {
    inst_state *insts;
    size_t n_insts;
    char **id_names;           /* the key columns, in output order (--id A,B,C); none: defaults */
    size_t n_id_names;
    int row_numbers;           /* --id none: the key is the data row number, column "row" */
    row_filter *filters;       /* --where, all must hold */
    size_t n_filters;
    char *duration_name;
    char **keep_names;
    size_t n_keep;
    int has_override;
    rfsi_min_rule override;
    struct { int set; double value; } thresholds[6];
    extra_code *extra;
    size_t n_extra;
    char *input_name;
    rfsi_writer out;
    int output_set;
    rfs_problem_fn warn;
    void *warn_userdata;
    int check_ids;
    int redcap;                /* REDCap export: its missing-data codes and key columns */
    int qualtrics;             /* Qualtrics export (header_rows.c) */
    int qualtrics_row;         /* header rows still to read: 1: row 2 (question text or
                                  ImportIds); 2: row 3 (ImportIds, or data); 3: the names
                                  row of a legacy export */
    held_row held[2];          /* rows 2 and 3, held until we know whether they are data */
    size_t n_held;
    const held_row *replay;    /* the held row being scored now, for lines and columns */
    rfsi_buf header_notes;     /* which rows were taken for header rows and why (--dry-run) */
    int notes_failed;
    char **import_ids;         /* per column: an alias, the Qualtrics ImportId or the
                                  legacy V name, or NULL */
    const char *alias_kind;    /* "ImportId" or "legacy name" */
    int dry_run, dry_done;
    int report, report_all_rows;
    int digest_input;          /* SHA-256 of the input, for the manifest */
    rfsi_sha256 input_digest;
    unsigned long long input_bytes;
    rfsi_study *study;         /* the study report, when asked for */
    char *by_name;             /* report --by: one report per value of this column */
    size_t by_col;
    rfsi_study **groups;       /* per value, in order of first appearance */
    char **group_values;       /* trimmed */
    size_t n_groups, last_group;
    char **command;            /* rfs_scorer_set_command(): the command line, for the report */
    size_t n_command;
    char delimiter;            /* 0: detect */
    rfsi_encoding encoding;
    rfsi_idset ids;
    int prescanning, prescanned;

    rfsi_csv *csv;
    int failed, finished, header_done, configured;

    /* header */
    rfsi_buf header_text;      /* names, each NUL-terminated */
    size_t *header_off;
    size_t ncols, header_cap;
    const char **header_names;

    /* column plan */
    size_t *first_target;      /* per column */
    target *targets;
    size_t n_targets;
    size_t id_col, duration_col;
    size_t *keep_cols;         /* REDCap keys found in the header, then --keep columns */
    size_t n_keep_cols;
    size_t n_id_cols;          /* the first n_id_cols kept columns are the key's columns after
                                  the first (--id A,B,C) */
    size_t n_key_cols;         /* the first n_key_cols kept columns are those and REDCap's keys,
                                  which with the id identify a row (for duplicate_id) */
    unsigned char *copy_col;   /* per column: id, kept or duration: text copied per row */
    unsigned char *fast_lo, *fast_hi; /* per column: the digits every item it feeds accepts;
                                         lo > hi when none (not an item column, or copied) */
    unsigned char *fast_empty; /* per column: an empty cell is plainly missing (no code, no
                                  --where holding the row's cells) for every item it feeds */
    unsigned char *cellbyte;   /* per item column, this row: the digit, EMPTY_CELL or SLOW_CELL */
    size_t *text_off, *text_len;
    size_t *norm_cols;         /* group columns of every norm table, RFSI_NORM_GROUPS_MAX per table */

    rfsi_numcache *numcache;   /* printed forms of recent numbers */
    rfsi_buf row_text;         /* reused per row */
    rfsi_buf scratch;          /* reused per cell */
    int format;                /* RFSI_FMT_* */
    int long_format, raw_text;
    int no_header, bom;        /* output: leave out the header line; begin with a UTF-8 BOM */
    char out_delimiter;        /* CSV output's separator; 0: the format's */
    unsigned threads;          /* rfs_scorer_set_threads(): 1 or 2 */
    unsigned long long part_bytes; /* threads: the input is cut in parts of this size */
    unsigned long long pass_fed;   /* rfs_scorer_run_file(): bytes of this pass read so far */
    unsigned long long parts_taken, parts_reread; /* parts a thread scored that were taken,
                                  and that were not (the scorer read them again) */
    rfs_progress_fn progress;  /* after each chunk rfs_scorer_run_file() reads */
    void *progress_ud;
    rfsi_buf colnames;         /* output column names, NUL-separated */
    size_t *colname_off, n_colnames, colname_cap;
    size_t cell;               /* index of the next cell in the row being written */
    rfs_counts counts;
    rfsi_warnings warnings;    /* the run's warnings (warnings.h) */
    rfs_error *err;            /* the error of the current call */
};

/* rfs_scorer_set_threads(): the parts' default size, and the parts an input must make for
 * threads to be worth starting */
#define RFSI_PART_BYTES (256ULL << 10)
#define RFSI_PART_BYTES_MAX (1ULL << 30)
#define RFSI_MIN_PARTS 8

/* Bytes past the last column in fast_lo, fast_hi and cellbyte: on_line reads and writes
 * them eight at a time, rfsi_fastkey_gather_run() sixteen. */
#define RFSI_CELL_PAD 16

#define SLOW_CELL 0xFF  /* cellbyte: the cell went through the full rules */
#define EMPTY_CELL 0xFE /* cellbyte: empty, and fast_empty: missing, no type */

/* plan.c */
void rfsi_plan_free(rfs_scorer *s);
int rfsi_plan_header_field(rfs_scorer *s, const char *data, size_t len, size_t col);
int rfsi_plan_columns(rfs_scorer *s);
void rfsi_plan_free_import_ids(rfs_scorer *s);
int rfsi_plan_describe(rfs_scorer *s);     /* --dry-run: the mapping, to the output */
/* REDCap's missing-data codes (NI, UNK, NASK, ...): the type index of s, or -1. */
int rfsi_redcap_code(const char *data, size_t len);
extern const char *const rfsi_redcap_types[];
#define RFSI_N_REDCAP_CODES 18

enum { RFSI_FMT_CSV, RFSI_FMT_TSV, RFSI_FMT_JSONL, RFSI_FMT_REDCAP };

/* header_rows.c: the rows before the data in survey exports */
#define RFSI_ROW_DATA 1
#define RFSI_ROW_HEADER 2
void rfsi_held_free(held_row *h);
void rfsi_held_clear(held_row *h);
int rfsi_held_field(rfs_scorer *s, held_row *h, const char *data, size_t len, size_t col);
const char *rfsi_held_lines(const held_row *h, char *out, size_t size);
void rfsi_header_note(rfs_scorer *s, const char *fmt, ...) RFS_PRINTF(2, 3);
int rfsi_header_is_qualtrics(const rfs_scorer *s);
int rfsi_header_is_legacy(const rfs_scorer *s);
/* The number of ImportId cells when the row is an ImportId row (most filled cells), else 0. */
size_t rfsi_held_import_ids(const held_row *h, size_t *filled);
int rfsi_take_import_ids(rfs_scorer *s, const held_row *h);
/* RFSI_ROW_DATA and/or RFSI_ROW_HEADER evidence, with the first reason of each. */
int rfsi_held_kind(const rfs_scorer *s, const held_row *h, char *why_data, char *why_header, size_t size);
int rfsi_held_is_legacy_names(const rfs_scorer *s, const held_row *h, char *why, size_t size);
int rfsi_merge_legacy_names(rfs_scorer *s, const held_row *h);

/* output.c */
int rfsi_out_error(rfs_scorer *s);
/* RFS_E_USAGE when two output columns would share a name (a kept column named like a
 * score column), checked when the header is known. */
int rfsi_out_check_names(rfs_scorer *s);
int rfsi_out_header(rfs_scorer *s);
int rfsi_out_row(rfs_scorer *s, const char *id, size_t id_len);

/* row.c: scores, indices and flags of one instrument for the current row */
int rfsi_row_compute(rfs_scorer *s, inst_state *st, int has_duration, double duration,
                     unsigned long long id_count);

/* colstats.c: column_mostly_invalid warnings, once the input is read */
int rfsi_colstats_warn(rfs_scorer *s);

/* stream.c */
/* rfs_scorer_run_file() reads in pieces of this size, counted from where the input
 * starts: a line cut between pieces loses its columns in messages, so every reader of a
 * pass cuts at the same places (parallel.c). */
#define RFSI_READ_CHUNK (64 * 1024)
/* Feeds up to limit more bytes from in (the pre-pass when prescan), in pieces ending at
 * the multiples of RFSI_READ_CHUNK from the pass's start (s->pass_fed: bytes of this
 * pass fed so far). 0 or -1. */
int rfsi_read_input(rfs_scorer *s, FILE *in, rfs_error *err, int prescan, unsigned long long limit);
/* The input's end: the last record, and the header rows of an export with no data. */
int rfsi_scorer_finish_input(rfs_scorer *s, rfs_error *err);
/* The scorer reads on from the start of line `line`, past the header, of a part of the
 * file (parallel.c). -1 when memory runs out. */
int rfsi_scorer_resume(rfs_scorer *s, unsigned long line);

/* parallel.c: the scoring pass, or the id pre-pass, of a regular file in threads, when set
 * and worth it. 1: the input is read (then finish); 0: not done, and the scorer reads on
 * from where in stands; -1: failed. */
int rfsi_parallel_run(rfs_scorer *s, FILE *in, int prescan, rfs_error *err);

/* scorer.c */
int rfsi_apply_configuration(rfs_scorer *s, rfs_error *err);
int rfsi_scorer_configurable(rfs_scorer *s, rfs_error *err); /* -1 once input was fed */
/* Replaces *dst with a copy of v ("" for NULL); -1 (RFS_E_NOMEM) leaves it as it was. */
int rfsi_set_string(char **dst, const char *v, rfs_error *err);
inst_state *rfsi_scorer_state_of(rfs_scorer *s, const rfs_instrument *inst, rfs_error *err);

/* trust.c: range_unused and item_total_negative warnings, once the input is read */
int rfsi_trust_warn(rfs_scorer *s);

/* design.c */
int rfsi_row_passes(const rfs_scorer *s);  /* the row's cells meet every filter */
/* report --by: the current row's group (created at its first row); NULL with s->err set
 * past RFSI_MAX_GROUPS values or on no memory. */
rfsi_study *rfsi_group_study(rfs_scorer *s);
char *rfsi_groups_render(const rfs_scorer *s, int format); /* as rfsi_study_render */
void rfsi_groups_free(rfs_scorer *s);
#define RFSI_MAX_GROUPS 100

/* provenance.c: the command line, and the report's provenance and rules in force */
void rfsi_command_free(rfs_scorer *s);
int rfsi_report_prepare(const rfs_scorer *s);

#endif

/* The study report (`rfscore report`, `score --report`): per instrument, what a data set
 * holds and how reliable its scales are, accumulated in one streaming pass over the rows
 * the scorer has already classified and scored. Memory is per instrument, not per row:
 * item response counts, score moments and histograms, and for each scale a mean vector
 * and a k x k co-moment matrix (Welford/West updates). docs/report.md defines every
 * figure and how it matches R's psych::describe and psych::alpha. */
#ifndef RFS_REPORT_H
#define RFS_REPORT_H

#include <stddef.h>

#include "scoring/cell.h"
#include "definition/instrument.h"
#include "scoring/score.h"

typedef struct rfsi_study rfsi_study;
typedef struct rfsi_study_meta rfsi_study_meta; /* report_meta.c */

/* insts (n_insts entries) are borrowed and must outlive the study. NULL on no memory.
 * Caller frees with rfsi_study_free(). */
rfsi_study *rfsi_study_new(const rfs_instrument *const *insts, size_t n_insts);

/* Does nothing for NULL. */
void rfsi_study_free(rfsi_study *st);

/* One row of one instrument: resp has inst->n_items entries, res has
 * rfs_instrument_score_count() entries, kinds is the row's set of flag kinds
 * (1L << rfsi_flag_kind), valid the row's <inst>_valid. Every row counts in the row,
 * status, flag and item response counts; only rows with valid != 0 (all rows after
 * rfsi_study_set_all_rows(st, 1)) enter the descriptives, histograms and alpha.
 * Returns 0, or -1 when inst_index is out of range. Never allocates. */
int rfsi_study_add(rfsi_study *st, size_t inst_index, const rfsi_response *resp, const rfsi_score_result *res,
                   long kinds, int valid);

/* Include rows with valid == 0 in the statistics (default: not). Set before the first
 * rfsi_study_add(). */
void rfsi_study_set_all_rows(rfsi_study *st, int all_rows);

/* Renders the report: format 0 text, 1 JSON, 2 self-contained HTML. input_name (may be
 * NULL) names the data in the title. Returns malloc'd NUL-terminated text (caller frees
 * with free()), NULL on no memory or an unknown format. */
char *rfsi_study_render(const rfsi_study *st, int format, const char *input_name);

/* ------------------------------------------------------------------ results
 * Read-only views of the figures, for the renderers and the tests. A figure that cannot
 * be computed (too few rows, no variance) is NaN. Indices: inst 0..n_insts-1, score
 * 0..rfs_instrument_score_count()-1 (scales first, then derived), item 0-based. */

/* psych::describe of a score over the included rows where it was scored. */
typedef struct rfsi_describe {
    unsigned long long n;
    double mean, sd, min, max, range, skew, kurtosis, se; /* skew, kurtosis: type 3 */
} rfsi_describe;

/* One listed item of a scale in psych::alpha. */
typedef struct rfsi_alpha_item {
    int in_alpha;        /* 0: no variance among the complete rows, left out (as psych) */
    double alpha_drop;   /* raw alpha without this item */
    double std_alpha_drop;
    double r_drop;       /* corrected item-total correlation (item vs the other items' sum) */
    double mean, sd;     /* scored values over the complete rows */
    double loading;      /* on the one-factor minres model behind omega; NaN without omega */
} rfsi_alpha_item;

/* psych::alpha of a scale over the included rows with every item answered. */
typedef struct rfsi_alpha {
    unsigned long long n; /* complete rows */
    size_t k;             /* items in alpha (listed items with variance) */
    double raw, std, ase; /* raw_alpha, std.alpha, Duhachek's standard error */
    double feldt_lower, feldt_upper; /* Feldt 95% interval */
    double omega_total;   /* McDonald's omega total, one factor, minres (omega.h); needs k >= 3 */
    int omega_heywood;    /* a communality reached the bound (0.995): omega is suspect */
} rfsi_alpha;

typedef struct rfsi_score_stats {
    unsigned long long status[3]; /* every row, by rfsi_score_status */
    rfsi_describe d;
    int is_scale;                 /* 0 for derived scores: no alpha */
    rfsi_alpha alpha;
} rfsi_score_stats;

size_t rfsi_study_instrument_count(const rfsi_study *st);
const rfs_instrument *rfsi_study_instrument(const rfsi_study *st, size_t inst);
int rfsi_study_all_rows(const rfsi_study *st);

/* Rows seen, and rows with valid != 0. */
unsigned long long rfsi_study_rows(const rfsi_study *st, size_t inst, unsigned long long *valid_rows);
/* A row on which the instrument was not administered (a REDCap form not collected at the
 * event): counted for the exclusion flow, never added to the figures. */
void rfsi_study_add_not_administered(rfsi_study *st, size_t inst);
unsigned long long rfsi_study_not_administered(const rfsi_study *st, size_t inst);

/* Rows whose kinds held this flag. */
unsigned long long rfsi_study_flag_rows(const rfsi_study *st, size_t inst, rfsi_flag_kind kind);

/* Every row's response to an item: counts of answers min..max (range entries), then
 * missing by type (1 + inst->n_missing_types entries: blank or NA first, then each typed
 * missing code's type), then invalid. Borrowed, valid until rfsi_study_free(). */
const unsigned long long *rfsi_study_item_counts(const rfsi_study *st, size_t inst, size_t item);

/* Computes a score's figures. items (the scale's n_items entries, may be NULL) receives the
 * per-item alpha statistics. Returns 0, or -1 on a bad index. */
int rfsi_study_score_stats(const rfsi_study *st, size_t inst, size_t score, rfsi_score_stats *out,
                           rfsi_alpha_item *items);

/* The score's histogram: bins equal-width bins over [*lo, *hi], which span the score's
 * possible range (widened by half a unit each side when there is one bin per integer
 * value). Borrowed counts, valid until rfsi_study_free(). */
const unsigned long long *rfsi_study_histogram(const rfsi_study *st, size_t inst, size_t score, size_t *bins,
                                              double *lo, double *hi);

/* Scale intercorrelations: the Pearson r of scale a and b over the included rows where
 * both are scored (pairwise), its n, and r disattenuated by the two raw alphas,
 * r / sqrt(alpha_a alpha_b) (Spearman 1904; NaN unless both alphas are positive).
 * a, b < inst->n_scales. Returns 0, or -1 on a bad index or no memory. */
int rfsi_study_scale_cor(const rfsi_study *st, size_t inst, size_t a, size_t b, double *r,
                         unsigned long long *n, double *r_disattenuated);

/* The scale scores' pairwise co-moments (report_cor.c). Borrowed; NULL on a bad index. */
struct rfsi_pairs;
const struct rfsi_pairs *rfsi_study_scale_pairs(const rfsi_study *st, size_t inst);

/* The minimum of answered items in force for each scale (n_scales entries, copied), when
 * the scorer overrides the definition (--min-answered). Default: the definition's. */
int rfsi_study_set_min_answered(rfsi_study *st, size_t inst, const size_t *min_answered);
/* The minimum in force for a scale. */
size_t rfsi_study_min_answered(const rfsi_study *st, size_t inst, size_t scale);

/* ------------------------------------------------------------ provenance */

/* The study's metadata (provenance, rules in force), for report_meta.c. Borrowed. */
rfsi_study_meta *rfsi_study_meta_of(const rfsi_study *st);

/* What made the report: strings are copied by rfsi_study_set_provenance(); any may be
 * NULL (not known), argc may be 0. */
typedef struct rfsi_study_provenance {
    const char *created;       /* ISO 8601 UTC, "2026-12-01T20:30:00Z" */
    size_t argc;
    const char *const *argv;   /* the command line, argv[0] the program */
    const char *input_sha256;  /* 64 hex digits */
    unsigned long long input_bytes;
    unsigned long long rows_read;   /* every data row, those --where excluded too */
    size_t n_filters;
    const char *const *filters;     /* --where, as given ("group=a") */
    int where_stage;                /* 1: this study saw every row --where kept, so the flow
                                       starts from rows_read and shows rows_excluded */
    unsigned long long rows_excluded;
} rfsi_study_provenance;

/* Returns 0, or -1 on no memory (the provenance is then left unset). */
int rfsi_study_set_provenance(rfsi_study *st, const rfsi_study_provenance *p);
/* NULL until set. Borrowed, valid until the next set or rfsi_study_free(). */
const rfsi_study_provenance *rfsi_study_provenance_get(const rfsi_study *st);

/* ------------------------------------------------------- exclusion flow */

/* Why an invalid row (valid = 0) left the analysis: the first of these, in this order, among
 * the row's flags that make it invalid (the instrument's invalid_if), so every excluded row
 * is counted once. */
typedef enum rfsi_exclusion {
    RFSI_EXCL_EMPTY_ROW,      /* no item answered */
    RFSI_EXCL_DUPLICATE_ID,
    RFSI_EXCL_INVALID_ANSWER,
    RFSI_EXCL_TOO_FEW_ITEMS,
    RFSI_EXCL_CARELESS,       /* attention, longstring, irv, even_odd, synonyms, antonyms, too_fast */
    RFSI_EXCL_OTHER,          /* another flag named in invalid_if (e.g. missing), or none known */
    RFSI_EXCL_COUNT
} rfsi_exclusion;

rfsi_exclusion rfsi_exclusion_of(long kinds, unsigned invalid_mask);
const char *rfsi_exclusion_name(rfsi_exclusion e); /* "duplicate_id" */
const char *rfsi_exclusion_text(rfsi_exclusion e); /* "duplicate id" */
/* Invalid rows of instrument inst that left for this reason. */
unsigned long long rfsi_study_excluded(const rfsi_study *st, size_t inst, rfsi_exclusion e);

/* One box of the flow: a stage's exclusion (side box) or what remains after it (main
 * column). report_flow.c builds the list from the counters that exist; a new category
 * (rows excluded by --where, instruments not administered) is one line there. */
typedef struct rfsi_flow_box {
    const char *key;       /* JSON name: "rows_read", "invalid.duplicate_id", "analysed" */
    const char *label;     /* "duplicate id" */
    unsigned long long n;
    int stage;             /* the stage it belongs to */
    int is_exclusion;      /* 0: a main box (rows remaining), 1: an exclusion line */
} rfsi_flow_box;

#define RFSI_FLOW_MAX 24

/* Fills boxes (RFSI_FLOW_MAX entries) for instrument inst; returns the number filled.
 * Exclusion lines with n = 0 are kept (a reader sees the screen was applied). */
size_t rfsi_study_flow(const rfsi_study *st, size_t inst, rfsi_flow_box *boxes);
/* The title of a stage's exclusion box ("invalid (valid = 0), by first reason"). */
const char *rfsi_flow_stage_title(const rfsi_study *st, int stage);

/* --------------------------------------------------------------- warnings */

typedef enum rfsi_study_warning_kind {
    RFSI_WARN_NEGATIVE_R_DROP, /* the mis-keying screen: r.drop < 0 after the declared keying */
    RFSI_WARN_NO_VARIANCE,     /* an item constant over the complete rows: left out of alpha */
    RFSI_WARN_NO_ALPHA,        /* fewer than 2 complete rows or 2 items with variance */
    RFSI_WARN_HEYWOOD          /* omega's one-factor model put a communality at its bound */
} rfsi_study_warning_kind;

typedef struct rfsi_study_warning {
    rfsi_study_warning_kind kind;
    size_t score;      /* the scale */
    size_t item;       /* listed index in the scale; (size_t)-1 for RFSI_WARN_NO_ALPHA */
    double value;      /* r.drop, or the number of complete rows */
    char text[512];    /* one sentence naming the instrument, scale and item column */
} rfsi_study_warning;

/* Called once per warning; non-zero stops. */
typedef int (*rfsi_study_warning_fn)(const rfsi_study_warning *w, void *userdata);

/* The warnings of instrument inst, scale by scale. Returns 0, -1 on no memory or when
 * fn stopped. */
int rfsi_study_warnings(const rfsi_study *st, size_t inst, rfsi_study_warning_fn fn, void *userdata);

/* The renderers behind rfsi_study_render (report_text.c, report_html.c): append to out.
 * Return 0, or -1 on no memory. */
struct rfsi_buf;
int rfsi_study_render_text(const rfsi_study *st, const char *input_name, struct rfsi_buf *out);
int rfsi_study_render_json(const rfsi_study *st, const char *input_name, struct rfsi_buf *out);
int rfsi_study_render_html(const rfsi_study *st, const char *input_name, struct rfsi_buf *out);

/* Sections shared by the renderers (report_meta.c, report_flow.c), appending to out and
 * setting *rc to -1 on no memory. format: 0 text, 1 JSON (a member list without braces),
 * 2 HTML. */
void rfsi_study_provenance_render(const rfsi_study *st, const char *input_name, int format, struct rfsi_buf *out,
                                  int *rc);
void rfsi_study_rule_render(const rfsi_study *st, size_t inst, int format, struct rfsi_buf *out, int *rc);
void rfsi_study_flow_render(const rfsi_study *st, size_t inst, int format, struct rfsi_buf *out, int *rc);
void rfsi_study_cor_render(const rfsi_study *st, size_t inst, int format, struct rfsi_buf *out, int *rc);

#endif

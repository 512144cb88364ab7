/* The instrument model: what a definition says, resolved for fast scoring.
 * Built by instrument_ini.c, read by the scoring core; no I/O types appear here. */
#ifndef RFS_INSTRUMENT_H
#define RFS_INSTRUMENT_H

#include <stddef.h>

#include "rfscore.h"

typedef enum rfsi_score_kind {
    RFSI_SCORE_MEAN,
    RFSI_SCORE_SUM,         /* every item needed */
    RFSI_SCORE_PRORATED_SUM /* sum * k / n */
} rfsi_score_kind;

/* A minimum-answered rule: a count, or a percentage rounded up (inclusive bound). */
typedef struct rfsi_min_rule {
    int is_percent;
    unsigned value;
} rfsi_min_rule;

typedef struct rfsi_item {
    char *column; /* data column name */
    char *label;  /* "" when none */
    int has_range; /* [item.N] min/max given; else finalize copies the instrument's */
    long min, max; /* this item's response range, always inside the instrument's (which
                      bounds every item) */
    /* A categorical item (a forced choice among named categories, e.g. the RQ's best-fit
     * prototype): codes 1..n_categories, answered by code or by name, output as the name
     * in column <instrument>_<output>, never scored. */
    size_t n_categories;
    char **categories;      /* as written */
    char **category_norm;   /* normalised as labels are, for matching answer text */
    char *output;           /* output id when categorical, else NULL */
} rfsi_item;

typedef struct rfsi_missing_code {
    int is_number;
    long number;
    char *text;   /* as written (numbers too), matched case-insensitively */
    size_t type;  /* index into rfs_instrument.missing_types */
} rfsi_missing_code;

typedef enum rfsi_label_origin {
    RFSI_LABEL_DEFINITION, /* [values] */
    RFSI_LABEL_SET,        /* a shared set named by labels = (labels.c) */
    RFSI_LABEL_CALLER      /* rfs_instrument_add_label() (--labels FILE) */
} rfsi_label_origin;

typedef struct rfsi_value_label {
    long code;
    char *label;
    char *norm;   /* lowercased, trimmed, inner whitespace collapsed: for matching answer text */
    rfsi_label_origin origin;
} rfsi_value_label;

#define RFSI_LABEL_MAX 200 /* bytes of a normalised label; longer cells never match */

/* labels.c: the shared label sets (common survey-platform wordings of agreement and
 * frequency scales) and adding labels to a model. */
typedef struct rfsi_label_set {
    const char *name;        /* "agree7" */
    size_t points;           /* codes min .. min + points - 1 */
    const char *const *wordings; /* per point, "|"-separated */
    const char *what;        /* for messages and docs */
} rfsi_label_set;
/* The set of that name, or NULL; rfsi_label_set_names() lists them for messages. */
const rfsi_label_set *rfsi_label_set_find(const char *name);
const char *rfsi_label_set_names(void);
/* Adds a label for code. 1 when added, 0 when the same text already labels a code (not
 * added; *other gets that code), -1 when memory runs out; -2 too long or empty. */
int rfsi_label_add(rfs_instrument *inst, long code, const char *label, rfsi_label_origin origin, long *other);
/* Adds every wording of set to inst (code = inst->min + point): wordings whose text a
 * [values] label already has are left to it. 0, or -1 when memory runs out. */
int rfsi_label_add_set(rfs_instrument *inst, const rfsi_label_set *set);

/* Normalises s[0..len) into out (RFSI_LABEL_MAX + 1 bytes) as labels are stored.
 * Returns the length, or (size_t)-1 when it does not fit. */
size_t rfsi_label_normalize(const char *s, size_t len, char *out);

typedef struct rfsi_recode {
    char *name;
    long *map;    /* scored value for each response min..max */
} rfsi_recode;

typedef struct rfsi_scale {
    char *id;
    char *name;
    size_t n_items;
    size_t *items;           /* 0-based item indices, as listed */
    unsigned char *reversed; /* per listed item */
    unsigned char *recoded;  /* per listed item */
    long recode;             /* index into recodes, -1 for none */
    long *table;             /* n_items x range: response -> scored value (reverse, then recode) */
    long value_min, value_max; /* bounds of the scored values over the table */
    long *weights;           /* per listed item: multiplies the scored value (1 unless weighted) */
    double range_lo, range_hi; /* the possible score, from the items' declared ranges */
    int pomp;                /* also output 100 * (score - range_lo) / (range_hi - range_lo) */
    rfsi_score_kind kind;
    int has_min_rule;
    rfsi_min_rule min_rule;  /* when has_min_rule; else the instrument default */
    size_t min_answered;     /* resolved from the rule */
} rfsi_scale;

typedef struct rfsi_derived {
    char *id;
    char *name;
    size_t n;
    size_t *components;      /* indices into the score list (scales, then derived) */
    long *weights;           /* per component: multiplies its score (1 unless weighted) */
    double range_lo, range_hi; /* from the components' ranges and weights */
    int pomp;
    rfsi_score_kind kind;    /* MEAN or SUM */
} rfsi_derived;

/* A named range of a score (inclusive): a cut-off band such as positive_screen 7..10. */
typedef struct rfsi_band {
    char *name;
    double lo, hi;
} rfsi_band;

/* The bands of one score ([bands.SCORE]), output as <instrument>_<score>_band. */
typedef struct rfsi_bandset {
    size_t score;            /* index into the score list */
    char *source;            /* where the cut-offs are published */
    size_t n;
    rfsi_band *bands;        /* in file order; they do not overlap */
} rfsi_bandset;

/* One row of a norm table: for respondents in this group, a score in lo..hi maps to value. */
typedef struct rfsi_norm_row {
    char **group;            /* per group column: the level, normalised */
    double lo, hi;
    double value;
} rfsi_norm_row;

#define RFSI_NORM_GROUPS_MAX 4 /* group columns of one norm table (age band, sex, ...) */

typedef enum rfsi_norm_kind { RFSI_NORM_T_SCORE, RFSI_NORM_PERCENTILE } rfsi_norm_kind;

/* A norm table ([norms.ID] plus a CSV file beside the definition): a score and the
 * respondent's group (e.g. age band, sex) to a T-score or percentile. Never extrapolated. */
typedef struct rfsi_norms {
    char *id;                /* output id: column <instrument>_<id> and <id>_status */
    size_t score;            /* index into the score list */
    rfsi_norm_kind kind;
    char *source;            /* the norm sample */
    char *table;             /* the CSV file's path as resolved */
    size_t n_groups;
    char **group_columns;    /* data columns holding the group */
    size_t *n_levels;        /* per group: the declared levels */
    char ***levels;          /* normalised */
    size_t n_rows;
    rfsi_norm_row *rows;
} rfsi_norms;

typedef enum rfsi_expect_kind {
    RFSI_EXPECT_SCORE,       /* score: index into the score list */
    RFSI_EXPECT_POMP,        /* score: its POMP rescaling */
    RFSI_EXPECT_BAND,        /* score: index into bandsets; text: the band name or NA */
    RFSI_EXPECT_CATEGORY     /* score: the item; text: the category name or NA */
} rfsi_expect_kind;

typedef struct rfsi_case_expect {
    rfsi_expect_kind kind;
    size_t score;            /* see rfsi_expect_kind */
    int is_na;
    double value;
    char *text;              /* as written, for messages */
    char *id;                /* the expected output's id as written (e.g. total_band) */
} rfsi_case_expect;

typedef struct rfsi_case {
    char *name;
    unsigned long line;
    char **cells;            /* n_items cells as written */
    size_t n_expect;
    rfsi_case_expect *expect;
} rfsi_case;

/* Flag kinds, in the order they appear in a row's flags. */
typedef enum rfsi_flag_kind {
    RFSI_FLAG_EMPTY_ROW,
    RFSI_FLAG_DUPLICATE_ID,
    RFSI_FLAG_INVALID_ANSWER,
    RFSI_FLAG_MISSING,        /* a typed missing code (information) */
    RFSI_FLAG_ATTENTION,
    RFSI_FLAG_TOO_FEW_ITEMS,
    RFSI_FLAG_LONGSTRING,
    RFSI_FLAG_IRV,
    RFSI_FLAG_EVEN_ODD,
    RFSI_FLAG_SYNONYMS,
    RFSI_FLAG_ANTONYMS,
    RFSI_FLAG_TOO_FAST,
    RFSI_FLAG_COUNT
} rfsi_flag_kind;

const char *rfsi_flag_name(rfsi_flag_kind kind);
/* The kind named by text ("longstring"), or RFSI_FLAG_COUNT. */
rfsi_flag_kind rfsi_flag_find(const char *text);

typedef struct rfsi_pair {
    size_t a, b;              /* 0-based items */
} rfsi_pair;

typedef struct rfsi_attention {
    size_t item;              /* 0-based */
    long expected;
} rfsi_attention;

/* Careless-responding indices and their thresholds ([validity]). An index with no
 * threshold is reported as a column but never flagged. */
typedef struct rfsi_validity {
    int has_longstring_max;
    long longstring_max;      /* flag when the longest run of identical answers exceeds it */
    int has_irv_min;
    double irv_min;           /* flag when IRV is below it */
    size_t n_even_odd;
    size_t *even_odd_scales;  /* scale indices; the index is computed when >= 2 */
    double even_odd_min;      /* flag when below (default 0) */
    size_t n_synonyms, n_antonyms;
    rfsi_pair *synonyms, *antonyms;
    double synonyms_min;      /* flag when below (default 0) */
    double antonyms_max;      /* flag when above (default 0) */
    size_t n_attention;
    rfsi_attention *attention;
    double seconds_per_item;  /* too_fast threshold with --duration (default 2) */
    unsigned invalid_mask;    /* bit per rfsi_flag_kind that makes a row invalid */
} rfsi_validity;

struct rfs_instrument {
    char *path;
    char sha256[65];         /* of the definition file */
    char *id, *name, *version, *citation, *doi, *license, *note;
    char *column_prefix;
    char *redcap_form;       /* the REDCap form holding the items ("" when not named) */
    size_t n_items;
    long min, max;           /* response range */
    rfsi_min_rule min_rule;  /* instrument default */
    rfsi_item *items;

    size_t n_missing_types;
    char **missing_types;
    size_t n_missing_codes;
    rfsi_missing_code *missing_codes;

    size_t n_values;
    rfsi_value_label *values;
    const char *label_set;   /* the shared label set named by labels =, or NULL (static) */

    size_t n_recodes;
    rfsi_recode *recodes;

    size_t n_scales;
    rfsi_scale *scales;
    size_t n_derived;
    rfsi_derived *derived;
    size_t *derived_order;   /* evaluation order (components first), set by the loader */

    size_t n_bandsets;
    rfsi_bandset *bandsets;
    size_t n_norms;
    rfsi_norms *norms;

    rfsi_validity validity;

    size_t n_cases;
    rfsi_case *cases;
};

/* ceil(k * percent / 100) for percentages, the count otherwise; at least 1. */
size_t rfsi_min_rule_resolve(rfsi_min_rule rule, size_t k);

/* Parses "5" or "80%". Returns 0, or -1 when malformed. */
int rfsi_min_rule_parse(const char *text, rfsi_min_rule *out);

/* Writes the rule as text ("5 of 6" / "80% of 6, rounded up = 5") into out. */
void rfsi_min_rule_format(rfsi_min_rule rule, size_t k, char *out, size_t size);

/* Score list: scales 0..n_scales-1, then derived. */
const char *rfsi_score_id(const rfs_instrument *inst, size_t i);
/* Index of a scale or derived id, or (size_t)-1. */
size_t rfsi_score_find(const rfs_instrument *inst, const char *id);

/* Frees what nm holds and zeroes it. */
void rfsi_norms_clear(rfsi_norms *nm);

/* The item index of categorical output id, or (size_t)-1. */
size_t rfsi_category_find(const rfs_instrument *inst, const char *id);
/* The bandset of score i, or (size_t)-1. */
size_t rfsi_bandset_find(const rfs_instrument *inst, size_t score);
/* The possible range of score i (scale or derived), as finalize computed it. */
void rfsi_score_range(const rfs_instrument *inst, size_t i, double *lo, double *hi);
/* 1 when score i has the pomp option. */
int rfsi_score_pomp(const rfs_instrument *inst, size_t i);

/* Builds each scale's lookup table and resolves min_answered (the loader sets
 * derived_order). Called once the model is complete and checked. 0 or -1 (no memory). */
int rfsi_instrument_finalize(rfs_instrument *inst);

struct rfsi_buf;
/* A scale's scoring rule in words, for the study report (describe.c, as `rfscore show`
 * says it): items, reversed and recoded items, mean or sum, and the minimum answered in
 * force (min_answered; "set by --min-answered" when it differs from the definition's).
 * Appends to out; 0, or -1 on no memory. */
int rfsi_scale_rule_text(const rfs_instrument *inst, size_t scale, size_t min_answered, struct rfsi_buf *out);

#endif

/* The header -> the column plan: which column feeds which item, id, kept columns;
 * made once per input, so rows need no lookups. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "scorer.h"
#include "input/colindex.h"

void rfsi_plan_free(rfs_scorer *s)
{
    free(s->header_names);
    free(s->first_target);
    free(s->targets);
    free(s->keep_cols);
    free(s->copy_col);
    free(s->fast_lo);
    free(s->fast_hi);
    free(s->fast_empty);
    free(s->cellbyte);
    free(s->text_off);
    free(s->text_len);
    free(s->norm_cols);
    s->norm_cols = NULL;
    s->header_names = NULL;
    s->first_target = NULL;
    s->targets = NULL;
    s->keep_cols = NULL;
    s->copy_col = NULL;
    s->fast_lo = s->fast_hi = s->fast_empty = s->cellbyte = NULL;
    s->text_off = s->text_len = NULL;
    s->n_targets = 0;
}

int rfsi_plan_header_field(rfs_scorer *s, const char *data, size_t len, size_t col)
{
    size_t *p;

    if (col >= s->header_cap) {
        s->header_cap = s->header_cap ? s->header_cap * 2 : 64;
        p = realloc(s->header_off, s->header_cap * sizeof *p);
        if (!p)
            return rfsi_nomem(s->err);
        s->header_off = p;
    }
    while (len && (*data == ' ' || *data == '\t')) {
        data++;
        len--;
    }
    while (len && (data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    if (memchr(data, '\0', len))
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, rfsi_csv_line(s->csv), rfsi_csv_field_column(s->csv, col),
                         "NUL byte in the name of column %zu (is this a UTF-16 or binary file?)", col + 1);
    s->header_off[col] = s->header_text.len;
    if (rfsi_buf_append(&s->header_text, data, len) < 0 || rfsi_buf_putc(&s->header_text, '\0') < 0)
        return rfsi_nomem(s->err);
    s->ncols = col + 1;
    return 0;
}

static int add_target(rfs_scorer *s, size_t col, size_t inst, size_t item)
{
    target *t = realloc(s->targets, (s->n_targets + 1) * sizeof *t);

    if (!t)
        return rfsi_nomem(s->err);
    s->targets = t;
    t[s->n_targets].st = NULL; /* pointers into s->insts are set once all targets exist */
    t[s->n_targets].resp = NULL;
    t[s->n_targets].item = item;
    t[s->n_targets].min = (long)inst; /* the instrument index, until then */
    t[s->n_targets].next = s->first_target[col];
    s->first_target[col] = s->n_targets++;
    return 0;
}

static void bind_targets(rfs_scorer *s)
{
    size_t t;

    for (t = 0; t < s->n_targets; t++) {
        target *g = &s->targets[t];
        inst_state *st = &s->insts[g->min];
        g->st = st;
        g->resp = &st->resp[g->item];
        g->min = st->inst->items[g->item].min; /* the item's own range */
        g->max = st->inst->items[g->item].max;
    }
}

/* A column takes the fast path for the digits that every item it feeds accepts, and for
 * an empty cell when that is plain missing (no type) for each of them, with no missing code
 * of the run's that is empty (tried on missing cells in REDCap data) and no --where (which
 * holds the row's item cells until the row is known to pass). */
static void plan_fast_path(rfs_scorer *s)
{
    size_t col, t, k;
    int empty_ok = s->n_filters == 0;

    for (k = 0; k < s->n_extra; k++)
        empty_ok &= s->extra[k].code[0] != '\0';
    for (col = 0; col < s->ncols; col++) {
        long lo = 0, hi = 9;
        if (s->first_target[col] == NONE || s->copy_col[col])
            continue;
        s->fast_empty[col] = (unsigned char)empty_ok;
        for (t = s->first_target[col]; t != NONE; t = s->targets[t].next) {
            rfsi_response r;
            rfsi_cell_classify_item(s->targets[t].st->inst, s->targets[t].item, "", 0, &r);
            if (r.state != RFSI_MISSING || r.missing_type != 0 || r.value != 0)
                s->fast_empty[col] = 0;
            if (s->targets[t].min > lo)
                lo = s->targets[t].min;
            if (s->targets[t].max < hi)
                hi = s->targets[t].max;
        }
        if (lo <= hi) {
            s->fast_lo[col] = (unsigned char)('0' + lo);
            s->fast_hi[col] = (unsigned char)('0' + hi);
        }
    }
}

/* REDCap's standard missing-data codes (REDCap "Missing Data Codes"; HL7 null flavors),
 * recognised in REDCap exports. Their missing type is the code in lowercase. */
static const char *const redcap_codes[RFSI_N_REDCAP_CODES] = {
    "NI", "INV", "UNK", "NASK", "ASKU", "NAV", "MSK", "NA", "NAVU", "NP", "QS", "QI", "TRC", "UNC", "DER", "PINF",
    "NINF", "OTH"};
const char *const rfsi_redcap_types[RFSI_N_REDCAP_CODES] = {
    "ni", "inv", "unk", "nask", "asku", "nav", "msk", "na", "navu", "np", "qs", "qi", "trc", "unc", "der", "pinf",
    "ninf", "oth"};

int rfsi_redcap_code(const char *data, size_t len)
{
    int k;

    for (k = 0; k < RFSI_N_REDCAP_CODES; k++)
        if (strlen(redcap_codes[k]) == len && strncasecmp(redcap_codes[k], data, len) == 0)
            return k;
    return -1;
}

static int header_has(const rfs_scorer *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->ncols; i++)
        if (strcasecmp(s->header_text.data + s->header_off[i], name) == 0)
            return 1;
    return 0;
}

/* A REDCap <form>_complete field: name ending in "_complete" (not the first column). */
static int has_complete_field(const rfs_scorer *s)
{
    size_t i, n;

    for (i = 1; i < s->ncols; i++) {
        const char *name = s->header_text.data + s->header_off[i];
        n = strlen(name);
        if (n > 9 && strcmp(name + n - 9, "_complete") == 0)
            return 1;
    }
    return 0;
}

/* An alias as it is looked up: Qualtrics wrote QID12-1 in 2016-17 exports where it now
 * writes QID12_1, so either spelling finds either. NULL when memory runs out. */
static char *alias_key(const char *name)
{
    char *k = strdup(name), *p;

    for (p = k; p && *p; p++)
        if (*p == '-')
            *p = '_';
    return k;
}

/* A column by header name, else by alias (Qualtrics ImportId, legacy V name). A name
 * that two columns share is ambiguous: an error (AMBIGUOUS) naming both. */
#define AMBIGUOUS ((size_t)-2)

static size_t find_column(rfs_scorer *s, const rfsi_colindex *ix, const rfsi_colindex *ids, const char *name)
{
    size_t twin, col = rfsi_colindex_find2(ix, name, &twin);

    if (col == NONE && ids && ids->slots) {
        char *key = alias_key(name);
        if (!key) {
            rfsi_nomem(s->err);
            return AMBIGUOUS;
        }
        col = rfsi_colindex_find2(ids, key, &twin);
        free(key);
    }
    if (col != NONE && twin != NONE) {
        rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, rfsi_csv_field_column(s->csv, twin),
                  "duplicate column name \"%s\" (columns %zu and %zu; names match ignoring case and "
                  "surrounding spaces): which one is meant?", s->header_names[twin], col + 1, twin + 1);
        return AMBIGUOUS;
    }
    return col;
}

/* A named column (id, keep, duration) or a usage error with the closest names. */
static size_t find_named(rfs_scorer *s, const rfsi_colindex *ix, const rfsi_colindex *ids, const char *name,
                         const char *what)
{
    size_t col = find_column(s, ix, ids, name);
    char close[300];

    if (col == AMBIGUOUS)
        return NONE;
    if (col == NONE) {
        rfsi_colindex_closest(ix, name, 3, close, sizeof close);
        rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0, "no %s column \"%s\" in the header; closest: %s", what,
                  name, close);
    }
    return col;
}

static int add_keep(rfs_scorer *s, size_t col)
{
    size_t k;

    for (k = 0; k < s->n_keep_cols; k++)
        if (s->keep_cols[k] == col)
            return 0;
    if (col == s->id_col)
        return 0;
    s->keep_cols[s->n_keep_cols++] = col;
    s->copy_col[col] = 1;
    return 0;
}

/* The group columns of the norm tables (age band, sex, ...): their text is kept per row. */
static int plan_norm_groups(rfs_scorer *s, const rfsi_colindex *ix, const rfsi_colindex *ids)
{
    size_t i, j, g, n = 0;

    for (i = 0; i < s->n_insts; i++)
        n += s->insts[i].inst->n_norms;
    s->norm_cols = malloc((n + 1) * RFSI_NORM_GROUPS_MAX * sizeof *s->norm_cols);
    if (!s->norm_cols)
        return rfsi_nomem(s->err);
    for (n = 0, i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        s->insts[i].norm_base = n;
        for (j = 0; j < inst->n_norms; j++, n += RFSI_NORM_GROUPS_MAX)
            for (g = 0; g < inst->norms[j].n_groups; g++) {
                const char *name = inst->norms[j].group_columns[g];
                size_t col = find_column(s, ix, ids, name);
                if (col == AMBIGUOUS)
                    return -1;
                s->norm_cols[n + g] = col;
                if (col != NONE) {
                    s->copy_col[col] = 1;
                } else if (s->warn) { /* score anyway: every row's norm status says why */
                    rfs_error e;
                    rfs_error_clear(&e);
                    rfsi_fail(&e, RFS_E_DATA, s->input_name, 1, 0, "no column \"%s\" for the group of norm "
                              "table %s_%s: its status is no_norm_group in every row", name, inst->id,
                              inst->norms[j].id);
                    s->warn(&e, s->warn_userdata);
                }
            }
    }
    return 0;
}

/* REDCap: an instrument whose definition names its form reads that form's
 * <form>_complete column, copied per row, when the export has it. */
static int plan_complete_columns(rfs_scorer *s, const rfsi_colindex *ix)
{
    size_t i, col;
    char name[64];

    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        s->insts[i].complete_col = NONE;
        if (!s->redcap || !inst->redcap_form || !inst->redcap_form[0])
            continue;
        snprintf(name, sizeof name, "%s_complete", inst->redcap_form);
        col = find_column(s, ix, NULL, name);
        if (col == AMBIGUOUS)
            return -1;
        if (col == NONE || s->first_target[col] != NONE)
            continue;
        s->insts[i].complete_col = col;
        s->copy_col[col] = 1;
    }
    return 0;
}

int rfsi_plan_columns(rfs_scorer *s)
{
    /* REDCap keys, raw and label exports, carried through after the id. */
    static const char *const redcap_keys[] = {"redcap_event_name", "redcap_repeat_instrument",
        "redcap_repeat_instance", "redcap_data_access_group", "Event Name", "Repeat Instrument", "Repeat Instance",
        "Data Access Group"};
    static const char *const id_defaults[] = {"id", "record_id", "participant_id", "ResponseId", "Record ID"};
    rfsi_colindex ix, ids = {0};
    char **id_names = NULL;
    size_t i, k;
    char close[300];
    int rc = -1;

    rfsi_plan_free(s);
    s->id_col = s->duration_col = NONE;
    s->n_keep_cols = s->n_key_cols = s->n_id_cols = 0;
    s->header_names = malloc(s->ncols * sizeof *s->header_names);
    s->first_target = malloc(s->ncols * sizeof *s->first_target);
    s->copy_col = calloc(s->ncols, 1);
    s->fast_lo = malloc(s->ncols + RFSI_CELL_PAD); /* padded: on_line reads 8 at a time */
    s->fast_hi = malloc(s->ncols + RFSI_CELL_PAD);
    s->fast_empty = calloc(s->ncols, 1);
    s->cellbyte = calloc(s->ncols + RFSI_CELL_PAD, 1);
    s->text_off = calloc(s->ncols, sizeof *s->text_off);
    s->text_len = calloc(s->ncols, sizeof *s->text_len);
    s->keep_cols = calloc(s->n_keep + s->n_id_names + 9, sizeof *s->keep_cols);
    if (!s->header_names || !s->first_target || !s->copy_col || !s->text_off || !s->text_len || !s->keep_cols ||
        !s->fast_lo || !s->fast_hi || !s->fast_empty || !s->cellbyte)
        return rfsi_nomem(s->err);
    memset(s->fast_lo, 1, s->ncols + RFSI_CELL_PAD); /* lo > hi: no digit is taken here */
    memset(s->fast_hi, 0, s->ncols + RFSI_CELL_PAD);
    for (i = 0; i < s->ncols; i++) {
        s->header_names[i] = s->header_text.data + s->header_off[i];
        s->first_target[i] = NONE;
    }
    if (rfsi_colindex_build(&ix, s->header_names, s->ncols) < 0)
        return rfsi_nomem(s->err);
    if (s->import_ids) {
        id_names = calloc(s->ncols + 1, sizeof *id_names);
        if (!id_names) {
            rfsi_nomem(s->err);
            goto out;
        }
        for (i = 0; i < s->ncols; i++)
            if (!(id_names[i] = alias_key(s->import_ids[i] ? s->import_ids[i] : ""))) {
                rfsi_nomem(s->err);
                goto out;
            }
        if (rfsi_colindex_build(&ids, (const char *const *)id_names, s->ncols) < 0) {
            rfsi_nomem(s->err);
            goto out;
        }
    }
    s->redcap = s->redcap || header_has(s, "record_id") || header_has(s, "redcap_event_name") ||
                header_has(s, "redcap_repeat_instrument") ||
                header_has(s, "Record ID"); /* "Record ID": a REDCap labels export */
    if (s->row_numbers) {
        /* no id column: the row number is the key */
    } else if (s->n_id_names) {
        if ((s->id_col = find_named(s, &ix, &ids, s->id_names[0], "id")) == NONE)
            goto out;
        for (k = 1; k < s->n_id_names; k++) { /* the rest of a composite key, first among the kept */
            size_t col = find_named(s, &ix, &ids, s->id_names[k], "id"), j;
            if (col == NONE)
                goto out;
            for (j = 0; j < s->n_keep_cols && s->keep_cols[j] != col; j++)
                ;
            if (col == s->id_col || j < s->n_keep_cols) {
                rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, rfsi_csv_field_column(s->csv, col),
                          "id column \"%s\" is column %zu \"%s\", which the key names already", s->id_names[k],
                          col + 1, s->header_names[col]);
                goto out;
            }
            add_keep(s, col);
        }
        s->n_id_cols = s->n_keep_cols;
    } else {
        /* REDCap's record field is the project's first field, whatever its name
         * (study_id, patient_id); a longitudinal or repeating export puts its event or
         * repeat columns right after it. */
        if (s->ncols >= 2 && (strcasecmp(s->header_names[1], "redcap_event_name") == 0 ||
                              strcasecmp(s->header_names[1], "redcap_repeat_instrument") == 0))
            s->id_col = 0;
        for (k = 0; k < sizeof id_defaults / sizeof *id_defaults && s->id_col == NONE; k++)
            if ((s->id_col = find_column(s, &ix, NULL, id_defaults[k])) == AMBIGUOUS)
                goto out;
        /* A classic (one-event) project shows itself by its forms' <form>_complete fields. */
        if (s->id_col == NONE && s->ncols >= 2 && has_complete_field(s)) {
            s->id_col = 0;
            s->redcap = 1;
        }
        if (s->id_col == NONE) {
            rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0,
                      "no id column: the header has none of id, record_id, participant_id, ResponseId (nor "
                      "is it a REDCap export, whose first column is the record id); name the id column "
                      "with --id COLUMN");
            goto out;
        }
    }
    if (s->id_col != NONE)
        s->copy_col[s->id_col] = 1;
    if (s->by_name) {
        if ((s->by_col = find_named(s, &ix, &ids, s->by_name, "report group")) == NONE)
            goto out;
        s->copy_col[s->by_col] = 1;
    }
    for (k = 0; k < s->n_filters; k++) {
        row_filter *f = &s->filters[k];
        if ((f->col = find_named(s, &ix, &ids, f->column, "filter")) == NONE)
            goto out;
        s->copy_col[f->col] = 1;
    }
    if (s->duration_name) {
        if ((s->duration_col = find_named(s, &ix, &ids, s->duration_name, "duration")) == NONE)
            goto out;
        s->copy_col[s->duration_col] = 1;
    }
    for (k = 0; k < sizeof redcap_keys / sizeof *redcap_keys; k++) {
        size_t col = find_column(s, &ix, NULL, redcap_keys[k]);
        if (col == AMBIGUOUS)
            goto out;
        if (col != NONE)
            add_keep(s, col);
    }
    s->n_key_cols = s->n_keep_cols;
    for (k = 0; k < s->n_keep; k++) {
        size_t col = find_named(s, &ix, &ids, s->keep_names[k], "kept");
        if (col == NONE)
            goto out;
        add_keep(s, col);
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        for (k = 0; k < inst->n_items; k++) {
            const char *name = s->insts[i].item_names[k];
            size_t col = find_column(s, &ix, &ids, name);
            if (col == AMBIGUOUS)
                goto out;
            if (col == NONE) {
                rfsi_colindex_closest(&ix, name, 3, close, sizeof close);
                rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, 0,
                          "no column \"%s\" for item %zu of %s; closest: %s (map columns with --prefix, "
                          "--suffix or --map; see them with --dry-run)", name, k + 1, inst->id, close);
                goto out;
            }
            if (add_target(s, col, i, k) < 0)
                goto out;
            s->insts[i].item_col[k] = col;
            s->insts[i].item_headers[k] = s->header_names[col];
        }
    }
    if (plan_norm_groups(s, &ix, &ids) < 0)
        goto out;
    if (plan_complete_columns(s, &ix) < 0)
        goto out;
    bind_targets(s);
    plan_fast_path(s);
    for (i = 0; i < s->n_insts; i++) { /* items in consecutive columns, in order: gathered 16 at a time */
        inst_state *st = &s->insts[i];
        st->run_col = st->fastkey && st->inst->n_items <= RFSI_FASTKEY_RUN_MAX ? st->item_col[0] : NONE;
        for (k = 1; st->run_col != NONE && k < st->inst->n_items; k++)
            if (st->item_col[k] != st->run_col + k)
                st->run_col = NONE;
    }
    rc = 0;
out:
    rfsi_colindex_free(&ix);
    rfsi_colindex_free(&ids);
    if (id_names)
        for (i = 0; i < s->ncols; i++)
            free(id_names[i]);
    free(id_names);
    return rc;
}

/* --dry-run: which column feeds each item, the keys, and the columns left unused. */
int rfsi_plan_describe(rfs_scorer *s)
{
    rfsi_buf b = {0};
    unsigned char *used = calloc(s->ncols + 1, 1);
    char line[600];
    size_t i, k, unused = 0;
    int rc = 0;

    if (!used)
        return rfsi_nomem(s->err);
#define ADD(...) (snprintf(line, sizeof line, __VA_ARGS__), rc |= rfsi_buf_puts(&b, line))
    ADD("# rfscore --dry-run: %s\n", s->input_name);
    ADD("# delimiter %s%s%s\n", rfsi_csv_delimiter(s->csv) == '\t' ? "tab" : rfsi_csv_delimiter(s->csv) == ';' ? "';'" : "','",
        s->qualtrics ? "; Qualtrics export" : "",
        s->redcap ? "; REDCap export: REDCap missing-data codes recognised" : "");
    if (s->header_notes.len)
        rc |= rfsi_buf_append(&b, s->header_notes.data, s->header_notes.len);
#define ALIAS(col) (s->import_ids && s->import_ids[col] ? " (" : ""), \
                   (s->import_ids && s->import_ids[col] ? s->alias_kind : ""), \
                   (s->import_ids && s->import_ids[col] ? " " : ""), \
                   (s->import_ids && s->import_ids[col] ? s->import_ids[col] : ""), \
                   (s->import_ids && s->import_ids[col] ? ")" : "")
    if (s->id_col == NONE) {
        ADD("id: none; the output's first column \"row\" numbers the data rows\n");
    } else {
        ADD("id column %zu \"%s\"%s%s%s%s%s\n", s->id_col + 1, s->header_names[s->id_col], ALIAS(s->id_col));
        used[s->id_col] = 1;
    }
    for (k = 0; k < s->n_keep_cols; k++) {
        ADD("%s column %zu \"%s\"%s%s%s%s%s\n", k < s->n_id_cols ? "id" : "kept", s->keep_cols[k] + 1,
            s->header_names[s->keep_cols[k]], ALIAS(s->keep_cols[k]));
        used[s->keep_cols[k]] = 1;
    }
    if (s->by_name) {
        ADD("report group column %zu \"%s\"\n", s->by_col + 1, s->header_names[s->by_col]);
        used[s->by_col] = 1;
    }
    for (k = 0; k < s->n_filters; k++) {
        ADD("filter column %zu \"%s\": %s %s \"%s\"\n", s->filters[k].col + 1,
            s->header_names[s->filters[k].col], s->filters[k].column, s->filters[k].negate ? "!=" : "=",
            s->filters[k].value);
        used[s->filters[k].col] = 1;
    }
    if (s->duration_col != NONE) {
        ADD("duration column %zu \"%s\"%s%s%s%s%s\n", s->duration_col + 1, s->header_names[s->duration_col],
            ALIAS(s->duration_col));
        used[s->duration_col] = 1;
    }
    for (i = 0; i < s->n_insts; i++) {
        const inst_state *st = &s->insts[i];
        for (k = 0; k < st->inst->n_items; k++) {
            size_t col = st->item_col[k];
            ADD("%s item %zu <- column %zu \"%s\"%s%s%s%s%s\n", st->inst->id, k + 1, col + 1, s->header_names[col],
                ALIAS(col));
            used[col] = 1;
        }
    }
    for (i = 0; i < s->n_insts; i++) { /* the norm tables' group columns */
        const rfs_instrument *inst = s->insts[i].inst;
        size_t j, g;
        for (j = 0; j < inst->n_norms; j++)
            for (g = 0; g < inst->norms[j].n_groups; g++) {
                size_t col = s->norm_cols[s->insts[i].norm_base + j * RFSI_NORM_GROUPS_MAX + g];
                if (col == NONE) {
                    ADD("%s norm %s group \"%s\": no such column\n", inst->id, inst->norms[j].id,
                        inst->norms[j].group_columns[g]);
                    continue;
                }
                ADD("%s norm %s group <- column %zu \"%s\"\n", inst->id, inst->norms[j].id, col + 1,
                    s->header_names[col]);
                used[col] = 1;
            }
    }
    for (i = 0; i < s->n_insts; i++)
        if (s->insts[i].complete_col != NONE) {
            ADD("%s form %s: column %zu \"%s\" (empty: not administered)\n", s->insts[i].inst->id,
                s->insts[i].inst->redcap_form, s->insts[i].complete_col + 1, s->header_names[s->insts[i].complete_col]);
            used[s->insts[i].complete_col] = 1;
        }
    for (i = 0; i < s->ncols; i++)
        if (!used[i]) {
            ADD("%s%zu \"%s\"", unused++ ? ", " : "unused columns: ", i + 1, s->header_names[i]);
        }
    ADD("%s", unused ? "\n" : "unused columns: none\n");
#undef ALIAS
#undef ADD
    free(used);
    if (!rc)
        rc = rfsi_writer_raw(&s->out, b.data, b.len);
    rfsi_buf_free(&b);
    return rc ? rfsi_out_error(s) : 0;
}

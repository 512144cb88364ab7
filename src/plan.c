/* The header -> the column plan: which column feeds which item, id, kept columns;
 * made once per input, so rows need no lookups. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "scorer.h"
#include "colindex.h"

void rfsi_plan_free(rfs_scorer *s)
{
    free(s->header_names);
    free(s->first_target);
    free(s->targets);
    free(s->keep_cols);
    free(s->copy_col);
    free(s->fast_lo);
    free(s->fast_hi);
    free(s->cellbyte);
    free(s->text_off);
    free(s->text_len);
    s->header_names = NULL;
    s->first_target = NULL;
    s->targets = NULL;
    s->keep_cols = NULL;
    s->copy_col = NULL;
    s->fast_lo = s->fast_hi = s->cellbyte = NULL;
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
        g->min = st->inst->min;
        g->max = st->inst->max;
    }
}

/* A column takes the fast path for the digits that every item it feeds accepts. */
static void plan_fast_path(rfs_scorer *s)
{
    size_t col, t;

    for (col = 0; col < s->ncols; col++) {
        long lo = 0, hi = 9;
        if (s->first_target[col] == NONE || s->copy_col[col])
            continue;
        for (t = s->first_target[col]; t != NONE; t = s->targets[t].next) {
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

/* A named column (id, keep, duration) or a usage error with the closest names. */
static size_t find_named(rfs_scorer *s, const rfsi_colindex *ix, const char *name, const char *what)
{
    size_t col = rfsi_colindex_find(ix, name);
    char close[300];

    if (col == NONE) {
        rfsi_colindex_closest(ix, name, 3, close, sizeof close);
        rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0, "no %s column \"%s\" in the header; closest: %s", what,
                  name, close);
    }
    return col;
}

int rfsi_plan_columns(rfs_scorer *s)
{
    rfsi_colindex ix;
    size_t i, k, a, b;
    char close[300];
    int rc = -1;

    rfsi_plan_free(s);
    s->id_col = s->duration_col = NONE;
    s->header_names = malloc(s->ncols * sizeof *s->header_names);
    s->first_target = malloc(s->ncols * sizeof *s->first_target);
    s->copy_col = calloc(s->ncols, 1);
    s->fast_lo = malloc(s->ncols);
    s->fast_hi = malloc(s->ncols);
    s->cellbyte = malloc(s->ncols);
    s->text_off = calloc(s->ncols, sizeof *s->text_off);
    s->text_len = calloc(s->ncols, sizeof *s->text_len);
    s->keep_cols = calloc(s->n_keep + 1, sizeof *s->keep_cols);
    if (!s->header_names || !s->first_target || !s->copy_col || !s->text_off || !s->text_len || !s->keep_cols ||
        !s->fast_lo || !s->fast_hi || !s->cellbyte)
        return rfsi_nomem(s->err);
    memset(s->fast_lo, 1, s->ncols);
    memset(s->fast_hi, 0, s->ncols);
    for (i = 0; i < s->ncols; i++) {
        s->header_names[i] = s->header_text.data + s->header_off[i];
        s->first_target[i] = NONE;
    }
    switch (rfsi_colindex_build(&ix, s->header_names, s->ncols, &a, &b)) {
    case -1:
        return rfsi_nomem(s->err);
    case 1:
        rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, rfsi_csv_field_column(s->csv, b),
                  "duplicate column name \"%s\" (columns %zu and %zu; names match ignoring case and "
                  "surrounding spaces)", s->header_names[b], a + 1, b + 1);
        goto out;
    }
    if (s->id_name) {
        if ((s->id_col = find_named(s, &ix, s->id_name, "id")) == NONE)
            goto out;
    } else {
        static const char *const defaults[] = {"id", "record_id", "participant_id"};
        for (k = 0; k < 3 && s->id_col == NONE; k++)
            s->id_col = rfsi_colindex_find(&ix, defaults[k]);
        if (s->id_col == NONE) {
            rfsi_fail(s->err, RFS_E_USAGE, s->input_name, 1, 0,
                      "no id column: the header has none of id, record_id, participant_id; "
                      "name the id column with --id COLUMN");
            goto out;
        }
    }
    s->copy_col[s->id_col] = 1;
    if (s->duration_name) {
        if ((s->duration_col = find_named(s, &ix, s->duration_name, "duration")) == NONE)
            goto out;
        s->copy_col[s->duration_col] = 1;
    }
    for (k = 0; k < s->n_keep; k++) {
        if ((s->keep_cols[k] = find_named(s, &ix, s->keep_names[k], "kept")) == NONE)
            goto out;
        s->copy_col[s->keep_cols[k]] = 1;
    }
    for (i = 0; i < s->n_insts; i++) {
        const rfs_instrument *inst = s->insts[i].inst;
        for (k = 0; k < inst->n_items; k++) {
            size_t col = rfsi_colindex_find(&ix, inst->items[k].column);
            if (col == NONE) {
                rfsi_colindex_closest(&ix, inst->items[k].column, 3, close, sizeof close);
                rfsi_fail(s->err, RFS_E_DATA, s->input_name, 1, 0, "no column \"%s\" for item %zu of %s; closest: %s",
                          inst->items[k].column, k + 1, inst->id, close);
                goto out;
            }
            if (add_target(s, col, i, k) < 0)
                goto out;
            s->insts[i].item_col[k] = col;
        }
    }
    bind_targets(s);
    plan_fast_path(s);
    rc = 0;
out:
    rfsi_colindex_free(&ix);
    return rc;
}

/* -------------------------------------------------------------- data rows */

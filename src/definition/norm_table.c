/* A norm table is a small plain CSV file written by hand from a published table:
 *
 *   # comment lines (the norm sample, the table number in the source)
 *   sex,age_band,score_min,score_max,t_score
 *   f,18-29,0,5,38
 *
 * No quotes, no commas inside a field: this is a subset of CSV that needs no CSV library
 * (the definition layer must not use the input layer's reader). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "norm_table.h"

#define LINE_MAX_BYTES 1000
#define ROWS_MAX 100000

typedef struct table_ctx {
    loader *L;
    const char *sec, *file;
    rfsi_norms *nm;
    unsigned long line;
} table_ctx;

static void bad(table_ctx *t, const char *fmt, ...) RFS_PRINTF(2, 3);

static void bad(table_ctx *t, const char *fmt, ...)
{
    char msg[300];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rfsi_ini_bad(t->L, t->sec, "table", "%s:%lu: %s", t->file, t->line, msg);
}

/* Splits line in place at commas into at most max trimmed fields; returns the count. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;

    for (;;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        if (n < max)
            f[n] = rfsi_trim_inplace(p);
        n++;
        if (!c)
            return n;
        p = c + 1;
    }
}

static char *resolve(const rfs_instrument *inst, const char *file)
{
    const char *slash = strrchr(inst->path, '/');
    size_t dir = slash ? (size_t)(slash - inst->path) + 1 : 0;
    char *out;

    if (file[0] == '/')
        dir = 0;
    out = malloc(dir + strlen(file) + 1);
    if (!out)
        return NULL;
    memcpy(out, inst->path, dir);
    strcpy(out + dir, file);
    return out;
}

static int check_header(table_ctx *t, char **f, size_t n)
{
    rfsi_norms *nm = t->nm;
    const char *value = nm->kind == RFSI_NORM_T_SCORE ? "t_score" : "percentile";
    size_t g;
    char want[400];
    size_t used = 0;

    for (g = 0; g < nm->n_groups; g++)
        used += (size_t)snprintf(want + used, sizeof want - used, "%s,", nm->group_columns[g]);
    snprintf(want + used, sizeof want - used, "score_min,score_max,%s", value);
    if (n != nm->n_groups + 3)
        goto wrong;
    for (g = 0; g < nm->n_groups; g++)
        if (strcmp(f[g], nm->group_columns[g]) != 0)
            goto wrong;
    if (strcmp(f[g], "score_min") || strcmp(f[g + 1], "score_max") || strcmp(f[g + 2], value))
        goto wrong;
    return 0;
wrong:
    bad(t, "the header must be %s (the groups, then score_min, score_max and the value)", want);
    return -1;
}

/* Adds one data row; problems are reported, and a bad row is left out. */
static int add_row(table_ctx *t, char **f, size_t n)
{
    rfsi_norms *nm = t->nm;
    rfsi_norm_row row, *rows;
    size_t g, k;

    memset(&row, 0, sizeof row);
    if (n != nm->n_groups + 3) {
        bad(t, "%zu fields, expected %zu as in the header", n, nm->n_groups + 3);
        return 0;
    }
    for (g = 0; g < nm->n_groups; g++) {
        char norm[RFSI_LABEL_MAX + 1];
        if (rfsi_label_normalize(f[g], strlen(f[g]), norm) == (size_t)-1)
            norm[0] = '\0';
        for (k = 0; k < nm->n_levels[g] && strcmp(nm->levels[g][k], norm) != 0; k++)
            ;
        if (k == nm->n_levels[g]) {
            bad(t, "'%s' is not a declared level of group %s", f[g], nm->group_columns[g]);
            return 0;
        }
    }
    if (rfsi_parse_decimal(f[g], &row.lo) < 0 || rfsi_parse_decimal(f[g + 1], &row.hi) < 0 ||
        rfsi_parse_decimal(f[g + 2], &row.value) < 0) {
        bad(t, "score_min, score_max and the value must be plain decimals ('%s', '%s', '%s')", f[g], f[g + 1], f[g + 2]);
        return 0;
    }
    if (row.lo > row.hi) {
        bad(t, "score_min %s is above score_max %s", f[g], f[g + 1]);
        return 0;
    }
    if (nm->kind == RFSI_NORM_PERCENTILE && (row.value < 0 || row.value > 100)) {
        bad(t, "percentile %s is outside 0..100", f[g + 2]);
        return 0;
    }
    for (k = 0; k < nm->n_rows; k++) {
        const rfsi_norm_row *o = &nm->rows[k];
        for (g = 0; g < nm->n_groups; g++) {
            char norm[RFSI_LABEL_MAX + 1];
            rfsi_label_normalize(f[g], strlen(f[g]), norm);
            if (strcmp(o->group[g], norm) != 0)
                break;
        }
        if (g == nm->n_groups && row.lo <= o->hi && o->lo <= row.hi) {
            bad(t, "scores %s..%s overlap an earlier row of the same group", f[nm->n_groups], f[nm->n_groups + 1]);
            return 0;
        }
    }
    if (nm->n_rows >= ROWS_MAX) {
        bad(t, "more than %d rows", ROWS_MAX);
        return 0;
    }
    row.group = calloc(nm->n_groups + 1, sizeof *row.group);
    if (!row.group)
        return -1;
    for (g = 0; g < nm->n_groups; g++) {
        row.group[g] = malloc(RFSI_LABEL_MAX + 1);
        if (!row.group[g])
            goto nomem;
        rfsi_label_normalize(f[g], strlen(f[g]), row.group[g]);
    }
    rows = realloc(nm->rows, (nm->n_rows + 1) * sizeof *rows);
    if (!rows)
        goto nomem;
    nm->rows = rows;
    rows[nm->n_rows++] = row;
    return 0;
nomem:
    for (g = 0; g < nm->n_groups; g++)
        free(row.group[g]);
    free(row.group);
    return -1;
}

/* Every combination of declared levels must have a row: otherwise respondents of a
 * declared group would silently get no norm. */
static void check_coverage(table_ctx *t)
{
    rfsi_norms *nm = t->nm;
    size_t idx[RFSI_NORM_GROUPS_MAX] = {0}, g, r;

    for (;;) {
        for (r = 0; r < nm->n_rows; r++) {
            for (g = 0; g < nm->n_groups && strcmp(nm->rows[r].group[g], nm->levels[g][idx[g]]) == 0; g++)
                ;
            if (g == nm->n_groups)
                break;
        }
        if (r == nm->n_rows) {
            char combo[300];
            size_t used = 0;
            for (g = 0; g < nm->n_groups; g++)
                used += (size_t)snprintf(combo + used, sizeof combo - used, "%s%s=%s", g ? ", " : "",
                                         nm->group_columns[g], nm->levels[g][idx[g]]);
            if (!nm->n_groups)
                snprintf(combo, sizeof combo, "the whole sample");
            t->line = 0;
            rfsi_ini_bad(t->L, t->sec, "table", "%s: no row for %s (every declared group needs one)", t->file, combo);
        }
        for (g = 0; g < nm->n_groups; g++) { /* next combination, like an odometer */
            if (++idx[g] < nm->n_levels[g])
                break;
            idx[g] = 0;
        }
        if (g == nm->n_groups)
            return;
    }
}

int rfsi_norm_table_load(loader *L, const char *sec, rfsi_norms *nm, const char *file)
{
    table_ctx t = {L, sec, file, nm, 0};
    char buf[LINE_MAX_BYTES + 2], *f[RFSI_NORM_GROUPS_MAX + 3];
    FILE *fp;
    int header = 0, rc = 0;
    size_t g;

    for (g = 0; g < nm->n_groups; g++)
        if (!nm->n_levels[g])
            return 0; /* reported by the groups key */
    nm->table = resolve(L->inst, file);
    if (!nm->table)
        return -1;
    fp = fopen(nm->table, "r");
    if (!fp) {
        rfsi_ini_bad(L, sec, "table", "cannot open '%s': %s", nm->table, strerror(errno));
        return 0;
    }
    while (fgets(buf, sizeof buf, fp)) {
        size_t len = strlen(buf), n;
        t.line++;
        if (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        else if (!feof(fp)) {
            bad(&t, "line longer than %d bytes", LINE_MAX_BYTES);
            break;
        }
        if (len && buf[len - 1] == '\r')
            buf[--len] = '\0';
        if (t.line == 1 && (unsigned char)buf[0] == 0xEF && (unsigned char)buf[1] == 0xBB &&
            (unsigned char)buf[2] == 0xBF)
            memmove(buf, buf + 3, len - 2); /* a spreadsheet's byte order mark */
        if (!*rfsi_trim_inplace(buf) || buf[0] == '#')
            continue;
        if (strchr(buf, '"')) {
            bad(&t, "quotes are not allowed in a norm table (plain fields only)");
            continue;
        }
        n = split(buf, f, RFSI_NORM_GROUPS_MAX + 3);
        if (!header) {
            header = 1;
            if (check_header(&t, f, n) < 0)
                break;
            continue;
        }
        if (add_row(&t, f, n) < 0) {
            rc = -1;
            break;
        }
    }
    if (ferror(fp))
        rfsi_ini_bad(L, sec, "table", "cannot read '%s'", nm->table);
    fclose(fp);
    if (rc == 0 && header && nm->n_rows)
        check_coverage(&t);
    else if (rc == 0 && !nm->n_rows)
        rfsi_ini_bad(L, sec, "table", "%s: no rows", file);
    return rc;
}

/* Study designs: the key (one column, several, or the row number), row filters, one
 * definition scored under several names, and the report per group of rows. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "scorer.h"

int rfs_scorer_add_id_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    char **p;
    size_t i;

    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty id column name");
    for (i = 0; i < s->n_id_names; i++)
        if (strcasecmp(s->id_names[i], name) == 0)
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "id column \"%s\" given twice", name);
    p = realloc(s->id_names, (s->n_id_names + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->id_names = p;
    if (!(p[s->n_id_names] = strdup(name)))
        return rfsi_nomem(err);
    s->n_id_names++;
    return 0;
}

int rfs_scorer_set_id_column(rfs_scorer *s, const char *name, rfs_error *err)
{
    size_t i;

    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!name || !*name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty id column name");
    for (i = 0; i < s->n_id_names; i++)
        free(s->id_names[i]);
    s->n_id_names = 0;
    return rfs_scorer_add_id_column(s, name, err);
}

int rfs_scorer_set_row_numbers(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->row_numbers = on != 0;
    return 0;
}

static void trim(const char **p, size_t *len)
{
    while (*len && (**p == ' ' || **p == '\t'))
        (*p)++, (*len)--;
    while (*len && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
        (*len)--;
}

static char *dup_len(const char *p, size_t len)
{
    char *c = malloc(len + 1);

    if (c) {
        memcpy(c, p, len);
        c[len] = '\0';
    }
    return c;
}

/* "COLUMN=VALUE" or "COLUMN!=VALUE", split at the first '='. */
int rfs_scorer_add_filter(rfs_scorer *s, const char *expr, rfs_error *err)
{
    const char *eq = expr ? strchr(expr, '=') : NULL, *col = expr, *val;
    size_t col_len, val_len;
    row_filter *p, *f;
    int negate;

    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!eq)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "filter '%s': expected COLUMN=VALUE or COLUMN!=VALUE", expr ? expr : "");
    negate = eq > expr && eq[-1] == '!';
    col_len = (size_t)(eq - expr) - (size_t)negate;
    val = eq + 1;
    val_len = strlen(val);
    trim(&col, &col_len);
    trim(&val, &val_len);
    if (col_len == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "filter '%s': no column name before '%s'", expr,
                         negate ? "!=" : "=");
    p = realloc(s->filters, (s->n_filters + 1) * sizeof *p);
    if (!p)
        return rfsi_nomem(err);
    s->filters = p;
    f = &p[s->n_filters];
    memset(f, 0, sizeof *f);
    f->negate = negate;
    f->value_len = val_len;
    f->col = NONE;
    f->text = strdup(expr);
    f->column = dup_len(col, col_len);
    f->value = dup_len(val, val_len);
    s->n_filters++;
    if (!f->text || !f->column || !f->value)
        return rfsi_nomem(err);
    return 0;
}

/* The output name is the instrument's id as far as the run is concerned (columns,
 * summary, report, messages): a shallow copy of the definition carries it, so nothing
 * downstream needs to know. The copy shares def's memory and frees only its id. */
int rfs_scorer_set_instrument_name(rfs_scorer *s, const rfs_instrument *inst, const char *name, rfs_error *err)
{
    inst_state *st;
    const char *c;
    char *id;

    if (rfsi_scorer_configurable(s, err) < 0 || !(st = rfsi_scorer_state_of(s, inst, err)))
        return -1;
    c = name && *name >= 'a' && *name <= 'z' ? name : "!";
    for (; *c && ((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'); c++)
        ;
    if (*c || strlen(name) > 32) /* as instrument ids (MAX_ID) */
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0,
                         "output name '%s': use a lowercase letter, then lowercase letters, digits or '_' "
                         "(at most 32), as instrument ids", name ? name : "");
    if (!(id = strdup(name)))
        return rfsi_nomem(err);
    if (!st->alias && !(st->alias = malloc(sizeof *st->alias))) {
        free(id);
        return rfsi_nomem(err);
    }
    if (st->inst == st->alias)
        free(st->alias->id);
    *st->alias = *st->def;
    st->alias->id = id;
    st->inst = st->alias;
    return 0;
}


/* --where: every filter holds for the row (the cell trimmed, compared exactly). */
int rfsi_row_passes(const rfs_scorer *s)
{
    size_t k;

    for (k = 0; k < s->n_filters; k++) {
        const row_filter *f = &s->filters[k];
        const char *v = s->row_text.data + s->text_off[f->col];
        size_t n = s->text_len[f->col];
        int equal;
        while (n && (*v == ' ' || *v == '\t'))
            v++, n--;
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            n--;
        equal = n == f->value_len && memcmp(v, f->value, n) == 0;
        if (equal == f->negate)
            return 0;
    }
    return 1;
}

/* ---------------------------------------------------------- report groups */

static int bprintf(rfsi_buf *b, const char *fmt, ...) RFS_PRINTF(2, 3);

static int bprintf(rfsi_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = rfsi_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

static int json_string(rfsi_buf *b, const char *v)
{
    int rc = rfsi_buf_putc(b, '"');

    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '"' || c == '\\')
            rc |= bprintf(b, "\\%c", c);
        else if (c < 0x20)
            rc |= bprintf(b, "\\u%04x", c);
        else
            rc |= rfsi_buf_putc(b, (char)c);
    }
    return rc | rfsi_buf_putc(b, '"');
}

int rfs_scorer_set_report_by(rfs_scorer *s, const char *column, rfs_error *err)
{
    char *c;

    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!column || !*column)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "empty column name for the report groups");
    if (!(c = strdup(column)))
        return rfsi_nomem(err);
    free(s->by_name);
    s->by_name = c;
    return 0;
}

void rfsi_groups_free(rfs_scorer *s)
{
    size_t g;

    for (g = 0; g < s->n_groups; g++) {
        rfsi_study_free(s->groups[g]);
        free(s->group_values[g]);
    }
    free(s->groups);
    free(s->group_values);
    free(s->by_name);
}

static rfsi_study *new_group(rfs_scorer *s, const char *v, size_t n)
{
    const rfs_instrument **list = malloc((s->n_insts + 1) * sizeof *list);
    rfsi_study **gp;
    char **vp;
    size_t i;

    if (!list)
        return NULL;
    for (i = 0; i < s->n_insts; i++)
        list[i] = s->insts[i].inst;
    gp = realloc(s->groups, (s->n_groups + 1) * sizeof *gp);
    if (gp)
        s->groups = gp;
    vp = gp ? realloc(s->group_values, (s->n_groups + 1) * sizeof *vp) : NULL;
    if (vp)
        s->group_values = vp;
    if (!vp || !(vp[s->n_groups] = dup_len(v, n))) {
        free(list);
        return NULL;
    }
    if (!(gp[s->n_groups] = rfsi_study_new(list, s->n_insts))) {
        free(vp[s->n_groups]);
        free(list);
        return NULL;
    }
    free(list);
    rfsi_study_set_all_rows(gp[s->n_groups], s->report_all_rows);
    s->last_group = s->n_groups;
    return gp[s->n_groups++];
}

rfsi_study *rfsi_group_study(rfs_scorer *s)
{
    const char *v = s->row_text.data + s->text_off[s->by_col];
    size_t n = s->text_len[s->by_col], g;
    rfsi_study *st;

    trim(&v, &n);
    /* Rows of one group usually come together: try the last group first. */
    if (s->n_groups && strlen(s->group_values[s->last_group]) == n &&
        memcmp(s->group_values[s->last_group], v, n) == 0)
        return s->groups[s->last_group];
    for (g = 0; g < s->n_groups; g++)
        if (strlen(s->group_values[g]) == n && memcmp(s->group_values[g], v, n) == 0) {
            s->last_group = g;
            return s->groups[g];
        }
    if (s->n_groups == RFSI_MAX_GROUPS) {
        char shown[64];
        snprintf(shown, sizeof shown, "%.*s%s", n > 40 ? 40 : (int)n, v, n > 40 ? "..." : "");
        rfsi_fail(s->err, RFS_E_LIMIT, s->input_name, rfsi_csv_record_line(s->csv), 0,
                  "report by \"%s\": more than %d different values (this row: \"%s\"); a report per group is "
                  "for waves, events or arms, not for a column with a value per row", s->header_names[s->by_col],
                  RFSI_MAX_GROUPS, shown);
        return NULL;
    }
    if (!(st = new_group(s, v, n)))
        rfsi_nomem(s->err);
    return st;
}

/* Each group's report, one after the other: text with its own heading; JSON as
 * {"by": COLUMN, "groups": [{"value": V, "report": {...}}]}; HTML as one document
 * (each group's body, under its own h1, in the first group's page). */
char *rfsi_groups_render(const rfs_scorer *s, int format)
{
    const char *col = s->header_names ? s->header_names[s->by_col] : s->by_name;
    rfsi_buf b = {0}, title = {0};
    size_t g;
    int rc = 0;

    if (s->n_groups == 0)
        return rfsi_study_render(s->study, format, s->input_name);
    if (format == 1) {
        rc |= rfsi_buf_puts(&b, "{\n  \"by\": ");
        rc |= json_string(&b, col);
        rc |= rfsi_buf_puts(&b, ",\n  \"groups\": [");
    }
    for (g = 0; g < s->n_groups && rc == 0; g++) {
        char *one;
        const char *body, *end;
        title.len = 0;
        rc |= bprintf(&title, "%s: %s = %s", s->input_name, col,
                              *s->group_values[g] ? s->group_values[g] : "(blank)");
        one = rc ? NULL : rfsi_study_render(s->groups[g], format, title.data);
        if (!one) {
            rc = -1;
            break;
        }
        if (format == 0) {
            rc |= rfsi_buf_puts(&b, g ? "\n" : "") | rfsi_buf_puts(&b, one);
        } else if (format == 1) {
            size_t n = strlen(one);
            while (n && one[n - 1] == '\n')
                n--;
            rc |= rfsi_buf_puts(&b, g ? ",\n    {\"value\": " : "\n    {\"value\": ");
            rc |= json_string(&b, s->group_values[g]);
            rc |= rfsi_buf_puts(&b, ", \"report\": ") | rfsi_buf_append(&b, one, n) | rfsi_buf_puts(&b, "}");
        } else {
            body = g ? strstr(one, "<body>\n") : one;
            end = strstr(one, "</body>");
            if (!body || !end || end < body) {
                rc = -1; /* not the page report_html.c writes */
            } else {
                body += g ? strlen("<body>\n") : 0;
                rc |= rfsi_buf_append(&b, body, (size_t)(end - body));
            }
        }
        free(one);
    }
    if (format == 1)
        rc |= rfsi_buf_puts(&b, "\n  ]\n}\n");
    else if (format == 2)
        rc |= rfsi_buf_puts(&b, "</body>\n</html>\n");
    rfsi_buf_free(&title);
    if (rc) {
        rfsi_buf_free(&b);
        return NULL;
    }
    return b.data;
}

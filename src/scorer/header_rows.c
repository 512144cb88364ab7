/* Rows before the data in survey exports, recognised by their structure, never by the
 * words in them (an export's question text is in the survey's language):
 *  - Qualtrics (2017 on): the column names (always English: ResponseId, StartDate), a
 *    row of question text, and a row of ImportIds, {"ImportId":"QID12_1"}, or in 2016-17
 *    exports {'ImportId': 'QID12-1'};
 *  - legacy Qualtrics: a first row V1, V2, ... for the metadata columns (Q1_1 for the
 *    questions) and a second row with the metadata's real names (ResponseID, ...) and
 *    the question text.
 * Whether a row is data is decided from what data look like in columns whose content
 * Qualtrics fixes: a response id (R_ and letters and digits) under ResponseId, a date
 * under StartDate. A row that could be either is kept as data, with a warning.
 * Sources: Qualtrics "Data Export Options" (support pages); the sample exports of the
 * qualtRics R package tests (ropensci/qualtRics tests/testthat/files: sample.csv, a
 * German export, and sample_legacy.csv) and its readSurvey tests (the 2016-17 form). */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "scorer.h"

/* ------------------------------------------------------------- held rows */

void rfsi_held_free(held_row *h)
{
    rfsi_buf_free(&h->text);
    free(h->off);
    free(h->len);
    free(h->colno);
    memset(h, 0, sizeof *h);
}

void rfsi_held_clear(held_row *h)
{
    h->text.len = 0;
    h->n = 0;
}

int rfsi_held_field(rfs_scorer *s, held_row *h, const char *data, size_t len, size_t col)
{
    if (col >= h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64, *o, *l;
        unsigned long *c;
        while (cap <= col)
            cap *= 2;
        if ((o = realloc(h->off, cap * sizeof *o)))
            h->off = o;
        if ((l = realloc(h->len, cap * sizeof *l)))
            h->len = l;
        if ((c = realloc(h->colno, cap * sizeof *c)))
            h->colno = c;
        if (!o || !l || !c)
            return rfsi_nomem(s->err);
        h->cap = cap;
    }
    h->off[col] = h->text.len;
    h->len[col] = len;
    h->colno[col] = rfsi_csv_field_column(s->csv, col);
    h->n = col + 1;
    return rfsi_buf_append(&h->text, data, len) < 0 ? rfsi_nomem(s->err) : 0;
}

/* Cell col of a held row, trimmed of spaces and tabs. */
static const char *cell(const held_row *h, size_t col, size_t *len)
{
    const char *v;
    size_t n;

    if (col >= h->n) {
        *len = 0;
        return "";
    }
    v = h->text.data + h->off[col];
    n = h->len[col];
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    *len = n;
    return v;
}

static const char *name_of(const rfs_scorer *s, size_t col)
{
    return s->header_text.data + s->header_off[col];
}

void rfsi_header_note(rfs_scorer *s, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(&s->header_notes, fmt, ap) < 0 || rfsi_buf_putc(&s->header_notes, '\n') < 0)
        s->notes_failed = 1;
    va_end(ap);
}

/* "line 2" or "lines 2-4" (a question text with newlines spans lines). */
const char *rfsi_held_lines(const held_row *h, char *out, size_t size)
{
    if (h->first_line == h->last_line)
        snprintf(out, size, "line %lu", h->first_line);
    else
        snprintf(out, size, "lines %lu-%lu", h->first_line, h->last_line);
    return out;
}

/* ---------------------------------------------------------- what is what */

static int header_has(const rfs_scorer *s, const char *name)
{
    size_t i;

    for (i = 0; i < s->ncols; i++)
        if (strcasecmp(name_of(s, i), name) == 0)
            return 1;
    return 0;
}

/* Qualtrics names its columns in English whatever the survey's language. */
int rfsi_header_is_qualtrics(const rfs_scorer *s)
{
    return (header_has(s, "ResponseId") || header_has(s, "ResponseID")) &&
           (header_has(s, "StartDate") || header_has(s, "RecordedDate") || header_has(s, "EndDate"));
}

/* "V12": a legacy export's placeholder name. */
static int is_v_name(const char *v, size_t n, size_t *number)
{
    size_t i, k = 0;

    if (n < 2 || n > 7 || (v[0] != 'V' && v[0] != 'v'))
        return 0;
    for (i = 1; i < n; i++) {
        if (!isdigit((unsigned char)v[i]))
            return 0;
        k = k * 10 + (size_t)(v[i] - '0');
    }
    if (number)
        *number = k;
    return 1;
}

/* A legacy export's first row starts V1, V2, V3, ... (ten of them in Qualtrics' own). */
int rfsi_header_is_legacy(const rfs_scorer *s)
{
    size_t i, k;

    if (s->ncols < 3)
        return 0;
    for (i = 0; i < 3; i++) {
        const char *v = name_of(s, i);
        if (!is_v_name(v, strlen(v), &k) || k != i + 1)
            return 0;
    }
    return 1;
}

/* R_ then at least 8 letters and digits: Qualtrics' response ids (R_2YPOQ602ER1jkf1). */
static int is_response_id(const char *v, size_t n)
{
    size_t i;

    if (n < 10 || v[0] != 'R' || v[1] != '_')
        return 0;
    for (i = 2; i < n; i++)
        if (!isalnum((unsigned char)v[i]))
            return 0;
    return 1;
}

static int has_digit(const char *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (isdigit((unsigned char)v[i]))
            return 1;
    return 0;
}

/* The ImportId in {"ImportId":"QID12_1", ...} or {'ImportId': 'QID12-1'}: its start and
 * length, or NULL. */
static const char *import_id(const char *v, size_t n, size_t *len)
{
    const char *p = v, *end = v + n, *q;
    char quote;

#define SKIP_SPACE() while (p < end && (*p == ' ' || *p == '\t')) p++
    if (p == end || *p++ != '{')
        return NULL;
    SKIP_SPACE();
    if (p == end || (*p != '"' && *p != '\''))
        return NULL;
    quote = *p++;
    if ((size_t)(end - p) < 9 || memcmp(p, "ImportId", 8) != 0 || p[8] != quote)
        return NULL;
    p += 9;
    SKIP_SPACE();
    if (p == end || *p++ != ':')
        return NULL;
    SKIP_SPACE();
    if (p == end || (*p != '"' && *p != '\''))
        return NULL;
    quote = *p++;
    q = memchr(p, quote, (size_t)(end - p));
    if (!q)
        return NULL;
    *len = (size_t)(q - p);
    return p;
#undef SKIP_SPACE
}

/* The row is an ImportId row when most of its filled cells are ImportId objects. */
size_t rfsi_held_import_ids(const held_row *h, size_t *filled)
{
    size_t i, found = 0, n, idlen;

    *filled = 0;
    for (i = 0; i < h->n; i++) {
        const char *v = cell(h, i, &n);
        *filled += n != 0;
        found += n && import_id(v, n, &idlen) != NULL;
    }
    return found && found * 2 > *filled ? found : 0;
}

void rfsi_plan_free_import_ids(rfs_scorer *s)
{
    size_t i;

    if (s->import_ids)
        for (i = 0; i < s->ncols; i++)
            free(s->import_ids[i]);
    free(s->import_ids);
    s->import_ids = NULL;
    s->alias_kind = NULL;
}

/* Keeps each column's ImportId (it survives renames), for --map and item lookup. */
int rfsi_take_import_ids(rfs_scorer *s, const held_row *h)
{
    size_t i, n, idlen;

    rfsi_plan_free_import_ids(s);
    s->import_ids = calloc(s->ncols + 1, sizeof *s->import_ids);
    if (!s->import_ids)
        return rfsi_nomem(s->err);
    s->alias_kind = "ImportId";
    for (i = 0; i < h->n && i < s->ncols; i++) {
        const char *v = cell(h, i, &n), *id = n ? import_id(v, n, &idlen) : NULL;
        if (!id || memchr(id, '\0', idlen))
            continue;
        if (!(s->import_ids[i] = malloc(idlen + 1)))
            return rfsi_nomem(s->err);
        memcpy(s->import_ids[i], id, idlen);
        s->import_ids[i][idlen] = '\0';
    }
    return 0;
}

/* Evidence that a held row is data or a header row, from the columns whose content
 * Qualtrics fixes; the first reason of each kind is written to the why buffers. */
int rfsi_held_kind(const rfs_scorer *s, const held_row *h, char *why_data, char *why_header, size_t size)
{
    static const char *const id_cols[] = {"ResponseId", "_recordId"};
    static const char *const date_cols[] = {"StartDate", "EndDate", "RecordedDate"};
    size_t i, k, n;
    int kind = 0;

    why_data[0] = why_header[0] = '\0';
    for (i = 0; i < s->ncols && i < h->n; i++) {
        const char *name = name_of(s, i), *v = cell(h, i, &n);
        int shown = n > 40 ? 40 : (int)n;
        if (!n)
            continue;
        for (k = 0; k < 2; k++)
            if (strcasecmp(name, id_cols[k]) == 0) {
                if (is_response_id(v, n)) {
                    if (!(kind & RFSI_ROW_DATA))
                        snprintf(why_data, size, "under %s \"%.*s\" is a response id", name, shown, v);
                    kind |= RFSI_ROW_DATA;
                } else if (!has_digit(v, n)) {
                    if (!(kind & RFSI_ROW_HEADER))
                        snprintf(why_header, size, "under %s \"%.*s\" is not a response id", name, shown, v);
                    kind |= RFSI_ROW_HEADER;
                }
            }
        for (k = 0; k < 3; k++)
            if (strcasecmp(name, date_cols[k]) == 0) {
                if (has_digit(v, n)) {
                    if (!(kind & RFSI_ROW_DATA))
                        snprintf(why_data, size, "under %s \"%.*s\" is a date", name, shown, v);
                    kind |= RFSI_ROW_DATA;
                } else {
                    if (!(kind & RFSI_ROW_HEADER))
                        snprintf(why_header, size, "under %s \"%.*s\" is not a date", name, shown, v);
                    kind |= RFSI_ROW_HEADER;
                }
            }
    }
    return kind;
}

/* The second row of a legacy export names the V columns: it holds words there, where a
 * data row holds a response id, an IP address, dates and numbers. */
int rfsi_held_is_legacy_names(const rfs_scorer *s, const held_row *h, char *why, size_t size)
{
    size_t i, n, v_cols = 0, words = 0;
    const char *v = cell(h, 0, &n);

    if (is_response_id(v, n)) {
        snprintf(why, size, "under %s \"%.*s\" is a response id", name_of(s, 0), n > 40 ? 40 : (int)n, v);
        return 0;
    }
    for (i = 0; i < s->ncols && i < h->n; i++) {
        const char *name = name_of(s, i);
        if (!is_v_name(name, strlen(name), NULL))
            continue;
        v = cell(h, i, &n);
        if (!n)
            continue;
        v_cols++;
        words += !has_digit(v, n) && !memchr(v, '\0', n);
    }
    if (v_cols == 0 || words * 2 <= v_cols) {
        snprintf(why, size, "%zu of its %zu filled cells under V1, V2, ... are names", words, v_cols);
        return 0;
    }
    snprintf(why, size, "%zu of its %zu filled cells under V1, V2, ... are names", words, v_cols);
    return 1;
}

/* Legacy: the V columns take their real names from the held row; "V1" stays an alias,
 * so --id V1 and --map V9 still work. */
int rfsi_merge_legacy_names(rfs_scorer *s, const held_row *h)
{
    rfsi_buf names = {0};
    size_t i, n, *off = malloc((s->ncols + 1) * sizeof *off);

    rfsi_plan_free_import_ids(s);
    s->import_ids = calloc(s->ncols + 1, sizeof *s->import_ids);
    if (!off || !s->import_ids) {
        free(off);
        return rfsi_nomem(s->err);
    }
    s->alias_kind = "legacy name";
    for (i = 0; i < s->ncols; i++) {
        const char *name = name_of(s, i), *v = cell(h, i, &n);
        off[i] = names.len;
        if (is_v_name(name, strlen(name), NULL) && n && !memchr(v, '\0', n)) {
            if (!(s->import_ids[i] = strdup(name)) || rfsi_buf_append(&names, v, n) < 0)
                goto nomem;
        } else if (rfsi_buf_puts(&names, name) < 0) {
            goto nomem;
        }
        if (rfsi_buf_putc(&names, '\0') < 0)
            goto nomem;
    }
    rfsi_buf_free(&s->header_text);
    s->header_text = names;
    memcpy(s->header_off, off, s->ncols * sizeof *off);
    free(off);
    return 0;
nomem:
    free(off);
    rfsi_buf_free(&names);
    return rfsi_nomem(s->err);
}

/* The streaming pass: libcsv fields and records -> responses -> rows; the id pre-pass;
 * feed, finish and the one-call file runner. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "scorer.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Where the cell or record being scored is: in the file as read, or in a held header-like
 * row being scored after the rows that followed it were read. */
static unsigned long here_line(const rfs_scorer *s)
{
    return s->replay ? s->replay->last_line : rfsi_csv_line(s->csv);
}

static unsigned long here_column(const rfs_scorer *s, size_t col)
{
    if (s->replay)
        return col < s->replay->n ? s->replay->colno[col] : 0;
    return rfsi_csv_field_column(s->csv, col);
}

/* Missing codes given to the scorer: tried only on cells the instrument finds invalid. */
static void extra_missing(rfs_scorer *s, inst_state *st, const char *data, size_t len, rfsi_response *r)
{
    size_t k;

    while (len && (*data == ' ' || *data == '\t')) {
        data++;
        len--;
    }
    while (len && (data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    for (k = 0; k < s->n_extra; k++) {
        const char *c = s->extra[k].code;
        if (strlen(c) == len && strncasecmp(c, data, len) == 0) {
            r->state = RFSI_MISSING;
            r->missing_type = (unsigned char)(st->inst->n_missing_types + k + 1);
            return;
        }
    }
    if (s->redcap && len) {
        int code = rfsi_redcap_code(data, len);
        if (code >= 0) {
            r->state = RFSI_MISSING;
            r->missing_type = (unsigned char)(st->inst->n_missing_types + s->n_extra + (size_t)code + 1);
        }
    }
}

/* A cell that is not a single in-range digit: the full rules, and the bookkeeping for
 * missing and invalid answers. Kept out of on_field so the common path stays small. */
static void warn_invalid(rfs_scorer *s, const target *g, size_t col, const char *v, size_t len)
{
    const rfs_instrument *inst = g->st->inst;
    rfs_error e;
    char shown[64];
    size_t i;

    for (i = 0; i < len && i < sizeof shown - 4; i++)
        shown[i] = ((unsigned char)v[i] < 0x20 || v[i] == 0x7f) ? '?' : v[i];
    if (i < len) { /* cut at a character boundary, so the message stays UTF-8 */
        while (i && ((unsigned char)v[i] & 0xC0) == 0x80)
            i--;
        memcpy(shown + i, "...", 3), i += 3;
    }
    shown[i] = '\0';
    rfs_error_clear(&e);
    rfsi_fail(&e, RFS_E_DATA, s->input_name, here_line(s), here_column(s, col),
              "column \"%s\" (item %zu of %s): \"%s\" is not an answer (%ld..%ld)%s, a missing code or NA; "
              "scored as missing", g->st->item_headers[g->item], g->item + 1, inst->id, shown, g->min, g->max,
              inst->items[g->item].n_categories ? ", a category name" : inst->n_values ? ", a value label" : "");
    s->warn(&e, s->warn_userdata);
}

/* stored: data is already in row_text (a cell held for the row filters), so an invalid
 * cell's text is pointed at rather than copied. */
RFSI_NOINLINE static int slow_cell(rfs_scorer *s, const target *g, size_t col, const char *data, size_t len,
                                   int stored)
{
    inst_state *st = g->st;
    rfsi_response *r = g->resp;
    size_t a = 0, b = len;

    st->row_slow++;
    rfsi_cell_classify_item(st->inst, g->item, data, len, r);
    if (r->state == RFSI_INVALID && (s->n_extra || s->redcap))
        extra_missing(s, st, data, len, r);
    if (r->state == RFSI_ANSWER) {
        st->row_answered++;
        st->colstats[g->item].answered++;
        return 0;
    }
    if (r->state == RFSI_MISSING) {
        if (s->redcap && r->missing_type == 0) /* "NA" is REDCap's code for not applicable */
            extra_missing(s, st, data, len, r);
        st->row_typed += r->missing_type != 0;
        st->colstats[g->item].typed += r->missing_type != 0;
        return 0;
    }
    st->row_invalid++;
    while (a < b && (data[a] == ' ' || data[a] == '\t'))
        a++;
    while (b > a && (data[b - 1] == ' ' || data[b - 1] == '\t'))
        b--;
    rfsi_colstats_invalid(&st->colstats[g->item], data + a, b - a);
    if (s->warn)
        warn_invalid(s, g, col, data + a, b - a);
    if (stored) {
        st->bad_off[g->item] = (size_t)(data - s->row_text.data) + a;
        st->bad_len[g->item] = b - a;
        return 0;
    }
    st->bad_off[g->item] = s->row_text.len;
    st->bad_len[g->item] = b - a;
    return rfsi_buf_append(&s->row_text, data + a, b - a) < 0 ? rfsi_nomem(s->err) : 0;
}

/* Header, id, kept and duration cells; pre-pass cells. */
RFSI_NOINLINE static int other_field(rfs_scorer *s, const char *data, size_t len, size_t col)
{
    if (!s->header_done) {
        if (s->qualtrics_row) /* held until we know whether it is data */
            return rfsi_held_field(s, &s->held[s->n_held], data, len, col);
        return rfsi_plan_header_field(s, data, len, col);
    }
    if (col >= s->ncols)
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, here_line(s), here_column(s, col),
                         "too many fields: expected %zu as in the header, found a field %zu", s->ncols, col + 1);
    s->text_off[col] = s->row_text.len;
    s->text_len[col] = len;
    if (rfsi_buf_append(&s->row_text, data, len) < 0)
        return rfsi_nomem(s->err);
    return 0;
}


static int on_field(void *ud, const char *data, size_t len, size_t col)
{
    rfs_scorer *s = ud;
    size_t t;

    if (s->dry_done)
        return 0;
    /* The usual Likert cell, one digit every item of the column accepts: keep the byte;
     * the row's responses are filled from it at the end of the record. */
    if (s->header_done && col < s->ncols && len == 1 && (unsigned char)data[0] >= s->fast_lo[col] &&
        (unsigned char)data[0] <= s->fast_hi[col]) {
        s->cellbyte[col] = (unsigned char)data[0];
        return 0;
    }
    if (!s->header_done || col >= s->ncols || s->copy_col[col]) {
        if (other_field(s, data, len, col) < 0)
            return -1;
        if (!s->header_done)
            return 0;
    }
    if (s->prescanning)
        return 0;
    s->cellbyte[col] = SLOW_CELL;
    if (s->n_filters) /* held until the row's filters are known: see held_cells() */
        return s->copy_col[col] || s->first_target[col] == NONE ? 0 : other_field(s, data, len, col);
    for (t = s->first_target[col]; t != NONE; t = s->targets[t].next)
        if (slow_cell(s, &s->targets[t], col, data, len, 0) < 0)
            return -1;
    return 0;
}

static int on_record(void *ud, size_t nfields);

#if defined(__SSE2__)
/* Eight one-digit cells in a row, "d,d,d,d,d,d,d,d," in p's 16 bytes, each a digit its
 * column accepts: kept as bytes, as the loop below would one by one. 0 when not. */
static int eight_digits(const char *p, char d, const unsigned char *lo, const unsigned char *hi,
                        unsigned char *cells)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p), low = _mm_set1_epi16(0x00FF);
    const __m128i even = _mm_packus_epi16(_mm_and_si128(v, low), low); /* the digits, then junk */
    const __m128i odd = _mm_packus_epi16(_mm_srli_epi16(v, 8), low);  /* the delimiters */
    const __m128i l = _mm_loadl_epi64((const __m128i *)(const void *)lo);
    const __m128i h = _mm_loadl_epi64((const __m128i *)(const void *)hi);
    __m128i ok = _mm_cmpeq_epi8(odd, _mm_set1_epi8(d));

    ok = _mm_and_si128(ok, _mm_cmpeq_epi8(_mm_max_epu8(even, l), even));
    ok = _mm_and_si128(ok, _mm_cmpeq_epi8(_mm_min_epu8(even, h), even));
    if ((_mm_movemask_epi8(ok) & 0xFF) != 0xFF)
        return 0;
    _mm_storel_epi64((__m128i *)(void *)cells, even);
    return 1;
}
#endif

/* A whole plain line (no quote, CR or non-ASCII byte; line[len] is its LF), split here as
 * it is decoded, in one pass over its bytes: the usual Likert cells (one digit every item
 * of the column accepts, or empty where that is plainly missing) are kept as bytes; every
 * other field goes through on_field, trimmed as libcsv trims unquoted fields. */
static int on_line(void *ud, const char *line, size_t len, size_t nfields)
{
    rfs_scorer *s = ud;
    const char d = rfsi_csv_delimiter(s->csv), *p = line, *end = line + len;
    const unsigned char *lo = s->fast_lo, *hi = s->fast_hi, *em = s->fast_empty;
    unsigned char *cells = s->cellbyte;
    size_t col = 0;
    int fast = s->header_done && !s->dry_done && !s->prescanning && nfields <= s->ncols;

    for (;;) {
        const char *a, *b;
        if (fast) {
            unsigned char c;
#if defined(__SSE2__)
            /* the eighth delimiter is before the LF: these columns exist (nfields <= ncols) */
            while (end - p >= 16 && eight_digits(p, d, lo + col, hi + col, cells + col)) {
                p += 16;
                col += 8;
            }
#endif
            c = (unsigned char)*p;
            if (c >= lo[col] && c <= hi[col] && (p + 1 == end || p[1] == d)) { /* at the end c is the LF */
                cells[col++] = c;
                if (p + 1 == end)
                    break;
                p += 2;
                continue;
            }
            if ((p == end || c == (unsigned char)d) && em[col]) {
                cells[col++] = EMPTY_CELL;
                if (p == end)
                    break;
                p++;
                continue;
            }
        }
        a = p;
        b = memchr(p, d, (size_t)(end - p));
        p = b ? b : end;
        b = p;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (on_field(s, a, (size_t)(b - a), col++) < 0)
            return -1;
        if (p == end)
            break;
        p++;
    }
    return on_record(s, col);
}

/* With filters, item cells that need the full rules wait for the end of the record, so a
 * row that is not scored gives no invalid-answer warning either. */
static int held_cells(rfs_scorer *s)
{
    size_t col, t;

    for (col = 0; col < s->ncols; col++) {
        if (s->cellbyte[col] != SLOW_CELL)
            continue;
        for (t = s->first_target[col]; t != NONE; t = s->targets[t].next)
            if (slow_cell(s, &s->targets[t], col, s->row_text.data + s->text_off[col], s->text_len[col], 1) < 0)
                return -1;
    }
    return 0;
}


/* The duration cell as seconds: a plain non-negative number, else not known. */
static int parse_duration(const char *p, size_t len, double *out)
{
    char tmp[64], *end;

    while (len && (*p == ' ' || *p == '\t')) {
        p++;
        len--;
    }
    if (len == 0 || len >= sizeof tmp || !((*p >= '0' && *p <= '9') || *p == '.'))
        return 0;
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    errno = 0;
    *out = strtod(tmp, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    return *end == '\0' && !errno && isfinite(*out);
}

/* What identifies a row for duplicate_id: the id, and in REDCap data the event and repeat
 * instance too (a record has one row per event). */
static uint64_t row_key(const rfs_scorer *s, const char *id, size_t id_len)
{
    uint64_t h = rfsi_id_hash(id, id_len);
    size_t k;

    for (k = 0; k < s->n_key_cols; k++) {
        size_t c = s->keep_cols[k];
        h = (h ^ rfsi_id_hash(s->row_text.data + s->text_off[c], s->text_len[c])) * 0x9E3779B97F4A7C15ULL;
        h = h ? h : 1;
    }
    return h;
}

/* A row without a key (every key cell empty) is not checked for duplicates. */
static int key_empty(const rfs_scorer *s, size_t id_len)
{
    size_t k;

    for (k = 0; k < s->n_id_cols && !id_len; k++)
        id_len = s->text_len[s->keep_cols[k]];
    return id_len == 0;
}

/* The pre-pass needs only the key's columns. */
static void prefix_mode(rfs_scorer *s)
{
    size_t last = s->id_col, k;

    if (s->n_filters || s->id_col == NONE)
        return;
    for (k = 0; k < s->n_key_cols; k++)
        last = s->keep_cols[k] > last ? s->keep_cols[k] : last;
    rfsi_csv_prefix_only(s->csv, last, s->ncols);
}

/* The header is known (and the Qualtrics rows read): plan the columns, then write the
 * output header, or the mapping in a dry run. */
static int begin_data(rfs_scorer *s)
{
    s->header_done = 1;
    if (rfsi_plan_columns(s) < 0 || rfsi_out_check_names(s) < 0)
        return -1;
    if (s->prescanning) {
        prefix_mode(s);
        return 0;
    }
    if (s->dry_run) {
        s->dry_done = 1;
        return rfsi_plan_describe(s);
    }
    return rfsi_out_header(s);
}

/* A held row was data after all: score it, with its own lines and columns. */
static int replay(rfs_scorer *s, const held_row *h)
{
    size_t i;
    int rc = 0;

    s->replay = h;
    for (i = 0; i < h->n && rc == 0; i++)
        rc = on_field(s, h->text.data + h->off[i], h->len[i], i);
    if (rc == 0)
        rc = on_record(s, h->nfields);
    s->replay = NULL;
    return rc;
}

/* A row that might be a header row is kept as data: say so (once, in the scoring pass). */
static int warn_kept(rfs_scorer *s, const held_row *h, const char *why)
{
    char lines[64];
    rfsi_warning *w;

    rfsi_held_lines(h, lines, sizeof lines);
    rfsi_header_note(s, "# %s: kept as data, though it may be a header row: %s", lines, why);
    if (s->prescanning)
        return 0;
    w = rfsi_warning_add(&s->warnings, "header_row_kept", RFSI_NO_INSTRUMENT,
                         "%s may be a header row of the export (%s): scored as a respondent; delete it if "
                         "it is not one", lines, why);
    if (!w || rfsi_warning_num(w, "line", (double)h->first_line) < 0 || rfsi_warning_str(w, "reason", why) < 0)
        return rfsi_nomem(s->err);
    return 0;
}

/* The held rows decided: plan the columns, then score those that are data. */
static int data_from(rfs_scorer *s, size_t first_held)
{
    size_t i;

    s->qualtrics_row = 0;
    if (begin_data(s) < 0)
        return -1;
    for (i = first_held; i < s->n_held; i++)
        if (replay(s, &s->held[i]) < 0)
            return -1;
    s->n_held = 0;
    return 0;
}

/* What the rows after a Qualtrics header are, decided once row 3 has been read (or the
 * input ended): an ImportId row makes the row before it the question text row; without
 * one, row 2 is question text only when its fixed columns hold text where data hold a
 * response id and dates. at_end: the input ended with these rows. */
static int decide_qualtrics(rfs_scorer *s, int at_end)
{
    held_row *row2 = &s->held[0], *row3 = &s->held[1];
    char why_data[160], why_header[160], lines[64], lines3[64];
    size_t ids, filled;
    int kind;

    if (s->qualtrics_row == 1) {
        if ((ids = rfsi_held_import_ids(row2, &filled))) { /* question text row deleted */
            rfsi_header_note(s, "# %s: Qualtrics ImportId row, skipped: %zu of %zu filled cells are ImportIds",
                             rfsi_held_lines(row2, lines, sizeof lines), ids, filled);
            if (rfsi_take_import_ids(s, row2) < 0)
                return -1;
            s->n_held = 0;
            return data_from(s, 0);
        }
        if (!at_end) {
            s->qualtrics_row = 2; /* wait for row 3 */
            return 0;
        }
    }
    kind = rfsi_held_kind(s, row2, why_data, why_header, sizeof why_data);
    rfsi_held_lines(row2, lines, sizeof lines);
    if (s->n_held == 2 && (ids = rfsi_held_import_ids(row3, &filled))) {
        rfsi_held_lines(row3, lines3, sizeof lines3);
        if (rfsi_take_import_ids(s, row3) < 0)
            return -1;
        if (kind & RFSI_ROW_DATA) { /* never lose a respondent */
            rfsi_header_note(s, "# %s: Qualtrics ImportId row, skipped: %zu of %zu filled cells are ImportIds",
                             lines3, ids, filled);
            s->n_held = 1;
            return warn_kept(s, row2, why_data) < 0 ? -1 : data_from(s, 0);
        }
        rfsi_header_note(s, "# %s: Qualtrics question text row, skipped: the row after it holds ImportIds", lines);
        rfsi_header_note(s, "# %s: Qualtrics ImportId row, skipped: %zu of %zu filled cells are ImportIds", lines3,
                         ids, filled);
        s->n_held = 0;
        return data_from(s, 0);
    }
    if (kind == RFSI_ROW_HEADER) {
        rfsi_header_note(s, "# %s: Qualtrics question text row, skipped: %s", lines, why_header);
        return data_from(s, 1);
    }
    if (kind == RFSI_ROW_DATA) {
        rfsi_header_note(s, "# %s: data (no question text or ImportId rows): %s", lines, why_data);
        return data_from(s, 0);
    }
    if (kind) { /* both */
        char why[340];
        snprintf(why, sizeof why, "%s, but %s", why_data, why_header);
        if (warn_kept(s, row2, why) < 0)
            return -1;
    } else if (warn_kept(s, row2, "neither a response id nor a date in Qualtrics' fixed columns tells") < 0) {
        return -1;
    }
    return data_from(s, 0);
}

/* Legacy export: row 2 names the V columns, unless it is already a respondent. */
static int decide_legacy(rfs_scorer *s)
{
    char why[160], lines[64];
    const held_row *row2 = &s->held[0];

    rfsi_held_lines(row2, lines, sizeof lines);
    if (rfsi_held_is_legacy_names(s, row2, why, sizeof why)) {
        rfsi_header_note(s, "# line 1: legacy Qualtrics header: V1, V2, ... for the metadata columns");
        rfsi_header_note(s, "# %s: legacy Qualtrics names row, skipped (its names replace V1, V2, ...): %s", lines,
                         why);
        if (rfsi_merge_legacy_names(s, row2) < 0)
            return -1;
        s->n_held = 0;
        return data_from(s, 0);
    }
    if (warn_kept(s, row2, why) < 0)
        return -1;
    return data_from(s, 0);
}

/* Records before the data: the header; in a Qualtrics export the question text row and
 * the ImportId row, skipped (their lines still count) only when they are what they look
 * like, so an export whose extra rows were deleted loses no data row. */
static int header_record(rfs_scorer *s, size_t nfields)
{
    held_row *h;

    if (s->qualtrics_row == 0) {
        s->qualtrics_row = rfsi_header_is_legacy(s) ? 3 : rfsi_header_is_qualtrics(s) ? 1 : 0;
        s->qualtrics = s->qualtrics_row != 0;
        s->n_held = 0;
        rfsi_held_clear(&s->held[0]);
        rfsi_held_clear(&s->held[1]);
        return s->qualtrics_row ? 0 : begin_data(s);
    }
    h = &s->held[s->n_held++];
    h->first_line = rfsi_csv_record_line(s->csv);
    h->last_line = rfsi_csv_line(s->csv);
    h->end_column = rfsi_csv_end_column(s->csv);
    h->nfields = nfields;
    if (s->qualtrics_row == 3)
        return decide_legacy(s);
    return decide_qualtrics(s, 0);
}

/* The input ended among the header rows. */
static int end_of_header_rows(rfs_scorer *s)
{
    if (!s->qualtrics_row || s->header_done)
        return 0;
    if (s->n_held == 0)
        return data_from(s, 0); /* a header and nothing else */
    return decide_qualtrics(s, 1);
}

static int on_record(void *ud, size_t nfields)
{
    rfs_scorer *s = ud;
    size_t i;
    int invalid = 0, rc = 0, has_duration = 0;
    double duration = 0;
    unsigned long long id_count = 1;
    rfsi_study *group = NULL;
    const char *id;
    size_t id_len;

    if (!s->header_done)
        return header_record(s, nfields);
    if (s->dry_done)
        return 0;
    if (nfields > s->ncols) /* an id-only pre-pass line: its fields were not delivered */
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, here_line(s), here_column(s, s->ncols),
                         "too many fields: expected %zu as in the header, found a field %zu", s->ncols, s->ncols + 1);
    if (nfields < s->ncols)
        return rfsi_fail(s->err, RFS_E_DATA, s->input_name, here_line(s),
                         s->replay ? s->replay->end_column : rfsi_csv_end_column(s->csv),
                         "too few fields: expected %zu as in the header, found %zu (record starting on line %lu)",
                         s->ncols, nfields, s->replay ? s->replay->first_line : rfsi_csv_record_line(s->csv));
    id = s->id_col == NONE ? "" : s->row_text.data + s->text_off[s->id_col];
    id_len = s->id_col == NONE ? 0 : s->text_len[s->id_col];
    if (s->prescanning) {
        if (s->id_col != NONE && !key_empty(s, id_len) && (!s->n_filters || rfsi_row_passes(s)) &&
            rfsi_idset_collect(&s->ids, row_key(s, id, id_len)) < 0)
            return rfsi_nomem(s->err);
        s->row_text.len = 0;
        return 0;
    }
    s->counts.rows_read++;
    if (s->n_filters) {
        if (!rfsi_row_passes(s)) {
            s->counts.rows_excluded++;
            s->row_text.len = 0;
            return 0;
        }
        if (held_cells(s) < 0)
            return -1;
    }
    if (s->check_ids && s->id_col != NONE && !key_empty(s, id_len)) {
        id_count = rfsi_idset_count(&s->ids, row_key(s, id, id_len));
        if (id_count == 0)
            return rfsi_nomem(s->err);
    }
    if (s->duration_col != NONE)
        has_duration = parse_duration(s->row_text.data + s->text_off[s->duration_col], s->text_len[s->duration_col],
                                      &duration);
    if (s->by_name && !(group = rfsi_group_study(s)))
        return -1;
    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        if (rfsi_row_compute(s, st, has_duration, duration, id_count) < 0)
            return -1;
        invalid |= !st->valid;
        if (st->not_administered) { /* counted for the flow, never in the figures */
            rfsi_study_add_not_administered(s->study, i);
            rfsi_study_add_not_administered(group, i);
            continue;
        }
        if (s->study)
            rfsi_study_add(s->study, i, st->resp, st->res, st->kinds, st->valid);
        if (group)
            rfsi_study_add(group, i, st->resp, st->res, st->kinds, st->valid);
    }
    rc = rfsi_out_row(s, id, id_len);
    s->row_text.len = 0;
    if (rc)
        return -1;
    s->counts.rows_flagged += invalid != 0;
    return 0;
}

/* --------------------------------------------------------------- streaming */

static int start(rfs_scorer *s, rfs_error *err)
{
    if (s->csv)
        return 0;
    if (s->n_insts == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no instrument to score");
    if (!s->output_set && !s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no output set");
    if (!s->configured) {
        if (rfsi_apply_configuration(s, err) < 0)
            return -1;
        s->configured = 1;
    }
    s->header_done = 0;
    s->qualtrics = 0;
    s->qualtrics_row = 0;
    rfsi_plan_free_import_ids(s);
    s->n_held = 0;
    s->header_notes.len = 0;
    s->ncols = 0;
    s->header_text.len = 0;
    s->row_text.len = 0;
    s->csv = rfsi_csv_new(s->input_name, s->delimiter, s->encoding, on_field, on_record, s);
    if (!s->csv || rfsi_csv_line_mode(s->csv, on_line) < 0)
        return rfsi_nomem(err);
    return 0;
}

/* The reader is put at the start of line `line` of the file, past its header (a part of
 * the file read by another thread, scorer/parallel.c): a fresh reader when this one
 * stopped inside a record, and nothing of a row begun. -1 when memory runs out. */
int rfsi_scorer_resume(rfs_scorer *s, unsigned long line)
{
    size_t i;

    if (!rfsi_csv_at_line_start(s->csv)) {
        rfsi_csv *r = rfsi_csv_new(s->input_name, rfsi_csv_delimiter(s->csv), s->encoding, on_field, on_record, s);
        if (!r || rfsi_csv_line_mode(r, on_line) < 0) {
            rfsi_csv_free(r);
            return -1;
        }
        rfsi_csv_free(s->csv);
        s->csv = r;
        if (s->prescanning)
            prefix_mode(s);
    }
    rfsi_csv_resume(s->csv, line);
    s->row_text.len = 0;
    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        st->row_answered = st->row_invalid = st->row_typed = st->row_slow = 0;
    }
    return 0;
}

static int feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err, int prescan)
{
    if (!s)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no scorer (NULL)");
    if (!data && len) /* a failed read passed on; the scorer is not marked failed */
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no data (NULL) for %zu bytes", len);
    if (!data)
        data = "";
    /* Not configured for input yet: refused, and the scorer can still be configured. */
    if (!s->csv && !s->failed && !s->finished && (s->n_insts == 0 || (!s->output_set && !prescan)))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, s->n_insts ? "no output set" : "no instrument to score");
    if (s->failed || s->finished || (prescan && s->prescanned) || (!prescan && s->prescanning))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has failed or finished, or a pre-pass is open");
    s->err = err;
    if (prescan && !s->csv)
        s->prescanning = 1;
    if (!prescan && s->digest_input) {
        rfsi_sha256_update(&s->input_digest, data, len);
        s->input_bytes += len;
    }
    if (start(s, err) < 0 || rfsi_csv_feed(s->csv, data, len, err) < 0) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

int rfs_scorer_prescan(rfs_scorer *s, const char *data, size_t len, rfs_error *err)
{
    if (s && !s->prescanning && s->csv)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the pre-pass must come before scoring");
    return feed(s, data, len, err, 1);
}

int rfs_scorer_feed(rfs_scorer *s, const char *data, size_t len, rfs_error *err)
{
    return feed(s, data, len, err, 0);
}

int rfsi_scorer_finish_input(rfs_scorer *s, rfs_error *err)
{
    if (start(s, err) < 0 || rfsi_csv_finish(s->csv, err) < 0 || end_of_header_rows(s) < 0) {
        s->failed = 1;
        return -1;
    }
    /* A Qualtrics export with no responses yet ends among its header rows: like a plain
     * header-only file, its output is the header (end_of_header_rows). */
    if (!s->header_done) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_DATA, s->input_name, 1, 0, "empty input: expected a header row");
    }
    return 0;
}

int rfs_scorer_prescan_finish(rfs_scorer *s, rfs_error *err)
{
    if (!s)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no scorer (NULL)");
    if (!s->prescanning && !s->csv && !s->prescanned && !s->failed)
        s->prescanning = 1; /* an empty input: the pre-pass saw no bytes */
    if (s->failed || !s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no pre-pass to finish");
    s->err = err;
    if (rfsi_scorer_finish_input(s, err) < 0)
        return -1;
    if (rfsi_idset_finish(&s->ids) < 0) {
        s->failed = 1;
        return rfsi_nomem(err);
    }
    rfsi_csv_free(s->csv); /* the scoring pass starts from the header again */
    s->csv = NULL;
    s->prescanning = 0;
    s->prescanned = 1;
    return 0;
}

int rfs_scorer_finish(rfs_scorer *s, rfs_error *err)
{
    if (!s)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no scorer (NULL)");
    if (s->failed || s->prescanning)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "the scorer has failed, or a pre-pass is open");
    if (s->finished)
        return 0;
    s->err = err;
    if (rfsi_scorer_finish_input(s, err) < 0)
        return -1;
    if (!s->dry_run && (rfsi_colstats_warn(s) < 0 || rfsi_trust_warn(s) < 0)) {
        s->failed = 1;
        return -1;
    }
    s->finished = 1;
    if (rfsi_writer_flush(&s->out) < 0) {
        s->failed = 1;
        return rfsi_out_error(s);
    }
    return 0;
}

int rfsi_read_input(rfs_scorer *s, FILE *in, rfs_error *err, int prescan, unsigned long long limit)
{
    char buf[RFSI_READ_CHUNK];
    size_t n, want;
    unsigned long long bytes = 0;

    while (!s->dry_done && bytes < limit) {
        want = sizeof buf - (size_t)(s->pass_fed % sizeof buf);
        if (limit - bytes < want)
            want = (size_t)(limit - bytes);
        if ((n = fread(buf, 1, want, in)) == 0)
            break;
        if (feed(s, buf, n, err, prescan) < 0)
            return -1;
        bytes += n;
        s->pass_fed += n;
        if (s->progress)
            s->progress(!prescan, s->pass_fed, &s->counts, s->progress_ud);
    }
    if (ferror(in)) {
        s->failed = 1;
        return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "read error: %s", strerror(errno));
    }
    return 0;
}

int rfs_scorer_run_file(rfs_scorer *s, FILE *in, rfs_error *err)
{
    int rc;

    if (!s || !in)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no %s (NULL)", s ? "input stream" : "scorer");
    /* With a seekable input the id pre-pass flags every occurrence of a duplicate. */
    if (s->check_ids && !s->row_numbers && !s->dry_run && !s->prescanned && !s->csv && fseek(in, 0, SEEK_CUR) == 0) {
        long start_pos = ftell(in);
        if (start_pos >= 0) {
            s->pass_fed = 0;
            if ((rc = rfsi_parallel_run(s, in, 1, err)) < 0 ||
                (rc == 0 && rfsi_read_input(s, in, err, 1, ULLONG_MAX) < 0) || rfs_scorer_prescan_finish(s, err) < 0)
                return -1;
            if (fseek(in, start_pos, SEEK_SET) != 0) {
                s->failed = 1;
                return rfsi_fail(err, RFS_E_OPEN, s->input_name, 0, 0, "cannot rewind the input: %s", strerror(errno));
            }
        }
    }
    /* Two threads when asked and worth it; else, or when the second part could not be
     * taken, one reads (on). */
    s->pass_fed = 0;
    if ((rc = rfsi_parallel_run(s, in, 0, err)) < 0 || (rc == 0 && rfsi_read_input(s, in, err, 0, ULLONG_MAX) < 0))
        return -1;
    return rfs_scorer_finish(s, err);
}

/* libcsv adapter. libcsv gives no positions, so input is fed to csv_parse() one
 * physical line at a time: callbacks run inside that call, so the current line is
 * known, and a strict-mode error's offset is a column on it (see
 * ../shared/research/libcsv-iniparser-pitfalls.md, items 3-13). */
#include "csv_reader.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "split.h"

struct rfsi_csv {
    struct csv_parser parser;
    char *name;
    rfsi_field_fn on_field;
    rfsi_record_fn on_record;
    rfsi_line_fn on_line;       /* whole lines split in one pass (rfsi_csv_line_mode) ... */
    unsigned *ends;             /* ... into these field ends, RFSI_LINE_MAX + 1 */
    void *userdata;
    char delimiter;             /* 0 until detected */
    rfsi_encoding encoding;
    char *pending;              /* detect mode: input held until the first line ends */
    size_t pending_len, pending_cap;
    size_t pending_scanned;     /* bytes of pending already searched for the line end ... */
    int pending_quoted;         /* ... and whether they end inside quotes */
    char *conv;                 /* cp1252/latin1 input converted to UTF-8 */
    size_t conv_cap;
    unsigned char utf8_need;    /* continuation bytes still expected */
    unsigned char utf8_lo, utf8_hi; /* allowed range of the next one */
    unsigned char utf8_lead;    /* the lead byte of the character being checked ... */
    unsigned long utf8_lead_col; /* ... and its column, which errors point at */

    unsigned long line;         /* physical line being fed (1-based) */
    unsigned long line_offset;  /* bytes of this line fed in earlier chunks */
    const char *seg;            /* the part of the line being fed now */
    size_t seg_len;
    unsigned long record_line;  /* line where the current record started */
    size_t nfields;             /* fields so far in the current record */
    int open;                   /* a record has begun and not yet ended */
    int after_cr;               /* the last piece ended with a CR: an LF next is its pair */
    size_t last_col;            /* prefix mode: the last field wanted, or (size_t)-1 for all ... */
    size_t expect;              /* ... and the fields a record should have */
    int stopped;                /* a callback failed */
    int failed;                 /* no more input accepted */
    int finished;
    unsigned char bom_seen;     /* bytes of a leading UTF-8 BOM matched so far */
    int past_start;             /* the BOM question is settled */
    rfs_error *err;
};

/* libcsv grows its field buffer without bound; refusing beyond the documented limit
 * turns a runaway field (an unterminated quote in a huge file) into an error instead of
 * an allocation sized by the input. Stateless, so no global state. */
static void *bounded_realloc(void *p, size_t size)
{
    if (size > (size_t)RFS_MAX_FIELD + 4096)
        return NULL;
    return realloc(p, size);
}

static void field_cb(void *data, size_t len, void *ud)
{
    rfsi_csv *r = ud;

    if (r->stopped)
        return;
    if (len > RFS_MAX_FIELD) {
        rfsi_fail(r->err, RFS_E_LIMIT, r->name, r->record_line, 0,
                  "field %zu is longer than the limit of %u bytes", r->nfields + 1, RFS_MAX_FIELD);
        r->stopped = 1;
        return;
    }
    if (r->nfields >= RFS_MAX_COLUMNS) {
        rfsi_fail(r->err, RFS_E_LIMIT, r->name, r->record_line, 0,
                  "more than %d fields in one record", RFS_MAX_COLUMNS);
        r->stopped = 1;
        return;
    }
    if (r->on_field(r->userdata, data ? data : "", len, r->nfields) < 0)
        r->stopped = 1;
    r->nfields++;
}

static void record_cb(int term, void *ud)
{
    rfsi_csv *r = ud;
    size_t n = r->nfields;

    (void)term;
    if (r->stopped)
        return;
    r->nfields = 0;
    r->open = 0;
    if (n == 0) /* libcsv reports no empty rows by default; be safe */
        return;
    if (r->on_record(r->userdata, n) < 0)
        r->stopped = 1;
}

rfsi_csv *rfsi_csv_new(const char *name, char delimiter, rfsi_encoding encoding, rfsi_field_fn on_field,
                       rfsi_record_fn on_record, void *userdata)
{
    rfsi_csv *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    /* Strict: a stray quote is an error, not silently repaired; STRICT_FINI makes an
     * unterminated quote at the end of input an error too. */
    if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0 || !(r->name = strdup(name ? name : ""))) {
        free(r);
        return NULL;
    }
    if (delimiter)
        csv_set_delim(&r->parser, (unsigned char)delimiter);
    csv_set_realloc_func(&r->parser, bounded_realloc);
    r->delimiter = delimiter;
    r->encoding = encoding;
    r->on_field = on_field;
    r->on_record = on_record;
    r->userdata = userdata;
    r->line = 1;
    r->last_col = (size_t)-1;
    return r;
}

void rfsi_csv_free(rfsi_csv *r)
{
    if (!r)
        return;
    csv_free(&r->parser);
    free(r->name);
    free(r->pending);
    free(r->conv);
    free(r->ends);
    free(r);
}

int rfsi_csv_line_mode(rfsi_csv *r, rfsi_line_fn on_line)
{
    if (on_line && !r->ends && !(r->ends = malloc((RFSI_LINE_MAX + 1) * sizeof *r->ends)))
        return -1;
    r->on_line = on_line;
    return 0;
}

static int parse_error(rfsi_csv *r, rfs_error *err, size_t offset)
{
    int code = csv_error(&r->parser);

    r->failed = 1;
    if (code == CSV_ETOOBIG || code == CSV_ENOMEM)
        return rfsi_fail(err, RFS_E_LIMIT, r->name, r->record_line, 0,
                         "a field of the record starting here is longer than the limit of %u bytes (an "
                         "unterminated quote?)", RFS_MAX_FIELD);
    return rfsi_fail(err, RFS_E_DATA, r->name, r->line, r->line_offset + offset + 1,
                     "malformed quoting: a quote inside an unquoted field, or text after a closing "
                     "quote (expected a field wholly in \"double quotes\", with \"\" for a quote)");
}

void rfsi_csv_prefix_only(rfsi_csv *r, size_t last, size_t expect)
{
    r->last_col = last;
    r->expect = expect;
}

/* How many bytes equal to c are in [p, end): eight at a time (a byte of w ^ c*0x01..01 is
 * zero exactly where the byte is c; the expression below sets bit 7 of exactly those
 * bytes, with no carry between bytes). */
static size_t count_byte(const char *p, const char *end, char c)
{
    const unsigned long long ones = 0x0101010101010101ULL, low7 = 0x7F7F7F7F7F7F7F7FULL;
    unsigned long long pat = ones * (unsigned char)c;
    size_t n = 0;

    for (; end - p >= 8; p += 8) {
        unsigned long long w, z;
        memcpy(&w, p, 8);
        w ^= pat;
        z = ~(((w & low7) + low7) | w | low7); /* 0x80 in each byte equal to c */
        n += (size_t)(((z >> 7) * ones) >> 56);
    }
    for (; p < end; p++)
        n += *p == c;
    return n;
}

/* A whole line with no quote, outside a record: split with memchr instead of libcsv,
 * giving exactly what libcsv gives for such a line (fields split at the delimiter,
 * unquoted fields without surrounding spaces and tabs, a blank or whitespace-only line
 * no record) at a fraction of the cost. Lines with quotes, and lines cut by a chunk
 * boundary, go to libcsv; the chunk-size tests check that both agree. In prefix mode
 * only the wanted fields are delivered, and the rest of the line is checked only for what
 * a full read would stop at first, in the same order: a field over the limit (possible
 * only on a line longer than the limit), a field past the column limit, or one past the
 * expected count (the record then ends there, one field over, for the record callback
 * to refuse). Returns 1 when handled, 0 when libcsv must do it, -1 on error. */
static int fast_line(rfsi_csv *r, const char *seg, size_t len, rfs_error *err)
{
    const char *p = seg, *end = seg + len;
    size_t col = 0;

    if (r->open || r->line_offset != 0 || !r->delimiter || memchr(seg, '"', len))
        return 0;
    while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
        end--;
    if (end == seg + len || memchr(seg, '\r', (size_t)(end - seg))) /* not one whole line */
        return 0;
    /* libcsv skips spaces and tabs before a field, but a tab that is the delimiter
     * separates fields: a line of tabs in a TSV file is a record of empty fields. */
    for (; p < end && (*p == ' ' || (*p == '\t' && r->delimiter != '\t')); p++)
        ;
    if (p == end)
        return 1; /* blank: no record, as in libcsv */
    r->err = err;
    r->record_line = r->line;
    r->seg = seg;
    r->seg_len = len;
    for (p = seg;; col++) {
        const char *d, *q, *a = p;
        int wanted = col <= r->last_col;
        if (!wanted) {
            if ((size_t)(end - p) <= RFS_MAX_FIELD) { /* no field left can be over the limit */
                size_t last = col + count_byte(p, end, r->delimiter);
                if (last < r->expect && last < RFS_MAX_COLUMNS) {
                    col = last;
                    break;
                }
            }
        }
        d = memchr(p, r->delimiter, (size_t)(end - p));
        q = d ? d : end;
        /* The limits hold for every field, delivered or not, so the id pre-pass stops at
         * the same first error as the scoring pass. */
        if (wanted || (size_t)(q - a) > RFS_MAX_FIELD || col >= RFS_MAX_COLUMNS) {
            while (a < q && (*a == ' ' || *a == '\t'))
                a++;
            while (q > a && (q[-1] == ' ' || q[-1] == '\t'))
                q--;
        }
        if ((size_t)(q - a) > RFS_MAX_FIELD) {
            rfsi_fail(err, RFS_E_LIMIT, r->name, r->line, (unsigned long)(a - seg) + 1,
                      "field %zu is longer than the limit of %u bytes", col + 1, RFS_MAX_FIELD);
            goto stop;
        }
        if (col >= RFS_MAX_COLUMNS) {
            rfsi_fail(err, RFS_E_LIMIT, r->name, r->line, (unsigned long)(a - seg) + 1,
                      "more than %d fields in one record", RFS_MAX_COLUMNS);
            goto stop;
        }
        if (wanted) {
            r->nfields = col;
            if (r->on_field(r->userdata, a, (size_t)(q - a), col) < 0)
                goto stop;
        } else if (col >= r->expect) {
            break; /* one field over the count: the record callback refuses it */
        }
        if (!d)
            break;
        p = d + 1;
    }
    r->nfields = 0;
    if (r->on_record(r->userdata, col + 1) < 0)
        goto stop;
    r->seg = NULL;
    return 1;
stop:
    r->seg = NULL;
    r->failed = 1;
    return -1;
}

/* Feeds one piece of a physical line (ending with its '\n' or not). */
static int feed_segment(rfsi_csv *r, const char *seg, size_t len, rfs_error *err)
{
    size_t done, i;
    int fast;

    if ((fast = fast_line(r, seg, len, err)) != 0)
        return fast < 0 ? -1 : 0;

    /* A record starts on the first line with content after the previous record
     * (libcsv skips blank and whitespace-only lines). */
    if (!r->open) {
        r->record_line = r->line;
        for (i = 0; i < len && !r->open; i++)
            r->open = seg[i] != ' ' && (seg[i] != '\t' || r->delimiter == '\t') && seg[i] != '\r' && seg[i] != '\n';
    }
    r->seg = seg;
    r->seg_len = len;
    done = csv_parse(&r->parser, seg, len, field_cb, record_cb, r);
    r->seg = NULL;
    if (r->stopped) {
        r->failed = 1;
        return -1;
    }
    if (done < len) /* strict error; re-feeding would spin on the same byte */
        return parse_error(r, err, done);
    return 0;
}

char rfsi_csv_delimiter(const rfsi_csv *r)
{
    return r->delimiter;
}

/* Checks UTF-8 across pieces (structure, overlong forms, surrogates, > U+10FFFF).
 * Returns the index of the first bad byte, or len; on error r->utf8_lead_col and
 * r->utf8_lead give the place and first byte of the bad sequence, even when it began in
 * an earlier piece. */
static size_t check_utf8(rfsi_csv *r, const unsigned char *p, size_t len)
{
    size_t i = 0;

    while (i < len) {
        unsigned char c = p[i];
        if (r->utf8_need) {
            if (c < r->utf8_lo || c > r->utf8_hi)
                return i;
            r->utf8_lo = 0x80;
            r->utf8_hi = 0xBF;
            r->utf8_need--;
            i++;
            continue;
        }
        if (c < 0x80) { /* ASCII: skip eight at a time when we can */
            while (i + 8 <= len) {
                unsigned long long w;
                memcpy(&w, p + i, 8);
                if (w & 0x8080808080808080ULL)
                    break;
                i += 8;
            }
            if (i < len && p[i] < 0x80)
                i++;
            continue;
        }
        r->utf8_lo = 0x80;
        r->utf8_hi = 0xBF;
        r->utf8_lead = c;
        r->utf8_lead_col = r->line_offset + i + 1;
        if (c >= 0xC2 && c <= 0xDF)
            r->utf8_need = 1;
        else if (c >= 0xE0 && c <= 0xEF) {
            r->utf8_need = 2;
            if (c == 0xE0)
                r->utf8_lo = 0xA0; /* overlong */
            if (c == 0xED)
                r->utf8_hi = 0x9F; /* surrogates */
        } else if (c >= 0xF0 && c <= 0xF4) {
            r->utf8_need = 3;
            if (c == 0xF0)
                r->utf8_lo = 0x90;
            if (c == 0xF4)
                r->utf8_hi = 0x8F;
        } else {
            return i;
        }
        i++;
    }
    return len;
}

/* The bad byte at index i of the piece being checked: an invalid lead byte, or a
 * character cut short, reported where it began. */
static int not_utf8(rfsi_csv *r, rfs_error *err, size_t i, unsigned char byte)
{
    unsigned long col = r->line_offset + i + 1;

    if (r->utf8_need) {
        col = r->utf8_lead_col;
        byte = r->utf8_lead;
    }
    r->failed = 1;
    return rfsi_fail(err, RFS_E_DATA, r->name, r->line, col,
                     "not UTF-8 (byte 0x%02X); files saved by Excel on Windows are usually Windows-1252: "
                     "convert with --encoding cp1252 (or latin1)", byte);
}


/* Prefix mode: fields 0..last_col of a line split_line took (trimmed as libcsv trims
 * unquoted fields), then the record's end with its field count, one over expect at most,
 * as fast_line gives them. */
static int deliver_prefix(rfsi_csv *r, const char *line, const unsigned *ends, size_t nfields)
{
    size_t col, a = 0, last = r->last_col < nfields - 1 ? r->last_col : nfields - 1;

    for (col = 0; col <= last; a = (size_t)ends[col++] + 1) {
        size_t b = ends[col];
        while (a < b && (line[a] == ' ' || line[a] == '\t'))
            a++;
        while (b > a && (line[b - 1] == ' ' || line[b - 1] == '\t'))
            b--;
        r->nfields = col;
        if (r->on_field(r->userdata, line + a, b - a, col) < 0)
            return -1;
    }
    r->nfields = 0;
    return r->on_record(r->userdata, nfields > r->expect + 1 ? r->expect + 1 : nfields);
}

/* The common line in one pass (split.h): a plain line goes to on_line whole (its fields
 * counted, not placed: the callee splits it as it decodes), or in prefix mode field by
 * field, with only the delimiters up to the last field wanted placed. Returns the
 * bytes taken (the line and its LF), 0 when the line is not for this path (then nothing
 * has happened), -1 on error. Fields are never over the limit here: the line is shorter
 * than it. */
static long split_line(rfsi_csv *r, const char *data, size_t len)
{
    int prefix = r->last_col != (size_t)-1;
    unsigned *ends = r->ends;
    rfsi_split sp;
    size_t n, k;
    int rc;

    if (!rfsi_split_line(data, len, r->delimiter, prefix ? r->last_col + 1 : 0, ends, &sp) ||
        !sp.plain || sp.delims == 0 || sp.delims >= RFS_MAX_COLUMNS)
        return 0; /* no delimiter: one field, or a blank line, which is no record */
    n = sp.len;
    k = sp.delims;
    r->record_line = r->line;
    r->seg = data;
    r->seg_len = n + 1;
    rc = prefix ? deliver_prefix(r, data, ends, k + 1) : r->on_line(r->userdata, data, n, k + 1);
    r->seg = NULL;
    if (rc < 0) {
        r->failed = 1;
        return -1;
    }
    r->line++;
    return (long)(n + 1);
}

/* Splits at line ends and feeds each piece with its line known. */
static int feed_lines(rfsi_csv *r, const char *data, size_t len, rfs_error *err)
{
    while (len) {
        /* A line ends at LF, CRLF or a lone CR (Excel for Mac writes CR-only files);
         * a CRLF split over two chunks counts once. */
        const char *nl, *cr, *end;
        size_t n, bad;
        if (r->after_cr && *data == '\n') { /* the LF of a CRLF whose CR ended the last piece */
            if (feed_segment(r, data, 1, err) < 0)
                return -1;
            data++;
            len--;
            r->after_cr = 0;
            continue;
        }
        r->after_cr = 0;
        if (r->on_line && !r->open && r->line_offset == 0 && r->delimiter) {
            long taken = split_line(r, data, len);
            if (taken < 0)
                return -1;
            if (taken) {
                data += taken;
                len -= (size_t)taken;
                continue;
            }
        }
        nl = memchr(data, '\n', len);
        cr = memchr(data, '\r', nl ? (size_t)(nl - data) : len);
        end = cr ? cr : nl;
        if (end && end == cr && (size_t)(cr - data) + 1 < len && cr[1] == '\n')
            end = cr + 1; /* CRLF inside this chunk */
        n = end ? (size_t)(end - data) + 1 : len;
        bad = check_utf8(r, (const unsigned char *)data, n);
        if (bad < n) {
            /* The first error in the file wins: parse what comes before the bad
             * character first, in case it holds an earlier one. */
            unsigned long col = r->utf8_need ? r->utf8_lead_col : r->line_offset + bad + 1;
            size_t before = col - 1 > r->line_offset ? (size_t)(col - 1 - r->line_offset) : 0;
            unsigned char need = r->utf8_need;
            r->utf8_need = 0;
            if (before && feed_segment(r, data, before, err) < 0)
                return -1;
            r->utf8_need = need;
            return not_utf8(r, err, bad, (unsigned char)data[bad]);
        }
        if (feed_segment(r, data, n, err) < 0)
            return -1;
        if (end) {
            r->after_cr = *end == '\r';
            r->line++;
            r->line_offset = 0;
        } else {
            r->line_offset += n;
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* The delimiter of the header line: the most frequent of ',', ';' and tab outside quotes
 * (European Excel writes ';'); ',' when none or tied. */
static char detect_delimiter(const char *p, size_t len)
{
    size_t i, comma = 0, semi = 0, tab = 0;
    int quoted = 0;

    for (i = 0; i < len; i++) {
        if (p[i] == '"')
            quoted = !quoted;
        else if (!quoted && (p[i] == '\n' || p[i] == '\r'))
            break;
        else if (!quoted)
            comma += p[i] == ',', semi += p[i] == ';', tab += p[i] == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* The header line has ended: a line end outside quotes (a quoted header name may hold
 * a newline, and the delimiter is counted on the whole line). Only the bytes added since
 * the last call are searched, so a wide header fed in small pieces costs linear time. */
static int header_line_complete(rfsi_csv *r)
{
    size_t i;

    for (i = r->pending_scanned; i < r->pending_len; i++)
        if (r->pending[i] == '"')
            r->pending_quoted = !r->pending_quoted;
        else if (!r->pending_quoted && (r->pending[i] == '\n' || r->pending[i] == '\r'))
            return 1;
    r->pending_scanned = r->pending_len;
    return 0;
}

static int settle_delimiter(rfsi_csv *r, rfs_error *err)
{
    int rc;

    r->delimiter = detect_delimiter(r->pending ? r->pending : "", r->pending_len);
    csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    rc = feed_lines(r, r->pending ? r->pending : "", r->pending_len, err);
    free(r->pending);
    r->pending = NULL;
    r->pending_len = r->pending_cap = r->pending_scanned = 0;
    return rc;
}

/* After the BOM: hold input until the header line is complete when detecting. */
static int feed_text(rfsi_csv *r, const char *data, size_t len, rfs_error *err)
{
    if (r->delimiter)
        return feed_lines(r, data, len, err);
    if (len) {
        if (r->pending_len + len > r->pending_cap) { /* doubling: small feeds copy linearly */
            size_t cap = r->pending_cap ? r->pending_cap : 4096;
            char *p;
            while (cap < r->pending_len + len)
                cap *= 2;
            if (!(p = realloc(r->pending, cap))) {
                r->failed = 1;
                return rfsi_nomem(err);
            }
            r->pending = p;
            r->pending_cap = cap;
        }
        memcpy(r->pending + r->pending_len, data, len);
        r->pending_len += len;
    }
    if (r->pending_len && (header_line_complete(r) || r->pending_len > RFS_MAX_FIELD))
        return settle_delimiter(r, err);
    return 0;
}

/* Windows-1252 0x80..0x9F (Latin-1 maps these to C1 controls). 0 marks the five
 * bytes Windows-1252 leaves undefined; they are kept as Latin-1. */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

static int convert(rfsi_csv *r, const char *data, size_t len, rfs_error *err)
{
    size_t i, n = 0;

    if (len > ((size_t)-1) / 3 - 1) {
        r->failed = 1;
        return rfsi_nomem(err);
    }
    if (len * 3 > r->conv_cap) {
        char *p = realloc(r->conv, len * 3);
        if (!p) {
            r->failed = 1;
            return rfsi_nomem(err);
        }
        r->conv = p;
        r->conv_cap = len * 3;
    }
    for (i = 0; i < len; i++) {
        unsigned c = (unsigned char)data[i];
        if (c >= 0x80 && c <= 0x9F && r->encoding == RFSI_ENC_CP1252 && cp1252_high[c - 0x80])
            c = cp1252_high[c - 0x80];
        if (c < 0x80) {
            r->conv[n++] = (char)c;
        } else if (c < 0x800) {
            r->conv[n++] = (char)(0xC0 | (c >> 6));
            r->conv[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            r->conv[n++] = (char)(0xE0 | (c >> 12));
            r->conv[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            r->conv[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    return (int)n; /* slices are at most 64 KiB: n fits */
}

/* UTF-8 bytes in: the BOM, then the text. */
static int feed_utf8(rfsi_csv *r, const char *data, size_t len, rfs_error *err)
{
    static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

    /* A UTF-8 BOM sticks to the first header name unless removed; it may arrive split
     * over chunks of any size. */
    while (!r->past_start && len) {
        if ((unsigned char)*data == bom[r->bom_seen]) {
            data++;
            len--;
            if (++r->bom_seen == 3)
                r->past_start = 1;
            continue;
        }
        r->past_start = 1;
        if (r->bom_seen && feed_text(r, (const char *)bom, r->bom_seen, err) < 0)
            return -1;
    }
    return feed_text(r, data, len, err);
}

int rfsi_csv_feed(rfsi_csv *r, const char *data, size_t len, rfs_error *err)
{
    if (r->failed || r->finished)
        return rfsi_fail(err, RFS_E_USAGE, r->name, 0, 0, "input fed after an error or after the end");
    r->err = err;
    if (r->encoding == RFSI_ENC_UTF8)
        return feed_utf8(r, data, len, err);
    while (len) { /* converted in slices, so the buffer stays small */
        size_t slice = len > 65536 ? 65536 : len;
        int n = convert(r, data, slice, err);
        if (n < 0 || feed_utf8(r, r->conv, (size_t)n, err) < 0)
            return -1;
        data += slice;
        len -= slice;
    }
    return 0;
}

int rfsi_csv_finish(rfsi_csv *r, rfs_error *err)
{
    if (r->failed)
        return -1;
    if (r->finished)
        return 0;
    r->err = err;
    if (!r->past_start && r->bom_seen) { /* input was a lone partial BOM */
        r->past_start = 1;
        if (feed_text(r, "\xEF\xBB", r->bom_seen, err) < 0)
            return -1;
    }
    if (!r->delimiter && settle_delimiter(r, err) < 0)
        return -1;
    if (r->utf8_need) {
        r->failed = 1;
        return rfsi_fail(err, RFS_E_DATA, r->name, r->line, r->utf8_lead_col,
                         "not UTF-8: the input ends inside a multi-byte character (byte 0x%02X)", r->utf8_lead);
    }
    r->finished = 1;
    /* The status must be read before csv_fini, which clears it and flushes a truncated
     * row (pitfall 5); with STRICT_FINI an open quote makes csv_fini return -1. */
    if (csv_fini(&r->parser, field_cb, record_cb, r) != 0 || csv_error(&r->parser) == CSV_EPARSE) {
        r->failed = 1;
        return rfsi_fail(err, RFS_E_DATA, r->name, r->record_line ? r->record_line : r->line, 0,
                         "unterminated quoted field at end of input (the quote opened on line %lu "
                         "was never closed)", r->record_line ? r->record_line : r->line);
    }
    if (r->stopped) {
        r->failed = 1;
        return -1;
    }
    return 0;
}

unsigned long rfsi_csv_record_line(const rfsi_csv *r)
{
    return r->record_line;
}

unsigned long rfsi_csv_line(const rfsi_csv *r)
{
    return r->line;
}

const char *rfsi_csv_name(const rfsi_csv *r)
{
    return r->name;
}

int rfsi_csv_at_line_start(const rfsi_csv *r)
{
    return !r->failed && !r->stopped && !r->finished && r->past_start && r->delimiter && !r->pending_len &&
           !r->open && r->nfields == 0 && r->line_offset == 0 && !r->after_cr && !r->utf8_need;
}

void rfsi_csv_resume(rfsi_csv *r, unsigned long line)
{
    r->line = r->record_line = line;
    r->past_start = 1;
    r->bom_seen = 0;
    r->line_offset = 0;
    r->after_cr = 0;
}

unsigned long rfsi_csv_field_column(const rfsi_csv *r, size_t col)
{
    size_t i = 0, field = 0;
    int quoted = 0;

    if (!r->seg || r->line_offset != 0 || r->record_line != r->line)
        return 0;
    for (; i < r->seg_len && field < col; i++) {
        char c = r->seg[i];
        if (c == '"')
            quoted = !quoted; /* "" inside quotes toggles twice: no net change */
        else if (c == r->delimiter && !quoted)
            field++;
        else if ((c == '\n' || c == '\r') && !quoted)
            break;
    }
    return field == col ? (unsigned long)i + 1 : 0;
}

unsigned long rfsi_csv_end_column(const rfsi_csv *r)
{
    size_t n;

    if (!r->seg)
        return 0;
    n = r->seg_len;
    while (n && (r->seg[n - 1] == '\n' || r->seg[n - 1] == '\r'))
        n--;
    return r->line_offset + n + 1;
}

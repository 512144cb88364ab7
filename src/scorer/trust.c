/* Warnings that catch a wrong key, from the one pass over the scored rows: the answers
 * never reach an end of the key's range (a shorter version of the scale scored with the
 * long key: range_unused), and an item that correlates negatively with the rest of its
 * scale (a wrong column order or a missing reversal: item_total_negative). Both need at
 * least RFSI_TRUST_MIN_ROWS rows, so a handful of respondents never sets them off. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/json.h"
#include "output/numfmt.h"
#include "scorer.h"

#define RFSI_TRUST_MIN_ROWS 30

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

static int range_unused(rfs_scorer *s, size_t i)
{
    const inst_state *st = &s->insts[i];
    const rfs_instrument *inst = st->inst;
    int top = st->seen_max < inst->max, bottom = st->seen_min > inst->min;
    rfsi_warning *w;

    if (st->range_full || st->answered_rows < RFSI_TRUST_MIN_ROWS || st->seen_min > st->seen_max)
        return 0;
    w = rfsi_warning_add(&s->warnings, "range_unused", i,
                         "%s: in %llu answered rows every answer is within %ld..%ld, never %s of the key's "
                         "range %ld..%ld: if the data are a shorter version of the scale, these scores are "
                         "wrong (check the version)", inst->id, st->answered_rows, st->seen_min, st->seen_max,
                         top && bottom ? "either end" : top ? "the top" : "the bottom", inst->min, inst->max);
    if (!w || rfsi_warning_num(w, "seen_min", (double)st->seen_min) < 0 ||
        rfsi_warning_num(w, "seen_max", (double)st->seen_max) < 0 ||
        rfsi_warning_num(w, "key_min", (double)inst->min) < 0 ||
        rfsi_warning_num(w, "key_max", (double)inst->max) < 0 ||
        rfsi_warning_num(w, "rows", (double)st->answered_rows) < 0)
        return -1;
    return 0;
}

/* One warning per scale, naming every item with a negative r.drop (as read: the data's
 * column) and its value. */
static int item_total_negative(rfs_scorer *s, size_t i)
{
    const inst_state *st = &s->insts[i];
    const rfs_instrument *inst = st->inst;
    rfsi_buf names = {0}, cols = {0}, vals = {0};
    size_t k, j;
    int rc = 0;

    for (k = 0; k < inst->n_scales && rc == 0; k++) {
        const rfsi_scale *sc = &inst->scales[k];
        unsigned long long n = rfsi_itemtotal_rows(st->itemtotal, k);
        size_t found = 0;
        rfsi_warning *w;
        if (n < RFSI_TRUST_MIN_ROWS || sc->n_items < 2)
            continue;
        names.len = cols.len = vals.len = 0;
        rc |= rfsi_buf_putc(&cols, '[') | rfsi_buf_putc(&vals, '[');
        for (j = 0; j < sc->n_items; j++) {
            double r = rfsi_itemtotal_r_drop(st->itemtotal, k, j);
            const char *col = st->item_headers[sc->items[j]];
            char num[RFSI_NUMFMT_MAX];
            if (!(r < 0))
                continue;
            rc |= bprintf(&names, "%s%s (r.drop %.2f)", found ? ", " : "", col, r);
            rc |= rfsi_buf_puts(&cols, found ? ", " : "") | rfsi_json_string(&cols, col, strlen(col));
            rc |= rfsi_buf_puts(&vals, found ? ", " : "") | rfsi_buf_append(&vals, num, rfsi_fmt_double(num, r));
            found++;
        }
        rc |= rfsi_buf_putc(&cols, ']') | rfsi_buf_putc(&vals, ']');
        if (!found || rc)
            continue;
        w = rfsi_warning_add(&s->warnings, "item_total_negative", i,
                             "%s scale %s: %s %s negatively with the rest of the scale over %llu complete rows: "
                             "a wrong column order or a missing reversal? (check with --dry-run and the key)",
                             inst->id, sc->id, names.data, found > 1 ? "correlate" : "correlates", n);
        if (!w || rfsi_warning_str(w, "scale", sc->id) < 0 || rfsi_warning_json(w, "items", cols.data) < 0 ||
            rfsi_warning_json(w, "r_drop", vals.data) < 0 || rfsi_warning_num(w, "rows", (double)n) < 0)
            rc = -1;
    }
    rfsi_buf_free(&names);
    rfsi_buf_free(&cols);
    rfsi_buf_free(&vals);
    return rc;
}

int rfsi_trust_warn(rfs_scorer *s)
{
    size_t i;

    for (i = 0; i < s->n_insts; i++)
        if (range_unused(s, i) < 0 || item_total_negative(s, i) < 0)
            return rfsi_nomem(s->err);
    return 0;
}

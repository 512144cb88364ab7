/* Per item column over the run: answers, invalid cells, the commonest invalid texts;
 * and at the end the column_mostly_invalid warning, for a column most of whose filled
 * cells are not answers (the wrong instrument, answer text without labels, a shifted
 * column): every one of those rows is flagged, but the run as a whole must say so. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "colstats.h"
#include "scorer.h"
#include "warnings.h"

void rfsi_colstats_invalid(rfsi_colstats *c, const char *text, size_t len)
{
    size_t i;

    c->invalid++;
    if (len > RFSI_TALLY_TEXT)
        len = RFSI_TALLY_TEXT;
    for (i = 0; i < c->n_tally; i++)
        if (c->tally[i].len == len && memcmp(c->tally[i].text, text, len) == 0) {
            c->tally[i].count++;
            return;
        }
    if (c->n_tally == RFSI_TALLY_SLOTS) {
        c->untallied++;
        return;
    }
    memcpy(c->tally[c->n_tally].text, text, len);
    c->tally[c->n_tally].len = (unsigned char)len;
    c->tally[c->n_tally++].count = 1;
}

static int by_count(const void *a, const void *b)
{
    const rfsi_tally *x = a, *y = b;

    return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

/* A tallied text for messages and JSON: control bytes as '?', "..." when cut. */
static void shown(const rfsi_tally *t, char *out)
{
    size_t i;

    for (i = 0; i < t->len; i++)
        out[i] = ((unsigned char)t->text[i] < 0x20 || t->text[i] == 0x7f) ? '?' : t->text[i];
    if (t->len == RFSI_TALLY_TEXT)
        memcpy(out + i, "...", 3), i += 3;
    out[i] = '\0';
}

#define SHOWN_VALUES 3

static int warn_column(rfs_scorer *s, size_t i, size_t k)
{
    inst_state *st = &s->insts[i];
    const rfs_instrument *inst = st->inst;
    rfsi_colstats *c = &st->colstats[k];
    unsigned long long filled = c->answered + c->invalid + c->typed;
    rfsi_buf list = {0}, json = {0};
    char text[RFSI_TALLY_TEXT + 4];
    rfsi_warning *w;
    size_t v;
    int rc = rfsi_buf_putc(&json, '[');

    qsort(c->tally, c->n_tally, sizeof *c->tally, by_count);
    for (v = 0; v < c->n_tally && v < SHOWN_VALUES; v++) {
        shown(&c->tally[v], text);
        rc |= rfsi_buf_puts(&list, v ? ", \"" : "\"") | rfsi_buf_puts(&list, text) | rfsi_buf_puts(&list, "\" (");
        rc |= rfsi_buf_puts(&json, v ? ", {\"value\": " : "{\"value\": ") | rfsi_json_string(&json, text, strlen(text));
        {
            char num[32];
            snprintf(num, sizeof num, "%llu", c->tally[v].count);
            rc |= rfsi_buf_puts(&list, num) | rfsi_buf_putc(&list, ')');
            rc |= rfsi_buf_puts(&json, ", \"count\": ") | rfsi_buf_puts(&json, num) | rfsi_buf_putc(&json, '}');
        }
    }
    rc |= rfsi_buf_putc(&json, ']');
    w = rc ? NULL
           : rfsi_warning_add(&s->warnings, "column_mostly_invalid", i,
                              "%s: column \"%s\" (item %zu): %llu of %llu filled cells are not answers (%ld..%ld%s "
                              "or a missing code); commonest: %s", inst->id, st->item_headers[k], k + 1, c->invalid,
                              filled, inst->min, inst->max, inst->n_values ? ", a value label" : "",
                              list.data ? list.data : "none");
    rc = !w || rfsi_warning_str(w, "column", st->item_headers[k]) < 0 || rfsi_warning_num(w, "item", (double)(k + 1)) < 0 ||
         rfsi_warning_num(w, "filled", (double)filled) < 0 || rfsi_warning_num(w, "invalid", (double)c->invalid) < 0 ||
         rfsi_warning_json(w, "values", json.data) < 0;
    rfsi_buf_free(&list);
    rfsi_buf_free(&json);
    return rc ? rfsi_nomem(s->err) : 0;
}

int rfsi_colstats_warn(rfs_scorer *s)
{
    size_t i, k;

    for (i = 0; i < s->n_insts; i++) {
        inst_state *st = &s->insts[i];
        if (st->plain_none) { /* rows of plain cells count their answers here (row.c) */
            for (k = 0; k < st->inst->n_items; k++) {
                st->colstats[k].answered += st->plain_rows - st->plain_none[k];
                st->plain_none[k] = 0;
            }
            st->plain_rows = 0;
        }
        for (k = 0; k < st->inst->n_items; k++) {
            const rfsi_colstats *c = &st->colstats[k];
            /* most: more than half of the cells that hold anything */
            if (c->invalid && c->invalid * 2 > c->answered + c->invalid + c->typed && warn_column(s, i, k) < 0)
                return -1;
        }
    }
    return 0;
}

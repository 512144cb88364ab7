#include "flags.h"

#include <string.h>

#include "output/numfmt.h"

#define FLAG_VALUE_MAX 32 /* bytes of a cell quoted in a flag */

void rfsi_thresholds_from(const rfs_instrument *inst, rfsi_thresholds *out)
{
    const rfsi_validity *va = &inst->validity;

    out->has_longstring_max = va->has_longstring_max;
    out->longstring_max = va->longstring_max;
    out->has_irv_min = va->has_irv_min;
    out->irv_min = va->irv_min;
    out->even_odd_min = va->even_odd_min;
    out->synonyms_min = va->synonyms_min;
    out->antonyms_max = va->antonyms_max;
    out->seconds_per_item = va->seconds_per_item;
    out->invalid_mask = va->invalid_mask;
}

typedef struct builder {
    rfsi_buf *out;
    int rc;
    long kinds;
} builder;

static void start(builder *b, rfsi_flag_kind kind)
{
    b->kinds |= 1L << kind;
    if (b->out->len)
        b->rc |= rfsi_buf_putc(b->out, ';');
    b->rc |= rfsi_buf_puts(b->out, rfsi_flag_name(kind));
}

static void text(builder *b, const char *s)
{
    b->rc |= rfsi_buf_puts(b->out, s);
}

static void num(builder *b, double v)
{
    char tmp[RFSI_NUMFMT_MAX];
    b->rc |= rfsi_buf_append(b->out, tmp, rfsi_fmt_double(tmp, v));
}

/* Text from the input (a column name, a cell), with ';', '=' and control bytes shown as
 * '?' so the list stays parseable. */
static void input_text(builder *b, const char *v, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        b->rc |= rfsi_buf_putc(b->out, (c < 0x20 || c == 0x7f || c == ';' || c == '=') ? '?' : (char)c);
    }
}

static void name(builder *b, const char *s)
{
    input_text(b, s, strlen(s));
}

/* A cell's text, cut at a character boundary (input is UTF-8 by now). */
static void cell(builder *b, const char *v, size_t len)
{
    if (len > FLAG_VALUE_MAX) {
        len = FLAG_VALUE_MAX;
        while (len && ((unsigned char)v[len] & 0xC0) == 0x80)
            len--;
    }
    input_text(b, v, len);
}

long rfsi_flags_build(const rfs_instrument *inst, const rfsi_thresholds *th, const rfsi_row_facts *row,
                      rfsi_buf *out)
{
    const rfsi_validity *va = &inst->validity;
    const rfsi_indices *ix = row->ix;
    builder b = {out, 0, 0};
    size_t i, answered = 0;

    out->len = 0;
    for (i = 0; i < inst->n_items; i++)
        answered += row->resp[i].state == RFSI_ANSWER;
    if (answered == 0)
        start(&b, RFSI_FLAG_EMPTY_ROW);
    if (row->id_count > 1) {
        start(&b, RFSI_FLAG_DUPLICATE_ID);
        text(&b, ":");
        num(&b, (double)row->id_count);
    }
    for (i = 0; i < inst->n_items; i++)
        if (row->resp[i].state == RFSI_INVALID) {
            start(&b, RFSI_FLAG_INVALID_ANSWER);
            text(&b, ":");
            name(&b, row->item_names[i]);
            text(&b, "=");
            cell(&b, row->text + row->bad_off[i], row->bad_len[i]);
        }
    for (i = 0; i < inst->n_items; i++)
        if (row->resp[i].state == RFSI_MISSING && row->resp[i].missing_type) {
            start(&b, RFSI_FLAG_MISSING);
            text(&b, ":");
            name(&b, row->item_names[i]);
            text(&b, "=");
            text(&b, row->missing_types[row->resp[i].missing_type - 1]);
        }
    for (i = 0; i < va->n_attention; i++) {
        const rfsi_response *r = &row->resp[va->attention[i].item];
        if (r->state == RFSI_ANSWER && r->value == va->attention[i].expected)
            continue;
        start(&b, RFSI_FLAG_ATTENTION);
        text(&b, ":");
        name(&b, row->item_names[va->attention[i].item]);
        text(&b, "=");
        if (r->state == RFSI_ANSWER)
            num(&b, (double)r->value);
        else
            text(&b, r->state == RFSI_MISSING ? "missing" : "invalid");
    }
    for (i = 0; i < inst->n_scales; i++)
        if (row->res[i].status == RFSI_STATUS_TOO_FEW_ITEMS) {
            const rfsi_scale *sc = &inst->scales[i];
            start(&b, RFSI_FLAG_TOO_FEW_ITEMS);
            text(&b, ":");
            text(&b, sc->id);
            text(&b, "=");
            num(&b, (double)row->res[i].n);
            text(&b, "<");
            num(&b, (double)(sc->kind == RFSI_SCORE_SUM ? sc->n_items : row->min_answered[i]));
        }
    if (th->has_longstring_max && ix->longstring > (size_t)th->longstring_max) {
        start(&b, RFSI_FLAG_LONGSTRING);
        text(&b, ":");
        num(&b, (double)ix->longstring);
        text(&b, ">");
        num(&b, (double)th->longstring_max);
    }
    if (th->has_irv_min && ix->has_irv && ix->irv < th->irv_min) {
        start(&b, RFSI_FLAG_IRV);
        text(&b, ":");
        num(&b, ix->irv);
        text(&b, "<");
        num(&b, th->irv_min);
    }
    if (ix->has_even_odd && ix->even_odd < th->even_odd_min) {
        start(&b, RFSI_FLAG_EVEN_ODD);
        text(&b, ":");
        num(&b, ix->even_odd);
        text(&b, "<");
        num(&b, th->even_odd_min);
    }
    if (ix->has_synonyms && ix->synonyms < th->synonyms_min) {
        start(&b, RFSI_FLAG_SYNONYMS);
        text(&b, ":");
        num(&b, ix->synonyms);
        text(&b, "<");
        num(&b, th->synonyms_min);
    }
    if (ix->has_antonyms && ix->antonyms > th->antonyms_max) {
        start(&b, RFSI_FLAG_ANTONYMS);
        text(&b, ":");
        num(&b, ix->antonyms);
        text(&b, ">");
        num(&b, th->antonyms_max);
    }
    if (row->has_duration && row->duration < th->seconds_per_item * (double)inst->n_items) {
        start(&b, RFSI_FLAG_TOO_FAST);
        text(&b, ":");
        num(&b, row->duration);
        text(&b, "<");
        num(&b, th->seconds_per_item * (double)inst->n_items);
    }
    return b.rc ? -1 : b.kinds;
}

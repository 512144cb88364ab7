/* rfs_instrument_describe: the key in readable form, for `rfscore show`. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "instrument.h"
#include "rfscore.h"

static void add(rfsi_buf *b, int *rc, const char *fmt, ...) RFS_PRINTF(3, 4);


static void add(rfsi_buf *b, int *rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(b, fmt, ap) < 0)
        *rc = -1;
    va_end(ap);
}

static const char *kind_text(rfsi_score_kind k)
{
    switch (k) {
    case RFSI_SCORE_MEAN: return "mean of the answered items";
    case RFSI_SCORE_SUM: return "sum (every item must be answered)";
    case RFSI_SCORE_PRORATED_SUM: return "prorated sum: sum x items / answered";
    }
    return "?";
}

static void item_list(rfsi_buf *b, int *rc, const rfsi_scale *sc, const unsigned char *mask)
{
    size_t j, shown = 0;

    for (j = 0; j < sc->n_items; j++)
        if (!mask || mask[j])
            add(b, rc, "%s%zu", shown++ ? ", " : "", sc->items[j] + 1);
    if (!shown)
        add(b, rc, "none");
}

/* The minimum-answered rule as describe() words it: "all 6 items" or "5 of 6". */
static void rule_words(const rfs_instrument *inst, const rfsi_scale *sc, char *rule, size_t size)
{
    if (sc->kind == RFSI_SCORE_SUM)
        snprintf(rule, size, "all %zu items", sc->n_items);
    else
        rfsi_min_rule_format(sc->has_min_rule ? sc->min_rule : inst->min_rule, sc->n_items, rule, size);
}

int rfsi_scale_rule_text(const rfs_instrument *inst, size_t scale, size_t min_answered, rfsi_buf *out)
{
    const rfsi_scale *sc = &inst->scales[scale];
    char rule[128];
    int rc = 0;

    add(out, &rc, "%zu items (", sc->n_items);
    item_list(out, &rc, sc, NULL);
    add(out, &rc, "); score: %s", kind_text(sc->kind));
    if (memchr(sc->reversed, 1, sc->n_items)) {
        add(out, &rc, "; reversed (x -> %ld - x): ", inst->min + inst->max);
        item_list(out, &rc, sc, sc->reversed);
    }
    if (sc->recode >= 0) {
        const rfsi_recode *map = &inst->recodes[sc->recode];
        size_t r, range = (size_t)(inst->max - inst->min + 1);
        add(out, &rc, "; recoded by %s (after reversal):", map->name);
        for (r = 0; r < range; r++)
            add(out, &rc, " %ld->%ld", inst->min + (long)r, map->map[r]);
        add(out, &rc, ", items ");
        item_list(out, &rc, sc, sc->recoded);
    }
    rule_words(inst, sc, rule, sizeof rule);
    if (sc->kind != RFSI_SCORE_SUM && min_answered != sc->min_answered)
        add(out, &rc, "; scored when at least %zu of %zu are answered (set by --min-answered; the definition "
            "says %s)", min_answered, sc->n_items, rule);
    else if (sc->kind == RFSI_SCORE_SUM)
        add(out, &rc, "; scored when %s are answered", rule);
    else
        add(out, &rc, "; scored when at least %s are answered%s", rule, sc->has_min_rule ? "" : " (rfscore's default)");
    return rc;
}

char *rfs_instrument_describe(const rfs_instrument *inst)
{
    rfsi_buf b = {0};
    int rc = 0;
    size_t i, j, r, range;
    char rule[128];

    if (!inst)
        return NULL;
    range = (size_t)(inst->max - inst->min + 1);

    add(&b, &rc, "%s: %s (definition version %s)\n", inst->id, inst->name, inst->version);
    add(&b, &rc, "Source:   %s\nDOI:      %s\n", inst->citation, inst->doi);
    if (inst->license[0])
        add(&b, &rc, "License:  %s\n", inst->license);
    add(&b, &rc, "File:     %s\n\n", inst->path);
    add(&b, &rc, "Items:    %zu, answered %ld..%ld", inst->n_items, inst->min, inst->max);
    {
        size_t shown = 0;
        for (i = 0; i < inst->n_values; i++)
            if (inst->values[i].origin != RFSI_LABEL_SET)
                add(&b, &rc, "%s%ld = %s", shown++ ? ", " : " (", inst->values[i].code, inst->values[i].label);
        if (inst->label_set)
            add(&b, &rc, "%sand the %s wordings", shown++ ? "; " : " (", inst->label_set);
        add(&b, &rc, "%s\n", shown ? ")" : "");
    }
    add(&b, &rc, "Columns:  %s .. %s\n", inst->items[0].column, inst->items[inst->n_items - 1].column);
    add(&b, &rc, "Missing:  empty, NA, N/A, .");
    for (i = 0; i < inst->n_missing_codes; i++)
        add(&b, &rc, ", %s (%s)", inst->missing_codes[i].text, inst->missing_types[inst->missing_codes[i].type]);
    add(&b, &rc, "\n          Missing answers never count as 0. Anything else outside %ld..%ld is an "
        "invalid answer: flagged, and scored as missing.\n", inst->min, inst->max);

    for (i = 0; i < inst->n_scales; i++) {
        const rfsi_scale *sc = &inst->scales[i];
        add(&b, &rc, "\nScale %s_%s: %s\n", inst->id, sc->id, sc->name[0] ? sc->name : sc->id);
        add(&b, &rc, "  items:     ");
        item_list(&b, &rc, sc, NULL);
        add(&b, &rc, "\n  reversed:  ");
        item_list(&b, &rc, sc, sc->reversed);
        if (memchr(sc->reversed, 1, sc->n_items))
            add(&b, &rc, " (x -> %ld - x)", inst->min + inst->max);
        if (sc->recode >= 0) {
            const rfsi_recode *rc_map = &inst->recodes[sc->recode];
            add(&b, &rc, "\n  recode %s (after reversal) on items ", rc_map->name);
            item_list(&b, &rc, sc, sc->recoded);
            add(&b, &rc, ":");
            for (r = 0; r < range; r++)
                add(&b, &rc, " %ld->%ld", inst->min + (long)r, rc_map->map[r]);
        }
        if (sc->weights) {
            add(&b, &rc, "\n  weights:   ");
            for (j = 0; j < sc->n_items; j++)
                add(&b, &rc, "%sitem %zu x %+ld", j ? ", " : "", sc->items[j] + 1, sc->weights[j]);
            add(&b, &rc, " (after reversal and recode)");
        }
        add(&b, &rc, "\n  score:     %s\n", kind_text(sc->kind));
        add(&b, &rc, "  range:     %g..%g%s\n", sc->range_lo, sc->range_hi,
            sc->pomp ? "; also as POMP 0..100 (column _pomp)" : "");
        rule_words(inst, sc, rule, sizeof rule);
        add(&b, &rc, "  scored when at least %s are answered%s\n", rule,
            sc->has_min_rule || sc->kind == RFSI_SCORE_SUM ? "" : " (instrument default)");
        add(&b, &rc, "  effective value per answer:\n");
        for (j = 0; j < sc->n_items; j++) {
            add(&b, &rc, "    item %-3zu", sc->items[j] + 1);
            for (r = 0; r < range; r++)
                add(&b, &rc, " %ld->%ld", inst->min + (long)r, sc->table[j * range + r]);
            add(&b, &rc, "\n");
        }
    }
    for (i = 0; i < inst->n_derived; i++) {
        const rfsi_derived *d = &inst->derived[i];
        add(&b, &rc, "\nDerived %s_%s: %s\n  %s of ", inst->id, d->id, d->name[0] ? d->name : d->id,
            d->kind == RFSI_SCORE_MEAN ? "mean" : "sum");
        for (j = 0; j < d->n; j++)
            add(&b, &rc, "%s%s", j ? ", " : "", rfsi_score_id(inst, d->components[j]));
        if (d->weights) {
            add(&b, &rc, "; weights");
            for (j = 0; j < d->n; j++)
                add(&b, &rc, " %s x %+ld", rfsi_score_id(inst, d->components[j]), d->weights[j]);
        }
        add(&b, &rc, "; scored only when every component is scored\n  range:     %g..%g%s\n", d->range_lo,
            d->range_hi, d->pomp ? "; also as POMP 0..100 (column _pomp)" : "");
    }
    for (i = 0; i < inst->n_bandsets; i++) {
        const rfsi_bandset *bs = &inst->bandsets[i];
        add(&b, &rc, "\nBands of %s_%s (column %s_%s_band; empty when not scored or in no band):\n", inst->id,
            rfsi_score_id(inst, bs->score), inst->id, rfsi_score_id(inst, bs->score));
        for (j = 0; j < bs->n; j++)
            add(&b, &rc, "  %-20s %g..%g\n", bs->bands[j].name, bs->bands[j].lo, bs->bands[j].hi);
        add(&b, &rc, "  source: %s\n", bs->source);
    }
    for (i = 0; i < inst->n_norms; i++) {
        const rfsi_norms *nm = &inst->norms[i];
        add(&b, &rc, "\nNorms %s_%s: %s of %s_%s from %s (%zu rows", inst->id, nm->id,
            nm->kind == RFSI_NORM_T_SCORE ? "T-score" : "percentile", inst->id, rfsi_score_id(inst, nm->score),
            nm->table, nm->n_rows);
        for (j = 0; j < nm->n_groups; j++)
            add(&b, &rc, "%s%s", j ? ", " : "; by ", nm->group_columns[j]);
        add(&b, &rc, "); outside the table: status outside_norms, never extrapolated\n  norm sample: %s\n",
            nm->source);
    }
    {
        const rfsi_validity *va = &inst->validity;
        add(&b, &rc, "\nValidity: longstring and IRV columns always;");
        if (va->has_longstring_max)
            add(&b, &rc, " longstring flagged above %ld;", va->longstring_max);
        if (va->has_irv_min)
            add(&b, &rc, " IRV flagged below %g;", va->irv_min);
        if (va->n_even_odd >= 2) {
            add(&b, &rc, " even-odd over");
            for (j = 0; j < va->n_even_odd; j++)
                add(&b, &rc, " %s", inst->scales[va->even_odd_scales[j]].id);
            add(&b, &rc, ", flagged below %g;", va->even_odd_min);
        }
        if (va->n_synonyms)
            add(&b, &rc, " %zu synonym pairs, flagged below %g;", va->n_synonyms, va->synonyms_min);
        if (va->n_antonyms)
            add(&b, &rc, " %zu antonym pairs, flagged above %g;", va->n_antonyms, va->antonyms_max);
        for (j = 0; j < va->n_attention; j++)
            add(&b, &rc, " attention check: item %zu must be %ld;", va->attention[j].item + 1, va->attention[j].expected);
        add(&b, &rc, " too fast below %g s per item with --duration.\n", va->seconds_per_item);
    }
    add(&b, &rc, "\nItem labels:\n");
    for (i = 0; i < inst->n_items; i++) {
        const rfsi_item *it = &inst->items[i];
        add(&b, &rc, "  %3zu  %-16s %s", i + 1, it->column, it->label);
        if (it->n_categories) {
            add(&b, &rc, " [categorical, column %s_%s:", inst->id, it->output ? it->output : "?");
            for (j = 0; j < it->n_categories; j++)
                add(&b, &rc, " %zu = %s%s", j + 1, it->categories[j], j + 1 < it->n_categories ? "," : "]");
        } else if (it->min != inst->min || it->max != inst->max) {
            add(&b, &rc, " [answered %ld..%ld]", it->min, it->max);
        }
        add(&b, &rc, "\n");
    }
    if (inst->note[0])
        add(&b, &rc, "\nNote: %s\n", inst->note);
    if (rc) {
        rfsi_buf_free(&b);
        return NULL;
    }
    return b.data;
}

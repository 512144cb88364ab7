/* rfs_codebook: a data dictionary of the output columns (name, label, type, range, how
 * computed, source), as Markdown, CSV, or a REDCap data dictionary whose fields match
 * `rfscore score --format redcap`. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "definition/instrument.h"
#include "output/numfmt.h"
#include "rfscore.h"
#include "scoring/score.h"

enum { CB_MARKDOWN, CB_CSV, CB_REDCAP };

typedef struct column {
    char name[96];
    char label[256];
    const char *type;      /* number, integer, text, 0/1 */
    char range[80];
    char lo[32], hi[32];   /* REDCap validation bounds, when numeric */
    char how[1200];
    const char *source;
    const char *choices;   /* REDCap dropdown choices, or NULL */
} column;

typedef struct cb {
    rfsi_buf out;
    int format;
    int rc;
} cb;

static void add(cb *c, const char *fmt, ...) RFS_PRINTF(2, 3);

static void add(cb *c, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(&c->out, fmt, ap) < 0)
        c->rc = -1;
    va_end(ap);
}

/* A CSV field, always quoted (REDCap's own dictionaries quote every cell). */
static void csv(cb *c, const char *v, int last)
{
    add(c, "\"");
    for (; *v; v++)
        add(c, *v == '"' ? "\"\"" : "%c", *v);
    add(c, last ? "\"\n" : "\",");
}

static void md(cb *c, const char *v, int last)
{
    for (; *v; v++)
        add(c, *v == '|' ? "\\|" : "%c", *v);
    add(c, last ? " |\n" : " | ");
}

static void emit(cb *c, const column *col)
{
    if (c->format == CB_MARKDOWN) {
        add(c, "| ");
        md(c, col->name, 0);
        md(c, col->label, 0);
        md(c, col->type, 0);
        md(c, col->range, 0);
        md(c, col->how, 0);
        md(c, col->source, 1);
    } else if (c->format == CB_CSV) {
        csv(c, col->name, 0);
        csv(c, col->label, 0);
        csv(c, col->type, 0);
        csv(c, col->range, 0);
        csv(c, col->how, 0);
        csv(c, col->source, 1);
    } else {
        /* Variable, Form, Section, Type, Label, Choices, Note, Validation, Min, Max,
         * Identifier, Branching, Required, Alignment, Question number, Matrix group,
         * Matrix ranking, Annotation */
        const char *type = col->choices ? (strcmp(col->type, "0/1") == 0 ? "yesno" : "dropdown")
                                        : strcmp(col->type, "text") == 0 && strstr(col->name, "_flags") ? "notes" : "text";
        const char *validation = col->choices || strcmp(col->type, "text") == 0 ? ""
                                 : strcmp(col->type, "integer") == 0     ? "integer" : "number";
        const char *min = *validation ? col->lo : "", *max = *validation ? col->hi : "";
        csv(c, col->name, 0);
        csv(c, "scores", 0);
        csv(c, "", 0);
        csv(c, type, 0);
        csv(c, col->label, 0);
        csv(c, strcmp(type, "yesno") == 0 ? "" : col->choices ? col->choices : "", 0);
        csv(c, col->how, 0);
        csv(c, validation, 0);
        csv(c, min, 0);
        csv(c, max, 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "", 0);
        csv(c, "@READONLY", 1);
    }
}

static void num(char *out, double v)
{
    rfsi_fmt_double(out, v);
}

static void item_list(char *out, size_t size, const rfsi_scale *sc, const unsigned char *mask)
{
    size_t j, used = 0;

    out[0] = '\0';
    for (j = 0; j < sc->n_items && used + 8 < size; j++)
        if (!mask || mask[j])
            used += (size_t)snprintf(out + used, size - used, "%s%zu", used ? ", " : "", sc->items[j] + 1);
}

/* The possible range of score i, as the model computed it from the items' declared
 * ranges, reversals, recodes and weights (docs/instrument-format.md). */
static void score_range(const rfs_instrument *inst, size_t i, double *lo, double *hi)
{
    rfsi_score_range(inst, i, lo, hi);
}

/* The columns derived from the scores, in the order output.c writes them: POMP, bands,
 * categorical items, norms. */
static void transform_columns(cb *c, const rfs_instrument *inst, const char *source)
{
    static const char *const norm_choices =
        "ok, ok | not_scored, not_scored | no_norm_group, no_norm_group | outside_norms, outside_norms";
    char lo[32], hi[32], choices[600];
    column col;
    size_t k, j;

    for (k = 0; k < inst->n_scales + inst->n_derived; k++) {
        const char *name = k < inst->n_scales ? inst->scales[k].name : inst->derived[k - inst->n_scales].name;
        double a, b;
        if (!rfsi_score_pomp(inst, k))
            continue;
        memset(&col, 0, sizeof col);
        score_range(inst, k, &a, &b);
        num(lo, a);
        num(hi, b);
        snprintf(col.name, sizeof col.name, "%s_%s_pomp", inst->id, rfsi_score_id(inst, k));
        snprintf(col.label, sizeof col.label, "%s: POMP 0-100", name[0] ? name : rfsi_score_id(inst, k));
        col.type = "number";
        snprintf(col.range, sizeof col.range, "0..100");
        snprintf(col.lo, sizeof col.lo, "0");
        snprintf(col.hi, sizeof col.hi, "100");
        snprintf(col.how, sizeof col.how, "100 x (score - %s) / (%s - %s), from the score's declared range; "
                 "empty when not scored", lo, hi, lo);
        col.source = source;
        emit(c, &col);
    }
    for (k = 0; k < inst->n_bandsets; k++) {
        const rfsi_bandset *bs = &inst->bandsets[k];
        const char *id = rfsi_score_id(inst, bs->score);
        size_t used = 0;
        memset(&col, 0, sizeof col);
        choices[0] = '\0';
        snprintf(col.name, sizeof col.name, "%s_%s_band", inst->id, id);
        snprintf(col.label, sizeof col.label, "%s_%s: cut-off band", inst->id, id);
        col.type = "text";
        for (j = 0; j < bs->n; j++) {
            num(lo, bs->bands[j].lo);
            num(hi, bs->bands[j].hi);
            snprintf(col.range + strlen(col.range), sizeof col.range - strlen(col.range), "%s%s", j ? ", " : "",
                     bs->bands[j].name);
            snprintf(col.how + strlen(col.how), sizeof col.how - strlen(col.how), "%s%s = %s..%s", j ? ", " : "",
                     bs->bands[j].name, lo, hi);
            used += (size_t)snprintf(choices + used, used < sizeof choices ? sizeof choices - used : 0, "%s%s, %s",
                                     j ? " | " : "", bs->bands[j].name, bs->bands[j].name);
        }
        snprintf(col.how + strlen(col.how), sizeof col.how - strlen(col.how),
                 " (edges included); empty when not scored or in no band");
        col.source = bs->source;
        col.choices = used < sizeof choices ? choices : NULL;
        emit(c, &col);
    }
    for (k = 0; k < inst->n_items; k++) {
        const rfsi_item *it = &inst->items[k];
        if (!it->output)
            continue;
        memset(&col, 0, sizeof col);
        snprintf(col.name, sizeof col.name, "%s_%s", inst->id, it->output);
        snprintf(col.label, sizeof col.label, "%s", it->label[0] ? it->label : it->output);
        col.type = "text";
        for (j = 0; j < it->n_categories; j++)
            snprintf(col.range + strlen(col.range), sizeof col.range - strlen(col.range), "%s%s", j ? ", " : "",
                     it->categories[j]);
        snprintf(col.how, sizeof col.how, "the category chosen in item %zu (column %s), as named in the "
                 "definition; empty when unanswered or invalid", k + 1, it->column);
        col.source = source;
        emit(c, &col);
    }
    for (k = 0; k < inst->n_norms; k++) {
        const rfsi_norms *nm = &inst->norms[k];
        memset(&col, 0, sizeof col);
        snprintf(col.name, sizeof col.name, "%s_%s", inst->id, nm->id);
        snprintf(col.label, sizeof col.label, "%s_%s: %s", inst->id, rfsi_score_id(inst, nm->score),
                 nm->kind == RFSI_NORM_T_SCORE ? "T-score" : "percentile");
        col.type = "number";
        if (nm->kind == RFSI_NORM_PERCENTILE) {
            snprintf(col.range, sizeof col.range, "0..100");
            snprintf(col.lo, sizeof col.lo, "0");
            snprintf(col.hi, sizeof col.hi, "100");
        }
        snprintf(col.how, sizeof col.how, "looked up in %s%s%s; never extrapolated (see the _status column)",
                 nm->table, nm->n_groups ? " by " : "", nm->n_groups ? nm->group_columns[0] : "");
        for (j = 1; j < nm->n_groups; j++)
            snprintf(col.how + strlen(col.how), sizeof col.how - strlen(col.how), ", %s", nm->group_columns[j]);
        col.source = nm->source;
        emit(c, &col);
        snprintf(col.name, sizeof col.name, "%s_%s_status", inst->id, nm->id);
        snprintf(col.label, sizeof col.label, "%s_%s: norm status", inst->id, nm->id);
        col.type = "text";
        snprintf(col.range, sizeof col.range, "ok, not_scored, no_norm_group, outside_norms");
        col.lo[0] = col.hi[0] = '\0';
        snprintf(col.how, sizeof col.how, "ok when the table holds the score for the respondent's group, else why not");
        col.choices = norm_choices;
        emit(c, &col);
    }
}

static void instrument_columns(cb *c, const rfs_instrument *inst)
{
    static const char *const status_choices = "ok, ok | too_few_items, too_few_items";
    static const char *const derived_choices = "ok, ok | component_not_scored, component_not_scored";
    const rfsi_validity *va = &inst->validity;
    char source[400], lo[32], hi[32], items[300], rev[300], rule[128];
    column col;
    size_t k, j;

    snprintf(source, sizeof source, "%s doi:%s", inst->citation, inst->doi);
    for (k = 0; k < inst->n_scales; k++) {
        const rfsi_scale *sc = &inst->scales[k];
        double a, b;
        memset(&col, 0, sizeof col);
        score_range(inst, k, &a, &b);
        num(lo, a);
        num(hi, b);
        snprintf(col.lo, sizeof col.lo, "%s", lo);
        snprintf(col.hi, sizeof col.hi, "%s", hi);
        item_list(items, sizeof items, sc, NULL);
        item_list(rev, sizeof rev, sc, sc->reversed);
        if (sc->kind == RFSI_SCORE_SUM)
            snprintf(rule, sizeof rule, "all %zu items", sc->n_items);
        else
            rfsi_min_rule_format(sc->has_min_rule ? sc->min_rule : inst->min_rule, sc->n_items, rule, sizeof rule);
        snprintf(col.name, sizeof col.name, "%s_%s", inst->id, sc->id);
        snprintf(col.label, sizeof col.label, "%s", sc->name[0] ? sc->name : sc->id);
        col.type = "number";
        snprintf(col.range, sizeof col.range, "%s..%s", lo, hi);
        snprintf(col.how, sizeof col.how, "%s of items %s%s%s%s%s; empty unless at least %s are answered",
                 sc->kind == RFSI_SCORE_MEAN ? "mean" : sc->kind == RFSI_SCORE_SUM ? "sum" : "prorated sum", items,
                 rev[0] ? ", reversed " : "", rev, sc->recode >= 0 ? ", recoded " : "",
                 sc->recode >= 0 ? inst->recodes[sc->recode].name : "", rule);
        col.source = source;
        emit(c, &col);
        snprintf(col.name, sizeof col.name, "%s_%s_n", inst->id, sc->id);
        snprintf(col.label, sizeof col.label, "%s: answered items", sc->name[0] ? sc->name : sc->id);
        col.type = "integer";
        snprintf(col.range, sizeof col.range, "0..%zu", sc->n_items);
        snprintf(col.lo, sizeof col.lo, "0");
        snprintf(col.hi, sizeof col.hi, "%zu", sc->n_items);
        snprintf(col.how, sizeof col.how, "number of items %s answered in range", items);
        emit(c, &col);
        snprintf(col.name, sizeof col.name, "%s_%s_status", inst->id, sc->id);
        snprintf(col.label, sizeof col.label, "%s: status", sc->name[0] ? sc->name : sc->id);
        col.type = "text";
        snprintf(col.range, sizeof col.range, "ok, too_few_items");
        snprintf(col.how, sizeof col.how, "ok when scored, else the reason");
        col.choices = status_choices;
        emit(c, &col);
    }
    for (k = 0; k < inst->n_derived; k++) {
        const rfsi_derived *d = &inst->derived[k];
        memset(&col, 0, sizeof col);
        items[0] = '\0';
        for (j = 0; j < d->n; j++)
            snprintf(items + strlen(items), sizeof items - strlen(items), "%s%s", j ? ", " : "",
                     rfsi_score_id(inst, d->components[j]));
        double a, b;
        score_range(inst, inst->n_scales + k, &a, &b);
        num(lo, a);
        num(hi, b);
        snprintf(col.lo, sizeof col.lo, "%s", lo);
        snprintf(col.hi, sizeof col.hi, "%s", hi);
        snprintf(col.range, sizeof col.range, "%s..%s", lo, hi);
        snprintf(col.name, sizeof col.name, "%s_%s", inst->id, d->id);
        snprintf(col.label, sizeof col.label, "%s", d->name[0] ? d->name : d->id);
        col.type = "number";
        snprintf(col.how, sizeof col.how, "%s of %s; empty unless every one is scored",
                 d->kind == RFSI_SCORE_MEAN ? "mean" : "sum", items);
        col.source = source;
        emit(c, &col);
        snprintf(col.name, sizeof col.name, "%s_%s_status", inst->id, d->id);
        snprintf(col.label, sizeof col.label, "%s: status", d->name[0] ? d->name : d->id);
        col.type = "text";
        snprintf(col.range, sizeof col.range, "ok, component_not_scored");
        snprintf(col.how, sizeof col.how, "ok when scored, else the reason");
        col.choices = derived_choices;
        emit(c, &col);
    }
    transform_columns(c, inst, source);
    memset(&col, 0, sizeof col);
    col.source = "rfscore docs/validity.md";
    snprintf(col.name, sizeof col.name, "%s_longstring", inst->id);
    snprintf(col.label, sizeof col.label, "%s: longest run of identical answers", inst->id);
    col.type = "integer";
    snprintf(col.range, sizeof col.range, "0..%zu", inst->n_items);
    snprintf(col.lo, sizeof col.lo, "0");
    snprintf(col.hi, sizeof col.hi, "%zu", inst->n_items);
    snprintf(col.how, sizeof col.how, "careless::longstring over items 1..%zu (Johnson 2005)", inst->n_items);
    emit(c, &col);
    snprintf(col.name, sizeof col.name, "%s_irv", inst->id);
    snprintf(col.label, sizeof col.label, "%s: intra-individual response variability", inst->id);
    col.type = "number";
    snprintf(col.range, sizeof col.range, "0..%ld", inst->max - inst->min);
    snprintf(col.lo, sizeof col.lo, "0");
    snprintf(col.hi, sizeof col.hi, "%ld", inst->max - inst->min);
    snprintf(col.how, sizeof col.how, "sample SD of the answers (Dunn et al. 2018); empty with fewer than 2");
    emit(c, &col);
    if (va->n_even_odd >= 2) {
        snprintf(col.name, sizeof col.name, "%s_even_odd", inst->id);
        snprintf(col.label, sizeof col.label, "%s: even-odd consistency", inst->id);
        snprintf(col.range, sizeof col.range, "-1..1");
        snprintf(col.lo, sizeof col.lo, "-1");
        snprintf(col.hi, sizeof col.hi, "1");
        snprintf(col.how, sizeof col.how, "Spearman-Brown corrected even/odd half correlation (careless::evenodd)");
        emit(c, &col);
    }
    if (va->n_synonyms) {
        snprintf(col.name, sizeof col.name, "%s_synonyms", inst->id);
        snprintf(col.label, sizeof col.label, "%s: psychometric synonyms", inst->id);
        snprintf(col.range, sizeof col.range, "-1..1");
        snprintf(col.lo, sizeof col.lo, "-1");
        snprintf(col.hi, sizeof col.hi, "1");
        snprintf(col.how, sizeof col.how, "within-person r over %zu declared item pairs", va->n_synonyms);
        emit(c, &col);
    }
    if (va->n_antonyms) {
        snprintf(col.name, sizeof col.name, "%s_antonyms", inst->id);
        snprintf(col.label, sizeof col.label, "%s: psychometric antonyms", inst->id);
        snprintf(col.range, sizeof col.range, "-1..1");
        snprintf(col.lo, sizeof col.lo, "-1");
        snprintf(col.hi, sizeof col.hi, "1");
        snprintf(col.how, sizeof col.how, "within-person r over %zu declared item pairs", va->n_antonyms);
        emit(c, &col);
    }
    snprintf(col.name, sizeof col.name, "%s_valid", inst->id);
    snprintf(col.label, sizeof col.label, "%s: row passes the validity checks", inst->id);
    col.type = "0/1";
    snprintf(col.range, sizeof col.range, "0..1");
    snprintf(col.how, sizeof col.how, "0 when a flag listed in the definition's invalid_if is present");
    col.choices = "1, Yes | 0, No";
    emit(c, &col);
    col.choices = NULL;
    snprintf(col.name, sizeof col.name, "%s_flags", inst->id);
    snprintf(col.label, sizeof col.label, "%s: validity flags", inst->id);
    col.type = "text";
    col.range[0] = '\0';
    snprintf(col.how, sizeof col.how, "semicolon-separated codes (docs/validity.md)");
    emit(c, &col);
}

char *rfs_codebook(const rfs_instrument *const *insts, size_t n, const char *format)
{
    cb c = {{0}, 0, 0};
    size_t i;

    if (n && !insts)
        return NULL;
    for (i = 0; i < n; i++)
        if (!insts[i])
            return NULL;
    if (!format || strcmp(format, "markdown") == 0)
        c.format = CB_MARKDOWN;
    else if (strcmp(format, "csv") == 0)
        c.format = CB_CSV;
    else if (strcmp(format, "redcap") == 0)
        c.format = CB_REDCAP;
    else
        return NULL;
    if (c.format == CB_MARKDOWN)
        add(&c, "| column | label | type | range | how computed | source |\n|---|---|---|---|---|---|\n");
    else if (c.format == CB_CSV)
        add(&c, "name,label,type,range,how_computed,source\n");
    else
        add(&c, "\"Variable / Field Name\",\"Form Name\",\"Section Header\",\"Field Type\",\"Field Label\","
                "\"Choices, Calculations, OR Slider Labels\",\"Field Note\","
                "\"Text Validation Type OR Show Slider Number\",\"Text Validation Min\",\"Text Validation Max\","
                "\"Identifier?\",\"Branching Logic (Show field only if...)\",\"Required Field?\","
                "\"Custom Alignment\",\"Question Number (surveys only)\",\"Matrix Group Name\",\"Matrix Ranking?\","
                "\"Field Annotation\"\n"
                "\"record_id\",\"scores\",\"\",\"text\",\"Record ID\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
                "\"\",\"\",\"\",\"\"\n");
    for (i = 0; i < n; i++)
        instrument_columns(&c, insts[i]);
    if (c.rc) {
        rfsi_buf_free(&c.out);
        return NULL;
    }
    return c.out.data;
}

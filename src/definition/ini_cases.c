/* INI -> instrument model: the [case.NAME] conformance cases (responses and the
 * expected scores that selftest checks). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini_loader.h"

/* ------------------------------------------------------------------ cases */

static int parse_expect_value(const char *s, rfsi_case_expect *x)
{
    char *end;
    double a, b;

    if (strcasecmp(s, "NA") == 0) {
        x->is_na = 1;
        return 0;
    }
    errno = 0;
    a = strtod(s, &end);
    if (end == s || errno)
        return -1;
    if (*end == '/') {
        const char *t = end + 1;
        b = strtod(t, &end);
        if (end == t || b == 0)
            return -1;
        a /= b;
    }
    if (*end)
        return -1;
    x->value = a;
    return 0;
}

/* What an expect id names: a score, SCORE_pomp, SCORE_band, or a categorical item's
 * output id. 0, or -1 when it names nothing. */
static int resolve_expect(const rfs_instrument *inst, const char *id, rfsi_case_expect *x)
{
    size_t n = strlen(id), i;

    x->kind = RFSI_EXPECT_SCORE;
    if ((x->score = rfsi_score_find(inst, id)) != (size_t)-1)
        return 0;
    if ((x->score = rfsi_category_find(inst, id)) != (size_t)-1) {
        x->kind = RFSI_EXPECT_CATEGORY;
        return 0;
    }
    if (n > 5 && n < 64 && (strcmp(id + n - 5, "_pomp") == 0 || strcmp(id + n - 5, "_band") == 0)) {
        char base[64];
        memcpy(base, id, n - 5);
        base[n - 5] = '\0';
        i = rfsi_score_find(inst, base);
        if (i == (size_t)-1)
            return -1;
        if (id[n - 4] == 'p') {
            x->kind = RFSI_EXPECT_POMP;
            x->score = i;
            return rfsi_score_pomp(inst, i) ? 0 : -1;
        }
        x->kind = RFSI_EXPECT_BAND;
        x->score = rfsi_bandset_find(inst, i);
        return x->score == (size_t)-1 ? -1 : 0;
    }
    return -1;
}

int rfsi_ini_load_cases(loader *L)
{
    rfs_instrument *inst = L->inst;
    size_t i, k;

    for (i = 0; i < L->scan.n; i++) {
        const rfsi_ini_entry *e = &L->scan.entries[i];
        const char *name = rfsi_ini_section_arg(e->section, "case.");
        rfsi_case *c;
        rfsi_list list;
        if (!name || e->key)
            continue;
        c = rfsi_ini_grow(inst->cases, inst->n_cases, sizeof *c);
        if (!c)
            return -1;
        inst->cases = c;
        c = &c[inst->n_cases];
        memset(c, 0, sizeof *c);
        c->line = e->line;
        c->name = strdup(name);
        if (!c->name)
            return -1;
        inst->n_cases++;
        if (!rfsi_ini_get(L, e->section, "responses") || !rfsi_ini_get(L, e->section, "expect")) {
            rfsi_ini_bad(L, e->section, rfsi_ini_get(L, e->section, "responses") ? "expect" : "responses",
                "required key is missing");
            continue;
        }
        if (rfsi_list_split(rfsi_ini_get(L, e->section, "responses"), &list) < 0)
            return -1;
        if (list.n != inst->n_items) {
            rfsi_ini_bad(L, e->section, "responses", "has %zu cells; the instrument has %zu items", list.n, inst->n_items);
            rfsi_list_free(&list);
            continue;
        }
        c->cells = list.v; /* take ownership */
        list.v = NULL;
        rfsi_list_free(&list);
        if (rfsi_list_split(rfsi_ini_get(L, e->section, "expect"), &list) < 0)
            return -1;
        c->expect = calloc(list.n + 1, sizeof *c->expect);
        if (!c->expect) {
            rfsi_list_free(&list);
            return -1;
        }
        for (k = 0; k < list.n; k++) {
            char *eq = strchr(list.v[k], '=');
            rfsi_case_expect *x = &c->expect[c->n_expect];
            if (!eq) {
                rfsi_ini_bad(L, e->section, "expect", "'%s' is not id=value", list.v[k]);
                continue;
            }
            *eq = '\0';
            if (resolve_expect(inst, rfsi_trim_inplace(list.v[k]), x) < 0) {
                rfsi_ini_bad(L, e->section, "expect", "unknown scale '%s'", list.v[k]);
                continue;
            }
            if (!(x->id = strdup(rfsi_trim_inplace(list.v[k])))) {
                rfsi_list_free(&list);
                return -1;
            }
            {
                size_t d;
                for (d = 0; d < c->n_expect && !(c->expect[d].kind == x->kind && c->expect[d].score == x->score); d++)
                    ;
                if (d < c->n_expect) {
                    rfsi_ini_bad(L, e->section, "expect", "'%s' is expected twice", list.v[k]);
                    free(x->id);
                    x->id = NULL;
                    continue;
                }
            }
            x->text = strdup(rfsi_trim_inplace(eq + 1));
            if (!x->text) { /* x is not counted yet: the free of the cases would miss its id */
                free(x->id);
                x->id = NULL;
                rfsi_list_free(&list);
                return -1;
            }
            c->n_expect++;
            if (x->kind == RFSI_EXPECT_BAND || x->kind == RFSI_EXPECT_CATEGORY)
                x->is_na = strcasecmp(x->text, "NA") == 0; /* a band or category name, or NA */
            else if (parse_expect_value(x->text, x) < 0)
                rfsi_ini_bad(L, e->section, "expect", "'%s' is not a number, a fraction a/b or NA", x->text);
        }
        rfsi_list_free(&list);
    }
    return 0;
}

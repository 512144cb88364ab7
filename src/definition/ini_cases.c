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
            x->score = rfsi_score_find(inst, rfsi_trim_inplace(list.v[k]));
            if (x->score == (size_t)-1) {
                rfsi_ini_bad(L, e->section, "expect", "unknown scale '%s'", list.v[k]);
                continue;
            }
            {
                size_t d;
                for (d = 0; d < c->n_expect && c->expect[d].score != x->score; d++)
                    ;
                if (d < c->n_expect) {
                    rfsi_ini_bad(L, e->section, "expect", "'%s' is expected twice", list.v[k]);
                    continue;
                }
            }
            x->text = strdup(rfsi_trim_inplace(eq + 1));
            if (!x->text) {
                rfsi_list_free(&list);
                return -1;
            }
            c->n_expect++;
            if (parse_expect_value(x->text, x) < 0)
                rfsi_ini_bad(L, e->section, "expect", "'%s' is not a number, a fraction a/b or NA", x->text);
        }
        rfsi_list_free(&list);
    }
    return 0;
}

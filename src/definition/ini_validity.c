/* INI -> instrument model: the [validity] section (careless-responding indices and
 * thresholds). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"

/* --------------------------------------------------------------- validity */

static int double_key(loader *L, const char *key, double lo, double hi, double *out)
{
    const char *v = rfsi_ini_get(L, "validity", key);
    char *end;

    if (!v)
        return 0;
    errno = 0;
    *out = strtod(v, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == v || *end || errno || !(*out >= lo && *out <= hi)) {
        rfsi_ini_bad(L, "validity", key, "'%s' is not a number in %g..%g", v, lo, hi);
        return 0;
    }
    return 1;
}

/* "a:b, c:d" item pairs (synonyms, antonyms) or item:answer (attention). */
static int parse_pairs(loader *L, const char *key, int second_is_item, rfsi_pair **out, size_t *n)
{
    rfs_instrument *inst = L->inst;
    const char *v = rfsi_ini_get(L, "validity", key);
    rfsi_list list;
    size_t k;

    *out = NULL;
    *n = 0;
    if (!v)
        return 0;
    if (rfsi_list_split(v, &list) < 0)
        return -1;
    *out = calloc(list.n + 1, sizeof **out);
    if (!*out) {
        rfsi_list_free(&list);
        return -1;
    }
    for (k = 0; k < list.n; k++) {
        char *colon = strchr(list.v[k], ':');
        long a, b;
        if (!colon) {
            rfsi_ini_bad(L, "validity", key, "'%s' is not %s", list.v[k], second_is_item ? "item:item" : "item:answer");
            continue;
        }
        *colon = '\0';
        if (rfsi_parse_long(list.v[k], &a) < 0 || a < 1 || (size_t)a > inst->n_items) {
            rfsi_ini_bad(L, "validity", key, "'%s' is not an item number 1..%zu", list.v[k], inst->n_items);
            continue;
        }
        if (rfsi_parse_long(colon + 1, &b) < 0 ||
            (second_is_item ? (b < 1 || (size_t)b > inst->n_items || b == a) : (b < inst->min || b > inst->max))) {
            if (second_is_item)
                rfsi_ini_bad(L, "validity", key, "'%s' is not another item number 1..%zu", colon + 1, inst->n_items);
            else
                rfsi_ini_bad(L, "validity", key, "expected answer '%s' is not in %ld..%ld", colon + 1, inst->min, inst->max);
            continue;
        }
        (*out)[*n].a = (size_t)(a - 1);
        (*out)[*n].b = second_is_item ? (size_t)(b - 1) : (size_t)b;
        (*n)++;
    }
    rfsi_list_free(&list);
    return 0;
}

int rfsi_ini_load_validity(loader *L)
{
    rfs_instrument *inst = L->inst;
    rfsi_validity *va = &inst->validity;
    const char *v;
    rfsi_pair *att = NULL;
    size_t k, n_att = 0;
    double d;

    va->seconds_per_item = 2; /* Huang, Curran, Keeney, Poposki & DeShon (2012): 2 s per item */
    va->invalid_mask = ((1u << RFSI_FLAG_COUNT) - 1) & ~(1u << RFSI_FLAG_MISSING);
    if (!rfsi_ini_line(&L->scan, "validity", NULL))
        return 0;
    if (rfsi_ini_get(L, "validity", "longstring_max")) {
        long m;
        if (rfsi_ini_long(L, "validity", "longstring_max", 1, (long)inst->n_items, &m) == 0) {
            va->has_longstring_max = 1;
            va->longstring_max = m;
        }
    }
    va->has_irv_min = double_key(L, "irv_min", 0, 1e6, &va->irv_min);
    double_key(L, "even_odd_min", -1, 1, &va->even_odd_min);
    double_key(L, "synonyms_min", -1, 1, &va->synonyms_min);
    double_key(L, "antonyms_max", -1, 1, &va->antonyms_max);
    if (double_key(L, "seconds_per_item", 0, 1e6, &d))
        va->seconds_per_item = d;
    v = rfsi_ini_get(L, "validity", "even_odd_scales");
    if (v) {
        rfsi_list list;
        if (rfsi_list_split(v, &list) < 0)
            return -1;
        va->even_odd_scales = calloc(list.n + 1, sizeof *va->even_odd_scales);
        if (!va->even_odd_scales) {
            rfsi_list_free(&list);
            return -1;
        }
        for (k = 0; k < list.n; k++) {
            size_t idx = rfsi_score_find(inst, list.v[k]);
            if (idx == (size_t)-1 || idx >= inst->n_scales)
                rfsi_ini_bad(L, "validity", "even_odd_scales", "'%s' is not a scale", list.v[k]);
            else
                va->even_odd_scales[va->n_even_odd++] = idx;
        }
        if (list.n < 2)
            rfsi_ini_bad(L, "validity", "even_odd_scales", "even-odd consistency needs at least 2 scales");
        rfsi_list_free(&list);
    }
    if (parse_pairs(L, "synonyms", 1, &va->synonyms, &va->n_synonyms) < 0 ||
        parse_pairs(L, "antonyms", 1, &va->antonyms, &va->n_antonyms) < 0 ||
        parse_pairs(L, "attention", 0, &att, &n_att) < 0) {
        free(att);
        return -1;
    }
    if (va->n_synonyms > RFS_MAX_ITEMS || va->n_antonyms > RFS_MAX_ITEMS || va->n_even_odd > RFS_MAX_ITEMS)
        rfsi_ini_bad(L, "validity", NULL, "more than %d item pairs or scales in one index", RFS_MAX_ITEMS);
    if (rfsi_ini_get(L, "validity", "synonyms") && va->n_synonyms < 3)
        rfsi_ini_bad(L, "validity", "synonyms", "a within-person correlation needs at least 3 item pairs");
    if (rfsi_ini_get(L, "validity", "antonyms") && va->n_antonyms < 3)
        rfsi_ini_bad(L, "validity", "antonyms", "a within-person correlation needs at least 3 item pairs");
    va->attention = calloc(n_att + 1, sizeof *va->attention);
    if (!va->attention) {
        free(att);
        return -1;
    }
    for (k = 0; k < n_att; k++) {
        va->attention[k].item = att[k].a;
        va->attention[k].expected = (long)att[k].b;
    }
    va->n_attention = n_att;
    free(att);
    v = rfsi_ini_get(L, "validity", "invalid_if");
    if (v) {
        rfsi_list list;
        if (rfsi_list_split(v, &list) < 0)
            return -1;
        va->invalid_mask = 0;
        for (k = 0; k < list.n; k++) {
            rfsi_flag_kind f = rfsi_flag_find(list.v[k]);
            if (strcmp(list.v[k], "none") == 0 && list.n == 1)
                continue;
            if (f == RFSI_FLAG_COUNT)
                rfsi_ini_bad(L, "validity", "invalid_if", "unknown flag '%s'", list.v[k]);
            else
                va->invalid_mask |= 1u << f;
        }
        rfsi_list_free(&list);
    }
    return 0;
}

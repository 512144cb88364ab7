#include "listparse.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *rfsi_trim_inplace(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
        *--e = '\0';
    return s;
}

int rfsi_parse_long(const char *s, long *out)
{
    const char *p;
    char *end;
    long v;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    p = s + (*s == '+' || *s == '-');
    if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno)
        return -1;
    while (*end == ' ' || *end == '\t')
        end++;
    if (*end)
        return -1;
    *out = v;
    return 0;
}

int rfsi_list_split(const char *s, rfsi_list *out)
{
    const char *p = s ? s : "";

    out->v = NULL;
    out->n = 0;
    while (*p) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        char *tok = malloc(len + 1), *t, **v;
        size_t tl;
        if (!tok)
            goto nomem;
        memcpy(tok, p, len);
        tok[len] = '\0';
        t = rfsi_trim_inplace(tok);
        tl = strlen(t);
        if (tl >= 2 && t[0] == '"' && t[tl - 1] == '"') {
            t[tl - 1] = '\0';
            t++;
        }
        memmove(tok, t, strlen(t) + 1);
        v = realloc(out->v, (out->n + 1) * sizeof *v);
        if (!v) {
            free(tok);
            goto nomem;
        }
        out->v = v;
        v[out->n++] = tok;
        p += len;
        if (*p == ',') {
            p++;
            if (!*p) { /* a trailing comma gives an empty last token: keep it, callers see it */
                char *empty = strdup("");
                v = realloc(out->v, (out->n + 1) * sizeof *v);
                if (!empty || !v) {
                    free(empty);
                    if (v)
                        out->v = v;
                    goto nomem;
                }
                out->v = v;
                v[out->n++] = empty;
            }
        }
    }
    return 0;
nomem:
    rfsi_list_free(out);
    return -1;
}

void rfsi_list_free(rfsi_list *l)
{
    size_t i;

    if (l->v)
        for (i = 0; i < l->n; i++)
            free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

int rfsi_parse_items(const char *s, size_t n_items, size_t **items, size_t *n, char *why, size_t why_size)
{
    rfsi_list list;
    size_t i, cap = 0;
    unsigned char *seen = calloc(n_items + 1, 1);

    *items = NULL;
    *n = 0;
    why[0] = '\0';
    if (!seen || rfsi_list_split(s, &list) < 0) {
        free(seen);
        return -1;
    }
    if (list.n == 0)
        snprintf(why, why_size, "empty item list");
    for (i = 0; i < list.n && !why[0]; i++) {
        char *tok = list.v[i], *dash = *tok ? strchr(tok + 1, '-') : NULL;
        long a, b, k;
        if (dash) {
            *dash = '\0';
            if (rfsi_parse_long(tok, &a) < 0 || rfsi_parse_long(dash + 1, &b) < 0 || a > b) {
                *dash = '-';
                snprintf(why, why_size, "'%s' is not an item or a range like 1-6", tok);
                break;
            }
        } else if (rfsi_parse_long(tok, &a) < 0) {
            snprintf(why, why_size, "'%s' is not an item number", tok);
            break;
        } else {
            b = a;
        }
        for (k = a; k <= b; k++) {
            if (k < 1 || (size_t)k > n_items) {
                snprintf(why, why_size, "item %ld is out of range: the instrument has items 1..%zu", k, n_items);
                break;
            }
            if (seen[k]) {
                snprintf(why, why_size, "item %ld is listed twice", k);
                break;
            }
            seen[k] = 1;
            if (*n == cap) {
                size_t *p;
                cap = cap ? cap * 2 : 16;
                p = realloc(*items, cap * sizeof *p);
                if (!p) {
                    free(seen);
                    rfsi_list_free(&list);
                    return -1;
                }
                *items = p;
            }
            (*items)[(*n)++] = (size_t)(k - 1);
        }
    }
    free(seen);
    rfsi_list_free(&list);
    return why[0] ? -1 : 0;
}

int rfsi_parse_decimal(const char *s, double *out)
{
    const char *p;
    char *end;
    size_t digits = 0;

    if (!s)
        return -1;
    while (*s == ' ' || *s == '\t')
        s++;
    p = s + (*s == '+' || *s == '-');
    for (; *p >= '0' && *p <= '9'; p++)
        digits++;
    if (*p == '.') {
        if (!(p[1] >= '0' && p[1] <= '9'))
            return -1; /* "4." */
        for (p++; *p >= '0' && *p <= '9'; p++)
            digits++;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (!digits || *p || digits > 30)
        return -1; /* no hex, no exponent, no "inf" or "nan" */
    *out = strtod(s, &end);
    return 0;
}

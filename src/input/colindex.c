#include "colindex.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603ULL & (size_t)-1; /* FNV-1a over lowercased bytes */

    for (; *s; s++) {
        h ^= (unsigned char)tolower((unsigned char)*s);
        h *= (size_t)1099511628211ULL;
    }
    return h;
}

static int same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int rfsi_colindex_build(rfsi_colindex *ix, const char *const *names, size_t n)
{
    size_t cap = 16, i;

    while (cap < n * 2)
        cap *= 2;
    ix->names = names;
    ix->n = n;
    ix->mask = cap - 1;
    ix->slots = malloc(cap * sizeof *ix->slots);
    ix->twin = malloc((n + 1) * sizeof *ix->twin);
    if (!ix->slots || !ix->twin) {
        free(ix->slots);
        free(ix->twin);
        ix->slots = ix->twin = NULL;
        return -1;
    }
    for (i = 0; i < cap; i++)
        ix->slots[i] = RFSI_NO_COLUMN;
    for (i = 0; i < n; i++) {
        size_t h;
        ix->twin[i] = RFSI_NO_COLUMN;
        if (!names[i][0])
            continue;
        for (h = hash(names[i]) & ix->mask; ix->slots[h] != RFSI_NO_COLUMN; h = (h + 1) & ix->mask)
            if (same(names[ix->slots[h]], names[i]))
                break;
        if (ix->slots[h] == RFSI_NO_COLUMN) {
            ix->slots[h] = i;
        } else { /* a repeated name: chain it after the first */
            size_t c = ix->slots[h];
            while (ix->twin[c] != RFSI_NO_COLUMN)
                c = ix->twin[c];
            ix->twin[c] = i;
        }
    }
    return 0;
}

size_t rfsi_colindex_find2(const rfsi_colindex *ix, const char *name, size_t *twin)
{
    size_t col = rfsi_colindex_find(ix, name);

    *twin = col == RFSI_NO_COLUMN ? RFSI_NO_COLUMN : ix->twin[col];
    return col;
}

size_t rfsi_colindex_find(const rfsi_colindex *ix, const char *name)
{
    size_t h;

    while (*name == ' ' || *name == '\t')
        name++;
    if (!*name || !ix->slots)
        return RFSI_NO_COLUMN;
    for (h = hash(name) & ix->mask; ix->slots[h] != RFSI_NO_COLUMN; h = (h + 1) & ix->mask)
        if (same(ix->names[ix->slots[h]], name))
            return ix->slots[h];
    return RFSI_NO_COLUMN;
}

void rfsi_colindex_free(rfsi_colindex *ix)
{
    free(ix->slots);
    free(ix->twin);
    ix->slots = ix->twin = NULL;
}

/* Edit distance with a cap: names longer than 64 bytes are compared on their first 64. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), i, j, prev[65], cur[65];

    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    for (j = 0; j <= lb; j++)
        prev[j] = j;
    for (i = 1; i <= la; i++) {
        cur[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

void rfsi_colindex_closest(const rfsi_colindex *ix, const char *name, size_t max, char *out, size_t size)
{
    size_t best[8], bestd[8], nb = 0, i, k, used = 0;

    if (max > 8)
        max = 8;
    out[0] = '\0';
    for (i = 0; i < ix->n; i++) {
        size_t d;
        if (!ix->names[i][0])
            continue;
        d = distance(name, ix->names[i]);
        for (k = nb; k > 0 && bestd[k - 1] > d; k--)
            if (k < max) {
                best[k] = best[k - 1];
                bestd[k] = bestd[k - 1];
            }
        if (k < max) {
            best[k] = i;
            bestd[k] = d;
            if (nb < max)
                nb++;
        }
    }
    for (k = 0; k < nb && used + 1 < size; k++) {
        int w = snprintf(out + used, size - used, "%s\"%.60s\"", k ? ", " : "", ix->names[best[k]]);
        if (w < 0 || (size_t)w >= size - used)
            break;
        used += (size_t)w;
    }
}

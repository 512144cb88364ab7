/* One-pass item-total sums (itemtotal.h). Keyed item values are integers (the scales'
 * lookup tables), so the sums of x, x^2, x t, t and t^2 are kept exactly in 64-bit
 * integers, a few integer operations per item and row; the co-moments are formed from
 * them at the end, so cancellation cannot accumulate over rows. */
#include "itemtotal.h"

#include <math.h>
#include <stdlib.h>

typedef struct scale_acc {
    size_t k;
    unsigned long long n, max_rows;
    long long sum_t, sum_tt;
    long long *sum, *sum_xx, *sum_xt; /* k each */
    long *x;                          /* per-row scratch, k */
} scale_acc;

struct rfsi_itemtotal {
    const rfs_instrument *inst;
    size_t range;
    scale_acc *scales;
};

void rfsi_itemtotal_free(rfsi_itemtotal *it)
{
    size_t s;

    if (!it)
        return;
    if (it->scales)
        for (s = 0; s < it->inst->n_scales; s++) {
            free(it->scales[s].sum);
            free(it->scales[s].sum_xx);
            free(it->scales[s].sum_xt);
            free(it->scales[s].x);
        }
    free(it->scales);
    free(it);
}

rfsi_itemtotal *rfsi_itemtotal_new(const rfs_instrument *inst)
{
    rfsi_itemtotal *it = calloc(1, sizeof *it);
    size_t s;

    if (!it)
        return NULL;
    it->inst = inst;
    it->range = (size_t)(inst->max - inst->min + 1);
    if (!(it->scales = calloc(inst->n_scales + 1, sizeof *it->scales))) {
        free(it);
        return NULL;
    }
    for (s = 0; s < inst->n_scales; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        scale_acc *a = &it->scales[s];
        double v = fabs((double)sc->value_min) > fabs((double)sc->value_max) ? fabs((double)sc->value_min)
                                                                              : fabs((double)sc->value_max);
        double per_row = v * v * (double)sc->n_items; /* the most one row adds to a sum */
        a->k = sc->n_items;
        /* The first RFSI_ITEMTOTAL_ROWS complete rows, or fewer where the exact integer
         * sums could overflow (only for scales of huge values). */
        a->max_rows = per_row > 0 ? (unsigned long long)fmin(0x1p61 / per_row, RFSI_ITEMTOTAL_ROWS)
                                  : RFSI_ITEMTOTAL_ROWS;
        a->sum = calloc(a->k + 1, sizeof *a->sum);
        a->sum_xx = calloc(a->k + 1, sizeof *a->sum_xx);
        a->sum_xt = calloc(a->k + 1, sizeof *a->sum_xt);
        a->x = calloc(a->k + 1, sizeof *a->x);
        if (!a->sum || !a->sum_xx || !a->sum_xt || !a->x) {
            rfsi_itemtotal_free(it);
            return NULL;
        }
    }
    return it;
}

void rfsi_itemtotal_add(rfsi_itemtotal *it, const rfsi_response *resp)
{
    const rfs_instrument *inst = it->inst;
    size_t s, j;

    for (s = 0; s < inst->n_scales; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        scale_acc *a = &it->scales[s];
        long long t = 0;
        if (a->n == a->max_rows)
            continue;
        for (j = 0; j < a->k; j++) {
            const rfsi_response *r = &resp[sc->items[j]];
            if (r->state != RFSI_ANSWER || r->value < inst->min || r->value > inst->max)
                break; /* listwise, as the report's alpha */
            a->x[j] = sc->table[j * it->range + (size_t)(r->value - inst->min)];
            t += a->x[j];
        }
        if (j < a->k)
            continue;
        a->n++;
        a->sum_t += t;
        a->sum_tt += t * t;
        for (j = 0; j < a->k; j++) {
            long long x = a->x[j];
            a->sum[j] += x;
            a->sum_xx[j] += x * x;
            a->sum_xt[j] += x * t;
        }
    }
}

int rfsi_itemtotal_can_merge(const rfsi_itemtotal *a, const rfsi_itemtotal *b)
{
    size_t s;

    for (s = 0; s < a->inst->n_scales; s++) {
        const scale_acc *x = &a->scales[s], *y = &b->scales[s];
        if (y->n && x->n < x->max_rows && x->n + y->n > x->max_rows)
            return 0; /* a takes only the first of them */
    }
    return 1;
}

void rfsi_itemtotal_merge(rfsi_itemtotal *a, const rfsi_itemtotal *b)
{
    size_t s, j;

    for (s = 0; s < a->inst->n_scales; s++) {
        scale_acc *x = &a->scales[s];
        const scale_acc *y = &b->scales[s];
        if (x->n == x->max_rows)
            continue;
        x->n += y->n;
        x->sum_t += y->sum_t;
        x->sum_tt += y->sum_tt;
        for (j = 0; j < x->k; j++) {
            x->sum[j] += y->sum[j];
            x->sum_xx[j] += y->sum_xx[j];
            x->sum_xt[j] += y->sum_xt[j];
        }
    }
}

void rfsi_itemtotal_clear(rfsi_itemtotal *it)
{
    size_t s, j;

    for (s = 0; s < it->inst->n_scales; s++) {
        scale_acc *a = &it->scales[s];
        a->n = 0;
        a->sum_t = a->sum_tt = 0;
        for (j = 0; j < a->k; j++)
            a->sum[j] = a->sum_xx[j] = a->sum_xt[j] = 0;
    }
}

int rfsi_itemtotal_full(const rfsi_itemtotal *it)
{
    size_t s;

    for (s = 0; s < it->inst->n_scales; s++)
        if (it->scales[s].n < it->scales[s].max_rows)
            return 0;
    return 1;
}

unsigned long long rfsi_itemtotal_rows(const rfsi_itemtotal *it, size_t s)
{
    return s < it->inst->n_scales ? it->scales[s].n : 0;
}

/* n^2 times a co-moment, from exact sums: n sum(ab) - sum(a) sum(b), in long double. */
static long double comoment(unsigned long long n, long long sab, long long sa, long long sb)
{
    return (long double)n * (long double)sab - (long double)sa * (long double)sb;
}

double rfsi_itemtotal_r_drop(const rfsi_itemtotal *it, size_t s, size_t j)
{
    const scale_acc *a;
    long double c_ii, c_it, c_tt, c_ir, v_r;

    if (s >= it->inst->n_scales || j >= it->scales[s].k || it->scales[s].n < 2)
        return NAN;
    a = &it->scales[s];
    c_ii = comoment(a->n, a->sum_xx[j], a->sum[j], a->sum[j]);
    c_it = comoment(a->n, a->sum_xt[j], a->sum[j], a->sum_t);
    c_tt = comoment(a->n, a->sum_tt, a->sum_t, a->sum_t);
    c_ir = c_it - c_ii;              /* the item with the rest */
    v_r = c_tt - 2 * c_it + c_ii;    /* the rest */
    if (!(c_ii > 0) || !(v_r > 0))
        return NAN;
    return (double)(c_ir / sqrtl(c_ii * v_r));
}

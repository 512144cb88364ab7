/* The study report's accumulators and figures: one pass, memory per instrument.
 *
 * Descriptives follow psych::describe (Revelle, psych 2.2.9): sd with n - 1, skew and
 * kurtosis "type 3" (b1 = m3 / s^3, b2 = m4 / s^4 - 3, central sums over n, s the n - 1
 * standard deviation). Moments are updated per row as in Terriberry (2007) / Pebay
 * (2008), the higher-order extension of Welford (1962).
 *
 * Alpha follows psych::alpha on the complete-case matrix of scored item values (after
 * reversal and recode): raw alpha from the covariance matrix, standardised alpha from the
 * correlation matrix, alpha if item deleted, r.drop (the item against the sum of the other
 * items), Duhachek's standard error and Feldt's interval as psych computes them. The
 * co-moment matrix is updated with West's (1979) one-pass form of Welford's recurrence:
 * C += (x - mean_old)(x - mean_new)^T, which never subtracts large sums. */
#include "report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fdist.h"
#include "omega.h"
#include "pairs.h"
#include "report_meta.h"

typedef struct rfsi_moments {
    unsigned long long n;
    double mean, m2, m3, m4; /* central sums of powers */
    double min, max;
} rfsi_moments;

typedef struct rfsi_score_acc {
    unsigned long long status[3];
    rfsi_moments m;
    size_t bins;
    double lo, hi;
    unsigned long long *hist;
} rfsi_score_acc;

/* A scale's complete rows: the mean vector and the packed upper triangle of the co-moment
 * matrix (sums of products of deviations), k (k + 1) / 2 doubles. */
typedef struct rfsi_scale_acc {
    size_t k;
    unsigned long long n;
    double *mean;
    double *com;
    double *dev, *x; /* per-row scratch, k each */
} rfsi_scale_acc;

typedef struct rfsi_inst_acc {
    const rfs_instrument *inst;
    unsigned long long rows, valid_rows;
    unsigned long long flag_rows[RFSI_FLAG_COUNT];
    size_t range;       /* max - min + 1 */
    size_t item_stride; /* range answers, 1 + n_missing_types missing, 1 invalid */
    unsigned long long *item_counts;
    rfsi_score_acc *scores;
    rfsi_scale_acc *scales;
    unsigned long long excluded[RFSI_EXCL_COUNT]; /* invalid rows by first reason */
    unsigned long long not_administered;          /* REDCap rows without this form: not in rows */
    rfsi_pairs scale_pairs; /* scale scores, pairwise, for the intercorrelations */
} rfsi_inst_acc;

struct rfsi_study {
    size_t n_insts;
    rfsi_inst_acc *insts;
    int all_rows;
    rfsi_study_meta *meta; /* provenance and the rules in force (report_meta.c) */
};

/* -------------------------------------------------------------- lifetime */

static size_t tri_size(size_t k)
{
    return k * (k + 1) / 2;
}

/* Offset of row i of the packed upper triangle (j >= i at [row(i) + j - i]). */
static size_t tri_row(size_t i, size_t k)
{
    return i * k - i * (i - 1) / 2; /* rows 0..i-1 hold k, k - 1, ... entries */
}

static double com_at(const rfsi_scale_acc *sa, size_t i, size_t j)
{
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    return sa->com[tri_row(i, sa->k) + j - i];
}

/* Possible range of each score, and whether it only takes integer values: a scale's from
 * its table, a derived score's from its components (in evaluation order). */
static void score_ranges(const rfs_instrument *inst, double *lo, double *hi, unsigned char *integer)
{
    size_t s, i, c;

    for (s = 0; s < inst->n_scales; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        double k = sc->kind == RFSI_SCORE_MEAN ? 1 : (double)sc->n_items;
        lo[s] = k * (double)sc->value_min;
        hi[s] = k * (double)sc->value_max;
        integer[s] = sc->kind == RFSI_SCORE_SUM;
    }
    for (i = 0; i < inst->n_derived; i++) {
        size_t di = inst->derived_order ? inst->derived_order[i] : i;
        const rfsi_derived *d = &inst->derived[di];
        size_t o = inst->n_scales + di;
        lo[o] = hi[o] = 0;
        integer[o] = d->kind == RFSI_SCORE_SUM;
        for (c = 0; c < d->n; c++) {
            lo[o] += lo[d->components[c]];
            hi[o] += hi[d->components[c]];
            integer[o] &= integer[d->components[c]];
        }
        if (d->kind == RFSI_SCORE_MEAN && d->n) {
            lo[o] /= (double)d->n;
            hi[o] /= (double)d->n;
        }
    }
}

/* One bin per value for integer scores, half-unit bins for means over an integer range,
 * else 20 bins. */
static void choose_bins(rfsi_score_acc *sa, double lo, double hi, int integer)
{
    double w = hi - lo;

    if (!(w > 0) || (integer && w <= 60)) {
        sa->bins = (size_t)(w > 0 ? w : 0) + 1;
        sa->lo = lo - 0.5;
        sa->hi = hi + 0.5;
        return;
    }
    sa->lo = lo;
    sa->hi = hi;
    sa->bins = w == floor(w) && w <= 15 ? (size_t)(2 * w) : integer ? 30 : 20;
}

static int inst_init(rfsi_inst_acc *ia, const rfs_instrument *inst)
{
    size_t n_scores = rfs_instrument_score_count(inst), s;
    double *lo = calloc(n_scores + 1, sizeof *lo), *hi = calloc(n_scores + 1, sizeof *hi);
    unsigned char *integer = calloc(n_scores + 1, 1);
    int rc = -1;

    ia->inst = inst;
    ia->range = (size_t)(inst->max - inst->min + 1);
    ia->item_stride = ia->range + 1 + inst->n_missing_types + 1;
    ia->item_counts = calloc(inst->n_items * ia->item_stride + 1, sizeof *ia->item_counts);
    ia->scores = calloc(n_scores + 1, sizeof *ia->scores);
    ia->scales = calloc(inst->n_scales + 1, sizeof *ia->scales);
    if (!lo || !hi || !integer || !ia->item_counts || !ia->scores || !ia->scales)
        goto out;
    score_ranges(inst, lo, hi, integer);
    for (s = 0; s < n_scores; s++) {
        rfsi_score_acc *sa = &ia->scores[s];
        choose_bins(sa, lo[s], hi[s], integer[s]);
        sa->hist = calloc(sa->bins, sizeof *sa->hist);
        if (!sa->hist)
            goto out;
    }
    for (s = 0; s < inst->n_scales; s++) {
        rfsi_scale_acc *sc = &ia->scales[s];
        sc->k = inst->scales[s].n_items;
        sc->mean = calloc(sc->k + 1, sizeof *sc->mean);
        sc->dev = calloc(sc->k + 1, sizeof *sc->dev);
        sc->x = calloc(sc->k + 1, sizeof *sc->x);
        sc->com = calloc(tri_size(sc->k) + 1, sizeof *sc->com);
        if (!sc->mean || !sc->dev || !sc->x || !sc->com)
            goto out;
    }
    if (rfsi_pairs_init(&ia->scale_pairs, inst->n_scales) < 0)
        goto out;
    rc = 0;
out:
    free(lo);
    free(hi);
    free(integer);
    return rc;
}

static void inst_free(rfsi_inst_acc *ia)
{
    size_t s;

    if (ia->scores)
        for (s = 0; s < rfs_instrument_score_count(ia->inst); s++)
            free(ia->scores[s].hist);
    if (ia->scales)
        for (s = 0; s < ia->inst->n_scales; s++) {
            free(ia->scales[s].mean);
            free(ia->scales[s].dev);
            free(ia->scales[s].x);
            free(ia->scales[s].com);
        }
    free(ia->item_counts);
    free(ia->scores);
    free(ia->scales);
    rfsi_pairs_free(&ia->scale_pairs);
}

rfsi_study *rfsi_study_new(const rfs_instrument *const *insts, size_t n_insts)
{
    rfsi_study *st = calloc(1, sizeof *st);
    size_t i;

    if (!st)
        return NULL;
    st->insts = calloc(n_insts + 1, sizeof *st->insts);
    if (!st->insts) {
        free(st);
        return NULL;
    }
    for (i = 0; i < n_insts; i++) {
        st->n_insts++;
        if (inst_init(&st->insts[i], insts[i]) < 0) {
            rfsi_study_free(st);
            return NULL;
        }
    }
    st->meta = rfsi_meta_new(insts, n_insts);
    if (!st->meta) {
        rfsi_study_free(st);
        return NULL;
    }
    return st;
}

void rfsi_study_free(rfsi_study *st)
{
    size_t i;

    if (!st)
        return;
    for (i = 0; i < st->n_insts; i++)
        inst_free(&st->insts[i]);
    free(st->insts);
    rfsi_meta_free(st->meta);
    free(st);
}

void rfsi_study_set_all_rows(rfsi_study *st, int all_rows)
{
    st->all_rows = all_rows != 0;
}

/* ---------------------------------------------------------- accumulation */

static void moments_add(rfsi_moments *m, double x)
{
    double n1 = (double)m->n, n, delta, dn, dn2, t1;

    m->n++;
    n = (double)m->n;
    delta = x - m->mean;
    dn = delta / n;
    dn2 = dn * dn;
    t1 = delta * dn * n1;
    m->mean += dn;
    m->m4 += t1 * dn2 * (n * n - 3 * n + 3) + 6 * dn2 * m->m2 - 4 * dn * m->m3;
    m->m3 += t1 * dn * (n - 2) - 3 * dn * m->m2;
    m->m2 += t1;
    if (m->n == 1 || x < m->min)
        m->min = x;
    if (m->n == 1 || x > m->max)
        m->max = x;
}

static void histogram_add(rfsi_score_acc *sa, double v)
{
    double b = floor((v - sa->lo) / (sa->hi - sa->lo) * (double)sa->bins);

    if (!(b >= 0))
        b = 0;
    if (b >= (double)sa->bins)
        b = (double)(sa->bins - 1); /* the top of the range closes the last bin */
    sa->hist[(size_t)b]++;
}

/* A complete row of scored values (in sa->x) into the mean vector and co-moments. */
static void scale_add(rfsi_scale_acc *sa)
{
    size_t i, j, k = sa->k;
    double n;

    sa->n++;
    n = (double)sa->n;
    for (j = 0; j < k; j++) {
        sa->dev[j] = sa->x[j] - sa->mean[j]; /* x - mean_old */
        sa->mean[j] += sa->dev[j] / n;
        sa->x[j] -= sa->mean[j];             /* x - mean_new */
    }
    for (i = 0; i < k; i++) {
        double *row = sa->com + tri_row(i, k) - i, di = sa->dev[i];
        for (j = i; j < k; j++)
            row[j] += di * sa->x[j];
    }
}

int rfsi_study_add(rfsi_study *st, size_t inst_index, const rfsi_response *resp, const rfsi_score_result *res,
                   long kinds, int valid)
{
    rfsi_inst_acc *ia;
    const rfs_instrument *inst;
    size_t i, s, j, n_scores;
    int include;

    if (!st || inst_index >= st->n_insts)
        return -1;
    ia = &st->insts[inst_index];
    inst = ia->inst;
    include = valid || st->all_rows;
    ia->rows++;
    ia->valid_rows += valid != 0;
    if (!valid)
        ia->excluded[rfsi_exclusion_of(kinds, inst->validity.invalid_mask)]++;
    for (i = 0; i < RFSI_FLAG_COUNT; i++)
        if (kinds > 0 && (kinds & (1L << i)))
            ia->flag_rows[i]++;
    for (i = 0; i < inst->n_items; i++) {
        unsigned long long *c = ia->item_counts + i * ia->item_stride;
        if (resp[i].state == RFSI_ANSWER && resp[i].value >= inst->min && resp[i].value <= inst->max)
            c[resp[i].value - inst->min]++;
        else if (resp[i].state == RFSI_MISSING)
            c[ia->range + (resp[i].missing_type <= inst->n_missing_types ? resp[i].missing_type : 0)]++;
        else
            c[ia->item_stride - 1]++;
    }
    n_scores = rfs_instrument_score_count(inst);
    for (s = 0; s < n_scores; s++) {
        rfsi_score_acc *sa = &ia->scores[s];
        sa->status[res[s].status < 3 ? res[s].status : 2]++;
        if (include && res[s].status == RFSI_STATUS_OK && isfinite(res[s].value)) {
            moments_add(&sa->m, res[s].value);
            histogram_add(sa, res[s].value);
        }
        if (s < inst->n_scales) {
            ia->scale_pairs.present[s] = include && res[s].status == RFSI_STATUS_OK && isfinite(res[s].value);
            ia->scale_pairs.x[s] = res[s].value;
        }
    }
    if (!include)
        return 0;
    rfsi_pairs_add(&ia->scale_pairs);
    for (s = 0; s < inst->n_scales; s++) {
        const rfsi_scale *sc = &inst->scales[s];
        rfsi_scale_acc *sa = &ia->scales[s];
        for (j = 0; j < sc->n_items; j++) {
            const rfsi_response *r = &resp[sc->items[j]];
            if (r->state != RFSI_ANSWER || r->value < inst->min || r->value > inst->max)
                break; /* listwise: alpha needs every item of the scale */
            sa->x[j] = (double)sc->table[j * ia->range + (size_t)(r->value - inst->min)];
        }
        if (j == sc->n_items)
            scale_add(sa);
    }
    return 0;
}

/* --------------------------------------------------------------- figures */

static void describe(const rfsi_moments *m, rfsi_describe *d)
{
    double n = (double)m->n;

    d->n = m->n;
    d->mean = d->min = d->max = d->range = NAN;
    d->sd = d->skew = d->kurtosis = d->se = NAN;
    if (m->n == 0)
        return;
    d->mean = m->mean;
    d->min = m->min;
    d->max = m->max;
    d->range = m->max - m->min;
    if (m->n < 2)
        return;
    d->sd = sqrt(m->m2 / (n - 1));
    d->se = d->sd / sqrt(n);
    d->skew = m->m3 / (n * d->sd * d->sd * d->sd);
    d->kurtosis = m->m4 / (n * d->sd * d->sd * d->sd * d->sd) - 3;
}

static void alpha_items_init(const rfsi_scale_acc *sa, rfsi_alpha_item *items)
{
    size_t j;
    double n = (double)sa->n;

    for (j = 0; j < sa->k; j++) {
        double v = com_at(sa, j, j);
        items[j].in_alpha = sa->n >= 2 && v > 0;
        items[j].alpha_drop = items[j].std_alpha_drop = items[j].r_drop = NAN;
        items[j].mean = sa->n ? sa->mean[j] : NAN;
        items[j].sd = sa->n >= 2 ? sqrt(v / (n - 1)) : NAN;
        items[j].loading = NAN;
    }
}

/* psych::alpha's figures over the items with variance (act, m of them). colsum and rsum
 * are scratch (k entries). */
static void alpha_compute(const rfsi_scale_acc *sa, rfsi_alpha *a, rfsi_alpha_item *items, const size_t *act,
                          size_t m, double *colsum, double *rsum)
{
    double sum = 0, tr = 0, sum_r = 0, tr_cc = 0, sum_cc = 0, q, mm = (double)m, n = (double)sa->n, f_hi, f_lo;
    size_t a_i, b_i;

    for (a_i = 0; a_i < m; a_i++) {
        size_t i = act[a_i];
        double cii = com_at(sa, i, i);
        colsum[a_i] = rsum[a_i] = 0;
        for (b_i = 0; b_i < m; b_i++) {
            size_t j = act[b_i];
            double c = com_at(sa, i, j);
            colsum[a_i] += c;
            rsum[a_i] += c / sqrt(cii * com_at(sa, j, j));
            tr_cc += c * c; /* tr(C C) for symmetric C */
        }
        sum += colsum[a_i];
        sum_r += rsum[a_i];
        sum_cc += colsum[a_i] * colsum[a_i]; /* sum(C %*% C) */
        tr += cii;
    }
    a->raw = (1 - tr / sum) * mm / (mm - 1);
    a->std = (1 - mm / sum_r) * mm / (mm - 1);
    /* Duhachek & Iacobucci's Q as psych writes it; scale-free, so co-moments do. */
    q = 2 * mm * mm / ((mm - 1) * (mm - 1) * sum * sum * sum) * (sum * (tr_cc + tr * tr) - 2 * tr * sum_cc);
    a->ase = sqrt(q / n);
    /* Feldt (1965), as psych::alpha.ci: 1 - (1 - alpha) F_{1-p/2}, F_{p/2} on n - 1 and
     * (n - 1)(k - 1) degrees of freedom. */
    f_hi = rfsi_f_quantile(0.975, n - 1, (n - 1) * (mm - 1));
    f_lo = rfsi_f_quantile(0.025, n - 1, (n - 1) * (mm - 1));
    a->feldt_lower = 1 - (1 - a->raw) * f_hi;
    a->feldt_upper = 1 - (1 - a->raw) * f_lo;
    if (!items)
        return;
    for (a_i = 0; a_i < m; a_i++) {
        size_t i = act[a_i];
        double cii = com_at(sa, i, i), s_drop = sum - 2 * colsum[a_i] + cii;
        rfsi_alpha_item *it = &items[i];
        it->r_drop = (colsum[a_i] - cii) / sqrt(cii * s_drop);
        if (m > 2) {
            double r_drop_sum = sum_r - 2 * rsum[a_i] + 1;
            it->alpha_drop = (1 - (tr - cii) / s_drop) * (mm - 1) / (mm - 2);
            it->std_alpha_drop = (1 - (mm - 1) / r_drop_sum) * (mm - 1) / (mm - 2);
        } else {
            /* psych's two-item case: item 1 dropped gives C12 / C22, item 2 C12 / C11;
             * standardised, r12 for both. */
            size_t other = act[1 - a_i];
            double c12 = com_at(sa, act[0], act[1]);
            it->alpha_drop = c12 / com_at(sa, other, other);
            it->std_alpha_drop = c12 / sqrt(cii * com_at(sa, other, other));
        }
    }
}

/* Omega total of the items with variance (act, m >= 3) from their correlation matrix. */
static int omega_compute(const rfsi_scale_acc *sa, rfsi_alpha *a, rfsi_alpha_item *items, const size_t *act, size_t m)
{
    double *r = malloc((m * m + 2 * m + 1) * sizeof *r), *l;
    rfsi_omega_fit fit;
    size_t i, j;

    if (!r)
        return -1;
    l = r + m * m;
    for (i = 0; i < m; i++)
        for (j = 0; j < m; j++)
            r[i * m + j] = i == j ? 1
                                  : com_at(sa, act[i], act[j]) / sqrt(com_at(sa, act[i], act[i]) * com_at(sa, act[j], act[j]));
    if (rfsi_omega_minres(r, m, l, &fit) == 0) {
        a->omega_total = fit.omega_total;
        a->omega_heywood = fit.heywood;
        for (i = 0; items && i < m; i++)
            items[act[i]].loading = l[i];
    }
    free(r);
    return 0;
}

int rfsi_study_score_stats(const rfsi_study *st, size_t inst, size_t score, rfsi_score_stats *out,
                           rfsi_alpha_item *items)
{
    const rfsi_inst_acc *ia;
    const rfsi_scale_acc *sa;
    size_t *act = NULL, m = 0, j;
    double *scratch = NULL;

    if (!st || inst >= st->n_insts || score >= rfs_instrument_score_count(st->insts[inst].inst))
        return -1;
    ia = &st->insts[inst];
    memset(out, 0, sizeof *out);
    memcpy(out->status, ia->scores[score].status, sizeof out->status);
    describe(&ia->scores[score].m, &out->d);
    out->alpha.raw = out->alpha.std = out->alpha.ase = NAN;
    out->alpha.feldt_lower = out->alpha.feldt_upper = NAN;
    out->alpha.omega_total = NAN;
    out->is_scale = score < ia->inst->n_scales;
    if (!out->is_scale)
        return 0;
    sa = &ia->scales[score];
    out->alpha.n = sa->n;
    if (items)
        alpha_items_init(sa, items);
    act = malloc((sa->k + 1) * sizeof *act);
    scratch = malloc((2 * sa->k + 1) * sizeof *scratch);
    if (!act || !scratch) {
        free(act);
        free(scratch);
        return -1;
    }
    for (j = 0; j < sa->k; j++)
        if (sa->n >= 2 && com_at(sa, j, j) > 0)
            act[m++] = j; /* psych::alpha drops items without variance */
    out->alpha.k = m;
    if (m >= 2)
        alpha_compute(sa, &out->alpha, items, act, m, scratch, scratch + sa->k);
    if (m >= 3 && omega_compute(sa, &out->alpha, items, act, m) < 0) {
        free(act);
        free(scratch);
        return -1;
    }
    free(act);
    free(scratch);
    return 0;
}

const rfsi_pairs *rfsi_study_scale_pairs(const rfsi_study *st, size_t inst)
{
    return inst < st->n_insts ? &st->insts[inst].scale_pairs : NULL;
}

unsigned long long rfsi_study_excluded(const rfsi_study *st, size_t inst, rfsi_exclusion e)
{
    return inst < st->n_insts && e < RFSI_EXCL_COUNT ? st->insts[inst].excluded[e] : 0;
}

rfsi_study_meta *rfsi_study_meta_of(const rfsi_study *st)
{
    return st->meta;
}

/* ------------------------------------------------------------- accessors */

size_t rfsi_study_instrument_count(const rfsi_study *st)
{
    return st->n_insts;
}

const rfs_instrument *rfsi_study_instrument(const rfsi_study *st, size_t inst)
{
    return inst < st->n_insts ? st->insts[inst].inst : NULL;
}

int rfsi_study_all_rows(const rfsi_study *st)
{
    return st->all_rows;
}

void rfsi_study_add_not_administered(rfsi_study *st, size_t inst)
{
    if (st && inst < st->n_insts)
        st->insts[inst].not_administered++;
}

unsigned long long rfsi_study_not_administered(const rfsi_study *st, size_t inst)
{
    return inst < st->n_insts ? st->insts[inst].not_administered : 0;
}

unsigned long long rfsi_study_rows(const rfsi_study *st, size_t inst, unsigned long long *valid_rows)
{
    if (inst >= st->n_insts)
        return 0;
    if (valid_rows)
        *valid_rows = st->insts[inst].valid_rows;
    return st->insts[inst].rows;
}

unsigned long long rfsi_study_flag_rows(const rfsi_study *st, size_t inst, rfsi_flag_kind kind)
{
    return inst < st->n_insts && kind < RFSI_FLAG_COUNT ? st->insts[inst].flag_rows[kind] : 0;
}

const unsigned long long *rfsi_study_item_counts(const rfsi_study *st, size_t inst, size_t item)
{
    if (inst >= st->n_insts || item >= st->insts[inst].inst->n_items)
        return NULL;
    return st->insts[inst].item_counts + item * st->insts[inst].item_stride;
}

const unsigned long long *rfsi_study_histogram(const rfsi_study *st, size_t inst, size_t score, size_t *bins,
                                              double *lo, double *hi)
{
    const rfsi_score_acc *sa;

    if (inst >= st->n_insts || score >= rfs_instrument_score_count(st->insts[inst].inst))
        return NULL;
    sa = &st->insts[inst].scores[score];
    *bins = sa->bins;
    *lo = sa->lo;
    *hi = sa->hi;
    return sa->hist;
}

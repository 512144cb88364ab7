/* The study report (src/report.c, src/fdist.c): figures against R, counts, warnings and the
 * three renderings.
 *
 * The reference figures are in tests/report/reference.csv and qf.csv, written by
 * tests/report/reference.R (psych::describe, psych::alpha and qf in R 4.2 / psych 2.2.9)
 * from the data sets tests/report/rfq8.csv and ecrr.csv (simulated by simulate.R there).
 * Each data row goes through the real cell classifier and scoring core with the shipped
 * definitions instruments/rfq8.ini and ecrr.ini, so the keying is checked too.
 *
 * Run with `--html FILE` it writes the HTML report of those data sets (plus a mis-keyed
 * instrument, for a warning) for tests/report/check-html.sh, and runs no test. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "scoring/cell.h"
#include "report/fdist.h"
#include "definition/instrument.h"
#include "report/report.h"
#include "scoring/score.h"

#ifndef TEST_TOP
#define TEST_TOP "."
#endif
#define REPORT_DIR TEST_TOP "/tests/report/"

#define MAX_FIELDS 64
#define TOLERANCE 1e-6

/* ------------------------------------------------------------------ files */

static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Next line of *p, NUL-terminated in place (without CR/LF); NULL at the end. */
static char *next_line(char **p)
{
    char *line = *p, *end;

    if (!line || !*line)
        return NULL;
    end = strchr(line, '\n');
    if (end) {
        *end = '\0';
        *p = end + 1;
    } else
        *p = line + strlen(line);
    if (end && end > line && end[-1] == '\r')
        end[-1] = '\0';
    return line;
}

/* Splits at commas in place (the test files have no quoted fields). */
static size_t split(char *line, char **fields, size_t max)
{
    size_t n = 0;

    fields[n++] = line;
    for (; *line && n < max; line++)
        if (*line == ',') {
            *line = '\0';
            fields[n++] = line + 1;
        }
    return n;
}

/* Scores one row of responses and adds it to the study; the kinds are those the scorer
 * would derive from the responses alone. */
static void add_row(rfsi_study *st, size_t inst_index, const rfs_instrument *inst, const rfsi_response *resp,
                    int valid)
{
    size_t n_scores = rfs_instrument_score_count(inst), s, j;
    rfsi_score_result *res = calloc(n_scores + 1, sizeof *res);
    size_t *min_answered = calloc(inst->n_scales + 1, sizeof *min_answered);
    long kinds = 0;

    assert_non_null(res);
    assert_non_null(min_answered);
    for (s = 0; s < inst->n_scales; s++)
        min_answered[s] = inst->scales[s].min_answered;
    rfsi_score(inst, min_answered, resp, res);
    for (j = 0; j < inst->n_items; j++) {
        if (resp[j].state == RFSI_INVALID)
            kinds |= 1L << RFSI_FLAG_INVALID_ANSWER;
        if (resp[j].state == RFSI_MISSING && resp[j].missing_type > 0)
            kinds |= 1L << RFSI_FLAG_MISSING;
    }
    for (s = 0; s < inst->n_scales; s++)
        if (res[s].status == RFSI_STATUS_TOO_FEW_ITEMS)
            kinds |= 1L << RFSI_FLAG_TOO_FEW_ITEMS;
    /* simulate.R's other invalid rows are those "another screen (longstring, too_fast)
     * would reject" */
    if (!valid && !(kinds & ((1L << RFSI_FLAG_INVALID_ANSWER) | (1L << RFSI_FLAG_TOO_FEW_ITEMS))))
        kinds |= 1L << RFSI_FLAG_LONGSTRING;
    assert_int_equal(rfsi_study_add(st, inst_index, resp, res, kinds, valid), 0);
    free(res);
    free(min_answered);
}

/* Feeds tests/report/<id>.csv (id, valid, item columns) to each study. Returns rows. */
static size_t feed_csv(const char *id, const rfs_instrument *inst, size_t inst_index, rfsi_study *const *studies,
                       size_t n_studies)
{
    char path[512], *text, *p, *line, *f[MAX_FIELDS];
    size_t n, c, j, rows = 0, item_col[MAX_FIELDS], valid_col = (size_t)-1;
    rfsi_response *resp = calloc(inst->n_items, sizeof *resp);

    snprintf(path, sizeof path, REPORT_DIR "%s.csv", id);
    text = read_text(path);
    assert_non_null(text);
    assert_non_null(resp);
    p = text;
    line = next_line(&p);
    n = split(line, f, MAX_FIELDS);
    for (j = 0; j < inst->n_items; j++) {
        item_col[j] = (size_t)-1;
        for (c = 0; c < n; c++)
            if (strcmp(f[c], rfs_instrument_item_column(inst, j + 1)) == 0)
                item_col[j] = c;
        assert_true(item_col[j] != (size_t)-1);
    }
    for (c = 0; c < n; c++)
        if (strcmp(f[c], "valid") == 0)
            valid_col = c;
    assert_true(valid_col != (size_t)-1);
    while ((line = next_line(&p)) != NULL) {
        size_t s;
        assert_int_equal(split(line, f, MAX_FIELDS), n);
        for (j = 0; j < inst->n_items; j++)
            rfsi_cell_classify(inst, f[item_col[j]], strlen(f[item_col[j]]), &resp[j]);
        for (s = 0; s < n_studies; s++)
            add_row(studies[s], inst_index, inst, resp, strcmp(f[valid_col], "1") == 0);
        rows++;
    }
    free(resp);
    free(text);
    return rows;
}

/* ------------------------------------------------------ the two data sets */

typedef struct fixture {
    rfs_instrument *inst[2]; /* rfq8, ecrr */
    rfsi_study *valid, *all; /* default (valid rows), all rows */
    size_t rows[2];
} fixture;

static const char *const set_ids[2] = {"rfq8", "ecrr"};

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    rfsi_study *both[2];
    size_t i;

    assert_non_null(fx);
    for (i = 0; i < 2; i++)
        fx->inst[i] = test_load_shipped(set_ids[i]);
    fx->valid = rfsi_study_new((const rfs_instrument *const *)fx->inst, 2);
    fx->all = rfsi_study_new((const rfs_instrument *const *)fx->inst, 2);
    assert_non_null(fx->valid);
    assert_non_null(fx->all);
    rfsi_study_set_all_rows(fx->all, 1);
    both[0] = fx->valid;
    both[1] = fx->all;
    for (i = 0; i < 2; i++)
        fx->rows[i] = feed_csv(set_ids[i], fx->inst[i], i, both, 2);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;

    rfsi_study_free(fx->valid);
    rfsi_study_free(fx->all);
    rfs_instrument_free(fx->inst[0]);
    rfs_instrument_free(fx->inst[1]);
    free(fx);
    return 0;
}

/* The figure named by one line of reference.csv, as rfscore computes it. */
static double figure(const rfsi_study *st, size_t inst_index, const rfs_instrument *inst, const char *scale,
                     const char *item, const char *stat)
{
    size_t s = rfsi_score_find(inst, scale), j, k;
    rfsi_score_stats ss;
    rfsi_alpha_item items[64];
    static const struct {
        const char *name;
        size_t offset;
    } described[] = {
        {"mean", offsetof(rfsi_describe, mean)}, {"sd", offsetof(rfsi_describe, sd)},
        {"min", offsetof(rfsi_describe, min)},   {"max", offsetof(rfsi_describe, max)},
        {"range", offsetof(rfsi_describe, range)}, {"skew", offsetof(rfsi_describe, skew)},
        {"kurtosis", offsetof(rfsi_describe, kurtosis)}, {"se", offsetof(rfsi_describe, se)},
    };

    assert_true(s < inst->n_scales);
    assert_true(inst->scales[s].n_items <= 64);
    assert_int_equal(rfsi_study_score_stats(st, inst_index, s, &ss, items), 0);
    if (strncmp(stat, "cor", 3) == 0) { /* item names the other scale */
        double r, rd;
        unsigned long long n;
        assert_int_equal(rfsi_study_scale_cor(st, inst_index, s, rfsi_score_find(inst, item), &r, &n, &rd), 0);
        return strcmp(stat, "cor_n") == 0 ? (double)n : strcmp(stat, "cor") == 0 ? r : rd;
    }
    if (*item) {
        for (j = 0; j < inst->scales[s].n_items; j++)
            if (strcmp(inst->items[inst->scales[s].items[j]].column, item) == 0)
                break;
        assert_true(j < inst->scales[s].n_items);
        if (strcmp(stat, "alpha_drop") == 0)
            return items[j].alpha_drop;
        if (strcmp(stat, "std_alpha_drop") == 0)
            return items[j].std_alpha_drop;
        if (strcmp(stat, "r_drop") == 0)
            return items[j].r_drop;
        if (strcmp(stat, "item_mean") == 0)
            return items[j].mean;
        if (strcmp(stat, "item_sd") == 0)
            return items[j].sd;
        if (strcmp(stat, "loading") == 0 || strcmp(stat, "loading_psych") == 0)
            return items[j].loading;
        fail_msg("unknown item statistic %s", stat);
    }
    if (strcmp(stat, "n") == 0)
        return (double)ss.d.n;
    for (k = 0; k < sizeof described / sizeof described[0]; k++)
        if (strcmp(stat, described[k].name) == 0)
            return *(const double *)((const char *)&ss.d + described[k].offset);
    if (strcmp(stat, "alpha_n") == 0)
        return (double)ss.alpha.n;
    if (strcmp(stat, "raw_alpha") == 0)
        return ss.alpha.raw;
    if (strcmp(stat, "std_alpha") == 0)
        return ss.alpha.std;
    if (strcmp(stat, "ase") == 0)
        return ss.alpha.ase;
    if (strcmp(stat, "feldt_lower") == 0)
        return ss.alpha.feldt_lower;
    if (strcmp(stat, "feldt_upper") == 0)
        return ss.alpha.feldt_upper;
    if (strcmp(stat, "omega_total") == 0)
        return ss.alpha.omega_total;
    fail_msg("unknown statistic %s", stat);
    return NAN;
}

/* Every figure of reference.csv within 1e-6 of R (counts exactly). */
static void test_matches_r(void **state)
{
    fixture *fx = *state;
    char *text = read_text(REPORT_DIR "reference.csv"), *p = text, *line, *f[8], worst[160] = "";
    double max_dev = 0, max_psych_loading = 0;
    size_t n = 0;

    assert_non_null(text);
    next_line(&p); /* header */
    while ((line = next_line(&p)) != NULL) {
        size_t set;
        double want, got, dev;
        assert_int_equal(split(line, f, 8), 6);
        set = strcmp(f[0], "rfq8") == 0 ? 0 : 1;
        assert_string_equal(f[0], set_ids[set]);
        want = strtod(f[5], NULL);
        got = figure(strcmp(f[1], "all") == 0 ? fx->all : fx->valid, set, fx->inst[set], f[2], f[3], f[4]);
        dev = fabs(got - want);
        if (strcmp(f[4], "n") == 0 || strcmp(f[4], "alpha_n") == 0 || strcmp(f[4], "cor_n") == 0)
            assert_true(got == want);
        if (!(dev <= (strcmp(f[4], "loading_psych") == 0 ? 1e-5 : TOLERANCE)))
            fail_msg("%s %s %s %s %s: rfscore %.17g, R %.17g", f[0], f[1], f[2], f[3], f[4], got, want);
        if (strcmp(f[4], "loading_psych") == 0) {
            if (dev > max_psych_loading)
                max_psych_loading = dev;
        } else if (dev > max_dev || n == 0) {
            max_dev = dev;
            snprintf(worst, sizeof worst, "%s %s %s %s %s", f[0], f[1], f[2], f[3], f[4]);
        }
        n++;
    }
    assert_true(n >= 500);
    print_message("%zu figures match R; max |rfscore - R| = %.3g (%s); psych's minres loadings within %.3g\n", n,
                  max_dev, worst, max_psych_loading);
    free(text);
}

/* F quantiles against R's qf, and against our own incomplete beta where R's qf drifts. */
static void test_f_quantile(void **state)
{
    char *text = read_text(REPORT_DIR "qf.csv"), *p = text, *line, *f[4];
    double q, max_rel = 0;

    (void)state;
    assert_non_null(text);
    next_line(&p);
    while ((line = next_line(&p)) != NULL) {
        double prob, d1, d2, want, got;
        assert_int_equal(split(line, f, 4), 4);
        prob = strtod(f[0], NULL);
        d1 = strtod(f[1], NULL);
        d2 = strtod(f[2], NULL);
        want = strtod(f[3], NULL);
        got = rfsi_f_quantile(prob, d1, d2);
        if (!(fabs(got - want) <= 1e-9 * want))
            fail_msg("qf(%g, %g, %g): %.17g, R %.17g", prob, d1, d2, got, want);
        if (fabs(got - want) / want > max_rel)
            max_rel = fabs(got - want) / want;
    }
    print_message("qf: max relative deviation from R %.3g\n", max_rel);
    free(text);
    /* A million rows: P(F <= q) must come back as p. */
    q = rfsi_f_quantile(0.3, 1e6, 1.7e7);
    assert_double_equal(rfsi_beta_inc(1e6 * q / (1e6 * q + 1.7e7), 5e5, 8.5e6), 0.3, 1e-7);
    assert_true(rfsi_f_quantile(0, 3, 4) == 0);
    assert_true(isinf(rfsi_f_quantile(1, 3, 4)));
    assert_true(isnan(rfsi_f_quantile(0.5, 0, 4)));
    assert_true(isnan(rfsi_f_quantile(-0.1, 3, 4)));
    assert_double_equal(rfsi_beta_inc(0.5, 7, 7), 0.5, 1e-15);
    assert_double_equal(rfsi_beta_inc(0.3, 1, 1), 0.3, 1e-15);
    assert_double_equal(rfsi_beta_inc(0.25, 2, 1), 0.0625, 1e-15); /* x^2 */
    assert_true(rfsi_beta_inc(0, 2, 3) == 0 && rfsi_beta_inc(1, 2, 3) == 1);
    assert_true(isnan(rfsi_beta_inc(1.5, 2, 3)));
}

/* Row, validity, status, flag, response and histogram counts, over every row. */
static void test_counts(void **state)
{
    fixture *fx = *state;
    size_t i, j, s, v;

    for (i = 0; i < 2; i++) {
        const rfs_instrument *inst = fx->inst[i];
        size_t range = (size_t)(inst->max - inst->min + 1), stride = range + 1 + inst->n_missing_types + 1;
        unsigned long long valid, valid_all, rows = rfsi_study_rows(fx->valid, i, &valid);
        assert_int_equal(rows, fx->rows[i]);
        assert_int_equal(rfsi_study_rows(fx->all, i, &valid_all), rows);
        assert_int_equal(valid_all, valid);
        assert_true(valid < rows);
        for (j = 0; j < inst->n_items; j++) {
            const unsigned long long *c = rfsi_study_item_counts(fx->valid, i, j);
            unsigned long long total = 0;
            for (v = 0; v < stride; v++)
                total += c[v];
            assert_int_equal(total, rows);
            assert_memory_equal(c, rfsi_study_item_counts(fx->all, i, j), stride * sizeof *c);
        }
        assert_true(rfsi_study_flag_rows(fx->valid, i, RFSI_FLAG_INVALID_ANSWER) > 0);
        assert_int_equal(rfsi_study_flag_rows(fx->valid, i, RFSI_FLAG_EMPTY_ROW), 0);
        for (s = 0; s < rfs_instrument_score_count(inst); s++) {
            rfsi_score_stats a, b;
            size_t bins;
            double lo, hi;
            const unsigned long long *h = rfsi_study_histogram(fx->valid, i, s, &bins, &lo, &hi);
            unsigned long long in_bins = 0;
            assert_int_equal(rfsi_study_score_stats(fx->valid, i, s, &a, NULL), 0);
            assert_int_equal(rfsi_study_score_stats(fx->all, i, s, &b, NULL), 0);
            assert_int_equal(a.status[0] + a.status[1] + a.status[2], rows);
            assert_memory_equal(a.status, b.status, sizeof a.status);
            assert_true(a.d.n < b.d.n && a.d.n <= a.status[0]);
            assert_int_equal(b.d.n, b.status[0]);
            for (j = 0; j < bins; j++)
                in_bins += h[j];
            assert_int_equal(in_bins, a.d.n);
            assert_int_equal(bins, i == 0 ? 6 : 12); /* means over 0..3 and 1..7: half-unit bins */
            assert_true(lo == (i == 0 ? 0 : 1) && hi == (i == 0 ? 3 : 7));
        }
    }
    assert_int_equal(rfsi_study_add(fx->valid, 2, NULL, NULL, 0, 1), -1);
}

/* ------------------------------------------------- hand-made instruments */

#define MK_INI                                                                                          \
    "[instrument]\nid = mk\nname = \"Keying <test> & co\"\nversion = \"1.0\"\n"                         \
    "citation = \"Nobody N (2026). Test.\"\ndoi = \"10.0000/mk\"\nitems = 6\nmin = 1\nmax = 5\n"        \
    "[scale.a]\nitems = 1-4\nreverse = 4\nscore = mean\n"                                               \
    "[scale.pair]\nitems = 5-6\nscore = sum\n"                                                          \
    "[derived.t]\nscales = a, pair\nscore = sum\n"

/* 60 rows: items 1-4 follow one trait, but item 4 is declared reversed although it was
 * not worded the other way: after keying it runs against the scale. Items 5, 6 are the
 * two-item pair worked by hand in test_two_items (cycled). */
static void feed_miskeyed(rfsi_study *st, size_t inst_index, const rfs_instrument *inst)
{
    static const long pair[4][2] = {{1, 2}, {2, 1}, {3, 4}, {4, 3}};
    unsigned long seed = 12345;
    rfsi_response resp[6];
    size_t r, j;

    memset(resp, 0, sizeof resp);
    for (r = 0; r < 60; r++) {
        long trait = 1 + (long)(r % 5);
        for (j = 0; j < 4; j++) {
            long noise;
            seed = seed * 1103515245UL + 12345UL;
            noise = (long)((seed >> 16) % 3) - 1;
            resp[j].value = trait + noise < 1 ? 1 : trait + noise > 5 ? 5 : trait + noise;
            resp[j].state = RFSI_ANSWER;
        }
        resp[4].value = pair[r % 4][0];
        resp[5].value = pair[r % 4][1];
        resp[4].state = resp[5].state = RFSI_ANSWER;
        add_row(st, inst_index, inst, resp, 1);
    }
}

static void test_miskeyed_item_warns(void **state)
{
    rfs_instrument *inst = test_load_text(MK_INI);
    const rfs_instrument *list[1];
    rfsi_study *st;
    rfsi_score_stats ss;
    rfsi_alpha_item items[4];
    char *text, *json, *html;
    size_t j;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    assert_non_null(st);
    feed_miskeyed(st, 0, inst);
    assert_int_equal(rfsi_study_score_stats(st, 0, 0, &ss, items), 0);
    assert_true(items[3].r_drop < 0);
    for (j = 0; j < 3; j++)
        assert_true(items[j].r_drop > 0);
    text = rfsi_study_render(st, 0, "mk.csv");
    json = rfsi_study_render(st, 1, "mk.csv");
    html = rfsi_study_render(st, 2, "mk.csv");
    assert_non_null(text);
    assert_non_null(json);
    assert_non_null(html);
    assert_non_null(strstr(text, "warning: mk scale a: item mk_4 (reversed) correlates negatively"));
    assert_null(strstr(text, "item mk_1 ("));
    assert_non_null(strstr(json, "{\"kind\": \"negative_r_drop\", \"scale\": \"a\", \"item\": \"mk_4\""));
    assert_non_null(strstr(html, "<li class=\"warning\">mk scale a: item mk_4 (reversed)"));
    assert_non_null(strstr(html, "Keying &lt;test&gt; &amp; co")); /* names are escaped */
    assert_null(strstr(html, "<test>"));
    free(text);
    free(json);
    free(html);
    rfsi_study_free(st);
    rfs_instrument_free(inst);
}

/* psych's two-item case, by hand: x = (1,2,3,4), y = (2,1,4,3) cycled 15 times.
 * Deviations (-1.5,-.5,.5,1.5) and (-.5,-1.5,1.5,.5): per cycle Cxx = Cyy = 5, Cxy = 3.
 * alpha = (1 - (5 + 5) / 16) * 2 = 0.75 = std alpha (equal variances); r.drop = 3/5;
 * alpha if x deleted = Cxy / Cyy = 0.6, std = r = 0.6. */
static void test_two_items(void **state)
{
    rfs_instrument *inst = test_load_text(MK_INI);
    const rfs_instrument *list[1];
    rfsi_study *st;
    rfsi_score_stats ss;
    rfsi_alpha_item items[2];
    size_t j;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    assert_non_null(st);
    feed_miskeyed(st, 0, inst);
    assert_int_equal(rfsi_study_score_stats(st, 0, 1, &ss, items), 0);
    assert_int_equal(ss.alpha.n, 60);
    assert_int_equal(ss.alpha.k, 2);
    assert_double_equal(ss.alpha.raw, 0.75, 1e-12);
    assert_double_equal(ss.alpha.std, 0.75, 1e-12);
    for (j = 0; j < 2; j++) {
        assert_double_equal(items[j].r_drop, 0.6, 1e-12);
        assert_double_equal(items[j].alpha_drop, 0.6, 1e-12);
        assert_double_equal(items[j].std_alpha_drop, 0.6, 1e-12);
        assert_double_equal(items[j].mean, 2.5, 1e-12);
        assert_double_equal(items[j].sd, sqrt(75.0 / 59.0), 1e-12); /* 15 cycles of 5, n - 1 = 59 */
    }
    /* Feldt on 59 and 59 df: 1 - (1 - 0.75) F. */
    assert_double_equal(ss.alpha.feldt_lower, 1 - 0.25 * rfsi_f_quantile(0.975, 59, 59), 1e-12);
    assert_double_equal(ss.alpha.feldt_upper, 1 - 0.25 * rfsi_f_quantile(0.025, 59, 59), 1e-12);
    /* A derived score has descriptives but no alpha. */
    assert_int_equal(rfsi_study_score_stats(st, 0, 2, &ss, NULL), 0);
    assert_false(ss.is_scale);
    assert_int_equal(ss.d.n, 60);
    assert_true(isnan(ss.alpha.raw));
    rfsi_study_free(st);
    rfs_instrument_free(inst);
}

/* Bins over each score's possible range: a mean over 1..5 in half units; a 2-item sum
 * one bin per value 2..10; the derived sum of both, 3..15, not integer-valued: half units. */
static void test_histogram_ranges(void **state)
{
    rfs_instrument *inst = test_load_text(MK_INI);
    const rfs_instrument *list[1];
    rfsi_study *st;
    size_t bins;
    double lo, hi;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    assert_non_null(st);
    assert_non_null(rfsi_study_histogram(st, 0, 0, &bins, &lo, &hi));
    assert_int_equal(bins, 8);
    assert_true(lo == 1 && hi == 5);
    assert_non_null(rfsi_study_histogram(st, 0, 1, &bins, &lo, &hi));
    assert_int_equal(bins, 9);
    assert_true(lo == 1.5 && hi == 10.5);
    assert_non_null(rfsi_study_histogram(st, 0, 2, &bins, &lo, &hi));
    assert_int_equal(bins, 24);
    assert_true(lo == 3 && hi == 15);
    assert_null(rfsi_study_histogram(st, 0, 3, &bins, &lo, &hi));
    rfsi_study_free(st);
    rfs_instrument_free(inst);
}

#define CONST_INI                                                                                       \
    "[instrument]\nid = cst\nname = \"Constant item\"\nversion = \"1\"\n"                               \
    "citation = \"Nobody N (2026). Test.\"\ndoi = \"10.0000/c\"\nitems = 4\nmin = 1\nmax = 5\n"         \
    "[scale.a]\nitems = 1-4\nscore = mean\n[scale.b]\nitems = 1, 2, 4\nscore = mean\n"

/* An item with one value in every complete row is left out of alpha (as psych::alpha
 * does), with a warning; alpha is then that of the other items. One complete row: none. */
static void test_constant_item_and_too_few_rows(void **state)
{
    rfs_instrument *inst = test_load_text(CONST_INI);
    const rfs_instrument *list[1];
    rfsi_study *st, *one;
    rfsi_score_stats a, b;
    rfsi_alpha_item items[4];
    rfsi_response resp[4];
    char *text;
    size_t r;

    (void)state;
    list[0] = inst;
    st = rfsi_study_new(list, 1);
    one = rfsi_study_new(list, 1);
    assert_non_null(st);
    assert_non_null(one);
    memset(resp, 0, sizeof resp);
    for (r = 0; r < 20; r++) {
        resp[0].value = 1 + (long)(r % 5);
        resp[1].value = 1 + (long)((r * 3 + 1) % 5);
        resp[2].value = 3;
        resp[3].value = 1 + (long)((r + r / 5) % 5);
        resp[0].state = resp[1].state = resp[2].state = resp[3].state = RFSI_ANSWER;
        add_row(st, 0, inst, resp, 1);
        if (r == 0)
            add_row(one, 0, inst, resp, 1);
    }
    assert_int_equal(rfsi_study_score_stats(st, 0, 0, &a, items), 0);
    assert_int_equal(rfsi_study_score_stats(st, 0, 1, &b, NULL), 0);
    assert_int_equal(a.alpha.k, 3);
    assert_false(items[2].in_alpha);
    assert_true(isnan(items[2].r_drop));
    assert_double_equal(items[2].sd, 0, 0);
    assert_double_equal(a.alpha.raw, b.alpha.raw, 1e-12);
    assert_double_equal(a.alpha.std, b.alpha.std, 1e-12);
    text = rfsi_study_render(st, 0, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "warning: cst scale a: item cst_3 has the same scored value (3) in all 20"));
    free(text);

    assert_int_equal(rfsi_study_score_stats(one, 0, 0, &a, items), 0);
    assert_int_equal(a.alpha.n, 1);
    assert_true(isnan(a.alpha.raw) && isnan(a.d.sd) && isnan(a.d.skew));
    assert_double_equal(a.d.mean, 1.75, 0); /* row 0 answers 1, 2, 3, 1 */
    text = rfsi_study_render(one, 1, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\"kind\": \"no_alpha\""));
    assert_non_null(strstr(text, "\"raw_alpha\": null"));
    assert_null(strstr(text, ": nan"));
    assert_null(strstr(text, "-nan"));
    free(text);
    rfsi_study_free(st);
    rfsi_study_free(one);
    rfs_instrument_free(inst);
}

/* Text, JSON and HTML of the two data sets: each renders, JSON is balanced, HTML refers
 * to nothing outside itself. */
static void test_renderings(void **state)
{
    fixture *fx = *state;
    char *text = rfsi_study_render(fx->valid, 0, "data.csv");
    char *json = rfsi_study_render(fx->valid, 1, "data \"x\".csv");
    char *html = rfsi_study_render(fx->all, 2, "<data>.csv");
    const char *c;
    long depth = 0;
    int in_str = 0;

    assert_non_null(text);
    assert_non_null(json);
    assert_non_null(html);
    assert_null(rfsi_study_render(fx->valid, 3, "x"));
    assert_non_null(strstr(text, "Statistics over valid rows"));
    assert_non_null(strstr(text, "== ecrr:"));
    assert_non_null(strstr(text, "flags (rows): invalid_answer"));
    assert_non_null(strstr(json, "\"input\": \"data \\\"x\\\".csv\""));
    assert_non_null(strstr(json, "\"rows\": \"valid\""));
    for (c = json; *c; c++) { /* braces and brackets balance outside strings */
        if (*c == '\\' && in_str)
            c++;
        else if (*c == '"')
            in_str = !in_str;
        else if (!in_str && (*c == '{' || *c == '['))
            depth++;
        else if (!in_str && (*c == '}' || *c == ']'))
            assert_true(--depth >= 0);
    }
    assert_int_equal(depth, 0);
    assert_null(strstr(json, ": nan")); /* "provenance" holds the letters */
    assert_null(strstr(json, "-nan"));
    assert_non_null(strstr(html, "<title>rfscore report: &lt;data&gt;.csv</title>"));
    assert_non_null(strstr(html, "id=\"hist-ecrr-avoidance\""));
    assert_non_null(strstr(html, "id=\"flags-rfq8\""));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "url("));
    assert_null(strstr(html, "<script"));
    for (c = strstr(html, "http"); c; c = strstr(c + 1, "http"))
        assert_true(strncmp(c, "http://www.w3.org/2000/svg\"", 27) == 0);
    free(text);
    free(json);
    free(html);
}

static void test_free_null(void **state)
{
    (void)state;
    rfsi_study_free(NULL);
}

/* --html FILE: the report of both data sets and the mis-keyed instrument. */
static int write_html(const char *out_path)
{
    rfs_instrument *inst[3];
    rfsi_study *st;
    rfsi_study *one[1];
    char *html;
    FILE *f;
    int rc = 1;

    inst[0] = test_load_shipped("rfq8");
    inst[1] = test_load_shipped("ecrr");
    inst[2] = test_load_text(MK_INI);
    st = rfsi_study_new((const rfs_instrument *const *)inst, 3);
    if (!st)
        return 1;
    one[0] = st;
    feed_csv("rfq8", inst[0], 0, one, 1);
    feed_csv("ecrr", inst[1], 1, one, 1);
    feed_miskeyed(st, 2, inst[2]);
    html = rfsi_study_render(st, 2, "rfq8.csv, ecrr.csv and a mis-keyed demo");
    f = fopen(out_path, "wb");
    if (html && f && fputs(html, f) >= 0)
        rc = 0;
    if (f && fclose(f) != 0)
        rc = 1;
    free(html);
    rfsi_study_free(st);
    rfs_instrument_free(inst[0]);
    rfs_instrument_free(inst[1]);
    rfs_instrument_free(inst[2]);
    return rc;
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_matches_r),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_renderings),
    };
    const struct CMUnitTest alone[] = {
        cmocka_unit_test(test_f_quantile),
        cmocka_unit_test(test_miskeyed_item_warns),
        cmocka_unit_test(test_two_items),
        cmocka_unit_test(test_histogram_ranges),
        cmocka_unit_test(test_constant_item_and_too_few_rows),
        cmocka_unit_test(test_free_null),
    };

    if (argc == 3 && strcmp(argv[1], "--html") == 0)
        return write_html(argv[2]);
    return cmocka_run_group_tests_name("report_data", tests, setup, teardown) |
           cmocka_run_group_tests_name("report", alone, NULL, NULL);
}

/* What the report says about how it was made: the provenance block (rfscore version, date,
 * command line, the input's SHA-256, each definition's version and SHA-256: the figures
 * `--manifest` records, from the same sources) and, per instrument, its citation and the
 * scoring rule in words, with the minimum of answered items actually in force. */
#include "report_meta.h"

#include <stdlib.h>
#include <string.h>

#include "report_fmt.h"

struct rfsi_study_meta {
    size_t n_insts;
    size_t **min_answered;      /* per instrument, per scale */
    int has_prov;
    rfsi_study_provenance prov; /* its strings point into the copies below */
    char *created, *sha256;
    char **argv, **filters;
};

rfsi_study_meta *rfsi_meta_new(const rfs_instrument *const *insts, size_t n_insts)
{
    rfsi_study_meta *m = calloc(1, sizeof *m);
    size_t i, s;

    if (!m)
        return NULL;
    m->n_insts = n_insts; /* insts itself may be gone after rfsi_study_new() */
    m->min_answered = calloc(n_insts + 1, sizeof *m->min_answered);
    if (!m->min_answered) {
        free(m);
        return NULL;
    }
    for (i = 0; i < n_insts; i++) {
        m->min_answered[i] = calloc(insts[i]->n_scales + 1, sizeof **m->min_answered);
        if (!m->min_answered[i]) {
            rfsi_meta_free(m);
            return NULL;
        }
        for (s = 0; s < insts[i]->n_scales; s++)
            m->min_answered[i][s] = insts[i]->scales[s].min_answered;
    }
    return m;
}

static void prov_clear(rfsi_study_meta *m)
{
    size_t i;

    for (i = 0; m->argv && i < m->prov.argc; i++)
        free(m->argv[i]);
    free(m->argv);
    for (i = 0; m->filters && i < m->prov.n_filters; i++)
        free(m->filters[i]);
    free(m->filters);
    m->filters = NULL;
    free(m->created);
    free(m->sha256);
    m->argv = NULL;
    m->created = m->sha256 = NULL;
    memset(&m->prov, 0, sizeof m->prov);
    m->has_prov = 0;
}

void rfsi_meta_free(rfsi_study_meta *m)
{
    size_t i;

    if (!m)
        return;
    for (i = 0; m->min_answered && i < m->n_insts; i++)
        free(m->min_answered[i]);
    free(m->min_answered);
    prov_clear(m);
    free(m);
}

static char *dup_or_null(const char *s, int *failed)
{
    char *d;

    if (!s)
        return NULL;
    d = malloc(strlen(s) + 1);
    if (!d)
        *failed = 1;
    else
        strcpy(d, s);
    return d;
}

int rfsi_study_set_provenance(rfsi_study *st, const rfsi_study_provenance *p)
{
    rfsi_study_meta *m = rfsi_study_meta_of(st);
    int failed = 0;
    size_t i;

    prov_clear(m);
    m->created = dup_or_null(p->created, &failed);
    m->sha256 = dup_or_null(p->input_sha256, &failed);
    if (p->argc && p->argv) {
        m->argv = calloc(p->argc, sizeof *m->argv);
        failed |= !m->argv;
        for (i = 0; m->argv && i < p->argc; i++)
            m->argv[i] = dup_or_null(p->argv[i] ? p->argv[i] : "", &failed);
    }
    if (p->n_filters && p->filters) {
        m->filters = calloc(p->n_filters, sizeof *m->filters);
        failed |= !m->filters;
        for (i = 0; m->filters && i < p->n_filters; i++)
            m->filters[i] = dup_or_null(p->filters[i] ? p->filters[i] : "", &failed);
    }
    m->prov = *p;
    m->prov.argc = m->argv ? p->argc : 0;
    m->prov.n_filters = m->filters ? p->n_filters : 0;
    if (failed) {
        prov_clear(m);
        return -1;
    }
    m->prov.created = m->created;
    m->prov.input_sha256 = m->sha256;
    m->prov.argv = (const char *const *)m->argv;
    m->prov.filters = (const char *const *)m->filters;
    m->has_prov = 1;
    return 0;
}

const rfsi_study_provenance *rfsi_study_provenance_get(const rfsi_study *st)
{
    const rfsi_study_meta *m = rfsi_study_meta_of(st);
    return m->has_prov ? &m->prov : NULL;
}

int rfsi_study_set_min_answered(rfsi_study *st, size_t inst, const size_t *min_answered)
{
    rfsi_study_meta *m = rfsi_study_meta_of(st);

    if (inst >= m->n_insts)
        return -1;
    memcpy(m->min_answered[inst], min_answered, rfsi_study_instrument(st, inst)->n_scales * sizeof *min_answered);
    return 0;
}

size_t rfsi_study_min_answered(const rfsi_study *st, size_t inst, size_t scale)
{
    const rfsi_study_meta *m = rfsi_study_meta_of(st);
    return inst < m->n_insts && scale < rfsi_study_instrument(st, inst)->n_scales ? m->min_answered[inst][scale] : 0;
}

/* ------------------------------------------------------------- rendering */

/* One argument as a POSIX shell reads it back: bare when safe, else in single quotes. */
static void shell_word(rfsi_buf *b, int *rc, const char *a, int html)
{
    const char *c, *quote = html ? "&#39;" : "'";
    int safe = *a != '\0';

    for (c = a; *c && safe; c++)
        safe = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,@%+-", *c) != NULL;
    if (safe) {
        if (html)
            rfsi_resc(b, rc, a);
        else
            rfsi_rput(b, rc, "%s", a);
        return;
    }
    rfsi_rput(b, rc, "%s", quote);
    for (c = a; *c; c++) {
        char one[2] = {*c, '\0'};
        if (*c == '\'')
            rfsi_rput(b, rc, "%s\\%s%s", quote, quote, quote); /* close, escaped quote, reopen */
        else if (html)
            rfsi_resc(b, rc, one);
        else
            *rc |= rfsi_buf_putc(b, *c);
    }
    rfsi_rput(b, rc, "%s", quote);
}

static void command_line(const rfsi_study_provenance *p, rfsi_buf *b, int *rc, int html)
{
    size_t i;

    if (!p || !p->argc) {
        rfsi_rput(b, rc, "not recorded");
        return;
    }
    rfsi_rput(b, rc, "rfscore"); /* argv[0] is the subcommand (score, report) */
    for (i = 0; i < p->argc; i++) {
        rfsi_rput(b, rc, " ");
        shell_word(b, rc, p->argv[i], html);
    }
}

static const char *or_unknown(const char *s)
{
    return s && *s ? s : "not recorded";
}

void rfsi_study_provenance_render(const rfsi_study *st, const char *input_name, int format, rfsi_buf *b, int *rc)
{
    const rfsi_study_provenance *p = rfsi_study_provenance_get(st);
    size_t i, n = rfsi_study_instrument_count(st);

    if (format == 0) {
        rfsi_rput(b, rc, "\nProvenance\n  rfscore     %s\n  created     %s\n  command     ", RFS_VERSION,
                  or_unknown(p ? p->created : NULL));
        command_line(p, b, rc, 0);
        rfsi_rput(b, rc, "\n  input       %s", input_name ? input_name : "<input>");
        if (p && p->input_sha256)
            rfsi_rput(b, rc, " (%llu bytes, %llu rows read), SHA-256 %s", p->input_bytes, p->rows_read,
                      p->input_sha256);
        rfsi_rput(b, rc, "\n");
        for (i = 0; p && i < p->n_filters; i++)
            rfsi_rput(b, rc, "  filter      --where %s\n", p->filters[i]);
        for (i = 0; i < n; i++) {
            const rfs_instrument *in = rfsi_study_instrument(st, i);
            rfsi_rput(b, rc, "  definition  %s version %s, %s, SHA-256 %s\n", in->id, in->version,
                      or_unknown(in->path), in->sha256);
        }
    } else if (format == 1) {
        rfsi_rput(b, rc, "\"provenance\": {\"rfscore_version\": \"%s\", \"created\": ", RFS_VERSION);
        if (p && p->created)
            rfsi_rjson_str(b, rc, p->created);
        else
            rfsi_rput(b, rc, "null");
        rfsi_rput(b, rc, ",\n    \"arguments\": ");
        if (p && p->argc) {
            rfsi_rput(b, rc, "[");
            for (i = 0; i < p->argc; i++) {
                rfsi_rput(b, rc, "%s", i ? ", " : "");
                rfsi_rjson_str(b, rc, p->argv[i]);
            }
            rfsi_rput(b, rc, "]");
        } else
            rfsi_rput(b, rc, "null");
        rfsi_rput(b, rc, ",\n    \"input\": {\"name\": ");
        rfsi_rjson_str(b, rc, input_name);
        rfsi_rput(b, rc, ", \"sha256\": ");
        if (p && p->input_sha256) {
            rfsi_rjson_str(b, rc, p->input_sha256);
            rfsi_rput(b, rc, ", \"bytes\": %llu, \"rows_read\": %llu}", p->input_bytes, p->rows_read);
        } else
            rfsi_rput(b, rc, "null, \"bytes\": null, \"rows_read\": null}");
        rfsi_rput(b, rc, ",\n    \"filters\": [");
        for (i = 0; p && i < p->n_filters; i++) {
            rfsi_rput(b, rc, "%s", i ? ", " : "");
            rfsi_rjson_str(b, rc, p->filters[i]);
        }
        rfsi_rput(b, rc, "],\n    \"definitions\": [");
        for (i = 0; i < n; i++) {
            const rfs_instrument *in = rfsi_study_instrument(st, i);
            rfsi_rput(b, rc, "%s{\"id\": ", i ? ", " : "");
            rfsi_rjson_str(b, rc, in->id);
            rfsi_rput(b, rc, ", \"version\": ");
            rfsi_rjson_str(b, rc, in->version);
            rfsi_rput(b, rc, ", \"path\": ");
            rfsi_rjson_str(b, rc, in->path);
            rfsi_rput(b, rc, ", \"sha256\": \"%s\"}", in->sha256);
        }
        rfsi_rput(b, rc, "]}");
    } else {
        rfsi_rput(b, rc, "<section class=\"provenance\" id=\"provenance\">\n<h2>Provenance</h2>\n"
                  "<table class=\"provenance\">\n<tr><th>rfscore</th><td class=\"t\">%s</td></tr>\n"
                  "<tr><th>created</th><td class=\"t\">", RFS_VERSION);
        rfsi_resc(b, rc, or_unknown(p ? p->created : NULL));
        rfsi_rput(b, rc, "</td></tr>\n<tr><th>command</th><td class=\"t\"><code>");
        command_line(p, b, rc, 1);
        rfsi_rput(b, rc, "</code></td></tr>\n<tr><th>input</th><td class=\"t\">");
        rfsi_resc(b, rc, input_name);
        if (p && p->input_sha256)
            rfsi_rput(b, rc, " (%llu bytes, %llu rows read)<br>SHA-256 <code>%s</code>", p->input_bytes,
                      p->rows_read, p->input_sha256);
        rfsi_rput(b, rc, "</td></tr>\n");
        for (i = 0; p && i < p->n_filters; i++) {
            rfsi_rput(b, rc, "<tr><th>filter</th><td class=\"t\"><code>--where ");
            rfsi_resc(b, rc, p->filters[i]);
            rfsi_rput(b, rc, "</code></td></tr>\n");
        }
        for (i = 0; i < n; i++) {
            const rfs_instrument *in = rfsi_study_instrument(st, i);
            rfsi_rput(b, rc, "<tr><th>definition</th><td class=\"t\">");
            rfsi_resc(b, rc, in->id);
            rfsi_rput(b, rc, " version ");
            rfsi_resc(b, rc, in->version);
            rfsi_rput(b, rc, ", ");
            rfsi_resc(b, rc, or_unknown(in->path));
            rfsi_rput(b, rc, "<br>SHA-256 <code>%s</code></td></tr>\n", in->sha256);
        }
        rfsi_rput(b, rc, "</table>\n</section>\n");
    }
}

/* A derived score's rule in words. */
static void derived_rule(const rfs_instrument *in, const rfsi_derived *d, rfsi_buf *b, int *rc)
{
    size_t j;

    rfsi_rput(b, rc, "%s of ", d->kind == RFSI_SCORE_MEAN ? "mean" : "sum");
    for (j = 0; j < d->n; j++)
        rfsi_rput(b, rc, "%s%s", j ? ", " : "", rfsi_score_id(in, d->components[j]));
    rfsi_rput(b, rc, "; scored only when every component is scored");
}

/* The rule of score s of instrument i, into a fresh buffer. */
static int rule_of(const rfsi_study *st, size_t i, size_t s, rfsi_buf *rule)
{
    const rfs_instrument *in = rfsi_study_instrument(st, i);
    int rc = 0;

    rule->len = 0;
    if (s < in->n_scales)
        rc = rfsi_scale_rule_text(in, s, rfsi_study_min_answered(st, i, s), rule);
    else
        derived_rule(in, &in->derived[s - in->n_scales], rule, &rc);
    rc |= rfsi_buf_putc(rule, '\0');
    return rc;
}

void rfsi_study_rule_render(const rfsi_study *st, size_t i, int format, rfsi_buf *b, int *rc)
{
    const rfs_instrument *in = rfsi_study_instrument(st, i);
    size_t s, n = rfs_instrument_score_count(in);
    rfsi_buf rule = {0};

    if (format == 0) {
        rfsi_rput(b, rc, "Source: %s\nDOI: %s\nScoring (answers %ld..%ld):\n", in->citation ? in->citation : "",
                  in->doi ? in->doi : "", in->min, in->max);
    } else if (format == 1) {
        rfsi_rput(b, rc, "\"citation\": ");
        rfsi_rjson_str(b, rc, in->citation);
        rfsi_rput(b, rc, ", \"doi\": ");
        rfsi_rjson_str(b, rc, in->doi);
        rfsi_rput(b, rc, ",\n      \"scoring\": [");
    } else {
        rfsi_rput(b, rc, "<p class=\"citation\">");
        rfsi_resc(b, rc, in->citation);
        if (in->doi && *in->doi) {
            rfsi_rput(b, rc, " <span class=\"doi\">doi:");
            rfsi_resc(b, rc, in->doi);
            rfsi_rput(b, rc, "</span>");
        }
        rfsi_rput(b, rc, "</p>\n<h3>Scoring rule</h3>\n<table class=\"rules\" id=\"rules-");
        rfsi_rid(b, rc, in->id);
        rfsi_rput(b, rc, "\"><tr><th>score</th><th>rule (answers %ld..%ld)</th></tr>\n", in->min, in->max);
    }
    for (s = 0; s < n && *rc == 0; s++) {
        const char *id = rfsi_score_id(in, s);
        if (rule_of(st, i, s, &rule) < 0) {
            *rc = -1;
            break;
        }
        if (format == 0)
            rfsi_rput(b, rc, "  %s: %s\n", id, rule.data);
        else if (format == 1) {
            rfsi_rput(b, rc, "%s\n        {\"score\": ", s ? "," : "");
            rfsi_rjson_str(b, rc, id);
            rfsi_rput(b, rc, ", \"rule\": ");
            rfsi_rjson_str(b, rc, rule.data);
            rfsi_rput(b, rc, "}");
        } else {
            rfsi_rput(b, rc, "<tr><td>");
            rfsi_resc(b, rc, id);
            rfsi_rput(b, rc, "</td><td class=\"t\">");
            rfsi_resc(b, rc, rule.data);
            rfsi_rput(b, rc, "</td></tr>\n");
        }
    }
    rfsi_rput(b, rc, "%s", format == 1 ? "]" : format == 2 ? "</table>\n" : "");
    rfsi_buf_free(&rule);
}

/* rfs_scorer_summary: what a run read, wrote and flagged, as text or JSON. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"
#include "base/json.h"
#include "scorer.h"

static void add(rfsi_buf *b, int *rc, const char *fmt, ...) RFS_PRINTF(3, 4);

static void add(rfsi_buf *b, int *rc, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (rfsi_buf_vprintf(b, fmt, ap) < 0)
        *rc = -1;
    va_end(ap);
}

static void text_summary(const rfs_scorer *s, rfsi_buf *b, int *rc)
{
    size_t i, k, st;

    add(b, rc, "rfscore: %s: %llu rows read, %llu written, %llu with valid = 0\n", s->input_name,
        s->counts.rows_read, s->out.rows_delivered, s->counts.rows_flagged);
    if (s->n_filters) {
        add(b, rc, "rfscore: %s: %llu rows excluded, not written; filters:", s->input_name, s->counts.rows_excluded);
        for (i = 0; i < s->n_filters; i++)
            add(b, rc, "%s %s", i ? "," : "", s->filters[i].text);
        add(b, rc, "\n");
    }
    for (i = 0; i < s->n_insts; i++) {
        const inst_state *is = &s->insts[i];
        const rfs_instrument *inst = is->inst;
        int any = 0;
        add(b, rc, "rfscore: %s: %llu invalid; flagged rows:", inst->id, is->invalid_rows);
        for (k = 0; k < RFSI_FLAG_COUNT; k++)
            if (is->flag_rows[k]) {
                add(b, rc, "%s %s %llu", any ? "," : "", rfsi_flag_name((rfsi_flag_kind)k), is->flag_rows[k]);
                any = 1;
            }
        add(b, rc, "%s\n", any ? "" : " none");
        any = 0;
        for (k = 0; k < rfs_instrument_score_count(inst); k++)
            for (st = 1; st < 3; st++)
                if (is->status_rows[k][st]) {
                    if (!any)
                        add(b, rc, "rfscore: %s: not scored:", inst->id);
                    add(b, rc, "%s %s %s %llu", any ? "," : "", rfsi_score_id(inst, k),
                        rfsi_status_name((rfsi_score_status)st), is->status_rows[k][st]);
                    any = 1;
                }
        if (any)
            add(b, rc, "\n");
    }
    for (i = 0; i < s->warnings.n; i++)
        add(b, rc, "rfscore: %s: warning: %s [%s]\n", s->input_name, s->warnings.list[i].message,
            s->warnings.list[i].code);
}

static void json_string(rfsi_buf *b, int *rc, const char *s)
{
    *rc |= rfsi_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

static void json_summary(const rfs_scorer *s, rfsi_buf *b, int *rc)
{
    size_t i, k, st;

    add(b, rc, "{\n  \"input\": ");
    json_string(b, rc, s->input_name);
    add(b, rc, ",\n  \"rows_read\": %llu,\n  \"rows_written\": %llu,\n  \"rows_invalid\": %llu,\n"
        "  \"rows_excluded\": %llu,\n  \"filters\": [", s->counts.rows_read, s->out.rows_delivered,
        s->counts.rows_flagged, s->counts.rows_excluded);
    for (i = 0; i < s->n_filters; i++) {
        add(b, rc, "%s", i ? ", " : "");
        json_string(b, rc, s->filters[i].text);
    }
    add(b, rc, "],\n  \"instruments\": [");
    for (i = 0; i < s->n_insts; i++) {
        const inst_state *is = &s->insts[i];
        const rfs_instrument *inst = is->inst;
        add(b, rc, "%s\n    {\n      \"id\": \"%s\",\n", i ? "," : "", inst->id);
        if (is->def != inst) /* scored under another name */
            add(b, rc, "      \"definition\": \"%s\",\n", is->def->id);
        add(b, rc, "      \"version\": ");
        json_string(b, rc, inst->version);
        add(b, rc, ",\n      \"rows_invalid\": %llu,\n      \"flagged_rows\": {", is->invalid_rows);
        for (k = 0; k < RFSI_FLAG_COUNT; k++)
            add(b, rc, "%s\"%s\": %llu", k ? ", " : "", rfsi_flag_name((rfsi_flag_kind)k), is->flag_rows[k]);
        add(b, rc, "},\n      \"scores\": {");
        for (k = 0; k < rfs_instrument_score_count(inst); k++) {
            add(b, rc, "%s\n        \"%s\": {", k ? "," : "", rfsi_score_id(inst, k));
            for (st = 0; st < 3; st++)
                add(b, rc, "%s\"%s\": %llu", st ? ", " : "", rfsi_status_name((rfsi_score_status)st),
                    is->status_rows[k][st]);
            add(b, rc, "}");
        }
        add(b, rc, "\n      },\n      \"warnings\": ");
        *rc |= rfsi_warnings_json(&s->warnings, i, b, 6);
        add(b, rc, "\n    }");
    }
    add(b, rc, "\n  ],\n  \"warnings\": ");
    *rc |= rfsi_warnings_json(&s->warnings, RFSI_NO_INSTRUMENT, b, 2);
    add(b, rc, "\n}\n");
}

char *rfs_scorer_summary(const rfs_scorer *s, int json)
{
    rfsi_buf b = {0};
    int rc = 0;

    if (!s)
        return NULL;
    if (json)
        json_summary(s, &b, &rc);
    else
        text_summary(s, &b, &rc);
    if (rc) {
        rfsi_buf_free(&b);
        return NULL;
    }
    return b.data;
}

/* What the study report says about its run (docs/report.md, "Provenance"): the command
 * line the caller gives, the date, the input's SHA-256 and size as the scorer computed
 * them for --manifest, and the minimum of answered items in force per scale (after any
 * --min-answered), handed to the report just before it renders. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/error.h"
#include "scorer.h"

int rfs_scorer_set_command(rfs_scorer *s, int argc, const char *const *argv, rfs_error *err)
{
    char **copy;
    int i;

    if (!s)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no scorer (NULL)");
    if (argc < 0 || (argc > 0 && !argv))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "command line: argc %d without argv", argc);
    copy = calloc((size_t)argc + 1, sizeof *copy);
    if (!copy)
        return rfsi_nomem(err);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i] ? argv[i] : "";
        copy[i] = malloc(strlen(a) + 1);
        if (!copy[i]) {
            s->command = copy;
            s->n_command = (size_t)i;
            rfsi_command_free(s);
            return rfsi_nomem(err);
        }
        strcpy(copy[i], a);
    }
    rfsi_command_free(s);
    s->command = copy;
    s->n_command = (size_t)argc;
    return 0;
}

void rfsi_command_free(rfs_scorer *s)
{
    size_t i;

    for (i = 0; s->command && i < s->n_command; i++)
        free(s->command[i]);
    free(s->command);
    s->command = NULL;
    s->n_command = 0;
}

/* The report's date: now, or SOURCE_DATE_EPOCH when set (reproducible-builds.org), so
 * the same run gives the same report byte for byte. */
static void report_date(char *out, size_t size)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    time_t now = time(NULL);
    struct tm tm;
    char *end;

    if (epoch && *epoch) {
        long long v = strtoll(epoch, &end, 10);
        if (*end == '\0' && v >= 0)
            now = (time_t)v;
    }
    if (!gmtime_r(&now, &tm) || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, size, "unknown");
}

int rfsi_report_prepare(const rfs_scorer *s)
{
    rfsi_study_provenance p;
    char date[32], digest[65];
    const char **filters;
    size_t i, g;
    int rc = 0;

    memset(&p, 0, sizeof p);
    report_date(date, sizeof date);
    p.created = date;
    p.argc = s->n_command;
    p.argv = (const char *const *)s->command;
    if (rfs_scorer_input_digest(s, digest, &p.input_bytes) == 0)
        p.input_sha256 = digest;
    p.rows_read = s->counts.rows_read;
    p.rows_excluded = s->counts.rows_excluded;
    p.n_filters = s->n_filters;
    filters = calloc(s->n_filters + 1, sizeof *filters);
    if (!filters)
        return -1;
    for (i = 0; i < s->n_filters; i++)
        filters[i] = s->filters[i].text;
    p.filters = filters;
    /* Every group's report carries the provenance; only the whole-file report's flow
     * starts from every row read (a group never saw the rows --where left out). */
    for (g = 0; g <= s->n_groups && rc == 0; g++) {
        rfsi_study *st = g < s->n_groups ? s->groups[g] : s->study;
        p.where_stage = st == s->study;
        for (i = 0; i < s->n_insts && rc == 0; i++)
            rc = rfsi_study_set_min_answered(st, i, s->insts[i].min_answered);
        if (rc == 0)
            rc = rfsi_study_set_provenance(st, &p);
    }
    free(filters);
    return rc;
}

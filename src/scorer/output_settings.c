/* rfs_scorer: what and how it writes (format, numbers, header, delimiter), the report
 * and digest it keeps, and where its input and output are. Lifetime and the rest of the
 * configuration are in scorer.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/error.h"
#include "output/numfmt.h"
#include "output/writer.h"
#include "rfscore.h"
#include "scorer.h"

int rfs_scorer_set_format(rfs_scorer *s, const char *name, rfs_error *err)
{
    static const char *const names[] = {"csv", "tsv", "jsonl", "redcap"};
    int k;

    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    for (k = 0; k < 4; k++)
        if (name && strcmp(name, names[k]) == 0) {
            s->format = k;
            return 0;
        }
    return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "unknown output format '%s' (csv, tsv, jsonl, redcap)",
                     name ? name : "");
}

int rfs_scorer_set_long(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->long_format = on != 0;
    return 0;
}

int rfs_scorer_set_raw_text(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->raw_text = on != 0;
    return 0;
}

int rfs_scorer_set_digits(rfs_scorer *s, int digits, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (digits < -1 || digits > RFSI_MAX_DIGITS)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "digits: %d is not 0..%d", digits, RFSI_MAX_DIGITS);
    s->numcache->fixed = digits >= 0;
    s->numcache->digits = (unsigned char)(digits >= 0 ? digits : 0);
    return 0;
}

int rfs_scorer_set_decimal_mark(rfs_scorer *s, char mark, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (mark != '.' && mark != ',')
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "decimal mark: expected '.' or ','");
    s->numcache->point = mark;
    return 0;
}

int rfs_scorer_set_header(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->no_header = !on;
    return 0;
}

int rfs_scorer_set_output_delimiter(rfs_scorer *s, char delimiter, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (delimiter && delimiter != ',' && delimiter != ';' && delimiter != '\t')
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "output delimiter: expected ',', ';' or tab");
    s->out_delimiter = delimiter;
    return 0;
}

int rfs_scorer_set_bom(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->bom = on != 0;
    return 0;
}

int rfs_scorer_set_threads(rfs_scorer *s, unsigned threads, unsigned long long part_bytes, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->threads = threads < 1 ? 1 : threads > 2 ? 2 : threads;
    s->part_bytes = part_bytes ? part_bytes : RFSI_PART_BYTES;
    if (s->part_bytes > RFSI_PART_BYTES_MAX) /* a part is held in memory */
        s->part_bytes = RFSI_PART_BYTES_MAX;
    return 0;
}

int rfs_scorer_set_progress_fn(rfs_scorer *s, rfs_progress_fn fn, void *userdata, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->progress = fn;
    s->progress_ud = userdata;
    return 0;
}

int rfs_scorer_enable_report(rfs_scorer *s, int all_rows, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->report = 1;
    s->report_all_rows = all_rows != 0;
    if (!s->digest_input) /* the report's provenance names the input by its SHA-256 */
        rfsi_sha256_init(&s->input_digest);
    s->digest_input = 1;
    return 0;
}

char *rfs_scorer_report(const rfs_scorer *s, const char *format)
{
    int f = !format || strcmp(format, "text") == 0 ? 0 : strcmp(format, "json") == 0 ? 1
            : strcmp(format, "html") == 0 ? 2 : -1;

    if (!s || !s->study || f < 0 || rfsi_report_prepare(s) < 0)
        return NULL;
    if (s->by_name)
        return rfsi_groups_render(s, f);
    return rfsi_study_render(s->study, f, s->input_name);
}

int rfs_scorer_enable_digest(rfs_scorer *s, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->digest_input = 1;
    rfsi_sha256_init(&s->input_digest);
    return 0;
}

int rfs_scorer_input_digest(const rfs_scorer *s, char *hex, unsigned long long *bytes)
{
    rfsi_sha256 copy;

    if (!s || !hex || !s->digest_input || !s->finished)
        return -1;
    copy = s->input_digest;
    rfsi_sha256_hex(&copy, hex);
    if (bytes)
        *bytes = s->input_bytes;
    return 0;
}

int rfs_scorer_set_dry_run(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->dry_run = on != 0;
    return 0;
}

int rfs_scorer_set_duplicate_check(rfs_scorer *s, int on, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    s->check_ids = on != 0;
    return 0;
}

int rfs_scorer_set_input_name(rfs_scorer *s, const char *name, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!name)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no input name (NULL)");
    return rfsi_set_string(&s->input_name, name, err);
}

int rfs_scorer_set_output(rfs_scorer *s, rfs_write_fn fn, void *userdata, rfs_error *err)
{
    if (rfsi_scorer_configurable(s, err) < 0)
        return -1;
    if (!fn)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no output function");
    s->out.fn = fn;
    s->out.userdata = userdata;
    s->output_set = 1;
    return 0;
}

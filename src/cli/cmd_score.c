/* rfscore score and report: a parsed command line (options.c) applied to an rfs_scorer,
 * the input opened, the output written atomically. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "options.h"

static int write_out(const char *data, size_t len, void *ud)
{
    return fwrite(data, 1, len, (FILE *)ud) == len ? 0 : -1;
}

typedef struct warnings {
    unsigned long long count;
} warnings;

/* The first invalid answers, with their lines; the rest are counted. */
static void print_warning(const rfs_error *e, void *ud)
{
    warnings *w = ud;

    if (++w->count <= 10)
        cli_print_error(e);
}

/* Copies a non-seekable stream (a pipe) into an unnamed temporary file. */
static FILE *spool(FILE *in)
{
    FILE *t = tmpfile();
    char buf[64 * 1024];
    size_t n;

    if (!t)
        return NULL;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, t) != n) {
            fclose(t);
            return NULL;
        }
    if (ferror(in) || fflush(t) != 0 || fseek(t, 0, SEEK_SET) != 0) {
        fclose(t);
        return NULL;
    }
    return t;
}

static int write_null(const char *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    return 0;
}

/* The report format named by --report-format, else by the file's extension. */
static const char *report_format_for(const char *fmt, const char *path)
{
    size_t n = path ? strlen(path) : 0;

    if (fmt)
        return fmt;
    if (n > 5 && strcmp(path + n - 5, ".html") == 0)
        return "html";
    if (n > 5 && strcmp(path + n - 5, ".json") == 0)
        return "json";
    return "text";
}

/* Every output a run writes, named before anything is read: the scores (-o, or stdout
 * "-"; none for report), --summary, the study report (--report, or report's -o) and
 * --manifest. Refuses (exit 64) an output that is the input, which would replace the raw
 * data, or two outputs that are one file, which would overwrite each other. */
static int check_outputs(const char *in_path, const char *const *outs, const char *const *what, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        if (!outs[i])
            continue;
        if (cli_same_file(in_path, STDIN_FILENO, outs[i], STDOUT_FILENO)) {
            cli_warn("%s %s is the input: it would be replaced; write elsewhere", what[i], outs[i]);
            return -1;
        }
        for (k = 0; k < i; k++)
            if (outs[k] && cli_same_file(outs[k], STDOUT_FILENO, outs[i], STDOUT_FILENO)) {
                cli_warn("%s %s and %s %s are one file: give each output its own", what[k], outs[k], what[i],
                         outs[i]);
                return -1;
            }
    }
    return 0;
}

/* Writes text into a new output; 0, or an exit code after a message. */
static int side_file(cli_output *o, const char *path, char *text, int *opened)
{
    int rc = 0;

    *opened = 0;
    if (!text) {
        cli_warn("out of memory");
        return EXIT_OSERR;
    }
    if (cli_output_open(o, path) < 0) {
        free(text);
        return EXIT_CANTCREAT;
    }
    *opened = 1;
    if (fputs(text, o->f) == EOF || cli_output_finish(o) < 0)
        rc = EXIT_IOERR;
    free(text);
    return rc;
}

/* After a successful pass: the scores and every side file are written and complete before
 * the first is renamed into place, so a failure in any leaves none of them (renaming in
 * one directory does not fail but for a race with another program). Returns the exit
 * code. */
static int finish_outputs(rfs_scorer *s, const cli_args *a, cli_output *out, int have_out, const char *report_path,
                          const char *report_format, int argc, char **argv, const char *in_path,
                          rfs_instrument *const *insts, const cli_columns *columns, size_t n_inst)
{
    cli_output side[3];
    size_t n_side = 0, i;
    int rc = 0, opened;

    if (have_out && cli_output_finish(out) < 0)
        rc = EXIT_IOERR;
    if (rc == 0 && !a->dry_run && !a->quiet) { /* the summary is part of the run: never left out */
        char *text = rfs_scorer_summary(s, 0);
        if (text) {
            fputs(text, stderr);
        } else {
            cli_warn("out of memory writing the run summary");
            rc = EXIT_OSERR;
        }
        free(text);
    }
    if (rc == 0 && !a->dry_run && a->summary) {
        rc = side_file(&side[n_side], a->summary, rfs_scorer_summary(s, 1), &opened);
        n_side += (size_t)opened;
    }
    if (rc == 0 && !a->dry_run && report_path) {
        rc = side_file(&side[n_side], report_path, rfs_scorer_report(s, report_format), &opened);
        n_side += (size_t)opened;
    }
    if (rc == 0 && !a->dry_run && a->manifest) {
        if (cli_output_open(&side[n_side], a->manifest) < 0) {
            rc = EXIT_CANTCREAT;
        } else {
            rc = cli_write_manifest(side[n_side].f, s, argc, argv, in_path, insts, columns, n_inst);
            n_side++;
            if (rc == 0 && cli_output_finish(&side[n_side - 1]) < 0)
                rc = EXIT_IOERR;
        }
    }
    if (rc == 0 && have_out && cli_output_commit(out) < 0)
        rc = EXIT_CANTCREAT;
    for (i = 0; i < n_side; i++)
        if (rc == 0 && cli_output_commit(&side[i]) < 0)
            rc = EXIT_CANTCREAT;
    if (rc) {
        if (have_out)
            cli_output_abandon(out);
        for (i = 0; i < n_side; i++)
            cli_output_abandon(&side[i]);
    }
    return rc;
}

/* How numbers and separators are written: --digits, --no-header, --output-delimiter,
 * --decimal-comma, --bom, and --excel for all of what Excel needs in a locale whose
 * decimal mark is a comma (it reads a ;-separated file with a BOM as UTF-8 columns, and
 * takes 2.5 for a date or text there, but 2,5 for a number). */
static int configure_text(rfs_scorer *s, const cli_args *a, rfs_error *err)
{
    if (a->digits) {
        char *end;
        long d = strtol(a->digits, &end, 10);
        if (end == a->digits || *end || d < 0 || d > 15) {
            cli_warn("--digits %s: expected a number of decimals, 0 to 15", a->digits);
            return -3;
        }
        if (rfs_scorer_set_digits(s, (int)d, err) < 0)
            return -1;
    }
    if (a->output_delimiter) {
        const char *d = a->output_delimiter;
        char c = strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0 ? '\t' : strlen(d) == 1 ? d[0] : '?';
        if (c != ',' && c != ';' && c != '\t') {
            cli_warn("--output-delimiter %s: expected , or ; or tab", d);
            return -3;
        }
        if (rfs_scorer_set_output_delimiter(s, c, err) < 0)
            return -1;
    } else if (a->excel && rfs_scorer_set_output_delimiter(s, ';', err) < 0) {
        return -1;
    }
    if ((a->decimal_comma || a->excel) && rfs_scorer_set_decimal_mark(s, ',', err) < 0)
        return -1;
    if ((a->bom || a->excel) && rfs_scorer_set_bom(s, 1, err) < 0)
        return -1;
    if (a->no_header && rfs_scorer_set_header(s, 0, err) < 0)
        return -1;
    return 0;
}

/* Hands the command line to the scorer: everything that can be checked before any file
 * is opened. */

/* --threads, else $RFSCORE_THREADS, else auto: 2 when the machine has a core to spare
 * (its load over the last minute leaves one idle), so a busy machine is not made
 * slower. -1 after a message. */
static int threads_wanted(const cli_args *a)
{
    const char *v = a->threads ? a->threads : getenv("RFSCORE_THREADS");
    double load;
    long cores;

    if (v && *v && strcmp(v, "auto") != 0) {
        if (strcmp(v, "1") == 0 || strcmp(v, "2") == 0)
            return v[0] - '0';
        cli_warn("%s '%s': expected 1, 2 or auto", a->threads ? "--threads" : "RFSCORE_THREADS", v);
        return -1;
    }
    cores = sysconf(_SC_NPROCESSORS_ONLN);
    if (cores < 2 || getloadavg(&load, 1) != 1)
        return 1;
    return load <= (double)cores - 1.25 ? 2 : 1;
}

/* $RFSCORE_PART_BYTES: the size of the parts threads score (tests set it low, so that
 * small files are cut into many parts); unset or not a number: the library's. */
static unsigned long long part_bytes(void)
{
    const char *v = getenv("RFSCORE_PART_BYTES");
    char *end;
    unsigned long long n;

    if (!v || !*v)
        return 0;
    n = strtoull(v, &end, 10);
    return *end ? 0 : n;
}

static int configure(rfs_scorer *s, const cli_args *a, int report_mode, rfs_error *err)
{
    size_t i;
    int t;

    if (a->id && strcmp(a->id, "none") == 0) {
        if (rfs_scorer_set_row_numbers(s, 1, err) < 0)
            return -1;
    } else if (a->id) { /* a composite key: COL,COL,... in output order */
        const char *p = a->id, *comma;
        do {
            char name[512];
            size_t n;
            comma = strchr(p, ',');
            n = comma ? (size_t)(comma - p) : strlen(p);
            if (n == 0 || n >= sizeof name) {
                cli_warn("--id %s: expected COLUMN or COLUMN,COLUMN,... (no empty names) or none", a->id);
                return -3;
            }
            memcpy(name, p, n);
            name[n] = '\0';
            if ((p == a->id ? rfs_scorer_set_id_column(s, name, err) : rfs_scorer_add_id_column(s, name, err)) < 0)
                return -1;
            p = comma + 1;
        } while (comma);
    }
    for (i = 0; i < a->where.n; i++)
        if (rfs_scorer_add_filter(s, a->where.v[i], err) < 0)
            return -1;
    if (a->by && rfs_scorer_set_report_by(s, a->by, err) < 0)
        return -1;
    for (i = 0; i < a->keep.n; i++) {
        char *copy = strdup(a->keep.v[i]), *tok, *save = NULL;
        if (!copy)
            return -2;
        for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            if (rfs_scorer_keep_column(s, tok, err) < 0) {
                free(copy);
                return -1;
            }
        free(copy);
    }
    if (a->min_answered && rfs_scorer_set_min_answered(s, a->min_answered, err) < 0)
        return -1;
    if (a->duration && rfs_scorer_set_duration_column(s, a->duration, err) < 0)
        return -1;
    for (i = 0; i < a->missing.n; i++) {
        char *copy = strdup(a->missing.v[i]), *eq, *tok, *save = NULL;
        if (!copy)
            return -2;
        eq = strchr(copy, '=');
        if (!eq) {
            free(copy);
            cli_warn("--missing %s: expected TYPE=CODE[,CODE...], e.g. refused=-99", a->missing.v[i]);
            return -3;
        }
        *eq = '\0';
        for (tok = strtok_r(eq + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            if (rfs_scorer_add_missing_code(s, copy, tok, err) < 0) {
                free(copy);
                return -1;
            }
        free(copy);
    }
    for (i = 0; i < a->n_thresholds; i++) {
        char *end;
        double v = strtod(a->thresholds[i].value, &end);
        if (end == a->thresholds[i].value || *end) {
            cli_warn("--%s: '%s' is not a number", a->thresholds[i].option, a->thresholds[i].value);
            return -3;
        }
        if (rfs_scorer_set_threshold(s, a->thresholds[i].setting, v, err) < 0)
            return -1;
    }
    if (a->no_id_check && rfs_scorer_set_duplicate_check(s, 0, err) < 0)
        return -1;
    if ((t = threads_wanted(a)) < 0)
        return -3;
    if (rfs_scorer_set_threads(s, (unsigned)t, part_bytes(), err) < 0)
        return -1;
    if (a->delimiter) {
        const char *d = a->delimiter;
        char c = strcmp(d, "tab") == 0 || strcmp(d, "\\t") == 0 ? '\t'
                 : strcmp(d, "auto") == 0                     ? 0
                 : strlen(d) == 1                             ? d[0]
                                                              : '?';
        if (rfs_scorer_set_delimiter(s, c, err) < 0)
            return -1;
    }
    if (a->encoding && rfs_scorer_set_encoding(s, a->encoding, err) < 0)
        return -1;
    if (!report_mode && a->format && rfs_scorer_set_format(s, a->format, err) < 0)
        return -1;
    if (a->manifest && rfs_scorer_enable_digest(s, err) < 0)
        return -1;
    if (a->long_rows && rfs_scorer_set_long(s, 1, err) < 0)
        return -1;
    if (a->raw_text && rfs_scorer_set_raw_text(s, 1, err) < 0)
        return -1;
    if (a->dry_run && rfs_scorer_set_dry_run(s, 1, err) < 0)
        return -1;
    return configure_text(s, a, err);
}

static int run(int argc, char **argv, int report_mode);

int cmd_score(int argc, char **argv)
{
    return run(argc, argv, 0);
}

int cmd_report(int argc, char **argv)
{
    return run(argc, argv, 1);
}

static int run(int argc, char **argv, int report_mode)
{
    unsigned command = report_mode ? CLI_REPORT : CLI_SCORE;
    rfs_instrument *insts[64];
    cli_columns columns[64];
    const char *out_path, *in_path, *report_path, *report_format;
    size_t n_inst = 0, i;
    cli_path path = {0};
    cli_args a;
    rfs_scorer *s = NULL;
    rfs_error err;
    cli_output out;
    FILE *in = NULL;
    int c, rc = EXIT_USAGE, have_out = 0;
    warnings warned = {0};
    cli_progress progress;

    rfs_error_clear(&err);
    c = cli_parse(command, argc, argv, &a);
    if (c == -2)
        rc = EXIT_OSERR;
    if (c < 0)
        goto done;
    if (a.help) {
        cli_usage(stdout, command);
        rc = fflush(stdout) == 0 ? 0 : EXIT_IOERR;
        goto done;
    }
    if (a.n_inst == 0 || a.first_operand != argc - 1) {
        cli_warn(a.n_inst == 0 ? "no instrument: give -i ID or -i FILE" : "give exactly one input FILE (or - for stdin)");
        cli_usage_error(command);
        goto done;
    }
    in_path = argv[a.first_operand];
    out_path = a.output;
    report_path = a.report;
    report_format = report_mode ? a.format : a.report_format;
    if (report_mode) {
        report_path = out_path ? out_path : "-";
        out_path = NULL;
    }
    report_format = report_format_for(report_format, report_path);
    if (report_path && strcmp(report_format, "text") != 0 && strcmp(report_format, "json") != 0 &&
        strcmp(report_format, "html") != 0) {
        cli_warn("report format '%s': expected text, json or html", report_format);
        goto done;
    }
    {
        const char *outs[4], *what[4] = {"-o", "--summary", report_mode ? "-o" : "--report", "--manifest"};
        outs[0] = report_mode ? NULL : out_path ? out_path : "-";
        outs[1] = a.dry_run ? NULL : a.summary;
        outs[2] = a.dry_run ? NULL : report_path;
        outs[3] = a.dry_run ? NULL : a.manifest;
        if (check_outputs(in_path, outs, what, 4) < 0)
            goto done;
    }
    s = rfs_scorer_new(&err);
    if (!s)
        goto fail;
    c = configure(s, &a, report_mode, &err);
    if (c == -2)
        goto nomem;
    if (c == -3)
        goto done;
    if (c < 0)
        goto fail;
    /* the report's provenance shows the command line (argv[0] is the subcommand) */
    if ((report_path || report_mode) && (rfs_scorer_enable_report(s, a.all_rows, &err) < 0 ||
                                         rfs_scorer_set_command(s, argc, (const char *const *)argv, &err) < 0))
        goto fail;
    for (i = 0; i < a.include.n; i++)
        if (cli_path_add(&path, a.include.v[i]) < 0)
            goto nomem;
    if (cli_path_finish(&path) < 0)
        goto nomem;
    for (i = 0; i < a.n_inst; i++) {
        const cli_instrument_arg *ia = &a.inst[i];
        size_t k;
        insts[i] = cli_load_instrument(&path, ia->name, &err);
        if (!insts[i])
            goto fail;
        n_inst = i + 1;
        columns[i].prefix = ia->prefix;
        columns[i].suffix = ia->suffix;
        columns[i].map = ia->map;
        columns[i].as = ia->as;
        columns[i].labels = ia->labels;
        for (k = 0; k < i; k++) /* the output names must differ */
            if (strcmp(a.inst[k].as ? a.inst[k].as : rfs_instrument_id(insts[k]),
                       ia->as ? ia->as : rfs_instrument_id(insts[i])) == 0) {
                cli_warn("instrument '%s' given twice: score it again under another name with --as NAME "
                         "(e.g. -i %s --suffix _t2 --as %s_t2)", ia->as ? ia->as : rfs_instrument_id(insts[i]),
                         ia->name, rfs_instrument_id(insts[i]));
                goto done;
            }
        if ((ia->labels && cli_load_labels(insts[i], ia->labels, &err) < 0) ||
            rfs_scorer_add_instrument(s, insts[i], &err) < 0 ||
            (ia->as && rfs_scorer_set_instrument_name(s, insts[i], ia->as, &err) < 0) ||
            rfs_scorer_set_columns(s, insts[i], ia->prefix, ia->suffix, &err) < 0 ||
            (ia->map && cli_load_map(s, insts[i], ia->map, &err) < 0))
            goto fail;
    }
    if (strcmp(in_path, "-") == 0) {
        in = stdin;
        if (rfs_scorer_set_input_name(s, "<stdin>", &err) < 0)
            goto fail;
        /* Flagging every occurrence of a duplicate id needs two passes: keep a copy. */
        if (!a.no_id_check && !a.dry_run && !(a.id && strcmp(a.id, "none") == 0) &&
            fseek(stdin, 0, SEEK_CUR) != 0) {
            in = spool(stdin);
            if (!in) {
                cli_warn("cannot buffer standard input in a temporary file: %s", strerror(errno));
                rc = EXIT_CANTCREAT;
                goto done;
            }
        }
    } else {
        in = fopen(in_path, "rb");
        if (!in) {
            cli_warn("%s: cannot open input: %s", in_path, strerror(errno));
            rc = EXIT_NOINPUT;
            goto done;
        }
        if (rfs_scorer_set_input_name(s, in_path, &err) < 0)
            goto fail;
    }
    /* A closed pipe downstream (rfscore ... | head) is a write error with a message and
     * exit code, not a silent death by SIGPIPE. */
    signal(SIGPIPE, SIG_IGN);
    cli_output_signals();
    if (report_mode) {
        memset(&out, 0, sizeof out);
    } else if (cli_output_open(&out, out_path) < 0) {
        rc = EXIT_CANTCREAT;
        goto done;
    }
    have_out = !report_mode;
    if (!a.quiet && rfs_scorer_set_warning_fn(s, print_warning, &warned, &err) < 0)
        goto fail;
    cli_progress_start(&progress, !a.quiet);
    if (progress.enabled && rfs_scorer_set_progress_fn(s, cli_progress_update, &progress, &err) < 0)
        goto fail;
    if (rfs_scorer_set_output(s, report_mode ? write_null : write_out, out.f, &err) < 0 ||
        rfs_scorer_run_file(s, in, &err) < 0) {
        cli_progress_end(&progress);
        if (err.code == RFS_E_OPEN && errno == EISDIR)
            snprintf(err.message, sizeof err.message, "is a directory, not a CSV file");
        if (have_out)
            cli_output_abandon(&out);
        have_out = 0;
        goto fail;
    }
    cli_progress_end(&progress);
    if (warned.count > 10)
        cli_warn("... %llu invalid answers in all (flagged in the output)", warned.count);
    rc = finish_outputs(s, &a, &out, have_out, report_path, report_format, argc, argv, in_path, insts, columns,
                        n_inst);
    have_out = 0;
    if (rc == 0 && a.strict && rfs_scorer_warning_count(s) > 0) {
        /* the outputs are complete and in place; the exit code tells a pipeline to stop */
        if (a.dry_run && !a.quiet)
            for (i = 0; i < rfs_scorer_warning_count(s); i++)
                cli_warn("warning: %s", rfs_scorer_warning(s, i, NULL, NULL));
        cli_warn("--strict: %zu warning%s (listed in the summary; -q hides it): exit 65", rfs_scorer_warning_count(s),
                 rfs_scorer_warning_count(s) == 1 ? "" : "s");
        rc = EXIT_DATAERR;
    }
    goto done;
nomem:
    cli_warn("out of memory");
    rc = EXIT_OSERR;
    goto done;
fail:
    if (err.code == RFS_E_OUTPUT)
        cli_warn("%s: cannot write output: %s", out_path ? out_path : "<stdout>", strerror(errno));
    else
        cli_print_error(&err);
    rc = cli_exit_code(&err);
done:
    if (have_out)
        cli_output_abandon(&out);
    if (in && in != stdin)
        fclose(in);
    rfs_scorer_free(s);
    for (i = 0; i < n_inst; i++)
        rfs_instrument_free(insts[i]);
    cli_path_free(&path);
    cli_args_free(&a);
    return rc;
}

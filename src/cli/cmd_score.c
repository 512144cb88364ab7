/* rfscore score: options -> rfs_scorer; output written atomically with -o. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define MAX_INSTRUMENTS 64

static int write_out(const char *data, size_t len, void *ud)
{
    return fwrite(data, 1, len, (FILE *)ud) == len ? 0 : -1;
}

static void score_usage(void)
{
    fprintf(stderr,
            "usage: rfscore score -i INSTRUMENT [-i ...] [-I DIR] [--id COLUMN] [--keep COL,...]\n"
            "                     [--min-answered N|P%%] [--missing TYPE=CODE,...] [--duration COLUMN]\n"
            "                     [--longstring-max N] [--irv-min X] [--even-odd-min X] [--synonyms-min X]\n"
            "                     [--antonyms-max X] [--seconds-per-item X] [--no-id-check]\n"
            "                     [--delimiter auto|,|;|tab] [--encoding utf-8|cp1252|latin1]\n"
            "                     [-i ID --prefix P --suffix S --map FILE ...] [--dry-run]\n"
            "                     [--format csv|tsv|jsonl|redcap] [--long] [--raw-text]\n"
            "                     [--report FILE [--report-format text|json|html] [--all-rows]]\n"
            "                     [--manifest FILE]\n"
            "       rfscore report -i INSTRUMENT ... [--format text|json|html] [--all-rows] [-o FILE] FILE|-\n"
            "                     [--summary FILE] [-q] [-o FILE] FILE|-\n");
}

/* Output goes to a temporary file beside FILE, renamed over it only when the whole run
 * succeeded: a failed run leaves no partial file. */
typedef struct output {
    const char *final_path;
    char *tmp_path;    /* NULL when writing directly */
    char *resolved;    /* the target of a symbolic link, which is replaced, not the link */
    FILE *f;
} output;

static int output_open(output *o, const char *path)
{
    int fd;

    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->final_path = path;
    {
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            cli_warn("%s: cannot create output: is a directory", path);
            return -1;
        }
        /* A FIFO or a device (/dev/null, /dev/stdout) cannot be replaced: write to it. */
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
            o->f = fopen(path, "w");
            if (!o->f) {
                cli_warn("%s: cannot create output: %s", path, strerror(errno));
                return -1;
            }
            return 0;
        }
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
            o->resolved = realpath(path, NULL);
            if (!o->resolved) {
                cli_warn("%s: cannot create output: %s", path, strerror(errno));
                return -1;
            }
            path = o->final_path = o->resolved;
        }
    }
    o->tmp_path = malloc(strlen(path) + 16);
    if (!o->tmp_path)
        return -1;
    sprintf(o->tmp_path, "%s.tmp.XXXXXX", path);
    fd = mkstemp(o->tmp_path);
    if (fd >= 0) { /* mkstemp makes 0600: give the file the mode a plain create would */
        struct stat old;
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, stat(path, &old) == 0 ? (old.st_mode & 07777) : (0666 & ~mask));
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        cli_warn("%s: cannot create output: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp_path);
        }
        free(o->tmp_path);
        o->tmp_path = NULL;
        free(o->resolved);
        o->resolved = NULL;
        return -1;
    }
    return 0;
}

/* Returns 0 when the output is complete and in place. */
static int output_close(output *o, int ok)
{
    int rc = 0;

    if (o->f == stdout) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            if (ok)
                cli_warn("cannot write output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (!o->f)
        return -1;
    if (!o->tmp_path) { /* written directly */
        rc = fclose(o->f) != 0 || !ok ? -1 : 0;
        if (ok && rc)
            cli_warn("%s: cannot write output: %s", o->final_path, strerror(errno));
        free(o->resolved);
        return rc;
    }
    if (ok && (fflush(o->f) != 0 || ferror(o->f) || fsync(fileno(o->f)) != 0)) {
        cli_warn("%s: cannot write output: %s", o->final_path, strerror(errno));
        ok = 0;
        rc = -1;
    }
    if (fclose(o->f) != 0 && ok) {
        cli_warn("%s: cannot write output: %s", o->final_path, strerror(errno));
        ok = 0;
        rc = -1;
    }
    if (ok && rename(o->tmp_path, o->final_path) != 0) {
        cli_warn("%s: cannot create output: %s", o->final_path, strerror(errno));
        ok = 0;
        rc = -2; /* cannot create, as opposed to cannot write */
    }
    if (!ok)
        unlink(o->tmp_path);
    free(o->tmp_path);
    free(o->resolved);
    return rc ? rc : (ok ? 0 : -1);
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

static const char *longopts_name(const struct option *o, int val)
{
    for (; o->name; o++)
        if (o->val == val)
            return o->name;
    return "?";
}

/* A mapping file: lines "ITEM,COLUMN", ITEM a number or the item's default column name
 * (rfq8_3), COLUMN a header name or a Qualtrics ImportId; '#' comments and an
 * "item,column" header line are skipped. */
static int load_map(rfs_scorer *s, const rfs_instrument *inst, const char *path, rfs_error *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, n, k;
    unsigned long lineno = 0, seen_line[RFS_MAX_ITEMS];
    size_t seen_item[RFS_MAX_ITEMS], n_seen = 0;
    char *seen_col[RFS_MAX_ITEMS];
    ssize_t len;
    int rc = 0, seen_entry = 0;

    if (!f) {
        snprintf(err->file, sizeof err->file, "%s", path);
        snprintf(err->message, sizeof err->message, "cannot open the mapping file: %s", strerror(errno));
        err->code = RFS_E_OPEN;
        return -1;
    }
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        char *a = line, *b, *end;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && strncmp(a, "\xEF\xBB\xBF", 3) == 0) /* Excel's UTF-8 BOM */
            a += 3;
        while (*a == ' ' || *a == '\t')
            a++;
        if (!*a || *a == '#')
            continue;
        if (!seen_entry && strncasecmp(a, "item,", 5) == 0) { /* the header line */
            seen_entry = 1;
            continue;
        }
        seen_entry = 1;
        b = strchr(a, ',');
        if (!b) {
            rc = -1;
            break;
        }
        *b++ = '\0';
        for (end = b + strlen(b); end > b && (end[-1] == ' ' || end[-1] == '\t'); )
            *--end = '\0';
        while (*b == ' ' || *b == '\t')
            b++;
        if (*b == '"' && end > b + 1 && end[-1] == '"') {
            end[-1] = '\0';
            b++;
        }
        for (end = a + strlen(a); end > a && (end[-1] == ' ' || end[-1] == '\t'); )
            *--end = '\0';
        n = strtoul(a, &end, 10);
        if (*end) { /* a default column name */
            n = 0;
            for (k = 1; k <= rfs_instrument_item_count(inst); k++)
                if (strcasecmp(a, rfs_instrument_item_column(inst, k)) == 0)
                    n = k;
        }
        if (n == 0 || rfs_scorer_map_item(s, inst, n, b, err) < 0) {
            rc = -1;
            break;
        }
        /* Each item once, each column once: anything else is a typing mistake. */
        for (k = 0; k < n_seen; k++)
            if (seen_item[k] == n || strcasecmp(seen_col[k], b) == 0)
                break;
        if (k < n_seen) {
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = lineno;
            err->code = RFS_E_USAGE;
            if (seen_item[k] == n)
                snprintf(err->message, sizeof err->message, "item %zu is mapped twice (first on line %lu)", n,
                         seen_line[k]);
            else
                snprintf(err->message, sizeof err->message,
                         "column \"%s\" is mapped to items %zu and %zu (line %lu): one column is one item", b,
                         seen_item[k], n, seen_line[k]);
            rc = -1;
            break;
        }
        if (n_seen < sizeof seen_item / sizeof *seen_item) {
            seen_item[n_seen] = n;
            seen_line[n_seen] = lineno;
            if (!(seen_col[n_seen] = strdup(b))) {
                rc = -1;
                break;
            }
            n_seen++;
        }
    }
    if (rc < 0 && err->code == RFS_OK) {
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = lineno;
        snprintf(err->message, sizeof err->message,
                 "expected ITEM,COLUMN with ITEM an item number 1..%zu or a column name of %s",
                 rfs_instrument_item_count(inst), rfs_instrument_id(inst));
        err->code = RFS_E_USAGE;
    } else if (rc < 0 && !err->file[0]) {
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = lineno;
    }
    for (k = 0; k < n_seen; k++)
        free(seen_col[k]);
    free(line);
    fclose(f);
    return rc;
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

/* The run's summary: text on stderr, JSON with --summary FILE. */
static int report(rfs_scorer *s, int quiet, const char *summary_path)
{
    char *text;
    FILE *f;
    int rc = 0;

    if (!quiet) {
        text = rfs_scorer_summary(s, 0);
        if (text)
            fputs(text, stderr);
        free(text);
    }
    if (!summary_path)
        return 0;
    text = rfs_scorer_summary(s, 1);
    f = fopen(summary_path, "w");
    if (!text || !f || fputs(text, f) == EOF) {
        cli_warn("%s: cannot write the summary: %s", summary_path, strerror(errno));
        rc = EXIT_CANTCREAT;
    }
    if (f && fclose(f) != 0 && rc == 0) {
        cli_warn("%s: cannot write the summary: %s", summary_path, strerror(errno));
        rc = EXIT_IOERR;
    }
    free(text);
    return rc;
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

/* Writes the study report to path (atomically; stdout for NULL or "-"). */
static int write_report(rfs_scorer *s, const char *path, const char *format)
{
    char *text = rfs_scorer_report(s, format);
    output o;
    int c;

    if (!text) {
        cli_warn("report format '%s': expected text, json or html", format);
        return EXIT_USAGE;
    }
    if (output_open(&o, path) < 0) {
        free(text);
        return EXIT_CANTCREAT;
    }
    fputs(text, o.f);
    free(text);
    c = output_close(&o, 1);
    return c == 0 ? 0 : c == -2 ? EXIT_CANTCREAT : EXIT_IOERR;
}

static void json_str(FILE *f, const char *v)
{
    fputc('"', f);
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Provenance: what made this output, so a scored file can be traced to its inputs. */
static int write_manifest(rfs_scorer *s, const char *path, int argc, char **argv, const char *in_path,
                          rfs_instrument **insts, size_t n_inst, const char *const (*mapping)[3])
{
    char digest[65], when[32], *summary = rfs_scorer_summary(s, 1);
    unsigned long long bytes = 0;
    time_t now = time(NULL);
    output o;
    size_t i;
    int c;

    if (!summary || rfs_scorer_input_digest(s, digest, &bytes) < 0) {
        free(summary);
        cli_warn("%s: cannot build the manifest", path);
        return EXIT_OSERR;
    }
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (output_open(&o, path) < 0) {
        free(summary);
        return EXIT_CANTCREAT;
    }
    fprintf(o.f, "{\n  \"rfscore_version\": ");
    json_str(o.f, rfs_version());
    fprintf(o.f, ",\n  \"created\": \"%s\",\n  \"arguments\": [", when);
    for (c = 0; c < argc; c++) { /* argv[0] is the command, "score" or "report" */
        fputs(c ? ", " : "", o.f);
        json_str(o.f, argv[c]);
    }
    fprintf(o.f, "],\n  \"input\": {\"path\": ");
    json_str(o.f, in_path);
    fprintf(o.f, ", \"sha256\": \"%s\", \"bytes\": %llu},\n  \"instruments\": [", digest, bytes);
    for (i = 0; i < n_inst; i++) {
        fprintf(o.f, "%s\n    {\"id\": ", i ? "," : "");
        json_str(o.f, rfs_instrument_id(insts[i]));
        fprintf(o.f, ", \"version\": ");
        json_str(o.f, rfs_instrument_version(insts[i]));
        fprintf(o.f, ", \"path\": ");
        json_str(o.f, rfs_instrument_path(insts[i]));
        fprintf(o.f, ", \"sha256\": \"%s\", \"doi\": ", rfs_instrument_sha256(insts[i]));
        json_str(o.f, rfs_instrument_doi(insts[i]));
        if (mapping[i][2]) { /* a column map changes what is scored: record it too */
            char map_digest[65];
            fprintf(o.f, ", \"map\": {\"path\": ");
            json_str(o.f, mapping[i][2]);
            if (rfs_file_sha256(mapping[i][2], map_digest) == 0)
                fprintf(o.f, ", \"sha256\": \"%s\"", map_digest);
            fputc('}', o.f);
        }
        if (mapping[i][0] || mapping[i][1]) {
            fprintf(o.f, ", \"prefix\": ");
            json_str(o.f, mapping[i][0] ? mapping[i][0] : "");
            fprintf(o.f, ", \"suffix\": ");
            json_str(o.f, mapping[i][1] ? mapping[i][1] : "");
        }
        fputc('}', o.f);
    }
    fprintf(o.f, "\n  ],\n  \"run\": %s}\n", summary);
    free(summary);
    c = output_close(&o, 1);
    return c == 0 ? 0 : c == -2 ? EXIT_CANTCREAT : EXIT_IOERR;
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
    static const struct option longopts[] = {
        {"instrument", required_argument, NULL, 'i'},
        {"include", required_argument, NULL, 'I'},
        {"output", required_argument, NULL, 'o'},
        {"id", required_argument, NULL, 'd'},
        {"keep", required_argument, NULL, 'k'},
        {"min-answered", required_argument, NULL, 'm'},
        {"duration", required_argument, NULL, 'D'},
        {"missing", required_argument, NULL, 'M'},
        {"longstring-max", required_argument, NULL, 1000},
        {"irv-min", required_argument, NULL, 1001},
        {"even-odd-min", required_argument, NULL, 1002},
        {"synonyms-min", required_argument, NULL, 1003},
        {"antonyms-max", required_argument, NULL, 1004},
        {"seconds-per-item", required_argument, NULL, 1005},
        {"no-id-check", no_argument, NULL, 'N'},
        {"summary", required_argument, NULL, 'S'},
        {"quiet", no_argument, NULL, 'q'},
        {"delimiter", required_argument, NULL, 1100},
        {"prefix", required_argument, NULL, 1102},
        {"suffix", required_argument, NULL, 1103},
        {"map", required_argument, NULL, 1104},
        {"dry-run", no_argument, NULL, 1105},
        {"format", required_argument, NULL, 1106},
        {"long", no_argument, NULL, 1107},
        {"raw-text", no_argument, NULL, 1108},
        {"report", required_argument, NULL, 1109},
        {"report-format", required_argument, NULL, 1110},
        {"all-rows", no_argument, NULL, 1111},
        {"manifest", required_argument, NULL, 1112},
        {"encoding", required_argument, NULL, 1101},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *inames[MAX_INSTRUMENTS], *out_path = NULL, *in_path;
    rfs_instrument *insts[MAX_INSTRUMENTS];
    size_t n_inst = 0, i;
    cli_path path = {0};
    rfs_scorer *s = NULL;
    rfs_error err;
    output out;
    FILE *in = NULL;
    int c, rc = EXIT_USAGE, have_out = 0, quiet = 0, check_ids = 1;
    warnings warned = {0};
    const char *summary_path = NULL, *report_path = NULL, *report_format = NULL, *manifest_path = NULL;
    int all_rows = 0;
    const char *mapping[MAX_INSTRUMENTS][3] = {{NULL}}; /* per -i: prefix, suffix, map file */
    int dry_run = 0;

    rfs_error_clear(&err);
    s = rfs_scorer_new(&err);
    if (!s)
        goto fail;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:I:o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (n_inst == MAX_INSTRUMENTS) {
                cli_warn("at most %d instruments", MAX_INSTRUMENTS);
                goto done;
            }
            inames[n_inst++] = optarg;
            break;
        case 'I':
            if (cli_path_add(&path, optarg) < 0)
                goto nomem;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'd':
            if (rfs_scorer_set_id_column(s, optarg, &err) < 0)
                goto fail;
            break;
        case 'k': {
            char *copy = strdup(optarg), *tok, *save = NULL;
            if (!copy)
                goto nomem;
            for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                if (rfs_scorer_keep_column(s, tok, &err) < 0) {
                    free(copy);
                    goto fail;
                }
            free(copy);
            break;
        }
        case 'm':
            if (rfs_scorer_set_min_answered(s, optarg, &err) < 0)
                goto fail;
            break;
        case 'D':
            if (rfs_scorer_set_duration_column(s, optarg, &err) < 0)
                goto fail;
            break;
        case 'M': {
            char *copy = strdup(optarg), *eq, *tok, *save = NULL;
            if (!copy)
                goto nomem;
            eq = strchr(copy, '=');
            if (!eq) {
                free(copy);
                cli_warn("--missing %s: expected TYPE=CODE[,CODE...], e.g. refused=-99", optarg);
                goto done;
            }
            *eq = '\0';
            for (tok = strtok_r(eq + 1, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
                if (rfs_scorer_add_missing_code(s, copy, tok, &err) < 0) {
                    free(copy);
                    goto fail;
                }
            free(copy);
            break;
        }
        case 1000: case 1001: case 1002: case 1003: case 1004: case 1005: {
            static const char *const names[] = {"longstring_max", "irv_min", "even_odd_min", "synonyms_min",
                                                "antonyms_max", "seconds_per_item"};
            char *end;
            double v = strtod(optarg, &end);
            if (end == optarg || *end) {
                cli_warn("--%s: '%s' is not a number", longopts_name(longopts, c), optarg);
                goto done;
            }
            if (rfs_scorer_set_threshold(s, names[c - 1000], v, &err) < 0)
                goto fail;
            break;
        }
        case 'N':
            check_ids = 0;
            if (rfs_scorer_set_duplicate_check(s, 0, &err) < 0)
                goto fail;
            break;
        case 'S':
            summary_path = optarg;
            break;
        case 'q':
            quiet = 1;
            break;
        case 1100: {
            char d = strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0 ? '\t'
                     : strcmp(optarg, "auto") == 0                           ? 0
                     : strlen(optarg) == 1                                   ? optarg[0]
                                                                             : '?';
            if (rfs_scorer_set_delimiter(s, d, &err) < 0)
                goto fail;
            break;
        }
        case 1101:
            if (rfs_scorer_set_encoding(s, optarg, &err) < 0)
                goto fail;
            break;
        case 1102:
        case 1103:
        case 1104:
            if (n_inst == 0) {
                cli_warn("--%s applies to the instrument before it: give -i first", longopts_name(longopts, c));
                goto done;
            }
            mapping[n_inst - 1][c - 1102] = optarg;
            break;
        case 1106:
            if (report_mode)
                report_format = optarg;
            else if (rfs_scorer_set_format(s, optarg, &err) < 0)
                goto fail;
            break;
        case 1109:
            report_path = optarg;
            break;
        case 1110:
            report_format = optarg;
            break;
        case 1111:
            all_rows = 1;
            break;
        case 1112:
            manifest_path = optarg;
            if (rfs_scorer_enable_digest(s, &err) < 0)
                goto fail;
            break;
        case 1107:
            if (rfs_scorer_set_long(s, 1, &err) < 0)
                goto fail;
            break;
        case 1108:
            if (rfs_scorer_set_raw_text(s, 1, &err) < 0)
                goto fail;
            break;
        case 1105:
            if (rfs_scorer_set_dry_run(s, 1, &err) < 0)
                goto fail;
            dry_run = 1;
            break;
        case 'h':
            score_usage();
            rc = 0;
            goto done;
        default:
            score_usage();
            goto done;
        }
    }
    if (n_inst == 0 || optind != argc - 1) {
        cli_warn(n_inst == 0 ? "no instrument: give -i ID or -i FILE" : "give exactly one input FILE (or - for stdin)");
        score_usage();
        goto done;
    }
    in_path = argv[optind];
    if (report_mode) {
        report_path = out_path ? out_path : "-";
        out_path = NULL;
    }
    if ((report_path || report_mode) && rfs_scorer_enable_report(s, all_rows, &err) < 0)
        goto fail;
    if (cli_path_finish(&path) < 0)
        goto nomem;
    for (i = 0; i < n_inst; i++) {
        size_t k;
        insts[i] = cli_load_instrument(&path, inames[i], &err);
        if (!insts[i]) {
            n_inst = i;
            goto fail;
        }
        for (k = 0; k < i; k++)
            if (strcmp(rfs_instrument_id(insts[k]), rfs_instrument_id(insts[i])) == 0) {
                cli_warn("instrument '%s' given twice", rfs_instrument_id(insts[i]));
                n_inst = i + 1;
                goto done;
            }
        if (rfs_scorer_add_instrument(s, insts[i], &err) < 0 ||
            rfs_scorer_set_columns(s, insts[i], mapping[i][0], mapping[i][1], &err) < 0 ||
            (mapping[i][2] && load_map(s, insts[i], mapping[i][2], &err) < 0)) {
            n_inst = i + 1;
            goto fail;
        }
    }
    if (strcmp(in_path, "-") == 0) {
        in = stdin;
        if (rfs_scorer_set_input_name(s, "<stdin>", &err) < 0)
            goto fail;
        /* Flagging every occurrence of a duplicate id needs two passes: keep a copy. */
        if (check_ids && !dry_run && fseek(stdin, 0, SEEK_CUR) != 0) {
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
    if (report_mode) {
        memset(&out, 0, sizeof out);
    } else if (output_open(&out, out_path) < 0) {
        rc = EXIT_CANTCREAT;
        goto done;
    }
    have_out = !report_mode;
    if (!quiet && rfs_scorer_set_warning_fn(s, print_warning, &warned, &err) < 0)
        goto fail;
    if (rfs_scorer_set_output(s, report_mode ? write_null : write_out, out.f, &err) < 0 ||
        rfs_scorer_run_file(s, in, &err) < 0) {
        if (err.code == RFS_E_OPEN && errno == EISDIR)
            snprintf(err.message, sizeof err.message, "is a directory, not a CSV file");
        if (have_out)
            output_close(&out, 0);
        have_out = 0;
        goto fail;
    }
    if (have_out) {
        have_out = 0;
        c = output_close(&out, 1);
        if (c < 0) {
            rc = c == -2 ? EXIT_CANTCREAT : EXIT_IOERR;
            goto done;
        }
    }
    if (warned.count > 10)
        cli_warn("... %llu invalid answers in all (flagged in the output)", warned.count);
    rc = dry_run ? 0 : report(s, quiet, summary_path);
    if (rc == 0 && !dry_run && report_path)
        rc = write_report(s, report_path, report_format_for(report_format, report_path));
    if (rc == 0 && !dry_run && manifest_path)
        rc = write_manifest(s, manifest_path, argc, argv, in_path, insts, n_inst,
                            (const char *const (*)[3])mapping);
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
        output_close(&out, 0);
    if (in && in != stdin)
        fclose(in);
    rfs_scorer_free(s);
    for (i = 0; i < n_inst; i++)
        rfs_instrument_free(insts[i]);
    cli_path_free(&path);
    return rc;
}

/* rfscore list, show, template, lint, selftest: reading definitions without data. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parses -I DIR options shared by these commands; returns the index of the first
 * operand, or -1 after printing usage. */
static int path_options(int argc, char **argv, cli_path *path, const char *usage)
{
    static const struct option longopts[] = {
        {"include", required_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "I:h", longopts, NULL)) != -1) {
        if (c == 'I') {
            if (cli_path_add(path, optarg) < 0)
                return -1;
            continue;
        }
        fprintf(c == 'h' ? stdout : stderr, "usage: %s\n", usage);
        return -1;
    }
    if (cli_path_finish(path) < 0)
        return -1;
    return optind;
}

static void print_list_entry(const char *file, void *ud)
{
    rfs_error err;
    rfs_instrument *inst;
    size_t k, *bad = ud;

    rfs_error_clear(&err);
    inst = rfs_instrument_load(file, &err);
    if (!inst) {
        cli_print_error(&err);
        (*bad)++;
        return;
    }
    printf("%-8s %-52s %4zu items  ", rfs_instrument_id(inst), rfs_instrument_name(inst),
           rfs_instrument_item_count(inst));
    for (k = 0; k < rfs_instrument_score_count(inst); k++)
        printf("%s%s", k ? "," : "", rfs_instrument_score_id(inst, k));
    printf("  doi:%s\n", rfs_instrument_doi(inst));
    rfs_instrument_free(inst);
}

int cmd_list(int argc, char **argv)
{
    cli_path path = {0};
    size_t bad = 0;
    int first = path_options(argc, argv, &path, "rfscore list [-I DIR]");

    if (first < 0 || first != argc) {
        cli_path_free(&path);
        return EXIT_USAGE;
    }
    printf("%-8s %-52s %10s  %s\n", "ID", "NAME", "ITEMS", "SCORES  SOURCE");
    if (cli_path_each(&path, print_list_entry, &bad) < 0)
        bad++;
    cli_path_free(&path);
    return bad ? EXIT_CONFIG : 0;
}

/* Loads the one instrument named by the single operand of show/template. */
static rfs_instrument *one_instrument(int argc, char **argv, const char *usage, int *rc)
{
    cli_path path = {0};
    rfs_error err;
    rfs_instrument *inst;
    int first = path_options(argc, argv, &path, usage);

    if (first < 0 || first != argc - 1) {
        if (first >= 0)
            fprintf(stderr, "usage: %s\n", usage);
        cli_path_free(&path);
        *rc = EXIT_USAGE;
        return NULL;
    }
    rfs_error_clear(&err);
    inst = cli_load_instrument(&path, argv[first], &err);
    cli_path_free(&path);
    if (!inst) {
        cli_print_error(&err);
        *rc = cli_exit_code(&err);
    }
    return inst;
}

int cmd_show(int argc, char **argv)
{
    int rc = 0;
    rfs_instrument *inst = one_instrument(argc, argv, "rfscore show [-I DIR] ID|FILE", &rc);
    char *text;

    if (!inst)
        return rc;
    text = rfs_instrument_describe(inst);
    if (!text) {
        cli_warn("out of memory");
        rc = EXIT_OSERR;
    } else {
        fputs(text, stdout);
        free(text);
    }
    rfs_instrument_free(inst);
    return rc;
}

int cmd_template(int argc, char **argv)
{
    int rc = 0;
    rfs_instrument *inst = one_instrument(argc, argv, "rfscore template [-I DIR] ID|FILE", &rc);
    size_t k;

    if (!inst)
        return rc;
    fputs("id", stdout);
    for (k = 1; k <= rfs_instrument_item_count(inst); k++)
        printf(",%s", rfs_instrument_item_column(inst, k));
    fputc('\n', stdout);
    rfs_instrument_free(inst);
    return fflush(stdout) == 0 ? rc : EXIT_IOERR;
}

static void print_problem(const rfs_error *err, void *ud)
{
    (void)ud;
    cli_print_error(err);
}

int cmd_lint(int argc, char **argv)
{
    cli_path path = {0};
    size_t problems = 0;
    int i, first = path_options(argc, argv, &path, "rfscore lint FILE...");

    cli_path_free(&path);
    if (first < 0 || first == argc) {
        if (first == argc)
            fprintf(stderr, "usage: rfscore lint FILE...\n");
        return EXIT_USAGE;
    }
    for (i = first; i < argc; i++) {
        size_t n = rfs_instrument_check(argv[i], print_problem, NULL);
        problems += n;
        if (n == 0)
            printf("%s: ok\n", argv[i]);
    }
    if (problems)
        fprintf(stderr, "rfscore: %zu problem%s found\n", problems, problems == 1 ? "" : "s");
    return problems ? EXIT_CONFIG : 0;
}

typedef struct selftest_totals {
    size_t files, cases, failures, broken;
} selftest_totals;

static void selftest_one(const char *file, void *ud)
{
    selftest_totals *t = ud;
    rfs_error err;
    rfs_instrument *inst;
    size_t run = 0, failed;

    rfs_error_clear(&err);
    inst = rfs_instrument_load(file, &err);
    t->files++;
    if (!inst) {
        cli_print_error(&err);
        t->broken++;
        return;
    }
    failed = rfs_instrument_selftest(inst, &run, print_problem, NULL);
    if (run == 0) {
        cli_warn("%s: no [case.*] conformance cases", file);
        t->broken++;
    }
    printf("%s: %zu case%s, %zu failure%s\n", rfs_instrument_id(inst), run, run == 1 ? "" : "s", failed,
           failed == 1 ? "" : "s");
    t->cases += run;
    t->failures += failed;
    rfs_instrument_free(inst);
}

int cmd_selftest(int argc, char **argv)
{
    cli_path path = {0};
    selftest_totals t = {0};
    int i, first = path_options(argc, argv, &path, "rfscore selftest [-I DIR] [ID|FILE...]");

    if (first < 0) {
        cli_path_free(&path);
        return EXIT_USAGE;
    }
    if (first == argc) {
        cli_path_each(&path, selftest_one, &t);
    } else {
        for (i = first; i < argc; i++) {
            rfs_error err;
            rfs_instrument *inst;
            rfs_error_clear(&err);
            inst = cli_load_instrument(&path, argv[i], &err);
            if (!inst) {
                cli_print_error(&err);
                t.broken++;
                continue;
            }
            selftest_one(rfs_instrument_path(inst), &t);
            rfs_instrument_free(inst);
        }
    }
    cli_path_free(&path);
    if (t.files == 0 && t.broken == 0) {
        cli_warn("no instruments found");
        return EXIT_NOINPUT;
    }
    return t.failures || t.broken ? EXIT_CONFIG : 0;
}

int cmd_codebook(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"instrument", required_argument, NULL, 'i'},
        {"include", required_argument, NULL, 'I'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    static const char usage[] = "usage: rfscore codebook -i ID|FILE [-i ...] [-I DIR] [--format markdown|csv|redcap]\n";
    const char *names[64], *format = "markdown";
    rfs_instrument *insts[64];
    size_t n = 0, i, loaded = 0;
    cli_path path = {0};
    rfs_error err;
    char *text;
    int c, rc = 0;

    optind = 1;
    while ((c = getopt_long(argc, argv, "i:I:f:h", longopts, NULL)) != -1) {
        if (c == 'i' && n < 64)
            names[n++] = optarg;
        else if (c == 'I' && cli_path_add(&path, optarg) == 0)
            continue;
        else if (c == 'f')
            format = optarg;
        else {
            fputs(usage, c == 'h' ? stdout : stderr);
            cli_path_free(&path);
            return c == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (n == 0 || optind != argc || cli_path_finish(&path) < 0) {
        fputs(usage, stderr);
        cli_path_free(&path);
        return EXIT_USAGE;
    }
    rfs_error_clear(&err);
    for (i = 0; i < n; i++, loaded++)
        if (!(insts[i] = cli_load_instrument(&path, names[i], &err)))
            break;
    if (loaded < n) {
        cli_print_error(&err);
        rc = cli_exit_code(&err);
    } else if (!(text = rfs_codebook((const rfs_instrument *const *)insts, n, format))) {
        cli_warn("codebook format '%s': expected markdown, csv or redcap", format);
        rc = EXIT_USAGE;
    } else {
        fputs(text, stdout);
        free(text);
        rc = fflush(stdout) == 0 ? 0 : EXIT_IOERR;
    }
    for (i = 0; i < loaded; i++)
        rfs_instrument_free(insts[i]);
    cli_path_free(&path);
    return rc;
}

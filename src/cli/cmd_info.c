/* rfscore list, show, template, lint, selftest: reading definitions without data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

/* Parses the options of these commands (-I DIR, -h) into path; returns the index of the
 * first operand, or -1 with *rc set (0 after --help). */
static int path_options(unsigned command, int argc, char **argv, cli_path *path, int *rc)
{
    cli_args a;
    size_t i;
    int c = cli_parse(command, argc, argv, &a), first = a.first_operand;

    *rc = c == -2 ? EXIT_OSERR : EXIT_USAGE;
    if (c == 0 && a.help) {
        cli_usage(stdout, command);
        *rc = fflush(stdout) == 0 ? 0 : EXIT_IOERR;
        c = -1;
    }
    for (i = 0; c == 0 && i < a.include.n; i++)
        if (cli_path_add(path, a.include.v[i]) < 0)
            c = -1, *rc = EXIT_OSERR;
    cli_args_free(&a);
    if (c < 0)
        return -1;
    if (cli_path_finish(path) < 0) {
        *rc = EXIT_OSERR;
        return -1;
    }
    return first;
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
    int rc, first = path_options(CLI_LIST, argc, argv, &path, &rc);

    if (first < 0 || first != argc) {
        if (first >= 0)
            cli_usage_error(CLI_LIST);
        cli_path_free(&path);
        return first < 0 ? rc : EXIT_USAGE;
    }
    printf("%-8s %-52s %10s  %s\n", "ID", "NAME", "ITEMS", "SCORES  SOURCE");
    if (cli_path_each(&path, print_list_entry, &bad) < 0)
        bad++;
    cli_path_free(&path);
    return bad ? EXIT_CONFIG : 0;
}

/* Loads the one instrument named by the single operand of show/template. */
static rfs_instrument *one_instrument(unsigned command, int argc, char **argv, int *rc)
{
    cli_path path = {0};
    rfs_error err;
    rfs_instrument *inst;
    int first = path_options(command, argc, argv, &path, rc);

    if (first < 0 || first != argc - 1) {
        if (first >= 0) {
            cli_usage_error(command);
            *rc = EXIT_USAGE;
        }
        cli_path_free(&path);
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
    rfs_instrument *inst = one_instrument(CLI_SHOW, argc, argv, &rc);
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
    rfs_instrument *inst = one_instrument(CLI_TEMPLATE, argc, argv, &rc);
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
    int i, rc, first = path_options(CLI_LINT, argc, argv, &path, &rc);

    cli_path_free(&path);
    if (first < 0 || first == argc) {
        if (first == argc)
            cli_usage_error(CLI_LINT);
        return first < 0 ? rc : EXIT_USAGE;
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
    int i, rc, first = path_options(CLI_SELFTEST, argc, argv, &path, &rc);

    if (first < 0) {
        cli_path_free(&path);
        return rc;
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
    rfs_instrument *insts[64];
    size_t n, i, loaded = 0;
    cli_path path = {0};
    rfs_error err;
    cli_args a;
    char *text;
    int c, rc = 0;

    c = cli_parse(CLI_CODEBOOK, argc, argv, &a);
    if (c < 0 || a.help) {
        if (c == 0)
            cli_usage(stdout, CLI_CODEBOOK);
        cli_args_free(&a);
        return c == -2 ? EXIT_OSERR : c < 0 ? EXIT_USAGE : 0;
    }
    for (i = 0; i < a.include.n; i++)
        if (cli_path_add(&path, a.include.v[i]) < 0)
            rc = EXIT_OSERR;
    n = a.n_inst;
    if (rc == 0 && (n == 0 || a.first_operand != argc)) {
        cli_usage_error(CLI_CODEBOOK);
        rc = EXIT_USAGE;
    }
    if (rc == 0 && cli_path_finish(&path) < 0)
        rc = EXIT_OSERR;
    if (rc) {
        cli_path_free(&path);
        cli_args_free(&a);
        return rc;
    }
    rfs_error_clear(&err);
    for (i = 0; i < n; i++, loaded++)
        if (!(insts[i] = cli_load_instrument(&path, a.inst[i].name, &err)))
            break;
    if (loaded < n) {
        cli_print_error(&err);
        rc = cli_exit_code(&err);
    } else if (!(text = rfs_codebook((const rfs_instrument *const *)insts, n, a.format ? a.format : "markdown"))) {
        cli_warn("codebook format '%s': expected markdown, csv or redcap", a.format);
        rc = EXIT_USAGE;
    } else {
        fputs(text, stdout);
        free(text);
        rc = fflush(stdout) == 0 ? 0 : EXIT_IOERR;
    }
    for (i = 0; i < loaded; i++)
        rfs_instrument_free(insts[i]);
    cli_path_free(&path);
    cli_args_free(&a);
    return rc;
}

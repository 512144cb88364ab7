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
    *rc = 0;
    return first;
}

/* list prints a table whose column widths come from all its rows, so it is read first:
 * one row per definition, fields ID NAME ITEMS SOURCE SCORES (the scores last, as their
 * list is as long as the instrument has scales). */
enum { LIST_ID, LIST_NAME, LIST_ITEMS, LIST_SOURCE, LIST_SCORES, LIST_FIELDS };

typedef struct list_table {
    char *(*rows)[LIST_FIELDS];
    size_t n, bad, nomem;
} list_table;

static char *scores_text(const rfs_instrument *inst)
{
    size_t k, len = 1;
    char *text;

    for (k = 0; k < rfs_instrument_score_count(inst); k++)
        len += strlen(rfs_instrument_score_id(inst, k)) + 1;
    if (!(text = malloc(len)))
        return NULL;
    text[0] = '\0';
    for (k = 0; k < rfs_instrument_score_count(inst); k++) {
        if (k)
            strcat(text, ",");
        strcat(text, rfs_instrument_score_id(inst, k));
    }
    return text;
}

static void list_entry(const char *file, void *ud)
{
    list_table *t = ud;
    rfs_error err;
    rfs_instrument *inst;
    char *(*rows)[LIST_FIELDS], items[32], *doi;
    size_t f;

    rfs_error_clear(&err);
    inst = rfs_instrument_load(file, &err);
    if (!inst) {
        cli_print_error(&err);
        t->bad++;
        return;
    }
    rows = realloc(t->rows, (t->n + 1) * sizeof *rows);
    doi = malloc(strlen(rfs_instrument_doi(inst)) + 5);
    if (!rows || !doi) {
        free(doi);
        if (rows)
            t->rows = rows;
        t->nomem++;
        rfs_instrument_free(inst);
        return;
    }
    t->rows = rows;
    snprintf(items, sizeof items, "%zu", rfs_instrument_item_count(inst));
    sprintf(doi, "doi:%s", rfs_instrument_doi(inst));
    rows[t->n][LIST_ID] = strdup(rfs_instrument_id(inst));
    rows[t->n][LIST_NAME] = strdup(rfs_instrument_name(inst));
    rows[t->n][LIST_ITEMS] = strdup(items);
    rows[t->n][LIST_SOURCE] = doi;
    rows[t->n][LIST_SCORES] = scores_text(inst);
    for (f = 0; f < LIST_FIELDS; f++)
        if (!rows[t->n][f])
            t->nomem = 1;
    t->n++;
    rfs_instrument_free(inst);
}

/* Width on a terminal: code points, not bytes (a name may hold an accented letter). */
static size_t text_width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* Text left-aligned, the item count right-aligned, the last column unpadded. */
static void list_line(const char *const *cells, const size_t *width)
{
    size_t f, pad;

    for (f = 0; f < LIST_FIELDS; f++) {
        pad = f + 1 < LIST_FIELDS ? width[f] - text_width(cells[f]) : 0;
        if (f == LIST_ITEMS)
            printf("%*s%s", (int)pad, "", cells[f]);
        else
            printf("%s%*s", cells[f], (int)pad, "");
        fputs(f + 1 < LIST_FIELDS ? "  " : "\n", stdout);
    }
}

static void list_print(const list_table *t)
{
    static const char *const head[LIST_FIELDS] = {"ID", "NAME", "ITEMS", "SOURCE", "SCORES"};
    size_t width[LIST_FIELDS], r, f;

    for (f = 0; f < LIST_FIELDS; f++) {
        width[f] = text_width(head[f]);
        for (r = 0; r < t->n; r++)
            if (text_width(t->rows[r][f]) > width[f])
                width[f] = text_width(t->rows[r][f]);
    }
    list_line(head, width);
    for (r = 0; r < t->n; r++)
        list_line((const char *const *)t->rows[r], width);
}

int cmd_list(int argc, char **argv)
{
    cli_path path = {0};
    list_table t = {0};
    size_t r, f;
    int rc, first = path_options(CLI_LIST, argc, argv, &path, &rc);

    if (first < 0 || first != argc) {
        if (first >= 0)
            cli_usage_error(CLI_LIST);
        cli_path_free(&path);
        return first < 0 ? rc : EXIT_USAGE;
    }
    if (cli_path_each(&path, list_entry, &t) < 0)
        t.nomem++;
    cli_path_free(&path);
    if (t.nomem) {
        cli_warn("out of memory");
        rc = EXIT_OSERR;
    } else {
        list_print(&t);
        rc = fflush(stdout) != 0 ? EXIT_IOERR : t.bad ? EXIT_CONFIG : 0;
    }
    for (r = 0; r < t.n; r++)
        for (f = 0; f < LIST_FIELDS; f++)
            free(t.rows[r][f]);
    free(t.rows);
    return rc;
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

/* Counts what lint found: a definition that cannot be opened is exit 66, like every
 * other command's missing input; a wrong one is 78. */
typedef struct lint_totals {
    size_t problems, unopened, nomem;
} lint_totals;

static void lint_problem(const rfs_error *err, void *ud)
{
    lint_totals *t = ud;

    cli_print_error(err);
    t->problems++;
    if (err->code == RFS_E_OPEN)
        t->unopened++;
    if (err->code == RFS_E_NOMEM) /* not the definition's fault: no verdict on it */
        t->nomem++;
}

int cmd_lint(int argc, char **argv)
{
    cli_path path = {0};
    lint_totals t = {0};
    int i, rc, first = path_options(CLI_LINT, argc, argv, &path, &rc);

    if (first < 0 || first == argc) {
        if (first == argc)
            cli_usage_error(CLI_LINT);
        cli_path_free(&path);
        return first < 0 ? rc : EXIT_USAGE;
    }
    for (i = first; i < argc; i++) {
        char file[4096];
        rfs_error err;
        size_t before = t.problems;
        rfs_error_clear(&err);
        if (cli_find_instrument(&path, argv[i], file, sizeof file, &err) < 0) {
            lint_problem(&err, &t);
            continue;
        }
        rfs_instrument_check(file, lint_problem, &t);
        if (t.problems == before)
            printf("%s: ok\n", file);
    }
    cli_path_free(&path);
    if (t.problems)
        fprintf(stderr, "rfscore: %zu problem%s found\n", t.problems, t.problems == 1 ? "" : "s");
    return t.nomem ? EXIT_OSERR : t.unopened ? EXIT_NOINPUT : t.problems ? EXIT_CONFIG : 0;
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

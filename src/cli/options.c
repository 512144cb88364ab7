/* Every command-line option, declared once (options.h says why). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

typedef enum cli_kind {
    CLI_FLAG,       /* int at offset in cli_args, set to 1 */
    CLI_STRING,     /* const char * at offset in cli_args; the last one given wins */
    CLI_REPEAT,     /* cli_strlist at offset in cli_args; repeatable */
    CLI_INSTRUMENT, /* -i: starts a new cli_instrument_arg */
    CLI_PER_INST,   /* const char * at offset in the cli_instrument_arg of the -i before it */
    CLI_THRESHOLD   /* a careless-responding threshold; `setting` is the library's name */
} cli_kind;

typedef struct cli_option {
    const char *name; /* the long name, without "--" */
    int short_name;   /* 0 when none */
    const char *arg;  /* the argument's placeholder; NULL for a flag */
    unsigned commands;
    cli_kind kind;
    size_t offset;
    const char *setting; /* CLI_THRESHOLD only */
    const char *help;
} cli_option;

#define SR (CLI_SCORE | CLI_REPORT)
#define DEFS (CLI_LIST | CLI_SHOW | CLI_TEMPLATE | CLI_LINT | CLI_SELFTEST | CLI_CODEBOOK)
#define A(field) offsetof(cli_args, field)
#define I(field) offsetof(cli_instrument_arg, field)

static const cli_option options[] = {
    {"instrument", 'i', "ID|FILE", SR | CLI_CODEBOOK, CLI_INSTRUMENT, 0, NULL,
     "an instrument to score, by id or definition file; repeat for several"},
    {"prefix", 0, "P", SR, CLI_PER_INST, I(prefix), NULL,
     "read the items of the -i before from columns P1, P2, ..."},
    {"suffix", 0, "S", SR, CLI_PER_INST, I(suffix), NULL,
     "append S to every item column of the -i before (e.g. _t2)"},
    {"map", 0, "FILE", SR, CLI_PER_INST, I(map), NULL,
     "lines ITEM,COLUMN: where the -i before finds each item (a header name or ImportId)"},
    {"as", 0, "NAME", SR, CLI_PER_INST, I(as), NULL,
     "score the -i before under NAME (columns NAME_c, ...): one instrument, several waves"},
    {"labels", 0, "FILE", SR, CLI_PER_INST, I(labels), NULL,
     "lines CODE,LABEL: answer texts of the -i before (a code's lines replace its labels)"},
    {"include", 'I', "DIR", SR | DEFS, CLI_REPEAT, A(include), NULL,
     "search DIR for instrument definitions first (repeatable)"},
    {"id", 0, "COL[,COL...]|none", SR, CLI_STRING, A(id), NULL,
     "the id column, or the columns of a composite key, or none (first column: row number; "
     "default: id, record_id, participant_id, ResponseId or Record ID)"},
    {"where", 0, "COL=VALUE|COL!=VALUE", SR, CLI_REPEAT, A(where), NULL,
     "score only rows whose COL (trimmed) is exactly VALUE, or is not; repeatable, all must hold"},
    {"keep", 0, "COL,...", SR, CLI_REPEAT, A(keep), NULL, "copy these columns to the output, after the id"},
    {"delimiter", 0, "auto|,|;|tab", SR, CLI_STRING, A(delimiter), NULL,
     "the input's delimiter (default: detected from the header)"},
    {"encoding", 0, "utf-8|cp1252|latin1", SR, CLI_STRING, A(encoding), NULL,
     "the input's encoding (default UTF-8, checked; the others are converted)"},
    {"min-answered", 0, "N|P%", SR, CLI_STRING, A(min_answered), NULL,
     "answered items a mean or prorated scale needs: a count or a percentage"},
    {"missing", 0, "TYPE=CODE,...", SR, CLI_REPEAT, A(missing), NULL, "typed missing codes (e.g. refused=-99)"},
    {"duration", 0, "COLUMN", SR, CLI_STRING, A(duration), NULL,
     "completion time in seconds, for the too_fast flag"},
    {"longstring-max", 0, "N", SR, CLI_THRESHOLD, 0, "longstring_max",
     "flag a run of more than N identical answers"},
    {"irv-min", 0, "X", SR, CLI_THRESHOLD, 0, "irv_min", "flag an intra-individual response SD below X"},
    {"even-odd-min", 0, "X", SR, CLI_THRESHOLD, 0, "even_odd_min", "flag an even-odd consistency below X"},
    {"synonyms-min", 0, "X", SR, CLI_THRESHOLD, 0, "synonyms_min", "flag a psychometric-synonym r below X"},
    {"antonyms-max", 0, "X", SR, CLI_THRESHOLD, 0, "antonyms_max", "flag a psychometric-antonym r above X"},
    {"seconds-per-item", 0, "X", SR, CLI_THRESHOLD, 0, "seconds_per_item",
     "flag a completion faster than X seconds per item"},
    {"no-id-check", 0, NULL, SR, CLI_FLAG, A(no_id_check), NULL, "do not look for duplicate ids"},
    {"threads", 0, "1|2|auto", CLI_SCORE, CLI_STRING, A(threads), NULL,
     "threads for an input file of 2 MiB or more (default: auto, 2 when a core is idle, "
     "or $RFSCORE_THREADS); the output is the same"},
    {"dry-run", 0, NULL, SR, CLI_FLAG, A(dry_run), NULL,
     "print which column each item is read from; score nothing"},
    {"format", 0, "csv|tsv|jsonl|redcap", CLI_SCORE, CLI_STRING, A(format), NULL, "the output format (default csv)"},
    {"format", 0, "text|json|html", CLI_REPORT, CLI_STRING, A(format), NULL, "the report format (default text)"},
    {"format", 0, "markdown|csv|redcap", CLI_CODEBOOK, CLI_STRING, A(format), NULL,
     "the codebook format (default markdown)"},
    {"long", 0, NULL, CLI_SCORE, CLI_FLAG, A(long_rows), NULL, "one output row per respondent and score"},
    {"raw-text", 0, NULL, CLI_SCORE, CLI_FLAG, A(raw_text), NULL,
     "do not neutralise text starting with = + - @ (spreadsheet formulas)"},
    {"digits", 0, "N", CLI_SCORE, CLI_STRING, A(digits), NULL,
     "numbers with N decimals, rounded half to even (default: shortest exact form)"},
    {"no-header", 0, NULL, CLI_SCORE, CLI_FLAG, A(no_header), NULL, "leave out the header line (for shards)"},
    {"output-delimiter", 0, ",|;|tab", CLI_SCORE, CLI_STRING, A(output_delimiter), NULL,
     "the separator of CSV output (default ,)"},
    {"decimal-comma", 0, NULL, CLI_SCORE, CLI_FLAG, A(decimal_comma), NULL,
     "write 2,5 for 2.5 (needs a ; or tab delimiter)"},
    {"bom", 0, NULL, CLI_SCORE, CLI_FLAG, A(bom), NULL, "begin the output with a UTF-8 byte order mark"},
    {"excel", 0, NULL, CLI_SCORE, CLI_FLAG, A(excel), NULL,
     "for Excel in a decimal-comma locale: ; delimiter, decimal comma, UTF-8 BOM"},
    {"report", 0, "FILE", CLI_SCORE, CLI_STRING, A(report), NULL, "also write the study report to FILE"},
    {"report-format", 0, "text|json|html", CLI_SCORE, CLI_STRING, A(report_format), NULL,
     "the --report format (default: from FILE's extension)"},
    {"by", 0, "COLUMN", SR, CLI_STRING, A(by), NULL,
     "the report per value of COLUMN (a wave, an event, an arm), never pooled"},
    {"all-rows", 0, NULL, SR, CLI_FLAG, A(all_rows), NULL, "report over all rows, not only valid ones"},
    {"summary", 0, "FILE", SR, CLI_STRING, A(summary), NULL, "write the run summary to FILE as JSON"},
    {"manifest", 0, "FILE", SR, CLI_STRING, A(manifest), NULL,
     "write provenance JSON: version, arguments, SHA-256 of input and definitions"},
    {"output", 'o', "FILE", SR, CLI_STRING, A(output), NULL,
     "write to FILE (replaced only when the run succeeds; default stdout)"},
    {"quiet", 'q', NULL, SR, CLI_FLAG, A(quiet), NULL, "no summary and no warnings on stderr"},
    {"strict", 0, NULL, SR, CLI_FLAG, A(strict), NULL,
     "exit 65 when the run has a warning (column_mostly_invalid, header_row_kept, ...)"},
    {"help", 'h', NULL, SR | DEFS, CLI_FLAG, A(help), NULL, "print this help and exit"},
};
#define N_OPTIONS (sizeof options / sizeof *options)

static const struct {
    unsigned command;
    const char *name, *synopsis, *what;
} commands[] = {
    {CLI_SCORE, "score", "-i INSTRUMENT [-i ...] [OPTIONS] FILE|-",
     "Scores a CSV file: one output row per input row, in order."},
    {CLI_REPORT, "report", "-i INSTRUMENT [-i ...] [OPTIONS] FILE|-",
     "Scores a CSV file and prints the study report: descriptives, reliability, items, flags."},
    {CLI_LIST, "list", "[-I DIR]", "Lists the instruments on the search path."},
    {CLI_SHOW, "show", "[-I DIR] ID|FILE", "Prints an instrument's scoring key in readable form."},
    {CLI_TEMPLATE, "template", "[-I DIR] ID|FILE", "Prints an empty CSV with the expected header."},
    {CLI_LINT, "lint", "[-I DIR] ID|FILE...", "Checks definitions, by id or path; prints every problem with its line."},
    {CLI_SELFTEST, "selftest", "[-I DIR] [ID|FILE...]", "Runs definitions' conformance cases."},
    {CLI_CODEBOOK, "codebook", "-i ID|FILE [-i ...] [-I DIR] [--format F]",
     "Prints a data dictionary of the output columns."},
};

/* Levenshtein distance, for "did you mean": names are short (under 64 bytes). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64], i, j;

    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    for (j = 0; j <= lb; j++)
        row[j] = j;
    for (i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (j = 1; j <= lb; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    return row[lb];
}

/* The closest of names to word, when it is close enough to be a typing mistake (at most
 * a third of its letters wrong, or word is the start of it); NULL otherwise. */
static const char *closest(const char *word, const char *const *names, size_t n)
{
    size_t i, best = (size_t)-1, len = strlen(word);
    const char *found = NULL;

    for (i = 0; i < n; i++) {
        size_t d = edit_distance(word, names[i]);
        if (len && strncmp(names[i], word, len) == 0)
            d = 0;
        if (d < best) {
            best = d;
            found = names[i];
        }
    }
    return best <= (len + 2) / 3 ? found : NULL;
}

static const char *closest_option(unsigned command, const char *word)
{
    const char *names[N_OPTIONS];
    size_t i, n = 0;

    for (i = 0; i < N_OPTIONS; i++)
        if (options[i].commands & command)
            names[n++] = options[i].name;
    return closest(word, names, n);
}

unsigned cli_command(const char *name, const char **suggestion)
{
    const char *names[sizeof commands / sizeof *commands];
    size_t k;

    for (k = 0; k < sizeof commands / sizeof *commands; k++) {
        if (strcmp(commands[k].name, name) == 0)
            return commands[k].command;
        names[k] = commands[k].name;
    }
    if (suggestion)
        *suggestion = closest(name, names, k);
    return 0;
}

void cli_usage_commands(FILE *f)
{
    size_t k;

    fputs("usage: rfscore COMMAND [OPTIONS]\n\ncommands:\n", f);
    for (k = 0; k < sizeof commands / sizeof *commands; k++)
        fprintf(f, "  %-9s %s\n", commands[k].name, commands[k].what);
    fputs("  help      Prints a command's options: rfscore help COMMAND (or COMMAND --help).\n"
          "  version   Prints the version (also -V, --version).\n"
          "\nSee rfscore(1) for the exit codes, files and examples.\n",
          f);
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
    size_t want;
    void *p;

    if (n < *cap)
        return 0;
    want = *cap ? *cap * 2 : 8;
    if (!(p = realloc(*v, want * size)))
        return -1;
    *v = p;
    *cap = want;
    return 0;
}

static int set(cli_args *a, const cli_option *o, const char *arg)
{
    char *base = (char *)a;

    switch (o->kind) {
    case CLI_FLAG:
        *(int *)(base + o->offset) = 1;
        return 0;
    case CLI_STRING:
        *(const char **)(base + o->offset) = arg;
        return 0;
    case CLI_REPEAT: {
        cli_strlist *l = (cli_strlist *)(base + o->offset);
        if (grow((void **)&l->v, &l->cap, l->n, sizeof *l->v) < 0)
            return -2;
        l->v[l->n++] = arg;
        return 0;
    }
    case CLI_INSTRUMENT:
        if (a->n_inst == 64) {
            cli_warn("at most %d instruments", 64);
            return -1;
        }
        if (grow((void **)&a->inst, &a->cap_inst, a->n_inst, sizeof *a->inst) < 0)
            return -2;
        memset(&a->inst[a->n_inst], 0, sizeof *a->inst);
        a->inst[a->n_inst++].name = arg;
        return 0;
    case CLI_PER_INST:
        if (a->n_inst == 0) {
            cli_warn("--%s applies to the instrument before it: give -i first", o->name);
            return -1;
        }
        *(const char **)((char *)&a->inst[a->n_inst - 1] + o->offset) = arg;
        return 0;
    case CLI_THRESHOLD:
        if (grow((void **)&a->thresholds, &a->cap_thresholds, a->n_thresholds, sizeof *a->thresholds) < 0)
            return -2;
        a->thresholds[a->n_thresholds].option = o->name;
        a->thresholds[a->n_thresholds].setting = o->setting;
        a->thresholds[a->n_thresholds++].value = arg;
        return 0;
    }
    return -1;
}

int cli_parse(unsigned command, int argc, char **argv, cli_args *a)
{
    struct option longopts[N_OPTIONS + 1];
    const cli_option *rows[N_OPTIONS];
    char shortopts[2 * N_OPTIONS + 2];
    size_t i, n = 0, ns = 0;
    int c, index, rc = 0;

    memset(a, 0, sizeof *a);
    shortopts[ns++] = ':'; /* a missing argument is reported as ':' */
    for (i = 0; i < N_OPTIONS; i++) {
        if (!(options[i].commands & command))
            continue;
        rows[n] = &options[i];
        longopts[n].name = options[i].name;
        longopts[n].has_arg = options[i].arg ? required_argument : no_argument;
        longopts[n].flag = NULL;
        longopts[n].val = (int)(256 + n);
        if (options[i].short_name) {
            shortopts[ns++] = (char)options[i].short_name;
            if (options[i].arg)
                shortopts[ns++] = ':';
        }
        n++;
    }
    memset(&longopts[n], 0, sizeof longopts[n]);
    shortopts[ns] = '\0';
    optind = 1;
    opterr = 0;
    while (rc == 0 && (c = getopt_long(argc, argv, shortopts, longopts, &index)) != -1) {
        const cli_option *o = NULL;
        if (c >= 256) {
            o = rows[c - 256];
        } else if (c != '?' && c != ':') {
            for (i = 0; i < n && !o; i++)
                if (rows[i]->short_name == c)
                    o = rows[i];
        }
        if (!o) {
            const char *what = argv[optind - 1];
            const char *near = NULL;
            if (c != ':' && !(optopt && optopt < 256) && strncmp(what, "--", 2) == 0) {
                char word[64];
                snprintf(word, sizeof word, "%.*s", (int)strcspn(what + 2, "="), what + 2);
                near = closest_option(command, word);
            }
            if (c == ':')
                cli_warn("%s needs an argument", what);
            else if (optopt && optopt < 256)
                cli_warn("unknown option -%c", optopt);
            else if (near)
                cli_warn("unknown option %s (did you mean --%s?)", what, near);
            else
                cli_warn("unknown option %s", what);
            cli_usage_error(command);
            return -1;
        }
        rc = set(a, o, optarg);
        if (o->kind == CLI_FLAG && o->offset == A(help))
            break;
    }
    a->first_operand = optind;
    if (rc == -2)
        cli_warn("out of memory");
    return rc;
}

void cli_args_free(cli_args *a)
{
    free(a->inst);
    free(a->thresholds);
    free(a->include.v);
    free(a->keep.v);
    free(a->missing.v);
    free(a->where.v);
    memset(a, 0, sizeof *a);
}

static size_t command_index(unsigned command)
{
    size_t k;

    for (k = 0; k < sizeof commands / sizeof *commands - 1; k++)
        if (commands[k].command == command)
            break;
    return k;
}

void cli_usage_error(unsigned command)
{
    size_t k = command_index(command);

    fprintf(stderr, "usage: rfscore %s %s\n(rfscore %s --help lists the options)\n", commands[k].name,
            commands[k].synopsis, commands[k].name);
}

void cli_usage(FILE *f, unsigned command)
{
    size_t i, k = command_index(command);

    fprintf(f, "usage: rfscore %s %s\n%s\n\noptions:\n", commands[k].name, commands[k].synopsis, commands[k].what);
    for (i = 0; i < N_OPTIONS; i++) {
        char left[64];
        const cli_option *o = &options[i];
        if (!(o->commands & command))
            continue;
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        if (strlen(left) > 30)
            fprintf(f, "  %s\n  %-30s %s\n", left, "", o->help);
        else
            fprintf(f, "  %-30s %s\n", left, o->help);
    }
}

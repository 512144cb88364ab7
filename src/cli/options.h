/* The command line of every command, declared once: options.c holds one table row per
 * option (name, argument, commands, what it sets, help), from which getopt's table, the
 * parser and the usage text are all made, so they cannot disagree. */
#ifndef RFS_CLI_OPTIONS_H
#define RFS_CLI_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* The commands, as bits so that a row can serve several. */
enum {
    CLI_SCORE = 1u << 0,
    CLI_REPORT = 1u << 1,
    CLI_LIST = 1u << 2,
    CLI_SHOW = 1u << 3,
    CLI_TEMPLATE = 1u << 4,
    CLI_LINT = 1u << 5,
    CLI_SELFTEST = 1u << 6,
    CLI_CODEBOOK = 1u << 7
};

/* A growable list of borrowed strings (argv's). */
typedef struct cli_strlist {
    const char **v;
    size_t n, cap;
} cli_strlist;

/* One -i and the options that follow it (--prefix, --suffix, --map, --as). */
typedef struct cli_instrument_arg {
    const char *name, *prefix, *suffix, *map, *as, *labels;
} cli_instrument_arg;

/* A careless-responding threshold: the library's name for it and the argument. */
typedef struct cli_threshold {
    const char *option, *setting, *value;
} cli_threshold;

/* Everything a command line says, before anything is loaded or opened. Strings are
 * borrowed from argv; the lists are freed with cli_args_free(). */
typedef struct cli_args {
    cli_instrument_arg *inst;
    size_t n_inst, cap_inst;
    cli_threshold *thresholds;
    size_t n_thresholds, cap_thresholds;
    cli_strlist include, keep, missing, where;
    const char *by;
    const char *output, *id, *min_answered, *duration, *summary, *delimiter, *encoding, *format, *report,
        *report_format, *manifest, *threads;
    int quiet, no_id_check, dry_run, long_rows, raw_text, all_rows, help, strict;
    const char *digits, *output_delimiter;      /* output text: score */
    int no_header, bom, decimal_comma, excel;
    int first_operand; /* argv index of the first operand */
} cli_args;

/* Parses argv (argv[0] is the command's name) for one command. Returns 0 (a->help set
 * for -h/--help), -1 after printing a usage error, -2 when out of memory. a is zeroed
 * first and must be freed with cli_args_free() in every case. */
int cli_parse(unsigned command, int argc, char **argv, cli_args *a);
void cli_args_free(cli_args *a);

/* The command named name, or 0 with *suggestion (if not NULL) set to the closest
 * command's name or NULL. */
unsigned cli_command(const char *name, const char **suggestion);
/* The commands, one line each, to f. */
void cli_usage_commands(FILE *f);
/* The usage of one command, a line per option, to f. */
void cli_usage(FILE *f, unsigned command);
/* The synopsis and where to find the options, to stderr, after a usage error. */
void cli_usage_error(unsigned command);

#endif

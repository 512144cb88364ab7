/* The rfscore command: a thin client of the public API (rfscore.h only). */
#ifndef RFS_CLI_H
#define RFS_CLI_H

#include <stddef.h>

#include "rfscore.h"

/* Exit codes, sysexits style; documented in rfscore(1). */
enum {
    EXIT_USAGE = 64,     /* bad command line, or no id column */
    EXIT_DATAERR = 65,   /* malformed CSV, missing item column, limits */
    EXIT_NOINPUT = 66,   /* cannot open an input or definition file */
    EXIT_OSERR = 71,     /* out of memory */
    EXIT_CANTCREAT = 73, /* cannot create the output file */
    EXIT_IOERR = 74,     /* cannot write output (full disk, closed pipe) */
    EXIT_CONFIG = 78     /* bad instrument definition */
};

/* Prints "rfscore: FILE:LINE:COL: message" to stderr, leaving out unknown parts. */
void cli_print_error(const rfs_error *err);
/* Exit code for an error. */
int cli_exit_code(const rfs_error *err);
/* printf-style message to stderr, prefixed "rfscore: ". */
void cli_warn(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* The instrument search path: -I dirs first, then RFSCORE_PATH, then the installed data
 * dir. */
typedef struct cli_path {
    char **dirs;
    size_t n;
} cli_path;

int cli_path_add(cli_path *p, const char *dir);
/* Adds RFSCORE_PATH (colon-separated) and the installed directory. */
int cli_path_finish(cli_path *p);
void cli_path_free(cli_path *p);
/* Loads an instrument named by id (searched) or by a path (contains '/' or ends in
 * ".ini"). NULL with err set. */
rfs_instrument *cli_load_instrument(const cli_path *p, const char *name, rfs_error *err);
/* Calls fn for the path of every *.ini in the search path, first occurrence of each id
 * file name only, sorted by file name within a directory. */
int cli_path_each(const cli_path *p, void (*fn)(const char *path, void *ud), void *ud);

int cmd_score(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_codebook(int argc, char **argv);

#endif

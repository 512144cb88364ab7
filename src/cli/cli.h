/* The rfscore command: a thin client of the public API (rfscore.h only). */
#ifndef RFS_CLI_H
#define RFS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "rfscore.h"

/* Exit codes, sysexits style; documented in rfscore(1). */
enum {
    EXIT_USAGE = 64,     /* bad command line, or no id column */
    EXIT_DATAERR = 65,   /* malformed CSV, missing item column, limits */
    EXIT_NOINPUT = 66,   /* cannot open an input or definition file */
    EXIT_SOFTWARE = 70,  /* internal error: a bug */
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
/* The file an instrument name stands for: the name itself when it is a path (contains '/'
 * or ends in ".ini"), else the first ID.ini on the search path, written into buf.
 * Returns 0, or -1 with err set (RFS_E_OPEN, the message lists the search path). */
int cli_find_instrument(const cli_path *p, const char *name, char *buf, size_t size, rfs_error *err);
/* Loads an instrument named by id (searched) or by a path (contains '/' or ends in
 * ".ini"). NULL with err set. */
rfs_instrument *cli_load_instrument(const cli_path *p, const char *name, rfs_error *err);
/* Calls fn for the path of every *.ini in the search path, first occurrence of each id
 * file name only, sorted by file name within a directory. */
int cli_path_each(const cli_path *p, void (*fn)(const char *path, void *ud), void *ud);

/* An output file (or stdout for NULL or "-"), written to a temporary beside it and renamed
 * over it by cli_output_close() only when ok: a failed run leaves no partial file. A FIFO
 * or device is written directly; a symbolic link's target is replaced, not the link. */
typedef struct cli_output {
    const char *final_path;
    char *tmp_path; /* NULL when writing directly */
    char *resolved; /* the target of a symbolic link */
    FILE *f;
} cli_output;

/* 0, or -1 after a message. */
int cli_output_open(cli_output *o, const char *path);
/* 0 when the output is complete and in place; -2 cannot create, -1 cannot write (after a
 * message when ok). Or, for a run with several outputs, in two steps: */
int cli_output_close(cli_output *o, int ok);
/* Flushes, syncs and closes: complete, not yet in place. 0, or -1 (cannot write). */
int cli_output_finish(cli_output *o);
/* Renames a finished output into place. 0, or -2 (cannot create). */
int cli_output_commit(cli_output *o);
/* Closes the output and removes its temporary (a failed run); nothing after commit. */
void cli_output_abandon(cli_output *o);
/* From now on SIGINT, SIGTERM and SIGHUP remove the temporaries of open outputs, then
 * the process dies by the same signal. */
void cli_output_signals(void);
/* 1 when a and b name one file: the same device and inode, or for files not yet created
 * the same directory and name. "-" stands for descriptor a_fd or b_fd. A character
 * device (a terminal, /dev/null) is never the same file as anything. */
int cli_same_file(const char *a, int a_fd, const char *b, int b_fd);

/* Reads a --map file (lines ITEM,COLUMN) into the scorer for inst. */
int cli_load_map(rfs_scorer *s, const rfs_instrument *inst, const char *path, rfs_error *err);

/* Reads a --labels file (lines CODE,LABEL) into inst: the first line of a code replaces
 * that code's labels, later ones add to them. */
int cli_load_labels(rfs_instrument *inst, const char *path, rfs_error *err);

/* What one -i said about where its items are, for the manifest. */
typedef struct cli_columns {
    const char *prefix, *suffix, *map, *as, *labels;
} cli_columns;

/* Writes the provenance JSON (--manifest) to f; returns 0 or an exit code after a message. */
int cli_write_manifest(FILE *f, rfs_scorer *s, int argc, char **argv, const char *in_path,
                       rfs_instrument *const *insts, const cli_columns *columns, size_t n_inst);

/* Progress on stderr (progress.c), only when it is a terminal. */
typedef struct cli_progress {
    int enabled, shown, pass;
    double pass_start, last;
} cli_progress;
void cli_progress_start(cli_progress *p, int enabled);
/* An rfs_progress_fn; userdata is the cli_progress. */
void cli_progress_update(int pass, unsigned long long bytes, const rfs_counts *counts, void *userdata);
/* Erases the progress line. */
void cli_progress_end(cli_progress *p);

int cmd_score(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_selftest(int argc, char **argv);
int cmd_codebook(int argc, char **argv);

#endif

/* Error printing, exit codes and the instrument search path. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

void cli_warn(const char *fmt, ...)
{
    va_list ap;

    fputs("rfscore: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_print_error(const rfs_error *err)
{
    fputs("rfscore: ", stderr);
    if (err->file[0]) {
        fprintf(stderr, "%s:", err->file);
        if (err->line) {
            fprintf(stderr, "%lu:", err->line);
            if (err->column)
                fprintf(stderr, "%lu:", err->column);
        }
        fputc(' ', stderr);
    }
    fprintf(stderr, "%s\n", err->message);
}

int cli_exit_code(const rfs_error *err)
{
    switch (err->code) {
    case RFS_OK: return 0;
    case RFS_E_NOMEM: return EXIT_OSERR;
    case RFS_E_USAGE: return EXIT_USAGE;
    case RFS_E_OPEN: return EXIT_NOINPUT;
    case RFS_E_DEFINITION: return EXIT_CONFIG;
    case RFS_E_DATA: return EXIT_DATAERR;
    case RFS_E_OUTPUT: return EXIT_IOERR;
    case RFS_E_LIMIT: return EXIT_DATAERR;
    }
    return EXIT_SOFTWARE; /* a code this command does not know: the library is newer */
}

int cli_path_add(cli_path *p, const char *dir)
{
    char **d = realloc(p->dirs, (p->n + 1) * sizeof *d);

    if (!d)
        return -1;
    p->dirs = d;
    d[p->n] = strdup(dir);
    if (!d[p->n])
        return -1;
    p->n++;
    return 0;
}

int cli_path_finish(cli_path *p)
{
    const char *env = getenv("RFSCORE_PATH");

    if (env) {
        char *copy = strdup(env), *tok, *save = NULL;
        if (!copy)
            return -1;
        for (tok = strtok_r(copy, ":", &save); tok; tok = strtok_r(NULL, ":", &save))
            if (cli_path_add(p, tok) < 0) {
                free(copy);
                return -1;
            }
        free(copy);
    }
    return cli_path_add(p, RFSCORE_INSTRUMENT_DIR);
}

void cli_path_free(cli_path *p)
{
    size_t i;

    for (i = 0; i < p->n; i++)
        free(p->dirs[i]);
    free(p->dirs);
    p->dirs = NULL;
    p->n = 0;
}

static int is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 4 && strcmp(name + n - 4, ".ini") == 0);
}

int cli_find_instrument(const cli_path *p, const char *name, char *buf, size_t size, rfs_error *err)
{
    size_t i;

    if (is_path(name)) {
        snprintf(buf, size, "%s", name);
        return 0;
    }
    for (i = 0; i < p->n; i++) {
        struct stat st;
        snprintf(buf, size, "%s/%s.ini", p->dirs[i], name);
        if (stat(buf, &st) == 0)
            return 0;
    }
    if (err && err->code == RFS_OK) {
        size_t used = 0;
        err->code = RFS_E_OPEN;
        used = (size_t)snprintf(err->message, sizeof err->message,
                                "no instrument '%s' on the search path (", name);
        for (i = 0; i < p->n && used < sizeof err->message; i++)
            used += (size_t)snprintf(err->message + used, sizeof err->message - used, "%s%s", i ? ":" : "",
                                     p->dirs[i]);
        if (used < sizeof err->message)
            snprintf(err->message + used, sizeof err->message - used,
                     "); give a file path, -I DIR, or see 'rfscore list'");
    }
    return -1;
}

rfs_instrument *cli_load_instrument(const cli_path *p, const char *name, rfs_error *err)
{
    char path[4096];

    if (cli_find_instrument(p, name, path, sizeof path, err) < 0)
        return NULL;
    return rfs_instrument_load(path, err);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int cli_path_each(const cli_path *p, void (*fn)(const char *path, void *ud), void *ud)
{
    char **seen = NULL;
    size_t n_seen = 0, i, k;
    int rc = 0;

    for (i = 0; i < p->n; i++) {
        DIR *d = opendir(p->dirs[i]);
        struct dirent *e;
        char **names = NULL;
        size_t n = 0;
        if (!d)
            continue;
        while ((e = readdir(d))) {
            size_t len = strlen(e->d_name);
            char **q;
            if (len < 5 || strcmp(e->d_name + len - 4, ".ini") != 0)
                continue;
            q = realloc(names, (n + 1) * sizeof *q);
            if (!q || !(q[n] = strdup(e->d_name))) {
                if (q)
                    names = q;
                rc = -1;
                break;
            }
            names = q;
            n++;
        }
        closedir(d);
        if (names)
            qsort(names, n, sizeof *names, by_name);
        for (k = 0; k < n; k++) {
            size_t j;
            char path[4096], **q;
            for (j = 0; j < n_seen && strcmp(seen[j], names[k]) != 0; j++)
                ;
            if (j < n_seen) { /* an earlier directory has this id: it wins */
                free(names[k]);
                continue;
            }
            q = realloc(seen, (n_seen + 1) * sizeof *q);
            if (!q) {
                free(names[k]);
                rc = -1;
                continue;
            }
            seen = q;
            seen[n_seen++] = names[k];
            snprintf(path, sizeof path, "%s/%s", p->dirs[i], names[k]);
            fn(path, ud);
        }
        free(names);
    }
    for (i = 0; i < n_seen; i++)
        free(seen[i]);
    free(seen);
    return rc;
}

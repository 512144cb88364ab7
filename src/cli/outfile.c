/* Output files written atomically: each to a temporary beside its target, renamed over it
 * only when the whole run has succeeded, so a failed run leaves no partial file. A run
 * with several outputs finishes every temporary before it renames the first, and SIGINT,
 * SIGTERM and SIGHUP remove the temporaries before the process dies. */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* The temporaries that exist now, for the signal handler. A slot is filled before the
 * file is created and emptied after it is renamed or removed; the handler only reads the
 * pointers and calls unlink(), which is async-signal-safe. */
#define MAX_TEMPORARIES 8
static char *volatile pending[MAX_TEMPORARIES];

static void on_signal(int sig)
{
    size_t i;

    for (i = 0; i < MAX_TEMPORARIES; i++)
        if (pending[i])
            unlink(pending[i]);
    /* SA_RESETHAND has restored the default action and SA_NODEFER lets it act at once:
     * the process dies by this signal, so whoever started it sees what happened. */
    raise(sig);
}

void cli_output_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa, old;
    size_t i;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = (int)(SA_RESETHAND | SA_NODEFER);
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof sigs / sizeof *sigs; i++)
        /* A signal ignored by whoever started us (nohup, a background job) stays ignored. */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

static int track(char *tmp)
{
    size_t i;

    for (i = 0; i < MAX_TEMPORARIES; i++)
        if (!pending[i]) {
            pending[i] = tmp;
            return 0;
        }
    return -1;
}

static void untrack(const char *tmp)
{
    size_t i;

    for (i = 0; i < MAX_TEMPORARIES; i++)
        if (pending[i] == tmp)
            pending[i] = NULL;
}

static void drop_temporary(cli_output *o)
{
    if (o->tmp_path) {
        unlink(o->tmp_path);
        untrack(o->tmp_path);
    }
    free(o->tmp_path);
    free(o->resolved);
    o->tmp_path = o->resolved = NULL;
}

int cli_output_open(cli_output *o, const char *path)
{
    struct stat st, old;
    mode_t mask;
    int fd;

    memset(o, 0, sizeof *o);
    if (!path || strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->final_path = path;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cli_warn("%s: cannot create output: is a directory", path);
        return -1;
    }
    /* A FIFO or a device (/dev/null, /dev/stdout) cannot be replaced: write to it. */
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (!(o->f = fopen(path, "w"))) {
            cli_warn("%s: cannot create output: %s", path, strerror(errno));
            return -1;
        }
        return 0;
    }
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) { /* replace the target, not the link */
        if (!(o->resolved = realpath(path, NULL))) {
            cli_warn("%s: cannot create output: %s", path, strerror(errno));
            return -1;
        }
        path = o->final_path = o->resolved;
    }
    if (!(o->tmp_path = malloc(strlen(path) + 16))) {
        cli_warn("out of memory");
        drop_temporary(o);
        return -1;
    }
    sprintf(o->tmp_path, "%s.tmp.XXXXXX", path);
    if (track(o->tmp_path) < 0) {
        cli_warn("%s: too many output files", path);
        free(o->tmp_path);
        o->tmp_path = NULL;
        drop_temporary(o);
        return -1;
    }
    fd = mkstemp(o->tmp_path);
    if (fd >= 0) { /* mkstemp makes 0600: give the file the mode a plain create would */
        mask = umask(0);
        umask(mask);
        (void)fchmod(fd, stat(path, &old) == 0 ? (old.st_mode & 07777) : (0666 & ~mask));
    }
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        cli_warn("%s: cannot create output: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        } else { /* nothing was created: do not unlink whatever the template now names */
            untrack(o->tmp_path);
            free(o->tmp_path);
            o->tmp_path = NULL;
        }
        drop_temporary(o);
        return -1;
    }
    return 0;
}

int cli_output_finish(cli_output *o)
{
    int rc = 0;

    if (!o->f)
        return -1;
    if (o->f == stdout) {
        o->f = NULL;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_warn("cannot write output: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (fflush(o->f) != 0 || ferror(o->f) || (o->tmp_path && fsync(fileno(o->f)) != 0))
        rc = -1;
    if (fclose(o->f) != 0)
        rc = -1;
    o->f = NULL;
    if (rc)
        cli_warn("%s: cannot write output: %s", o->final_path, strerror(errno));
    return rc;
}

int cli_output_commit(cli_output *o)
{
    int rc = 0;

    if (o->tmp_path && rename(o->tmp_path, o->final_path) != 0) {
        cli_warn("%s: cannot create output: %s", o->final_path, strerror(errno));
        rc = -2;
    }
    if (rc == 0 && o->tmp_path) { /* renamed: nothing left to remove */
        untrack(o->tmp_path);
        free(o->tmp_path);
        o->tmp_path = NULL;
    }
    drop_temporary(o);
    return rc;
}

void cli_output_abandon(cli_output *o)
{
    if (o->f == stdout)
        fflush(stdout);
    else if (o->f)
        fclose(o->f);
    o->f = NULL;
    drop_temporary(o);
}

int cli_output_close(cli_output *o, int ok)
{
    int rc;

    if (!ok) {
        cli_output_abandon(o);
        return -1;
    }
    rc = cli_output_finish(o);
    if (rc < 0) {
        cli_output_abandon(o);
        return rc;
    }
    return cli_output_commit(o);
}

/* What a path names, for comparing two: the device and inode of a file that exists
 * (through symbolic links, which are written through; "-" is the descriptor fd), else the
 * real path of its directory and its last component, since a file not yet created has
 * no inode. A terminal or other character device (/dev/null) is never "the same file":
 * writing to it twice destroys nothing. */
typedef struct identity {
    int exists, shareable;
    dev_t dev;
    ino_t ino;
    char path[PATH_MAX + NAME_MAX + 2];
} identity;

static void identify(const char *path, int fd, identity *id)
{
    struct stat st;
    char *dcopy, *bcopy, dir[PATH_MAX];

    memset(id, 0, sizeof *id);
    if (strcmp(path, "-") == 0 ? fstat(fd, &st) == 0 : stat(path, &st) == 0) {
        id->exists = 1;
        id->shareable = S_ISCHR(st.st_mode);
        id->dev = st.st_dev;
        id->ino = st.st_ino;
        return;
    }
    if (strcmp(path, "-") == 0) { /* a closed descriptor: nothing to compare */
        id->shareable = 1;
        return;
    }
    dcopy = strdup(path);
    bcopy = strdup(path);
    if (dcopy && bcopy && realpath(dirname(dcopy), dir))
        snprintf(id->path, sizeof id->path, "%s/%s", dir, basename(bcopy));
    else
        snprintf(id->path, sizeof id->path, "%s", path);
    free(dcopy);
    free(bcopy);
}

int cli_same_file(const char *a, int a_fd, const char *b, int b_fd)
{
    identity *ia = malloc(sizeof *ia), *ib = malloc(sizeof *ib);
    int same;

    if (!ia || !ib) { /* cannot tell: the names decide */
        free(ia);
        free(ib);
        return strcmp(a, b) == 0;
    }
    identify(a, a_fd, ia);
    identify(b, b_fd, ib);
    if (ia->shareable || ib->shareable)
        same = 0;
    else if (ia->exists || ib->exists)
        same = ia->exists && ib->exists && ia->dev == ib->dev && ia->ino == ib->ino;
    else
        same = strcmp(ia->path, ib->path) == 0;
    free(ia);
    free(ib);
    return same;
}

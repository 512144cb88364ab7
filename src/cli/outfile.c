/* Output files written atomically: to a temporary beside the target, renamed over it only
 * when the whole run succeeded, so a failed run leaves no partial file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

int cli_output_open(cli_output *o, const char *path)
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
int cli_output_close(cli_output *o, int ok)
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


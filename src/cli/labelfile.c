/* --labels files: answer labels for one instrument, lines CODE,LABEL, added to (or, for a
 * code the file names, replacing) the definition's own, so an export in another
 * language or a lab's own wording scores without a copy of the definition. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>

#include "cli.h"

/* Strips surrounding spaces, and quotes with their doubled quotes inside ("a, ""b"""). */
static char *unquote(char *v)
{
    char *end, *r, *w;

    while (*v == ' ' || *v == '\t')
        v++;
    for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t');)
        *--end = '\0';
    if (*v != '"' || end < v + 2 || end[-1] != '"')
        return v;
    end[-1] = '\0';
    for (r = w = ++v; *r; r++) {
        if (r[0] == '"' && r[1] == '"')
            r++;
        *w++ = *r;
    }
    *w = '\0';
    return v;
}

static int bad(rfs_error *err, const char *path, unsigned long line, const char *msg)
{
    if (err->code == RFS_OK) {
        err->code = RFS_E_USAGE;
        snprintf(err->message, sizeof err->message, "%s", msg);
    }
    snprintf(err->file, sizeof err->file, "%s", path);
    err->line = line;
    err->column = 0;
    return -1;
}

int cli_load_labels(rfs_instrument *inst, const char *path, rfs_error *err)
{
    FILE *f = fopen(path, "r");
    char *line = NULL, *seen = NULL;
    size_t cap = 0;
    unsigned long lineno = 0;
    ssize_t len;
    int rc = 0, seen_entry = 0;
    long lo = 0, hi = 0;

    if (!f) {
        snprintf(err->file, sizeof err->file, "%s", path);
        snprintf(err->message, sizeof err->message, "cannot open the labels file: %s", strerror(errno));
        err->code = RFS_E_OPEN;
        return -1;
    }
    while (rc == 0 && (len = getline(&line, &cap, f)) >= 0) {
        char *a = line, *b, *end;
        long code;
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && strncmp(a, "\xEF\xBB\xBF", 3) == 0) /* Excel's UTF-8 BOM */
            a += 3;
        while (*a == ' ' || *a == '\t')
            a++;
        if (!*a || *a == '#')
            continue;
        if (!seen_entry && strncasecmp(a, "code,", 5) == 0) { /* the header line */
            seen_entry = 1;
            continue;
        }
        seen_entry = 1;
        if (!(b = strchr(a, ','))) {
            rc = bad(err, path, lineno, "expected CODE,LABEL (a response code, a comma, the answer text)");
            break;
        }
        *b++ = '\0';
        a = unquote(a);
        code = strtol(a, &end, 10);
        if (!*a || *end) {
            rc = bad(err, path, lineno, "expected CODE,LABEL with CODE a whole number");
            break;
        }
        /* The first line of a code replaces the definition's labels of that code. */
        if (!seen) {
            lo = code - 1000;
            hi = code + 1000;
            if (!(seen = calloc((size_t)(hi - lo + 1), 1))) {
                rc = bad(err, path, lineno, "out of memory");
                break;
            }
        }
        if (code < lo || code > hi) {
            rc = bad(err, path, lineno, "response code too far from the file's first");
            break;
        }
        if (rfs_instrument_add_label(inst, code, unquote(b), !seen[code - lo], err) < 0) {
            rc = bad(err, path, lineno, "");
            break;
        }
        seen[code - lo] = 1;
    }
    free(seen);
    free(line);
    fclose(f);
    return rc;
}

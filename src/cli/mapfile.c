/* --map files: where an instrument's items are, by item and column name. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

/* A mapping file: lines "ITEM,COLUMN", ITEM a number or the item's default column name
 * (rfq8_3), COLUMN a header name or a Qualtrics ImportId; '#' comments and an
 * "item,column" header line are skipped. */
/* Opens a map file, which must be a regular file: opening a FIFO would wait for a writer
 * forever, and a directory or device is a typing mistake. O_NONBLOCK makes the open of a
 * FIFO return at once, so it can be refused. NULL with err set. */
static FILE *open_map(const char *path, rfs_error *err)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK), flags;
    const char *why = NULL;
    FILE *f = NULL;

    if (fd < 0)
        why = strerror(errno);
    else if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = S_ISDIR(st.st_mode) ? "not a regular file (a directory)" : "not a regular file";
    else if ((flags = fcntl(fd, F_GETFL)) < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
             !(f = fdopen(fd, "r")))
        why = strerror(errno);
    if (!f) {
        if (fd >= 0)
            close(fd);
        snprintf(err->file, sizeof err->file, "%s", path);
        snprintf(err->message, sizeof err->message, "cannot open the mapping file: %s", why);
        err->code = RFS_E_OPEN;
    }
    return f;
}

#define MAP_LINE_MAX 4096

int cli_load_map(rfs_scorer *s, const rfs_instrument *inst, const char *path, rfs_error *err)
{
    FILE *f = open_map(path, err);
    char line[MAP_LINE_MAX + 2]; /* a longer line is an error: the read is capped, not the result */
    size_t n, k;
    unsigned long lineno = 0, seen_line[RFS_MAX_ITEMS];
    size_t seen_item[RFS_MAX_ITEMS], n_seen = 0;
    char *seen_col[RFS_MAX_ITEMS];
    size_t len;
    int rc = 0, seen_entry = 0;

    if (!f)
        return -1;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        char *a = line, *b, *end;
        lineno++;
        len = strlen(line);
        if (len > MAP_LINE_MAX && line[len - 1] != '\n') {
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = lineno;
            snprintf(err->message, sizeof err->message, "line longer than %d bytes: expected ITEM,COLUMN",
                     MAP_LINE_MAX);
            err->code = RFS_E_USAGE;
            rc = -1;
            break;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (lineno == 1 && strncmp(a, "\xEF\xBB\xBF", 3) == 0) /* Excel's UTF-8 BOM */
            a += 3;
        while (*a == ' ' || *a == '\t')
            a++;
        if (!*a || *a == '#')
            continue;
        if (!seen_entry && strncasecmp(a, "item,", 5) == 0) { /* the header line */
            seen_entry = 1;
            continue;
        }
        seen_entry = 1;
        b = strchr(a, ',');
        if (!b) {
            rc = -1;
            break;
        }
        *b++ = '\0';
        for (end = b + strlen(b); end > b && (end[-1] == ' ' || end[-1] == '\t'); )
            *--end = '\0';
        while (*b == ' ' || *b == '\t')
            b++;
        if (*b == '"' && end > b + 1 && end[-1] == '"') {
            end[-1] = '\0';
            b++;
        }
        for (end = a + strlen(a); end > a && (end[-1] == ' ' || end[-1] == '\t'); )
            *--end = '\0';
        n = strtoul(a, &end, 10);
        if (*end) { /* a default column name */
            n = 0;
            for (k = 1; k <= rfs_instrument_item_count(inst); k++)
                if (strcasecmp(a, rfs_instrument_item_column(inst, k)) == 0)
                    n = k;
        }
        if (n == 0 || rfs_scorer_map_item(s, inst, n, b, err) < 0) {
            rc = -1;
            break;
        }
        /* Each item once, each column once: anything else is a typing mistake. */
        for (k = 0; k < n_seen; k++)
            if (seen_item[k] == n || strcasecmp(seen_col[k], b) == 0)
                break;
        if (k < n_seen) {
            snprintf(err->file, sizeof err->file, "%s", path);
            err->line = lineno;
            err->code = RFS_E_USAGE;
            if (seen_item[k] == n)
                snprintf(err->message, sizeof err->message, "item %zu is mapped twice (first on line %lu)", n,
                         seen_line[k]);
            else
                snprintf(err->message, sizeof err->message,
                         "column \"%s\" is mapped to items %zu and %zu (line %lu): one column is one item", b,
                         seen_item[k], n, seen_line[k]);
            rc = -1;
            break;
        }
        if (n_seen < sizeof seen_item / sizeof *seen_item) {
            seen_item[n_seen] = n;
            seen_line[n_seen] = lineno;
            if (!(seen_col[n_seen] = strdup(b))) {
                rc = -1;
                break;
            }
            n_seen++;
        }
    }
    if (rc < 0 && err->code == RFS_OK) {
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = lineno;
        snprintf(err->message, sizeof err->message,
                 "expected ITEM,COLUMN with ITEM an item number 1..%zu or a column name of %s",
                 rfs_instrument_item_count(inst), rfs_instrument_id(inst));
        err->code = RFS_E_USAGE;
    } else if (rc < 0 && !err->file[0]) {
        snprintf(err->file, sizeof err->file, "%s", path);
        err->line = lineno;
    }
    for (k = 0; k < n_seen; k++)
        free(seen_col[k]);
    fclose(f);
    return rc;
}

#include "ini_scan.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
        *--e = '\0';
    return s;
}

static char *lower_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    size_t i;

    if (!d)
        return NULL;
    for (i = 0; i < n; i++)
        d[i] = (char)tolower((unsigned char)s[i]);
    d[n] = '\0';
    return d;
}

static int valid_section_name(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' || *s == '.' || *s == '-'))
            return 0;
    return 1;
}

static const rfsi_ini_entry *find(const rfsi_ini_scan *scan, const char *section, const char *key)
{
    size_t i;

    for (i = 0; i < scan->n; i++) {
        const rfsi_ini_entry *e = &scan->entries[i];
        if (strcmp(e->section, section) != 0)
            continue;
        if (key ? (e->key && strcmp(e->key, key) == 0) : !e->key)
            return e;
    }
    return NULL;
}

unsigned long rfsi_ini_line(const rfsi_ini_scan *scan, const char *section, const char *key)
{
    const rfsi_ini_entry *e = find(scan, section, key);
    return e ? e->line : 0;
}

static int add(rfsi_ini_scan *scan, char *section, char *key, unsigned long line)
{
    rfsi_ini_entry *p = realloc(scan->entries, (scan->n + 1) * sizeof *p);

    if (!p)
        return -1;
    scan->entries = p;
    p[scan->n].section = section;
    p[scan->n].key = key;
    p[scan->n].line = line;
    scan->n++;
    return 0;
}

int rfsi_ini_scan_file(const char *path, rfsi_ini_scan *out, rfsi_report *rep)
{
    FILE *f;
    char *line = NULL, *section = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    struct stat st;
    rfsi_sha256 digest;
    int rc = 0;

    memset(out, 0, sizeof *out);
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        rfsi_report_add(rep, RFS_E_OPEN, 0, "is a directory, not an instrument file");
        return -1;
    }
    f = fopen(path, "r");
    if (!f) {
        rfsi_report_add(rep, RFS_E_OPEN, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    rfsi_sha256_init(&digest);
    while ((len = getline(&line, &cap, f)) >= 0) {
        char *s, *eq;
        lineno++;
        rfsi_sha256_update(&digest, line, (size_t)len);
        if ((size_t)len != strlen(line)) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "NUL byte in line");
            continue;
        }
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        if (len > RFSI_INI_MAX_LINE) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "line longer than %d bytes",
                            RFSI_INI_MAX_LINE);
            continue;
        }
        s = trim(line);
        if (*s == '\0' || *s == ';' || *s == '#')
            continue;
        if (strchr(s, '\\')) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                            "backslash not allowed (iniparser 4.1 and 4.2 read it differently)");
            continue;
        }
        if (*s == '[') {
            char *end = strchr(s, ']'), *name;
            const rfsi_ini_entry *dup;
            if (!end || trim(end + 1)[0] != '\0') {
                rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                                "malformed section header (no comment allowed after ']'): %s", s);
                free(section); /* its keys are not reported again as belonging elsewhere */
                section = strdup("");
                if (!section)
                    goto nomem;
                continue;
            }
            *end = '\0';
            name = trim(s + 1);
            free(section);
            section = lower_dup(name, strlen(name));
            if (!section)
                goto nomem;
            if (!valid_section_name(section)) {
                rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                                "[%s]: section names use letters, digits, '_', '.' and '-' only", name);
                continue;
            }
            dup = find(out, section, NULL);
            if (dup) {
                rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                                "[%s]: duplicate section (first at line %lu)", section, dup->line);
                continue;
            }
            {
                char *copy = strdup(section);
                if (!copy || add(out, copy, NULL, lineno) < 0) {
                    free(copy);
                    goto nomem;
                }
            }
            continue;
        }
        eq = strchr(s, '=');
        if (!eq) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "expected 'key = value' or '[section]': %s", s);
            continue;
        }
        *eq = '\0';
        s = trim(s);
        if (!*s) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "missing key before '='");
            continue;
        }
        if (!section) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "key '%s' outside any section", s);
            continue;
        }
        if (!*section) /* under a malformed header, already reported */
            continue;
        {
            char *key = lower_dup(s, strlen(s)), *sec;
            const rfsi_ini_entry *dup;
            if (!key)
                goto nomem;
            dup = find(out, section, key);
            if (dup) {
                rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                                "[%s] %s: duplicate key (first at line %lu)", section, key, dup->line);
                free(key);
                continue;
            }
            sec = strdup(section);
            if (!sec || add(out, sec, key, lineno) < 0) {
                free(sec);
                free(key);
                goto nomem;
            }
        }
    }
    if (ferror(f)) {
        rfsi_report_add(rep, RFS_E_OPEN, lineno, "read error: %s", strerror(errno));
        rc = -1;
    }
    rfsi_sha256_hex(&digest, out->sha256);
    goto done;
nomem:
    rfsi_report_add(rep, RFS_E_NOMEM, lineno, "out of memory");
    rc = -1;
done:
    free(line);
    free(section);
    fclose(f);
    return rc;
}

void rfsi_ini_scan_free(rfsi_ini_scan *scan)
{
    size_t i;

    for (i = 0; i < scan->n; i++) {
        free(scan->entries[i].section);
        free(scan->entries[i].key);
    }
    free(scan->entries);
    scan->entries = NULL;
    scan->n = 0;
}

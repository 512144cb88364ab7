#include "ini_scan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Whitespace as iniparser 4.1's strstrip() sees it (isspace), so that every key we find
 * is the key iniparser stores: the loader relies on finding each one in its dictionary. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char *trim(char *s)
{
    char *e;

    while (is_space(*s))
        s++;
    e = s + strlen(s);
    while (e > s && is_space(e[-1]))
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

/* The value of a "key = value" line the way iniparser 4.1's iniparser_line() reads it,
 * its sscanf() patterns in their order: after the '=' and any white space, "..." or '...'
 * with at least one character inside (up to the next such quote or the end of the line,
 * not stripped); otherwise up to the first ';' or '#', stripped, with "" and '' read as
 * empty; otherwise empty. rest follows the '=' of a stripped line. NULL: no memory. */
static char *ini_value(const char *rest)
{
    const char *p = rest, *end;
    size_t n;
    char *v;

    while (is_space(*p))
        p++;
    if ((*p == '"' || *p == '\'') && p[1] && p[1] != *p) {
        end = strchr(p + 1, *p);
        if (!end)
            end = p + strlen(p);
        p++;
        n = (size_t)(end - p);
    } else {
        end = p + strcspn(p, ";#");
        while (end > p && is_space(end[-1]))
            end--;
        n = (size_t)(end - p);
        if (n == 2 && (p[0] == '"' || p[0] == '\'') && p[1] == p[0])
            n = 0;
    }
    v = malloc(n + 1);
    if (v) {
        memcpy(v, p, n);
        v[n] = '\0';
    }
    return v;
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

/* ------------------------------------------------------------------ lookup */

static uint64_t entry_hash(const char *section, size_t section_len, const char *key)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    size_t i;

    for (i = 0; i < section_len; i++)
        h = (h ^ (unsigned char)section[i]) * 1099511628211u;
    h = (h ^ (key ? 0x100u : 0x200u)) * 1099511628211u; /* NUL cannot occur in names */
    for (; key && *key; key++)
        h = (h ^ (unsigned char)*key) * 1099511628211u;
    return h;
}

static int entry_is(const rfsi_ini_entry *e, const char *section, size_t section_len, const char *key)
{
    if (strncmp(e->section, section, section_len) != 0 || e->section[section_len])
        return 0;
    return key ? (e->key && strcmp(e->key, key) == 0) : !e->key;
}

rfsi_ini_entry *rfsi_ini_find(const rfsi_ini_scan *scan, const char *section, size_t section_len,
                              const char *key)
{
    size_t mask = scan->n_slots - 1, i;

    if (!scan->n_slots)
        return NULL;
    for (i = entry_hash(section, section_len, key) & mask; scan->slots[i]; i = (i + 1) & mask) {
        rfsi_ini_entry *e = &scan->entries[scan->slots[i] - 1];
        if (entry_is(e, section, section_len, key))
            return e;
    }
    return NULL;
}

static const rfsi_ini_entry *find(const rfsi_ini_scan *scan, const char *section, const char *key)
{
    return rfsi_ini_find(scan, section, strlen(section), key);
}

unsigned long rfsi_ini_line(const rfsi_ini_scan *scan, const char *section, const char *key)
{
    const rfsi_ini_entry *e = find(scan, section, key);
    return e ? e->line : 0;
}

static void slot_put(size_t *slots, size_t n_slots, const rfsi_ini_entry *e, size_t index)
{
    size_t i = entry_hash(e->section, strlen(e->section), e->key) & (n_slots - 1);

    while (slots[i])
        i = (i + 1) & (n_slots - 1);
    slots[i] = index + 1;
}

/* Takes section, key and value (freed by the caller when this fails). */
static int add(rfsi_ini_scan *scan, char *section, char *key, char *value, unsigned long line)
{
    rfsi_ini_entry *e;

    if (scan->n == scan->cap) {
        size_t cap = scan->cap ? scan->cap * 2 : 64;
        rfsi_ini_entry *p = realloc(scan->entries, cap * sizeof *p);
        if (!p)
            return -1;
        scan->entries = p;
        scan->cap = cap;
    }
    if (2 * (scan->n + 1) > scan->n_slots) {
        size_t n_slots = scan->n_slots ? scan->n_slots * 2 : 128, i;
        size_t *slots = calloc(n_slots, sizeof *slots);
        if (!slots)
            return -1;
        for (i = 0; i < scan->n; i++)
            slot_put(slots, n_slots, &scan->entries[i], i);
        free(scan->slots);
        scan->slots = slots;
        scan->n_slots = n_slots;
    }
    e = &scan->entries[scan->n];
    e->section = section;
    e->key = key;
    e->line = line;
    e->value = value;
    slot_put(scan->slots, scan->n_slots, e, scan->n);
    scan->n++;
    return 0;
}

/* ----------------------------------------------------------------- reading */

/* Reads the file in blocks and hands out lines, keeping at most a line buffer's worth
 * of each: a line of any length (or a file of any size, up to the bound) costs no more
 * memory than a short one. */
typedef struct reader {
    int fd;
    unsigned char block[65536];
    size_t pos, end;
    long total;          /* bytes read so far */
    int error;           /* errno of a failed read */
    size_t line_bytes;   /* of the last line, its '\n' included */
    int newline;         /* whether the last line ended with '\n' */
    rfsi_sha256 *digest;
} reader;

/* The next line, through its '\n': at most size - 1 bytes are kept in line (NUL
 * terminated), the rest are hashed and counted. *content is the line's length without
 * its trailing CR and LF characters, *nul whether it holds a NUL byte. Returns 0, 1 at the
 * end of the file, -1 on a read error (r->error), -2 past RFSI_INI_MAX_BYTES (*content
 * then tells how long the unfinished line already is). */
static int next_line(reader *r, char *line, size_t size, size_t *content, int *nul)
{
    size_t n = 0, kept = 0;

    r->line_bytes = 0;
    r->newline = 0;
    *content = 0;
    *nul = 0;
    for (;;) {
        unsigned char c;
        if (r->pos == r->end) {
            ssize_t got = read(r->fd, r->block, sizeof r->block);
            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                r->error = errno;
                return -1;
            }
            if (got == 0)
                break;
            if ((long)got > RFSI_INI_MAX_BYTES - r->total) {
                line[kept] = '\0';
                return -2;
            }
            r->total += (long)got;
            rfsi_sha256_update(r->digest, r->block, (size_t)got);
            r->pos = 0;
            r->end = (size_t)got;
        }
        c = r->block[r->pos++];
        n++;
        if (kept + 1 < size)
            line[kept++] = (char)c;
        if (c == '\0')
            *nul = 1;
        if (c == '\n') {
            r->newline = 1;
            break;
        }
        if (c != '\r')
            *content = n;
    }
    line[kept] = '\0';
    r->line_bytes = n;
    return n ? 0 : 1;
}

/* The offset of the first byte of s[0..n) that does not begin a valid UTF-8 sequence
 * (RFC 3629: no overlong forms, surrogates or code points above U+10FFFF), or n. */
static size_t utf8_invalid_at(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = s[i];
        size_t len, k;
        unsigned char lo = 0x80, hi = 0xBF; /* bounds of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        else
            return i;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
        else if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
        if (i + len > n || s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (k = 2; k < len; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += len;
    }
    return n;
}

/* rfsi_report_add() with a column (1-based). */
static void report_at(rfsi_report *r, unsigned long line, unsigned long column, const char *fmt, ...)
    RFS_PRINTF(4, 5);
static void report_at(rfsi_report *r, unsigned long line, unsigned long column, const char *fmt, ...)
{
    rfs_error e;
    va_list ap;

    rfs_error_clear(&e);
    e.code = RFS_E_DEFINITION;
    snprintf(e.file, sizeof e.file, "%s", r->path ? r->path : "");
    e.line = line;
    e.column = column;
    va_start(ap, fmt);
    vsnprintf(e.message, sizeof e.message, fmt, ap);
    va_end(ap);
    if (r->count++ == 0)
        r->first = e;
    if (r->fn)
        r->fn(&e, r->userdata);
}

/* Opens path for reading if it is a regular file. O_NONBLOCK: opening a FIFO waits for
 * a writer, and a definition must never make list, lint or score hang. */
static int open_regular(const char *path, rfsi_report *rep)
{
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0) {
        if (errno == ENOMEM)
            rfsi_report_add(rep, RFS_E_NOMEM, 0, "out of memory");
        else
            rfsi_report_add(rep, RFS_E_OPEN, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        rfsi_report_add(rep, RFS_E_OPEN, 0, "cannot open: %s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode))
            rfsi_report_add(rep, RFS_E_OPEN, 0, "is a directory, not an instrument file");
        else
            rfsi_report_add(rep, RFS_E_OPEN, 0, "is not a regular file (a FIFO, device or socket), "
                            "not an instrument file");
        close(fd);
        return -1;
    }
    return fd;
}

/* -------------------------------------------------------------------- scan */

int rfsi_ini_scan_file(const char *path, rfsi_ini_scan *out, rfsi_report *rep)
{
    reader *r;
    char line[RFSI_INI_MAX_LINE + 3], *section = NULL;
    unsigned long lineno = 0;
    rfsi_sha256 digest;
    int rc = 0, got;
    size_t content;
    int nul;

    memset(out, 0, sizeof *out);
    r = calloc(1, sizeof *r);
    if (!r) {
        rfsi_report_add(rep, RFS_E_NOMEM, 0, "out of memory");
        return -1;
    }
    r->fd = open_regular(path, rep);
    if (r->fd < 0) {
        free(r);
        return -1;
    }
    r->digest = &digest;
    rfsi_sha256_init(&digest);
    while ((got = next_line(r, line, sizeof line, &content, &nul)) == 0) {
        char *s, *eq;
        size_t bad;
        lineno++;
        /* iniparser 4.1 reads lines with fgets() into 1024 bytes */
        if (nul || r->line_bytes - (size_t)r->newline >= 1023)
            out->unparsable = 1;
        if (nul) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "NUL byte in line");
            continue;
        }
        if (content > RFSI_INI_MAX_LINE) {
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "line longer than %d bytes",
                            RFSI_INI_MAX_LINE);
            continue;
        }
        line[content] = '\0';
        bad = utf8_invalid_at((const unsigned char *)line, content);
        if (bad < content) /* the line is still read: no "missing key" follows */
            report_at(rep, lineno, (unsigned long)bad + 1, "byte 0x%02X is not UTF-8: save the definition "
                      "as UTF-8", (unsigned char)line[bad]);
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
                if (s[strlen(s) - 1] != ']' && !strchr(s, '='))
                    out->unparsable = 1;
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
            if (out->n >= RFSI_INI_MAX_ENTRIES)
                goto too_many;
            {
                char *copy = strdup(section);
                if (!copy || add(out, copy, NULL, NULL, lineno) < 0) {
                    free(copy);
                    goto nomem;
                }
            }
            continue;
        }
        eq = strchr(s, '=');
        if (!eq) {
            out->unparsable = 1;
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "expected 'key = value' or '[section]': %s", s);
            continue;
        }
        *eq = '\0';
        s = trim(s);
        if (!*s) {
            out->unparsable = 1;
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
            char *key = lower_dup(s, strlen(s)), *sec, *value;
            rfsi_ini_entry *dup;
            if (!key)
                goto nomem;
            dup = rfsi_ini_find(out, section, strlen(section), key);
            if (dup) {
                rfsi_report_add(rep, RFS_E_DEFINITION, lineno,
                                "[%s] %s: duplicate key (first at line %lu)", section, key, dup->line);
                free(key);
                /* the later value, as iniparser keeps it: the checks that follow see
                 * what iniparser-based readers of the file would see */
                value = ini_value(eq + 1);
                if (!value)
                    goto nomem;
                free(dup->value);
                dup->value = value;
                continue;
            }
            if (out->n >= RFSI_INI_MAX_ENTRIES) {
                free(key);
                goto too_many;
            }
            sec = strdup(section);
            value = ini_value(eq + 1);
            if (!sec || !value || add(out, sec, key, value, lineno) < 0) {
                free(sec);
                free(key);
                free(value);
                goto nomem;
            }
        }
    }
    if (got == -1) {
        rfsi_report_add(rep, RFS_E_OPEN, lineno, "read error: %s", strerror(r->error));
        rc = -1;
    } else if (got == -2) {
        if (content > RFSI_INI_MAX_LINE)
            rfsi_report_add(rep, RFS_E_DEFINITION, lineno + 1, "line longer than %d bytes",
                            RFSI_INI_MAX_LINE);
        rfsi_report_add(rep, RFS_E_DEFINITION, lineno + 1, "the file is larger than %ld bytes: "
                        "not an instrument definition", RFSI_INI_MAX_BYTES);
        rc = -1;
    }
    rfsi_sha256_hex(&digest, out->sha256);
    goto done;
too_many:
    rfsi_report_add(rep, RFS_E_DEFINITION, lineno, "more than %d sections and keys: not an instrument "
                    "definition", RFSI_INI_MAX_ENTRIES);
    rc = -1;
    goto done;
nomem:
    rfsi_report_add(rep, RFS_E_NOMEM, lineno, "out of memory");
    rc = -1;
done:
    free(section);
    close(r->fd);
    free(r);
    return rc;
}

void rfsi_ini_scan_free(rfsi_ini_scan *scan)
{
    size_t i;

    for (i = 0; i < scan->n; i++) {
        free(scan->entries[i].section);
        free(scan->entries[i].key);
        free(scan->entries[i].value);
    }
    free(scan->entries);
    free(scan->slots);
    memset(scan, 0, sizeof *scan);
}

/* The shared helpers of the INI loader: values by section and key, the checks every
 * section uses, and problems reported at the key's line. Calls nothing above it. */
#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini_loader.h"

void rfsi_ini_bad(loader *L, const char *sec, const char *key, const char *fmt, ...)
{
    char msg[400];
    unsigned long line = 0;
    va_list ap;

    if (sec) {
        line = key ? rfsi_ini_line(&L->scan, sec, key) : 0;
        if (!line)
            line = rfsi_ini_line(&L->scan, sec, NULL);
    }
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (sec && key)
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "[%s] %s: %s", sec, key, msg);
    else if (sec)
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "[%s]: %s", sec, msg);
    else
        rfsi_report_add(L->rep, RFS_E_DEFINITION, line, "%s", msg);
}

/* The value of sec:key, or NULL when the file does not have that key. */
const char *rfsi_ini_get(loader *L, const char *sec, const char *key)
{
    const rfsi_ini_entry *e = key ? rfsi_ini_find(&L->scan, sec, strlen(sec), key) : NULL;

    return e ? e->value : NULL;
}

char *rfsi_ini_dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

void *rfsi_ini_grow(void *array, size_t n, size_t size)
{
    if (n & (n - 1)) /* neither 0 nor a power of two: there is room */
        return array;
    return realloc(array, (n ? 2 * n : 1) * size);
}

int rfsi_ini_valid_id(const char *s)
{
    size_t n = 0;

    if (!islower((unsigned char)*s))
        return 0;
    for (; *s; s++, n++)
        if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
            return 0;
    return n <= MAX_ID;
}

const char *rfsi_ini_section_arg(const char *sec, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(sec, prefix, n) == 0 ? sec + n : NULL;
}

int rfsi_ini_long(loader *L, const char *sec, const char *key, long lo, long hi, long *out)
{
    const char *v = rfsi_ini_get(L, sec, key);

    if (!v) {
        rfsi_ini_bad(L, sec, key, "required key is missing");
        return -1;
    }
    if (rfsi_parse_long(v, out) < 0) {
        rfsi_ini_bad(L, sec, key, "'%s' is not a plain decimal integer", v);
        return -1;
    }
    if (*out < lo || *out > hi) {
        rfsi_ini_bad(L, sec, key, "%ld is outside %ld..%ld", *out, lo, hi);
        return -1;
    }
    return 0;
}

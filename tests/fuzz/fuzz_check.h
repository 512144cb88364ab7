/* Shared by the fuzz targets: an oracle that fails says which one, then crashes so
 * libFuzzer keeps the input. */
#ifndef RFS_FUZZ_CHECK_H
#define RFS_FUZZ_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The libFuzzer entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: oracle failed: %s\n", __FILE__, __LINE__, #cond);       \
            abort();                                                                        \
        }                                                                                   \
    } while (0)

/* Output validity (issue 12): 1 when p[0..len) is well-formed UTF-8 (RFC 3629). */
static inline int fuzz_utf8_valid(const char *p, size_t len)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t i = 0, need, k;

    while (i < len) {
        unsigned char c = u[i], lo = 0x80, hi = 0xBF;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            need = 1;
        else if (c >= 0xE0 && c <= 0xEF)
            need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        else if (c >= 0xF0 && c <= 0xF4)
            need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        else
            return 0;
        for (k = 1; k <= need; k++, lo = 0x80, hi = 0xBF)
            if (i + k >= len || u[i + k] < lo || u[i + k] > hi)
                return 0;
        i += need + 1;
    }
    return 1;
}

/* A strict JSON (RFC 8259) checker: the end of the value starting at p (after spaces), or
 * NULL when it is not one. */
static inline const char *fuzz_json_value(const char *p, const char *end, int depth);

static inline const char *fuzz_json_ws(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static inline const char *fuzz_json_string(const char *p, const char *end)
{
    const char *start;

    if (p >= end || *p != '"')
        return NULL;
    for (start = ++p; p < end && *p != '"'; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return NULL;
        if (c == '\\') {
            if (++p >= end)
                return NULL;
            if (*p == 'u') {
                int k;
                for (k = 0; k < 4; k++)
                    if (++p >= end || !((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || (*p >= 'A' && *p <= 'F')))
                        return NULL;
            } else if (!strchr("\"\\/bfnrt", *p) || !*p) {
                return NULL;
            }
        }
    }
    if (p >= end || !fuzz_utf8_valid(start, (size_t)(p - start)))
        return NULL;
    return p + 1;
}

static inline const char *fuzz_json_number(const char *p, const char *end)
{
    const char *d;

    if (p < end && *p == '-')
        p++;
    if (p < end && *p == '0')
        p++;
    else {
        for (d = p; p < end && *p >= '0' && *p <= '9'; p++)
            ;
        if (p == d)
            return NULL;
    }
    if (p < end && *p == '.') {
        for (d = ++p; p < end && *p >= '0' && *p <= '9'; p++)
            ;
        if (p == d)
            return NULL;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        if (++p < end && (*p == '+' || *p == '-'))
            p++;
        for (d = p; p < end && *p >= '0' && *p <= '9'; p++)
            ;
        if (p == d)
            return NULL;
    }
    return p;
}

static inline const char *fuzz_json_value(const char *p, const char *end, int depth)
{
    char close;

    p = fuzz_json_ws(p, end);
    if (p >= end || depth > 64)
        return NULL;
    switch (*p) {
    case '"':
        return fuzz_json_string(p, end);
    case '{':
    case '[':
        close = *p == '{' ? '}' : ']';
        p = fuzz_json_ws(p + 1, end);
        if (p < end && *p == close)
            return p + 1;
        for (;;) {
            if (close == '}') {
                if (!(p = fuzz_json_string(fuzz_json_ws(p, end), end)))
                    return NULL;
                p = fuzz_json_ws(p, end);
                if (p >= end || *p++ != ':')
                    return NULL;
            }
            if (!(p = fuzz_json_value(p, end, depth + 1)))
                return NULL;
            p = fuzz_json_ws(p, end);
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            return p < end && *p == close ? p + 1 : NULL;
        }
    case 't':
        return end - p >= 4 && memcmp(p, "true", 4) == 0 ? p + 4 : NULL;
    case 'f':
        return end - p >= 5 && memcmp(p, "false", 5) == 0 ? p + 5 : NULL;
    case 'n':
        return end - p >= 4 && memcmp(p, "null", 4) == 0 ? p + 4 : NULL;
    default:
        return fuzz_json_number(p, end);
    }
}

/* 1 when text[0..len) is one JSON value, with spaces around it at most. */
static inline int fuzz_json_valid(const char *text, size_t len)
{
    const char *end = text + len, *p = fuzz_json_value(text, end, 0);
    return p && fuzz_json_ws(p, end) == end;
}

#endif

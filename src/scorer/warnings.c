/* Run warnings: a list of {code, instrument, message, fields}, and its JSON form. */
#include "warnings.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/numfmt.h"

static char *copy_of(const char *s, size_t len)
{
    char *c = malloc(len + 1);

    if (c) {
        memcpy(c, s, len);
        c[len] = '\0';
    }
    return c;
}

rfsi_warning *rfsi_warning_add(rfsi_warnings *w, const char *code, size_t inst, const char *fmt, ...)
{
    rfsi_warning *x;
    rfsi_buf msg = {0};
    va_list ap;
    int rc;

    if (w->n == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 8;
        rfsi_warning *p = realloc(w->list, cap * sizeof *p);
        if (!p)
            return NULL;
        w->list = p;
        w->cap = cap;
    }
    va_start(ap, fmt);
    rc = rfsi_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    x = &w->list[w->n];
    memset(x, 0, sizeof *x);
    x->inst = inst;
    x->code = copy_of(code, strlen(code));
    x->message = rc < 0 ? NULL : msg.data ? msg.data : copy_of("", 0);
    if (!x->code || !x->message) {
        free(x->code);
        free(x->message);
        if (x->message != msg.data)
            rfsi_buf_free(&msg);
        return NULL;
    }
    w->n++;
    return x;
}

static int add_field(rfsi_warning *x, const char *key, char *json)
{
    rfsi_warning_field *p;

    if (!json)
        return -1;
    p = realloc(x->fields, (x->n_fields + 1) * sizeof *p);
    if (!p || !(p[x->n_fields].key = copy_of(key, strlen(key)))) {
        if (p)
            x->fields = p;
        free(json);
        return -1;
    }
    x->fields = p;
    p[x->n_fields++].json = json;
    return 0;
}

int rfsi_warning_str(rfsi_warning *x, const char *key, const char *value)
{
    rfsi_buf b = {0};

    if (rfsi_json_string(&b, value, strlen(value)) < 0) {
        rfsi_buf_free(&b);
        return -1;
    }
    return add_field(x, key, b.data);
}

int rfsi_warning_num(rfsi_warning *x, const char *key, double value)
{
    char num[RFSI_NUMFMT_MAX];

    return add_field(x, key, copy_of(num, rfsi_fmt_double(num, value)));
}

int rfsi_warning_json(rfsi_warning *x, const char *key, const char *json)
{
    return add_field(x, key, copy_of(json, strlen(json)));
}

void rfsi_warnings_free(rfsi_warnings *w)
{
    size_t i, k;

    for (i = 0; i < w->n; i++) {
        for (k = 0; k < w->list[i].n_fields; k++) {
            free(w->list[i].fields[k].key);
            free(w->list[i].fields[k].json);
        }
        free(w->list[i].fields);
        free(w->list[i].code);
        free(w->list[i].message);
    }
    free(w->list);
    memset(w, 0, sizeof *w);
}

int rfsi_warnings_json(const rfsi_warnings *w, size_t inst, rfsi_buf *b, int indent)
{
    size_t i, k, shown = 0;
    int rc = rfsi_buf_putc(b, '[');

    for (i = 0; i < w->n; i++) {
        const rfsi_warning *x = &w->list[i];
        if (x->inst != inst)
            continue;
        rc |= rfsi_buf_puts(b, shown++ ? ",\n" : "\n");
        for (k = 0; k < (size_t)indent + 2; k++)
            rc |= rfsi_buf_putc(b, ' ');
        rc |= rfsi_buf_puts(b, "{\"code\": ") | rfsi_json_string(b, x->code, strlen(x->code)) | rfsi_buf_puts(b, ", \"message\": ") |
              rfsi_json_string(b, x->message, strlen(x->message));
        for (k = 0; k < x->n_fields; k++)
            rc |= rfsi_buf_puts(b, ", ") | rfsi_json_string(b, x->fields[k].key, strlen(x->fields[k].key)) | rfsi_buf_puts(b, ": ") |
                  rfsi_buf_puts(b, x->fields[k].json);
        rc |= rfsi_buf_putc(b, '}');
    }
    if (shown) {
        rc |= rfsi_buf_putc(b, '\n');
        for (k = 0; k < (size_t)indent; k++)
            rc |= rfsi_buf_putc(b, ' ');
    }
    return rc | rfsi_buf_putc(b, ']');
}

/* Run warnings (warnings.h): a growable list and its JSON. */
#include "warnings.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "output/numfmt.h"

static char *copy_of(const char *s)
{
    size_t n = strlen(s);
    char *c = malloc(n + 1);

    if (c)
        memcpy(c, s, n + 1);
    return c;
}

rfsi_warning *rfsi_warning_add(rfsi_warnings *w, const char *code, size_t inst, const char *fmt, ...)
{
    rfsi_buf msg = {0};
    rfsi_warning *x;
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
    if (rc < 0)
        rfsi_buf_free(&msg);
    else /* the message's text is msg's */
        x->message = msg.data ? msg.data : copy_of("");
    x->code = copy_of(code);
    if (!x->code || !x->message) {
        free(x->code);
        free(x->message);
        return NULL;
    }
    w->n++;
    return x;
}

/* Takes json (malloc'd, may be NULL on no memory). */
static int add_field(rfsi_warning *x, const char *key, char *json)
{
    rfsi_warning_field *p;
    char *k = json ? copy_of(key) : NULL;

    p = k ? realloc(x->fields, (x->n_fields + 1) * sizeof *p) : NULL;
    if (!p) {
        free(k);
        free(json);
        return -1;
    }
    x->fields = p;
    p[x->n_fields].key = k;
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

    num[rfsi_fmt_double(num, value)] = '\0';
    return add_field(x, key, copy_of(num));
}

int rfsi_warning_json(rfsi_warning *x, const char *key, const char *json)
{
    return add_field(x, key, copy_of(json));
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
        rc |= rfsi_buf_puts(b, "{\"code\": ") | rfsi_json_string(b, x->code, strlen(x->code)) |
              rfsi_buf_puts(b, ", \"message\": ") | rfsi_json_string(b, x->message, strlen(x->message));
        for (k = 0; k < x->n_fields; k++)
            rc |= rfsi_buf_puts(b, ", ") | rfsi_json_string(b, x->fields[k].key, strlen(x->fields[k].key)) |
                  rfsi_buf_puts(b, ": ") | rfsi_buf_puts(b, x->fields[k].json);
        rc |= rfsi_buf_putc(b, '}');
    }
    if (shown) {
        rc |= rfsi_buf_putc(b, '\n');
        for (k = 0; k < (size_t)indent; k++)
            rc |= rfsi_buf_putc(b, ' ');
    }
    return rc | rfsi_buf_putc(b, ']');
}

#include "cell.h"

#include <string.h>
#include <strings.h>

static int ieq(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    return alen == blen && strncasecmp(a, b, blen) == 0;
}

/* A plain decimal "[+-]digits[.digits]" equal to an integer. Returns 1 and the value,
 * or 0 (not such a number). Leading zeros are fine ("0004"); beyond 18 significant
 * digits a number is outside every range and code a definition may declare, and
 * clamping it keeps it so without overflow. */
static int parse_integer(const char *s, size_t len, long *out)
{
    size_t i = 0, digits = 0;
    long v = 0;
    int neg = 0;

    if (s[0] == '+' || s[0] == '-') {
        neg = s[0] == '-';
        i++;
    }
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, digits++)
        if (v < 100000000000000000L) /* 1e17: stop growing, stay out of every range */
            v = v * 10 + (s[i] - '0');
    if (digits == 0)
        return 0;
    if (i < len) {
        size_t frac = 0;
        if (s[i] != '.')
            return 0;
        for (i++; i < len; i++, frac++)
            if (s[i] != '0') /* "3.5", "3.x": not an integer */
                return 0;
        if (frac == 0) /* "4." */
            return 0;
    }
    *out = neg ? -v : v;
    return 1;
}

static int text_missing_code(const rfs_instrument *inst, const char *s, size_t len, rfsi_response *out)
{
    size_t i;

    for (i = 0; i < inst->n_missing_codes; i++)
        if (!inst->missing_codes[i].is_number && ieq(s, len, inst->missing_codes[i].text)) {
            out->state = RFSI_MISSING;
            out->missing_type = (unsigned char)(inst->missing_codes[i].type + 1);
            return 1;
        }
    return 0;
}

/* Answer text ("Strongly agree") through the value labels, ignoring case and spacing. */
static int value_label(const rfs_instrument *inst, const char *s, size_t len, rfsi_response *out)
{
    char norm[RFSI_LABEL_MAX + 1];
    size_t i;

    if (!inst->n_values || rfsi_label_normalize(s, len, norm) == (size_t)-1)
        return 0;
    for (i = 0; i < inst->n_values; i++)
        if (strcmp(inst->values[i].norm, norm) == 0) {
            out->state = RFSI_ANSWER;
            out->value = inst->values[i].code;
            return 1;
        }
    return 0;
}

void rfsi_cell_classify(const rfs_instrument *inst, const char *s, size_t len, rfsi_response *out)
{
    long v;
    size_t i;

    out->value = 0;
    out->missing_type = 0;
    /* Fast path: a single digit, the usual Likert cell. */
    if (len == 1 && s[0] >= '0' && s[0] <= '9') {
        v = s[0] - '0';
        goto number;
    }
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 0 || ieq(s, len, "NA") || ieq(s, len, "N/A") || ieq(s, len, ".")) {
        out->state = RFSI_MISSING;
        return;
    }
    if (parse_integer(s, len, &v))
        goto number;
    if (text_missing_code(inst, s, len, out)) {
        out->state = RFSI_MISSING;
        return;
    }
    out->state = value_label(inst, s, len, out) ? RFSI_ANSWER : RFSI_INVALID;
    return;
number:
    if (v >= inst->min && v <= inst->max) {
        out->state = RFSI_ANSWER;
        out->value = v;
        return;
    }
    for (i = 0; i < inst->n_missing_codes; i++)
        if (inst->missing_codes[i].is_number && inst->missing_codes[i].number == v) {
            out->state = RFSI_MISSING;
            out->missing_type = (unsigned char)(inst->missing_codes[i].type + 1);
            return;
        }
    out->state = text_missing_code(inst, s, len, out) ? RFSI_MISSING : RFSI_INVALID;
}

/* A category's name ("Secure", " secure "), ignoring case and spacing: its code. */
static int category_name(const rfsi_item *it, const char *s, size_t len, rfsi_response *out)
{
    char norm[RFSI_LABEL_MAX + 1];
    size_t k;

    if (rfsi_label_normalize(s, len, norm) == (size_t)-1)
        return 0;
    for (k = 0; k < it->n_categories; k++)
        if (strcmp(it->category_norm[k], norm) == 0) {
            out->state = RFSI_ANSWER;
            out->value = (long)k + 1;
            out->missing_type = 0;
            return 1;
        }
    return 0;
}

void rfsi_cell_classify_item(const rfs_instrument *inst, size_t item, const char *s, size_t len,
                             rfsi_response *out)
{
    const rfsi_item *it = &inst->items[item];

    if (it->n_categories && category_name(it, s, len, out))
        return;
    if (it->n_categories && inst->n_values) {
        /* [values] labels name the instrument's codes, not this item's categories */
        rfs_instrument copy = *inst;
        copy.n_values = 0;
        rfsi_cell_classify(&copy, s, len, out);
    } else {
        rfsi_cell_classify(inst, s, len, out);
    }
    if (out->state == RFSI_ANSWER && (out->value < it->min || out->value > it->max)) {
        out->state = RFSI_INVALID;
        out->value = 0;
    }
}

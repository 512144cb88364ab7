/* Answer labels: the shared sets of common survey-platform wordings, and adding labels
 * to an instrument (from [values], a set, or the caller's --labels file).
 *
 * A choice-text export writes the text of each answer ("Somewhat agree"), in the wording
 * of the platform's scale template rather than of the published form, whose anchors are
 * often all it labels. The sets hold those wordings, one point per line, so a definition
 * can name a set (labels = agree7) instead of listing them. Sources: the agreement and
 * frequency templates of Qualtrics and REDCap (Likert field) as they appear in exports;
 * Vagias WM (2006), Likert-type scale response anchors, Clemson University. A wording is
 * matched ignoring case and spacing (rfsi_label_normalize). docs/instrument-format.md
 * lists the sets. */
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "instrument.h"

static const char *const agree7[] = {
    "Strongly disagree|Disagree strongly|Completely disagree|Totally disagree",
    "Disagree|Moderately disagree|Mostly disagree",
    "Somewhat disagree|Slightly disagree|Mildly disagree|Disagree somewhat|Disagree slightly|Disagree a little",
    "Neither agree nor disagree|Neither agree or disagree|Neither disagree nor agree|Neutral|Neutral/mixed|"
    "Neutral / mixed|Neither",
    "Somewhat agree|Slightly agree|Mildly agree|Agree somewhat|Agree slightly|Agree a little",
    "Agree|Moderately agree|Mostly agree",
    "Strongly agree|Agree strongly|Completely agree|Totally agree",
};

static const char *const agree5[] = {
    "Strongly disagree|Disagree strongly|Completely disagree",
    "Disagree|Somewhat disagree|Slightly disagree|Disagree somewhat",
    "Neither agree nor disagree|Neither agree or disagree|Neither disagree nor agree|Neutral|Neither",
    "Agree|Somewhat agree|Slightly agree|Agree somewhat",
    "Strongly agree|Agree strongly|Completely agree",
};

static const char *const frequency5[] = {
    "Never",
    "Rarely|Seldom",
    "Sometimes|Occasionally",
    "Often|Frequently|Usually",
    "Always",
};

static const rfsi_label_set sets[] = {
    {"agree7", 7, agree7, "7-point agreement, strongly disagree .. strongly agree"},
    {"agree5", 5, agree5, "5-point agreement, strongly disagree .. strongly agree"},
    {"frequency5", 5, frequency5, "5-point frequency, never .. always"},
};

const rfsi_label_set *rfsi_label_set_find(const char *name)
{
    size_t i;

    for (i = 0; name && i < sizeof sets / sizeof *sets; i++)
        if (strcmp(sets[i].name, name) == 0)
            return &sets[i];
    return NULL;
}

const char *rfsi_label_set_names(void)
{
    return "agree7, agree5, frequency5";
}

int rfsi_label_add(rfs_instrument *inst, long code, const char *label, rfsi_label_origin origin, long *other)
{
    char norm[RFSI_LABEL_MAX + 1];
    rfsi_value_label *v;
    size_t i, n = rfsi_label_normalize(label, strlen(label), norm);

    if (n == (size_t)-1 || n == 0)
        return -2;
    for (i = 0; i < inst->n_values; i++)
        if (strcmp(inst->values[i].norm, norm) == 0) {
            if (other)
                *other = inst->values[i].code;
            return 0;
        }
    v = realloc(inst->values, (inst->n_values + 1) * sizeof *v);
    if (!v)
        return -1;
    inst->values = v;
    v += inst->n_values;
    v->code = code;
    v->origin = origin;
    v->label = strdup(label);
    v->norm = strdup(norm);
    if (!v->label || !v->norm) {
        free(v->label);
        free(v->norm);
        return -1;
    }
    inst->n_values++;
    return 1;
}

int rfsi_label_add_set(rfs_instrument *inst, const rfsi_label_set *set)
{
    size_t p;

    for (p = 0; p < set->points; p++) {
        const char *w = set->wordings[p], *bar;
        char one[RFSI_LABEL_MAX + 1];
        while (*w) {
            size_t len;
            bar = strchr(w, '|');
            len = bar ? (size_t)(bar - w) : strlen(w);
            if (len > RFSI_LABEL_MAX)
                len = RFSI_LABEL_MAX;
            memcpy(one, w, len);
            one[len] = '\0';
            if (rfsi_label_add(inst, inst->min + (long)p, one, RFSI_LABEL_SET, NULL) == -1)
                return -1;
            w += len + (bar != NULL);
        }
    }
    inst->label_set = set->name;
    return 0;
}

static void remove_at(rfs_instrument *inst, size_t i)
{
    free(inst->values[i].label);
    free(inst->values[i].norm);
    memmove(&inst->values[i], &inst->values[i + 1], (inst->n_values - i - 1) * sizeof *inst->values);
    inst->n_values--;
}

int rfs_instrument_add_label(rfs_instrument *inst, long code, const char *label, int replace, rfs_error *err)
{
    char norm[RFSI_LABEL_MAX + 1];
    size_t i, n;

    if (!inst || !label)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "no instrument or no label");
    if (code < inst->min || code > inst->max)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "%s: label \"%s\" for %ld: answers are %ld..%ld", inst->id,
                         label, code, inst->min, inst->max);
    n = rfsi_label_normalize(label, strlen(label), norm);
    if (n == (size_t)-1 || n == 0)
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "%s: label for %ld is empty or longer than %d bytes", inst->id,
                         code, RFSI_LABEL_MAX);
    if (norm[0] == '-' || norm[0] == '+' || (norm[0] >= '0' && norm[0] <= '9'))
        return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "%s: a label must not look like a number ('%s')", inst->id,
                         label);
    if (replace)
        for (i = inst->n_values; i-- > 0;)
            if (inst->values[i].code == code)
                remove_at(inst, i);
    for (i = 0; i < inst->n_values; i++) {
        rfsi_value_label *v = &inst->values[i];
        if (strcmp(v->norm, norm) != 0)
            continue;
        if (v->code == code)
            return 0;
        if (v->origin == RFSI_LABEL_CALLER)
            return rfsi_fail(err, RFS_E_USAGE, NULL, 0, 0, "%s: label \"%s\" is given to both %ld and %ld", inst->id,
                             label, v->code, code);
        remove_at(inst, i); /* the caller's labels win over the definition's */
        break;
    }
    return rfsi_label_add(inst, code, label, RFSI_LABEL_CALLER, NULL) < 0 ? rfsi_nomem(err) : 0;
}

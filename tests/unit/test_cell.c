/* rfsi_cell_classify: one CSV cell -> answer / missing / invalid (docs/output.md, "Cells").
 * The instrument is built by hand: a 1..7 response range and the typed missing codes of
 * docs/instrument-format.md's example:
 *   refused = -99            -> missing_type 1
 *   dont_know = -98          -> missing_type 2
 *   not_administered = -97, "NASK" -> missing_type 3 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "scoring/cell.h"
#include "definition/instrument.h"

static void add_code(rfs_instrument *inst, size_t type, const char *text, int is_number, long number)
{
    rfsi_missing_code *c;

    inst->missing_codes = realloc(inst->missing_codes, (inst->n_missing_codes + 1) * sizeof *c);
    assert_non_null(inst->missing_codes);
    c = &inst->missing_codes[inst->n_missing_codes++];
    memset(c, 0, sizeof *c);
    c->type = type;
    c->text = strdup(text);
    assert_non_null(c->text);
    c->is_number = is_number;
    c->number = number;
}

static void add_type(rfs_instrument *inst, const char *name)
{
    inst->missing_types = realloc(inst->missing_types, (inst->n_missing_types + 1) * sizeof(char *));
    assert_non_null(inst->missing_types);
    inst->missing_types[inst->n_missing_types] = strdup(name);
    assert_non_null(inst->missing_types[inst->n_missing_types]);
    inst->n_missing_types++;
}

static rfs_instrument *make_inst(long min, long max, int with_codes)
{
    rfs_instrument *inst = calloc(1, sizeof *inst);

    assert_non_null(inst);
    inst->min = min;
    inst->max = max;
    if (with_codes) {
        add_type(inst, "refused");
        add_type(inst, "dont_know");
        add_type(inst, "not_administered");
        add_code(inst, 0, "-99", 1, -99);
        add_code(inst, 1, "-98", 1, -98);
        add_code(inst, 2, "-97", 1, -97);
        add_code(inst, 2, "NASK", 0, 0);
    }
    return inst;
}

static int setup_codes(void **state)
{
    *state = make_inst(1, 7, 1);
    return 0;
}

static int setup_plain(void **state)
{
    *state = make_inst(1, 7, 0);
    return 0;
}

static int teardown(void **state)
{
    rfs_instrument_free(*state); /* frees the hand-made codes and types too */
    return 0;
}

/* Classifies s[0..len) into an rfsi_response pre-filled with garbage, so a field the
 * classifier forgets to set shows up. The cell is copied to a heap block of exactly len
 * bytes (no NUL after it), so that a read past the end shows under valgrind/ASan. */
static rfsi_response classify_n(const rfs_instrument *inst, const char *s, size_t len)
{
    rfsi_response r;
    char *copy = malloc(len ? len : 1);

    assert_non_null(copy);
    if (len)
        memcpy(copy, s, len);
    r.value = 12345;
    r.state = 0xEE;
    r.missing_type = 0xEE;
    rfsi_cell_classify(inst, copy, len, &r);
    free(copy);
    return r;
}

#define classify(inst, lit) classify_n((inst), (lit), strlen(lit))

/* The cell must be an answer with this value. */
static void expect_answer_n(const rfs_instrument *inst, const char *s, size_t len, long value)
{
    rfsi_response r = classify_n(inst, s, len);

    if (r.state != RFSI_ANSWER)
        fail_msg("cell \"%.*s\": state %u, expected an answer", (int)len, s, r.state);
    assert_int_equal(r.value, value);
    assert_int_equal(r.missing_type, 0);
}

static void expect_missing_n(const rfs_instrument *inst, const char *s, size_t len, unsigned type)
{
    rfsi_response r = classify_n(inst, s, len);

    if (r.state != RFSI_MISSING)
        fail_msg("cell \"%.*s\": state %u, expected missing", (int)len, s, r.state);
    if (r.missing_type != type)
        fail_msg("cell \"%.*s\": missing_type %u, expected %u", (int)len, s, r.missing_type, type);
}

static void expect_invalid_n(const rfs_instrument *inst, const char *s, size_t len)
{
    rfsi_response r = classify_n(inst, s, len);

    if (r.state != RFSI_INVALID)
        fail_msg("cell \"%.*s\": state %u, expected invalid", (int)len, s, r.state);
    assert_int_equal(r.missing_type, 0);
}

#define expect_answer(inst, lit, v) expect_answer_n((inst), (lit), strlen(lit), (v))
#define expect_missing(inst, lit, t) expect_missing_n((inst), (lit), strlen(lit), (t))
#define expect_invalid(inst, lit) expect_invalid_n((inst), (lit), strlen(lit))

/* ------------------------------------------------------------------ answers */

static void test_plain_answers(void **state)
{
    const rfs_instrument *inst = *state;

    expect_answer(inst, "4", 4);
    expect_answer(inst, "1", 1); /* both ends of the range are inside it */
    expect_answer(inst, "7", 7);
}

static void test_answer_forms(void **state)
{
    const rfs_instrument *inst = *state;

    expect_answer(inst, " 4 ", 4);   /* surrounding spaces trimmed */
    expect_answer(inst, "   4", 4);
    expect_answer(inst, "4   ", 4);
    expect_answer(inst, "4.0", 4);   /* [.digits] all zero: still the integer 4 */
    expect_answer(inst, "4.000", 4);
    expect_answer(inst, "+4", 4);
    expect_answer(inst, "+4.0", 4);
    expect_answer(inst, "04", 4);    /* plain decimal, leading zero */
    expect_answer(inst, "007", 7);
    expect_answer(inst, " +6.00 ", 6);
    expect_answer(inst, "000000004", 4); /* 9 integer digits */
}

static void test_answer_on_zero_based_range(void **state)
{
    rfs_instrument *inst = make_inst(0, 4, 0);

    (void)state;
    expect_answer(inst, "0", 0);
    expect_answer(inst, "-0", 0);   /* -0 == 0, inside 0..4 */
    expect_answer(inst, "+0", 0);
    expect_answer(inst, "0.0", 0);
    expect_invalid(inst, "5");
    expect_invalid(inst, "-1");
    rfs_instrument_free(inst);
}

static void test_answer_on_negative_range(void **state)
{
    rfs_instrument *inst = make_inst(-3, 3, 0);

    (void)state;
    expect_answer(inst, "-3", -3);
    expect_answer(inst, "-2.0", -2);
    expect_answer(inst, " -1 ", -1);
    expect_answer(inst, "3", 3);
    expect_invalid(inst, "-4");
    expect_invalid(inst, "4");
    rfs_instrument_free(inst);
}

/* ------------------------------------------------------------------ invalid */

static void test_out_of_range_invalid(void **state)
{
    const rfs_instrument *inst = *state;

    expect_invalid(inst, "9");
    expect_invalid(inst, "8");
    expect_invalid(inst, "0");
    expect_invalid(inst, "-0"); /* = 0: outside 1..7 */
    expect_invalid(inst, "-1");
    expect_invalid(inst, "-4");
    expect_invalid(inst, "10");
    expect_invalid(inst, "8.0");
    expect_invalid(inst, "99");
    expect_invalid(inst, "123456789012"); /* 12 digits */
    expect_invalid(inst, "-123456789012");
    expect_invalid(inst, "99999999999999999999999999"); /* would overflow a long */
}

static void test_not_a_plain_integer_invalid(void **state)
{
    const rfs_instrument *inst = *state;
    static const char *const cells[] = {
        "3.5", "4.", ".5", "4.01", "4.0.0", "abc", "1e3", "1E0", "4e0", "nan", "NaN", "inf", "-inf",
        "Infinity", "0x4", "0X4", "4x", "x4", "4 4", "4,0", "+", "-", "+-4", "--4", "++4", "+ 4",
        "- 4", "4 .0", "4. 0", "NASK2", "NAN", "N/", "/A", "..", "four", "\xc2\xa0" "4", "4/7",
    };
    size_t i;

    for (i = 0; i < sizeof cells / sizeof cells[0]; i++)
        expect_invalid(inst, cells[i]);
}

/* ------------------------------------------------------------------ missing */

static void test_blank_and_na_missing(void **state)
{
    const rfs_instrument *inst = *state;

    expect_missing(inst, "", 0);
    expect_missing(inst, " ", 0);
    expect_missing(inst, "     ", 0);
    expect_missing(inst, "NA", 0);
    expect_missing(inst, "na", 0);
    expect_missing(inst, "Na", 0);
    expect_missing(inst, "nA", 0);
    expect_missing(inst, " NA ", 0);
    expect_missing(inst, "N/A", 0);
    expect_missing(inst, "n/a", 0);
    expect_missing(inst, " n/A ", 0);
    expect_missing(inst, ".", 0);
    expect_missing(inst, "  .  ", 0);
}

static void test_na_words_without_codes(void **state)
{
    const rfs_instrument *inst = *state; /* setup_plain: no [missing] section */

    expect_missing(inst, "", 0);
    expect_missing(inst, "NA", 0);
    expect_missing(inst, "N/A", 0);
    expect_missing(inst, ".", 0);
    /* without the codes, the refused code is just an out-of-range number */
    expect_invalid(inst, "-99");
    expect_invalid(inst, "NASK");
}

static void test_numeric_missing_codes(void **state)
{
    const rfs_instrument *inst = *state;

    expect_missing(inst, "-99", 1);
    expect_missing(inst, "-99.0", 1); /* the same number written as a decimal */
    expect_missing(inst, "-99.00", 1);
    expect_missing(inst, " -99 ", 1);
    expect_missing(inst, "-099", 1);
    expect_missing(inst, "-98", 2);
    expect_missing(inst, "-98.0", 2);
    expect_missing(inst, "-97", 3);
    expect_invalid(inst, "-96");
    expect_invalid(inst, "99");     /* sign matters */
    expect_invalid(inst, "-99.5");
    expect_invalid(inst, "-99x");
    expect_invalid(inst, "-9.9e1");
}

static void test_text_missing_codes(void **state)
{
    const rfs_instrument *inst = *state;

    expect_missing(inst, "NASK", 3);
    expect_missing(inst, "nask", 3); /* case-insensitive */
    expect_missing(inst, "NaSk", 3);
    expect_missing(inst, "  nask ", 3);
    expect_invalid(inst, "NAS");
    expect_invalid(inst, "NASKS");
    expect_invalid(inst, "N ASK");
}

/* ------------------------------------------------------- lengths and NUL bytes */

static void test_only_len_bytes_are_read(void **state)
{
    const rfs_instrument *inst = *state;

    /* The cell is s[0..len): what follows must not change the answer. */
    expect_answer_n(inst, "45", 1, 4);
    expect_answer_n(inst, "4.05", 3, 4);  /* "4.0" */
    expect_answer_n(inst, " 5 x", 3, 5);  /* " 5 " */
    expect_missing_n(inst, "NAX", 2, 0);  /* "NA" */
    expect_missing_n(inst, "-99.5", 3, 1); /* "-99" */
    expect_missing_n(inst, "naskx", 4, 3);
    expect_missing_n(inst, "4", 0, 0);    /* empty */
    expect_invalid_n(inst, "3.55", 3);    /* "3.5" */
}

static void test_embedded_nul_invalid(void **state)
{
    const rfs_instrument *inst = *state;

    expect_invalid_n(inst, "4\0", 2);
    expect_invalid_n(inst, "\0" "4", 2);
    expect_invalid_n(inst, "\0", 1);
    expect_invalid_n(inst, "4\0" "0", 3);
    expect_invalid_n(inst, "4.\0", 3);
    expect_invalid_n(inst, "NA\0", 3);
    expect_invalid_n(inst, "N\0A", 3);
    expect_invalid_n(inst, "nask\0", 5);
    expect_invalid_n(inst, "na\0k", 4);
    expect_invalid_n(inst, "-99\0", 4);
}

static void test_result_fields_reset(void **state)
{
    const rfs_instrument *inst = *state;
    rfsi_response r;

    /* A response reused from an earlier row must not keep a stale missing type. */
    r = classify(inst, "5");
    assert_int_equal(r.state, RFSI_ANSWER);
    assert_int_equal(r.value, 5);
    assert_int_equal(r.missing_type, 0);
    r = classify(inst, " 5 ");
    assert_int_equal(r.state, RFSI_ANSWER);
    assert_int_equal(r.value, 5);
    assert_int_equal(r.missing_type, 0);
    r = classify(inst, "");
    assert_int_equal(r.state, RFSI_MISSING);
    assert_int_equal(r.missing_type, 0);
    r = classify(inst, "abc");
    assert_int_equal(r.state, RFSI_INVALID);
    assert_int_equal(r.missing_type, 0);
}

/* rfsi_cell_classify_item: an item's own range, and a categorical item (the RQ's best-fit
 * prototype: 1 secure, 2 fearful, 3 preoccupied, 4 dismissing) inside a 1..7 instrument
 * whose [values] labels must not apply to it. */
static void test_item_range_and_categories(void **state)
{
    rfs_instrument *inst = make_inst(1, 7, 1);
    static const char *const names[] = {"Secure", "Fearful", "Preoccupied", "Dismissing"};
    rfsi_response r;
    size_t k;

    (void)state;
    inst->n_items = 2;
    inst->items = calloc(2, sizeof *inst->items);
    assert_non_null(inst->items);
    inst->items[0].min = 1;
    inst->items[0].max = 7;
    inst->items[1].min = 1;
    inst->items[1].max = 4;
    inst->items[1].n_categories = 4;
    inst->items[1].categories = calloc(4, sizeof(char *));
    inst->items[1].category_norm = calloc(4, sizeof(char *));
    assert_non_null(inst->items[1].categories);
    assert_non_null(inst->items[1].category_norm);
    for (k = 0; k < 4; k++) {
        char norm[RFSI_LABEL_MAX + 1];
        inst->items[1].categories[k] = strdup(names[k]);
        rfsi_label_normalize(names[k], strlen(names[k]), norm);
        inst->items[1].category_norm[k] = strdup(norm);
    }
    inst->n_values = 1;
    inst->values = calloc(1, sizeof *inst->values);
    assert_non_null(inst->values);
    inst->values[0].code = 2;
    inst->values[0].label = strdup("Fearful?");
    inst->values[0].norm = strdup("secure"); /* a [values] label equal to a category name */

    /* a category by name, any case and spacing: its code (position in the list) */
    rfsi_cell_classify_item(inst, 1, " preOCCUPIED ", 13, &r);
    assert_int_equal(r.state, RFSI_ANSWER);
    assert_int_equal(r.value, 3);
    rfsi_cell_classify_item(inst, 1, "secure", 6, &r);
    assert_int_equal(r.value, 1); /* the category, not [values]' code 2 */
    /* by code */
    rfsi_cell_classify_item(inst, 1, "4", 1, &r);
    assert_int_equal(r.state, RFSI_ANSWER);
    assert_int_equal(r.value, 4);
    /* 5 is inside the instrument's 1..7 but not one of the 4 categories */
    rfsi_cell_classify_item(inst, 1, "5", 1, &r);
    assert_int_equal(r.state, RFSI_INVALID);
    rfsi_cell_classify_item(inst, 1, "avoidant", 8, &r);
    assert_int_equal(r.state, RFSI_INVALID);
    /* missing codes still work */
    rfsi_cell_classify_item(inst, 1, "-99", 3, &r);
    assert_int_equal(r.state, RFSI_MISSING);
    assert_int_equal(r.missing_type, 1);
    /* the rating item keeps [values] labels and 1..7 */
    rfsi_cell_classify_item(inst, 0, "secure", 6, &r);
    assert_int_equal(r.state, RFSI_ANSWER);
    assert_int_equal(r.value, 2);
    rfsi_cell_classify_item(inst, 0, "7", 1, &r);
    assert_int_equal(r.state, RFSI_ANSWER);
    rfs_instrument_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_answers, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_answer_forms, setup_codes, teardown),
        cmocka_unit_test(test_answer_on_zero_based_range),
        cmocka_unit_test(test_answer_on_negative_range),
        cmocka_unit_test_setup_teardown(test_out_of_range_invalid, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_plain_integer_invalid, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_blank_and_na_missing, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_na_words_without_codes, setup_plain, teardown),
        cmocka_unit_test_setup_teardown(test_numeric_missing_codes, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_text_missing_codes, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_only_len_bytes_are_read, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_embedded_nul_invalid, setup_codes, teardown),
        cmocka_unit_test_setup_teardown(test_result_fields_reset, setup_codes, teardown),
        cmocka_unit_test(test_item_range_and_categories),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

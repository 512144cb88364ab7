/* Loading a definition when memory runs out (issue 12, defect 1), SQLite's way: a
 * link-time shim replaces malloc, calloc, realloc and strdup for the whole process
 * (iniparser's shared library included) and fails the N-th allocation, for every N up to
 * a full load's count, over each shipped instrument and the full-feature fixture. Each
 * load must give either an instrument identical to the normal load (every field of the
 * model, the describe text and the self-test results) or NULL with RFS_E_NOMEM; lint must
 * report nothing or only RFS_E_NOMEM. Two modes: only the N-th allocation fails, and
 * every allocation from the N-th on fails (error paths that allocate). Leaks on the
 * failure paths are caught by valgrind and LeakSanitizer, which run this program too.
 *
 * Also here, because they need the shim's bookkeeping: reading a definition costs
 * bounded memory however long its lines or the file (defect 8). */
#define _GNU_SOURCE
#include "helpers.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "definition/instrument.h"

#ifndef TEST_TOP
#error "TEST_TOP must be the absolute path of the source tree"
#endif

/* ------------------------------------------------------------------ shim */

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

static volatile int armed;    /* count and fail only while the code under test runs */
static volatile unsigned long calls; /* allocations since arming (all volatile: GCC assumes
                                     * malloc touches no global) */
static unsigned long fail_at; /* 0: none fails */
static int fail_after;        /* every allocation from fail_at on fails */
static unsigned long failed;  /* allocations refused */
static size_t largest;        /* largest request since arming */

/* dlsym may allocate before the real functions are known: serve it from here. */
static unsigned char boot[4096];
static size_t boot_used;

static void *boot_alloc(size_t n)
{
    void *p;

    n = (n + 15) & ~(size_t)15;
    if (boot_used + n > sizeof boot)
        return NULL;
    p = boot + boot_used;
    boot_used += n;
    return p;
}

static int is_boot(const void *p)
{
    return (const unsigned char *)p >= boot && (const unsigned char *)p < boot + sizeof boot;
}

static int resolving;

static void resolve(void)
{
    if (real_malloc || resolving)
        return;
    resolving = 1;
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    resolving = 0;
}

/* Whether this allocation (of n bytes) is refused. */
static int refuse(size_t n)
{
    if (!armed)
        return 0;
    calls++;
    if (n > largest)
        largest = n;
    if (fail_at && (calls == fail_at || (fail_after && calls > fail_at))) {
        failed++;
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t n)
{
    resolve();
    if (!real_malloc)
        return boot_alloc(n);
    return refuse(n) ? NULL : real_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    resolve();
    if (!real_calloc)
        return boot_alloc(n * size); /* zeroed: boot is static */
    return refuse(n * size) ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    resolve();
    if (is_boot(p)) {
        void *q = malloc(n);
        if (q)
            memcpy(q, p, n < sizeof boot ? n : sizeof boot);
        return q;
    }
    return refuse(n) ? NULL : real_realloc(p, n);
}

void free(void *p)
{
    if (!p || is_boot(p))
        return;
    resolve();
    real_free(p);
}

/* glibc's strdup calls malloc, but ASan's replaces it with one that does not. */
char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);

    if (d)
        memcpy(d, s, n);
    return d;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *d = malloc(n + 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Valgrind replaces malloc even in the executable, and then the shim sees nothing. */
static int shim_active(void)
{
    static void *volatile sink; /* not optimised away */
    unsigned long before = calls;
    int was = armed;

    armed = 1;
    sink = malloc(24);
    armed = was;
    free(sink);
    return calls != before;
}

static void arm(unsigned long at, int after)
{
    calls = 0;
    failed = 0;
    largest = 0;
    fail_at = at;
    fail_after = after;
    armed = 1;
}

static void disarm(void)
{
    armed = 0;
}

/* -------------------------------------------------------- model equality */

#define SAME_INT(f)                                                                                      \
    do {                                                                                                 \
        if ((a)->f != (b)->f)                                                                            \
            fail_msg("%s: %s differs (%ld, normal load %ld)", where, #f, (long)(a)->f, (long)(b)->f);    \
    } while (0)
#define SAME_DBL(f)                                                                                      \
    do {                                                                                                 \
        if ((a)->f != (b)->f)                                                                            \
            fail_msg("%s: %s differs", where, #f);                                                       \
    } while (0)
#define SAME_STR(f) same_str(where, #f, (a)->f, (b)->f)
#define SAME_MEM(f, n) same_mem(where, #f, (a)->f, (b)->f, (n) * sizeof *(a)->f)

static void same_str(const char *where, const char *what, const char *x, const char *y)
{
    if (!x || !y || strcmp(x, y) != 0)
        fail_msg("%s: %s differs ('%s', normal load '%s')", where, what, x ? x : "(null)", y ? y : "(null)");
}

static void same_mem(const char *where, const char *what, const void *x, const void *y, size_t n)
{
    if (n && (!x || !y || memcmp(x, y, n) != 0))
        fail_msg("%s: %s differs", where, what);
}

/* Every field of the model (b: the normal load). */
static void same_model(const char *where, const rfs_instrument *a, const rfs_instrument *b)
{
    size_t i, j;

    SAME_STR(path);
    same_str(where, "sha256", a->sha256, b->sha256);
    SAME_STR(id);
    SAME_STR(name);
    SAME_STR(version);
    SAME_STR(citation);
    SAME_STR(doi);
    SAME_STR(license);
    SAME_STR(note);
    SAME_STR(column_prefix);
    SAME_INT(n_items);
    SAME_INT(min);
    SAME_INT(max);
    SAME_INT(min_rule.is_percent);
    SAME_INT(min_rule.value);
    for (i = 0; i < b->n_items; i++) {
        same_str(where, "item column", a->items[i].column, b->items[i].column);
        same_str(where, "item label", a->items[i].label, b->items[i].label);
    }
    SAME_INT(n_missing_types);
    for (i = 0; i < b->n_missing_types; i++)
        same_str(where, "missing type", a->missing_types[i], b->missing_types[i]);
    SAME_INT(n_missing_codes);
    for (i = 0; i < b->n_missing_codes; i++) {
        const rfsi_missing_code *x = &a->missing_codes[i], *y = &b->missing_codes[i];
        if (x->is_number != y->is_number || x->number != y->number || x->type != y->type)
            fail_msg("%s: missing code %zu differs", where, i);
        same_str(where, "missing code text", x->text, y->text);
    }
    SAME_INT(n_values);
    for (i = 0; i < b->n_values; i++) {
        if (a->values[i].code != b->values[i].code)
            fail_msg("%s: value %zu differs", where, i);
        same_str(where, "value label", a->values[i].label, b->values[i].label);
        same_str(where, "value norm", a->values[i].norm, b->values[i].norm);
    }
    SAME_INT(n_recodes);
    for (i = 0; i < b->n_recodes; i++) {
        same_str(where, "recode name", a->recodes[i].name, b->recodes[i].name);
        same_mem(where, "recode map", a->recodes[i].map, b->recodes[i].map,
                 (size_t)(b->max - b->min + 1) * sizeof *b->recodes[i].map);
    }
    SAME_INT(n_scales);
    for (i = 0; i < b->n_scales; i++) {
        const rfsi_scale *x = &a->scales[i], *y = &b->scales[i];
        same_str(where, "scale id", x->id, y->id);
        same_str(where, "scale name", x->name, y->name);
        if (x->n_items != y->n_items || x->recode != y->recode || x->kind != y->kind ||
            x->has_min_rule != y->has_min_rule || x->min_rule.is_percent != y->min_rule.is_percent ||
            x->min_rule.value != y->min_rule.value || x->min_answered != y->min_answered ||
            x->value_min != y->value_min || x->value_max != y->value_max)
            fail_msg("%s: scale %s differs", where, y->id);
        same_mem(where, "scale items", x->items, y->items, y->n_items * sizeof *y->items);
        same_mem(where, "scale reversed", x->reversed, y->reversed, y->n_items);
        same_mem(where, "scale recoded", x->recoded, y->recoded, y->n_items);
        same_mem(where, "scale table", x->table, y->table,
                 y->n_items * (size_t)(b->max - b->min + 1) * sizeof *y->table);
    }
    SAME_INT(n_derived);
    for (i = 0; i < b->n_derived; i++) {
        const rfsi_derived *x = &a->derived[i], *y = &b->derived[i];
        same_str(where, "derived id", x->id, y->id);
        same_str(where, "derived name", x->name, y->name);
        if (x->n != y->n || x->kind != y->kind)
            fail_msg("%s: derived %s differs", where, y->id);
        same_mem(where, "derived components", x->components, y->components, y->n * sizeof *y->components);
    }
    SAME_MEM(derived_order, b->n_derived);
    SAME_INT(validity.has_longstring_max);
    SAME_INT(validity.longstring_max);
    SAME_INT(validity.has_irv_min);
    SAME_DBL(validity.irv_min);
    SAME_INT(validity.n_even_odd);
    SAME_MEM(validity.even_odd_scales, b->validity.n_even_odd);
    SAME_DBL(validity.even_odd_min);
    SAME_INT(validity.n_synonyms);
    SAME_INT(validity.n_antonyms);
    SAME_MEM(validity.synonyms, b->validity.n_synonyms);
    SAME_MEM(validity.antonyms, b->validity.n_antonyms);
    SAME_DBL(validity.synonyms_min);
    SAME_DBL(validity.antonyms_max);
    SAME_INT(validity.n_attention);
    SAME_MEM(validity.attention, b->validity.n_attention);
    SAME_DBL(validity.seconds_per_item);
    SAME_INT(validity.invalid_mask);
    SAME_INT(n_cases);
    for (i = 0; i < b->n_cases; i++) {
        const rfsi_case *x = &a->cases[i], *y = &b->cases[i];
        same_str(where, "case name", x->name, y->name);
        if (x->line != y->line || x->n_expect != y->n_expect)
            fail_msg("%s: case %s differs", where, y->name);
        for (j = 0; j < b->n_items; j++)
            same_str(where, "case cell", x->cells[j], y->cells[j]);
        for (j = 0; j < y->n_expect; j++) {
            const rfsi_case_expect *p = &x->expect[j], *q = &y->expect[j];
            if (p->score != q->score || p->is_na != q->is_na || p->value != q->value)
                fail_msg("%s: case %s expectation %zu differs", where, y->name, j);
            same_str(where, "case expectation text", p->text, q->text);
        }
    }
}

/* ------------------------------------------------------------- the sweep */

typedef struct definition {
    char path[512];
    rfs_instrument *normal;
    char *describe;
    size_t cases, failures;
} definition;

typedef struct lint_result {
    size_t n, not_nomem;
    rfs_status first_other;
} lint_result;

static void collect(const rfs_error *err, void *ud)
{
    lint_result *r = ud;

    r->n++;
    if (err->code != RFS_E_NOMEM && r->not_nomem++ == 0)
        r->first_other = err->code;
}

static unsigned long total_loads;

/* Loads d->path failing allocation n (and every later one when after); 1 when the
 * allocation was reached (n within the load), 0 past the load's end. */
static int one_load(definition *d, unsigned long n, int after)
{
    rfs_error err;
    rfs_instrument *inst;
    char where[640];
    int reached;

    rfs_error_clear(&err);
    arm(n, after);
    inst = rfs_instrument_load(d->path, &err);
    disarm();
    reached = failed > 0;
    total_loads++;
    snprintf(where, sizeof where, "%s, allocation %lu%s failing", d->path, n, after ? " and later" : "");
    if (!inst) {
        if (!reached)
            fail_msg("%s: load failed although no allocation was refused: %s", where, err.message);
        if (err.code != RFS_E_NOMEM)
            fail_msg("%s: load failed with code %d (line %lu: %s), expected RFS_E_NOMEM", where, (int)err.code,
                     err.line, err.message);
        return reached;
    }
    if (err.code != RFS_OK)
        fail_msg("%s: an instrument and an error (%s)", where, err.message);
    same_model(where, inst, d->normal);
    {
        char *text = rfs_instrument_describe(inst);
        size_t cases = 0, failures = rfs_instrument_selftest(inst, &cases, NULL, NULL);
        assert_non_null(text);
        if (strcmp(text, d->describe) != 0)
            fail_msg("%s: describe differs from the normal load's", where);
        free(text);
        if (cases != d->cases || failures != d->failures)
            fail_msg("%s: selftest %zu/%zu, normal load %zu/%zu", where, failures, cases, d->failures, d->cases);
    }
    rfs_instrument_free(inst);
    return reached;
}

static int one_check(definition *d, unsigned long n, int after)
{
    lint_result r;
    size_t count;

    memset(&r, 0, sizeof r);
    arm(n, after);
    count = rfs_instrument_check(d->path, collect, &r);
    disarm();
    total_loads++;
    if (count != r.n)
        fail_msg("%s: check returned %zu but reported %zu problems", d->path, count, r.n);
    if (r.not_nomem)
        fail_msg("%s, allocation %lu%s failing: lint reported %zu problem(s) other than out of memory "
                 "(first code %d)", d->path, n, after ? " and later" : "", r.not_nomem, (int)r.first_other);
    if (failed && !count) {
        /* the definition loaded although an allocation failed: fine only if nothing was lost,
         * which one_load checks field by field */
    }
    return failed > 0;
}

static void skip_without_shim(void)
{
    if (!shim_active()) {
        print_message("the allocation shim is replaced (valgrind?): sweep skipped\n");
        skip();
    }
}

static void sweep(definition *d)
{
    unsigned long n, normal_calls;
    rfs_error err;
    int after;

    rfs_error_clear(&err);
    d->normal = rfs_instrument_load(d->path, &err);
    if (!d->normal)
        fail_msg("%s: %s", d->path, err.message);
    d->describe = rfs_instrument_describe(d->normal);
    assert_non_null(d->describe);
    d->failures = rfs_instrument_selftest(d->normal, &d->cases, NULL, NULL);

    arm(0, 0);
    rfs_instrument_free(rfs_instrument_load(d->path, &err));
    disarm();
    normal_calls = calls;
    assert_true(normal_calls > 10);

    for (after = 0; after <= 1; after++) {
        for (n = 1; one_load(d, n, after); n++)
            ;
        if (n <= normal_calls)
            fail_msg("%s: the sweep ended at %lu of %lu allocations", d->path, n, normal_calls);
        for (n = 1; one_check(d, n, after); n++)
            ;
    }
    print_message("%s: %lu allocations per load, swept in 4 ways\n", d->path, normal_calls);
    rfs_instrument_free(d->normal);
    free(d->describe);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

static void test_sweep_shipped(void **state)
{
    DIR *dir;
    struct dirent *de;
    size_t n = 0;

    (void)state;
    skip_without_shim();
    dir = opendir(TEST_TOP "/instruments");
    assert_non_null(dir);
    while ((de = readdir(dir)) != NULL) {
        definition d;
        if (!ends_with(de->d_name, ".ini"))
            continue;
        memset(&d, 0, sizeof d);
        snprintf(d.path, sizeof d.path, "%s/instruments/%s", TEST_TOP, de->d_name);
        sweep(&d);
        n++;
    }
    closedir(dir);
    assert_true(n >= 4);
    print_message("%lu loads and checks in all\n", total_loads);
}

/* Every section kind: [missing], [values], [validity], [case.*], derived scores. */
static void test_sweep_full_fixture(void **state)
{
    definition d;

    (void)state;
    skip_without_shim();
    memset(&d, 0, sizeof d);
    snprintf(d.path, sizeof d.path, "%s", TEST_TOP "/tests/data/valid_full.ini");
    sweep(&d);
}

/* --------------------------------------------------- bounded reading (8) */

/* Writes a file of `size` bytes: a valid header line, then `fill` bytes, newline every
 * `every` bytes (0: none). */
static void write_big(const char *path, size_t size, char fill, size_t every)
{
    static char block[1 << 16];
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    size_t done = 0, i;

    assert_true(fd >= 0);
    for (i = 0; i < sizeof block; i++)
        block[i] = (every && i % every == every - 1) ? '\n' : fill;
    while (done < size) {
        size_t n = size - done < sizeof block ? size - done : sizeof block;
        assert_int_equal(write(fd, block, n), (ssize_t)n);
        done += n;
    }
    close(fd);
}

static void test_long_line_bounded(void **state)
{
    char path[] = "/tmp/rfs_test_defalloc_XXXXXX";
    rfs_error err;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    write_big(path, 40u << 20, 'a', 0); /* one 40 MiB line */
    rfs_error_clear(&err);
    arm(0, 0);
    assert_null(rfs_instrument_load(path, &err));
    disarm();
    unlink(path);
    assert_int_equal(err.code, RFS_E_DEFINITION);
    assert_int_equal(err.line, 1);
    if (!strstr(err.message, "line longer than"))
        fail_msg("message: %s", err.message);
    /* the line is never held: no allocation near its size */
    if (shim_active() && largest > (1u << 20))
        fail_msg("an allocation of %zu bytes while reading a 40 MiB line", largest);
}

static void test_big_file_bounded(void **state)
{
    char path[] = "/tmp/rfs_test_defalloc_XXXXXX";
    rfs_error err;
    int fd = mkstemp(path);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    write_big(path, 40u << 20, ';', 64); /* 40 MiB of comment lines */
    rfs_error_clear(&err);
    arm(0, 0);
    assert_null(rfs_instrument_load(path, &err));
    disarm();
    unlink(path);
    assert_int_equal(err.code, RFS_E_DEFINITION);
    /* 16 MiB of 64-byte lines is 262,144 lines; the 262,145th crosses the bound */
    assert_int_equal(err.line, 262145);
    if (!strstr(err.message, "larger than 16777216 bytes"))
        fail_msg("message: %s", err.message);
    if (shim_active() && largest > (1u << 20))
        fail_msg("an allocation of %zu bytes while reading a 40 MiB file", largest);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_shipped),
        cmocka_unit_test(test_sweep_full_fixture),
        cmocka_unit_test(test_long_line_bounded),
        cmocka_unit_test(test_big_file_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* LD_PRELOAD shim for the allocation-failure sweep (tests/alloc/sweep.sh): counts the
 * allocations made on behalf of librfscore (and of iniparser, which it calls) and fails
 * the N-th, as SQLite's tests do. An allocation counts when the call stack passes through
 * librfscore or libiniparser, so libc's own allocations for the library (fopen, getline,
 * qsort) count too and the command's own do not (the CLI is a client: its allocations are
 * not the library's to handle).
 *
 *   RFS_FAIL_AT=N       fail the N-th counted malloc/calloc/realloc/strdup/strndup (0 or
 *                       unset: fail none)
 *   RFS_ALLOC_COUNT=F   at exit, write the number of counted allocations to F
 *   RFS_FAIL_REPORT=F   when one is failed, write the public function it was made in
 *                       (the outermost librfscore frame) to F
 *
 * Only a process whose program is named rfscore (or lt-rfscore) is affected, so a shell
 * or libtool wrapper in between is not. Functions are found with dlsym(RTLD_NEXT), so it
 * works over ASan's allocator too (set ASAN_OPTIONS=verify_asan_link_order=0). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static void (*real_free)(void *);

/* dlsym may allocate before the real functions are known. */
static char bootstrap[8192];
static size_t boot_used;

static int state;       /* 0: nothing, 1: setting up, 4: set up, 2: active, 3: inactive */
static __thread int busy;
static unsigned long fail_at, counted;
static const char *count_file, *report_file;

typedef struct range {
    uintptr_t lo, hi;
} range;
static range ranges[8];
static int n_ranges, ranges_known;

static int find_ranges(struct dl_phdr_info *info, size_t size, void *data)
{
    int i;

    (void)size;
    (void)data;
    if (!info->dlpi_name || (!strstr(info->dlpi_name, "librfscore") && !strstr(info->dlpi_name, "libiniparser")))
        return 0;
    for (i = 0; i < info->dlpi_phnum && n_ranges < 8; i++)
        if (info->dlpi_phdr[i].p_type == PT_LOAD && (info->dlpi_phdr[i].p_flags & PF_X)) {
            ranges[n_ranges].lo = info->dlpi_addr + info->dlpi_phdr[i].p_vaddr;
            ranges[n_ranges].hi = ranges[n_ranges].lo + info->dlpi_phdr[i].p_memsz;
            n_ranges++;
        }
    return 0;
}

static int in_scope(void *pc)
{
    int i;

    for (i = 0; i < n_ranges; i++)
        if ((uintptr_t)pc >= ranges[i].lo && (uintptr_t)pc < ranges[i].hi)
            return 1;
    return 0;
}

static void write_number(const char *path, unsigned long v)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%lu\n", v), fd;

    if (!path || (fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
        return;
    if (write(fd, buf, (size_t)n) < 0) {
    }
    close(fd);
}

static void at_exit(void)
{
    if (state == 2)
        write_number(count_file, counted);
}

/* The real functions: all that may be done inside the first malloc, which under ASan
 * comes while ASan itself starts up (its interceptors are not ready). */
static void setup(void)
{
    state = 1;
    real_malloc = (void *(*)(size_t))dlsym(RTLD_NEXT, "malloc");
    real_calloc = (void *(*)(size_t, size_t))dlsym(RTLD_NEXT, "calloc");
    real_realloc = (void *(*)(void *, size_t))dlsym(RTLD_NEXT, "realloc");
    real_free = (void (*)(void *))dlsym(RTLD_NEXT, "free");
    state = 4; /* set up, not yet active */
}

/* Counting starts when the shim's constructor has run: after the C library and any
 * sanitizer runtime are up, before main. */
__attribute__((constructor)) static void activate(void)
{
    char exe[4096];
    ssize_t n;
    const char *base, *v;

    if (!real_malloc)
        setup();
    n = syscall(SYS_readlink, "/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
    if (strcmp(base, "rfscore") != 0 && strcmp(base, "lt-rfscore") != 0) {
        state = 3;
        return;
    }
    fail_at = (v = getenv("RFS_FAIL_AT")) ? strtoul(v, NULL, 10) : 0;
    count_file = getenv("RFS_ALLOC_COUNT");
    report_file = getenv("RFS_FAIL_REPORT");
    busy = 1;
    {
        void *warm[4];
        backtrace(warm, 4); /* loads the unwinder now, not inside a counted call */
    }
    busy = 0;
    atexit(at_exit);
    state = 2;
}

/* 1 when this allocation is to fail. */
__attribute__((noinline)) static int should_fail(void)
{
    void *frames[64];
    int n, i, outer = -1;

    if (state != 2 || busy)
        return 0;
    busy = 1;
    if (!ranges_known) {
        dl_iterate_phdr(find_ranges, NULL);
        ranges_known = n_ranges > 0;
    }
    n = backtrace(frames, 64);
    for (i = 1; i < n; i++) /* frame 0 is this function */
        if (in_scope(frames[i]))
            outer = i;
    busy = 0;
    if (outer < 0)
        return 0;
    if (++counted != fail_at)
        return 0;
    if (report_file) {
        Dl_info info;
        int fd = open(report_file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        /* the outermost library frame: the public function the client called */
        for (i = outer; i >= 1; i--)
            if (in_scope(frames[i]) && dladdr(frames[i], &info) && info.dli_sname &&
                strncmp(info.dli_sname, "rfs_", 4) == 0)
                break;
        if (fd >= 0) {
            char text[300];
            if (i >= 1) /* a public function's own frame */
                snprintf(text, sizeof text, "%s\n", info.dli_sname);
            else if (dladdr(frames[outer], &info)) /* it tail-called a private one: its place */
                snprintf(text, sizeof text, "?%s+0x%lx\n", strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1 : info.dli_fname,
                         (unsigned long)((uintptr_t)frames[outer] - (uintptr_t)info.dli_fbase));
            else
                snprintf(text, sizeof text, "?\n");
            if (write(fd, text, strlen(text)) < 0) {
            }
            close(fd);
        }
    }
    return 1;
}

void *malloc(size_t size)
{
    if (!real_malloc) {
        if (state == 1) { /* inside dlsym */
            void *p = bootstrap + boot_used;
            boot_used += (size + 15) & ~(size_t)15;
            return boot_used <= sizeof bootstrap ? p : NULL;
        }
        setup();
    }
    return should_fail() ? NULL : real_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (!real_calloc) {
        if (state == 1) {
            void *p = malloc(n * size);
            if (p)
                memset(p, 0, n * size);
            return p;
        }
        setup();
    }
    return should_fail() ? NULL : real_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (!real_realloc)
        setup();
    return should_fail() ? NULL : real_realloc(p, size);
}

void free(void *p)
{
    if ((char *)p >= bootstrap && (char *)p < bootstrap + sizeof bootstrap)
        return;
    if (!real_free)
        setup();
    real_free(p);
}

/* glibc's strdup calls malloc internally, from libc: caught here so its caller counts. */
char *strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p;

    if (!real_malloc)
        setup();
    if (should_fail())
        return NULL;
    busy++;
    p = real_malloc(n);
    busy--;
    if (p)
        memcpy(p, s, n);
    return p;
}

char *strndup(const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    char *p;

    if (!real_malloc)
        setup();
    if (should_fail())
        return NULL;
    p = real_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

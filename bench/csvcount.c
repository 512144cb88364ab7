/* Bare libcsv parse: the speed limit for any libcsv-based engine such as rfscore.
 * Feeds the file in 64 KiB chunks to csv_parse() in CSV_STRICT mode and only counts
 * fields and rows; prints "ROWS FIELDS". No per-field work beyond libcsv's own copy.
 *
 *   cc -O2 bench/csvcount.c -lcsv -o bench/out/csvcount
 *   bench/out/csvcount FILE      (or - for standard input) */
#include <csv.h>
#include <stdio.h>
#include <string.h>

static unsigned long long fields, rows;

static void on_field(void *data, size_t len, void *ud)
{
    (void)data;
    (void)len;
    (void)ud;
    fields++;
}

static void on_row(int term, void *ud)
{
    (void)term;
    (void)ud;
    rows++;
}

int main(int argc, char **argv)
{
    static char buf[64 * 1024];
    struct csv_parser p;
    FILE *in;
    size_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: csvcount FILE|-\n");
        return 64;
    }
    in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return 66;
    }
    if (csv_init(&p, CSV_STRICT) != 0) {
        fprintf(stderr, "csvcount: csv_init failed\n");
        return 70;
    }
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (csv_parse(&p, buf, n, on_field, on_row, NULL) != n) {
            fprintf(stderr, "csvcount: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            return 65;
        }
    if (ferror(in)) {
        perror(argv[1]);
        return 74;
    }
    if (csv_fini(&p, on_field, on_row, NULL) != 0) {
        fprintf(stderr, "csvcount: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
        return 65;
    }
    csv_free(&p);
    printf("%llu %llu\n", rows, fields);
    return 0;
}

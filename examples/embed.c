/* Embedding librfscore: score CSV text held in memory with one instrument and collect
 * the output in a buffer. Build: cc embed.c $(pkg-config --cflags --libs rfscore)
 * Run:   ./embed instruments/rfq8.ini */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rfscore.h>

typedef struct sink {
    char text[4096];
    size_t len;
} sink;

static int collect(const char *data, size_t len, void *userdata)
{
    sink *s = userdata;

    if (len >= sizeof s->text - s->len)
        return -1;
    memcpy(s->text + s->len, data, len);
    s->len += len;
    s->text[s->len] = '\0';
    return 0;
}

int main(int argc, char **argv)
{
    static const char csv[] =
        "id,rfq8_1,rfq8_2,rfq8_3,rfq8_4,rfq8_5,rfq8_6,rfq8_7,rfq8_8\n"
        "p1,1,2,3,4,5,6,7,4\n";
    rfs_error err;
    rfs_instrument *inst;
    rfs_scorer *scorer;
    sink out = {{0}, 0};
    int rc = 1;

    if (argc != 2) {
        fprintf(stderr, "usage: %s INSTRUMENT.ini\n", argv[0]);
        return 64;
    }
    if (strcmp(rfs_version(), RFS_VERSION) != 0) {
        fprintf(stderr, "header %s but library %s\n", RFS_VERSION, rfs_version());
        return 1;
    }
    rfs_error_clear(&err);
    inst = rfs_instrument_load(argv[1], &err);
    scorer = inst ? rfs_scorer_new(&err) : NULL;
    if (scorer && rfs_scorer_add_instrument(scorer, inst, &err) == 0 &&
        rfs_scorer_set_input_name(scorer, "inline.csv", &err) == 0 &&
        rfs_scorer_set_output(scorer, collect, &out, &err) == 0 &&
        rfs_scorer_feed(scorer, csv, sizeof csv - 1, &err) == 0 && rfs_scorer_finish(scorer, &err) == 0) {
        fputs(out.text, stdout);
        rc = 0;
    } else {
        fprintf(stderr, "%s:%lu:%lu: %s\n", err.file, err.line, err.column, err.message);
    }
    rfs_scorer_free(scorer);
    rfs_instrument_free(inst);
    return rc;
}

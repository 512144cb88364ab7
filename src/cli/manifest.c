/* --manifest: what made this output, so a scored file can be traced to its inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

/* Escaped as every JSON the library writes: file names and arguments need not be UTF-8. */
static int json_str(FILE *f, const char *v)
{
    char *q = rfs_json_quote(v);

    if (!q)
        return 1;
    fputs(q, f);
    free(q);
    return 0;
}

/* Provenance: what made this output, so a scored file can be traced to its inputs. */
int cli_write_manifest(FILE *f, rfs_scorer *s, int argc, char **argv, const char *in_path,
                       rfs_instrument *const *insts, const cli_columns *columns, size_t n_inst)
{
    char digest[65], when[32], *summary = rfs_scorer_summary(s, 1);
    unsigned long long bytes = 0;
    time_t now = time(NULL);
    size_t i;
    int c, bad = 0;

    if (!summary || rfs_scorer_input_digest(s, digest, &bytes) < 0) {
        free(summary);
        cli_warn("cannot build the manifest: out of memory");
        return EXIT_OSERR;
    }
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "{\n  \"rfscore_version\": ");
    bad |= json_str(f, rfs_version());
    fprintf(f, ",\n  \"created\": \"%s\",\n  \"arguments\": [", when);
    for (c = 0; c < argc; c++) { /* argv[0] is the command, "score" or "report" */
        fputs(c ? ", " : "", f);
        bad |= json_str(f, argv[c]);
    }
    fprintf(f, "],\n  \"input\": {\"path\": ");
    bad |= json_str(f, in_path);
    fprintf(f, ", \"sha256\": \"%s\", \"bytes\": %llu},\n  \"instruments\": [", digest, bytes);
    for (i = 0; i < n_inst; i++) {
        fprintf(f, "%s\n    {\"id\": ", i ? "," : "");
        bad |= json_str(f, rfs_instrument_id(insts[i]));
        fprintf(f, ", \"version\": ");
        bad |= json_str(f, rfs_instrument_version(insts[i]));
        fprintf(f, ", \"path\": ");
        bad |= json_str(f, rfs_instrument_path(insts[i]));
        fprintf(f, ", \"sha256\": \"%s\", \"doi\": ", rfs_instrument_sha256(insts[i]));
        bad |= json_str(f, rfs_instrument_doi(insts[i]));
        if (columns[i].map) { /* a column map changes what is scored: record it too */
            char map_digest[65];
            fprintf(f, ", \"map\": {\"path\": ");
            bad |= json_str(f, columns[i].map);
            if (rfs_file_sha256(columns[i].map, map_digest) == 0)
                fprintf(f, ", \"sha256\": \"%s\"", map_digest);
            fputc('}', f);
        }
        if (columns[i].as) { /* scored under another name */
            fprintf(f, ", \"as\": ");
            bad |= json_str(f, columns[i].as);
        }
        if (columns[i].labels) { /* so do answer labels */
            char labels_digest[65];
            fprintf(f, ", \"labels\": {\"path\": ");
            json_str(f, columns[i].labels);
            if (rfs_file_sha256(columns[i].labels, labels_digest) == 0)
                fprintf(f, ", \"sha256\": \"%s\"", labels_digest);
            fputc('}', f);
        }
        if (columns[i].prefix || columns[i].suffix) {
            fprintf(f, ", \"prefix\": ");
            bad |= json_str(f, columns[i].prefix ? columns[i].prefix : "");
            fprintf(f, ", \"suffix\": ");
            bad |= json_str(f, columns[i].suffix ? columns[i].suffix : "");
        }
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"run\": %s}\n", summary);
    free(summary);
    if (bad) {
        cli_warn("cannot build the manifest: out of memory");
        return EXIT_OSERR;
    }
    return 0;
}

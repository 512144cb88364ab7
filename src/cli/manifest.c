/* --manifest: what made this output, so a scored file can be traced to its inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"

static void json_str(FILE *f, const char *v)
{
    fputc('"', f);
    for (; *v; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* Provenance: what made this output, so a scored file can be traced to its inputs. */
int cli_write_manifest(FILE *f, rfs_scorer *s, int argc, char **argv, const char *in_path,
                       rfs_instrument *const *insts, const cli_columns *columns, size_t n_inst)
{
    char digest[65], when[32], *summary = rfs_scorer_summary(s, 1);
    unsigned long long bytes = 0;
    time_t now = time(NULL);
    size_t i;
    int c;

    if (!summary || rfs_scorer_input_digest(s, digest, &bytes) < 0) {
        free(summary);
        cli_warn("cannot build the manifest: out of memory");
        return EXIT_OSERR;
    }
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "{\n  \"rfscore_version\": ");
    json_str(f, rfs_version());
    fprintf(f, ",\n  \"created\": \"%s\",\n  \"arguments\": [", when);
    for (c = 0; c < argc; c++) { /* argv[0] is the command, "score" or "report" */
        fputs(c ? ", " : "", f);
        json_str(f, argv[c]);
    }
    fprintf(f, "],\n  \"input\": {\"path\": ");
    json_str(f, in_path);
    fprintf(f, ", \"sha256\": \"%s\", \"bytes\": %llu},\n  \"instruments\": [", digest, bytes);
    for (i = 0; i < n_inst; i++) {
        fprintf(f, "%s\n    {\"id\": ", i ? "," : "");
        json_str(f, rfs_instrument_id(insts[i]));
        fprintf(f, ", \"version\": ");
        json_str(f, rfs_instrument_version(insts[i]));
        fprintf(f, ", \"path\": ");
        json_str(f, rfs_instrument_path(insts[i]));
        fprintf(f, ", \"sha256\": \"%s\", \"doi\": ", rfs_instrument_sha256(insts[i]));
        json_str(f, rfs_instrument_doi(insts[i]));
        if (columns[i].map) { /* a column map changes what is scored: record it too */
            char map_digest[65];
            fprintf(f, ", \"map\": {\"path\": ");
            json_str(f, columns[i].map);
            if (rfs_file_sha256(columns[i].map, map_digest) == 0)
                fprintf(f, ", \"sha256\": \"%s\"", map_digest);
            fputc('}', f);
        }
        if (columns[i].as) { /* scored under another name */
            fprintf(f, ", \"as\": ");
            json_str(f, columns[i].as);
        }
        if (columns[i].prefix || columns[i].suffix) {
            fprintf(f, ", \"prefix\": ");
            json_str(f, columns[i].prefix ? columns[i].prefix : "");
            fprintf(f, ", \"suffix\": ");
            json_str(f, columns[i].suffix ? columns[i].suffix : "");
        }
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"run\": %s}\n", summary);
    free(summary);
    return 0;
}

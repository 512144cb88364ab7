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
int cli_write_manifest(rfs_scorer *s, const char *path, int argc, char **argv, const char *in_path,
                       rfs_instrument *const *insts, const cli_columns *columns, size_t n_inst)
{
    char digest[65], when[32], *summary = rfs_scorer_summary(s, 1);
    unsigned long long bytes = 0;
    time_t now = time(NULL);
    cli_output o;
    size_t i;
    int c;

    if (!summary || rfs_scorer_input_digest(s, digest, &bytes) < 0) {
        free(summary);
        cli_warn("%s: cannot build the manifest", path);
        return EXIT_OSERR;
    }
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    if (cli_output_open(&o, path) < 0) {
        free(summary);
        return EXIT_CANTCREAT;
    }
    fprintf(o.f, "{\n  \"rfscore_version\": ");
    json_str(o.f, rfs_version());
    fprintf(o.f, ",\n  \"created\": \"%s\",\n  \"arguments\": [", when);
    for (c = 0; c < argc; c++) { /* argv[0] is the command, "score" or "report" */
        fputs(c ? ", " : "", o.f);
        json_str(o.f, argv[c]);
    }
    fprintf(o.f, "],\n  \"input\": {\"path\": ");
    json_str(o.f, in_path);
    fprintf(o.f, ", \"sha256\": \"%s\", \"bytes\": %llu},\n  \"instruments\": [", digest, bytes);
    for (i = 0; i < n_inst; i++) {
        fprintf(o.f, "%s\n    {\"id\": ", i ? "," : "");
        json_str(o.f, rfs_instrument_id(insts[i]));
        fprintf(o.f, ", \"version\": ");
        json_str(o.f, rfs_instrument_version(insts[i]));
        fprintf(o.f, ", \"path\": ");
        json_str(o.f, rfs_instrument_path(insts[i]));
        fprintf(o.f, ", \"sha256\": \"%s\", \"doi\": ", rfs_instrument_sha256(insts[i]));
        json_str(o.f, rfs_instrument_doi(insts[i]));
        if (columns[i].map) { /* a column map changes what is scored: record it too */
            char map_digest[65];
            fprintf(o.f, ", \"map\": {\"path\": ");
            json_str(o.f, columns[i].map);
            if (rfs_file_sha256(columns[i].map, map_digest) == 0)
                fprintf(o.f, ", \"sha256\": \"%s\"", map_digest);
            fputc('}', o.f);
        }
        if (columns[i].as) { /* scored under another name */
            fprintf(o.f, ", \"as\": ");
            json_str(o.f, columns[i].as);
        }
        if (columns[i].prefix || columns[i].suffix) {
            fprintf(o.f, ", \"prefix\": ");
            json_str(o.f, columns[i].prefix ? columns[i].prefix : "");
            fprintf(o.f, ", \"suffix\": ");
            json_str(o.f, columns[i].suffix ? columns[i].suffix : "");
        }
        fputc('}', o.f);
    }
    fprintf(o.f, "\n  ],\n  \"run\": %s}\n", summary);
    free(summary);
    c = cli_output_close(&o, 1);
    return c == 0 ? 0 : c == -2 ? EXIT_CANTCREAT : EXIT_IOERR;
}

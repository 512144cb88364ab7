/* rfscore: command dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: rfscore COMMAND [OPTIONS]\n"
            "\n"
            "commands:\n"
            "  score -i INSTRUMENT [-i ...] [--id COL] [--keep COL,...] [-o FILE] FILE|-\n"
            "                       score a CSV file, one output row per input row\n"
            "  report -i INSTRUMENT [--format text|json|html] [-o FILE] FILE|-\n"
            "                       descriptives, reliability, item and flag summary\n"
            "  list                 the instruments on the search path\n"
            "  show ID|FILE         an instrument's scoring key in readable form\n"
            "  template ID|FILE     an empty CSV with the expected header\n"
            "  lint FILE...         check definitions; every problem with its line\n"
            "  selftest [ID|FILE...] run definitions' conformance cases\n"
            "  codebook -i ID [--format markdown|csv|redcap]\n"
            "                       a data dictionary of the output columns\n"
            "  version              print the version\n"
            "\n"
            "common options: -I DIR (search DIR for instruments first)\n"
            "See rfscore(1) for the exit codes and the full option list.\n");
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL;

    if (!cmd) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("rfscore %s\n", rfs_version());
        return 0;
    }
    if (strcmp(cmd, "score") == 0)
        return cmd_score(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(cmd, "show") == 0)
        return cmd_show(argc - 1, argv + 1);
    if (strcmp(cmd, "template") == 0)
        return cmd_template(argc - 1, argv + 1);
    if (strcmp(cmd, "lint") == 0)
        return cmd_lint(argc - 1, argv + 1);
    if (strcmp(cmd, "codebook") == 0)
        return cmd_codebook(argc - 1, argv + 1);
    if (strcmp(cmd, "selftest") == 0)
        return cmd_selftest(argc - 1, argv + 1);
    cli_warn("unknown command '%s'", cmd);
    usage(stderr);
    return EXIT_USAGE;
}

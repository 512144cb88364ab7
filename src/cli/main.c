/* rfscore: command dispatch. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "options.h"

static int version(void)
{
    printf("rfscore %s\n", rfs_version());
    return fflush(stdout) == 0 ? 0 : EXIT_IOERR;
}

/* rfscore help [COMMAND]: to stdout, exit 0, like COMMAND --help. */
static int help(int argc, char **argv)
{
    const char *near = NULL;
    unsigned command;

    if (argc < 3) {
        cli_usage_commands(stdout);
        return fflush(stdout) == 0 ? 0 : EXIT_IOERR;
    }
    if (argc > 3) {
        cli_warn("help takes one command");
        return EXIT_USAGE;
    }
    command = cli_command(argv[2], &near);
    if (!command) {
        if (near)
            cli_warn("unknown command '%s' (did you mean '%s'?)", argv[2], near);
        else
            cli_warn("unknown command '%s'", argv[2]);
        cli_usage_commands(stderr);
        return EXIT_USAGE;
    }
    cli_usage(stdout, command);
    return fflush(stdout) == 0 ? 0 : EXIT_IOERR;
}

int main(int argc, char **argv)
{
    const char *cmd = argc > 1 ? argv[1] : NULL, *near = NULL;

    if (!cmd) {
        cli_usage_commands(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0)
        return help(argc, argv);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0)
        return version();
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
    if (!cli_command(cmd, &near) && near)
        cli_warn("unknown command '%s' (did you mean '%s'?)", cmd, near);
    else
        cli_warn("unknown command '%s'", cmd);
    cli_usage_commands(stderr);
    return EXIT_USAGE;
}

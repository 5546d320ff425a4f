/*
 * main.c - the dealgraph executable: the table of commands, each in a
 * file of its own (cmd_*.c), run by the driver (driver.c).
 */
#include "cli.h"

#include <locale.h>
#include <string.h>

extern const cli_command cli_cmd_lint;
extern const cli_command cli_cmd_summary;
extern const cli_command cli_cmd_exposure;
extern const cli_command cli_cmd_stress;

extern const cli_command cli_cmd_loops;
extern const cli_command cli_cmd_render;
extern const cli_command cli_cmd_check;
extern const cli_command cli_cmd_diff;
extern const cli_command cli_cmd_report;
extern const cli_command cli_cmd_timeline;
extern const cli_command cli_cmd_flows;

const cli_command *const cli_commands[] = {
    &cli_cmd_lint,
    &cli_cmd_summary,
    &cli_cmd_loops,
    &cli_cmd_exposure,
    &cli_cmd_stress,
    &cli_cmd_render,
    &cli_cmd_check,
    &cli_cmd_diff,
    &cli_cmd_timeline,
    &cli_cmd_flows,
    &cli_cmd_report,
    /* @commands */
};

const size_t cli_ncommands = sizeof cli_commands / sizeof cli_commands[0];

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dealgraph COMMAND [OPTIONS] FILE...\n"
            "\n"
            "Turns a ledger of company deals into a directed money-flow graph,\n"
            "finds its closed value loops and measures exposure to one company.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i]->name,
                cli_commands[i]->summary);
    fprintf(out,
            "\n"
            "'dealgraph COMMAND --help' describes a command.\n"
            "Exit codes: 0 success, 1 a finding (lint error, broken rule,\n"
            "change), 2 bad usage or unreadable input.\n");
}

static const cli_command *find(const char *name)
{
    for (size_t i = 0; i < cli_ncommands; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    /* Numbers are written with '.', whatever the environment says. */
    setlocale(LC_ALL, "C");
    cli_json_init();

    if (argc < 2) {
        usage(stderr);
        return EXIT_TROUBLE;
    }
    const char *name = argv[1];
    if (strcmp(name, "help") == 0 && argc == 3 &&
        (strcmp(argv[2], "--man") == 0 ||
         strcmp(argv[2], "--completion") == 0)) {
        if (argv[2][2] == 'm')
            cli_write_manual(stdout);
        else
            cli_write_completion(stdout);
        return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK
                                                      : EXIT_TROUBLE;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        const cli_command *cmd = argc > 2 && strcmp(name, "help") == 0
                                     ? find(argv[2])
                                     : NULL;
        if (cmd) {
            char *args[] = {argv[2], "--help", NULL};
            return cli_dispatch(cmd, 2, args);
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("dealgraph %s (JSON schema %d)\n", DG_VERSION, DG_JSON_SCHEMA);
        return EXIT_OK;
    }
    const cli_command *cmd = find(name);
    if (cmd)
        return cli_dispatch(cmd, argc - 1, argv + 1);
    cli_error("unknown command '%s'; see 'dealgraph --help'", name);
    return EXIT_TROUBLE;
}

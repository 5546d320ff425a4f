/*
 * main.c - the dealgraph executable: a table of commands, each in a file
 * of its own (cmd_*.c).
 */
#include "cli.h"

#include <locale.h>
#include <string.h>

static const cli_command commands[] = {
    {"lint", cmd_lint, "validate ledgers; problems as FILE:LINE: message"},
    {"summary", cmd_summary, "companies, legs, totals by kind and status"},
    {"loops", cmd_loops, "closed value loops, ranked by value"},
    {"exposure", cmd_exposure, "dependence on the focal company"},
    {"stress", cmd_stress, "losses when the focal company cannot pay"},
    {"render", cmd_render, "Graphviz picture: SVG, PNG, PDF or annotated DOT"},
    {"check", cmd_check, "CI gate: exit 1 when a rule is broken"},
    {"diff", cmd_diff, "what changed between two ledgers: legs, loops, exposure"},
    {"report", cmd_report, "everything above in one document (text, md, json, html)"},
    /* @commands */
};

static const size_t ncommands = sizeof commands / sizeof commands[0];

static void usage(FILE *out)
{
    fprintf(out,
            "usage: dealgraph COMMAND [OPTIONS] FILE...\n"
            "\n"
            "Turns a ledger of company deals into a directed money-flow graph,\n"
            "finds its closed value loops and measures exposure to one company.\n"
            "\n"
            "commands:\n");
    for (size_t i = 0; i < ncommands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out,
            "\n"
            "'dealgraph COMMAND --help' describes a command.\n"
            "Exit codes: 0 success, 1 a finding (lint error, broken rule,\n"
            "change), 2 bad usage or unreadable input.\n");
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
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
        strcmp(name, "help") == 0) {
        if (strcmp(name, "help") == 0 && argc > 2) {
            for (size_t i = 0; i < ncommands; i++) {
                if (strcmp(commands[i].name, argv[2]) == 0) {
                    char *args[] = {argv[2], "--help", NULL};
                    return commands[i].run(2, args);
                }
            }
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
        printf("dealgraph %s (JSON schema %d)\n", DG_VERSION, DG_JSON_SCHEMA);
        return EXIT_OK;
    }
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    cli_error("unknown command '%s'; see 'dealgraph --help'", name);
    return EXIT_TROUBLE;
}

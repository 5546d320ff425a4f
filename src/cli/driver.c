/*
 * driver.c - runs a command from its table row (cli.h): the shared and the
 * command's own options parsed from one table, --help written from it,
 * the one ledger loaded, the document built and written whole.
 */
#include "cli.h"
#include "dealgraph/exposure.h" /* dg_focus_find */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- value parsers ------------------------------------------------------- */

static bool bad_value(const char *cmd, const cli_option *o, const char *arg)
{
    const cli_value *v = o->value;
    cli_error("%s: --%s '%s' is not %s; %s", cmd, o->name, arg,
              v && v->what ? v->what : "a valid value",
              v && v->how ? v->how : "see --help");
    return false;
}

#define AT(dst, type) (*(type *)(dst))

bool cli_parse_string(const char *cmd, const cli_option *o, const char *arg,
                      void *dst)
{
    (void)cmd;
    (void)o;
    AT(dst, const char *) = arg;
    return true;
}

/* A whole number in decimal digits, no sign, no blanks. */
static bool whole(const char *arg, unsigned long long *out)
{
    if (!isdigit((unsigned char)arg[0]))
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (*end || errno)
        return false;
    *out = v;
    return true;
}

bool cli_parse_count(const char *cmd, const cli_option *o, const char *arg,
                     void *dst)
{
    unsigned long long v;
    const cli_value *r = o->value;
    if (!whole(arg, &v) || (r && ((double)v < r->min ||
                                  (r->max > 0 && (double)v > r->max))) ||
        v > SIZE_MAX)
        return bad_value(cmd, o, arg);
    AT(dst, size_t) = (size_t)v;
    return true;
}

bool cli_parse_u64(const char *cmd, const cli_option *o, const char *arg,
                   void *dst)
{
    unsigned long long v;
    if (!whole(arg, &v))
        return bad_value(cmd, o, arg);
    AT(dst, uint64_t) = (uint64_t)v;
    return true;
}

static bool in_range(const cli_option *o, double v)
{
    const cli_value *r = o->value;
    if (!r || (r->min == 0 && r->max == 0))
        return true;
    return v >= r->min && v <= r->max;
}

bool cli_parse_number(const char *cmd, const cli_option *o, const char *arg,
                      void *dst)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || !in_range(o, v))
        return bad_value(cmd, o, arg);
    AT(dst, double) = v;
    return true;
}

bool cli_parse_money(const char *cmd, const cli_option *o, const char *arg,
                     void *dst)
{
    double v;
    if (!dg_money_parse(arg, &v) || !in_range(o, v))
        return bad_value(cmd, o, arg);
    AT(dst, double) = v;
    return true;
}

bool cli_parse_date(const char *cmd, const cli_option *o, const char *arg,
                    void *dst)
{
    if (!dg_date_parse(arg, &AT(dst, dg_date)))
        return bad_value(cmd, o, arg);
    return true;
}

bool cli_parse_choice(const char *cmd, const cli_option *o, const char *arg,
                      void *dst)
{
    const char *const *c = o->value ? o->value->choices : NULL;
    for (int k = 0; c && c[k]; k++)
        if (strcmp(arg, c[k]) == 0) {
            AT(dst, int) = k;
            return true;
        }
    return bad_value(cmd, o, arg);
}

/* ---- the shared options -------------------------------------------------- */

enum { SHARED_FORMAT = 0x100, SHARED_MIN_STATUS, SHARED_KINDS, SHARED_AS_OF,
       SHARED_AMOUNTS, SHARED_COMPANIES, SHARED_FOCUS, SHARED_OUTPUT,
       OWN_BASE = 0x200 };

typedef struct shared_option {
    unsigned group;
    int code;
    const char *name;
    int short_name;
    const char *arg;
    const char *help;
} shared_option;

static const shared_option shared[] = {
    {CLI_SHARE_FOCUS, SHARED_FOCUS, "focus", 0, "NAME",
     "the focal company (default: the ledger's `focus` attribute)"},
    {CLI_SHARE_FORMAT, SHARED_FORMAT, "format", 'f', NULL,
     "output format (default text)"},
    {CLI_SHARE_OUTPUT, SHARED_OUTPUT, "output", 'o', "FILE",
     "write there instead of standard output; the file is replaced only "
     "when complete"},
    {CLI_SHARE_FILTERS, SHARED_MIN_STATUS, "min-status", 0, "STATUS",
     "keep legs at least this firm (completed, definitive, announced, "
     "reported, loi, talks)"},
    {CLI_SHARE_FILTERS, SHARED_KINDS, "kinds", 0, "K1,K2",
     "keep legs of these kinds"},
    {CLI_SHARE_FILTERS, SHARED_AS_OF, "as-of", 0, "DATE",
     "keep legs announced on or before DATE"},
    {CLI_SHARE_FILTERS, SHARED_AMOUNTS, "amounts", 0, "SCENARIO",
     "disclosed (default), low, mid or high: fill undisclosed legs from "
     "their estimate range"},
    {CLI_SHARE_COMPANIES, SHARED_COMPANIES, "companies", 0, "FILE",
     "the companies file of a CSV ledger"},
};
#define NSHARED (sizeof shared / sizeof shared[0])

static void list_formats(unsigned formats, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int f = CLI_OUT_TEXT; f < CLI_OUT_COUNT; f++) {
        if (!(formats & (1u << f)))
            continue;
        if (buf[0])
            strncat(buf, "|", n - strlen(buf) - 1);
        strncat(buf, cli_out_format_name((cli_out_format)f),
                n - strlen(buf) - 1);
    }
}

static bool shared_option_set(cli_common *c, const char *cmd, int code,
                              const char *arg)
{
    switch (code) {
    case SHARED_FORMAT: {
        cli_out_format f;
        if (!cli_out_format_parse(arg, &f) || !(c->formats & (1u << f))) {
            char list[64];
            list_formats(c->formats, list, sizeof list);
            cli_error("%s: unknown format '%s'; use --format %s", cmd, arg,
                      list);
            return false;
        }
        c->format = f;
        return true;
    }
    case SHARED_OUTPUT:
        c->output = arg;
        return true;
    case SHARED_MIN_STATUS:
        if (!dg_status_parse(arg, &c->filter.min_status)) {
            cli_error("%s: unknown status '%s' for --min-status; use one of "
                      "completed, definitive, announced, reported, loi, talks",
                      cmd, arg);
            return false;
        }
        return true;
    case SHARED_KINDS: {
        const char *bad;
        if (!dg_kinds_parse(arg, &c->filter.kinds, &bad)) {
            cli_error("%s: unknown kind at '%s' in --kinds; give a comma "
                      "list of chips, cloud, services, equity, warrant, "
                      "debt, lease, backstop",
                      cmd, bad);
            return false;
        }
        return true;
    }
    case SHARED_AS_OF:
        if (!dg_date_parse(arg, &c->filter.as_of)) {
            cli_error("%s: --as-of '%s' is not a date; write YYYY, YYYY-MM "
                      "or YYYY-MM-DD",
                      cmd, arg);
            return false;
        }
        return true;
    case SHARED_AMOUNTS:
        if (!dg_amounts_parse(arg, &c->filter.amounts)) {
            cli_error("%s: unknown scenario '%s' for --amounts; use "
                      "disclosed, low, mid or high",
                      cmd, arg);
            return false;
        }
        return true;
    case SHARED_COMPANIES:
        c->load.companies = arg;
        return true;
    case SHARED_FOCUS:
        c->focus = arg;
        return true;
    }
    return false;
}

/* ---- help ---------------------------------------------------------------- */

#define HELP_WIDTH 78
#define HELP_INDENT 26

/* "  -o, --output FILE" padded to the help column (or on a line of its
 * own when longer), then `help` wrapped under it. */
static void help_option(int short_name, const char *name, const char *arg,
                        const char *help)
{
    char head[96];
    int n = snprintf(head, sizeof head, "  %s%c%s--%s%s%s",
                     short_name ? "-" : "", short_name ? short_name : ' ',
                     short_name ? ", " : "", name, arg ? " " : "",
                     arg ? arg : "");
    if (!short_name) /* no short form: no "-x, " and no blank for it */
        n = snprintf(head, sizeof head, "  --%s%s%s", name, arg ? " " : "",
                     arg ? arg : "");
    fputs(head, stdout);
    size_t col = (size_t)n;
    if (col + 2 > HELP_INDENT) {
        fputc('\n', stdout);
        col = 0;
    }
    const char *p = help;
    bool first = true;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t w = strcspn(p, " ");
        if (!w)
            break;
        if (first || col + 1 + w > HELP_WIDTH) {
            if (!first) {
                fputc('\n', stdout);
                col = 0;
            }
            for (; col < HELP_INDENT; col++)
                fputc(' ', stdout);
        } else {
            fputc(' ', stdout);
            col++;
        }
        first = false;
        fwrite(p, 1, w, stdout);
        col += w;
        p += w;
    }
    fputc('\n', stdout);
}

static void help(const cli_command *cmd)
{
    printf("usage: dealgraph %s %s\n\n%s\n", cmd->name, cmd->usage,
           cmd->about);
    if (cmd->options || cmd->shared)
        fputc('\n', stdout);
    for (const cli_option *o = cmd->options; o && o->name; o++)
        help_option(o->short_name, o->name, o->arg, o->help);
    for (size_t k = 0; k < NSHARED; k++) {
        const shared_option *s = &shared[k];
        if (!(cmd->shared & s->group))
            continue;
        if (s->code == SHARED_FORMAT) {
            char list[64];
            list_formats(cmd->formats, list, sizeof list);
            help_option(s->short_name, s->name, list, s->help);
        } else {
            help_option(s->short_name, s->name, s->arg, s->help);
        }
    }
    help_option('h', "help", NULL, "this text");
    if (cmd->exits)
        printf("\n%s\n", cmd->exits);
}

/* ---- the manual page and the shell completion -------------------------- */

/* Text for roff: a backslash doubled, a leading dot or quote escaped. */
static void roff_text(FILE *out, const char *s)
{
    bool line_start = true;
    for (; *s; s++) {
        if (line_start && (*s == '.' || *s == '\''))
            fputs("\\&", out);
        if (*s == '\\')
            fputs("\\e", out);
        else if (*s == '-')
            fputs("\\-", out);
        else
            fputc(*s, out);
        line_start = *s == '\n';
    }
}

static void roff_option(FILE *out, int short_name, const char *name,
                        const char *arg, const char *help_text)
{
    fputs(".TP\n", out);
    if (short_name)
        fprintf(out, "\\fB\\-%c\\fR, ", short_name);
    fputs("\\fB\\-\\-", out);
    roff_text(out, name);
    fputs("\\fR", out);
    if (arg) {
        fputs(" \\fI", out);
        roff_text(out, arg);
        fputs("\\fR", out);
    }
    fputc('\n', out);
    roff_text(out, help_text);
    fputc('\n', out);
}

void cli_write_manual(FILE *out)
{
    fprintf(out,
            ".TH DEALGRAPH 1 \"\" \"dealgraph %s\" \"User Commands\"\n"
            ".SH NAME\n"
            "dealgraph \\- loops, exposure and stress in a ledger of company "
            "deals\n"
            ".SH SYNOPSIS\n"
            ".B dealgraph\n"
            ".I COMMAND\n"
            "[\\fIOPTIONS\\fR] \\fIFILE\\fR...\n"
            ".SH DESCRIPTION\n"
            "dealgraph turns a ledger of company deals (DOT or CSV) into a "
            "directed money-flow graph, finds its closed value loops, "
            "measures how much each company depends on one focal company, "
            "puts money on a calendar, simulates what a shortfall of the "
            "focus does to the others, and draws the web with Graphviz.\n"
            ".SH COMMANDS\n",
            DG_VERSION);
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *cmd = cli_commands[i];
        fprintf(out, ".SS \"dealgraph %s ", cmd->name);
        roff_text(out, cmd->usage);
        fputs("\"\n", out);
        roff_text(out, cmd->about);
        fputc('\n', out);
        for (const cli_option *o = cmd->options; o && o->name; o++)
            roff_option(out, o->short_name, o->name, o->arg, o->help);
        for (size_t k = 0; k < NSHARED; k++) {
            const shared_option *sh = &shared[k];
            if (!(cmd->shared & sh->group))
                continue;
            char list[64];
            if (sh->code == SHARED_FORMAT)
                list_formats(cmd->formats, list, sizeof list);
            roff_option(out, sh->short_name, sh->name,
                        sh->code == SHARED_FORMAT ? list : sh->arg, sh->help);
        }
        if (cmd->exits) {
            fputs(".PP\n", out);
            roff_text(out, cmd->exits);
            fputc('\n', out);
        }
    }
    fputs(".SH EXIT STATUS\n"
          "0 success; 1 a finding (a lint error, a broken rule, a change); 2 "
          "bad usage, an unreadable or invalid ledger.\n"
          ".SH FILES\n"
          "The ledger formats, the methods and every JSON field are "
          "documented in the docs/ directory of the source: format.md, "
          "methods.md, json.md, cli.md.\n"
          ".SH EXAMPLES\n"
          ".nf\n"
          "dealgraph lint \\-\\-strict deals.dot\n"
          "dealgraph loops deals.dot \\-\\-null 200\n"
          "dealgraph exposure deals.dot \\-\\-year 2027\n"
          "dealgraph report deals.dot \\-\\-format html \\-o report.html\n"
          ".fi\n",
          out);
}

void cli_write_completion(FILE *out)
{
    fputs("# bash completion for dealgraph, written by 'dealgraph help "
          "--completion'\n"
          "_dealgraph() {\n"
          "    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]}\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"",
          out);
    for (size_t i = 0; i < cli_ncommands; i++)
        fprintf(out, "%s%s", i ? " " : "", cli_commands[i]->name);
    fputs(" help --help --version\" -- \"$cur\"))\n"
          "        return\n"
          "    fi\n"
          "    local opts\n"
          "    case $cmd in\n",
          out);
    for (size_t i = 0; i < cli_ncommands; i++) {
        const cli_command *cmd = cli_commands[i];
        fprintf(out, "    %s) opts=\"", cmd->name);
        bool first = true;
        for (const cli_option *o = cmd->options; o && o->name; o++, first = false)
            fprintf(out, "%s--%s", first ? "" : " ", o->name);
        for (size_t k = 0; k < NSHARED; k++)
            if (cmd->shared & shared[k].group) {
                fprintf(out, "%s--%s", first ? "" : " ", shared[k].name);
                first = false;
            }
        fprintf(out, "%s--help\" ;;\n", first ? "" : " ");
    }
    fputs("    *) opts=\"--help\" ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -o filenames -F _dealgraph dealgraph\n",
          out);
}

/* ---- running ------------------------------------------------------------- */

static int bad_option(const char *cmd, char **argv)
{
    /* getopt leaves optind past the bad option; optopt holds a short one */
    const char *word = optind > 0 ? argv[optind - 1] : "?";
    if (optopt && optopt < 0x100 && !(word[0] == '-' && word[1] == '-'))
        cli_error("%s: unknown option '-%c' or missing value; see "
                  "'dealgraph %s --help'",
                  cmd, optopt, cmd);
    else
        cli_error("%s: unknown option or missing value in '%s'; see "
                  "'dealgraph %s --help'",
                  cmd, word, cmd);
    return EXIT_TROUBLE;
}

int cli_emit(const cli_doc *d, const cli_common *c)
{
    cli_output out;
    if (!cli_output_open_as(&out, c))
        return EXIT_TROUBLE;
    return cli_output_close(&out, doc_write(d, c->format, out.f))
               ? EXIT_OK
               : EXIT_TROUBLE;
}

/* Builds and writes the document of the one ledger of a `build` command. */
static int build_and_write(const cli_command *cmd, const cli_common *c,
                           const void *opts, int argc, char **argv)
{
    if (argc != 1) {
        cli_error("%s: give exactly one ledger; usage: dealgraph %s %s",
                  cmd->name, cmd->name, "FILE");
        return EXIT_TROUBLE;
    }
    dg_ledger *l = cli_load(argv[0], &c->load);
    if (!l)
        return EXIT_TROUBLE;
    cli_doc d;
    doc_init(&d);
    int code = cmd->build(&d, l, c, opts);
    if (code != EXIT_TROUBLE && cli_emit(&d, c) != EXIT_OK)
        code = EXIT_TROUBLE;
    doc_finish(&d);
    dg_ledger_destroy(l);
    return code;
}

/* The parsed options of one command: the shared ones in c, its own in
 * opts (allocated, with the command's defaults). */
typedef struct parsed {
    cli_common c;
    void *opts;
    int positional; /* index of the first positional argument */
    bool help;      /* --help was given (and written) */
} parsed;

/* Parses argv (argv[0] is the command's name). Returns EXIT_OK or
 * EXIT_TROUBLE after printing; p->opts is the caller's to free either
 * way. `base`, when not NULL, gives the shared options their values before
 * parsing (a report's sections inherit its filters). */
static int parse(const cli_command *cmd, int argc, char **argv,
                 const cli_common *base, parsed *p)
{
    struct option longopts[64];
    size_t n = 0;
    char shorts[32];
    size_t ns = 0;
    shorts[ns++] = 'h';
    for (size_t k = 0; k < NSHARED; k++) {
        if (!(cmd->shared & shared[k].group))
            continue;
        longopts[n++] = (struct option){shared[k].name, required_argument,
                                        NULL, shared[k].code};
        if (shared[k].short_name) {
            shorts[ns++] = (char)shared[k].short_name;
            shorts[ns++] = ':';
        }
    }
    size_t nown = 0;
    for (const cli_option *o = cmd->options; o && o->name; o++, nown++) {
        if (n + 2 >= sizeof longopts / sizeof longopts[0])
            break;
        longopts[n++] = (struct option){
            o->name, o->arg ? required_argument : no_argument, NULL,
            OWN_BASE + (int)nown};
        if (o->short_name && ns + 3 < sizeof shorts) {
            shorts[ns++] = (char)o->short_name;
            if (o->arg)
                shorts[ns++] = ':';
        }
    }
    longopts[n++] = (struct option){"help", no_argument, NULL, 'h'};
    longopts[n] = (struct option){NULL, 0, NULL, 0};
    shorts[ns] = '\0';

    memset(p, 0, sizeof *p);
    if (base) {
        p->c = *base;
        p->c.formats = cmd->formats;
    } else {
        cli_common_init(&p->c, cmd->formats);
    }
    p->opts = cmd->opts_size ? calloc(1, cmd->opts_size) : NULL;
    if (cmd->opts_size && !p->opts) {
        cli_out_of_memory();
        return EXIT_TROUBLE;
    }
    if (p->opts && cmd->defaults)
        cmd->defaults(p->opts);

    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, shorts, longopts, NULL)) != -1) {
        if (opt == 'h') {
            help(cmd);
            p->help = true;
            return EXIT_OK;
        }
        /* a short option stands for the long one of the same letter */
        for (size_t k = 0; k < NSHARED && opt < 0x100; k++)
            if (shared[k].short_name == opt && (cmd->shared & shared[k].group))
                opt = shared[k].code;
        for (size_t k = 0; k < nown && opt < 0x100; k++)
            if (cmd->options[k].short_name == opt)
                opt = OWN_BASE + (int)k;
        if (opt >= OWN_BASE && (size_t)(opt - OWN_BASE) < nown) {
            const cli_option *o = &cmd->options[opt - OWN_BASE];
            void *dst = (char *)p->opts + o->offset;
            if (!o->parse)
                *(bool *)dst = true;
            else if (!o->parse(cmd->name, o, optarg, dst))
                return EXIT_TROUBLE;
        } else if (opt >= SHARED_FORMAT && opt < OWN_BASE) {
            if (!shared_option_set(&p->c, cmd->name, opt, optarg))
                return EXIT_TROUBLE;
        } else {
            return bad_option(cmd->name, argv);
        }
    }
    p->positional = optind;
    return EXIT_OK;
}

int cli_dispatch(const cli_command *cmd, int argc, char **argv)
{
    parsed p;
    int code = parse(cmd, argc, argv, NULL, &p);
    if (code == EXIT_OK && !p.help) {
        int npos = argc - p.positional;
        char **pos = argv + p.positional;
        code = cmd->run ? cmd->run(&p.c, p.opts, npos, pos)
                        : build_and_write(cmd, &p.c, p.opts, npos, pos);
    }
    free(p.opts);
    return code;
}

int cli_build_part(const cli_command *cmd, const char *const *args,
                   cli_doc *d, const dg_ledger *l, const cli_common *c)
{
    char *argv[16];
    int argc = 0;
    argv[argc++] = (char *)(uintptr_t)cmd->name;
    for (; args && args[argc - 1] && argc < 15; argc++)
        argv[argc] = (char *)(uintptr_t)args[argc - 1];
    argv[argc] = NULL;
    parsed p;
    int code = parse(cmd, argc, argv, c, &p);
    if (code == EXIT_OK) {
        p.c.format = c->format;
        code = cmd->build(d, l, &p.c, p.opts);
    }
    free(p.opts);
    return code;
}

int cli_focus_resolve(const dg_ledger *l, const char *name, const char *cmd,
                      size_t *index, dg_diags *diags)
{
    /* TRANSITION: the library's dg_focus_resolve still holds this wording
     * for its own callers (the check rules, the renderer); it moves here
     * when they take the focus by index. */
    return dg_focus_resolve(l, name, cmd, index, diags);
}

bool cli_focus(const dg_ledger *l, const cli_common *c, const char *cmd,
               size_t *focus)
{
    dg_diags diags;
    dg_diags_init(&diags);
    int rc = cli_focus_resolve(l, c->focus, cmd, focus, &diags);
    if (rc != DG_OK) {
        size_t shown = 0;
        for (size_t i = 0; i < diags.count; i++)
            if (diags.items[i].severity == DG_SEV_ERROR && ++shown)
                cli_print_diag(&diags.items[i]);
        if (!shown)
            cli_error("%s: %s: %s", cmd, l->path, dg_strerror(rc));
    }
    dg_diags_finish(&diags);
    return rc == DG_OK;
}

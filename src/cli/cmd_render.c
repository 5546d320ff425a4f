/*
 * cmd_render.c - dealgraph render: the Graphviz picture of a ledger, as
 * SVG, PNG, PDF or the annotated DOT (render.h). The picture is bytes, not
 * a document: this command writes them itself.
 */
#include "cli.h"
#include "dealgraph/render.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char about[] =
    "Draws the ledger's money-flow graph with Graphviz: legs coloured by\n"
    "kind, wider for larger amounts, dashed or dotted when less firm or a\n"
    "ceiling, labelled with their amount; closed value loops drawn strong;\n"
    "companies grouped by sector and shaded by the share of their inflow\n"
    "that comes from the focal company; a legend and a caption. Two renders\n"
    "of one ledger are byte-identical. docs/render.md describes the picture.\n"
    "\n"
    "The extension of -o FILE picks the format (.svg .png .pdf .dot) unless\n"
    "-T gives it; without -o the picture goes to standard output (SVG\n"
    "unless -T says otherwise). PNG and PDF are not written to a terminal.\n"
    "A failed run leaves no file.";

/* -T: the format, and whether it was given (then it overrides the
 * output's extension). */
typedef struct typed_format {
    dg_render_format format;
    bool given;
} typed_format;

typedef struct render_opts {
    dg_render_options ro;
    typed_format typed;
} render_opts;

static void render_defaults(void *opts)
{
    dg_render_options_init(&((render_opts *)opts)->ro);
}

/* render's choices keep their words: "render: unknown WHAT 'X'; use HOW". */
static bool unknown(const char *cmd, const cli_option *o, const char *arg)
{
    cli_error("%s: unknown %s '%s'; use %s", cmd, o->value->what, arg,
              o->value->how);
    return false;
}

static bool parse_format(const char *cmd, const cli_option *o,
                         const char *arg, void *dst)
{
    typed_format *t = dst;
    if (!dg_render_format_parse(arg, &t->format))
        return unknown(cmd, o, arg);
    t->given = true;
    return true;
}

static bool parse_engine(const char *cmd, const cli_option *o,
                         const char *arg, void *dst)
{
    if (!dg_render_engine_known(arg))
        return unknown(cmd, o, arg);
    *(const char **)dst = arg;
    return true;
}

static bool parse_highlight(const char *cmd, const cli_option *o,
                            const char *arg, void *dst)
{
    if (!dg_highlight_parse(arg, (dg_highlight *)dst))
        return unknown(cmd, o, arg);
    return true;
}

static const cli_value format_value = {.what = "format",
                                       .how = "-T svg, png, pdf or dot"};
static const cli_value engine_value = {
    .what = "layout engine", .how = "-K dot, circo, neato, fdp or sfdp"};
static const cli_value highlight_value = {
    .what = "highlight", .how = "--highlight loops, focus or none"};
static const cli_value len_value = {
    .what = "a loop length",
    .how = "give a whole number of companies, 2 or more",
    .min = 2,
    .max = 1000000};

#define RO(field) offsetof(render_opts, ro.field)

static const cli_option options[] = {
    {"format", 'T', "FORMAT",
     "svg, png, pdf, or dot (the annotated graph, for your own Graphviz); "
     "overrides the extension",
     parse_format, offsetof(render_opts, typed), &format_value},
    {"engine", 'K', "ENGINE", "layout: dot (default), circo, neato, fdp, sfdp",
     parse_engine, RO(engine), &engine_value},
    {"highlight", 0, "MODE",
     "loops (default): legs on closed loops strong, the rest faded; focus: "
     "legs to and from the focal company; none",
     parse_highlight, RO(highlight), &highlight_value},
    {"loop", 0, "ID",
     "draw only the loop with this id and its legs ('dealgraph loops FILE' "
     "lists the ids)",
     cli_parse_string, RO(loop), NULL},
    {"title", 0, "TEXT", "the title (default: the ledger's title)",
     cli_parse_string, RO(title), NULL},
    {"max-len", 0, "N", "highlight loops of at most N companies",
     cli_parse_count, RO(max_len), &len_value},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

/* The library's diagnostics, warnings as "render: warning: X"; those of
 * a problem (render.h: dg_render_problems) with the option of this
 * command that changes the outcome. */
static void print_diags(const dg_diags *d, dg_severity sev,
                        const dg_render_problems *pr, const dg_ledger *l)
{
    for (size_t i = 0; i < d->count; i++) {
        const dg_diag *w = &d->items[i];
        if (w->severity != sev)
            continue;
        const char *x = strncmp(w->message, "render: ", 8) == 0
                            ? w->message + 8
                            : w->message;
        int p = 0;
        while (p < DG_RENDER_PROBLEM_COUNT && pr->diag[p] != i)
            p++;
        if (p == DG_RENDER_NO_FOCUS)
            cli_error("render: --highlight focus needs a focal company: %s "
                      "sets no `focus` graph attribute; give --focus NAME",
                      l->path);
        else if (p == DG_RENDER_NO_SUCH_LOOP)
            cli_error("render: %s; 'dealgraph loops %s' (or 'loops "
                      "--temporal') lists the ids under the same filters",
                      x, l->path);
        else if (p == DG_RENDER_TOO_MANY_LEGS)
            cli_error("render: %s; draw part of the ledger with --kinds, "
                      "--min-status, --as-of or --loop, or write the "
                      "annotated graph with -T dot",
                      x);
        else if (p == DG_RENDER_LOOPS_CUT)
            cli_error("render: warning: %s; give --max-len to bound the "
                      "loops",
                      x);
        else if (sev == DG_SEV_WARNING && w->file)
            cli_error("%s: render: warning: %s", w->file, x);
        else if (sev == DG_SEV_WARNING)
            cli_error("render: warning: %s", x);
        else
            cli_print_diag(w);
    }
}

static int render_run(const cli_common *c, const void *opts, int argc,
                      char **argv)
{
    const render_opts *o = opts;
    dg_render_options ro = o->ro;
    if (o->typed.given)
        ro.format = o->typed.format;
    if (argc != 1) {
        cli_error("render: give exactly one ledger; usage: dealgraph render "
                  "FILE -o OUT");
        return EXIT_TROUBLE;
    }
    bool to_stdout = !c->output || strcmp(c->output, "-") == 0;
    if (!o->typed.given && !to_stdout &&
        !dg_render_format_from_path(c->output, &ro.format)) {
        cli_error("render: cannot tell the format of '%s' from its "
                  "extension; name it .svg, .png, .pdf or .dot, or give -T "
                  "FORMAT",
                  c->output);
        return EXIT_TROUBLE;
    }
    if (to_stdout && dg_render_format_binary(ro.format) && isatty(1)) {
        cli_error("render: %s is binary and standard output is a terminal; "
                  "give -o FILE or redirect the output",
                  dg_render_format_name(ro.format));
        return EXIT_TROUBLE;
    }
    ro.filter = c->filter;
    /* cairo writes a PDF's CreationDate with the local time zone's offset,
     * whose length varies ("Z" or "+02'00"); render.c pins the date but
     * cannot change its length, so this process renders in UTC. */
    setenv("TZ", "UTC", 1);
    tzset();

    dg_ledger *l = cli_load(argv[0], &c->load);
    if (!l)
        return EXIT_TROUBLE;
    /* --focus is worded as every command words it; the library checks it
     * again (the ledger's own focus is its business alone) */
    size_t focus;
    if (c->focus && !cli_focus(l, c, "render", &focus)) {
        dg_ledger_destroy(l);
        return EXIT_TROUBLE;
    }
    ro.focus = c->focus;
    dg_render_problems problems;
    ro.problems = &problems;
    dg_diags diags;
    dg_diags_init(&diags);
    char *data = NULL;
    size_t len = 0;
    int code = EXIT_OK;
    int rc = dg_render(l, &ro, &data, &len, &diags);
    if (rc != DG_OK) {
        print_diags(&diags, DG_SEV_ERROR, &problems, l);
        if (!diags.errors)
            cli_error("render: %s", dg_strerror(rc));
        code = EXIT_TROUBLE;
        goto done;
    }
    print_diags(&diags, DG_SEV_WARNING, &problems, l);
    if (diags.oom) /* a warning could not be kept: not silently lost */
        cli_out_of_memory();
    cli_output out;
    if (!cli_output_open(&out, c->output)) {
        code = EXIT_TROUBLE;
        goto done;
    }
    bool ok = fwrite(data, 1, len, out.f) == len;
    if (!cli_output_close(&out, ok))
        code = EXIT_TROUBLE;
done:
    free(data);
    dg_diags_finish(&diags);
    dg_ledger_destroy(l);
    dg_render_shutdown();
    return code;
}

const cli_command cli_cmd_render = {
    .name = "render",
    .summary = "Graphviz picture: SVG, PNG, PDF or annotated DOT",
    .usage = "[OPTIONS] FILE -o OUT",
    .about = about,
    .exits = "Exit codes: 0 success, 2 bad usage, unreadable or invalid "
             "input, or an\noutput that cannot be written.",
    .shared = CLI_SHARE_OUTPUT | CLI_SHARE_FILTERS | CLI_SHARE_COMPANIES |
              CLI_SHARE_FOCUS,
    .options = options,
    .opts_size = sizeof(render_opts),
    .defaults = render_defaults,
    .run = render_run,
};

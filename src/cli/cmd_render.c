/*
 * cmd_render.c - dealgraph render: the Graphviz picture of a ledger, as
 * SVG, PNG, PDF or the annotated DOT (render.h).
 */
#include "cli.h"
#include "dealgraph/render.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: dealgraph render [OPTIONS] FILE -o OUT\n"
    "\n"
    "Draws the ledger's money-flow graph with Graphviz: legs coloured by\n"
    "kind, wider for larger amounts, dashed or dotted when less firm or a\n"
    "ceiling, labelled with their amount; closed value loops drawn strong;\n"
    "companies grouped by sector and shaded by the share of their inflow\n"
    "that comes from the focal company; a legend and a caption. Two renders\n"
    "of one ledger are byte-identical. docs/render.md describes the picture.\n"
    "\n"
    "  -o, --output FILE       write there; its extension picks the format\n"
    "                          (.svg .png .pdf .dot); without -o, standard\n"
    "                          output (SVG unless -T says otherwise)\n"
    "  -T, --format FORMAT     svg, png, pdf, or dot (the annotated graph,\n"
    "                          for your own Graphviz); overrides the extension\n"
    "  -K, --engine ENGINE     layout: dot (default), circo, neato, fdp, sfdp\n"
    "  --highlight MODE        loops (default): legs on closed loops strong,\n"
    "                          the rest faded; focus: legs to and from the\n"
    "                          focal company; none\n"
    "  --loop ID               draw only the loop with this id and its legs\n"
    "                          ('dealgraph loops FILE' lists the ids)\n"
    "  --title TEXT            the title (default: the ledger's title)\n"
    "  --focus NAME            the focal company (default: the ledger's)\n"
    "  --max-len N             highlight loops of at most N companies\n"
    "  --min-status STATUS     draw legs at least this firm (completed,\n"
    "                          definitive, announced, reported, loi, talks)\n"
    "  --kinds K1,K2           draw legs of these kinds\n"
    "  --as-of DATE            draw legs announced on or before DATE\n"
    "  --amounts SCENARIO      disclosed (default), low, mid or high: fill\n"
    "                          undisclosed legs from their estimate range\n"
    "  --companies FILE        the companies file of a CSV ledger\n"
    "\n"
    "PNG and PDF are not written to a terminal. A failed run leaves no file.\n"
    "Exit codes: 0 success, 2 bad usage, unreadable or invalid input, or an\n"
    "output that cannot be written.\n";

enum {
    O_HIGHLIGHT = 0x201,
    O_LOOP,
    O_TITLE,
    O_FOCUS,
    O_MAXLEN,
};

static bool parse_len(const char *s, size_t *out)
{
    if (!s || *s < '0' || *s > '9')
        return false;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v < 2 || v > 1000000)
        return false;
    *out = (size_t)v;
    return true;
}

static void print_diags(const dg_diags *d, dg_severity sev)
{
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].severity != sev)
            continue;
        if (sev == DG_SEV_WARNING) {
            /* "render: X" -> "render: warning: X" */
            const dg_diag *w = &d->items[i];
            const char *rest = strncmp(w->message, "render: ", 8) == 0
                                   ? w->message + 8
                                   : w->message;
            if (w->file && w->line > 0)
                cli_error("%s:%ld: render: warning: %s", w->file, w->line,
                          rest);
            else if (w->file)
                cli_error("%s: render: warning: %s", w->file, rest);
            else
                cli_error("render: warning: %s", rest);
        } else {
            cli_print_diag(&d->items[i]);
        }
    }
}

int cmd_render(int argc, char **argv)
{
    static const struct option options[] = {
        {"output", required_argument, NULL, 'o'},
        {"format", required_argument, NULL, 'T'},
        {"engine", required_argument, NULL, 'K'},
        {"highlight", required_argument, NULL, O_HIGHLIGHT},
        {"loop", required_argument, NULL, O_LOOP},
        {"title", required_argument, NULL, O_TITLE},
        {"focus", required_argument, NULL, O_FOCUS},
        {"max-len", required_argument, NULL, O_MAXLEN},
        {"min-status", required_argument, NULL, 0x101},
        {"kinds", required_argument, NULL, 0x102},
        {"as-of", required_argument, NULL, 0x103},
        {"amounts", required_argument, NULL, 0x104},
        {"companies", required_argument, NULL, 0x105},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, 0);
    dg_render_options ro;
    dg_render_options_init(&ro);
    const char *format = NULL;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:T:K:h", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            cli_help(help);
            return EXIT_OK;
        case 'T':
            if (!dg_render_format_parse(optarg, &ro.format)) {
                cli_error("render: unknown format '%s'; use -T svg, png, pdf "
                          "or dot",
                          optarg);
                return EXIT_TROUBLE;
            }
            format = optarg;
            break;
        case 'K':
            if (!dg_render_engine_known(optarg)) {
                cli_error("render: unknown layout engine '%s'; use -K dot, "
                          "circo, neato, fdp or sfdp",
                          optarg);
                return EXIT_TROUBLE;
            }
            ro.engine = optarg;
            break;
        case O_HIGHLIGHT:
            if (!dg_highlight_parse(optarg, &ro.highlight)) {
                cli_error("render: unknown highlight '%s'; use --highlight "
                          "loops, focus or none",
                          optarg);
                return EXIT_TROUBLE;
            }
            break;
        case O_LOOP:
            ro.loop = optarg;
            break;
        case O_TITLE:
            ro.title = optarg;
            break;
        case O_FOCUS:
            ro.focus = optarg;
            break;
        case O_MAXLEN:
            if (!parse_len(optarg, &ro.max_len)) {
                cli_error("render: --max-len '%s' is not a loop length; give "
                          "a whole number of companies, 2 or more",
                          optarg);
                return EXIT_TROUBLE;
            }
            break;
        case '?':
            return cli_bad_option("render", argv);
        default: {
            int r = cli_common_option(&c, "render", opt, optarg);
            if (r < 0)
                return EXIT_TROUBLE;
            if (r == 0)
                return cli_bad_option("render", argv);
        }
        }
    }
    if (argc - optind != 1) {
        cli_error("render: give exactly one ledger; usage: dealgraph render "
                  "FILE -o OUT");
        return EXIT_TROUBLE;
    }
    const char *path = argv[optind];
    bool to_stdout = !c.output || strcmp(c.output, "-") == 0;
    if (!format && !to_stdout &&
        !dg_render_format_from_path(c.output, &ro.format)) {
        cli_error("render: cannot tell the format of '%s' from its "
                  "extension; name it .svg, .png, .pdf or .dot, or give -T "
                  "FORMAT",
                  c.output);
        return EXIT_TROUBLE;
    }
    if (to_stdout && dg_render_format_binary(ro.format) && isatty(1)) {
        cli_error("render: %s is binary and standard output is a terminal; "
                  "give -o FILE or redirect the output",
                  dg_render_format_name(ro.format));
        return EXIT_TROUBLE;
    }
    ro.filter = c.filter;
    /* cairo writes a PDF's CreationDate with the local time zone's offset,
     * whose length varies ("Z" or "+02'00"); render.c pins the date but
     * cannot change its length, so this process renders in UTC. */
    setenv("TZ", "UTC", 1);
    tzset();

    dg_ledger *l = cli_load(path, &c.load);
    if (!l)
        return EXIT_TROUBLE;
    dg_diags diags;
    dg_diags_init(&diags);
    char *data = NULL;
    size_t len = 0;
    int code = EXIT_OK;
    int rc = dg_render(l, &ro, &data, &len, &diags);
    if (rc != DG_OK) {
        print_diags(&diags, DG_SEV_ERROR);
        size_t errors = diags.errors;
        if (!errors)
            cli_error("render: %s", dg_strerror(rc));
        code = EXIT_TROUBLE;
        goto done;
    }
    print_diags(&diags, DG_SEV_WARNING);
    if (diags.oom) /* a warning could not be kept: not silently lost */
        cli_out_of_memory();
    cli_output out;
    if (!cli_output_open(&out, c.output)) {
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

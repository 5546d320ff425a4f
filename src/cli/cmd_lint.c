/*
 * cmd_lint.c - dealgraph lint: every problem of every file, as
 * FILE:LINE: error|warning: message.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
    "usage: dealgraph lint [OPTIONS] FILE...\n"
    "\n"
    "Reads each ledger (DOT, or CSV: deals.csv, a directory holding it)\n"
    "and reports every problem found as FILE:LINE: error|warning: message.\n"
    "\n"
    "  --strict             also require a source on every leg\n"
    "  --warnings-as-errors exit 1 on warnings too\n"
    "  --companies FILE     the companies file of a CSV ledger\n"
    "  --format text|json   output format (default text)\n"
    "  -o, --output FILE    write there instead of standard output\n"
    "\n"
    "Exit codes: 0 no errors, 1 errors found, 2 a file could not be read or\n"
    "bad usage.\n";

static void print_text(FILE *out, const dg_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        const dg_diag *x = &d->items[i];
        const char *sev = x->severity == DG_SEV_ERROR ? "error" : "warning";
        if (x->line > 0)
            fprintf(out, "%s:%ld: %s: %s\n", x->file, x->line, sev,
                    x->message);
        else
            fprintf(out, "%s: %s: %s\n", x->file ? x->file : "-", sev,
                    x->message);
    }
}

static json_t *diags_json(const dg_diags *d, size_t files)
{
    json_t *doc = cli_json_document();
    json_t *arr = json_array();
    if (!doc || !arr) {
        json_decref(doc);
        json_decref(arr);
        return NULL;
    }
    for (size_t i = 0; i < d->count; i++) {
        const dg_diag *x = &d->items[i];
        json_t *o = json_pack(
            "{s:o, s:I, s:s, s:o}", "file", cli_json_text(x->file), "line",
            (json_int_t)x->line, "severity",
            x->severity == DG_SEV_ERROR ? "error" : "warning", "message",
            cli_json_text(x->message));
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            json_decref(doc);
            return NULL;
        }
    }
    json_object_set_new(doc, "files", json_integer((json_int_t)files));
    json_object_set_new(doc, "errors", json_integer((json_int_t)d->errors));
    json_object_set_new(doc, "warnings",
                        json_integer((json_int_t)d->warnings));
    json_object_set_new(doc, "problems", arr);
    return doc;
}

int cmd_lint(int argc, char **argv)
{
    static const struct option options[] = {
        {"strict", no_argument, NULL, 's'},
        {"warnings-as-errors", no_argument, NULL, 'W'},
        CLI_COMMON_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    cli_common c;
    cli_common_init(&c, (1u << CLI_OUT_TEXT) | (1u << CLI_OUT_JSON));
    bool werror = false;
    int opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "f:o:h", options, NULL)) != -1) {
        if (opt == 'h') {
            cli_help(help);
            return EXIT_OK;
        } else if (opt == 's') {
            c.load.strict = true;
        } else if (opt == 'W') {
            werror = true;
        } else if (opt == '?') {
            return cli_bad_option("lint", argv);
        } else {
            int r = cli_common_option(&c, "lint", opt, optarg);
            if (r < 0)
                return EXIT_TROUBLE;
            if (r == 0)
                return cli_bad_option("lint", argv);
        }
    }
    if (optind >= argc) {
        cli_error("lint: no ledger given; usage: dealgraph lint FILE...");
        return EXIT_TROUBLE;
    }
    dg_diags diags;
    dg_diags_init(&diags);
    bool unreadable = false;
    for (int i = optind; i < argc; i++) {
        int status = DG_OK;
        size_t first = diags.count;
        dg_ledger *l = dg_ledger_load(argv[i], &c.load, &diags, &status);
        dg_ledger_destroy(l);
        if (status == DG_EIO || status == DG_ENOMEM || status == DG_ELIMIT) {
            /* not a finding about the ledger: trouble, said on stderr */
            unreadable = true;
            size_t shown = 0;
            for (size_t k = first; k < diags.count; k++)
                if (status != DG_ENOMEM &&
                    diags.items[k].severity == DG_SEV_ERROR) {
                    cli_print_diag(&diags.items[k]);
                    shown++;
                }
            if (status == DG_ENOMEM) /* the list is not kept */
                cli_out_of_memory_in(argv[i]);
            else if (shown == 0) /* a message that could not be kept */
                cli_error("%s: %s", argv[i], dg_strerror(status));
        }
    }
    if (diags.oom) { /* a problem went unrecorded: the list is not whole */
        cli_out_of_memory();
        unreadable = true;
    }
    dg_diags_sort(&diags);
    int code = EXIT_OK;
    if (diags.errors > 0 || (werror && diags.warnings > 0))
        code = EXIT_FINDING;
    if (unreadable)
        code = EXIT_TROUBLE;
    cli_output out;
    if (!cli_output_open_as(&out, &c)) {
        dg_diags_finish(&diags);
        return EXIT_TROUBLE;
    }
    bool ok = true;
    if (c.format == CLI_OUT_JSON) {
        json_t *doc = diags_json(&diags, (size_t)(argc - optind));
        ok = cli_json_write(doc, out.f);
        json_decref(doc);
    } else {
        print_text(out.f, &diags);
    }
    if (!cli_output_close(&out, ok))
        code = EXIT_TROUBLE;
    if (code == EXIT_FINDING && c.format == CLI_OUT_TEXT)
        fprintf(stderr, "dealgraph: lint: %zu error%s, %zu warning%s\n",
                diags.errors, diags.errors == 1 ? "" : "s", diags.warnings,
                diags.warnings == 1 ? "" : "s");
    dg_diags_finish(&diags);
    return code;
}

/*
 * cmd_lint.c - dealgraph lint: every problem of every file, as
 * FILE:LINE: error|warning: message.
 */
#include "cli.h"
#include "dealgraph/text.h"

#include <stddef.h>

static const char about[] =
    "Reads each ledger (DOT, or CSV: deals.csv, a directory holding it)\n"
    "and reports every problem found as FILE:LINE: error|warning: message.";

typedef struct lint_opts {
    bool strict;
    bool werror;
} lint_opts;

static const cli_option options[] = {
    {"strict", 0, NULL, "also require a source on every leg", NULL,
     offsetof(lint_opts, strict), NULL},
    {"warnings-as-errors", 0, NULL, "exit 1 on warnings too", NULL,
     offsetof(lint_opts, werror), NULL},
    {NULL, 0, NULL, NULL, NULL, 0, NULL},
};

static const char *severity(const dg_diag *x)
{
    return x->severity == DG_SEV_ERROR ? "error" : "warning";
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
        json_t *o = json_pack("{s:o, s:I, s:s, s:o}", "file",
                              cli_json_text(x->file), "line",
                              (json_int_t)x->line, "severity", severity(x),
                              "message", cli_json_text(x->message));
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

/* The problems as a document: one line each, as compilers write them (so
 * editors jump to them), in one paragraph; nothing when there are none. */
static void lint_document(cli_doc *d, const dg_diags *diags, size_t files,
                          cli_out_format format)
{
    if (format == CLI_OUT_JSON) /* the list again, only when it is shown */
        doc_json(d, diags_json(diags, files));
    dg_buf b;
    dg_buf_init(&b);
    for (size_t i = 0; i < diags->count; i++) {
        const dg_diag *x = &diags->items[i];
        const char *sep = i ? "\n" : "";
        if (x->line > 0)
            dg_buf_printf(&b, "%s%s:%ld: %s: %s", sep, x->file, x->line,
                          severity(x), x->message);
        else
            dg_buf_printf(&b, "%s%s: %s: %s", sep, x->file ? x->file : "-",
                          severity(x), x->message);
    }
    if (b.oom)
        d->oom = true;
    else if (b.len)
        doc_para(d, "%s", b.data);
    dg_buf_finish(&b);
}

/* Loads `path` for its problems only. Returns false when it could not be
 * read at all: trouble, said on stderr, not a finding about the ledger. */
static bool lint_file(const char *path, const dg_load_options *load,
                      dg_diags *diags)
{
    int status = DG_OK;
    size_t first = diags->count;
    dg_ledger_destroy(dg_ledger_load(path, load, diags, &status));
    if (status != DG_EIO && status != DG_ENOMEM && status != DG_ELIMIT)
        return true;
    if (status == DG_ENOMEM) { /* the list is not kept */
        cli_out_of_memory_in(path);
        return false;
    }
    size_t shown = 0;
    for (size_t k = first; k < diags->count; k++)
        if (diags->items[k].severity == DG_SEV_ERROR) {
            cli_print_diag(&diags->items[k]);
            shown++;
        }
    if (shown == 0) /* a message that could not be kept */
        cli_error("%s: %s", path, dg_strerror(status));
    return false;
}

static int lint_run(const cli_common *c, const void *opts, int argc,
                    char **argv)
{
    const lint_opts *o = opts;
    if (argc < 1) {
        cli_error("lint: no ledger given; usage: dealgraph lint FILE...");
        return EXIT_TROUBLE;
    }
    dg_load_options load = c->load;
    load.strict = o->strict;
    dg_diags diags;
    dg_diags_init(&diags);
    bool unreadable = false;
    for (int i = 0; i < argc; i++)
        if (!lint_file(argv[i], &load, &diags))
            unreadable = true;
    if (diags.oom) { /* a problem went unrecorded: the list is not whole */
        cli_out_of_memory();
        unreadable = true;
    }
    dg_diags_sort(&diags);
    int code = EXIT_OK;
    if (diags.errors > 0 || (o->werror && diags.warnings > 0))
        code = EXIT_FINDING;
    if (unreadable)
        code = EXIT_TROUBLE;
    cli_doc d;
    doc_init(&d);
    lint_document(&d, &diags, (size_t)argc, c->format);
    cli_output out;
    if (!cli_output_open_as(&out, c))
        code = EXIT_TROUBLE;
    else if (!cli_output_close(&out, doc_write(&d, c->format, out.f)))
        code = EXIT_TROUBLE;
    doc_finish(&d);
    if (code == EXIT_FINDING && c->format == CLI_OUT_TEXT)
        cli_error("lint: %zu error%s, %zu warning%s", diags.errors,
                  diags.errors == 1 ? "" : "s", diags.warnings,
                  diags.warnings == 1 ? "" : "s");
    dg_diags_finish(&diags);
    return code;
}

const cli_command cli_cmd_lint = {
    .name = "lint",
    .summary = "validate ledgers; problems as FILE:LINE: message",
    .usage = "[OPTIONS] FILE...",
    .about = about,
    .exits = "Exit codes: 0 no errors, 1 errors found, 2 a file could not "
             "be read or\nbad usage.",
    .formats = DOC_TEXT | DOC_JSON,
    .shared = CLI_SHARE_FORMAT | CLI_SHARE_OUTPUT | CLI_SHARE_COMPANIES,
    .options = options,
    .opts_size = sizeof(lint_opts),
    .run = lint_run,
};

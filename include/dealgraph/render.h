/*
 * render.h - the picture of a ledger: an annotated Graphviz graph (legs
 * coloured by kind, width by amount, dash style by firmness, loops
 * highlighted, companies grouped by sector and shaded by their direct
 * inflow share from the focal company, a legend and a caption), written as
 * DOT or laid out and rendered in-process with gvc to SVG, PNG or PDF.
 *
 * The annotated DOT is the single source of the picture: the renderer
 * writes it, reads it back with cgraph and hands that graph to gvc, so
 * `dot -Tsvg` on the DOT output draws the same picture. What each colour,
 * width and style means: docs/render.md.
 *
 * Conventions
 *  - Deterministic: the same ledger and options give byte-identical output
 *    in every format (PDF: cairo's CreationDate is replaced by the ledger's
 *    as_of date, see dg_render).
 *  - Never prints, never exits. Problems go to a dg_diags list; Graphviz's
 *    own messages are captured (agseterr/aglasterr), never printed.
 *  - Not thread-safe (cgraph and gvc keep global state). gvc is used
 *    through one GVC_t per process, created on first use; see
 *    dg_render_shutdown().
 */
#ifndef DG_RENDER_H
#define DG_RENDER_H

#include "dealgraph/dealgraph.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum {
    DG_RENDER_SVG,
    DG_RENDER_PNG,
    DG_RENDER_PDF,
    DG_RENDER_DOT, /* the annotated graph, not laid out */
    DG_RENDER_FORMAT_COUNT
} dg_render_format;

typedef enum {
    DG_HIGHLIGHT_LOOPS, /* legs on a closed loop strong, the rest faded */
    DG_HIGHLIGHT_FOCUS, /* legs to or from the focal company strong */
    DG_HIGHLIGHT_NONE,  /* every leg drawn alike (loop classes stay) */
} dg_highlight;

/* What a render could not honour (an error) or had to cut short (a
 * warning). dg_render's diagnostics say it in terms of the ledger and the
 * picture; a caller with options of its own (a command line) finds the
 * diagnostic through dg_render_options.problems and adds which of its
 * options changes the outcome. */
typedef enum {
    DG_RENDER_NO_FOCUS,      /* error (DG_EUSAGE): legs of the focal company
                                highlighted, and there is none */
    DG_RENDER_NO_SUCH_LOOP,  /* error (DG_EUSAGE): `loop` is no loop's id */
    DG_RENDER_TOO_MANY_LEGS, /* error (DG_ELIMIT): more legs than
                                DG_RENDER_MAX_LEGS to lay out */
    DG_RENDER_LOOPS_CUT,     /* warning: only the first loops are marked
                                (`max_len` bounds them) */
    DG_RENDER_PROBLEM_COUNT
} dg_render_problem;

typedef struct dg_render_problems {
    /* per dg_render_problem: the index in `diags` of the diagnostic that
     * reports it; SIZE_MAX when it did not arise, or when its diagnostic
     * could not be kept (diags->oom) */
    size_t diag[DG_RENDER_PROBLEM_COUNT];
} dg_render_problems;

typedef struct dg_render_options {
    dg_render_format format;
    const char *engine;     /* layout engine: "dot" (NULL = "dot"),
                               "circo", "neato", "fdp", "sfdp" */
    dg_highlight highlight;
    const char *loop;       /* draw only the loop with this id; NULL = all */
    const char *title;      /* NULL = the ledger's title, else its file name */
    const char *focus;      /* focal company; NULL = the ledger's focus */
    size_t max_len;         /* highlight loops of at most this many
                               companies, 2 or more; 0 = any length */
    dg_filter filter;       /* which legs are drawn, and the amounts */
    dg_render_problems *problems; /* optional, filled by dg_render (as
                               curl's error buffer is): which diagnostic
                               says what; NULL = not wanted */
} dg_render_options;

/* Defaults: SVG, dot, highlight loops, everything drawn, no problems
 * noted. */
void dg_render_options_init(dg_render_options *o);

/* "svg", "png", "pdf", "dot" (any case; "gv" is DOT). */
bool dg_render_format_parse(const char *text, dg_render_format *out);
const char *dg_render_format_name(dg_render_format f); /* static */
/* The format named by a file name's extension (.svg .png .pdf .dot .gv,
 * any case); false when it has none of them. */
bool dg_render_format_from_path(const char *path, dg_render_format *out);
/* True for the formats that are binary (PNG, PDF). */
bool dg_render_format_binary(dg_render_format f);
/* True for the layout engines render accepts. */
bool dg_render_engine_known(const char *name);
bool dg_highlight_parse(const char *text, dg_highlight *out);

/* The most legs the laid-out formats (SVG, PNG, PDF) draw. Graphviz's dot
 * layout with these labels grows much faster than the graph: 400 legs
 * between 200 companies take about 20 s, 900 between 300 more than five
 * minutes, and a layout cannot be interrupted. Above it dg_render returns
 * DG_ELIMIT (DG_RENDER_TOO_MANY_LEGS); the DOT output has no limit. */
#define DG_RENDER_MAX_LEGS 400

/* Renders `l` as `opt` says. On DG_OK *data holds the output (malloc'd,
 * owned by the caller: free()) and *len its size in bytes; the DOT and SVG
 * outputs end with a newline.
 *
 * Returns DG_OK; DG_EUSAGE with an error in `diags` for an option that
 * cannot be honoured or does not fit the ledger (a `focus` that names no
 * company, a `loop` id no loop has, highlight focus without a focal
 * company, a `max_len` of 1, an unknown engine, format or highlight);
 * DG_EINTERNAL when Graphviz failed (its message in `diags`); DG_ELIMIT
 * for a laid-out format of more than DG_RENDER_MAX_LEGS legs; DG_ENOMEM.
 * Graphviz warnings and notes about the picture (loops cut short by the
 * limit) are added to `diags` as warnings. opt->problems, when set, says
 * which of the diagnostics are the dg_render_problem cases. */
int dg_render(const dg_ledger *l, const dg_render_options *opt, char **data,
              size_t *len, dg_diags *diags);

/* Frees the process's gvc context, if one was made. Call it once, at the
 * end: a second context after the first was freed reads freed memory in
 * Graphviz's pango plugin (STACK-NOTES.md), so after this call dg_render
 * refuses the laid-out formats with DG_EUSAGE. DOT output still works. */
void dg_render_shutdown(void);

#endif /* DG_RENDER_H */

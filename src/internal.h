/*
 * internal.h - helpers shared by the library's modules; not installed.
 */
#ifndef DG_INTERNAL_H
#define DG_INTERNAL_H

#include "dealgraph/dealgraph.h"
#include "dealgraph/text.h"

#include <stdarg.h>
#include <stdio.h>

/* ---- strings ----------------------------------------------------------- */

char *dg_strdup(const char *s);             /* NULL for NULL or no memory */
char *dg_strndup(const char *s, size_t n);
/* ASCII case-insensitive equality. */
bool dg_streq_nocase(const char *a, const char *b);
/* Writes `s` for a one-line message: control characters as \n, \t, \xNN,
 * cut to `max` bytes with "..." after. Returns buf. */
const char *dg_quote(const char *s, size_t max, dg_buf *buf);

/* The candidate closest to `word` by edit distance (case-insensitive),
 * when it is close enough to be a likely typo; NULL otherwise. */
const char *dg_closest(const char *word, const char *const *candidates,
                       size_t n);

/* Line number (1-based) of byte offset `off` in `text`. */
long dg_line_of(const char *text, size_t off);

/* Numbers the companies of `l` in name order (strcmp): company[k] is the
 * ledger index of the k-th name, rank[c] the position of company c. Both
 * arrays hold l->ncompanies entries, the caller's. Computations that run
 * in name order give the same result whatever the order of the file. */
void dg_name_order(const dg_ledger *l, size_t *company, size_t *rank);

/* ---- files ------------------------------------------------------------- */

/* Reads a whole file into memory (NUL-terminated; *len excludes the NUL).
 * Errors (missing, a directory, too large) go to diags with the path.
 * Returns DG_OK, DG_EIO, DG_ELIMIT or DG_ENOMEM. */
int dg_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                 dg_diags *diags);
/* True when `path` names a directory. */
bool dg_is_dir(const char *path);

/* ---- attributes shared by the loaders ----------------------------------- */

/* Where an attribute came from, for messages. */
/* True when a DOT quoted string can hold `s` exactly (check.c): no
 * backslash just before a line break, no line break alone between quotes,
 * backslashes or the ends (cgraph drops it), no odd run of backslashes at
 * the end or just before a quote. */
bool dg_dot_writable_text(const char *s);
#define DG_DOT_TEXT_PROBLEM                                                 \
    "DOT cannot hold a backslash just before a line break, a line break "  \
    "alone between quotes, backslashes or the ends of the text, or an odd " \
    "run of backslashes at the end or just before a quote; remove one or " \
    "move it"

typedef struct dg_where {
    const char *file;
    long line;
    dg_diags *diags;
} dg_where;

/* Which leg attributes were seen, for the required-field checks. */
typedef struct dg_leg_seen {
    bool kind, status, announced;
} dg_leg_seen;

void dg_leg_init(dg_leg *leg);
/* Applies one textual attribute to a leg. Unknown names are a warning
 * ("unknown leg attribute"), bad values an error. `what` names the leg in
 * messages ("leg OpenAI -> AMD"). Returns DG_OK or DG_ENOMEM. */
int dg_leg_set(dg_leg *leg, dg_leg_seen *seen, const char *name,
               const char *value, const char *what, const dg_where *w);
/* Checks required fields and ranges once all attributes are set. */
void dg_leg_validate(const dg_leg *leg, const dg_leg_seen *seen,
                     const char *what, bool strict, const dg_where *w);
/* Frees the strings of a leg that was never added to a ledger. */
void dg_leg_clear(dg_leg *leg);

/* Where a leg's delivery period comes from (schedule.c). */
typedef enum {
    DG_PERIOD_NONE,    /* neither end, term, nor a total's weights */
    DG_PERIOD_END,     /* end, inclusive */
    DG_PERIOD_TERM,    /* term_months from the start */
    DG_PERIOD_WEIGHTS, /* twelve months per weight of a total's profile */
} dg_period_from;

/* The delivery period of a leg as month indexes (schedule.h): *first is
 * the month of start, else announced (-1 when neither is set); *last the
 * month of end, else *first + term - 1, else the last month of a total's
 * weights. Returns false (and *last = -1) when no period is known. The
 * one definition the schedules and lint share; *last may precede *first. */
bool dg_leg_period(const dg_leg *leg, int *first, long long *last,
                   dg_period_from *from);

/* The error for a ledger over DG_MAX_COMPANIES or DG_MAX_LEGS (`legs`
 * says which), at file:line. Returns DG_ELIMIT (DG_ENOMEM when the
 * message could not be stored). */
int dg_limit_error(dg_diags *diags, const char *file, long line, bool legs);

void dg_company_init(dg_company *c);
int dg_company_set(dg_company *c, const char *name, const char *value,
                   const dg_where *w);
int dg_graph_set(dg_ledger *l, const char *name, const char *value,
                 const dg_where *w);


/* Resolves `supersedes` to legs and sets each leg's `ends` and
 * `superseded_by` (link.c). Errors (a name that is no leg or deal, a leg
 * replacing later money, a repeated leg id) go to diags. DG_OK or
 * DG_ENOMEM. */
int dg_ledger_link(dg_ledger *l, dg_diags *diags);

/* ---- loaders on text (load_dot.c, load_csv.c) ---------------------------- */

/* Parse `text` (len bytes, NUL-terminated, no BOM) into the empty ledger
 * `l`. Problems go to diags. Return DG_OK, DG_EINPUT or DG_ENOMEM. */
int dg_parse_dot(dg_ledger *l, const char *text, size_t len, const char *file,
                 const dg_load_options *opt, dg_diags *diags);
/* `companies` is the companies file to read too, or NULL; `graph` the
 * graph attributes file, or NULL. */
int dg_parse_csv(dg_ledger *l, const char *text, size_t len, const char *file,
                 const char *companies, const char *graph,
                 const dg_load_options *opt, dg_diags *diags);
/* Reads a text file for a loader: the size limit, a UTF-8 BOM removed,
 * NUL bytes and invalid UTF-8 rejected with their line. *start points
 * past the BOM inside *data (free *data). On failure *data is NULL. */
int dg_read_text(const char *path, const dg_load_options *opt, char **data,
                 const char **start, size_t *len, dg_diags *diags);

/* ---- DOT text scanning (dotscan.c) -------------------------------------- */

/* What our own pass over DOT text finds: the structural problems cgraph
 * reports badly or not at all, and the line of every edge and node. */
typedef struct dg_dot_edge {
    char *tail, *head;
    long line;
    bool used; /* matched to a cgraph edge */
} dg_dot_edge;

typedef struct dg_dot_node {
    char *name;
    long line; /* the line of its last statement with attributes, else the
                  first line it appears on */
} dg_dot_node;

/* Braces ({ of the graph and of subgraphs) nest at most this deep: the
 * statement parser recurses on them, and cgraph's own parser gives up
 * ("memory exhausted") a few thousand levels down. */
#define DG_DOT_MAX_DEPTH 1000
/* At most this many different attribute names in one DOT file: cgraph
 * gives every node and edge a slot for every name declared for its kind,
 * so n names over m objects cost n * m (20000 names on 20000 nodes, a
 * 340 KB file, ran for minutes). A ledger uses a few dozen. */
#define DG_DOT_MAX_ATTRS 200

typedef struct dg_dot_scan {
    dg_dot_edge *edges;
    size_t nedges, cap_edges, cursor;
    dg_dot_node *nodes;
    size_t nnodes, cap_nodes;
    size_t *node_slots; /* hash index of nodes: index + 1; 0 = empty */
    size_t node_slots_cap; /* a power of two, at least twice nnodes */
    long graph_line; /* line of the graph keyword */
    char *graph_attrs[8]; /* graph attributes and the line of each */
    long graph_attr_lines[8];
    size_t ngraph_attrs;
    bool strict, directed;
} dg_dot_scan;

/* Scans `text` (len bytes). Structural errors (NUL bytes, a second graph,
 * text after the graph, a stray character such as '@', an unterminated
 * string or comment, braces nested deeper than DG_DOT_MAX_DEPTH, more
 * than DG_DOT_MAX_ATTRS attribute names) go to diags with file and line.
 * Returns DG_OK, DG_EINPUT, DG_ENOMEM, or DG_ELIMIT (with an error naming
 * the line) when the text makes more than
 * DG_MAX_COMPANIES companies or DG_MAX_LEGS legs: it is refused before
 * cgraph builds them. */
int dg_dot_scan_text(const char *text, size_t len, const char *file,
                     dg_dot_scan *scan, dg_diags *diags);
void dg_dot_scan_finish(dg_dot_scan *scan);
/* The line of the first unused scanned edge tail -> head; marks it used.
 * 0 when none matches. */
long dg_dot_scan_edge_line(dg_dot_scan *scan, const char *tail,
                           const char *head);
long dg_dot_scan_node_line(const dg_dot_scan *scan, const char *name);
/* The line of a graph attribute (graph [name=...] or name=...); 0 when
 * not found. */
long dg_dot_scan_graph_line(const dg_dot_scan *scan, const char *name);

#endif

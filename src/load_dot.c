/*
 * load_dot.c - DOT ledgers through cgraph. One of the two files that
 * include cgraph.h (the renderer is the other).
 *
 * The traps this file avoids are listed in STACK-NOTES.md: no agseterrf
 * (it crashes on long messages), one read channel of our own instead of
 * agmemread (which keeps lexer state between calls), warnings counted as
 * errors, and our own line numbers for edges and nodes (dotscan.c).
 */
#include "internal.h"

#include <cgraph.h>
#include <stdlib.h>
#include <string.h>

/* A memory channel: cgraph pulls text through afread. */
typedef struct mem_chan {
    const char *p, *end;
} mem_chan;

static int chan_read(void *chan, char *buf, int bufsize)
{
    mem_chan *c = chan;
    size_t left = (size_t)(c->end - c->p);
    size_t n = left < (size_t)bufsize ? left : (size_t)bufsize;
    memcpy(buf, c->p, n);
    c->p += n;
    return (int)n;
}

static int chan_putstr(void *chan, const char *s)
{
    (void)chan;
    (void)s;
    return 0; /* never written through: the renderer has its own channel */
}

static int chan_flush(void *chan)
{
    (void)chan;
    return 0;
}

/* Static: the discipline must outlive every graph read with it. */
static Agiodisc_t mem_io = {chan_read, chan_putstr, chan_flush};
static Agdisc_t mem_disc = {&AgMemDisc, &AgIdDisc, &mem_io};

/* Turns cgraph's last message ("syntax error in line 3 near 'x'") into a
 * diagnostic with the line in its place. */
static void report_cgraph(const char *file, dg_diags *diags)
{
    char *msg = aglasterr();
    const char *m = msg ? msg : "";
    long line = 0;
    const char *at = strstr(m, "in line ");
    if (at)
        line = strtol(at + 8, NULL, 10);
    if (line < 0) /* never shown: a line is 1 or more, or unknown */
        line = 0;
    dg_buf b, q;
    dg_buf_init(&b);
    dg_buf_init(&q);
    /* cgraph's text without the prefix, the line and the newline */
    const char *text = m;
    if (strncmp(text, "Error: ", 7) == 0)
        text += 7;
    else if (strncmp(text, "Warning: ", 9) == 0)
        text += 9;
    const char *colon = strstr(text, ": ");
    if (colon && strncmp(text, "syntax", 6) != 0 && colon < strstr(text, " "))
        text = colon + 2;
    for (const char *p = text; *p; p++) {
        if (strncmp(p, " in line ", 9) == 0) {
            p += 9;
            if (*p == '-')
                p++;
            while (*p >= '0' && *p <= '9')
                p++;
            /* "of input" follows in the ambiguity warning */
            if (strncmp(p, " of input", 9) == 0)
                p += 9;
            p--;
            continue;
        }
        if (*p == '\n')
            continue;
        dg_buf_putc(&b, *p);
    }
    const char *hint = "";
    if (strstr(m, "ambiguity") || strstr(m, "syntax error"))
        hint = "; check brackets and quotes, and quote every attribute "
               "value (amount=\"3e11\", announced=\"2025-09-10\")";
    dg_diags_add(diags, DG_SEV_ERROR, file, line, "DOT %s%s",
                 b.data ? dg_quote(b.data, 200, &q) : "syntax error", hint);
    dg_buf_finish(&b);
    dg_buf_finish(&q);
    free(msg);
}

static int by_seq(const void *a, const void *b)
{
    uint64_t x = AGSEQ(*(Agedge_t *const *)a), y = AGSEQ(*(Agedge_t *const *)b);
    return (x > y) - (x < y);
}

/* All edges of g in creation order (the order of the text). */
static int edges_in_order(Agraph_t *g, Agedge_t ***out, size_t *count)
{
    size_t n = (size_t)agnedges(g), k = 0;
    Agedge_t **v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return DG_ENOMEM;
    for (Agnode_t *nd = agfstnode(g); nd; nd = agnxtnode(g, nd))
        for (Agedge_t *e = agfstout(g, nd); e; e = agnxtout(g, e))
            if (k < n)
                v[k++] = e;
    qsort(v, k, sizeof *v, by_seq);
    *out = v;
    *count = k;
    return DG_OK;
}

static int read_graph_attrs(dg_ledger *l, Agraph_t *g,
                            const dg_dot_scan *scan, const dg_where *w)
{
    for (Agsym_t *s = agnxtattr(g, AGRAPH, NULL); s;
         s = agnxtattr(g, AGRAPH, s)) {
        dg_where at = *w;
        long line = dg_dot_scan_graph_line(scan, s->name);
        if (line)
            at.line = line;
        int rc = dg_graph_set(l, s->name, agxget(g, s), &at);
        if (rc != DG_OK)
            return rc;
    }
    return DG_OK;
}

static int read_nodes(dg_ledger *l, Agraph_t *g, const dg_dot_scan *scan,
                      const char *file, dg_diags *diags)
{
    for (Agnode_t *n = agfstnode(g); n; n = agnxtnode(g, n)) {
        size_t idx;
        int rc = dg_ledger_company(l, agnameof(n), &idx);
        if (rc == DG_ELIMIT) /* dotscan refuses this first */
            rc = dg_limit_error(diags, file,
                                dg_dot_scan_node_line(scan, agnameof(n)),
                                false);
        if (rc != DG_OK)
            return rc;
        dg_company *c = &l->companies[idx];
        c->line = dg_dot_scan_node_line(scan, c->name);
        dg_where w = {file, c->line, diags};
        for (Agsym_t *s = agnxtattr(g, AGNODE, NULL); s;
             s = agnxtattr(g, AGNODE, s)) {
            char *v = agxget(n, s);
            /* An HTML-like label (<...>) is a drawing, not a name: the
             * renderer's annotated DOT writes one per company. */
            if (strcmp(s->name, "label") == 0 && aghtmlstr(v))
                continue;
            rc = dg_company_set(c, s->name, v, &w);
            if (rc != DG_OK)
                return rc;
        }
    }
    return DG_OK;
}

static int read_edges(dg_ledger *l, Agraph_t *g, dg_dot_scan *scan,
                      const char *file, bool strict, dg_diags *diags)
{
    Agedge_t **edges;
    size_t n;
    int rc = edges_in_order(g, &edges, &n);
    if (rc != DG_OK)
        return rc;
    dg_buf what, q1, q2;
    dg_buf_init(&what);
    dg_buf_init(&q1);
    dg_buf_init(&q2);
    for (size_t i = 0; i < n && rc == DG_OK; i++) {
        Agedge_t *e = edges[i];
        const char *tail = agnameof(agtail(e)), *head = agnameof(aghead(e));
        dg_leg leg;
        dg_leg_seen seen = {false, false, false};
        dg_leg_init(&leg);
        leg.line = dg_dot_scan_edge_line(scan, tail, head);
        dg_buf_clear(&what);
        dg_buf_printf(&what, "leg %s -> %s", dg_quote(tail, 60, &q1),
                      dg_quote(head, 60, &q2));
        if (what.oom) {
            rc = DG_ENOMEM; /* messages would not say which leg */
            break;
        }
        const char *wh = what.data;
        dg_where w = {file, leg.line, diags};
        for (Agsym_t *s = agnxtattr(g, AGEDGE, NULL); s && rc == DG_OK;
             s = agnxtattr(g, AGEDGE, s))
            rc = dg_leg_set(&leg, &seen, s->name, agxget(e, s), wh, &w);
        if (rc == DG_OK) {
            dg_leg_validate(&leg, &seen, wh, strict, &w);
            if (strcmp(tail, head) == 0)
                dg_diags_add(diags, DG_SEV_ERROR, file, leg.line,
                             "%s: a company cannot deal with itself; a leg "
                             "needs two different companies",
                             wh);
            leg.from = dg_ledger_find(l, tail);
            leg.to = dg_ledger_find(l, head);
            rc = dg_ledger_add_leg(l, &leg);
            if (rc == DG_ELIMIT) /* dotscan refuses this first */
                rc = dg_limit_error(diags, file, leg.line, true);
        }
        dg_leg_clear(&leg);
    }
    dg_buf_finish(&what);
    dg_buf_finish(&q1);
    dg_buf_finish(&q2);
    free(edges);
    return rc;
}

int dg_parse_dot(dg_ledger *l, const char *text, size_t len, const char *file,
                 const dg_load_options *opt, dg_diags *diags)
{
    dg_dot_scan scan;
    int rc = dg_dot_scan_text(text, len, file, &scan, diags);
    if (rc != DG_OK) {
        dg_dot_scan_finish(&scan);
        return rc;
    }
    /* Keep every message in cgraph's buffer (read with aglasterr), none
     * on stderr; reset the error level so a stale error cannot leak in. */
    agseterr(AGMAX);
    agreseterrors();
    /* cgraph's lexer counts lines across reads and never resets the count
     * itself: after an earlier file (above all one that stopped at a
     * syntax error) its "in line N" was off, even negative. */
    agreadline(1);
    mem_chan chan = {text, text + len};
    Agraph_t *g = agread(&chan, &mem_disc);
    bool failed = agerrors() > 0 || !g;
    if (g && !failed) {
        /* Drain the channel: the lexer must reach the end of this text so
         * that no state carries over to the next file. The scan already
         * proved nothing but space and comments follows. */
        Agraph_t *extra = agread(&chan, &mem_disc);
        if (extra)
            agclose(extra);
        failed = agerrors() > 0;
    }
    if (failed) {
        if (agerrors() > 0)
            report_cgraph(file, diags);
        else
            dg_diags_add(diags, DG_SEV_ERROR, file, 0,
                         "no graph could be read; a DOT ledger is digraph "
                         "NAME { ... }");
        rc = DG_EINPUT;
        goto done;
    }
    if (!agisdirected(g) || !scan.directed) {
        dg_diags_add(diags, DG_SEV_ERROR, file, scan.graph_line,
                     "the graph is undirected; write digraph, because every "
                     "leg moves value from one company to another");
        rc = DG_EINPUT;
        goto done;
    }
    if (agisstrict(g) || scan.strict) {
        dg_diags_add(diags, DG_SEV_ERROR, file, scan.graph_line,
                     "strict digraph merges parallel legs between two "
                     "companies; write digraph");
        rc = DG_EINPUT;
        goto done;
    }
    dg_where gw = {file, scan.graph_line, diags};
    rc = read_graph_attrs(l, g, &scan, &gw);
    if (rc == DG_OK)
        rc = read_nodes(l, g, &scan, file, diags);
    if (rc == DG_OK)
        rc = read_edges(l, g, &scan, file, opt && opt->strict, diags);
done:
    if (g)
        agclose(g);
    agreseterrors();
    dg_dot_scan_finish(&scan);
    return rc;
}

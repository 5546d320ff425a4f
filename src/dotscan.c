/*
 * dotscan.c - our own pass over DOT text, before cgraph parses it.
 *
 * cgraph keeps no line numbers for nodes or edges, ends the input
 * silently at an unquoted '@' or a NUL byte, and happily reads a second
 * graph from the same file (STACK-NOTES.md). This scanner tokenises the
 * text the way DOT's lexer does, rejects those cases with a line number,
 * and records the line of every edge (tail, head) and node so that the
 * loader can point at the statement behind a bad attribute. It does not
 * judge DOT syntax: where its small parser gets lost it stops recording
 * and leaves the syntax error to cgraph, which reports it with a line.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef enum {
    T_EOF,
    T_ID,     /* identifier, numeral, quoted or HTML string */
    T_LBRACE,
    T_RBRACE,
    T_LBRACKET,
    T_RBRACKET,
    T_EQ,
    T_SEMI,
    T_COMMA,
    T_COLON,
    T_EDGEOP,
    T_PLUS,
    T_OTHER,
} tok_type;

typedef struct token {
    tok_type type;
    const char *start;
    size_t len;
    long line;
    bool quoted;
    bool html; /* <...>: start and len exclude the outer brackets */
} token;

typedef struct lexer {
    const char *p, *end;
    long line;
    const char *file;
    dg_diags *diags;
    bool failed;
    bool at_line_start;
} lexer;

static bool id_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80;
}

static bool id_char(unsigned char c)
{
    return id_start(c) || (c >= '0' && c <= '9');
}

static void lex_error(lexer *lx, long line, const char *msg)
{
    if (!lx->failed)
        dg_diags_add(lx->diags, DG_SEV_ERROR, lx->file, line, "%s", msg);
    lx->failed = true;
}

/* A numeral [s, p) with a letter or a dot right after it: the error
 * names the run as written and the two pieces cgraph makes of it. */
static void bad_number(lexer *lx, long line, const char *s, const char *p)
{
    const char *q = p;
    while (q < lx->end && (id_char((unsigned char)*q) || *q == '.'))
        q++;
    char *run = dg_strndup(s, (size_t)(q - s));
    char *num = dg_strndup(s, (size_t)(p - s));
    char *rest = dg_strndup(p, (size_t)(q - p));
    dg_buf a, b, c;
    dg_buf_init(&a);
    dg_buf_init(&b);
    dg_buf_init(&c);
    if (run && num && rest) {
        char msg[1024];
        const char *qrun = dg_quote(run, 60, &a);
        snprintf(msg, sizeof msg,
                 "'%s' is read by Graphviz as %s then %s (a number ends "
                 "where a letter or a second dot starts); quote it: \"%s\"",
                 qrun, dg_quote(num, 30, &b), dg_quote(rest, 30, &c), qrun);
        lex_error(lx, line, msg);
    } else {
        lx->diags->oom = true;
        lx->failed = true;
    }
    dg_buf_finish(&a);
    dg_buf_finish(&b);
    dg_buf_finish(&c);
    free(run);
    free(num);
    free(rest);
}

/* Skips spaces, newlines and the three comment forms. */
static void skip_space(lexer *lx)
{
    while (lx->p < lx->end) {
        char c = *lx->p;
        if (c == '\n') {
            lx->line++;
            lx->p++;
            lx->at_line_start = true;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' ||
                   c == '\v') {
            lx->p++;
        } else if (lx->end - lx->p >= 3 &&
                   memcmp(lx->p, "\xEF\xBB\xBF", 3) == 0 &&
                   (lx->end - lx->p == 3 ||
                    !id_char((unsigned char)lx->p[3]))) {
            /* a byte order mark anywhere is blank to cgraph's lexer,
             * unless a name goes on after it (then it is part of the
             * name, the longer match) */
            lx->p += 3;
        } else if (c == '#' && lx->at_line_start) {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '/') {
            while (lx->p < lx->end && *lx->p != '\n')
                lx->p++;
        } else if (c == '/' && lx->p + 1 < lx->end && lx->p[1] == '*') {
            long start = lx->line;
            lx->p += 2;
            while (lx->p < lx->end &&
                   !(*lx->p == '*' && lx->p + 1 < lx->end && lx->p[1] == '/')) {
                if (*lx->p == '\n')
                    lx->line++;
                lx->p++;
            }
            if (lx->p >= lx->end) {
                lex_error(lx, start,
                          "unterminated comment: a /* comment has no closing "
                          "*/");
                return;
            }
            lx->p += 2;
        } else {
            return;
        }
    }
}

static token next(lexer *lx)
{
    token t = {T_EOF, NULL, 0, 0, false, false};
    if (lx->failed)
        return t;
    skip_space(lx);
    if (lx->failed || lx->p >= lx->end) {
        t.line = lx->line;
        return t;
    }
    lx->at_line_start = false;
    const char *s = lx->p;
    t.start = s;
    t.line = lx->line;
    unsigned char c = (unsigned char)*s;
    if (c == '"') {
        const char *p = s + 1;
        long lines = 0;
        while (p < lx->end && *p != '"') {
            if (*p == '\\' && p + 1 < lx->end) {
                if (p[1] == '\n')
                    lines++;
                p += 2;
                continue;
            }
            if (*p == '\n')
                lines++;
            p++;
        }
        if (p >= lx->end) {
            lex_error(lx, t.line,
                      "unterminated string: a quoted value has no closing "
                      "quote");
            t.type = T_EOF;
            return t;
        }
        lx->line += lines;
        lx->p = p + 1;
        t.type = T_ID;
        t.quoted = true;
        t.start = s + 1;
        t.len = (size_t)(p - s - 1);
        return t;
    }
    if (c == '<') {
        int depth = 0;
        const char *p = s;
        long lines = 0;
        while (p < lx->end) {
            if (*p == '<')
                depth++;
            else if (*p == '>' && --depth == 0)
                break;
            else if (*p == '\n')
                lines++;
            p++;
        }
        if (p >= lx->end) {
            lex_error(lx, t.line,
                      "unterminated HTML string: a < value has no closing >");
            t.type = T_EOF;
            return t;
        }
        lx->line += lines;
        lx->p = p + 1;
        t.type = T_ID;
        /* cgraph's name for <x> is x, as for "x" */
        t.html = true;
        t.start = s + 1;
        t.len = (size_t)(p - s - 1);
        return t;
    }
    if (id_start(c)) {
        const char *p = s;
        while (p < lx->end && id_char((unsigned char)*p))
            p++;
        lx->p = p;
        t.type = T_ID;
        t.len = (size_t)(p - s);
        return t;
    }
    /* A numeral as cgraph's lexer takes it: -?(D+(.D*)?|.D+). A letter
     * or a dot right after it would start the next token ("1.2.3" is 1.2
     * and .3, "2x" is 2 and x: cgraph warns of a badly delimited number
     * and reads two names, or a name and a value): an error here, since
     * what the file says is not what Graphviz reads. */
    const char *d = s + (c == '-');
    if (d < lx->end &&
        ((*d >= '0' && *d <= '9') ||
         (*d == '.' && d + 1 < lx->end && d[1] >= '0' && d[1] <= '9'))) {
        const char *p = d;
        while (p < lx->end && *p >= '0' && *p <= '9')
            p++;
        if (p < lx->end && *p == '.') {
            p++;
            while (p < lx->end && *p >= '0' && *p <= '9')
                p++;
        }
        if (p < lx->end && (*p == '.' || id_start((unsigned char)*p))) {
            bad_number(lx, t.line, s, p);
            t.type = T_EOF;
            return t;
        }
        lx->p = p;
        t.type = T_ID;
        t.len = (size_t)(p - s);
        return t;
    }
    if (c == '-' && s + 1 < lx->end && (s[1] == '>' || s[1] == '-')) {
        lx->p = s + 2;
        t.type = T_EDGEOP;
        t.len = 2;
        return t;
    }
    lx->p = s + 1;
    t.len = 1;
    switch (c) {
    case '{': t.type = T_LBRACE; break;
    case '}': t.type = T_RBRACE; break;
    case '[': t.type = T_LBRACKET; break;
    case ']': t.type = T_RBRACKET; break;
    case '=': t.type = T_EQ; break;
    case ';': t.type = T_SEMI; break;
    case ',': t.type = T_COMMA; break;
    case ':': t.type = T_COLON; break;
    case '+': t.type = T_PLUS; break;
    default: t.type = T_OTHER; break;
    }
    return t;
}

static bool tok_is(const token *t, const char *kw)
{
    if (t->type != T_ID || t->quoted || t->html || strlen(kw) != t->len)
        return false;
    for (size_t i = 0; i < t->len; i++)
        if ((t->start[i] | 0x20) != kw[i])
            return false;
    return true;
}

/* ---- recording ----------------------------------------------------------- */

/* The parser state: a one-token lookahead and the node sets of operands. */
typedef struct parser {
    lexer lx;
    token tok;
    dg_dot_scan *scan;
    bool lost; /* stopped understanding: leave the rest to cgraph */
    bool oom;
    const char *over; /* "companies" or "legs": a limit was reached */
    long over_line;
    /* the different attribute names seen, hashed (index + 1; 0 = empty) */
    char *attrs[DG_DOT_MAX_ATTRS];
    size_t nattrs;
    unsigned char attr_slots[4 * DG_DOT_MAX_ATTRS];
    bool too_many_attrs;
    /* the first node named with a leading '%', which cgraph renames */
    char *percent_name;
    long percent_line;
    /* node name stack for subgraph operands */
    char **names;
    size_t nnames, cap_names;
} parser;

static void advance(parser *ps) { ps->tok = next(&ps->lx); }

/* The text of an ID token: quoted strings unescaped the way cgraph does,
 * with "a" + "b" concatenation handled by the caller. cgraph's lexer reads
 * a quoted string as a sequence of: \" (a quote), a backslash pair (kept
 * as it is; the second backslash escapes nothing after it), a backslash
 * and a line break (both dropped), a single backslash, or a run of other
 * characters. A run that is one line break and nothing else is dropped
 * too: the rule that counts lines matches it as well, and wins the tie
 * ("\n" is the empty name to cgraph; "x\n", "\n\n" keep theirs). */
static char *id_text(const token *t)
{
    if (!t->quoted)
        return dg_strndup(t->start, t->len);
    dg_buf b;
    dg_buf_init(&b);
    const char *c = t->start;
    for (size_t i = 0; i < t->len;) {
        if (c[i] == '\\' && i + 1 < t->len && c[i + 1] == '"') {
            dg_buf_putc(&b, '"');
            i += 2;
        } else if (c[i] == '\\' && i + 1 < t->len && c[i + 1] == '\\') {
            dg_buf_puts(&b, "\\\\");
            i += 2;
        } else if (c[i] == '\\' && i + 1 < t->len && c[i + 1] == '\n') {
            i += 2;
        } else if (c[i] == '\\') {
            dg_buf_putc(&b, '\\');
            i++;
        } else {
            size_t run = i;
            while (run < t->len && c[run] != '\\' && c[run] != '"')
                run++;
            if (!(run - i == 1 && c[i] == '\n'))
                dg_buf_put(&b, c + i, run - i);
            i = run;
        }
    }
    return dg_buf_take(&b);
}

/* Reads an ID, joining "a" + "b" (and HTML strings: "a" + <b>). Returns
 * NULL (and sets lost/oom) on failure. */
static char *take_id(parser *ps)
{
    if (ps->tok.type != T_ID) {
        ps->lost = true;
        return NULL;
    }
    char *s = id_text(&ps->tok);
    advance(ps);
    while (s && ps->tok.type == T_PLUS) {
        advance(ps);
        /* cgraph joins quoted and HTML strings alike: "x" + <y> is "xy" */
        if (ps->tok.type != T_ID || !(ps->tok.quoted || ps->tok.html)) {
            free(s);
            ps->lost = true;
            return NULL;
        }
        char *more = id_text(&ps->tok);
        advance(ps);
        dg_buf b;
        dg_buf_init(&b);
        dg_buf_puts(&b, s);
        if (more)
            dg_buf_puts(&b, more);
        free(s);
        s = more ? dg_buf_take(&b) : NULL;
        if (!more)
            dg_buf_finish(&b);
        free(more);
    }
    if (!s)
        ps->oom = true;
    return s;
}

static size_t hash_name(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

/* The node named `name`, or (size_t)-1. */
static size_t find_node(const dg_dot_scan *sc, const char *name)
{
    if (!sc->node_slots_cap)
        return (size_t)-1;
    size_t mask = sc->node_slots_cap - 1;
    for (size_t h = hash_name(name) & mask; sc->node_slots[h];
         h = (h + 1) & mask) {
        size_t i = sc->node_slots[h] - 1;
        if (strcmp(sc->nodes[i].name, name) == 0)
            return i;
    }
    return (size_t)-1;
}

/* Makes room in the index for one more node (at most half full). */
static bool index_reserve(dg_dot_scan *sc)
{
    if ((sc->nnodes + 1) * 2 <= sc->node_slots_cap)
        return true;
    size_t cap = sc->node_slots_cap ? sc->node_slots_cap * 2 : 64;
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < sc->nnodes; i++) {
        size_t h = hash_name(sc->nodes[i].name) & (cap - 1);
        while (slots[h])
            h = (h + 1) & (cap - 1);
        slots[h] = i + 1;
    }
    free(sc->node_slots);
    sc->node_slots = slots;
    sc->node_slots_cap = cap;
    return true;
}

/* A limit of DG_MAX_COMPANIES or DG_MAX_LEGS was reached at `line`:
 * stop reading (the error is added once the scan is done). */
static void over_limit(parser *ps, const char *what, long line)
{
    if (!ps->over) {
        ps->over = what;
        ps->over_line = line;
    }
}

/* An attribute name: counted once, against DG_DOT_MAX_ATTRS. */
static void note_attr(parser *ps, const char *name, long line)
{
    const size_t cap = sizeof ps->attr_slots;
    size_t h = hash_name(name) % cap;
    for (; ps->attr_slots[h]; h = (h + 1) % cap)
        if (strcmp(ps->attrs[ps->attr_slots[h] - 1], name) == 0)
            return;
    if (ps->nattrs == DG_DOT_MAX_ATTRS) {
        if (!ps->over) {
            ps->too_many_attrs = true;
            over_limit(ps, "attribute names", line);
        }
        return;
    }
    char *copy = dg_strdup(name);
    if (!copy) {
        ps->oom = true;
        return;
    }
    ps->attrs[ps->nattrs++] = copy;
    ps->attr_slots[h] = (unsigned char)ps->nattrs;
}

static void note_node(parser *ps, const char *name, long line, bool attrs)
{
    dg_dot_scan *sc = ps->scan;
    size_t found = find_node(sc, name);
    if (found != (size_t)-1) {
        if (attrs)
            sc->nodes[found].line = line;
        return;
    }
    if (sc->nnodes >= DG_MAX_COMPANIES) {
        over_limit(ps, "companies", line);
        return;
    }
    if (name[0] == '%' && !ps->percent_name) {
        ps->percent_name = dg_strdup(name);
        ps->percent_line = line;
        if (!ps->percent_name)
            ps->oom = true;
    }
    if (!index_reserve(sc)) {
        ps->oom = true;
        return;
    }
    if (sc->nnodes == sc->cap_nodes) {
        size_t cap = sc->cap_nodes ? sc->cap_nodes * 2 : 32;
        dg_dot_node *p = realloc(sc->nodes, cap * sizeof *p);
        if (!p) {
            ps->oom = true;
            return;
        }
        sc->nodes = p;
        sc->cap_nodes = cap;
    }
    char *copy = dg_strdup(name);
    if (!copy) {
        ps->oom = true;
        return;
    }
    size_t h = hash_name(copy) & (sc->node_slots_cap - 1);
    while (sc->node_slots[h])
        h = (h + 1) & (sc->node_slots_cap - 1);
    sc->node_slots[h] = sc->nnodes + 1;
    sc->nodes[sc->nnodes++] = (dg_dot_node){copy, line};
}

static void note_edge(parser *ps, const char *tail, const char *head,
                      long line)
{
    dg_dot_scan *sc = ps->scan;
    if (sc->nedges >= DG_MAX_LEGS) {
        over_limit(ps, "legs", line);
        return;
    }
    if (sc->nedges == sc->cap_edges) {
        size_t cap = sc->cap_edges ? sc->cap_edges * 2 : 64;
        dg_dot_edge *p = realloc(sc->edges, cap * sizeof *p);
        if (!p) {
            ps->oom = true;
            return;
        }
        sc->edges = p;
        sc->cap_edges = cap;
    }
    char *t = dg_strdup(tail), *h = dg_strdup(head);
    if (!t || !h) {
        free(t);
        free(h);
        ps->oom = true;
        return;
    }
    sc->edges[sc->nedges++] = (dg_dot_edge){t, h, line, false};
}

static bool push_name(parser *ps, char *name)
{
    if (ps->nnames == ps->cap_names) {
        size_t cap = ps->cap_names ? ps->cap_names * 2 : 32;
        char **p = realloc(ps->names, cap * sizeof *p);
        if (!p) {
            free(name);
            ps->oom = true;
            return false;
        }
        ps->names = p;
        ps->cap_names = cap;
    }
    ps->names[ps->nnames++] = name;
    return true;
}

static void note_graph_attr(parser *ps, const char *name, long line)
{
    dg_dot_scan *sc = ps->scan;
    if (sc->ngraph_attrs < 8 && (strcmp(name, "focus") == 0 ||
                                 strcmp(name, "as_of") == 0 ||
                                 strcmp(name, "title") == 0)) {
        char *copy = dg_strdup(name);
        if (!copy) {
            ps->oom = true;
            return;
        }
        sc->graph_attrs[sc->ngraph_attrs] = copy;
        sc->graph_attr_lines[sc->ngraph_attrs++] = line;
    }
}

/* Skips [a=b, ...] lists; with `graph` set, notes the graph attributes. */
static void skip_attr_list_of(parser *ps, bool graph);

static void skip_attr_list(parser *ps) { skip_attr_list_of(ps, false); }

static void skip_attr_list_of(parser *ps, bool graph)
{
    while (ps->tok.type == T_LBRACKET) {
        advance(ps);
        while (ps->tok.type != T_RBRACKET && ps->tok.type != T_EOF &&
               !ps->lost && !ps->over && !ps->oom) {
            if (ps->tok.type == T_ID) {
                long line = ps->tok.line;
                char *key = take_id(ps);
                if (key)
                    note_attr(ps, key, line);
                if (key && graph)
                    note_graph_attr(ps, key, line);
                free(key);
                if (ps->tok.type == T_EQ) {
                    advance(ps);
                    free(take_id(ps));
                }
            } else if (ps->tok.type == T_COMMA || ps->tok.type == T_SEMI) {
                advance(ps);
            } else {
                ps->lost = true;
            }
        }
        if (ps->tok.type != T_RBRACKET) {
            ps->lost = true;
            return;
        }
        advance(ps);
    }
}

static void parse_stmt_list(parser *ps);

/* An operand of an edge statement: a node id (with an optional port) or a
 * subgraph. Pushes its node names; returns the stack mark where they
 * start. */
static size_t parse_operand(parser *ps, bool *is_node)
{
    size_t mark = ps->nnames;
    *is_node = false;
    if (tok_is(&ps->tok, "subgraph") || ps->tok.type == T_LBRACE) {
        if (tok_is(&ps->tok, "subgraph")) {
            advance(ps);
            if (ps->tok.type == T_ID)
                free(take_id(ps));
        }
        if (ps->tok.type != T_LBRACE) {
            ps->lost = true;
            return mark;
        }
        advance(ps);
        parse_stmt_list(ps);
        if (ps->tok.type != T_RBRACE) {
            ps->lost = true;
            return mark;
        }
        advance(ps);
        return mark;
    }
    /* A node list: ID [port] {',' ID [port]} (cgraph reads "a, b -> c"
     * as two legs, and "a, b [...]" as two node statements). */
    for (;;) {
        long line = ps->tok.line;
        char *name = take_id(ps);
        if (!name)
            return mark;
        /* port: ID [':' ID [':' ID]] */
        for (int i = 0; i < 2 && ps->tok.type == T_COLON; i++) {
            advance(ps);
            free(take_id(ps));
        }
        note_node(ps, name, line, false);
        *is_node = true;
        if (!push_name(ps, name) || ps->tok.type != T_COMMA)
            return mark;
        advance(ps);
        if (ps->tok.type != T_ID || tok_is(&ps->tok, "subgraph")) {
            ps->lost = true;
            return mark;
        }
    }
}

static void parse_stmt(parser *ps)
{
    token first = ps->tok;
    if (tok_is(&first, "graph") || tok_is(&first, "node") ||
        tok_is(&first, "edge")) {
        advance(ps);
        skip_attr_list_of(ps, tok_is(&first, "graph"));
        return;
    }
    if (first.type == T_ID && !tok_is(&first, "subgraph")) {
        /* ID '=' ID: a graph attribute */
        lexer save = ps->lx;
        token after;
        char *a = take_id(ps);
        after = ps->tok;
        if (after.type == T_EQ) {
            if (a) {
                note_attr(ps, a, first.line);
                note_graph_attr(ps, a, first.line);
            }
            free(a);
            advance(ps);
            free(take_id(ps));
            return;
        }
        /* not an assignment: rewind and read it as an operand */
        free(a);
        ps->lx = save;
        ps->tok = first;
    }
    bool is_node;
    size_t left = parse_operand(ps, &is_node);
    if (ps->lost)
        return;
    if (ps->tok.type != T_EDGEOP) {
        if (is_node && ps->tok.type == T_LBRACKET)
            for (size_t i = left; i < ps->nnames; i++)
                note_node(ps, ps->names[i], first.line, true);
        skip_attr_list(ps);
        return;
    }
    /* Names stay on the stack after the statement: an enclosing subgraph
     * operand ({a -> b} -> c) holds every node mentioned inside it. */
    while (ps->tok.type == T_EDGEOP && !ps->lost) {
        long line = ps->tok.line;
        advance(ps);
        bool right_node;
        size_t right = parse_operand(ps, &right_node);
        if (ps->lost)
            break;
        /* every pair of the two operands is a leg; stop at the limit
         * rather than walk a product of millions of pairs */
        for (size_t i = left; i < right && !ps->over && !ps->oom; i++)
            for (size_t j = right; j < ps->nnames && !ps->over && !ps->oom;
                 j++)
                note_edge(ps, ps->names[i], ps->names[j], line);
        left = right; /* the right operand is the next left one */
    }
    skip_attr_list(ps);
}

/* At the top level (`keep` false) each statement's names are dropped once
 * it is read; inside a subgraph they are kept for the operand's set. */
static void parse_stmt_list_keep(parser *ps, bool keep)
{
    while (!ps->lost && !ps->oom && !ps->over && ps->tok.type != T_RBRACE &&
           ps->tok.type != T_EOF) {
        if (ps->tok.type == T_SEMI) {
            advance(ps);
            continue;
        }
        size_t mark = ps->nnames;
        parse_stmt(ps);
        if (!keep)
            while (ps->nnames > mark)
                free(ps->names[--ps->nnames]);
    }
}

static void parse_stmt_list(parser *ps) { parse_stmt_list_keep(ps, true); }

int dg_dot_scan_text(const char *text, size_t len, const char *file,
                     dg_dot_scan *scan, dg_diags *diags)
{
    memset(scan, 0, sizeof *scan);
    /* A NUL byte ends cgraph's input without a word, and C strings cannot
     * hold one: reject it first, with its line. */
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        long line = 1;
        for (const char *p = text; p < nul; p++)
            line += *p == '\n';
        dg_diags_add(diags, DG_SEV_ERROR, file, line,
                     "NUL byte in the text; a ledger is a text file (is this "
                     "a binary or UTF-16 file?)");
        return DG_EINPUT;
    }
    size_t before = diags->errors;

    /* Pass 1: lexical structure over the whole text. One graph, nothing
     * after it, no stray characters. */
    lexer lx = {text, text + len, 1, file, diags, false, true};
    int depth = 0;
    bool opened = false, closed = false;
    for (;;) {
        token t = next(&lx);
        if (t.type == T_EOF)
            break;
        if (t.type == T_OTHER) {
            char ch = t.start[0];
            dg_buf q;
            dg_buf_init(&q);
            char one[2] = {ch, 0};
            dg_diags_add(diags, DG_SEV_ERROR, file, t.line,
                         "unexpected character '%s' outside quotes; quote "
                         "names and values that contain it",
                         dg_quote(one, 4, &q));
            dg_buf_finish(&q);
            lx.failed = true;
            break;
        }
        if (closed) {
            if (tok_is(&t, "digraph") || tok_is(&t, "graph") ||
                tok_is(&t, "strict"))
                dg_diags_add(diags, DG_SEV_ERROR, file, t.line,
                             "a second graph starts here; a ledger file "
                             "holds exactly one graph");
            else
                dg_diags_add(diags, DG_SEV_ERROR, file, t.line,
                             "text after the end of the graph; a ledger file "
                             "holds exactly one graph");
            lx.failed = true;
            break;
        }
        if (t.type == T_LBRACE) {
            if (++depth > DG_DOT_MAX_DEPTH) {
                dg_diags_add(diags, DG_SEV_ERROR, file, t.line,
                             "braces nested more than %d deep; a ledger needs "
                             "a few levels of subgraphs at most",
                             DG_DOT_MAX_DEPTH);
                lx.failed = true;
                break;
            }
            opened = true;
        } else if (t.type == T_RBRACE) {
            if (--depth == 0 && opened)
                closed = true;
            if (depth < 0)
                break; /* cgraph reports the syntax error */
        }
    }
    if (diags->errors > before)
        return diags->oom ? DG_ENOMEM : DG_EINPUT;
    if (!opened) {
        dg_diags_add(diags, DG_SEV_ERROR, file, 1,
                     "no graph found; a DOT ledger starts with digraph "
                     "NAME { ... }");
        return DG_EINPUT;
    }

    /* Pass 2: statements, for lines. */
    parser ps;
    memset(&ps, 0, sizeof ps);
    ps.lx = (lexer){text, text + len, 1, file, NULL, false, true};
    ps.scan = scan;
    advance(&ps);
    if (tok_is(&ps.tok, "strict")) {
        scan->strict = true;
        advance(&ps);
    }
    scan->graph_line = ps.tok.line;
    if (tok_is(&ps.tok, "digraph"))
        scan->directed = true;
    else if (!tok_is(&ps.tok, "graph"))
        ps.lost = true;
    if (!ps.lost) {
        advance(&ps);
        if (ps.tok.type == T_ID)
            free(take_id(&ps));
        if (ps.tok.type == T_LBRACE) {
            advance(&ps);
            parse_stmt_list_keep(&ps, false);
        }
    }
    for (size_t i = 0; i < ps.nnames; i++)
        free(ps.names[i]);
    free(ps.names);
    for (size_t i = 0; i < ps.nattrs; i++)
        free(ps.attrs[i]);
    if (ps.oom) {
        free(ps.percent_name);
        return DG_ENOMEM;
    }
    if (ps.percent_name) {
        /* cgraph takes a name that starts with '%' for an anonymous
         * node's and gives the node another ("%3"): refuse it rather than
         * lose the company's name */
        dg_buf q;
        dg_buf_init(&q);
        int rc = dg_diags_add(diags, DG_SEV_ERROR, file, ps.percent_line,
                              "company \"%s\": a name in DOT cannot start "
                              "with %% (Graphviz renames such nodes); rename "
                              "it",
                              dg_quote(ps.percent_name, 60, &q));
        dg_buf_finish(&q);
        free(ps.percent_name);
        return rc == DG_OK ? DG_EINPUT : rc;
    }
    if (ps.too_many_attrs) {
        int rc = dg_diags_add(diags, DG_SEV_ERROR, file, ps.over_line,
                              "more than %d different attribute names; a "
                              "ledger uses a few dozen (its own and "
                              "Graphviz's)",
                              DG_DOT_MAX_ATTRS);
        return rc == DG_OK ? DG_ELIMIT : rc;
    }
    if (ps.over)
        return dg_limit_error(diags, file, ps.over_line,
                              strcmp(ps.over, "legs") == 0);
    return DG_OK;
}

void dg_dot_scan_finish(dg_dot_scan *scan)
{
    for (size_t i = 0; i < scan->nedges; i++) {
        free(scan->edges[i].tail);
        free(scan->edges[i].head);
    }
    for (size_t i = 0; i < scan->nnodes; i++)
        free(scan->nodes[i].name);
    for (size_t i = 0; i < scan->ngraph_attrs; i++)
        free(scan->graph_attrs[i]);
    free(scan->edges);
    free(scan->nodes);
    free(scan->node_slots);
    memset(scan, 0, sizeof *scan);
}

long dg_dot_scan_edge_line(dg_dot_scan *scan, const char *tail,
                           const char *head)
{
    /* cgraph creates edges in text order, so the match is almost always
     * at the cursor: start there and wrap around. */
    for (size_t k = 0; k < scan->nedges; k++) {
        size_t i = (scan->cursor + k) % scan->nedges;
        dg_dot_edge *e = &scan->edges[i];
        if (!e->used && strcmp(e->tail, tail) == 0 &&
            strcmp(e->head, head) == 0) {
            e->used = true;
            scan->cursor = i + 1;
            return e->line;
        }
    }
    return 0;
}

long dg_dot_scan_node_line(const dg_dot_scan *scan, const char *name)
{
    size_t i = find_node(scan, name);
    return i == (size_t)-1 ? 0 : scan->nodes[i].line;
}

long dg_dot_scan_graph_line(const dg_dot_scan *scan, const char *name)
{
    long line = 0; /* the last setting wins, as in cgraph */
    for (size_t i = 0; i < scan->ngraph_attrs; i++)
        if (strcmp(scan->graph_attrs[i], name) == 0)
            line = scan->graph_attr_lines[i];
    return line;
}

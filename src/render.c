/*
 * render.c - the picture of a ledger. One of the two files that include
 * cgraph.h (load_dot.c is the other) and the only one that includes gvc.h.
 *
 * Three steps:
 *  1. a scene: which legs and companies are drawn (filters, one loop), which
 *     legs lie on closed loops (loops.h), and each company's direct inflow
 *     share from the focal company (PRODUCT.md §4, over exposure.h's flows);
 *  2. the annotated DOT text of that scene, written here by hand so that
 *     its order (companies by sector then ledger order, legs in ledger
 *     order) and its quoting are ours, and every ledger attribute is kept
 *     so that dealgraph can read the file back;
 *  3. for SVG, PNG and PDF: that text read back with cgraph and laid out
 *     and rendered with gvc. The picture therefore is exactly what
 *     `dot -Tsvg` makes of the DOT output.
 *
 * Graphviz traps avoided (STACK-NOTES.md): messages go to cgraph's buffer
 * (agseterr(AGMAX), read with aglasterr, never agseterrf); one GVC_t per
 * process; output rendered to memory and written by the caller (so nothing
 * half-written reaches a file); the lexer drained after each read.
 */
#include "dealgraph/render.h"
#include "dealgraph/exposure.h"
#include "internal.h"
#include "dealgraph/loops.h"

#include <cgraph.h>
#include <gvc.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- names ----------------------------------------------------------------- */

static const char *const format_names[DG_RENDER_FORMAT_COUNT] = {
    "svg", "png", "pdf", "dot",
};

/* gvc's names: the renderers `dot -Tsvg`, `-Tpng` and `-Tpdf` use on
 * Debian (core SVG, cairo for the bitmaps and PDF). */
static const char *const gvc_formats[DG_RENDER_FORMAT_COUNT] = {
    "svg:svg:core", "png:cairo:cairo", "pdf:cairo:cairo", NULL,
};

static const char *const engines[] = {"dot", "circo", "neato", "fdp", "sfdp",
                                      NULL};

void dg_render_options_init(dg_render_options *o)
{
    memset(o, 0, sizeof *o);
    o->format = DG_RENDER_SVG;
    o->engine = "dot";
    o->highlight = DG_HIGHLIGHT_LOOPS;
    dg_filter_init(&o->filter);
}

bool dg_render_format_parse(const char *text, dg_render_format *out)
{
    if (!text)
        return false;
    for (int f = 0; f < DG_RENDER_FORMAT_COUNT; f++) {
        if (dg_streq_nocase(text, format_names[f])) {
            *out = (dg_render_format)f;
            return true;
        }
    }
    if (dg_streq_nocase(text, "gv")) {
        *out = DG_RENDER_DOT;
        return true;
    }
    return false;
}

const char *dg_render_format_name(dg_render_format f)
{
    return (unsigned)f < DG_RENDER_FORMAT_COUNT ? format_names[f] : "?";
}

bool dg_render_format_from_path(const char *file, dg_render_format *out)
{
    if (!file)
        return false;
    const char *base = dg_basename(file);
    const char *dot = strrchr(base, '.');
    return dot && dot != base && dg_render_format_parse(dot + 1, out);
}

bool dg_render_format_binary(dg_render_format f)
{
    return f == DG_RENDER_PNG || f == DG_RENDER_PDF;
}

bool dg_render_engine_known(const char *name)
{
    for (size_t i = 0; name && engines[i]; i++)
        if (strcmp(name, engines[i]) == 0)
            return true;
    return false;
}

bool dg_highlight_parse(const char *text, dg_highlight *out)
{
    static const char *const names[] = {"loops", "focus", "none"};
    for (int i = 0; text && i < 3; i++) {
        if (strcmp(text, names[i]) == 0) {
            *out = (dg_highlight)i;
            return true;
        }
    }
    return false;
}

/* ---- the look ----------------------------------------------------------------
 *
 * Colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal
 * Design"), distinguishable with every common colour-vision deficiency,
 * plus grey, black and, for services, Paul Tol's indigo (Okabe-Ito's sky
 * blue looked like a faded chips leg). Purchases (chips, cloud, services,
 * lease) take the blues, green and grey; financing (equity, warrant, debt,
 * backstop) the warm colours and black. Text on white uses a darker shade where the line
 * colour is too light to read. */
static const struct {
    const char *line, *text;
} kind_colours[DG_KIND_COUNT] = {
    [DG_KIND_CHIPS] = {"#0072B2", "#0072B2"},
    [DG_KIND_CLOUD] = {"#009E73", "#007A59"},
    [DG_KIND_SERVICES] = {"#332288", "#332288"},
    [DG_KIND_EQUITY] = {"#D55E00", "#B44F00"},
    [DG_KIND_WARRANT] = {"#CC79A7", "#A6528A"},
    [DG_KIND_DEBT] = {"#E69F00", "#A87400"},
    [DG_KIND_LEASE] = {"#8C8C8C", "#666666"},
    [DG_KIND_BACKSTOP] = {"#000000", "#000000"},
};

/* Faded legs keep their hue at this opacity (hex alpha). */
#define FADE_ALPHA "55"
/* A family list: pango (through fontconfig) measures and draws it with
 * Liberation Sans, metric-compatible with Helvetica and Arial, and SVG
 * viewers get the same list, so the text fits the layout wherever the
 * SVG is opened. (Plain "Helvetica" is Graphviz's PostScript alias for
 * DejaVu Sans, which is wider.) Bold comes from <B> in HTML labels. */
#define FONT "Helvetica,Arial,sans-serif"
#define INK "#222222"
#define MUTED "#555555"

/* Company fill: the direct inflow share from the focus, in four classes
 * (ColorBrewer OrRd, 4 classes: Brewer & Harrower 2003), white for none and
 * grey when the value received from the focus is undisclosed. */
static const struct {
    double below; /* upper bound of the class (exclusive) */
    const char *fill, *text, *name;
} share_classes[] = {
    {0.10, "#FEF0D9", INK, "under 10%"},
    {0.25, "#FDCC8A", INK, "10\xE2\x80\x93" "25%"},
    {0.50, "#FC8D59", INK, "25\xE2\x80\x93" "50%"},
    {2.00, "#D7301F", "#FFFFFF", "50% or more"},
};
#define NSHARE (sizeof share_classes / sizeof share_classes[0])
#define FILL_NONE "#FFFFFF"
#define FILL_UNKNOWN "#E4E4E4"
#define FILL_FOCUS "#1B1B1B"

/* The sector as the second line of a company's label says it. */
static const char *const sector_tags[DG_SECTOR_COUNT] = {
    [DG_SECTOR_NONE] = "",          [DG_SECTOR_LAB] = "AI lab",
    [DG_SECTOR_CHIPS] = "chip maker", [DG_SECTOR_CLOUD] = "cloud",
    [DG_SECTOR_INVESTOR] = "investor", [DG_SECTOR_SPV] = "SPV",
    [DG_SECTOR_OTHER] = "other",
};

/* The order the sector groups are written in. */
static const dg_sector sector_order[DG_SECTOR_COUNT] = {
    DG_SECTOR_INVESTOR, DG_SECTOR_LAB,   DG_SECTOR_CLOUD, DG_SECTOR_CHIPS,
    DG_SECTOR_SPV,      DG_SECTOR_OTHER, DG_SECTOR_NONE,
};

/* Line width in points from the amount: 1.2 at $1B plus 1.6 per tenfold,
 * so $10B, $100B and $1T read as clear steps, and at least 0.8, the width
 * of a leg without a value (its label says "undisclosed"). */
static double leg_width(double value)
{
    if (!dg_has(value) || value <= 0)
        return 0.8;
    double w = 1.2 + 1.6 * log10(value / 1e9);
    return w < 0.8 ? 0.8 : w > 8.0 ? 8.0 : w;
}

/* Firmness as a dash style; a ceiling ("up to") is at least dashed. */
static const char *leg_style(const dg_leg *leg)
{
    if (leg->status >= DG_STATUS_LOI)
        return "dotted";
    if (leg->status >= DG_STATUS_ANNOUNCED || leg->upto)
        return "dashed";
    return "solid";
}

/* Loops are enumerated up to this many for their ids; a ledger with more
 * gets a warning (DG_RENDER_LOOPS_CUT: max_len bounds them). */
#define LOOP_LIMIT 2000
#define LOOP_SECONDS 20.0

/* ---- the scene --------------------------------------------------------------- */

/* Records that problem `p` is reported by the diagnostic dg_diags_add
 * put at index `at`, when it could (rc == DG_OK): the caller words its
 * advice from it (render.h: dg_render_options.problems). */
static void note_problem(const dg_render_options *opt, dg_render_problem p,
                         size_t at, int rc)
{
    if (opt->problems && rc == DG_OK)
        opt->problems->diag[p] = at;
}

enum { SHARE_NONE, SHARE_KNOWN, SHARE_APPROX, SHARE_UNKNOWN };

typedef struct scene {
    const dg_ledger *l;
    const dg_render_options *opt;
    size_t focus; /* SIZE_MAX: none */
    bool *draw_leg, *draw_company;
    bool *leg_on_loop, *company_on_loop;
    dg_buf *leg_loops; /* per leg: " loop_<id>" for each loop it is on */
    size_t nloops;
    bool loops_cut; /* the limit or the time stopped the search */
    bool loop_found;
    dg_buf loop_text; /* the one loop drawn: its description */
    double *share;    /* per company: direct inflow share from the focus */
    int *share_kind;
    double *received, *throughflow;
    size_t legs_drawn, companies_drawn;
    dg_buf left_out; /* companies not drawn (no drawn legs) */
    size_t nleft_out;
    bool oom;
} scene;

static void scene_finish(scene *s)
{
    if (s->leg_loops)
        for (size_t i = 0; i < s->l->nlegs; i++)
            dg_buf_finish(&s->leg_loops[i]);
    free(s->leg_loops);
    free(s->draw_leg);
    free(s->draw_company);
    free(s->leg_on_loop);
    free(s->company_on_loop);
    free(s->share);
    free(s->share_kind);
    free(s->received);
    free(s->throughflow);
    dg_buf_finish(&s->loop_text);
    dg_buf_finish(&s->left_out);
}

static const char *company_text(const dg_company *c)
{
    return c->label && c->label[0] ? c->label : c->name;
}

static int on_loop(const dg_loop *loop, void *ctx)
{
    scene *s = ctx;
    const dg_ledger *l = s->l;
    bool only = s->opt->loop != NULL;
    if (only && strcmp(loop->id, s->opt->loop) != 0)
        return 0;
    s->nloops++;
    for (size_t h = 0; h < loop->length; h++) {
        const dg_hop *hop = &loop->hops[h];
        for (size_t k = 0; k < hop->nlegs; k++) {
            size_t e = hop->legs[k];
            s->leg_on_loop[e] = true;
            dg_buf_printf(&s->leg_loops[e], " loop_%s", loop->id);
            if (s->leg_loops[e].oom)
                s->oom = true;
            if (only)
                s->draw_leg[e] = true;
        }
        s->company_on_loop[loop->companies[h]] = true;
    }
    if (!only)
        return 0;
    /* the one loop drawn: describe it for the caption, and stop. */
    s->loop_found = true;
    dg_buf *b = &s->loop_text;
    dg_buf_printf(b, "Loop %s: ", loop->id);
    for (size_t h = 0; h <= loop->length; h++)
        dg_buf_printf(b, "%s%s", h ? " \xE2\x86\x92 " : "",
                      company_text(&l->companies[loop->companies[
                          h % loop->length]]));
    char sig[256], money[32];
    dg_buf_printf(b, " \xC2\xB7 %s \xC2\xB7 %s \xC2\xB7 value %s%s \xC2\xB7 "
                     "least firm: %s",
                  dg_loop_signature(loop, sig, sizeof sig),
                  dg_pattern_name(loop->pattern),
                  loop->partial && dg_has(loop->value) ? "at least " : "",
                  dg_money_format(loop->value, money, sizeof money),
                  dg_status_name(loop->firmness));
    return 1;
}

static int find_loops(scene *s, dg_diags *diags)
{
    dg_loop_options lo;
    dg_loop_options_init(&lo);
    lo.filter = s->opt->filter;
    lo.max_len = s->opt->max_len;
    lo.limit = s->opt->loop ? 0 : LOOP_LIMIT;
    lo.max_seconds = LOOP_SECONDS;
    dg_loop_stats stats;
    clock_t started = clock();
    int rc = dg_loops_each(s->l, &lo, on_loop, s, &stats, diags);
    if (rc != DG_OK)
        return rc;
    if (s->oom)
        return DG_ENOMEM;
    double used = (double)(clock() - started) / CLOCKS_PER_SEC;
    if (s->opt->loop && !s->loop_found && !stats.timed_out &&
        used < LOOP_SECONDS) {
        /* not a loop of companies: perhaps a time-respecting leg set
         * (loops.h: temporal; their ids name the legs), in what is left
         * of the time */
        lo.temporal = true;
        lo.max_seconds = LOOP_SECONDS - used;
        rc = dg_loops_each(s->l, &lo, on_loop, s, &stats, diags);
        if (rc != DG_OK)
            return rc;
        if (s->oom)
            return DG_ENOMEM;
    }
    s->loops_cut = stats.truncated || stats.timed_out;
    size_t at = diags->count;
    if (s->opt->loop && !s->loop_found) {
        note_problem(s->opt, DG_RENDER_NO_SUCH_LOOP, at,
                     dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                                  "render: no loop has the id '%s'%s",
                                  s->opt->loop,
                                  stats.timed_out
                                      ? " among the loops found in time"
                                      : ""));
        return DG_EUSAGE;
    }
    if (s->loops_cut)
        note_problem(s->opt, DG_RENDER_LOOPS_CUT, at,
                     dg_diags_add(diags, DG_SEV_WARNING, NULL, 0,
                                  "render: only the first %llu loops are "
                                  "marked (%s)",
                                  (unsigned long long)stats.count,
                                  stats.timed_out ? "the search took too long"
                                                  : "the limit was reached"));
    return DG_OK;
}

/* The direct inflow share from the focus (PRODUCT.md §4): value X receives
 * from F over X's throughflow T_X = ledger inflow + boundary inflow, with
 * exposure.h's flows (same filter, same amounts). A share whose legs from F
 * are all undisclosed is unknown; one computed while some of X's legs have
 * no value is approximate. */
static int compute_shares(scene *s, dg_diags *diags)
{
    const dg_ledger *l = s->l;
    size_t n = l->ncompanies;
    for (size_t i = 0; i < n; i++) {
        s->share[i] = NAN;
        s->share_kind[i] = SHARE_NONE;
    }
    if (s->focus == SIZE_MAX)
        return DG_OK;
    dg_flows fl;
    int rc = dg_flows_build(l, &s->opt->filter, &fl);
    if (rc == DG_ELIMIT) {
        /* n x n flows do not fit: draw without the shading, and say so */
        dg_diags_add(diags, DG_SEV_WARNING, NULL, 0,
                     "render: too many companies to compute their inflow "
                     "shares from the focus; companies are not shaded");
        return DG_OK;
    }
    if (rc != DG_OK)
        return rc;
    size_t f = fl.rank[s->focus];
    bool *from_unknown = calloc(n ? n : 1, sizeof *from_unknown);
    bool *in_unknown = calloc(n ? n : 1, sizeof *in_unknown);
    bool *from_any = calloc(n ? n : 1, sizeof *from_any);
    if (!from_unknown || !in_unknown || !from_any) {
        rc = DG_ENOMEM;
        goto done;
    }
    for (size_t e = 0; e < l->nlegs; e++) {
        const dg_leg *leg = &l->legs[e];
        if (!dg_filter_keep(&s->opt->filter, leg))
            continue;
        bool valued = dg_has(dg_leg_value(leg, s->opt->filter.amounts));
        if (leg->from == s->focus) {
            from_any[leg->to] = true;
            if (!valued)
                from_unknown[leg->to] = true;
        }
        if (!valued)
            in_unknown[leg->to] = in_unknown[leg->from] = true;
    }
    for (size_t x = 0; x < n; x++) {
        if (x == s->focus || !from_any[x])
            continue;
        size_t k = fl.rank[x];
        double in = 0;
        for (size_t j = 0; j < n; j++)
            in += fl.flow[j * n + k];
        double T = in + fl.boundary[k], got = fl.flow[f * n + k];
        s->received[x] = got;
        s->throughflow[x] = T;
        if (got > 0 && T > 0) {
            s->share[x] = got / T;
            s->share_kind[x] = in_unknown[x] ? SHARE_APPROX : SHARE_KNOWN;
        } else if (from_unknown[x]) {
            s->share_kind[x] = SHARE_UNKNOWN;
        }
    }
done:
    free(from_unknown);
    free(in_unknown);
    free(from_any);
    dg_flows_finish(&fl);
    return rc;
}

static int scene_build(scene *s, const dg_ledger *l,
                       const dg_render_options *opt, dg_diags *diags)
{
    memset(s, 0, sizeof *s);
    s->l = l;
    s->opt = opt;
    s->focus = SIZE_MAX;
    dg_buf_init(&s->loop_text);
    dg_buf_init(&s->left_out);
    size_t nl = l->nlegs ? l->nlegs : 1, nc = l->ncompanies ? l->ncompanies : 1;
    s->draw_leg = calloc(nl, sizeof *s->draw_leg);
    s->leg_on_loop = calloc(nl, sizeof *s->leg_on_loop);
    s->leg_loops = calloc(nl, sizeof *s->leg_loops);
    s->draw_company = calloc(nc, sizeof *s->draw_company);
    s->company_on_loop = calloc(nc, sizeof *s->company_on_loop);
    s->share = calloc(nc, sizeof *s->share);
    s->share_kind = calloc(nc, sizeof *s->share_kind);
    s->received = calloc(nc, sizeof *s->received);
    s->throughflow = calloc(nc, sizeof *s->throughflow);
    if (!s->draw_leg || !s->leg_on_loop || !s->leg_loops || !s->draw_company ||
        !s->company_on_loop || !s->share || !s->share_kind || !s->received ||
        !s->throughflow)
        return DG_ENOMEM;
    for (size_t i = 0; i < l->nlegs; i++)
        dg_buf_init(&s->leg_loops[i]);

    if (opt->focus || l->focus) {
        int rc = dg_focus_resolve(l, opt->focus, "render", &s->focus, diags);
        if (rc != DG_OK)
            return rc;
    }
    if (opt->highlight == DG_HIGHLIGHT_FOCUS && s->focus == SIZE_MAX) {
        size_t at = diags->count;
        note_problem(opt, DG_RENDER_NO_FOCUS, at,
                     dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                                  "render: no focal company to highlight: %s "
                                  "sets no `focus` graph attribute",
                                  l->path ? l->path : "the ledger"));
        return DG_EUSAGE;
    }
    if (!opt->loop)
        for (size_t i = 0; i < l->nlegs; i++)
            s->draw_leg[i] = dg_filter_keep(&opt->filter, &l->legs[i]);
    int rc = find_loops(s, diags);
    if (rc == DG_OK)
        rc = compute_shares(s, diags);
    if (rc != DG_OK)
        return rc;
    for (size_t i = 0; i < l->nlegs; i++) {
        if (!s->draw_leg[i])
            continue;
        s->legs_drawn++;
        s->draw_company[l->legs[i].from] = true;
        s->draw_company[l->legs[i].to] = true;
    }
    for (size_t c = 0; c < l->ncompanies; c++) {
        if (s->draw_company[c]) {
            s->companies_drawn++;
        } else if (!opt->loop) {
            if (s->nleft_out < 12)
                dg_buf_printf(&s->left_out, "%s%s", s->nleft_out ? ", " : "",
                              l->companies[c].name);
            s->nleft_out++;
        }
    }
    if (s->nleft_out > 12)
        dg_buf_printf(&s->left_out, " and %zu more", s->nleft_out - 12);
    if (s->left_out.oom || s->loop_text.oom)
        return DG_ENOMEM;
    return DG_OK;
}

/* Companies of one sector share a rank (a column) in dot's layout. */
static bool columns(const scene *s)
{
    return !s->opt->engine || strcmp(s->opt->engine, "dot") == 0;
}

/* Is leg e drawn strong (true) or faded (false)? */
static bool leg_strong(const scene *s, size_t e)
{
    const dg_leg *leg = &s->l->legs[e];
    if (s->opt->loop)
        return true;
    switch (s->opt->highlight) {
    case DG_HIGHLIGHT_LOOPS:
        return s->nloops == 0 || s->leg_on_loop[e];
    case DG_HIGHLIGHT_FOCUS:
        return leg->from == s->focus || leg->to == s->focus;
    default:
        return true;
    }
}

static bool company_strong(const scene *s, size_t c)
{
    if (s->opt->loop)
        return true;
    switch (s->opt->highlight) {
    case DG_HIGHLIGHT_LOOPS:
        return s->nloops == 0 || s->company_on_loop[c];
    case DG_HIGHLIGHT_FOCUS:
        if (c == s->focus)
            return true;
        for (size_t e = 0; e < s->l->nlegs; e++) {
            const dg_leg *leg = &s->l->legs[e];
            if (s->draw_leg[e] &&
                ((leg->from == s->focus && leg->to == c) ||
                 (leg->to == s->focus && leg->from == c)))
                return true;
        }
        return false;
    default:
        return true;
    }
}

/* ---- writing DOT --------------------------------------------------------------- */

/* A DOT double-quoted string holding `s` as cgraph reads it back: `"` is
 * escaped; a backslash is written as is, except where the lexer would
 * read it with the next character (before a quote, a newline or the end),
 * where it is doubled so that the string still ends where it should. */
static void put_q(dg_buf *b, const char *s)
{
    dg_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"') {
            dg_buf_puts(b, "\\\"");
        } else if (*p == '\\') {
            if (p[1] == '\\') {
                dg_buf_puts(b, "\\\\");
                p++;
            } else if (p[1] == '"' || p[1] == '\n' || p[1] == '\r' ||
                       p[1] == '\0') {
                dg_buf_puts(b, "\\\\");
            } else {
                dg_buf_putc(b, '\\');
            }
        } else {
            dg_buf_putc(b, *p);
        }
    }
    dg_buf_putc(b, '"');
}

/* Text for a Graphviz escString (tooltips, plain labels): backslashes
 * doubled so \n, \N and friends stay literal; line breaks as \n; other
 * control characters as spaces. Appended inside an open quoted string. */
static void put_esc(dg_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\')
            dg_buf_puts(b, "\\\\");
        else if (*p == '"')
            dg_buf_puts(b, "\\\"");
        else if (*p == '\n')
            dg_buf_puts(b, "\\n");
        else if (*p < 0x20 || *p == 0x7f)
            dg_buf_putc(b, ' ');
        else
            dg_buf_putc(b, (char)*p);
    }
}

/* Text inside an HTML-like label: XML escapes; control characters (which
 * XML forbids) as spaces, and the noncharacters U+FFFE and U+FFFF (which
 * it forbids too: Graphviz's label parser refuses the label and the
 * layout fails) as U+FFFD. */
static void put_html(dg_buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': dg_buf_puts(b, "&amp;"); break;
        case '<': dg_buf_puts(b, "&lt;"); break;
        case '>': dg_buf_puts(b, "&gt;"); break;
        case '"': dg_buf_puts(b, "&quot;"); break;
        case 0xef:
            if (p[1] == 0xbf && (p[2] & 0xfe) == 0xbe) {
                dg_buf_puts(b, "\xef\xbf\xbd");
                p += 2;
                break;
            }
            dg_buf_putc(b, (char)*p);
            break;
        default:
            dg_buf_putc(b, *p < 0x20 || *p == 0x7f ? ' ' : (char)*p);
        }
    }
}

/* How many lines greedy wrapping at spaces makes of `s` with lines of at
 * most `width` bytes (a longer word takes a line of its own). */
static size_t wrapped_lines(const char *s, size_t width)
{
    size_t lines = 0, line = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t word = strcspn(p, " ");
        if (line == 0 || line + 1 + word > width) {
            lines++;
            line = word;
        } else {
            line += 1 + word;
        }
        p += word;
    }
    return lines;
}

/* HTML text broken at spaces into lines of about `width` bytes (a quarter
 * more where that saves a line), balanced: the narrowest width that keeps
 * the fewest lines, so that "xAI GPU SPV (Colossus 2)" breaks into two
 * halves rather than leave "2)" alone. */
static void put_html_wrapped(dg_buf *b, const char *s, size_t width)
{
    size_t n = strlen(s), max = width + width / 4;
    size_t lines = wrapped_lines(s, max);
    size_t w = lines > 1 ? (n + lines - 1) / lines : max;
    while (w < max && wrapped_lines(s, w) > lines)
        w++;
    size_t line = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t word = strcspn(p, " ");
        if (line > 0 && line + 1 + word > w) {
            dg_buf_puts(b, "<BR/>");
            line = 0;
        } else if (line > 0) {
            dg_buf_putc(b, ' ');
            line++;
        }
        char *t = dg_strndup(p, word);
        if (!t) {
            b->oom = true;
            return;
        }
        put_html(b, t);
        free(t);
        line += word;
        p += word;
    }
}

/* An attribute `name="value"` with a separator. */
static void attr(dg_buf *b, bool *first, const char *name, const char *value)
{
    dg_buf_puts(b, *first ? "" : ", ");
    *first = false;
    dg_buf_printf(b, "%s=", name);
    put_q(b, value);
}

/* Every attribute a leg or a company has in the ledger, in the documented
 * order (dg_leg_fields, dg_company_fields), as the loaders read them
 * back. A company's label is left to the picture. */
static void ledger_attrs(dg_buf *b, bool *first, const dg_leg *leg,
                         const dg_company *co)
{
    const char *const *names = leg ? dg_leg_fields : dg_company_fields;
    dg_buf v;
    dg_buf_init(&v);
    for (size_t k = 0; names[k]; k++) {
        if (co && strcmp(names[k], "label") == 0)
            continue;
        dg_buf_clear(&v);
        bool has = leg ? dg_leg_attr_text(leg, names[k], &v)
                       : dg_company_attr_text(co, names[k], &v);
        if (has && v.data)
            attr(b, first, names[k], v.data);
    }
    if (v.oom)
        b->oom = true;
    dg_buf_finish(&v);
}

static void attr_date(dg_buf *b, bool *first, const char *name, dg_date d)
{
    if (!dg_date_valid(d))
        return;
    char t[16];
    attr(b, first, name, dg_date_format(d, t, sizeof t));
}

static void attr_str(dg_buf *b, bool *first, const char *name, const char *v)
{
    if (v && v[0])
        attr(b, first, name, v);
}

/* The label of a leg: "$300B", "up to $100B", "$3B/yr", "est. $350B",
 * "undisclosed". */
static void leg_label(const scene *s, const dg_leg *leg, char *buf, size_t n)
{
    double v = dg_leg_value(leg, s->opt->filter.amounts);
    char money[32];
    if (!dg_has(v)) {
        snprintf(buf, n, "undisclosed");
        return;
    }
    dg_money_format(v, money, sizeof money);
    snprintf(buf, n, "%s%s%s%s", leg->upto ? "up to " : "",
             dg_has(leg->amount) ? "" : "est. ", money,
             leg->per == DG_PER_YEAR ? "/yr" : leg->per == DG_PER_MONTH ? "/mo" : "");
}

static void share_text(double share, char *buf, size_t n)
{
    double pct = share * 100;
    if (pct > 0 && pct < 1)
        snprintf(buf, n, "<1%%");
    else
        snprintf(buf, n, "%.0f%%", pct);
}

static size_t share_class(double share)
{
    size_t k = 0;
    while (k + 1 < NSHARE && share >= share_classes[k].below)
        k++;
    return k;
}

static void write_company(const scene *s, dg_buf *b, size_t c)
{
    const dg_ledger *l = s->l;
    const dg_company *co = &l->companies[c];
    bool focus = c == s->focus, strong = company_strong(s, c);
    const char *fill = FILL_NONE, *text = INK, *focus_name = NULL;
    if (s->focus != SIZE_MAX)
        focus_name = l->companies[s->focus].name;
    char pct[16] = "", money[32], money2[32];
    int sk = s->share_kind[c];
    if (focus) {
        fill = FILL_FOCUS;
        text = "#FFFFFF";
    } else if (sk == SHARE_KNOWN || sk == SHARE_APPROX) {
        size_t k = share_class(s->share[c]);
        fill = share_classes[k].fill;
        text = share_classes[k].text;
        share_text(s->share[c], pct, sizeof pct);
    } else if (sk == SHARE_UNKNOWN) {
        fill = FILL_UNKNOWN;
    }

    dg_buf_puts(b, "    ");
    put_q(b, co->name);
    dg_buf_puts(b, " [");
    bool first = true;
    /* the ledger's attributes, in the documented order (the label is the
     * picture's, below) */
    ledger_attrs(b, &first, NULL, co);

    /* the picture (after a comma only when the ledger gave attributes:
     * a company named only by its legs has none) */
    dg_buf_puts(b, first ? "\n      label=<" : ",\n      label=<");
    if (focus)
        dg_buf_puts(b, "<B>");
    put_html_wrapped(b, company_text(co), 22);
    if (focus)
        dg_buf_puts(b, "</B>");
    /* second line: sector and share, small */
    const char *tag = sector_tags[co->sector];
    if (tag[0] || focus || pct[0] || sk == SHARE_UNKNOWN) {
        dg_buf_puts(b, "<BR/><FONT POINT-SIZE=\"9\">");
        put_html(b, tag);
        const char *sep = tag[0] ? " \xC2\xB7 " : "";
        if (focus) {
            dg_buf_printf(b, "%sfocus", sep);
        } else if (pct[0]) {
            dg_buf_printf(b, "%s%s", sep, sk == SHARE_APPROX ? "~" : "");
            put_html(b, pct); /* "<1%" */
            dg_buf_puts(b, " from ");
            put_html(b, focus_name);
        } else if (sk == SHARE_UNKNOWN) {
            dg_buf_printf(b, "%sundisclosed from ", sep);
            put_html(b, focus_name);
        }
        dg_buf_puts(b, "</FONT>");
    }
    dg_buf_puts(b, ">");
    dg_buf_printf(b, ", fillcolor=\"%s\", fontcolor=\"%s\"", fill, text);
    if (focus)
        dg_buf_puts(b, ", penwidth=\"2.5\", color=\"#000000\", "
                       "fontsize=\"15\"");
    else if (!strong)
        dg_buf_puts(b, ", color=\"#9A9A9A\"");
    else if (s->opt->highlight != DG_HIGHLIGHT_NONE || s->opt->loop)
        dg_buf_puts(b, ", penwidth=\"2\"");
    dg_buf_printf(b, ", id=\"company_%zu\", class=\"", c + 1);
    dg_buf_printf(b, "company sector_%s",
                  co->sector == DG_SECTOR_NONE ? "none"
                                                : dg_sector_name(co->sector));
    if (focus)
        dg_buf_puts(b, " focus");
    if (s->company_on_loop[c])
        dg_buf_puts(b, " on_loop");
    dg_buf_puts(b, "\", tooltip=\"");
    put_esc(b, co->name);
    if (co->label && strcmp(co->label, co->name) != 0) {
        dg_buf_puts(b, " (");
        put_esc(b, co->label);
        dg_buf_puts(b, ")");
    }
    if (co->sector != DG_SECTOR_NONE)
        dg_buf_printf(b, ", %s", sector_tags[co->sector]);
    if (focus) {
        dg_buf_puts(b, ": the focal company");
    } else if (pct[0]) {
        dg_buf_printf(b, ": %s%s of its throughflow (%s of %s) comes from ",
                      sk == SHARE_APPROX ? "about " : "", pct,
                      dg_money_format(s->received[c], money, sizeof money),
                      dg_money_format(s->throughflow[c], money2,
                                      sizeof money2));
        put_esc(b, focus_name);
        if (sk == SHARE_APPROX)
            dg_buf_puts(b, " (some legs undisclosed)");
    } else if (sk == SHARE_UNKNOWN) {
        dg_buf_puts(b, ": receives an undisclosed value from ");
        put_esc(b, focus_name);
    }
    dg_buf_puts(b, "\"];\n");
}

static void write_leg(const scene *s, dg_buf *b, size_t e)
{
    const dg_ledger *l = s->l;
    const dg_leg *leg = &l->legs[e];
    bool strong = leg_strong(s, e);
    bool emphasis = strong && (s->opt->loop ||
                               (s->opt->highlight != DG_HIGHLIGHT_NONE &&
                                !(s->opt->highlight == DG_HIGHLIGHT_LOOPS &&
                                  s->nloops == 0)));
    double v = dg_leg_value(leg, s->opt->filter.amounts);
    char label[96], money[32], d[16];

    dg_buf_puts(b, "  ");
    put_q(b, l->companies[leg->from].name);
    dg_buf_puts(b, " -> ");
    put_q(b, l->companies[leg->to].name);
    dg_buf_puts(b, " [");
    bool first = true;
    ledger_attrs(b, &first, leg, NULL);

    leg_label(s, leg, label, sizeof label);
    const char *line = kind_colours[leg->kind].line;
    const char *text = kind_colours[leg->kind].text;
    /* A labelled leg between two companies of one column (a "flat" edge)
     * makes Graphviz 2.42's dot free memory twice when the layout is
     * freed (flat_edges reallocates the rank array): such legs carry their
     * label as an external label, which dot places afterwards. */
    bool flat = columns(s) && leg->from != leg->to &&
                l->companies[leg->from].sector != DG_SECTOR_NONE &&
                l->companies[leg->from].sector == l->companies[leg->to].sector;
    dg_buf_puts(b, flat ? ",\n    xlabel=<" : ",\n    label=<");
    if (emphasis)
        dg_buf_puts(b, "<B>");
    put_html(b, label);
    if (emphasis)
        dg_buf_puts(b, "</B>");
    dg_buf_puts(b, ">");
    if (strong)
        dg_buf_printf(b, ", color=\"%s\", fontcolor=\"%s\"", line, text);
    else
        dg_buf_printf(b, ", color=\"%s" FADE_ALPHA "\", fontcolor=\"#A0A0A0\"",
                      line);
    dg_buf_printf(b, ", penwidth=\"%.1f\", style=\"%s\"", leg_width(v),
                  leg_style(leg));
    if (emphasis)
        dg_buf_puts(b, ", weight=\"3\"");
    dg_buf_printf(b, ", id=\"leg_%zu\", class=\"", e + 1);
    if (s->leg_on_loop[e])
        dg_buf_printf(b, "loop%s ", s->leg_loops[e].data
                                        ? s->leg_loops[e].data
                                        : "");
    dg_buf_printf(b, "kind_%s status_%s\"", dg_kind_name(leg->kind),
                  dg_status_name(leg->status));
    dg_buf_puts(b, ", tooltip=\"");
    put_esc(b, l->companies[leg->from].name);
    dg_buf_puts(b, " \xE2\x86\x92 ");
    put_esc(b, l->companies[leg->to].name);
    dg_buf_printf(b, ": %s, %s", dg_kind_name(leg->kind), label);
    if (!dg_has(leg->amount) && dg_has(leg->amount_low) &&
        dg_has(leg->amount_high)) {
        dg_buf_printf(b, " (estimate %s", dg_money_format(leg->amount_low,
                                                          money, sizeof money));
        if (leg->amount_high != leg->amount_low)
            dg_buf_printf(b, "\xE2\x80\x93%s",
                          dg_money_format(leg->amount_high, money,
                                          sizeof money));
        dg_buf_puts(b, ")");
    }
    dg_buf_printf(b, ", status %s", dg_status_name(leg->status));
    if (dg_date_valid(leg->announced))
        dg_buf_printf(b, ", announced %s",
                      dg_date_format(leg->announced, d, sizeof d));
    if (leg->deal) {
        dg_buf_puts(b, ", deal ");
        put_esc(b, leg->deal);
    }
    /* the source, so a reader can check the figure from the picture, and
     * a link to it where the ledger gives its address */
    if (leg->source) {
        dg_buf_puts(b, ". Source: ");
        put_esc(b, leg->source);
    }
    dg_buf_puts(b, "\"");
    if (leg->url) {
        dg_buf_puts(b, ", URL=\"");
        put_esc(b, leg->url);
        dg_buf_puts(b, "\", target=\"_blank\"");
    }
    dg_buf_puts(b, "];\n");
}

/* The legend is rows of a two-column table: a bold heading, then the
 * items as one run of text whose line samples are glyphs (a heavy bar, an
 * em dash, en dashes, middle dots, all in Liberation Sans). Text cells keep
 * their natural width where a row of cells would be stretched evenly to the
 * table's width, pulling each sample away from its words. */
static void legend_row_start(dg_buf *b, const char *heading)
{
    dg_buf_puts(b, "<TR><TD ALIGN=\"LEFT\" VALIGN=\"MIDDLE\"><B>");
    put_html(b, heading);
    dg_buf_puts(b, "</B></TD><TD ALIGN=\"LEFT\" VALIGN=\"MIDDLE\">");
}

static void legend_row_end(dg_buf *b) { dg_buf_puts(b, "</TD></TR>\n"); }

#define BAR "\xE2\x96\xAC"    /* U+25AC black rectangle */
#define EMDASH "\xE2\x80\x94" /* U+2014 */
#define ENDASH "\xE2\x80\x93" /* U+2013 */
#define MIDDOT "\xC2\xB7"      /* U+00B7 */
#define GAP "&#160;&#160;&#160;&#160;"

/* One legend item: a sample (HTML, already escaped) and its words. */
static void legend_item(dg_buf *b, bool *first, const char *sample,
                        const char *words)
{
    if (!*first)
        dg_buf_puts(b, GAP);
    *first = false;
    dg_buf_printf(b, "%s&#160;", sample);
    put_html(b, words);
}

static const char *scenario_text(dg_amounts a)
{
    switch (a) {
    case DG_AMOUNTS_LOW: return "undisclosed amounts at their low estimates";
    case DG_AMOUNTS_MID: return "undisclosed amounts at mid estimates";
    case DG_AMOUNTS_HIGH: return "undisclosed amounts at their high estimates";
    default: return "disclosed amounts only";
    }
}

/* A caption line across the legend's two columns, wrapped so that it does
 * not widen the legend. */
static void caption_row(dg_buf *b, const char *text)
{
    dg_buf_puts(b, "<TR><TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" COLSPAN=\"2\">"
                   "<FONT POINT-SIZE=\"12\" COLOR=\"" MUTED "\">");
    put_html_wrapped(b, text ? text : "", 150);
    dg_buf_puts(b, "</FONT></TD></TR>\n");
}

static void write_label(const scene *s, dg_buf *b, const char *title)
{
    const dg_ledger *l = s->l;
    const dg_render_options *o = s->opt;
    const char *focus_name =
        s->focus != SIZE_MAX ? l->companies[s->focus].name : NULL;
    char d[16];
    dg_buf t; /* plain text, escaped once at the end */
    dg_buf_init(&t);

    dg_buf_puts(b, "<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"0\" "
                   "CELLPADDING=\"3\">\n");
    if (title && title[0]) {
        dg_buf_puts(b, "<TR><TD ALIGN=\"LEFT\" COLSPAN=\"2\"><FONT "
                       "POINT-SIZE=\"24\"><B>");
        put_html(b, title);
        dg_buf_puts(b, "</B></FONT></TD></TR>\n");
    }
    /* caption: what, as of when, from where */
    if (s->loop_text.data)
        dg_buf_printf(&t, "%s. ", s->loop_text.data);
    if (dg_date_valid(l->as_of))
        dg_buf_printf(&t, "Ledger as of %s",
                      dg_date_format(l->as_of, d, sizeof d));
    else
        dg_buf_puts(&t, "Ledger (no as_of date)");
    dg_buf_printf(&t, " \xC2\xB7 %zu leg%s between %zu companies \xC2\xB7 %s",
                  s->legs_drawn, s->legs_drawn == 1 ? "" : "s",
                  s->companies_drawn, scenario_text(o->filter.amounts));
    if (o->filter.min_status != DG_STATUS_TALKS)
        dg_buf_printf(&t, " \xC2\xB7 legs at least %s",
                      dg_status_name(o->filter.min_status));
    if (o->filter.kinds) {
        dg_buf_puts(&t, " \xC2\xB7 kinds ");
        bool firstk = true;
        for (int k = 0; k < DG_KIND_COUNT; k++)
            if (o->filter.kinds & (1u << k)) {
                dg_buf_printf(&t, "%s%s", firstk ? "" : ", ",
                              dg_kind_name((dg_kind)k));
                firstk = false;
            }
    }
    if (dg_date_valid(o->filter.as_of))
        dg_buf_printf(&t, " \xC2\xB7 announced by %s",
                      dg_date_format(o->filter.as_of, d, sizeof d));
    dg_buf_printf(&t, " \xC2\xB7 source: %s (each leg cites its own)",
                  l->path ? dg_basename(l->path) : "the ledger");
    caption_row(b, t.data);

    dg_buf_clear(&t);
    dg_buf_puts(&t, "Arrows point the way value moves: buyer \xE2\x86\x92 "
                    "seller, investor \xE2\x86\x92 investee, warrant issuer "
                    "\xE2\x86\x92 holder, lender \xE2\x86\x92 borrower.");
    if (o->loop)
        dg_buf_puts(&t, " Only this loop's legs are drawn.");
    else if (o->highlight == DG_HIGHLIGHT_LOOPS && s->nloops > 0)
        dg_buf_printf(&t, " %s%zu closed loop%s%s: their legs and companies "
                          "are drawn strong, other legs faded.",
                      s->loops_cut ? "At least " : "", s->nloops,
                      s->nloops == 1 ? "" : "s",
                      o->max_len ? " (of bounded length)" : "");
    else if (o->highlight == DG_HIGHLIGHT_LOOPS)
        dg_buf_puts(&t, " No closed loops.");
    else if (o->highlight == DG_HIGHLIGHT_FOCUS)
        dg_buf_printf(&t, " Legs to and from %s are drawn strong, others "
                          "faded.",
                      focus_name);
    bool filtered = o->filter.min_status != DG_STATUS_TALKS ||
                    o->filter.kinds || dg_date_valid(o->filter.as_of);
    if (s->nleft_out)
        dg_buf_printf(&t, " %s: %s.",
                      filtered ? "Left out, no leg passing the filters"
                               : "Not drawn (no legs)",
                      s->left_out.data);
    caption_row(b, t.data);
    if (t.oom) /* the caption was cut short: the whole picture fails */
        b->oom = true;
    dg_buf_finish(&t);

    /* legend: the kinds and line styles present, widths, fills */
    unsigned kinds = 0;
    bool styles[3] = {false, false, false};
    for (size_t e = 0; e < l->nlegs; e++) {
        if (!s->draw_leg[e])
            continue;
        kinds |= 1u << l->legs[e].kind;
        const char *st = leg_style(&l->legs[e]);
        styles[st[0] == 's' ? 0 : st[1] == 'a' ? 1 : 2] = true;
    }
    char sample[160];
    bool first = true;
    legend_row_start(b, "Leg kind (colour)");
    for (int k = 0; k < DG_KIND_COUNT; k++) {
        if (!(kinds & (1u << k)))
            continue;
        snprintf(sample, sizeof sample, "<FONT COLOR=\"%s\">" BAR BAR "</FONT>",
                 kind_colours[k].line);
        legend_item(b, &first, sample, dg_kind_name((dg_kind)k));
    }
    legend_row_end(b);
    first = true;
    legend_row_start(b, "Firmness (line style)");
    if (styles[0])
        legend_item(b, &first, "<B>" EMDASH EMDASH EMDASH "</B>",
                    "completed or definitive");
    if (styles[1])
        legend_item(b, &first, "<B>" ENDASH " " ENDASH " " ENDASH "</B>",
                    "announced or reported, or a ceiling (\"up to\")");
    if (styles[2])
        legend_item(b, &first,
                    "<B>" MIDDOT " " MIDDOT " " MIDDOT " " MIDDOT "</B>",
                    "letter of intent or talks");
    legend_row_end(b);
    first = true;
    legend_row_start(b, "Amount (line width)");
    static const struct {
        int size;
        const char *name;
    } widths[] = {{5, "$1B"}, {10, "$10B"}, {16, "$100B"}, {22, "$1T"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(sample, sizeof sample,
                 "<FONT POINT-SIZE=\"%d\">" BAR BAR "</FONT>", widths[i].size);
        legend_item(b, &first, sample, widths[i].name);
    }
    legend_item(b, &first, "",
                "(log scale; legs under $0.7B or without a value thinnest)");
    legend_row_end(b);
    if (focus_name && s->companies_drawn > 0) {
        dg_buf h;
        dg_buf_init(&h);
        dg_buf_printf(&h, "Inflow from %s (fill)", focus_name);
        legend_row_start(b, h.data ? h.data : "");
        if (h.oom)
            b->oom = true;
        dg_buf_finish(&h);
        dg_buf_puts(b, "<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"3\" "
                       "CELLPADDING=\"3\" COLOR=\"#9A9A9A\"><TR>");
        dg_buf_printf(b, "<TD BGCOLOR=\"" FILL_FOCUS "\"><FONT COLOR=\"#FFFFFF\">"
                         "<B>");
        put_html(b, focus_name);
        dg_buf_puts(b, "</B> (focus)</FONT></TD>");
        for (size_t k = 0; k < NSHARE; k++) {
            dg_buf_printf(b, "<TD BGCOLOR=\"%s\"><FONT COLOR=\"%s\">%s</FONT>"
                             "</TD>",
                          share_classes[k].fill, share_classes[k].text,
                          share_classes[k].name);
        }
        dg_buf_puts(b, "<TD BGCOLOR=\"" FILL_UNKNOWN "\">undisclosed</TD>"
                       "<TD BGCOLOR=\"" FILL_NONE "\">none</TD></TR></TABLE>");
        legend_row_end(b);
        dg_buf_puts(b, "<TR><TD></TD><TD ALIGN=\"LEFT\"><FONT POINT-SIZE=\"10\" "
                       "COLOR=\"" MUTED "\">The share of a company's throughflow "
                       "(ledger inflow plus outside inflow) that it receives "
                       "directly from ");
        put_html(b, focus_name);
        dg_buf_printf(b, "; ~ where some of its legs are undisclosed.%s"
                         "</FONT></TD></TR>\n",
                      columns(s) ? " Companies of one sector share a column."
                                 : "");
    }
    dg_buf_puts(b, "</TABLE>>");
}

/* Layout settings per engine: dot ranks left to right; the others place
 * nodes freely and need overlap removal. */
static void write_graph_attrs(const scene *s, dg_buf *b, const char *engine)
{
    bool dot = strcmp(engine, "dot") == 0;
    dg_buf_printf(b, "  graph [layout=\"%s\", fontname=\"" FONT "\", "
                     "fontsize=\"12\", bgcolor=\"white\", pad=\"0.4\",\n"
                     "    labelloc=\"t\", labeljust=\"l\", "
                     "outputorder=\"edgesfirst\", splines=\"true\"",
                  engine);
    if (dot)
        dg_buf_puts(b, ", rankdir=\"LR\", nodesep=\"0.3\", ranksep=\"1.1\", "
                       "forcelabels=\"true\"");
    else if (strcmp(engine, "circo") == 0)
        dg_buf_puts(b, ", mindist=\"1.2\"");
    else
        dg_buf_puts(b, ", overlap=\"false\", sep=\"+12\"");
    (void)s;
    dg_buf_puts(b, "];\n");
}

static int write_dot(const scene *s, dg_buf *b)
{
    const dg_ledger *l = s->l;
    const dg_render_options *o = s->opt;
    const char *engine = o->engine ? o->engine : "dot";
    const char *title = o->title ? o->title
                        : l->title ? l->title
                        : l->path ? dg_basename(l->path) : "ledger";

    dg_buf_puts(b, "/*\n * The picture of ");
    dg_buf_puts(b, l->path ? dg_basename(l->path) : "a ledger");
    dg_buf_puts(b,
                ", annotated by dealgraph render: every company\n"
                " * and leg keeps its ledger attributes, so dealgraph can read "
                "this file back,\n"
                " * and Graphviz draws it as dealgraph does (dot -Tsvg). The "
                "look: docs/render.md.\n */\n");
    dg_buf_puts(b, "digraph ");
    char *name = l->path ? dg_strdup(dg_basename(l->path)) : dg_strdup("ledger");
    if (!name)
        return DG_ENOMEM;
    char *ext = strrchr(name, '.');
    if (ext && ext != name)
        *ext = '\0';
    put_q(b, name);
    free(name);
    dg_buf_puts(b, " {\n  graph [");
    bool first = true;
    /* Only a drawn company can be the focus of the file: one left out (no
     * drawn legs) would make the annotated DOT name a company it lacks. */
    if (s->focus != SIZE_MAX && s->draw_company[s->focus])
        attr(b, &first, "focus", l->companies[s->focus].name);
    attr_date(b, &first, "as_of", l->as_of);
    attr_str(b, &first, "title", l->title);
    dg_buf_puts(b, first ? "" : ",\n    ");
    dg_buf_puts(b, "label=");
    write_label(s, b, title);
    dg_buf_puts(b, "];\n");
    write_graph_attrs(s, b, engine);
    dg_buf_puts(b, "  node [shape=\"box\", style=\"rounded,filled\", "
                   "fontname=\"" FONT "\", fontsize=\"13\", margin=\"0.12,0.05\", "
                   "penwidth=\"1\", color=\"#444444\"];\n");
    dg_buf_puts(b, "  edge [fontname=\"" FONT "\", fontsize=\"10\", "
                   "arrowsize=\"0.7\"];\n");

    /* companies, one column per sector (in dot; other engines ignore it):
     * with value moving left to right, the columns read as the value chain
     * (investors, labs, cloud, chips) and a loop shows as legs that run
     * back against it. Boxed clusters per sector were tried and tangled
     * the web. */
    bool cols = columns(s);
    for (size_t k = 0; k < DG_SECTOR_COUNT; k++) {
        dg_sector sec = sector_order[k];
        bool any = false;
        for (size_t c = 0; c < l->ncompanies && !any; c++)
            any = s->draw_company[c] && l->companies[c].sector == sec;
        if (!any)
            continue;
        bool col = cols && sec != DG_SECTOR_NONE;
        if (col)
            dg_buf_printf(b, "\n  subgraph \"sector_%s\" {\n    rank=\"same\";\n",
                          dg_sector_name(sec));
        else
            dg_buf_puts(b, "\n");
        for (size_t c = 0; c < l->ncompanies; c++)
            if (s->draw_company[c] && l->companies[c].sector == sec)
                write_company(s, b, c);
        if (col)
            dg_buf_puts(b, "  }\n");
    }
    dg_buf_puts(b, "\n");
    for (size_t e = 0; e < l->nlegs; e++)
        if (s->draw_leg[e])
            write_leg(s, b, e);
    dg_buf_puts(b, "}\n");
    return b->oom ? DG_ENOMEM : DG_OK;
}

/* ---- gvc --------------------------------------------------------------------- */

static GVC_t *gvc;
static bool gvc_freed;

void dg_render_shutdown(void)
{
    if (gvc) {
        gvFreeContext(gvc);
        gvc = NULL;
    }
    gvc_freed = true;
}

/* A memory channel for agread. */
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

static int chan_putstr(void *chan, const char *str)
{
    (void)chan;
    (void)str;
    return 0;
}

static int chan_flush(void *chan)
{
    (void)chan;
    return 0;
}

/* Static: a discipline must outlive the graphs read with it. */
static Agiodisc_t render_io = {chan_read, chan_putstr, chan_flush};
static Agdisc_t render_disc = {&AgMemDisc, &AgIdDisc, &render_io};

/* Logged before each Graphviz step: a last message that is still this one
 * means the step said nothing (cgraph never clears its last message). */
static const char mark[] = "dealgraph render mark\n";

/* Graphviz's last message as a diagnostic, without its trailing newline. */
static void graphviz_message(dg_diags *diags, dg_severity sev,
                             const char *what)
{
    char *msg = aglasterr();
    dg_buf q;
    dg_buf_init(&q);
    if (msg && strcmp(msg, mark) != 0) {
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = '\0';
        dg_diags_add(diags, sev, NULL, 0, "render: %s: Graphviz: %s", what,
                     dg_quote(msg, 300, &q));
    } else if (sev == DG_SEV_ERROR) {
        dg_diags_add(diags, sev, NULL, 0, "render: %s failed in Graphviz",
                     what);
    }
    dg_buf_finish(&q);
    free(msg);
}

/* Whether the text at s (n bytes, s[0] == '&') is an XML reference that
 * an XML parser reads without a document type: one of the five named
 * entities or a character reference to a character XML allows. */
static bool xml_reference(const char *s, size_t n)
{
    size_t k = 1;
    while (k < n && k < 12 && s[k] != ';')
        k++;
    if (k >= n || s[k] != ';' || k == 1)
        return false;
    const char *name = s + 1;
    size_t len = k - 1;
    static const char *const named[] = {"amp", "lt", "gt", "quot", "apos"};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (strlen(named[i]) == len && memcmp(name, named[i], len) == 0)
            return true;
    if (name[0] != '#' || len < 2)
        return false;
    bool hex = name[1] == 'x';
    size_t i = hex ? 2 : 1;
    if (i >= len)
        return false;
    unsigned long v = 0;
    for (; i < len; i++) {
        char c = name[i];
        int d = c >= '0' && c <= '9'                 ? c - '0'
                : hex && c >= 'a' && c <= 'f'         ? c - 'a' + 10
                : hex && c >= 'A' && c <= 'F'         ? c - 'A' + 10
                                                      : -1;
        if (d < 0)
            return false;
        v = v * (hex ? 16 : 10) + (unsigned long)d;
    }
    return v == 0x9 || v == 0xa || v == 0xd || (v >= 0x20 && v <= 0xd7ff) ||
           (v >= 0xe000 && v <= 0xfffd) || (v >= 0x10000 && v <= 0x10ffff);
}

/* Graphviz writes a company's name into the SVG as it is, in comments and
 * <title> elements, escaping only <, >, - and a '&' that does not start
 * something entity-like. So a control character in a name (an escape byte,
 * a form feed), U+FFFE or U+FFFF, or an '&' that XML cannot read ("R&D;
 * Labs", "C&nbsp;D", "&#1;") made the file something no XML parser or
 * browser reads. The copy this returns has control characters as spaces
 * (line breaks, tabs and carriage returns, which XML allows, are kept),
 * the two noncharacters as U+FFFD, and every '&' that does not start a
 * reference XML reads as "&amp;" (so "R&D; Labs" shows as itself). The
 * labels and tooltips dealgraph writes are escaped already (put_html,
 * put_esc). NULL when out of memory. */
static char *svg_clean(const char *svg, size_t n, size_t *out_len)
{
    size_t extra = 0;
    for (size_t i = 0; i < n; i++)
        if (svg[i] == '&' && !xml_reference(svg + i, n - i))
            extra += 4;
    char *out = malloc(n + extra + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)svg[i];
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
            out[k++] = ' ';
        } else if (c == '&' && !xml_reference(svg + i, n - i)) {
            memcpy(out + k, "&amp;", 5);
            k += 5;
        } else if (c == 0xef && i + 2 < n &&
                   (unsigned char)svg[i + 1] == 0xbf &&
                   ((unsigned char)svg[i + 2] & 0xfe) == 0xbe) {
            /* EF BF BE/BF -> EF BF BD */
            memcpy(out + k, "\xef\xbf\xbd", 3);
            k += 3;
            i += 2;
        } else {
            out[k++] = (char)c;
        }
    }
    *out_len = k;
    return out;
}

/* cairo writes the time of the run into a PDF's CreationDate
 * "(D:YYYYMMDDHHMMSS" + "Z" or "+HH'MM'"; it ignores SOURCE_DATE_EPOCH
 * (cairo 1.16). Overwrite it in place, same length (the cross-reference
 * offsets must not move), with the ledger's as_of date at midnight, or
 * 1970-01-01, and a zero offset. */
static void pin_pdf_dates(char *data, size_t len, dg_date as_of)
{
    char stamp[40];
    if (dg_date_valid(as_of))
        snprintf(stamp, sizeof stamp, "%04d%02d%02d000000", as_of.year,
                 as_of.month ? as_of.month : 1, as_of.day ? as_of.day : 1);
    else
        memcpy(stamp, "19700101000000", 15);
    static const char *const keys[] = {"/CreationDate (D:", "/ModDate (D:"};
    for (size_t k = 0; k < 2; k++) {
        size_t kl = strlen(keys[k]);
        for (size_t i = 0; i + kl + 14 <= len; i++) {
            if (memcmp(data + i, keys[k], kl) != 0)
                continue;
            char *p = data + i + kl;
            size_t d = 0;
            while (d < 14 && p + d < data + len && p[d] >= '0' && p[d] <= '9')
                d++;
            memcpy(p, stamp, d);
            p += d;
            if (p < data + len && (*p == '+' || *p == '-')) {
                *p++ = '+';
                for (; p < data + len && *p != ')'; p++)
                    if (*p >= '0' && *p <= '9')
                        *p = '0';
            }
        }
    }
}

static int lay_out(const scene *s, const char *text, size_t len,
                   char **data, size_t *out_len, dg_diags *diags)
{
    const dg_render_options *o = s->opt;
    const char *engine = o->engine ? o->engine : "dot";
    if (gvc_freed && !gvc) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "render: Graphviz was shut down in this process "
                     "(dg_render_shutdown); only DOT output is available");
        return DG_EUSAGE;
    }
    agseterr(AGMAX);
    agreseterrors();
    if (!gvc) {
        gvc = gvContext();
        if (!gvc) {
            dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                         "render: Graphviz could not start (gvContext)");
            return DG_EINTERNAL;
        }
    }
    agerr(AGWARN, "%s", mark);
    agreadline(1); /* cgraph keeps counting lines from the last read */
    mem_chan chan = {text, text + len};
    Agraph_t *g = agread(&chan, &render_disc);
    if (g) {
        /* Drain the channel so the lexer ends at this text's end and
         * nothing carries over to the next read (STACK-NOTES.md). */
        Agraph_t *extra = agread(&chan, &render_disc);
        if (extra)
            agclose(extra);
    }
    if (!g || agerrors() > 0) {
        graphviz_message(diags, DG_SEV_ERROR, "the annotated graph");
        if (g)
            agclose(g);
        agreseterrors();
        return DG_EINTERNAL;
    }
    int rc = DG_OK;
    char *buf = NULL;
    unsigned int n = 0;
    agerr(AGWARN, "%s", mark);
    if (gvLayout(gvc, g, engine) != 0 || agerrors() > 0) {
        graphviz_message(diags, DG_SEV_ERROR, "layout");
        rc = DG_EINTERNAL;
        /* a layout that reported an error may still hold its memory (an
         * HTML label Graphviz could not parse, say); freeing none is
         * harmless */
        gvFreeLayout(gvc, g);
        agclose(g);
        agreseterrors();
        return rc;
    }
    graphviz_message(diags, DG_SEV_WARNING, "layout");
    agerr(AGWARN, "%s", mark);
    if (gvRenderData(gvc, g, gvc_formats[o->format], &buf, &n) != 0 ||
        agerrors() > 0 || !buf) {
        graphviz_message(diags, DG_SEV_ERROR, dg_render_format_name(o->format));
        rc = DG_EINTERNAL;
    } else {
        graphviz_message(diags, DG_SEV_WARNING,
                         dg_render_format_name(o->format));
        if (o->format == DG_RENDER_SVG) {
            *data = svg_clean(buf, n, out_len);
        } else {
            *data = malloc(n ? n : 1);
            if (*data) {
                memcpy(*data, buf, n);
                *out_len = n;
            }
        }
        if (!*data)
            rc = DG_ENOMEM;
        else if (o->format == DG_RENDER_PDF)
            pin_pdf_dates(*data, n, s->l->as_of);
    }
    if (buf)
        gvFreeRenderData(buf);
    gvFreeLayout(gvc, g);
    agclose(g);
    agreseterrors();
    return rc;
}

/* ---- the whole ----------------------------------------------------------------- */

int dg_render(const dg_ledger *l, const dg_render_options *opt, char **data,
              size_t *len, dg_diags *diags)
{
    if (!l || !opt || !data || !len || !diags)
        return DG_EUSAGE;
    *data = NULL;
    *len = 0;
    if (opt->problems)
        for (int p = 0; p < DG_RENDER_PROBLEM_COUNT; p++)
            opt->problems->diag[p] = SIZE_MAX;
    if ((unsigned)opt->format >= DG_RENDER_FORMAT_COUNT) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "render: unknown output format");
        return DG_EUSAGE;
    }
    const char *engine = opt->engine ? opt->engine : "dot";
    if (!dg_render_engine_known(engine)) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "render: unknown layout engine '%s'; use dot, circo, "
                     "neato, fdp or sfdp",
                     engine);
        return DG_EUSAGE;
    }
    if ((unsigned)opt->highlight > DG_HIGHLIGHT_NONE) {
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "render: unknown highlight; use loops, focus or none");
        return DG_EUSAGE;
    }
    if (opt->max_len == 1) {
        /* a loop joins two companies at least: a bound of 1 would mark
         * none, which is never what was meant */
        dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                     "render: a loop length bound of 1 leaves no loop; a "
                     "loop joins 2 companies or more");
        return DG_EUSAGE;
    }
    scene s;
    int rc = scene_build(&s, l, opt, diags);
    dg_buf b;
    dg_buf_init(&b);
    if (rc == DG_OK)
        rc = write_dot(&s, &b);
    if (rc == DG_OK) {
        if (opt->format == DG_RENDER_DOT) {
            *len = b.len;
            *data = dg_buf_take(&b);
            if (!*data)
                rc = DG_ENOMEM;
        } else if (s.legs_drawn > DG_RENDER_MAX_LEGS) {
            /* Graphviz's layout has no time limit and cannot be stopped:
             * refuse what would run for many minutes (render.h) */
            size_t at = diags->count;
            note_problem(opt, DG_RENDER_TOO_MANY_LEGS, at,
                         dg_diags_add(diags, DG_SEV_ERROR, NULL, 0,
                                      "render: %zu legs are too many to lay "
                                      "out (at most %d; Graphviz would take "
                                      "many minutes)",
                                      s.legs_drawn, DG_RENDER_MAX_LEGS));
            rc = DG_ELIMIT;
        } else {
            rc = lay_out(&s, b.data, b.len, data, len, diags);
        }
    }
    dg_buf_finish(&b);
    scene_finish(&s);
    return rc;
}

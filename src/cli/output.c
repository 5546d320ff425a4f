/*
 * output.c - tables written by a table of writers (text, Markdown, CSV),
 * and the JSON document conventions shared by every command.
 */
#include "output.h"
#include "dealgraph/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cli_table_init(cli_table *t, const cli_column *columns, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->columns = columns;
    t->ncols = ncols;
}

void cli_table_title(cli_table *t, size_t col, const char *title)
{
    if (t->oom || col >= t->ncols)
        return;
    if (!t->own_columns) {
        t->own_columns = malloc(t->ncols * sizeof *t->own_columns);
        t->own_titles = calloc(t->ncols, sizeof *t->own_titles);
        if (!t->own_columns || !t->own_titles) {
            t->oom = true;
            return;
        }
        memcpy(t->own_columns, t->columns, t->ncols * sizeof *t->own_columns);
        t->columns = t->own_columns;
    }
    char *copy = strdup(title);
    if (!copy) {
        t->oom = true;
        return;
    }
    free(t->own_titles[col]);
    t->own_titles[col] = copy;
    t->own_columns[col].title = copy;
}

void cli_table_finish(cli_table *t)
{
    for (size_t i = 0; t->own_titles && i < t->ncols; i++)
        free(t->own_titles[i]);
    free(t->own_titles);
    free(t->own_columns);
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i].text);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void cli_table_row(cli_table *t)
{
    if (t->oom)
        return;
    if (t->nrows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 16;
        cli_cell *p = realloc(t->cells, cap * t->ncols * sizeof *p);
        if (!p) {
            t->oom = true;
            return;
        }
        t->cells = p;
        t->cap_rows = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof(cli_cell));
    t->nrows++;
}

static cli_cell *cell(cli_table *t, size_t col)
{
    if (t->oom || t->nrows == 0 || col >= t->ncols)
        return NULL;
    cli_cell *c = &t->cells[(t->nrows - 1) * t->ncols + col];
    free(c->text);
    memset(c, 0, sizeof *c);
    return c;
}

void cli_table_text(cli_table *t, size_t col, const char *text)
{
    cli_cell *c = cell(t, col);
    if (!c || !text)
        return;
    c->type = CLI_CELL_TEXT;
    c->text = strdup(text);
    if (!c->text) {
        c->type = CLI_CELL_NONE;
        t->oom = true;
    }
}

void cli_table_strong(cli_table *t, size_t col)
{
    if (t->oom || t->nrows == 0 || col >= t->ncols)
        return;
    t->cells[(t->nrows - 1) * t->ncols + col].strong = true;
}

void cli_table_int(cli_table *t, size_t col, long long v)
{
    cli_cell *c = cell(t, col);
    if (c) {
        c->type = CLI_CELL_INT;
        c->i = v;
    }
}

static void set_num(cli_table *t, size_t col, cli_cell_type type, double v)
{
    cli_cell *c = cell(t, col);
    if (c) {
        c->type = type;
        c->num = v;
    }
}

void cli_table_number(cli_table *t, size_t col, double v)
{
    set_num(t, col, CLI_CELL_NUMBER, v);
}

void cli_table_money(cli_table *t, size_t col, double v)
{
    set_num(t, col, CLI_CELL_MONEY, v);
}

void cli_table_share(cli_table *t, size_t col, double v)
{
    set_num(t, col, CLI_CELL_SHARE, v);
}

void cli_table_bool(cli_table *t, size_t col, bool v)
{
    cli_cell *c = cell(t, col);
    if (c) {
        c->type = CLI_CELL_BOOL;
        c->i = v;
    }
}

static const char *const format_names[CLI_OUT_COUNT] = {
    "text", "md", "csv", "json", "html", "svg"};

bool cli_out_format_parse(const char *text, cli_out_format *out)
{
    for (int i = 0; i < CLI_OUT_COUNT; i++) {
        if (strcmp(text, format_names[i]) == 0) {
            *out = (cli_out_format)i;
            return true;
        }
    }
    if (strcmp(text, "markdown") == 0) {
        *out = CLI_OUT_MD;
        return true;
    }
    return false;
}

const char *cli_out_format_name(cli_out_format f)
{
    return (unsigned)f < CLI_OUT_COUNT ? format_names[f] : "?";
}

/* A cell as people read it. */
static void human(const cli_cell *c, dg_buf *b)
{
    dg_buf_clear(b);
    char tmp[64];
    switch (c->type) {
    case CLI_CELL_NONE: break;
    case CLI_CELL_TEXT: dg_buf_puts(b, c->text); break;
    case CLI_CELL_INT: dg_buf_printf(b, "%lld", c->i); break;
    case CLI_CELL_NUMBER:
        if (dg_has(c->num))
            dg_buf_printf(b, "%.4g", c->num);
        else
            dg_buf_puts(b, "n/a");
        break;
    case CLI_CELL_MONEY: dg_buf_puts(b, dg_money_format(c->num, tmp, sizeof tmp)); break;
    case CLI_CELL_SHARE:
        if (dg_has(c->num))
            dg_buf_printf(b, "%.1f%%", c->num * 100);
        else
            dg_buf_puts(b, "n/a");
        break;
    case CLI_CELL_BOOL: dg_buf_puts(b, c->i ? "yes" : "no"); break;
    }
}

/* A cell as a machine reads it (CSV): every digit a double holds (%.17g
 * reads back to the same number), empty for none. */
static void machine(const cli_cell *c, dg_buf *b)
{
    dg_buf_clear(b);
    switch (c->type) {
    case CLI_CELL_NONE: break;
    case CLI_CELL_TEXT: dg_buf_puts(b, c->text); break;
    case CLI_CELL_INT: dg_buf_printf(b, "%lld", c->i); break;
    case CLI_CELL_NUMBER:
    case CLI_CELL_MONEY:
    case CLI_CELL_SHARE:
        if (dg_has(c->num))
            dg_buf_printf(b, "%.17g", c->num);
        break;
    case CLI_CELL_BOOL: dg_buf_puts(b, c->i ? "true" : "false"); break;
    }
}

static bool right_aligned(const cli_table *t, size_t col)
{
    for (size_t r = 0; r < t->nrows; r++) {
        const cli_cell *c = &t->cells[r * t->ncols + col];
        /* "n/a" stands in for a missing number: it keeps the column's
         * alignment */
        if ((c->type == CLI_CELL_TEXT && strcmp(c->text, "n/a") != 0) ||
            c->type == CLI_CELL_BOOL)
            return false;
    }
    return true;
}

/* Display width of UTF-8 text: code points, not bytes. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

/* ---- the writers ---------------------------------------------------------- */

typedef struct writer_state {
    const cli_table *t;
    FILE *out;
    size_t *widths;
    bool *right;
    dg_buf cell;
} writer_state;

typedef struct writer {
    cli_out_format format;
    void (*begin)(writer_state *s);
    void (*row)(writer_state *s, const cli_cell *cells);
    void (*end)(writer_state *s);
} writer;

static void pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

static void text_line(writer_state *s, const char *const *values)
{
    for (size_t c = 0; c < s->t->ncols; c++) {
        size_t w = width(values[c]);
        bool last = c + 1 == s->t->ncols;
        if (last && !values[c][0])
            break; /* no trailing blanks */
        if (s->right[c])
            pad(s->out, s->widths[c] - w);
        fputs(values[c], s->out);
        if (!s->right[c] && !last)
            pad(s->out, s->widths[c] - w);
        if (!last)
            fputs("  ", s->out);
    }
    fputc('\n', s->out);
}

static void text_begin(writer_state *s)
{
    const char *titles[64] = {0};
    size_t n = s->t->ncols < 64 ? s->t->ncols : 64;
    for (size_t c = 0; c < n; c++)
        titles[c] = s->t->columns[c].title;
    text_line(s, titles);
    for (size_t c = 0; c < n; c++) {
        for (size_t k = 0; k < s->widths[c]; k++)
            fputc('-', s->out);
        fputs(c + 1 < n ? "  " : "\n", s->out);
    }
}

static void text_row(writer_state *s, const cli_cell *cells)
{
    char *values[64] = {0};
    const char *cv[64] = {0};
    size_t n = s->t->ncols < 64 ? s->t->ncols : 64;
    for (size_t c = 0; c < n; c++) {
        human(&cells[c], &s->cell);
        values[c] = strdup(s->cell.data ? s->cell.data : "");
        if (!values[c])
            s->cell.oom = true; /* the table is reported as not written */
        cv[c] = values[c] ? values[c] : "";
    }
    text_line(s, cv);
    for (size_t c = 0; c < n; c++)
        free(values[c]);
}

static void md_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", out);
        else if (*s == '\n')
            fputc(' ', out);
        else
            fputc(*s, out);
    }
}

static void md_begin(writer_state *s)
{
    fputc('|', s->out);
    for (size_t c = 0; c < s->t->ncols; c++) {
        fputc(' ', s->out);
        md_escape(s->out, s->t->columns[c].title);
        fputs(" |", s->out);
    }
    fputs("\n|", s->out);
    for (size_t c = 0; c < s->t->ncols; c++)
        fputs(s->right[c] ? " ---: |" : " --- |", s->out);
    fputc('\n', s->out);
}

static void md_row(writer_state *s, const cli_cell *cells)
{
    fputc('|', s->out);
    for (size_t c = 0; c < s->t->ncols; c++) {
        human(&cells[c], &s->cell);
        const char *v = s->cell.data ? s->cell.data : "";
        bool strong = cells[c].strong && *v;
        fputs(strong ? " **" : " ", s->out);
        md_escape(s->out, v);
        fputs(strong ? "** |" : " |", s->out);
    }
    fputc('\n', s->out);
}

void cli_html_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

static void html_begin(writer_state *s)
{
    fputs("<div class=\"table\"><table>\n<thead><tr>", s->out);
    for (size_t c = 0; c < s->t->ncols; c++) {
        fputs(s->right[c] ? "<th class=\"num\">" : "<th>", s->out);
        cli_html_escape(s->out, s->t->columns[c].title);
        fputs("</th>", s->out);
    }
    fputs("</tr></thead>\n<tbody>\n", s->out);
}

static void html_row(writer_state *s, const cli_cell *cells)
{
    fputs("<tr>", s->out);
    for (size_t c = 0; c < s->t->ncols; c++) {
        human(&cells[c], &s->cell);
        fputs(s->right[c] ? "<td class=\"num\">" : "<td>", s->out);
        if (cells[c].strong)
            fputs("<strong>", s->out);
        cli_html_escape(s->out, s->cell.data ? s->cell.data : "");
        if (cells[c].strong)
            fputs("</strong>", s->out);
        fputs("</td>", s->out);
    }
    fputs("</tr>\n", s->out);
}

static void html_end(writer_state *s)
{
    fputs("</tbody>\n</table></div>\n", s->out);
}

void cli_csv_field(FILE *out, const char *v)
{
    if (strpbrk(v, ",\"\n\r")) {
        fputc('"', out);
        for (; *v; v++) {
            if (*v == '"')
                fputc('"', out);
            fputc(*v, out);
        }
        fputc('"', out);
    } else {
        fputs(v, out);
    }
}

static void csv_begin(writer_state *s)
{
    for (size_t c = 0; c < s->t->ncols; c++) {
        if (c)
            fputc(',', s->out);
        cli_csv_field(s->out, s->t->columns[c].key);
    }
    fputc('\n', s->out);
}

static void csv_row(writer_state *s, const cli_cell *cells)
{
    for (size_t c = 0; c < s->t->ncols; c++) {
        if (c)
            fputc(',', s->out);
        machine(&cells[c], &s->cell);
        cli_csv_field(s->out, s->cell.data ? s->cell.data : "");
    }
    fputc('\n', s->out);
}

static void no_end(writer_state *s) { (void)s; }

static const writer writers[] = {
    {CLI_OUT_TEXT, text_begin, text_row, no_end},
    {CLI_OUT_MD, md_begin, md_row, no_end},
    {CLI_OUT_CSV, csv_begin, csv_row, no_end},
    {CLI_OUT_HTML, html_begin, html_row, html_end},
};

bool cli_table_emit(const cli_table *t, cli_out_format f, FILE *out)
{
    const writer *w = NULL;
    for (size_t i = 0; i < sizeof writers / sizeof writers[0]; i++)
        if (writers[i].format == f)
            w = &writers[i];
    if (!w || t->oom || t->ncols > 64)
        return false;
    writer_state s = {t, out, calloc(t->ncols, sizeof(size_t)),
                      calloc(t->ncols, sizeof(bool)), {0}};
    if (!s.widths || !s.right) {
        free(s.widths);
        free(s.right);
        return false;
    }
    dg_buf_init(&s.cell);
    for (size_t c = 0; c < t->ncols; c++) {
        s.widths[c] = width(t->columns[c].title);
        s.right[c] = right_aligned(t, c);
        for (size_t r = 0; r < t->nrows; r++) {
            human(&t->cells[r * t->ncols + c], &s.cell);
            size_t wd = width(s.cell.data ? s.cell.data : "");
            if (wd > s.widths[c])
                s.widths[c] = wd;
        }
    }
    w->begin(&s);
    for (size_t r = 0; r < t->nrows; r++)
        w->row(&s, &t->cells[r * t->ncols]);
    w->end(&s);
    bool ok = !s.cell.oom && !ferror(out);
    dg_buf_finish(&s.cell);
    free(s.widths);
    free(s.right);
    return ok;
}

json_t *cli_json_money(double v)
{
    return dg_has(v) ? json_real(v) : json_null();
}

json_t *cli_json_text(const char *s)
{
    if (!s)
        return json_null();
    size_t len = strlen(s), bad = dg_utf8_check(s, len);
    if (bad == len)
        return json_string(s);
    dg_buf b;
    dg_buf_init(&b);
    while (bad < len) {
        dg_buf_put(&b, s, bad);
        dg_buf_puts(&b, "\xef\xbf\xbd"); /* U+FFFD */
        s += bad + 1;
        len -= bad + 1;
        bad = dg_utf8_check(s, len);
    }
    dg_buf_put(&b, s, len);
    json_t *j = b.oom || !b.data ? NULL : json_string(b.data);
    dg_buf_finish(&b);
    return j;
}

json_t *cli_json_date(dg_date d)
{
    char buf[16];
    return dg_date_valid(d) ? json_string(dg_date_format(d, buf, sizeof buf))
                            : json_null();
}

static json_t *cell_json(const cli_cell *c)
{
    switch (c->type) {
    case CLI_CELL_TEXT: return json_string(c->text);
    case CLI_CELL_INT: return json_integer(c->i);
    case CLI_CELL_NUMBER:
    case CLI_CELL_MONEY:
    case CLI_CELL_SHARE: return dg_has(c->num) ? json_real(c->num) : json_null();
    case CLI_CELL_BOOL: return json_boolean(c->i);
    default: return json_null();
    }
}

json_t *cli_table_json(const cli_table *t)
{
    if (t->oom)
        return NULL;
    json_t *arr = json_array();
    for (size_t r = 0; arr && r < t->nrows; r++) {
        json_t *obj = json_object();
        for (size_t c = 0; obj && c < t->ncols; c++) {
            json_t *v = cell_json(&t->cells[r * t->ncols + c]);
            if (!v || json_object_set_new(obj, t->columns[c].key, v) != 0) {
                json_decref(obj);
                obj = NULL;
            }
        }
        if (!obj || json_array_append_new(arr, obj) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *cli_json_document(void)
{
    json_t *doc = json_object();
    json_t *hdr = json_pack("{s:s, s:i}", "version", DG_VERSION, "schema",
                            DG_JSON_SCHEMA);
    if (!doc || !hdr) {
        json_decref(doc);
        json_decref(hdr);
        return NULL;
    }
    if (json_object_set_new(doc, "dealgraph", hdr) != 0) { /* takes hdr */
        json_decref(doc);
        return NULL;
    }
    return doc;
}

bool cli_json_emit(json_t *doc, FILE *out)
{
    if (!doc)
        return false;
    if (json_dumpf(doc, out,
                   JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                       JSON_REAL_PRECISION(15)) != 0)
        return false;
    fputc('\n', out);
    return !ferror(out);
}

/* A text attribute as JSON: the string, or null when absent. */
static json_t *text_or_null(const char *s)
{
    return s && s[0] ? json_string(s) : json_null();
}

json_t *cli_json_leg(const dg_leg *g)
{
    json_t *sup = json_array();
    for (size_t k = 0; sup && k < g->nsupersedes; k++)
        json_array_append_new(sup, json_string(g->supersedes[k]));
    json_t *term;
    if (g->term_months == DG_TERM_UNKNOWN)
        term = json_string("unknown");
    else if (g->term_months > 0)
        term = json_integer(g->term_months);
    else
        term = json_null();
    /* json_pack's "o" takes the references, also when it fails */
    json_t *a = json_pack(
        "{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:s, s:b, s:s, s:o, s:o, s:o}",
        "deal", text_or_null(g->deal), "id", text_or_null(g->id), "kind",
        dg_kind_name(g->kind), "amount", cli_json_money(g->amount),
        "amount_low", cli_json_money(g->amount_low), "amount_high",
        cli_json_money(g->amount_high), "estimate_by",
        text_or_null(g->estimate_by), "per", dg_per_name(g->per), "upto",
        g->upto, "status", dg_status_name(g->status), "announced",
        cli_json_date(g->announced), "start", cli_json_date(g->start), "end",
        cli_json_date(g->end));
    json_t *b = json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}", "term", term,
        "funded", cli_json_money(g->funded), "funded_as_of",
        cli_json_date(g->funded_as_of), "ended", cli_json_date(g->ended),
        "ended_why", text_or_null(g->ended_why), "supersedes",
        sup ? sup : json_null(), "source", text_or_null(g->source), "url",
        text_or_null(g->url), "note", text_or_null(g->note), "line",
        (json_int_t)g->line);
    if (!a || !b || json_object_update(a, b) != 0) {
        json_decref(a);
        json_decref(b);
        return NULL;
    }
    json_decref(b);
    return a;
}

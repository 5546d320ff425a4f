/*
 * load_csv.c - CSV ledgers: deals.csv, with companies.csv and graph.csv
 * beside it when present. Reads what spreadsheets export: RFC 4180
 * quoting (commas, quotes and newlines inside quoted fields), CRLF line
 * ends, a UTF-8 byte order mark (removed by dg_read_text).
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

typedef struct csv {
    const char *p, *end;
    long line; /* line of the next character */
    const char *file;
    dg_diags *diags;
    dg_buf text;     /* field bytes, NUL-separated */
    size_t *offsets; /* start of each field in text */
    size_t nfields, cap;
    bool oom;
} csv;

static bool add_field(csv *c, size_t start)
{
    if (c->nfields == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        size_t *p = realloc(c->offsets, cap * sizeof *p);
        if (!p) {
            c->oom = true;
            return false;
        }
        c->offsets = p;
        c->cap = cap;
    }
    c->offsets[c->nfields++] = start;
    return true;
}

/* Reads one record. Returns 1 with the fields, 0 at the end, -1 on a
 * malformed record (reported). *line gets the record's first line. */
static int csv_record(csv *c, long *line)
{
    /* skip blank lines */
    while (c->p < c->end && (*c->p == '\n' || *c->p == '\r')) {
        if (*c->p == '\n')
            c->line++;
        c->p++;
    }
    if (c->p >= c->end)
        return 0;
    *line = c->line;
    dg_buf_clear(&c->text);
    c->nfields = 0;
    for (;;) {
        size_t start = c->text.len;
        if (!add_field(c, start))
            return -1;
        if (c->p < c->end && *c->p == '"') {
            long qline = c->line;
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    dg_diags_add(c->diags, DG_SEV_ERROR, c->file, qline,
                                 "unterminated quoted field: a field opened "
                                 "with \" has no closing quote");
                    return -1;
                }
                if (*c->p == '"') {
                    if (c->p + 1 < c->end && c->p[1] == '"') {
                        dg_buf_putc(&c->text, '"');
                        c->p += 2;
                        continue;
                    }
                    c->p++;
                    break;
                }
                if (*c->p == '\n')
                    c->line++;
                if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n') {
                    c->p++; /* CRLF inside a field is a newline */
                    continue;
                }
                dg_buf_putc(&c->text, *c->p++);
            }
            if (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
                *c->p != '\r') {
                dg_diags_add(c->diags, DG_SEV_ERROR, c->file, c->line,
                             "text after a closing quote in field %zu; "
                             "double a quote inside a quoted field (\"\")",
                             c->nfields);
                return -1;
            }
        } else {
            while (c->p < c->end && *c->p != ',' && *c->p != '\n' &&
                   !(*c->p == '\r' &&
                     (c->p + 1 >= c->end || c->p[1] == '\n')))
                dg_buf_putc(&c->text, *c->p++);
        }
        dg_buf_putc(&c->text, '\0');
        if (c->text.oom) {
            c->oom = true;
            return -1;
        }
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        if (c->p < c->end && *c->p == '\r')
            c->p++;
        if (c->p < c->end && *c->p == '\n') {
            c->p++;
            c->line++;
        }
        return 1;
    }
}

static const char *field(const csv *c, size_t i)
{
    return c->text.data + c->offsets[i];
}

static void csv_init(csv *c, const char *text, size_t len, const char *file,
                     dg_diags *diags)
{
    memset(c, 0, sizeof *c);
    c->p = text;
    c->end = text + len;
    c->line = 1;
    c->file = file;
    c->diags = diags;
    dg_buf_init(&c->text);
}

static void csv_finish(csv *c)
{
    dg_buf_finish(&c->text);
    free(c->offsets);
}

/* The header: column names, checked against the known ones. Returns the
 * names (caller frees each and the array) or NULL. */
static size_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return (size_t)h;
}

static char **read_header(csv *c, size_t *ncols, const char *const *known,
                          const char *const *required, const char *extra,
                          int *rc)
{
    long line = 1;
    int r = csv_record(c, &line);
    if (r <= 0) {
        if (r == 0)
            dg_diags_add(c->diags, DG_SEV_ERROR, c->file, 1,
                         "empty file; the first row must name the columns");
        *rc = c->oom ? DG_ENOMEM : DG_EINPUT;
        return NULL;
    }
    char **names = calloc(c->nfields, sizeof *names);
    if (!names) {
        *rc = DG_ENOMEM;
        return NULL;
    }
    *ncols = c->nfields;
    /* Repeated names, found through a hash of the names seen so far (a
     * header may have any number of columns: comparing each with every
     * earlier one was quadratic). seen[h] = column index + 1; 0 = empty. */
    size_t cap = 16;
    while (cap < 2 * c->nfields)
        cap *= 2;
    size_t *seen = calloc(cap, sizeof *seen);
    if (!seen) {
        free(names);
        *rc = DG_ENOMEM;
        return NULL;
    }
    bool ok = true;
    for (size_t i = 0; i < c->nfields; i++) {
        names[i] = dg_strdup(field(c, i));
        if (!names[i]) {
            *rc = DG_ENOMEM;
            ok = false;
            break;
        }
        size_t h = hash_text(names[i]) & (cap - 1);
        while (seen[h] && strcmp(names[seen[h] - 1], names[i]) != 0)
            h = (h + 1) & (cap - 1);
        if (seen[h]) {
            dg_buf q;
            dg_buf_init(&q);
            dg_diags_add(c->diags, DG_SEV_ERROR, c->file, line,
                         "column \"%s\" appears twice in the header; "
                         "each column once",
                         dg_quote(names[i], 40, &q));
            dg_buf_finish(&q);
            ok = false;
        } else {
            seen[h] = i + 1;
        }
        bool is_known = extra && strcmp(names[i], extra) == 0;
        for (const char *const *k = known; *k && !is_known; k++)
            is_known = strcmp(*k, names[i]) == 0;
        for (const char *const *k = required; *k && !is_known; k++)
            is_known = strcmp(*k, names[i]) == 0;
        if (!is_known) {
            dg_buf q;
            dg_buf_init(&q);
            size_t nknown = 0;
            while (known[nknown])
                nknown++;
            const char *near = dg_closest(names[i], known, nknown);
            if (near)
                dg_diags_add(c->diags, DG_SEV_WARNING, c->file, line,
                             "unknown column \"%s\" is ignored; did you mean "
                             "\"%s\"?",
                             dg_quote(names[i], 40, &q), near);
            else
                dg_diags_add(c->diags, DG_SEV_WARNING, c->file, line,
                             "unknown column \"%s\" is ignored",
                             dg_quote(names[i], 40, &q));
            dg_buf_finish(&q);
        }
    }
    free(seen);
    for (const char *const *k = required; ok && *k; k++) {
        bool found = false;
        for (size_t i = 0; i < *ncols; i++)
            found = found || strcmp(names[i], *k) == 0;
        if (!found) {
            dg_diags_add(c->diags, DG_SEV_ERROR, c->file, line,
                         "missing column \"%s\"; the header must name it", *k);
            ok = false;
        }
    }
    if (!ok) {
        for (size_t i = 0; i < *ncols; i++)
            free(names[i]);
        free(names);
        if (*rc == DG_OK)
            *rc = DG_EINPUT;
        return NULL;
    }
    *rc = DG_OK;
    return names;
}

/* Columns the header warned about are not read again on every row. */
static bool is_field(const char *name, const char *const *fields)
{
    for (; *fields; fields++)
        if (strcmp(*fields, name) == 0)
            return true;
    return false;
}

static void free_names(char **names, size_t n)
{
    if (!names)
        return;
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static bool count_ok(csv *c, size_t ncols, long line)
{
    if (c->nfields == ncols)
        return true;
    dg_diags_add(c->diags, DG_SEV_ERROR, c->file, line,
                 "expected %zu fields, found %zu; every row needs one field "
                 "per header column (quote fields that contain commas)",
                 ncols, c->nfields);
    return false;
}

static int read_companies(dg_ledger *l, const char *path,
                          const dg_load_options *opt, dg_diags *diags)
{
    char *data = NULL;
    const char *text;
    size_t len;
    int rc = dg_read_text(path, opt, &data, &text, &len, diags);
    if (rc != DG_OK)
        return rc;
    csv c;
    csv_init(&c, text, len, path, diags);
    static const char *const required[] = {"name", NULL};
    size_t ncols = 0;
    char **cols = read_header(&c, &ncols, dg_company_fields, required, NULL,
                              &rc);
    if (!cols)
        goto done;
    long line;
    int r;
    while ((r = csv_record(&c, &line)) != 0 && rc == DG_OK) {
        if (r < 0 || !count_ok(&c, ncols, line)) {
            if (c.oom)
                rc = DG_ENOMEM;
            if (r < 0)
                break; /* the reader cannot resynchronise after this */
            continue;
        }
        const char *name = NULL;
        for (size_t i = 0; i < ncols; i++)
            if (strcmp(cols[i], "name") == 0)
                name = field(&c, i);
        if (!name[0]) {
            dg_diags_add(diags, DG_SEV_ERROR, path, line,
                         "missing name; every company row needs one");
            continue;
        }
        size_t idx = dg_ledger_find(l, name);
        if (idx != (size_t)-1) {
            dg_buf q;
            dg_buf_init(&q);
            dg_diags_add(diags, DG_SEV_ERROR, path, line,
                         "company %s is listed twice (first on line %ld); "
                         "keep one row per company",
                         dg_quote(name, 60, &q), l->companies[idx].line);
            dg_buf_finish(&q);
            continue;
        }
        rc = dg_ledger_company(l, name, &idx);
        if (rc == DG_ELIMIT)
            rc = dg_limit_error(diags, path, line, false);
        if (rc != DG_OK)
            break;
        dg_company *co = &l->companies[idx];
        co->line = line;
        dg_where w = {path, line, diags};
        for (size_t i = 0; i < ncols && rc == DG_OK; i++)
            if (is_field(cols[i], dg_company_fields))
                rc = dg_company_set(co, cols[i], field(&c, i), &w);
    }
done:
    free_names(cols, ncols);
    csv_finish(&c);
    free(data);
    return rc;
}

static int read_graph_file(dg_ledger *l, const char *path,
                           const dg_load_options *opt, dg_diags *diags)
{
    char *data = NULL;
    const char *text;
    size_t len;
    int rc = dg_read_text(path, opt, &data, &text, &len, diags);
    if (rc != DG_OK)
        return rc;
    csv c;
    csv_init(&c, text, len, path, diags);
    static const char *const required[] = {"attribute", "value", NULL};
    static const char *const none[] = {NULL};
    size_t ncols = 0;
    char **cols = read_header(&c, &ncols, none, required, NULL, &rc);
    if (!cols)
        goto done;
    size_t ia = 0, iv = 0;
    for (size_t i = 0; i < ncols; i++) {
        if (strcmp(cols[i], "attribute") == 0)
            ia = i;
        if (strcmp(cols[i], "value") == 0)
            iv = i;
    }
    long line;
    int r;
    while ((r = csv_record(&c, &line)) != 0 && rc == DG_OK) {
        if (r < 0) {
            rc = c.oom ? DG_ENOMEM : DG_EINPUT;
            break;
        }
        if (!count_ok(&c, ncols, line))
            continue;
        dg_where w = {path, line, diags};
        rc = dg_graph_set(l, field(&c, ia), field(&c, iv), &w);
    }
done:
    free_names(cols, ncols);
    csv_finish(&c);
    free(data);
    return rc;
}

int dg_parse_csv(dg_ledger *l, const char *text, size_t len, const char *file,
                 const char *companies, const char *graph,
                 const dg_load_options *opt, dg_diags *diags)
{
    int rc = DG_OK;
    if (graph)
        rc = read_graph_file(l, graph, opt, diags);
    if (rc == DG_OK && companies)
        rc = read_companies(l, companies, opt, diags);
    if (rc != DG_OK && rc != DG_EINPUT)
        return rc;
    int crc = rc;
    csv c;
    csv_init(&c, text, len, file, diags);
    static const char *const required[] = {"from", "to", "kind", "status",
                                           "announced", NULL};
    size_t ncols = 0;
    char **cols = read_header(&c, &ncols, dg_leg_fields, required, NULL, &rc);
    if (!cols)
        goto done;
    size_t ifrom = 0, ito = 0;
    for (size_t i = 0; i < ncols; i++) {
        if (strcmp(cols[i], "from") == 0)
            ifrom = i;
        if (strcmp(cols[i], "to") == 0)
            ito = i;
    }
    dg_buf what, q1, q2;
    dg_buf_init(&what);
    dg_buf_init(&q1);
    dg_buf_init(&q2);
    long line;
    int r;
    while ((r = csv_record(&c, &line)) != 0 && rc == DG_OK) {
        if (r < 0) {
            rc = c.oom ? DG_ENOMEM : DG_EINPUT;
            break;
        }
        if (!count_ok(&c, ncols, line))
            continue;
        const char *from = field(&c, ifrom), *to = field(&c, ito);
        if (!from[0] || !to[0]) {
            dg_diags_add(diags, DG_SEV_ERROR, file, line,
                         "missing %s; every leg names the company value moves "
                         "%s",
                         !from[0] ? "from" : "to",
                         !from[0] ? "from" : "to");
            continue;
        }
        dg_buf_clear(&what);
        dg_buf_printf(&what, "leg %s -> %s", dg_quote(from, 60, &q1),
                      dg_quote(to, 60, &q2));
        if (what.oom) {
            rc = DG_ENOMEM; /* messages would not say which leg */
            break;
        }
        const char *wh = what.data;
        dg_where w = {file, line, diags};
        dg_leg leg;
        dg_leg_seen seen = {false, false, false};
        dg_leg_init(&leg);
        leg.line = line;
        for (size_t i = 0; i < ncols && rc == DG_OK; i++)
            if (is_field(cols[i], dg_leg_fields))
                rc = dg_leg_set(&leg, &seen, cols[i], field(&c, i), wh, &w);
        if (rc == DG_OK) {
            dg_leg_validate(&leg, &seen, wh, opt && opt->strict, &w);
            if (strcmp(from, to) == 0)
                dg_diags_add(diags, DG_SEV_ERROR, file, line,
                             "%s: a company cannot deal with itself; a leg "
                             "needs two different companies",
                             wh);
            rc = dg_ledger_company(l, from, &leg.from);
            if (rc == DG_OK)
                rc = dg_ledger_company(l, to, &leg.to);
            if (rc == DG_ELIMIT)
                rc = dg_limit_error(diags, file, line, false);
            if (rc == DG_OK) {
                rc = dg_ledger_add_leg(l, &leg);
                if (rc == DG_ELIMIT)
                    rc = dg_limit_error(diags, file, line, true);
            }
        }
        dg_leg_clear(&leg);
    }
    dg_buf_finish(&what);
    dg_buf_finish(&q1);
    dg_buf_finish(&q2);
done:
    free_names(cols, ncols);
    csv_finish(&c);
    return rc == DG_OK ? crc : rc;
}

static char *sibling(const char *path, const char *name, bool dir)
{
    dg_buf b;
    dg_buf_init(&b);
    if (dir) {
        dg_buf_puts(&b, path);
        if (b.len && b.data[b.len - 1] != '/')
            dg_buf_putc(&b, '/');
    } else {
        const char *slash = strrchr(path, '/');
        if (slash)
            dg_buf_put(&b, path, (size_t)(slash - path + 1));
    }
    dg_buf_puts(&b, name);
    return dg_buf_take(&b);
}

static bool exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

dg_ledger *dg_ledger_load_csv(const char *path, const dg_load_options *opt,
                              dg_diags *diags, int *status)
{
    size_t before = diags->errors;
    bool dir = strcmp(path, "-") != 0 && dg_is_dir(path);
    char *deals = dir ? sibling(path, "deals.csv", true) : dg_strdup(path);
    char *companies = NULL, *graph = NULL, *data = NULL;
    dg_ledger *l = NULL;
    int rc = DG_ENOMEM;
    if (!deals)
        goto done;
    if (opt && opt->companies) {
        companies = dg_strdup(opt->companies);
        if (!companies)
            goto done;
    } else if (dir || strcmp(dg_basename(path), "deals.csv") == 0) {
        /* companies.csv and graph.csv belong to a deals.csv beside them */
        companies = sibling(path, "companies.csv", dir);
        if (!companies)
            goto done;
        if (!exists(companies)) {
            free(companies);
            companies = NULL;
        }
    }
    if (dir || strcmp(dg_basename(path), "deals.csv") == 0) {
        graph = sibling(path, "graph.csv", dir);
        if (!graph)
            goto done;
        if (!exists(graph)) {
            free(graph);
            graph = NULL;
        }
    }
    const char *text;
    size_t len;
    rc = dg_read_text(deals, opt, &data, &text, &len, diags);
    if (rc != DG_OK)
        goto done;
    l = dg_ledger_create();
    if (!l || !(l->path = dg_strdup(path))) {
        rc = DG_ENOMEM;
        goto done;
    }
    l->legs_file = dg_strdup(deals);
    l->companies_file = companies ? dg_strdup(companies) : NULL;
    if (!l->legs_file || (companies && !l->companies_file)) {
        rc = DG_ENOMEM;
        goto done;
    }
    rc = dg_parse_csv(l, text, len, deals, companies, graph, opt, diags);
    if (rc == DG_OK) /* supersedes and ended, as the DOT loader does */
        rc = dg_ledger_link(l, diags);
    if (rc == DG_OK) {
        dg_ledger_check(l, diags);
        if (diags->oom)
            rc = DG_ENOMEM;
        else if (diags->errors > before)
            rc = DG_EINPUT;
    }
done:
    free(deals);
    free(companies);
    free(graph);
    free(data);
    if (rc == DG_OK && diags->errors > before)
        rc = DG_EINPUT;
    if (status)
        *status = rc;
    if (rc != DG_OK) {
        dg_ledger_destroy(l);
        return NULL;
    }
    return l;
}

/*
 * chart.c - SVG line and stacked-bar charts (chart.h).
 */
#include "chart.h"
#include "output.h"
#include "dealgraph/dealgraph.h"
#include "dealgraph/text.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W 760
#define H 380
#define LEFT 84
#define RIGHT 190 /* the legend */
#define TOP 44
#define BOTTOM 64

/* Colour-blind-safe palette (Okabe and Ito), in a fixed order. */
static const char *const palette[] = {
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
    "#56B4E9", "#F0E442", "#000000", "#999999", "#882255",
};
#define NPALETTE (sizeof palette / sizeof palette[0])

static void put_escaped(dg_buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': dg_buf_puts(b, "&amp;"); break;
        case '<': dg_buf_puts(b, "&lt;"); break;
        case '>': dg_buf_puts(b, "&gt;"); break;
        case '"': dg_buf_puts(b, "&quot;"); break;
        default:
            /* control characters are not XML */
            if ((unsigned char)*s >= 0x20 || *s == '\t')
                dg_buf_putc(b, *s);
        }
    }
}

static void value_text(double v, chart_unit u, char *buf, size_t n)
{
    if (u == CHART_MONEY)
        dg_money_format(v, buf, n);
    else if (u == CHART_SHARE)
        snprintf(buf, n, "%.0f%%", v * 100);
    else
        snprintf(buf, n, "%.0f", v);
}

/* A round step for about five ticks up to `top`. */
static double tick_step(double top)
{
    if (!(top > 0))
        return 1;
    double raw = top / 5, mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
}

char *chart_svg(const chart *c, size_t *len)
{
    /* the y range: from 0 (or the lowest value, when negative) to the
     * largest value or stack */
    double lo = 0, hi = 0;
    for (size_t x = 0; x < c->nx; x++) {
        double pos = 0, neg = 0;
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].values[x];
            if (!dg_has(v))
                continue;
            if (c->stacked) {
                if (v >= 0)
                    pos += v;
                else
                    neg += v;
            } else {
                pos = v > pos ? v : pos;
                neg = v < neg ? v : neg;
            }
        }
        hi = pos > hi ? pos : hi;
        lo = neg < lo ? neg : lo;
    }
    if (c->unit == CHART_SHARE && hi < 1 && hi > 0.5)
        hi = 1;
    double step = tick_step(hi - lo);
    hi = step * ceil(hi / step);
    lo = step * floor(lo / step);
    if (!(hi > lo))
        hi = lo + step;
    double pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
#define YPOS(v) (TOP + ph * (hi - (v)) / (hi - lo))

    dg_buf b;
    dg_buf_init(&b);
    dg_buf_printf(&b,
                  "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                  "height=\"%d\" viewBox=\"0 0 %d %d\" class=\"chart\" "
                  "font-family=\"Liberation Sans, Arial, sans-serif\" "
                  "font-size=\"12\">\n",
                  W, H, W, H);
    dg_buf_puts(&b, "<title>");
    put_escaped(&b, c->title);
    dg_buf_puts(&b, "</title>\n<rect width=\"100%\" height=\"100%\" "
                    "fill=\"#ffffff\"/>\n");
    dg_buf_printf(&b, "<text x=\"%d\" y=\"24\" font-size=\"15\" "
                      "font-weight=\"bold\">",
                  LEFT);
    put_escaped(&b, c->title);
    dg_buf_puts(&b, "</text>\n");

    /* the grid and the y axis */
    char t[48];
    for (double v = lo; v <= hi + step / 2; v += step) {
        double y = YPOS(v);
        dg_buf_printf(&b,
                      "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                      "stroke=\"%s\" stroke-width=\"1\"/>\n",
                      LEFT, y, LEFT + pw, y,
                      fabs(v) < step / 2 ? "#1d2330" : "#d9dde4");
        value_text(fabs(v) < step / 2 ? 0 : v, c->unit, t, sizeof t);
        dg_buf_printf(&b,
                      "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
                      "fill=\"#5b6473\">%s</text>\n",
                      LEFT - 6, y + 4, t);
    }

    /* the x labels: every one, or every k-th when there are many */
    double slot = c->nx ? pw / (double)c->nx : pw;
    size_t every = c->nx > 16 ? (c->nx + 15) / 16 : 1;
    for (size_t x = 0; x < c->nx; x++) {
        if (x % every)
            continue;
        double cx = LEFT + slot * ((double)x + 0.5);
        dg_buf_printf(&b,
                      "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
                      "fill=\"#5b6473\">",
                      cx, H - BOTTOM + 18);
        put_escaped(&b, c->x[x]);
        dg_buf_puts(&b, "</text>\n");
    }

    /* the data */
    for (size_t s = 0; s < c->nseries; s++) {
        const char *colour = palette[s % NPALETTE];
        const double *v = c->series[s].values;
        dg_buf_printf(&b, "<g class=\"series\" data-name=\"");
        put_escaped(&b, c->series[s].name);
        dg_buf_printf(&b, "\" fill=\"%s\" stroke=\"%s\">\n", colour, colour);
        if (c->stacked) {
            for (size_t x = 0; x < c->nx; x++) {
                if (!dg_has(v[x]) || v[x] == 0)
                    continue;
                /* this series' place in the stack: the sum of the earlier
                 * series of the same sign */
                double base = 0;
                for (size_t e = 0; e < s; e++) {
                    double u = c->series[e].values[x];
                    if (dg_has(u) && (u >= 0) == (v[x] >= 0))
                        base += u;
                }
                double y0 = YPOS(base), y1 = YPOS(base + v[x]);
                double top = y0 < y1 ? y0 : y1, h = fabs(y1 - y0);
                value_text(v[x], c->unit, t, sizeof t);
                dg_buf_printf(&b,
                              "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                              "height=\"%.1f\" stroke=\"none\"><title>",
                              LEFT + slot * (double)x + slot * 0.15, top,
                              slot * 0.7, h);
                put_escaped(&b, c->series[s].name);
                dg_buf_printf(&b, ", ");
                put_escaped(&b, c->x[x]);
                dg_buf_printf(&b, ": %s</title></rect>\n", t);
            }
        } else {
            bool open = false;
            for (size_t x = 0; x < c->nx; x++) {
                if (!dg_has(v[x])) {
                    if (open)
                        dg_buf_puts(&b, "\"/>\n");
                    open = false;
                    continue;
                }
                double cx = LEFT + slot * ((double)x + 0.5);
                if (!open)
                    dg_buf_puts(&b, "<polyline fill=\"none\" "
                                    "stroke-width=\"2.5\" points=\"");
                dg_buf_printf(&b, "%s%.1f,%.1f", open ? " " : "", cx,
                              YPOS(v[x]));
                open = true;
            }
            if (open)
                dg_buf_puts(&b, "\"/>\n");
            for (size_t x = 0; x < c->nx; x++) {
                if (!dg_has(v[x]))
                    continue;
                value_text(v[x], c->unit, t, sizeof t);
                dg_buf_printf(&b,
                              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
                              "stroke=\"none\"><title>",
                              LEFT + slot * ((double)x + 0.5), YPOS(v[x]));
                put_escaped(&b, c->series[s].name);
                dg_buf_printf(&b, ", ");
                put_escaped(&b, c->x[x]);
                dg_buf_printf(&b, ": %s</title></circle>\n", t);
            }
        }
        dg_buf_puts(&b, "</g>\n");
        /* its legend entry */
        double ly = TOP + 8 + 20.0 * (double)s;
        dg_buf_printf(&b,
                      "<rect x=\"%d\" y=\"%.1f\" width=\"12\" height=\"12\" "
                      "fill=\"%s\"/>\n<text x=\"%d\" y=\"%.1f\">",
                      W - RIGHT + 16, ly, colour, W - RIGHT + 34, ly + 10);
        put_escaped(&b, c->series[s].name);
        dg_buf_puts(&b, "</text>\n");
    }
    if (c->note) {
        dg_buf_printf(&b, "<text x=\"%d\" y=\"%d\" fill=\"#5b6473\" "
                          "font-size=\"11\">",
                      LEFT, H - 18);
        put_escaped(&b, c->note);
        dg_buf_puts(&b, "</text>\n");
    }
    dg_buf_puts(&b, "</svg>\n");
#undef YPOS
    if (b.oom) {
        dg_buf_finish(&b);
        return NULL;
    }
    *len = b.len;
    return dg_buf_take(&b);
}

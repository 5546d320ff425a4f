/*
 * flows_chart.h - the flow calendar's chart: what one company pays per
 * year, one stacked bar per year, one colour per counterparty. `dealgraph
 * flows` draws it (HTML, --format svg); the report reuses it.
 */
#ifndef CLI_FLOWS_CHART_H
#define CLI_FLOWS_CHART_H

#include "dealgraph/calendar.h"

#include <stddef.h>

/* The most counterparties drawn apart; the rest are one series, "N
 * others". */
#define FLOWS_CHART_SERIES 9

/* The chart of the money `focus` pays in each year of `f` (a calendar of
 * `l`), by counterparty: the largest payees over the years first, the
 * smallest beyond FLOWS_CHART_SERIES together; from the first year in
 * which the focus pays something to the calendar's last. Its note says
 * what it leaves out (money with no delivery period, undisclosed legs,
 * money before and after the years). An SVG document (malloc'd, *len
 * bytes, the caller's to free), or NULL when memory runs out. */
char *flows_chart_svg(const dg_ledger *l, const dg_calendar *f, size_t focus,
                      size_t *len);

#endif

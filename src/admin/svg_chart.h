/* Geometry of the dashboard's stacked bar chart. The SVG markup lives in
 * templates/pages/admin.cs; this computes the numbers it needs (integer
 * user units of the viewBox), so the template does no arithmetic and the
 * layout is unit-tested. Pure code, no allocation. */
#ifndef PORTAL_SVG_CHART_H
#define PORTAL_SVG_CHART_H

#include <stddef.h>

#define SVG_CHART_TICKS_MAX 8

struct svg_chart {
	int width, height;                 /* the viewBox */
	int plot_x, plot_y, plot_w, plot_h;   /* the bars' area */
	size_t nbars;
	long long ymax;                    /* the value at the top of the plot */
	size_t nticks;                     /* horizontal grid lines, 0 .. ymax */
	long long tick_value[SVG_CHART_TICKS_MAX];
	int tick_y[SVG_CHART_TICKS_MAX];
};

/* The smallest "nice" axis top (1, 2 or 5 times a power of ten, times a
 * tick count of at most 5) at or above max; the step goes to *step. */
long long svg_chart_nice_max(long long max, long long *step);

/* Lays out nbars bars whose tallest stack is max_total in a width x
 * height viewBox with room for axis labels. */
void svg_chart_layout(struct svg_chart *c, int width, int height, size_t nbars, long long max_total);

/* The x and width of bar i (a gap is left between bars). */
void svg_chart_bar_x(const struct svg_chart *c, size_t i, int *x, int *w);

/* The y and height of a segment of value n stacked on top of `below`
 * (both counts). Segments of one bar meet without gaps or overlaps. */
void svg_chart_segment_y(const struct svg_chart *c, long long below, long long n, int *y, int *h);

#endif

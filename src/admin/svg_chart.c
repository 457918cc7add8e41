/* Stacked bar chart geometry. */
#include "svg_chart.h"

#define MARGIN_LEFT 44      /* tick labels */
#define MARGIN_RIGHT 8
#define MARGIN_TOP 10
#define MARGIN_BOTTOM 24    /* date labels */
#define TICKS_WANTED 5

long long svg_chart_nice_max(long long max, long long *step)
{
	if (max < 1)
		max = 1;
	long long s = 1;
	for (;;) {
		static const int mult[] = { 1, 2, 5 };
		for (int i = 0; i < 3; i++) {
			long long st = s * mult[i];
			if (st * TICKS_WANTED >= max) {
				if (step)
					*step = st;
				return ((max + st - 1) / st) * st;
			}
		}
		if (s > (long long)1e15)
			break;
		s *= 10;
	}
	if (step)
		*step = max;
	return max;
}

/* y of value v (0 .. ymax) in the plot, rounded to the nearest unit. */
static int y_of(const struct svg_chart *c, long long v)
{
	if (v > c->ymax)
		v = c->ymax;
	long long off = (v * c->plot_h * 2 + c->ymax) / (c->ymax * 2);
	return c->plot_y + c->plot_h - (int)off;
}

void svg_chart_layout(struct svg_chart *c, int width, int height, size_t nbars, long long max_total)
{
	c->width = width;
	c->height = height;
	c->plot_x = MARGIN_LEFT;
	c->plot_y = MARGIN_TOP;
	c->plot_w = width - MARGIN_LEFT - MARGIN_RIGHT;
	c->plot_h = height - MARGIN_TOP - MARGIN_BOTTOM;
	if (c->plot_w < 1)
		c->plot_w = 1;
	if (c->plot_h < 1)
		c->plot_h = 1;
	c->nbars = nbars ? nbars : 1;
	long long step = 1;
	c->ymax = svg_chart_nice_max(max_total, &step);
	c->nticks = 0;
	for (long long v = 0; v <= c->ymax && c->nticks < SVG_CHART_TICKS_MAX; v += step) {
		c->tick_value[c->nticks] = v;
		c->tick_y[c->nticks] = y_of(c, v);
		c->nticks++;
	}
}

void svg_chart_bar_x(const struct svg_chart *c, size_t i, int *x, int *w)
{
	long long x0 = c->plot_x + (long long)i * c->plot_w / (long long)c->nbars;
	long long x1 = c->plot_x + (long long)(i + 1) * c->plot_w / (long long)c->nbars;
	long long gap = (x1 - x0) >= 4 ? (x1 - x0) / 5 : 0;
	*x = (int)x0;
	*w = (int)(x1 - x0 - gap);
	if (*w < 1)
		*w = 1;
}

void svg_chart_segment_y(const struct svg_chart *c, long long below, long long n, int *y, int *h)
{
	int bottom = y_of(c, below);
	int top = y_of(c, below + n);
	*y = top;
	*h = bottom - top;
}

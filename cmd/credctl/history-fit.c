/* credctl history: the pressure trend.
 *
 * Least squares on log10(pressure), not on the pressure itself:
 *  - the camera gives two significant digits, so a reading's error is a
 *    fraction of its value; in logarithms every reading weighs the same,
 *    where a linear fit would follow the latest, largest readings only;
 *  - the limits are decades apart (1e-4 ... 2e-2 mbar), and so is a
 *    cryostat's life between two regenerations;
 *  - a getter that stops pumping leaves a roughly constant leak, a
 *    pressure rising linearly; its logarithm then bends down, and a
 *    straight line fitted to it runs above the curve beyond the data. The
 *    forecast comes early rather than late: the safe side for planning a
 *    two-hour regeneration. */
#include "history.h"

#define DAY 86400.0
#define MIN_SPAN 3600.0 /* a trend needs readings at least an hour apart */

/* A regeneration between s[i-1] and s[i]. */
static bool regenerated(const struct sample *s, size_t i)
{
	return (s[i - 1].regen >= 0 && s[i].regen > s[i - 1].regen) || s[i].p * 10 <= s[i - 1].p;
}

/* The first sample of the fit window. */
static size_t window_start(const struct cam_log *c, double max_days, bool *after_regen)
{
	size_t first = 0;

	*after_regen = false;
	for (size_t i = 1; i < c->n; i++)
		if (regenerated(c->s, i) || c->s[i - 1].regenerating)
			first = i, *after_regen = true;
	/* readings taken while regenerating fall fast: never part of a trend */
	while (first < c->n && c->s[first].regenerating)
		first++, *after_regen = true;
	if (max_days > 0)
		while (first < c->n && c->s[c->n - 1].t - c->s[first].t > max_days * DAY)
			first++;
	return first;
}

void history_fit(const struct cam_log *c, double max_days, double warn, struct fit *f)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0, n, mx, my, var;
	time_t last;

	*f = (struct fit){ .warn = warn, .days = NAN };
	if (!c->n)
		return;
	f->first = window_start(c, max_days, &f->after_regen);
	f->n = c->n - f->first;
	last = c->s[c->n - 1].t;
	if (f->n < 2 || last - c->s[f->first].t < MIN_SPAN)
		return;
	for (size_t i = f->first; i < c->n; i++) {
		double x = (c->s[i].t - last) / DAY, y = log10(c->s[i].p);

		sx += x, sy += y, sxx += x * x, sxy += x * y;
	}
	n = (double)f->n;
	mx = sx / n, my = sy / n;
	var = sxx / n - mx * mx;
	if (var <= 0)
		return;
	f->slope = (sxy / n - mx * my) / var;
	f->now_log = my - f->slope * mx; /* x = 0 at the last reading */
	f->ok = true;
	if (f->now_log >= log10(warn))
		f->days = 0;
	else if (f->slope > 0)
		f->days = (log10(warn) - f->now_log) / f->slope;
}

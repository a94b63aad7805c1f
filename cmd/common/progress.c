/* A one-line progress display on stderr (see common.h). */
#include "common.h"

#include <string.h>
#include <unistd.h>

void progress_start(struct progress *p, const struct common_opts *c, unsigned long long total)
{
	memset(p, 0, sizeof(*p));
	p->enabled = isatty(STDERR_FILENO) && !(c && c->quiet);
	p->start = cred_now_s();
	p->last_draw = -1;
	p->total = total;
}

static void progress_draw(struct progress *p, const char *text)
{
	int n = fprintf(stderr, "\r%s", text) - 1;

	/* Blank what a longer previous line left behind. */
	if (n < p->width)
		fprintf(stderr, "%*s\r%s", p->width - n, "", text);
	p->width = n;
}

void progress_update(struct progress *p, unsigned long long done, const char *label)
{
	double t = cred_now_s(), elapsed = t - p->start;
	char el[32], eta[32], line[256];

	if (!p->enabled || (p->last_draw >= 0 && t - p->last_draw < 0.1))
		return;
	p->last_draw = t;
	format_duration(elapsed, el, sizeof(el));
	if (p->total == 0) {
		snprintf(line, sizeof(line), "%s  %s", label ? label : "", el);
	} else {
		double frac = done > p->total ? 1.0 : (double)done / p->total;

		if (frac > 0)
			format_duration(elapsed / frac - elapsed, eta, sizeof(eta));
		else
			snprintf(eta, sizeof(eta), "--:--");
		snprintf(line, sizeof(line), "%s %3d%%  %s  ETA %s", label ? label : "",
			 (int)(frac * 100), el, eta);
	}
	progress_draw(p, line);
}

void progress_end(struct progress *p)
{
	if (!p->enabled || p->width == 0)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	p->width = 0;
}

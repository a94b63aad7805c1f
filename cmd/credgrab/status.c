/* credgrab's live status line (only on a terminal) and its summary. */
#include "credgrab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define REDRAW_S 0.25

struct status {
	bool enabled;
	double start, last;
	uint64_t last_frames, last_bytes;
	double fps, rate;   /* over the last redraw period */
	int width;
};

double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct status *status_new(bool enabled)
{
	struct status *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->enabled = enabled;
	s->start = s->last = monotonic_s();
	return s;
}

void status_update(struct status *s, uint64_t frames, uint64_t bytes,
		   const struct cred_assembler_stats *st)
{
	double now, dt;
	int n;

	if (!s || !s->enabled)
		return;
	now = monotonic_s();
	dt = now - s->last;
	if (dt < REDRAW_S)
		return;
	s->fps = (double)(frames - s->last_frames) / dt;
	s->rate = (double)(bytes - s->last_bytes) / dt / 1e6;
	s->last = now;
	s->last_frames = frames;
	s->last_bytes = bytes;
	n = fprintf(stderr, "\r%llu frames  %.1f fps  %.1f MB/s  %llu dropped%s",
		    (unsigned long long)frames, s->fps, s->rate,
		    (unsigned long long)(st ? st->dropped : 0),
		    st && !st->locked && frames > 0 ? "  (searching)" : "");
	/* blank out what a longer previous line left */
	fprintf(stderr, "%*s", s->width > n ? s->width - n : 0, "");
	s->width = n;
	fflush(stderr);
}

void status_end(struct status *s)
{
	if (!s)
		return;
	if (s->enabled && s->width > 0)
		fprintf(stderr, "\r%*s\r", s->width, "");
	free(s);
}

void print_summary(const struct config *c, const struct cred_frame_format *f,
		   const struct grab_result *r)
{
	double t = r->seconds > 0 ? r->seconds : 1e-9;

	if (c->quiet)
		return;
	fprintf(stderr, "credgrab: %llu frame%s of %dx%d in %.2f s (%.1f fps, %.1f MB/s), "
		"%llu dropped",
		(unsigned long long)r->frames, r->frames == 1 ? "" : "s", f->width, f->height, r->seconds,
		(double)r->frames / t, (double)r->bytes / t / 1e6,
		(unsigned long long)r->stats.dropped);
	if (r->stats.resyncs)
		fprintf(stderr, ", %llu resyncs", (unsigned long long)r->stats.resyncs);
	if (r->stats.counter_jumps)
		fprintf(stderr, ", %llu counter jumps", (unsigned long long)r->stats.counter_jumps);
	if (r->stats.incomplete)
		fprintf(stderr, ", %llu incomplete", (unsigned long long)r->stats.incomplete);
	if (r->stats.source_lost)
		fprintf(stderr, ", %llu lost by the grabber", (unsigned long long)r->stats.source_lost);
	if (r->stats.bad_frames)
		fprintf(stderr, ", %llu bad frames", (unsigned long long)r->stats.bad_frames);
	if (r->stats.skipped_bytes)
		fprintf(stderr, ", %llu bytes skipped", (unsigned long long)r->stats.skipped_bytes);
	if (strcmp(c->output, "-"))
		fprintf(stderr, ", written to '%s'\n", c->output);
	else
		fprintf(stderr, ", written to standard output\n");
}

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

struct status *status_new(bool enabled)
{
	struct status *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->enabled = enabled;
	s->start = s->last = cred_now_s();
	return s;
}

void status_update(struct status *s, uint64_t frames, uint64_t bytes, uint64_t dropped,
		   const struct cred_ring_stats *ring)
{
	double now, dt;
	int n;

	if (!s || !s->enabled)
		return;
	now = cred_now_s();
	dt = now - s->last;
	if (dt < REDRAW_S)
		return;
	s->fps = (double)(frames - s->last_frames) / dt;
	s->rate = (double)(bytes - s->last_bytes) / dt / 1e6;
	s->last = now;
	s->last_frames = frames;
	s->last_bytes = bytes;
	n = fprintf(stderr, "\r%llu frames  %.1f fps  %.1f MB/s  %llu dropped  ring %.0f%%",
		    (unsigned long long)frames, s->fps, s->rate, (unsigned long long)dropped,
		    ring && ring->capacity ? 100.0 * (double)ring->used / (double)ring->capacity : 0.0);
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
	uint64_t full = r->ring.dropped_full;

	if (c->common.quiet)
		return;
	fprintf(stderr, "credgrab: %llu frame%s of %dx%d in %.2f s (%.1f fps, %.1f MB/s), "
		"%llu dropped",
		(unsigned long long)r->frames, r->frames == 1 ? "" : "s", f->width, f->height, r->seconds,
		(double)r->frames / t, (double)r->bytes / t / 1e6,
		(unsigned long long)(r->stats.dropped + full));
	if (full)
		fprintf(stderr, " (%llu by the camera or link, %llu with the ring full)",
			(unsigned long long)r->stats.dropped, (unsigned long long)full);
	if (r->discarded)
		fprintf(stderr, ", %llu left unwritten in the ring at the second interrupt",
			(unsigned long long)r->discarded);
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
	if (!strcmp(c->output, "-"))
		fprintf(stderr, ", written to standard output\n");
	else if (r->kept)
		fprintf(stderr, ", written to '%s'\n", c->output);
	else
		fprintf(stderr, ", no file written\n");
	if (c->common.verbose)
		fprintf(stderr, "credgrab: frame ring of %llu frames (%.1f MiB), at most %llu in use\n",
			(unsigned long long)r->ring.capacity,
			(double)r->ring.capacity * (double)r->ring.frame_size / 1048576.0,
			(unsigned long long)r->ring.high_water);
}

void print_json_summary(const struct config *c, const struct cred_frame_format *f,
			const struct grab_result *r, int code)
{
	double t = r->seconds > 0 ? r->seconds : 1e-9;
	double fsize = (double)r->ring.frame_size;
	json_t *o = json_object(), *d = json_object(), *ring = json_object();

	json_object_set_new(o, "frames", json_integer((json_int_t)r->frames));
	json_object_set_new(o, "bytes", json_integer((json_int_t)r->bytes));
	json_object_set_new(o, "acquired", json_integer((json_int_t)r->acquired));
	json_object_set_new(o, "seconds", json_real(r->seconds));
	json_object_set_new(o, "fps", json_real((double)r->frames / t));
	json_object_set_new(o, "mb_per_s", json_real((double)r->bytes / t / 1e6));
	json_object_set_new(o, "width", json_integer(f->width));
	json_object_set_new(o, "height", json_integer(f->height));
	json_object_set_new(o, "output", json_text(c->output));
	json_object_set_new(o, "written", json_boolean(r->kept));
	json_object_set_new(o, "format", json_string(cred_file_type_name(c->type)));
	json_object_set_new(d, "camera", json_integer((json_int_t)r->stats.dropped));
	json_object_set_new(d, "ring_full", json_integer((json_int_t)r->ring.dropped_full));
	json_object_set_new(d, "unwritten", json_integer((json_int_t)r->discarded));
	json_object_set_new(o, "dropped", d);
	json_object_set_new(o, "counter_jumps", json_integer((json_int_t)r->stats.counter_jumps));
	json_object_set_new(o, "resyncs", json_integer((json_int_t)r->stats.resyncs));
	json_object_set_new(o, "skipped_bytes", json_integer((json_int_t)r->stats.skipped_bytes));
	json_object_set_new(ring, "frames", json_integer((json_int_t)r->ring.capacity));
	json_object_set_new(ring, "bytes", json_integer((json_int_t)((double)r->ring.capacity * fsize)));
	json_object_set_new(ring, "high_water", json_integer((json_int_t)r->ring.high_water));
	json_object_set_new(ring, "high_water_bytes",
			    json_integer((json_int_t)((double)r->ring.high_water * fsize)));
	json_object_set_new(o, "ring", ring);
	json_object_set_new(o, "exit_status", json_integer(code));
	if (c->json == JSON_STDERR) {
		json_dumpf(o, stderr, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stderr);
		json_decref(o);
	} else {
		print_json(o);
	}
}

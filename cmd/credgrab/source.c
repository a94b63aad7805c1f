/* credgrab's source thread: read chunks from the stream, cut frames with
 * the assembler and push them into the frame ring, until the count, the
 * duration, the end of the stream, an error or a stop request; then end
 * the ring. It never waits for a writer: with a live source a frame that
 * finds the ring full is dropped and counted by the ring. */
#include "credgrab.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define WAIT_MS 200   /* longest wait for data before looking at the clock and the stop flag */
#define SCRAMBLED 32  /* whole frames failing the tag check, most of them: give up */

struct run {
	struct source *s;
	const struct config *c;
	uint64_t stored;   /* frames in the ring (or written): what -n counts */
	double last_data;
	bool done;
};

static void fail(struct run *r, int code, const char *what)
{
	if (r->s->code < 0) {
		snprintf(r->s->message, sizeof(r->s->message), "%s", what);
		r->s->code = code;
	}
	r->done = true;
}

static void publish_stats(struct run *r)
{
	atomic_store(&r->s->camera_dropped, cred_assembler_stats(r->s->as)->dropped);
}

static void take(struct run *r, const struct cred_frame *f)
{
	int n = cred_ring_push(r->s->ring, f);

	atomic_fetch_add(&r->s->acquired, 1);
	if (n < 0) {
		fail(r, EXIT_REFUSED, cred_last_error());
		return;
	}
	r->stored += (uint64_t)n;
	if (r->c->count && r->stored >= r->c->count)
		r->done = true;
}

/* The source is quiet: deliver a frame that waits for its successor
 * (the last of a triggered burst), and see whether it is quiet too long. */
static void idle(struct run *r, double now)
{
	const struct config *c = r->c;
	struct cred_frame f;
	char msg[512];

	if (cred_assembler_flush(r->s->as, 0, &f) == 1)
		take(r, &f);
	/* Nothing had come by now: the next chunk arrived after it. */
	cred_assembler_push(r->s->as, NULL, 0, cred_now_utc());
	if (c->timeout_ms > 0 && (now - r->last_data) * 1000 >= c->timeout_ms) {
		bool none = atomic_load(&r->s->acquired) == 0;

		snprintf(msg, sizeof(msg), "no data from '%s' for %.3g s%s%s%s",
			 cred_stream_name(r->s->src), c->timeout_ms / 1000.0, none ? " (" : "",
			 !none ? "" : c->silence ? c->silence
			 : "a camera in external or triggered synchronisation sends frames only "
			   "when triggered; see -t", none ? ")" : "");
		fail(r, EXIT_NO_ANSWER, msg);
	}
}

/* A file or pipe that ends is complete, and so is any stream without -n
 * ("until the end of the stream"); a camera's stream that ends before the
 * frames asked for means the camera or its link is gone (as a USB device
 * that disappears), whatever was written stays. */
static void end_of_stream(struct run *r)
{
	struct cred_frame f;
	char msg[512];

	if (cred_assembler_flush(r->s->as, 1, &f) == 1 && !r->done)
		take(r, &f);
	if (!r->done && r->c->count && cred_stream_live(r->s->src)) {
		snprintf(msg, sizeof(msg), "'%s': the stream ended after %llu frames: the camera or "
			 "its link is gone", cred_stream_name(r->s->src),
			 (unsigned long long)r->stored);
		fail(r, EXIT_NO_ANSWER, msg);
	}
	r->done = true;
}

static void chunk(struct run *r, const void *data, int n)
{
	struct cred_frame f;

	/* Every chunk is used up before the next (the loop stops early only
	 * when the run is done), so the push cannot be refused. */
	cred_stream_push(r->s->src, r->s->as, data, (size_t)n, cred_now_utc());
	while (!r->done && cred_assembler_next(r->s->as, &f) == 1)
		take(r, &f);
}

/* Whole frames keep failing the tag check while data flows (a C-RED One
 * tag has no fixed bits, so a scrambled frame may pass now and then): the
 * frames are scrambled, which the byte count alone would never say. */
static void scrambled(struct run *r)
{
	const struct cred_assembler_stats *st = cred_assembler_stats(r->s->as);
	char msg[600];

	if (st->bad_frames < SCRAMBLED || st->bad_frames < 4 * st->frames)
		return;
	snprintf(msg, sizeof(msg), "%llu of %llu frames from '%s' failed the tag check: %s",
		 (unsigned long long)st->bad_frames, (unsigned long long)(st->bad_frames + st->frames),
		 cred_stream_name(r->s->src), SCRAMBLED_HINT);
	fail(r, EXIT_REFUSED, msg);
}

static void *drain(void *arg)
{
	struct run r = { .s = arg, .c = ((struct source *)arg)->c };

	r.last_data = r.s->start;
	while (!r.done && !atomic_load(&r.s->stop) &&
	       !(r.s->interrupts && atomic_load(r.s->interrupts))) {
		const void *data;
		int n = cred_stream_read(r.s->src, &data, WAIT_MS);
		double now = cred_now_s();

		if (n == CRED_ERR_TIMEOUT) {
			idle(&r, now);
		} else if (n < 0) {
			fail(&r, exit_code_for(n) == EXIT_USAGE ? EXIT_NO_ANSWER : exit_code_for(n),
			     cred_last_error());
		} else if (n == 0) {
			end_of_stream(&r);
		} else {
			r.last_data = now;
			chunk(&r, data, n);
			scrambled(&r);
		}
		if (r.c->duration > 0 && now - r.s->start >= r.c->duration)
			r.done = true;
		publish_stats(&r);
	}
	/* Stop the flow first: nothing more is acquired, the ring drains. */
	if (cred_stream_stop(r.s->src) != CRED_OK && r.c->common.verbose)
		print_warning("%s", cred_last_error());
	cred_ring_end(r.s->ring);
	return NULL;
}

/* Files, pipes and sockets are read into a ring that keeps what the
 * assembler has not decided yet in place, so frames are copied only into
 * the frame ring; USB transfers are separate buffers and go through the
 * assembler's own. */
int source_open(struct source *s, const struct config *c, const struct cred_frame_format *f)
{
	struct cred_assembler_options ao = { .contiguous = 1 };
	struct cred_stream_options so = c->stream;
	int err;

	memset(s, 0, sizeof(*s));
	s->c = c;
	s->code = -1;
	err = cred_assembler_new(f, &ao, &s->as);
	if (err)
		return err;
	so.keep = cred_assembler_lookahead(s->as);
	so.format = f; /* grabbers check their configured geometry against it */
	err = cred_stream_open(c->source, &so, &s->src);
	if (!err && !cred_stream_contiguous(s->src)) {
		cred_assembler_free(s->as);
		s->as = NULL;
		err = cred_assembler_new(f, NULL, &s->as);
	}
	return err;
}

int source_start(struct source *s, struct cred_ring *ring)
{
	sigset_t all, old;
	int err = cred_stream_start(s->src);

	if (err)
		return err;
	s->ring = ring;
	s->start = cred_now_s();
	/* Frames are stamped in this thread as they arrive, before the ring:
	 * the first chunk's bytes came after this. */
	cred_assembler_push(s->as, NULL, 0, cred_now_utc());
	/* Signals are the writer's (main) thread's business. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&s->thread, NULL, drain, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		s->ring = NULL;
		snprintf(s->message, sizeof(s->message), "cannot start the source thread: %s",
			 strerror(err));
		cred_stream_stop(s->src);
		return CRED_ERR_MEM;
	}
	return CRED_OK;
}

void source_join(struct source *s)
{
	if (s->ring)
		pthread_join(s->thread, NULL);
}

void source_close(struct source *s)
{
	cred_assembler_free(s->as);
	cred_stream_close(s->src);
	s->as = NULL;
	s->src = NULL;
}

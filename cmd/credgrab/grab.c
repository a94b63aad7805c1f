/* credgrab's acquisition: a source thread drains the stream into the frame
 * ring (source.c) while this, the main thread, writes frames from the ring
 * into the output. The first Ctrl-C (SIGINT), SIGTERM or SIGHUP stops the
 * source and the ring is drained into the output, so no acquired frame is
 * lost; a second one stops the writer at once. Either way the output is
 * completed with exactly the frames written. */
#include "credgrab.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WAIT_MS 200   /* longest wait for a frame before looking at signals */

/* Signals received. The source thread watches it too, so the first signal
 * stops acquisition even while the writer is stuck in a long write (a
 * lock-free atomic is safe in a signal handler). */
static atomic_int interrupts;
static atomic_int last_signal; /* for the exit status */

static void on_signal(int sig)
{
	atomic_store(&last_signal, sig);
	atomic_fetch_add(&interrupts, 1);
}

/* Without SA_RESTART, so a blocked write() to a stuck pipe returns. */
static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* A closed pipe is reported as EPIPE and ends the run cleanly. */
	signal(SIGPIPE, SIG_IGN);
}

struct run {
	const struct config *c;
	struct source src;
	struct cred_ring *ring;
	struct cred_frame_writer *w;
	struct status *status;
	struct grab_result *res;
	uint64_t synced;   /* frames on disk at the last sync */
	int code;          /* exit status when writing failed, else -1 */
	char message[1200];
};

static void update_status(struct run *r)
{
	struct cred_ring_stats st;

	if (!r->status)
		return;
	cred_ring_stats(r->ring, &st);
	status_update(r->status, r->res->frames, r->res->bytes,
		      atomic_load(&r->src.camera_dropped) + st.dropped_full, &st);
}

/* Write frames until the source ends and the ring is empty, writing fails,
 * or a second interrupt comes. */
static void write_loop(struct run *r)
{
	struct cred_frame f;

	for (;;) {
		int n;

		if (atomic_load(&interrupts) > 1)
			break;
		n = cred_ring_get(r->ring, &f, WAIT_MS);
		if (n == 0)
			return;
		if (n == CRED_ERR_TIMEOUT) {
			/* A pause (triggered acquisition): make the file on disk whole. */
			if (r->synced != r->res->frames && cred_frame_writer_sync(r->w) == CRED_OK)
				r->synced = r->res->frames;
		} else if (cred_frame_writer_write(r->w, &f) != CRED_OK) {
			snprintf(r->message, sizeof(r->message), "%s%s", cred_last_error(),
				 errno_advice(cred_last_errno()));
			r->code = EXIT_REFUSED;
			cred_ring_release(r->ring);
			break;
		} else {
			cred_ring_release(r->ring);
			r->res->frames++;
			r->res->bytes += f.size;
		}
		update_status(r);
	}
	/* Stopped early: the source stops, and a source waiting for room
	 * is let go. */
	atomic_store(&r->src.stop, 1);
	cred_ring_abandon(r->ring);
}

/* A ring that filled: the output did not keep up with the source. */
static void report_slow_output(const struct run *r, const struct grab_result *res, bool fatal)
{
	double t = res->seconds > 0 ? res->seconds : 1e-9;
	double fsize = (double)res->ring.frame_size;
	char text[600];

	snprintf(text, sizeof(text), "the output is too slow for the frame rate: %llu frames "
		 "dropped with the frame ring full (%llu frames, %.1f MiB); the camera sent %.1f "
		 "MB/s, the output took %.1f MB/s (a larger --buffer absorbs longer pauses%s)",
		 (unsigned long long)res->ring.dropped_full, (unsigned long long)res->ring.capacity,
		 (double)res->ring.capacity * fsize / 1048576.0,
		 (double)(res->acquired) * fsize / t / 1e6, (double)res->bytes / t / 1e6,
		 fatal ? "; --allow-drops accepts this" : "");
	if (fatal)
		print_error("%s", text);
	else if (!r->c->common.quiet)
		print_warning("%s", text);
}

/* What the run says in its exit status once the output is complete. */
static int verdict(const struct run *r, const struct grab_result *res)
{
	const struct config *c = r->c;

	if (r->src.code >= 0)
		return r->src.code;
	if (r->code >= 0)
		return r->code;
	if (res->frames == 0 && res->stats.bytes > 0) {
		print_error("no frame found in %llu bytes from '%s' (check the geometry and tags: "
			    "--model, --width, --height, --tags)", (unsigned long long)res->stats.bytes,
			    cred_stream_name(r->src.src));
		return EXIT_REFUSED;
	}
	if (res->stats.bad_frames)
		print_warning("%llu frames failed the tag check (%s)",
			      (unsigned long long)res->stats.bad_frames, SCRAMBLED_HINT);
	if (res->ring.dropped_full)
		report_slow_output(r, res, !c->allow_drops);
	if ((res->stats.dropped || res->stats.counter_jumps) && !c->allow_drops) {
		print_error("%llu frames dropped by the camera or the link%s (--allow-drops accepts "
			    "this)", (unsigned long long)res->stats.dropped,
			    res->stats.counter_jumps ? " and the frame counter jumped" : "");
		return EXIT_REFUSED;
	}
	return res->ring.dropped_full && !c->allow_drops ? EXIT_REFUSED : EXIT_OK;
}

/* An interrupted run (credtools(7)): 0 when there was no count to reach
 * and every acquired frame was written; 128 + the signal when -n or
 * --duration was not reached or a second signal cut the writing short. */
static int interrupted_verdict(const struct config *c, const struct grab_result *res)
{
	bool short_count = c->count && res->frames < c->count;
	bool short_time = c->duration > 0 && res->seconds < c->duration;

	if (atomic_load(&interrupts) > 1) {
		print_error("interrupted twice: %llu acquired frames were not written",
			    (unsigned long long)res->discarded);
	} else if (short_count) {
		print_error("interrupted after %llu of %llu frames", (unsigned long long)res->frames,
			    (unsigned long long)c->count);
	} else if (short_time) {
		print_error("interrupted after %.1f of %g s", res->seconds, c->duration);
	} else {
		return EXIT_OK;
	}
	return interrupted_status(atomic_load(&last_signal));
}

/* The source first (whether it waits decides the ring), then the ring,
 * then the output. Returns an exit status, or -1 when all is open. */
static int open_all(struct run *r, const struct camera_info *info,
		    const struct cred_writer_options *wo)
{
	const struct config *c = r->c;
	size_t fsize = cred_frame_format_size(&wo->format);
	bool live;
	int err;

	err = source_open(&r->src, c, &wo->format);
	if (err) {
		print_error("%s", cred_last_error());
		return err == CRED_ERR_ARG ? EXIT_USAGE : err == CRED_ERR_MEM ? EXIT_REFUSED : EXIT_NO_ANSWER;
	}
	live = cred_stream_live(r->src.src);
	err = cred_ring_new(fsize, ring_frames(&c->buffer, fsize, info->fps, live),
			    live ? CRED_RING_DROP : CRED_RING_WAIT, &r->ring);
	if (err) {
		print_error("%s (use a smaller --buffer)", cred_last_error());
		return EXIT_REFUSED;
	}
	err = cred_frame_writer_open(c->output, wo, &r->w);
	if (err) {
		print_error("%s%s", cred_last_error(),
			    err == CRED_ERR_IO ? errno_advice(cred_last_errno()) : "");
		return err == CRED_ERR_ARG && !strstr(cred_last_error(), "exists") ? EXIT_USAGE : EXIT_REFUSED;
	}
	return -1;
}

static void close_all(struct run *r)
{
	source_close(&r->src);
	cred_ring_free(r->ring);
}

/* Complete the output; a run that failed before its first frame leaves no
 * empty file behind. After a failed write the writer keeps the whole
 * frames of a raw or y4m file and removes any other. */
static void finish_output(struct run *r)
{
	bool failed = r->src.code >= 0 || r->code >= 0;

	r->res->kept = false;
	if (failed && r->res->frames == 0) {
		cred_frame_writer_abort(r->w);
	} else if (cred_frame_writer_close(r->w) == CRED_OK) {
		r->res->kept = true;
	} else if (r->code < 0) {
		snprintf(r->message, sizeof(r->message), "%s%s", cred_last_error(),
			 errno_advice(cred_last_errno()));
		r->code = EXIT_REFUSED;
	}
	r->w = NULL;
}

static void collect(struct run *r, struct grab_result *res)
{
	res->seconds = cred_now_s() - r->src.start;
	res->stats = *cred_assembler_stats(r->src.as);
	res->acquired = atomic_load(&r->src.acquired);
	cred_ring_stats(r->ring, &res->ring);
	res->discarded = res->ring.used;
}

int grab(const struct config *c, const struct camera_info *info,
	 const struct cred_writer_options *wo, struct grab_result *res)
{
	struct run r = { .c = c, .res = res, .code = -1 };
	int code = open_all(&r, info, wo);
	struct watch *wt;

	if (code >= 0) {
		cred_frame_writer_abort(r.w);
		close_all(&r);
		return code;
	}
	install_signals();
	r.src.interrupts = &interrupts;
	if (source_start(&r.src, r.ring) != CRED_OK) {
		print_error("%s", *r.src.message ? r.src.message : cred_last_error());
		cred_frame_writer_abort(r.w);
		close_all(&r);
		return EXIT_NO_ANSWER;
	}
	r.status = status_new(!c->common.quiet && isatty(2));
	wt = watch_start(c, wo, r.w);
	write_loop(&r);
	source_join(&r.src);
	watch_stop(wt);
	collect(&r, res);
	status_end(r.status);
	finish_output(&r);
	if (r.src.code >= 0)
		print_error("%s", r.src.message);
	if (r.code >= 0)
		print_error("%s", r.message);
	if ((r.src.code < 0 && r.code < 0) || res->frames)
		print_summary(c, &wo->format, res);
	code = verdict(&r, res);
	if (code == EXIT_OK && atomic_load(&interrupts))
		code = interrupted_verdict(c, res);
	if (c->json != JSON_NONE)
		print_json_summary(c, &wo->format, res, code);
	close_all(&r);
	return code;
}

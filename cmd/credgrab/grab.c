/* credgrab's acquisition loop: read chunks from the source, assemble
 * frames, write them, until the count, the duration, the end of the
 * stream or a signal. Ctrl-C (SIGINT), SIGTERM and SIGHUP stop it
 * cleanly: the output is completed with exactly the frames written. */
#include "credgrab.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WAIT_MS 200   /* longest wait for data before looking at the clock and signals */

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Without SA_RESTART, so a blocked read() returns at once. */
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

static double wall_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct run {
	const struct config *c;
	struct cred_stream *src;
	struct cred_assembler *as;
	struct cred_frame_writer *w;
	struct status *status;
	struct grab_result *res;
	double start, last_data;
	uint64_t synced;   /* frames on disk at the last sync */
	bool done;
	int status_code;   /* exit status when something failed, else -1 */
};

static void fail(struct run *r, int code, const char *what)
{
	if (r->status_code < 0) {
		status_end(r->status);
		r->status = NULL;
		print_error("%s", what);
		r->status_code = code;
	}
	r->done = true;
}

static void take(struct run *r, const struct cred_frame *f)
{
	char msg[1200];

	if (cred_frame_writer_write(r->w, f) != CRED_OK) {
		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		fail(r, EXIT_REFUSED, msg);
		return;
	}
	r->res->frames++;
	r->res->bytes += f->size;
	if (r->c->count && r->res->frames >= r->c->count)
		r->done = true;
}

/* The source is quiet: deliver a frame that waits for its successor
 * (the last of a triggered burst), and see whether it is quiet too long. */
static void idle(struct run *r, double now)
{
	struct cred_frame f;
	char msg[512];

	if (cred_assembler_flush(r->as, 0, &f) == 1)
		take(r, &f);
	/* A pause (triggered acquisition): make the file on disk whole. */
	if (r->synced != r->res->frames && cred_frame_writer_sync(r->w) == CRED_OK)
		r->synced = r->res->frames;
	if (r->c->timeout_ms > 0 && (now - r->last_data) * 1000 >= r->c->timeout_ms) {
		snprintf(msg, sizeof(msg), "no data from '%s' for %.3g s%s%s%s", cred_stream_name(r->src),
			 r->c->timeout_ms / 1000.0, r->res->frames ? "" : " (",
			 r->res->frames ? "" : r->c->silence ? r->c->silence
			 : "a camera in external or triggered synchronisation sends frames only "
			   "when triggered; see -t", r->res->frames ? "" : ")");
		fail(r, EXIT_NO_ANSWER, msg);
	}
}

static void end_of_stream(struct run *r)
{
	struct cred_frame f;

	if (cred_assembler_flush(r->as, 1, &f) == 1 && !r->done)
		take(r, &f);
	r->done = true;
}

static void chunk(struct run *r, const void *data, int n)
{
	struct cred_frame f;

	/* Every chunk is used up before the next (the loop stops early only
	 * when the run is done), so the push cannot be refused. */
	cred_assembler_push(r->as, data, (size_t)n, wall_clock());
	while (!r->done && cred_assembler_next(r->as, &f) == 1)
		take(r, &f);
}

static void loop(struct run *r)
{
	char msg[1200];

	while (!r->done && !stop_signal) {
		const void *data;
		int n = cred_stream_read(r->src, &data, WAIT_MS);
		double now = monotonic_s();

		if (n == CRED_ERR_TIMEOUT) {
			idle(r, now);
		} else if (n < 0) {
			snprintf(msg, sizeof(msg), "%s", cred_last_error());
			fail(r, exit_code_for(n) == EXIT_USAGE ? EXIT_NO_ANSWER : exit_code_for(n), msg);
		} else if (n == 0) {
			end_of_stream(r);
		} else {
			r->last_data = now;
			chunk(r, data, n);
		}
		if (r->c->duration > 0 && now - r->start >= r->c->duration)
			r->done = true;
		status_update(r->status, r->res->frames, r->res->bytes, cred_assembler_stats(r->as));
	}
}

/* What the run says in its exit status once the output is complete. */
static int verdict(const struct run *r, const struct grab_result *res)
{
	if (r->status_code >= 0)
		return r->status_code;
	if (res->frames == 0 && res->stats.bytes > 0) {
		print_error("no frame found in %llu bytes from '%s' (check the geometry and tags: "
			    "--model, --width, --height, --tags)", (unsigned long long)res->stats.bytes,
			    cred_stream_name(r->src));
		return EXIT_REFUSED;
	}
	if ((res->stats.dropped || res->stats.counter_jumps) && !r->c->allow_drops) {
		print_error("%llu frames dropped%s (--allow-drops accepts this)",
			    (unsigned long long)res->stats.dropped,
			    res->stats.counter_jumps ? " and the frame counter jumped" : "");
		return EXIT_REFUSED;
	}
	return EXIT_OK;
}

/* Files, pipes and sockets are read into a ring that keeps what the
 * assembler has not decided yet in place, so frames are never copied;
 * USB transfers are separate buffers and go through the assembler's own. */
static int open_source(struct run *r, const struct cred_writer_options *wo)
{
	struct cred_assembler_options ao = { .contiguous = 1 };
	struct cred_stream_options so = r->c->stream;
	int err = cred_assembler_new(&wo->format, &ao, &r->as);

	if (err)
		return err;
	so.keep = cred_assembler_lookahead(r->as);
	err = cred_stream_open(r->c->source, &so, &r->src);
	if (!err && !cred_stream_contiguous(r->src)) {
		cred_assembler_free(r->as);
		r->as = NULL;
		err = cred_assembler_new(&wo->format, NULL, &r->as);
	}
	if (!err)
		err = cred_stream_start(r->src);
	return err;
}

static int open_all(struct run *r, const struct cred_writer_options *wo)
{
	const struct config *c = r->c;
	int err;

	err = cred_frame_writer_open(c->output, wo, &r->w);
	if (err) {
		print_error("%s", cred_last_error());
		return err == CRED_ERR_ARG && !strstr(cred_last_error(), "exists") ? EXIT_USAGE : EXIT_REFUSED;
	}
	err = open_source(r, wo);
	if (err) {
		print_error("%s", cred_last_error());
		return err == CRED_ERR_ARG ? EXIT_USAGE : err == CRED_ERR_MEM ? EXIT_REFUSED : EXIT_NO_ANSWER;
	}
	return -1;
}

int grab(const struct config *c, const struct cred_writer_options *wo, struct grab_result *res)
{
	struct run r = { .c = c, .res = res, .status_code = -1 };
	int code = open_all(&r, wo);
	struct watch *wt;

	if (code >= 0) {
		cred_frame_writer_abort(r.w);
		cred_assembler_free(r.as);
		cred_stream_close(r.src);
		return code;
	}
	install_signals();
	r.status = status_new(!c->quiet && isatty(2));
	r.start = r.last_data = monotonic_s();
	wt = watch_start(c, wo, r.w);
	loop(&r);
	watch_stop(wt);
	res->seconds = monotonic_s() - r.start;
	res->stats = *cred_assembler_stats(r.as);
	status_end(r.status);
	r.status = NULL;
	if (cred_stream_stop(r.src) != CRED_OK && c->verbose)
		print_warning("%s", cred_last_error());
	/* A run that failed before its first frame leaves no empty file behind. */
	if (r.status_code >= 0 && res->frames == 0)
		cred_frame_writer_abort(r.w);
	else if (cred_frame_writer_close(r.w) != CRED_OK && r.status_code < 0) {
		print_error("%s", cred_last_error());
		r.status_code = EXIT_REFUSED;
	}
	if (r.status_code < 0 || res->frames)
		print_summary(c, &wo->format, res);
	code = verdict(&r, res);
	cred_assembler_free(r.as);
	cred_stream_close(r.src);
	return code;
}

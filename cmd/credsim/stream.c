/* The camera's frame output (see stream.h). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scene.h"
#include "simclock.h"
#include "stream-sock.h"
#include "stream.h"

#define BUDGET_MS 4      /* longest stretch of frame work before the loop polls again */
#define MAX_LAG_S 0.1    /* further behind than this, frames are skipped */

struct frames {
	struct camera *cam;
	struct frames_options o;
	struct scene *scene;
	const struct scene_info *info;
	uint64_t generation;
	struct fsock sock;
	struct ffault_list faults;
	/* production */
	uint32_t counter;          /* the next frame's counter */
	int pos;                   /* its read position in the exposure */
	bool running;
	double next_t;             /* frame clock time the next frame is due */
	uint64_t trigs_seen, aborts_seen;
	long burst_left;           /* triggered acquisition: frames still to come */
	int64_t stall_until;       /* real ms */
	uint8_t *buf;
	size_t buf_cap;
	char why[256];
	uint64_t produced, sent, lost;
};

struct frames *frames_new(struct camera *cam, const struct frames_options *o, char *err,
			  size_t errlen)
{
	struct frames *f = calloc(1, sizeof(*f));

	if (!f || !(f->scene = scene_new(cam, o->seed))) {
		snprintf(err, errlen, "out of memory");
		free(f);
		return NULL;
	}
	f->cam = cam;
	f->o = *o;
	f->sock.fd = -1;
	f->trigs_seen = cam->swtrigs;
	f->aborts_seen = cam->swtrigaborts;
	if (o->socket && fsock_open(&f->sock, o->socket_path, o->copy_path, err, errlen)) {
		scene_free(f->scene);
		free(f);
		return NULL;
	}
	f->sock.verbose = o->verbose;
	return f;
}

void frames_free(struct frames *f)
{
	if (!f)
		return;
	fsock_close(&f->sock);
	scene_free(f->scene);
	free(f->buf);
	free(f);
}

const char *frames_socket_path(const struct frames *f)
{
	return f->sock.fd >= 0 ? f->sock.path : NULL;
}

const struct frames_options *frames_options(const struct frames *f)
{
	return &f->o;
}

/* ---- when frames flow -------------------------------------------------------------- */

/* The frame clock: real seconds. --time-scale is for slow processes
 * (cooling, regeneration, builds, reboots); frames keep the camera's rate
 * in wall time, as no link carries a hundred times its frame rate, and
 * `sim advance` does not make frames that were never sent. */
static double frame_now(void)
{
	return (double)cred_now_ms() / 1000.0;
}

static int ms_until(double t)
{
	double left = t - frame_now();

	return left <= 0 ? 0 : (int)ceil(left * 1000.0);
}

static void follow_triggers(struct frames *f)
{
	const struct settings *s = &f->cam->set;

	if (f->cam->swtrigs != f->trigs_seen) {
		/* a new trigger aborts the burst running and starts another */
		f->trigs_seen = f->cam->swtrigs;
		f->burst_left = s->nbframesperswtrig;
		f->running = false;
	}
	if (f->cam->swtrigaborts != f->aborts_seen) {
		f->aborts_seen = f->cam->swtrigaborts;
		f->burst_left = 0;
	}
	if (!s->swsynchro)
		f->burst_left = 0;
}

/* Why no frame comes now, or NULL. */
static const char *gate(struct frames *f)
{
	const struct camera *cam = f->cam;
	const struct settings *s = &cam->set;

	if (cam->state != ST_OPERATIONAL)
		snprintf(f->why, sizeof(f->why), "the camera is not operational (status: %s)",
			 cam_state_name(cam->state));
	else if (!f->info->ok)
		snprintf(f->why, sizeof(f->why), "no valid frame format: %s", f->info->why);
	else if (s->extsynchro)
		snprintf(f->why, sizeof(f->why), "extsynchro is on: frames wait for an external "
			 "synchronisation signal, which the simulator never receives");
	else if (s->swsynchro && s->sw_source == SWSRC_EXTERNAL)
		snprintf(f->why, sizeof(f->why), "swsynchro source is external: frames wait for a "
			 "trigger signal, which the simulator never receives");
	else if (s->swsynchro && f->burst_left <= 0)
		snprintf(f->why, sizeof(f->why), "triggered acquisition (swsynchro on): waiting for "
			 "swtrig");
	else
		return NULL;
	return f->why;
}

/* Follow the camera (its settings and temperatures in simulated time);
 * false when no frame flows. */
static bool step(struct frames *f)
{
	double now = frame_now();

	if (f->cam->state == ST_OFF || f->cam->state == ST_STARTING)
		f->counter = 0; /* the counter starts again at power on */
	if (f->cam->state != ST_OPERATIONAL) {
		/* no plan to follow (a cooling cryostat changes it all the time) */
		f->running = false;
		return false;
	}
	f->info = scene_update(f->scene, f->cam, sim_now());
	if (f->info->generation != f->generation) {
		f->generation = f->info->generation;
		f->running = false; /* a new exposure sequence */
	}
	follow_triggers(f);
	if (gate(f)) {
		f->running = false;
		return false;
	}
	if (!f->running) {
		f->running = true;
		f->pos = 0;
		f->next_t = now + f->info->period; /* the first frame after one exposure */
	}
	return true;
}

const char *frames_idle_reason(struct frames *f)
{
	f->info = scene_update(f->scene, f->cam, sim_now());
	follow_triggers(f);
	return gate(f);
}

/* ---- one frame ------------------------------------------------------------------------ */

/* The next frame's counter, its read position and the faults that hit it;
 * advances the counter. */
static uint32_t next_counter(struct frames *f, int *pos, struct ffault_effect *eff)
{
	uint32_t c = f->counter++;

	*pos = f->pos;
	f->pos = (f->pos + 1) % f->info->reads;
	f->produced++;
	if (f->cam->set.swsynchro && f->burst_left > 0)
		f->burst_left--;
	ffaults_match(&f->faults, c, eff);
	if ((size_t)eff->truncate >= f->info->frame_size)
		eff->drop = true; /* nothing of it is left */
	return c;
}

/* Frame c into out, with corruption; returns the bytes to send. */
static size_t render(struct frames *f, uint32_t c, int pos, const struct ffault_effect *eff,
		     uint8_t *out)
{
	size_t size = f->info->frame_size;

	scene_render(f->scene, c, pos, out);
	if (eff->corrupt)
		ffault_corrupt(out, (size_t)eff->corrupt < size ? (size_t)eff->corrupt : size, c);
	return size - (size_t)eff->truncate;
}

/* One frame to the socket's clients. */
static void emit(struct frames *f, int64_t now_ms)
{
	size_t size = f->info->frame_size;
	struct ffault_effect eff;
	struct fbuf *b = NULL;
	int pos;
	uint32_t c = next_counter(f, &pos, &eff);

	if (eff.gone)
		fsock_end_clients(&f->sock);
	if (eff.stall_ms) {
		f->stall_until = now_ms + eff.stall_ms;
		f->sock.stalled = true;
	}
	if (eff.drop || eff.gone || !fsock_room(&f->sock, size, false) ||
	    !(b = fsock_buffer(&f->sock, size))) {
		f->lost++;
		return;
	}
	if (fsock_push(&f->sock, b, render(f, c, pos, &eff, b->data)))
		f->sent++;
	else
		f->lost++;
}

/* ---- the poll loop --------------------------------------------------------------------- */

/* Seconds from the frame just made to the next one (at f->pos): the reads
 * of an exposure one read time apart, then the rest of the exposure. */
static double interval(const struct frames *f)
{
	const struct scene_info *in = f->info;

	if (in->reads <= 1)
		return in->period;
	return f->pos ? in->read_gap : in->period - (in->reads - 1) * in->read_gap;
}

/* Count frames due until now as produced and not sent, without making
 * them: frames missed while too far behind, or while nobody reads. */
static void skip_due(struct frames *f, double now)
{
	const struct scene_info *in = f->info;
	long k = 0, limit = f->cam->set.swsynchro ? f->burst_left : LONG_MAX;

	if (!(in->period > 0))
		return;
	/* whole exposures at once: hours without a reader must not loop */
	if (f->pos == 0 && now >= f->next_t + in->period) {
		long e = (long)floor((now - f->next_t) / in->period);

		if (e > limit / in->reads)
			e = limit / in->reads;
		k = e * in->reads;
		f->next_t += (double)e * in->period;
	}
	while (k < limit && f->next_t <= now) {
		k++;
		f->pos = (f->pos + 1) % in->reads;
		f->next_t += interval(f);
	}
	f->counter += (uint32_t)k;
	f->produced += k;
	f->lost += k;
	if (f->cam->set.swsynchro)
		f->burst_left -= k;
}

static int paced(struct frames *f, double now, int64_t now_ms)
{
	int64_t start = cred_now_ms();

	if (!f->sock.nclients) {
		/* no reader: no need to wake up for every frame; the counter
		 * catches up when something happens (a client connects) */
		skip_due(f, now);
		return -1;
	}
	if (now - f->next_t > MAX_LAG_S)
		skip_due(f, now - f->info->period); /* keep the frame due now */
	while (f->next_t <= now && !gate(f)) {
		emit(f, now_ms);
		f->next_t += interval(f);
		if (cred_now_ms() - start >= BUDGET_MS)
			return 0;
	}
	return gate(f) ? -1 : ms_until(f->next_t);
}

static int unpaced(struct frames *f, int64_t now_ms)
{
	int64_t start = cred_now_ms();
	size_t size = f->info->frame_size;

	while (!f->sock.stalled && !gate(f)) {
		if (!fsock_room(&f->sock, size, true)) {
			/* a reader waiting in recv() may take a whole buffer at once */
			fsock_flush(&f->sock);
			if (!fsock_room(&f->sock, size, true))
				return -1; /* until a client takes data or connects */
		}
		emit(f, now_ms);
		if (cred_now_ms() - start >= BUDGET_MS)
			return 0;
	}
	return -1;
}

int frames_service(struct frames *f, int64_t now_ms)
{
	int t = -1;

	if (f->sock.stalled && now_ms >= f->stall_until)
		f->sock.stalled = false;
	if (step(f))
		t = f->o.unpaced ? unpaced(f, now_ms) : paced(f, frame_now(), now_ms);
	fsock_flush(&f->sock);
	if (f->sock.stalled && (t < 0 || f->stall_until - now_ms < t))
		t = (int)(f->stall_until - now_ms);
	return t;
}

int frames_poll_fds(struct frames *f, struct pollfd *pfd, int max)
{
	return fsock_poll_fds(&f->sock, pfd, max);
}

void frames_poll_done(struct frames *f, const struct pollfd *pfd, int n)
{
	fsock_poll_done(&f->sock, pfd, n);
}

/* ---- faults, status, offline production ------------------------------------------------ */

int frames_fault_add(struct frames *f, const char *spec, char *err, size_t errlen)
{
	return ffaults_add(&f->faults, spec, f->counter, err, errlen);
}

void frames_fault_clear(struct frames *f)
{
	ffaults_clear(&f->faults);
}

const struct ffault_list *frames_faults(const struct frames *f)
{
	return &f->faults;
}

void frames_describe(struct frames *f, void (*line)(void *ctx, const char *text), void *ctx)
{
	const char *why;

	if (!f->o.unpaced && !f->sock.nclients && step(f))
		skip_due(f, frame_now()); /* the counter as it is now */
	why = frames_idle_reason(f);
	const struct scene_info *in = f->info;
	char buf[400];

	snprintf(buf, sizeof(buf), "socket: %s", f->sock.fd >= 0 ? f->sock.path : "none");
	line(ctx, buf);
	if (in->ok)
		snprintf(buf, sizeof(buf), "format: %dx%d %s, %zu bytes, %d frame%s per exposure%s",
			 in->fmt.width, in->fmt.height, in->fmt.pixel_signed ? "signed" : "unsigned",
			 in->frame_size, in->reads, in->reads > 1 ? "s" : "",
			 in->fmt.tags == WIRE_TAGS_NONE ? ", no tags" : "");
	else
		snprintf(buf, sizeof(buf), "format: none (%s)", in->why);
	line(ctx, buf);
	if (in->ok && in->reads > 1)
		snprintf(buf, sizeof(buf), "timing: an exposure every %.9f s, its reads %.9f s apart",
			 in->period, in->read_gap);
	else if (in->ok)
		snprintf(buf, sizeof(buf), "timing: a frame every %.9f s", in->period);
	if (in->ok)
		line(ctx, buf);
	snprintf(buf, sizeof(buf), "pacing: %s", f->o.unpaced ? "none (as fast as the clients read)" :
		 "the frame rate, in real time");
	line(ctx, buf);
	snprintf(buf, sizeof(buf), "state: %s", why ? why : "streaming");
	line(ctx, buf);
	snprintf(buf, sizeof(buf), "counter: %lu next, %llu produced, %llu sent, %llu not sent",
		 (unsigned long)f->counter, (unsigned long long)f->produced,
		 (unsigned long long)f->sent, (unsigned long long)f->lost);
	line(ctx, buf);
	fsock_describe(&f->sock, line, ctx);
}

long frames_produce(struct frames *f, long max, frame_sink sink, void *ctx, const char **why)
{
	long k = 0;

	*why = NULL;
	step(f);
	while (k < max && !(*why = gate(f))) {
		size_t size = f->info->frame_size, len = 0;
		struct ffault_effect eff;
		int pos;
		uint32_t c;

		if (f->buf_cap < size) {
			free(f->buf);
			f->buf_cap = 0;
			if (!(f->buf = malloc(size))) {
				*why = "out of memory";
				break;
			}
			f->buf_cap = size;
		}
		c = next_counter(f, &pos, &eff);
		if (!eff.drop && !eff.gone)
			len = render(f, c, pos, &eff, f->buf);
		k++;
		if (sink(ctx, len ? f->buf : NULL, len, &eff))
			break;
	}
	f->running = false; /* the live schedule starts again from now */
	return k;
}

/* While frames go into an ImageStreamIO stream, a thread asks the camera
 * now and then for what may change during a run (frame rate, integration
 * time, gain or sensitivity, readout mode, temperatures, pressure) and
 * updates the stream's keywords that changed, so a pipeline reading the
 * stream sees the camera's state of now. It never waits for the command
 * port: when a user's credctl has it, this round is skipped. */
#include "credgrab.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct watch {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool stop;
	const struct config *c;
	struct cred_frame_writer *w;
	enum cred_model_id model;
	double fps, tint;                 /* what the stream says now */
	struct camera_info last;          /* the keywords the stream says now */
	const struct cred_writer_options *start;
};

/* The value keyword name has in the stream now, NULL if none. */
static const char *current(const struct watch *wt, const char *name)
{
	for (size_t i = 0; i < wt->last.nkeys; i++)
		if (!strcasecmp(wt->last.keys[i].name, name))
			return wt->last.keys[i].value;
	for (size_t i = 0; i < wt->start->nkeywords; i++)
		if (!strcasecmp(wt->start->keywords[i].name, name))
			return wt->start->keywords[i].value;
	return NULL;
}

static bool user_keyword(const struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nkeys; i++)
		if (!strcasecmp(c->keys[i].name, name))
			return true;
	return false;
}

static void update(struct watch *wt, struct camera_info *now)
{
	if ((now->fps > 0 && now->fps != wt->fps) || (now->tint > 0 && now->tint != wt->tint)) {
		cred_frame_writer_set_timing(wt->w, now->fps, now->tint);
		wt->fps = now->fps > 0 ? now->fps : wt->fps;
		wt->tint = now->tint > 0 ? now->tint : wt->tint;
	}
	for (size_t i = 0; i < now->nkeys; i++) {
		const struct cred_keyword *k = &now->keys[i];
		const char *was = current(wt, k->name);

		/* the user's -k keywords win, as at the start */
		if ((!was || strcmp(was, k->value) != 0) && !user_keyword(wt->c, k->name))
			cred_frame_writer_set_keyword(wt->w, k);
	}
	camera_info_free(&wt->last);
	wt->last = *now;
}

/* Wait one period; false when asked to stop. */
static bool pause_period(struct watch *wt)
{
	struct timespec until;
	double s = wt->c->isio_poll;
	bool go;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)s;
	until.tv_nsec += (long)((s - (double)(time_t)s) * 1e9);
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&wt->lock);
	while (!wt->stop && pthread_cond_timedwait(&wt->wake, &wt->lock, &until) == 0)
		;
	go = !wt->stop;
	pthread_mutex_unlock(&wt->lock);
	return go;
}

static void *run(void *arg)
{
	struct watch *wt = arg;

	while (pause_period(wt)) {
		struct camera_info now;

		if (camera_query_live(wt->c->camera_port, wt->model, &now) == CRED_OK)
			update(wt, &now);
		else if (wt->c->common.verbose)
			print_warning("cannot ask the camera for its state now: %s", cred_last_error());
	}
	return NULL;
}

struct watch *watch_start(const struct config *c, const struct cred_writer_options *wo,
			  struct cred_frame_writer *w)
{
	struct watch *wt;
	sigset_t all, old;
	int err;

	if (wo->type != CRED_FILE_ISIO || !c->camera_port || c->isio_poll <= 0)
		return NULL;
	wt = calloc(1, sizeof(*wt));
	if (!wt)
		return NULL;
	wt->c = c;
	wt->w = w;
	wt->start = wo;
	wt->model = wo->format.model;
	wt->fps = wo->fps;
	wt->tint = wo->tint;
	pthread_mutex_init(&wt->lock, NULL);
	pthread_cond_init(&wt->wake, NULL);
	/* signals go to the acquisition loop, whose reads they interrupt */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	err = pthread_create(&wt->thread, NULL, run, wt);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		print_warning("cannot watch the camera's state: the stream keeps the state at the start");
		pthread_cond_destroy(&wt->wake);
		pthread_mutex_destroy(&wt->lock);
		free(wt);
		return NULL;
	}
	return wt;
}

void watch_stop(struct watch *wt)
{
	if (!wt)
		return;
	pthread_mutex_lock(&wt->lock);
	wt->stop = true;
	pthread_cond_signal(&wt->wake);
	pthread_mutex_unlock(&wt->lock);
	pthread_join(wt->thread, NULL);
	camera_info_free(&wt->last);
	pthread_cond_destroy(&wt->wake);
	pthread_mutex_destroy(&wt->lock);
	free(wt);
}

/* credgrab: acquire frames and write them out. Shared by the files of cmd/credgrab/. */
#ifndef CREDGRAB_H
#define CREDGRAB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include "cred.h"
#include "common.h"


#define MAX_KEYWORDS 64

/* --buffer: how much the frame ring holds. */
struct buffer_size {
	enum { BUFFER_DEFAULT, BUFFER_BYTES, BUFFER_SECONDS } unit;
	double value;               /* bytes or seconds */
	const char *text;           /* as given, for messages */
};

/* What scrambled Camera Link frames mean, for the messages. */
#define SCRAMBLED_HINT "the Camera Link cables may be swapped (camera connector 1 must go to " \
	"the grabber's base connector) or the grabber configured for the wrong tap geometry " \
	"(load the camera's configuration: initcam for EDT, the producer's settings for GenTL)"

enum json_to { JSON_NONE, JSON_STDOUT, JSON_STDERR };

struct config {
	struct common_opts common;   /* -p -m -t -v -q */
	const char *silence;         /* why the camera may send nothing, or NULL */
	const char *source;          /* -s */
	const char *output;          /* -o */
	enum cred_file_type type;    /* -f, or from the output name */
	uint64_t count;              /* -n, 0: no limit */
	double duration;             /* --duration seconds, 0: none */
	int width, height;           /* --width/--height, 0: not given */
	int sign;                    /* --signed 1, --unsigned 0, -1 not given */
	const char *tags;            /* --tags */
	bool force, allow_drops, no_camera;
	bool list_sources;           /* --list-sources (--json: as JSON) */
	int timeout_ms;              /* -t: no data for this long is an error; 0: wait forever */
	struct buffer_size buffer;   /* --buffer */
	enum json_to json;           /* --json[=stderr] */
	struct cred_stream_options stream;
	struct cred_keyword keys[MAX_KEYWORDS]; /* -k */
	size_t nkeys;
	unsigned isio_buffer;        /* --isio-buffer frames, 0: a 2-D stream */
	const char *isio_remove;     /* --isio-remove NAME */
	double isio_poll;            /* --isio-poll seconds between looks at the camera, 0: none */
	const char *camera_port;     /* the port the camera answered on at the start, or NULL */
};

/* ---- milk ImageStreamIO streams (isio.c) ------------------------------------ */

/* --isio-remove NAME: remove the stream, return the exit status. */
int isio_remove(const char *name, bool force);
/* Usage checks of the isio options once the output type is known. */
void isio_check_options(const struct config *c);

/* ---- the camera's state in a stream's keywords (watch.c) ---------------------- */

/* For an ISIO output whose camera answered at the start: a thread that
 * asks it every c->isio_poll seconds and updates the keywords of w that
 * changed. NULL when there is nothing to watch. */
struct watch *watch_start(const struct config *c, const struct cred_writer_options *wo,
			  struct cred_frame_writer *w);
/* Stop the thread (before w is closed); NULL is ignored. */
void watch_stop(struct watch *wt);


/* ---- the camera (credgrab-camera.c) ----------------------------------------- */

/* What the camera says about the frames it sends and its state. */
struct camera_info {
	bool have_format;
	struct cred_frame_format format;
	double fps, tint;
	struct cred_keyword keys[MAX_KEYWORDS]; /* malloc'd strings */
	size_t nkeys;
	char *silence;  /* why no frame may come (state, sync), or NULL */
};

/* Ask the camera on port (NULL: $CRED_PORT or auto). Returns a libcred error
 * when it cannot be reached; settings it does not know are left out. */
int camera_query(const struct config *c, const char *port, struct camera_info *info);
/* Read again what may change during a run (fps, tint, gain or
 * sensitivity, readout mode, temperatures, pressure): info's fps, tint
 * and keys. Fails at once (CRED_ERR_BUSY) when another process has the
 * port. */
int camera_query_live(const char *port, enum cred_model_id model, struct camera_info *info);
void camera_info_free(struct camera_info *info);

/* ---- the frame ring's size (buffer.c) --------------------------------------- */

/* Parse --buffer: BYTES with an optional k, M or G suffix (powers of 1024),
 * or SECONDS followed by s. Dies with a usage error otherwise. */
void parse_buffer(const char *arg, struct buffer_size *out);

/* Frames the ring holds for frames of frame_size bytes at fps (0: not
 * known) from a live source or not. Dies with a usage error when the size
 * cannot be met (no frame fits, seconds without a known rate, more than the
 * memory available). */
uint64_t ring_frames(const struct buffer_size *b, size_t frame_size, double fps, bool live);

/* ---- acquisition (source.c: the source thread; grab.c: the writer) ---------- */

struct grab_result {
	uint64_t frames;             /* written */
	uint64_t bytes;
	uint64_t acquired;           /* frames the assembler delivered */
	uint64_t discarded;          /* in the ring at a second interrupt, not written */
	bool kept;                   /* the output is in place (or went to stdout) */
	double seconds;
	struct cred_assembler_stats stats;
	struct cred_ring_stats ring;
};

/* The source side: a stream, its assembler, and the thread that drains
 * them into the ring. */
struct source {
	const struct config *c;
	struct cred_stream *src;
	struct cred_assembler *as;
	struct cred_ring *ring;
	pthread_t thread;
	atomic_int stop;             /* set by the writer side: stop reading */
	const atomic_int *interrupts; /* signals received (set by the handler): stop */
	atomic_ullong acquired, camera_dropped;  /* for the status line */
	/* results, read once the thread is joined */
	int code;                    /* exit status when it failed, else -1 */
	char message[1200];
	double start;
};

/* Open the stream and its assembler for frames of format f. Returns a
 * libcred error (message in cred_last_error). */
int source_open(struct source *s, const struct config *c, const struct cred_frame_format *f);
/* Start the stream and the thread that pushes its frames into ring. On
 * failure the message is in s->message, or else in cred_last_error(). */
int source_start(struct source *s, struct cred_ring *ring);
/* Wait for the thread (it ends the ring when it stops). */
void source_join(struct source *s);
void source_close(struct source *s);

/* Run the acquisition: returns the exit status. */
int grab(const struct config *c, const struct camera_info *info,
	 const struct cred_writer_options *wo, struct grab_result *res);

/* ---- --list-sources (list.c) ------------------------------------------------ */

/* Print the frame sources found; returns the exit status. */
int list_sources(const struct config *c);

/* ---- status line and summary (status.c) ----------------------------------- */


struct status;
struct status *status_new(bool enabled);
/* Redraw at most a few times a second. */
void status_update(struct status *s, uint64_t frames, uint64_t bytes, uint64_t dropped,
		   const struct cred_ring_stats *ring);
void status_end(struct status *s);
void print_summary(const struct config *c, const struct cred_frame_format *f,
		   const struct grab_result *r);
/* The --json object, on stdout or stderr; error is the failure, or NULL. */
void print_json_summary(const struct config *c, const struct cred_frame_format *f,
			const struct grab_result *r, int code);

#endif

/* credgrab: acquire frames and write them out. Shared by the files of cmd/credgrab/. */
#ifndef CREDGRAB_H
#define CREDGRAB_H

#include <stdbool.h>
#include <stdint.h>
#include "cred.h"
#include "common.h"


#define MAX_KEYWORDS 64

struct config {
	const char *silence;         /* why the camera may send nothing, or NULL */
	const char *source;          /* -s */
	const char *output;          /* -o */
	enum cred_file_type type;    /* -f, or from the output name */
	uint64_t count;              /* -n, 0: no limit */
	double duration;             /* --duration seconds, 0: none */
	const char *port;            /* -p, NULL: $CRED_PORT or (for usb) auto */
	const struct cred_model *model; /* -m */
	int width, height;           /* --width/--height, 0: not given */
	int sign;                    /* --signed 1, --unsigned 0, -1 not given */
	const char *tags;            /* --tags */
	bool force, allow_drops, no_camera;
	int timeout_ms;              /* -t: no data for this long is an error; 0: wait forever */
	int verbose;
	bool quiet;
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

/* ---- acquisition (credgrab-grab.c) ------------------------------------------- */

struct grab_result {
	uint64_t frames;
	uint64_t bytes;
	double seconds;
	struct cred_assembler_stats stats;
};

/* Run the acquisition: returns the exit status. */
int grab(const struct config *c, const struct cred_writer_options *wo, struct grab_result *res);

/* ---- status line and summary (credgrab-status.c) -------------------------- */

/* Seconds on the monotonic clock. */
double monotonic_s(void);

struct status;
struct status *status_new(bool enabled);
/* Redraw at most a few times a second. */
void status_update(struct status *s, uint64_t frames, uint64_t bytes,
		   const struct cred_assembler_stats *st);
void status_end(struct status *s);
void print_summary(const struct config *c, const struct cred_frame_format *f,
		   const struct grab_result *r);

#endif

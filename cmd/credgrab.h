/* credgrab: acquire frames and write them out. Shared by cmd/credgrab*.c. */
#ifndef CREDGRAB_H
#define CREDGRAB_H

#include <stdbool.h>
#include <stdint.h>
#include "cred.h"

/* Exit statuses (credtools(7)). */
enum {
	EXIT_DONE = 0,
	EXIT_CHECK = 1,     /* frames were dropped, an output file problem */
	EXIT_USAGE = 2,
	EXIT_NO_ANSWER = 3, /* no source, no data, lost link */
};

#define MAX_KEYWORDS 64

struct config {
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
};

/* ---- messages (credgrab-msg.c) ------------------------------------------ */
void set_prog_name(const char *argv0);
void print_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void print_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void die_code(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void die_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* The exit status for a libcred error from the source or the camera. */
int exit_code_for(int err);
bool parse_long(const char *s, long min, long max, long *out);
bool parse_double(const char *s, double min, double max, double *out);

/* ---- the camera (credgrab-camera.c) ----------------------------------------- */

/* What the camera says about the frames it sends and its state. */
struct camera_info {
	bool have_format;
	struct cred_frame_format format;
	double fps, tint;
	struct cred_keyword keys[MAX_KEYWORDS]; /* malloc'd strings */
	size_t nkeys;
};

/* Ask the camera on port (NULL: $CRED_PORT or auto). Returns a libcred error
 * when it cannot be reached; settings it does not know are left out. */
int camera_query(const struct config *c, const char *port, struct camera_info *info);
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

struct status;
struct status *status_new(bool enabled);
/* Redraw at most a few times a second. */
void status_update(struct status *s, uint64_t frames, uint64_t bytes,
		   const struct cred_assembler_stats *st);
void status_end(struct status *s);
void print_summary(const struct config *c, const struct cred_frame_format *f,
		   const struct grab_result *r);

#endif

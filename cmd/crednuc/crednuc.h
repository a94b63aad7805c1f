/* crednuc internals shared by the files of cmd/crednuc/: the run context, the
 * subcommands, the target a file is built or checked for, and the frame
 * statistics behind bias and flat builds. */
#ifndef CREDNUC_H
#define CREDNUC_H

#include <signal.h>
#include <stdint.h>

#include "common.h"


struct nuc {
	struct common_opts opts;
	struct cred_camera *cam; /* opened on first use */
};

/* Set by SIGINT while a long camera operation runs (upload, build). */
extern volatile sig_atomic_t nuc_interrupted;
/* Catch SIGINT and SIGTERM into nuc_interrupted, which is also libcred's
 * cancel flag (every wait in the library then ends within 100 ms, and the
 * operation stops cleanly); nuc_default_signals() gives the signals back
 * what they did before and unregisters the flag: call it before talking
 * to the camera after an interruption (to abort, to put a setting back). */
void nuc_catch_signals(void);
void nuc_default_signals(void);

/* Print crednuc's help on stdout (for -h anywhere). */
void crednuc_help(void);

/* Parse a subcommand's argv (argv[0] is its name) with its own options t
 * plus the common ones; handle() gets each of its own options and returns
 * 0, or -1 for an option it does not take. Returns optind. */
int nuc_parse_sub(struct nuc *nuc, int argc, char **argv, const struct tool_opts *t,
		  int (*handle)(struct nuc *nuc, int opt, const char *arg, void *user), void *user);

/* True when the user named a camera port (-p or $CRED_PORT). */
bool nuc_port_given(const struct nuc *nuc);
/* The camera, opened on first use (dies if it cannot be opened). */
struct cred_camera *nuc_camera(struct nuc *nuc);
void nuc_close(struct nuc *nuc);
/* Read parameter name from the camera (dies on no answer; a refusal
 * returns the error with the camera's text in cred_last_error()). */
int nuc_get(struct nuc *nuc, const char *name, char **value);
/* Set parameter name and read it back; dies with the camera's reason. */
void nuc_set(struct nuc *nuc, const char *name, const char *value);

/* ---- what a file is for ---------------------------------------------------- */

/* A model and a window. */
struct target {
	const struct cred_model *model;
	int width, height;
	bool from_camera;   /* the window was read from the camera */
	bool hdr;           /* the camera is in HDR mode (from_camera only) */
};

/* "640x512" into width and height (dies with a usage error otherwise). */
void parse_geometry(const char *text, int *width, int *height);
/* The camera's current window (cropping on or off). */
void camera_window(struct nuc *nuc, int *width, int *height);
/* Fill t: the model from -m, else the camera (when a port is given), else
 * fallback (may be NULL: then die asking for -m); the window from
 * geometry ("WxH", may be NULL), else the camera's, else the full sensor. */
void resolve_target(struct nuc *nuc, const char *geometry, const struct cred_model *fallback,
		    struct target *t);
/* A calibration kind for the target's model (dies with the library's
 * reason: unknown kind is a usage error, an HDR kind on a C-RED One a
 * refusal). */
const struct cred_calib_kind *find_kind(const struct cred_model *model, const char *name);

/* Set `hdr calibration` to c1 or c2 (capacitor 1 or 2) for a build; dies
 * unless the camera is in HDR mode. hdr_calibration_end() puts the
 * previous value back; it also runs at exit, so an error on the way never
 * leaves the camera in calibration mode. */
void hdr_calibration_begin(struct nuc *nuc, int capacitor);
void hdr_calibration_end(void);

/* The largest correction file: the C-RED 3's full sensor at 16 bits. */
#define NUC_FILE_MAX ((size_t)640 * 512 * 2)
/* A whole file of at most max bytes in memory (malloc'd); dies when it
 * cannot be read or is larger. */
void *read_whole_file(const char *path, size_t max, size_t *len);

/* ---- frame statistics -------------------------------------------------------- */

enum stack_method { STACK_MEAN, STACK_MEDIAN, STACK_CLIP };

/* Frames of one geometry, combined pixel by pixel. The mean runs as the
 * frames come (integer sums); median and clipped mean keep the frames. */
struct stack;

#define STACK_MAX_KEPT 1024 /* frames median and clip may keep */

struct stack *stack_new(enum stack_method method, double sigma, int width, int height,
			int pixel_signed);
/* Add one frame (width*height 16-bit little-endian pixels). Dies when
 * median or clip would keep more than STACK_MAX_KEPT frames. */
void stack_add(struct stack *s, const void *pixels);
size_t stack_count(const struct stack *s);
/* The combined value of every pixel (width*height doubles, malloc'd). */
double *stack_result(struct stack *s);
void stack_free(struct stack *s);
/* "mean", "median", "clip" */
const char *stack_method_name(enum stack_method m);
bool stack_method_parse(const char *name, enum stack_method *m);

/* ---- building files from frames --------------------------------------------- */

/* Statistics of a finished correction, in the units the camera applies. */
struct build_summary {
	size_t frames;
	double min, max, mean;
};

/* Write a correction file (the camera's bytes) as a 32-bit float FITS
 * image of what the camera applies (ADU for a bias, factors for a flat)
 * with a few keywords, atomically (dies on failure). */
void write_fits(const char *path, bool force, const struct cred_calib_kind *kind,
		const struct target *t, const void *file, const struct build_summary *sum,
		const char *method);

/* Subcommands: argv[0] is the subcommand name; return the exit status. */
int cmd_bias(struct nuc *nuc, int argc, char **argv);
int cmd_flat(struct nuc *nuc, int argc, char **argv);
int cmd_check(struct nuc *nuc, int argc, char **argv);
int cmd_upload(struct nuc *nuc, int argc, char **argv);
int cmd_enable(struct nuc *nuc, int argc, char **argv);
int cmd_camera(struct nuc *nuc, int argc, char **argv);

#endif

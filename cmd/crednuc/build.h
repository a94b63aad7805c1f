/* Building bias and flat files from frames (crednuc bias, crednuc flat):
 * shared between the option handling and build steps (crednuc-build.c),
 * the frame sources (crednuc-frames.c) and the arithmetic
 * (crednuc-compute.c). */
#ifndef CREDNUC_BUILD_H
#define CREDNUC_BUILD_H

#include "crednuc.h"

enum normalize { NORM_MEDIAN, NORM_MEAN };

struct build_args {
	enum cred_calib_type type;
	const char *kind_name;     /* NULL: bias / flat */
	const char *output;        /* NULL: KIND.bin */
	const char *fits;
	const char *geometry;
	const char *bias_file;     /* flat */
	bool no_bias;              /* flat */
	enum normalize normalize;  /* flat */
	bool force, clamp;
	enum stack_method method;
	double sigma;
	long max_frames, skip;
	int width, height;
	const char *tags;
	const struct cred_model *opts_model; /* -m */
	const struct common_opts *opts;      /* the camera, for raw input's format */
	char **inputs;
	int ninputs;
	char **command;            /* after --, NULL-terminated; NULL: none */
};

/* The frames read and what they looked like. */
struct stack_source {
	struct cred_frame_format format;
	struct stack *stack;
};

void frames_read(struct build_args *b, struct stack_source *src);

/* Values that do not fit a kind's file. */
struct misfits {
	size_t count;
	size_t first;        /* pixel index of the first */
	double first_value;
	size_t dead;         /* flat: pixels with no response (set to 1.0) */
};

/* Put neutral values in the tag pixels: the neighbouring pixel's value for
 * a bias, 1.0 for a flat. */
void fix_tag_pixels(double *v, const struct cred_frame_format *fmt, enum cred_calib_type type);
/* Flat factors from responses (frame statistic minus bias), in place:
 * each pixel brought to the median or mean response. */
void flat_factors(double *v, size_t n, size_t skip_first, enum normalize how,
		  struct misfits *m);
/* Count the values that do not fit (bias: 0 to the model's maximum after
 * rounding; flat: 0 to 7.9998). */
void find_misfits(const struct cred_model *model, enum cred_calib_type type, const double *v,
		  size_t n, struct misfits *m);
/* Min, max and mean of the values as the camera will apply them. */
void summarize(enum cred_calib_type type, const void *file, size_t n, struct build_summary *s);

#endif

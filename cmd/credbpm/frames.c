/* The per-pixel statistics of a set of frames for credbpm detect: mean and
 * temporal standard deviation, read through the shared frame input
 * (files, standard input, a command). */
#include "credbpm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void frames_stats_read(struct config *cfg, const struct frame_input *in, const char *what,
		       struct frames_stats *st)
{
	const char *path = in->paths[0];
	struct cred_frame_reader *r;
	const struct cred_frame_format *fmt;
	struct cred_frame fr;
	double *sum2;
	size_t n;
	int got = 0;

	if (in->command)
		frame_input_spawn(in->command);
	/* Ctrl-C ends the reading, with the interruption's exit status */
	catch_stop_signals(false);
	cancel_library_on_stop();
	r = frame_input_open(in);
	fmt = cred_frame_reader_format(r);
	memset(st, 0, sizeof(*st));
	st->width = fmt->width;
	st->height = fmt->height;
	st->skip = cred_tags_size(fmt->tags) / 2;
	st->model = cred_model_get(fmt->model);
	n = (size_t)st->width * st->height;
	st->mean = calloc(n, sizeof(double));
	st->sd = calloc(n, sizeof(double));
	sum2 = calloc(n, sizeof(double));
	if (!st->mean || !st->sd || !sum2)
		die("out of memory");
	/* sums of deviations from the first frame: no loss of precision */
	while (!stop_signal && (got = cred_frame_reader_next(r, &fr)) > 0) {
		if (!st->frames)
			for (size_t i = 0; i < n; i++)
				st->sd[i] = cred_frame_pixel(&fr, i); /* the reference, for now */
		for (size_t i = 0; i < n; i++) {
			double d = cred_frame_pixel(&fr, i) - st->sd[i];

			st->mean[i] += d;
			sum2[i] += d * d;
		}
		st->frames++;
	}
	if (stop_signal)
		die_interrupted("interrupted after %zu %s frames: no map written", st->frames, what);
	if (got < 0) {
		char where[32];

		snprintf(where, sizeof(where), "frame %zu", st->frames + 1);
		frame_input_failed(in, st->frames ? where : path);
	}
	cred_frame_reader_close(r);
	restore_stop_signals();
	if (in->command)
		frame_input_reap(in->command[0]);
	if (!st->frames)
		die("no %s frames in '%s'", what, in->command ? in->command[0] : path);
	for (size_t i = 0; i < n; i++) {
		double m = st->mean[i] / st->frames, var = sum2[i] / st->frames - m * m;

		st->mean[i] = st->sd[i] + m;
		st->sd[i] = st->frames > 1 ? sqrt(var > 0 ? var * st->frames / (st->frames - 1) : 0) : 0;
	}
	free(sum2);
	if (!cfg->opts.quiet && cfg->opts.verbose)
		fprintf(stderr, "%s: %zu %s frames of %dx%d\n", get_prog_name(), st->frames, what,
			st->width, st->height);
}

void frames_stats_free(struct frames_stats *st)
{
	free(st->mean);
	free(st->sd);
	memset(st, 0, sizeof(*st));
}

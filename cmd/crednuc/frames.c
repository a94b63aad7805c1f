/* Reading a build's frames (from files, standard input or a command, see
 * frame-input.h) into a stack. */
#include "build.h"

#include <stdio.h>

#include "frame-input.h"

/* The frames of a build, as the shared frame input sees them. */
static struct frame_input input_of(const struct build_args *b)
{
	struct frame_input in = {
		.paths = (const char *const *)b->inputs,
		.npaths = (size_t)b->ninputs,
		.width = b->width,
		.height = b->height,
		.tags = b->tags,
		.model = b->opts_model,
		.command = b->command,
		.camera = b->opts,
	};

	return in;
}

/* Read every frame (after --skip, up to --frames) into a new stack. */
void frames_read(struct build_args *b, struct stack_source *src)
{
	struct frame_input in = input_of(b);
	struct cred_frame_reader *r = frame_input_open(&in);
	const struct cred_frame_format *fmt = cred_frame_reader_format(r);
	struct cred_frame frame;
	long seen = 0;
	int got = 0;

	src->format = *fmt;
	src->stack = stack_new(b->method, b->sigma, fmt->width, fmt->height, fmt->pixel_signed);
	while (!stop_signal && (!b->max_frames || (long)stack_count(src->stack) < b->max_frames) &&
	       (got = cred_frame_reader_next(r, &frame)) > 0) {
		if (seen++ < b->skip)
			continue;
		stack_add(src->stack, frame.data);
	}
	if (stop_signal)
		die_interrupted("interrupted after %zu frames: no file written", stack_count(src->stack));
	if (got < 0) {
		char what[32];

		snprintf(what, sizeof(what), "frame %ld", seen + 1);
		frame_input_failed(&in, what);
	}
	cred_frame_reader_close(r);
	if (!stack_count(src->stack))
		die("no frames to build from%s", seen ? " (all skipped)" : "");
}

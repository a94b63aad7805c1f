/* Frames a tool reads: files (raw, the y4m pipe stream, FITS), standard
 * input, or the output of a command run for the purpose
 * (`crednuc bias -- credgrab -n 64 -o - -f y4m`, `credbpm detect --dark -
 * -- credgrab ...`). Shared by crednuc and credbpm. */
#ifndef CRED_TOOLS_FRAME_INPUT_H
#define CRED_TOOLS_FRAME_INPUT_H

#include "common.h"

struct frame_input {
	const char *const *paths;        /* files read one after another; */
	size_t npaths;                   /* none: standard input */
	int width, height;               /* raw input geometry; 0: none given */
	const char *tags;                /* raw input tags ("cred3", "none" ...); NULL: the model's */
	const struct cred_model *model;  /* -m, for raw input; may be NULL */
	char **command;                  /* after "--", NULL-terminated; NULL: none */
	const struct common_opts *camera; /* raw input without --width/--height:
					   * the camera these name (port, model,
					   * timeout) tells the format; NULL: none */
};

/* The index of the first "--" in argv (argc when there is none). When
 * there is one, *command gets what follows it (dies when nothing does). */
int frame_input_split(int argc, char **argv, char ***command);

/* Run argv with its standard output on our standard input. It is stopped
 * (SIGTERM) if we exit before frame_input_reap. */
void frame_input_spawn(char **argv);

/* Wait for the command started by frame_input_spawn; dies when it failed
 * (a command stopped by SIGPIPE because we read enough is not a failure). */
void frame_input_reap(const char *name);

/* Open the frames (dies with a clear message when they cannot be read:
 * a usage error when standard input is a terminal or raw frames come
 * without a geometry). Raw frames without --width/--height take their
 * geometry, pixel format and tags from in->camera, asked once the first
 * bytes have come (cred_camera_frame_format, as credgrab does), with --tags
 * still applied; when the camera cannot be reached the message says what
 * to add. */
struct cred_frame_reader *frame_input_open(const struct frame_input *in);

/* The frames cannot be read (err from the reader, what: the file or
 * "frame N"). When a command feeds them, its failure is the better
 * explanation: that is reported first. */
void frame_input_failed(const struct frame_input *in, const char *what) NORETURN;

#endif

/* Where a build's frames come from: files, standard input, or the output
 * of a command run for the purpose (`crednuc bias -- credgrab ...`), and
 * reading them into a stack. */
#include "build.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The command feeding us, if any. */
static pid_t child;

/* Leaving early (an error, Ctrl-C): the command must not go on grabbing
 * with the camera's port in its hands. */
static void stop_child(void)
{
	if (child <= 0)
		return;
	kill(child, SIGTERM);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	child = 0;
}

/* Run argv with its standard output on our standard input. */
void frames_spawn(char **argv)
{
	int fds[2];

	fflush(NULL);
	if (pipe(fds) < 0)
		die_perror("cannot make a pipe");
	child = fork();
	if (child < 0)
		die_perror("cannot start '%s'", argv[0]);
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run '%s': %s\n", get_prog_name(), argv[0], strerror(errno));
		_exit(127);
	}
	atexit(stop_child);
	if (dup2(fds[0], STDIN_FILENO) < 0)
		die_perror("cannot read from '%s'", argv[0]);
	close(fds[0]);
	close(fds[1]);
}

/* Wait for the command; dies when it failed. */
void frames_reap(const char *name)
{
	int status;

	if (child <= 0)
		return;
	close(STDIN_FILENO); /* a command still writing gets SIGPIPE */
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			die_perror("cannot wait for '%s'", name);
	child = 0;
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGPIPE)
		die("'%s' was killed by signal %d", name, WTERMSIG(status));
	if (WIFEXITED(status) && WEXITSTATUS(status))
		die("'%s' failed (exit status %d)", name, WEXITSTATUS(status));
}

/* The geometry hint for raw input (--width/--height), or NULL. */
static const struct cred_frame_format *raw_hint(const struct build_args *b,
						 const struct cred_model *model,
						 struct cred_frame_format *fmt)
{
	if (!b->width && !b->height)
		return NULL;
	if (!b->width || !b->height)
		die_usage("raw input needs both --width and --height");
	if (model)
		cred_frame_format_init(fmt, model->id);
	else
		memset(fmt, 0, sizeof(*fmt));
	fmt->width = b->width;
	fmt->height = b->height;
	if (b->tags && cred_frame_format_set_tags(fmt, b->tags) < 0)
		die_usage("invalid --tags '%s': cred3, cred3-any, credone or none", b->tags);
	if (cred_frame_format_check(fmt) < 0)
		die_usage("%s", cred_last_error());
	return fmt;
}

/* The frames cannot be read. When a command feeds them, its failure is
 * the better explanation: report that first. */
static void NORETURN input_failed(const struct build_args *b, int err, const char *what)
{
	char msg[512];

	if (stop_signal) /* the command goes at exit: no waiting for it */
		die("interrupted before the first frame");
	snprintf(msg, sizeof(msg), "%s", cred_last_error());
	if (b->command)
		frames_reap(b->command[0]);
	die("cannot read frames from '%s': %s", b->command ? b->command[0] : what, msg);
}

static struct cred_frame_reader *open_input(const struct build_args *b)
{
	static const char *const stdin_only[] = { "-" };
	struct cred_frame_format hint_buf;
	const struct cred_frame_format *hint = raw_hint(b, b->opts_model, &hint_buf);
	const char *const *paths = b->ninputs ? (const char *const *)b->inputs : stdin_only;
	size_t n = b->ninputs ? (size_t)b->ninputs : 1;
	struct cred_frame_reader *r = NULL;
	int err;

	if (n == 1 && !strcmp(paths[0], "-") && isatty(STDIN_FILENO))
		die_usage("no frames: give INPUT files, pipe frames in, or run a command after --");
	err = n == 1 ? cred_frame_reader_open(paths[0], hint, &r) :
		       cred_frame_reader_open_list(paths, n, hint, &r);
	if (err == CRED_ERR_ARG && !hint && !b->command && strstr(cred_last_error(), "geometry"))
		die_usage("%s: raw frames need --width and --height", cred_last_error());
	if (err < 0)
		input_failed(b, err, n == 1 ? paths[0] : "the inputs");
	return r;
}

/* Read every frame (after --skip, up to --frames) into a new stack. */
void frames_read(struct build_args *b, struct stack_source *src)
{
	struct cred_frame_reader *r = open_input(b);
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
		die("interrupted after %zu frames", stack_count(src->stack));
	if (got < 0) {
		char what[32];

		snprintf(what, sizeof(what), "frame %ld", seen + 1);
		input_failed(b, got, what);
	}
	cred_frame_reader_close(r);
	if (!stack_count(src->stack))
		die("no frames to build from%s", seen ? " (all skipped)" : "");
}

/* Frames from files, standard input or a command (see frame-input.h). */
#include "frame-input.h"

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

int frame_input_split(int argc, char **argv, char ***command)
{
	int dd = 1;

	while (dd < argc && strcmp(argv[dd], "--"))
		dd++;
	*command = NULL;
	if (dd < argc) {
		*command = argv + dd + 1;
		if (!**command)
			die_usage("'--' must be followed by a command that writes frames");
	}
	return dd;
}

void frame_input_spawn(char **argv)
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

void frame_input_reap(const char *name)
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
static const struct cred_frame_format *raw_hint(const struct frame_input *in,
						 struct cred_frame_format *fmt)
{
	if (!in->width && !in->height)
		return NULL;
	if (!in->width || !in->height)
		die_usage("raw input needs both --width and --height");
	if (in->model)
		cred_frame_format_init(fmt, in->model->id);
	else
		memset(fmt, 0, sizeof(*fmt));
	fmt->width = in->width;
	fmt->height = in->height;
	if (in->tags && cred_frame_format_set_tags(fmt, in->tags) < 0)
		die_usage("invalid --tags '%s': cred3, cred3-any, credone or none", in->tags);
	if (cred_frame_format_check(fmt) < 0)
		die_usage("%s", cred_last_error());
	return fmt;
}

/* Asking the camera for the format of raw input. */
struct ask {
	const struct frame_input *in;
	int err;          /* why the camera could not tell, 0 if it did */
	char why[512];
};

/* The grab feeding us may still hold the port for a moment. */
#define ASK_LOCK_WAIT_MS 10000

static int ask_camera(void *user, struct cred_frame_format *fmt)
{
	struct ask *a = user;
	const struct common_opts *c = a->in->camera;
	struct cred_camera_options o = {
		.port = c->port,
		.model = c->model ? c->model->id : CRED_MODEL_UNKNOWN,
		.timeout_ms = c->timeout_ms,
		.lock_wait_ms = c->lock_wait_ms ? c->lock_wait_ms : ASK_LOCK_WAIT_MS,
	};
	struct cred_camera *cam = NULL;
	int err = cred_camera_open(&o, &cam);

	if (!err)
		err = cred_camera_frame_format(cam, fmt);
	if (!err && a->in->tags && cred_frame_format_set_tags(fmt, a->in->tags) < 0)
		die_usage("invalid --tags '%s': cred3, cred3-any, credone or none", a->in->tags);
	if (err) {
		a->err = err;
		snprintf(a->why, sizeof(a->why), "%s", cred_last_error());
	}
	cred_camera_close(cam);
	return err;
}

/* Raw input, and the camera could not tell its format: say what to add. */
static void NORETURN die_no_format(const struct ask *a)
{
	const char *port = effective_port(a->in->camera);
	const char *add = "add the geometry: --width W --height H, with -m MODEL and --tags "
			  "TAGS when they are not the camera's defaults (a full C-RED 3 frame: "
			  "-m cred3 --width 640 --height 512; a full C-RED One frame: -m credone "
			  "--width 320 --height 256)";

	/* A port the user named that does not answer is "no answer". */
	if (port_named(a->in->camera) && a->err != CRED_ERR_ARG)
		die_code(exit_code_for(a->err), "raw frames, and the camera on '%s' cannot tell their "
			 "format (%s): %s", port, a->why, add);
	die_usage("raw frames, and no camera to tell their format (%s): %s, or -p PORT for the "
		  "camera", a->why, add);
}

void frame_input_failed(const struct frame_input *in, const char *what)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", cred_last_error());
	if (stop_signal) /* the reading was cancelled by Ctrl-C */
		die_interrupted("interrupted while reading frames from '%s'",
				in->command ? in->command[0] : what);
	if (in->command)
		frame_input_reap(in->command[0]);
	die("cannot read frames from '%s': %s", in->command ? in->command[0] : what, msg);
}

struct cred_frame_reader *frame_input_open(const struct frame_input *in)
{
	static const char *const stdin_only[] = { "-" };
	struct cred_frame_format hint_buf;
	const struct cred_frame_format *hint = raw_hint(in, &hint_buf);
	const char *const *paths = in->npaths ? in->paths : stdin_only;
	size_t n = in->npaths ? in->npaths : 1;
	struct cred_frame_reader *r = NULL;
	struct ask a = { .in = in };
	int err;

	if (n == 1 && !strcmp(paths[0], "-") && !in->command && isatty(STDIN_FILENO))
		die_usage("no frames: give INPUT files, pipe frames in, or run a command after --");
	if (!hint && in->camera)
		err = cred_frame_reader_open_ask(paths, n, ask_camera, &a, &r);
	else
		err = cred_frame_reader_open_list(paths, n, hint, &r);
	if (err < 0 && a.err) {
		if (in->command)
			frame_input_reap(in->command[0]);
		die_no_format(&a);
	}
	if (err == CRED_ERR_ARG && !hint && !in->command && strstr(cred_last_error(), "geometry"))
		die_usage("%s: raw frames need --width and --height", cred_last_error());
	if (err < 0)
		frame_input_failed(in, n == 1 ? paths[0] : "the inputs");
	return r;
}

/* Opening the camera the common options name, with a message that says
 * what to do when it fails. */
#include "common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *effective_port(const struct common_opts *c)
{
	return cred_port_resolve(c->port, NULL);
}

bool port_named(const struct common_opts *c)
{
	int named;

	cred_port_resolve(c->port, &named);
	return named;
}

/* What the user can do about a failed open. */
static const char *open_hint(int err, const char *port)
{
	int e = cred_last_errno();
	bool said_p = strstr(cred_last_error(), "-p ") != NULL;

	switch (err) {
	case CRED_ERR_BUSY:
		return "use --wait-lock to wait for it";
	case CRED_ERR_SUPP:
		if (strcmp(port, "auto"))
			return NULL;
		/* The library may already advise -p; add only the rest. */
		return said_p ? "or set CRED_PORT" : "use -p PORT or set CRED_PORT";
	case CRED_ERR_TIMEOUT:
		return "check the camera is powered and the port is the right one";
	case CRED_ERR_ARG:
		return "see credtools(7) for the port syntax";
	case CRED_ERR_IO:
		if (e == EACCES || e == EPERM)
			return "check the device permissions (the dialout group?)";
		if (e == ENOENT && !strcmp(port, "auto"))
			return "use -p PORT or set CRED_PORT";
		return NULL;
	default:
		return NULL;
	}
}

static void NORETURN die_open(int err, const char *port)
{
	const char *msg = cred_last_error();
	const char *hint = open_hint(err, port);
	int code = err == CRED_ERR_ARG ? EXIT_USAGE : EXIT_NO_ANSWER;
	char text[768];
	int n;

	if (!msg || !*msg)
		msg = cred_strerror(err);
	/* The library usually names the port; say which one when it did not. */
	if (strstr(msg, port))
		n = snprintf(text, sizeof(text), "%s", msg);
	else
		n = snprintf(text, sizeof(text), "cannot open '%s': %s", port, msg);
	if (hint && n >= 0 && (size_t)n < sizeof(text))
		snprintf(text + n, sizeof(text) - n, " (%s)", hint);
	/* Ctrl-C while the port was being opened: an interrupted run (unless
	 * the deadline is what stopped it: that is a timeout). */
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR && stop_signal && !deadline_passed())
		die_interrupted("%s", text);
	die_code(code, "%s", text);
}

/* The library's options for the common ones. */
static struct cred_camera_options camera_options(const struct common_opts *c)
{
	struct cred_camera_options o = {
		.port = c->port,
		.model = c->model ? c->model->id : CRED_MODEL_UNKNOWN,
		.timeout_ms = c->timeout_ms,
		.lock_wait_ms = lock_wait(c),
	};

	return o;
}

struct cred_camera *open_camera(const struct common_opts *c)
{
	struct cred_camera_options o = camera_options(c);
	struct cred_camera *cam = NULL;
	int err = cred_camera_open(&o, &cam);

	if (err < 0)
		die_open(err, effective_port(c));
	if (c->verbose)
		fprintf(stderr, "%s: %s on '%s', firmware %s\n", get_prog_name(),
			cred_camera_model(cam)->name, effective_port(c),
			*cred_camera_firmware(cam) ? cred_camera_firmware(cam) : "unknown");
	return cam;
}

struct cred_cli *open_cli(const struct common_opts *c)
{
	struct cred_camera_options o = camera_options(c);
	struct cred_cli *cli = NULL;
	int err = cred_camera_open_cli(&o, &cli);

	if (err < 0)
		die_open(err, effective_port(c));
	return cli;
}

/* Opening a camera by port spec: port, protocol client, resynchronisation,
 * then what cred_camera_new learns from the camera; or only the port and
 * the client, for lines sent to a camera that may not answer. */
#include "camera-impl.h"

#include <stdio.h>
#include <string.h>

int cred_camera_open_cli(const struct cred_camera_options *opts, struct cred_cli **out)
{
	struct cred_port_options popts = { .lock_wait_ms = opts ? opts->lock_wait_ms : 0 };
	struct cred_port *port = NULL;
	struct cred_cli *cli = NULL;
	int r;

	cred_clear_error();
	*out = NULL;
	if ((r = cred_port_open(opts ? opts->port : NULL, &popts, &port)) < 0)
		return r;
	if ((r = cred_cli_new(port, &cli)) < 0)
		return r; /* the client closed the port */
	if (opts && opts->timeout_ms > 0)
		cred_cli_set_timeout(cli, opts->timeout_ms);
	if (opts)
		cred_cli_set_model(cli, opts->model);
	*out = cli;
	return CRED_OK;
}

int cred_camera_open(const struct cred_camera_options *opts, struct cred_camera **out)
{
	struct cred_cli *cli = NULL;
	char name[256];
	int r;

	*out = NULL;
	if ((r = cred_camera_open_cli(opts, &cli)) < 0)
		return r;
	snprintf(name, sizeof(name), "%s", cred_port_name(cred_cli_port(cli)));
	/* A fresh prompt first: whatever a previous user left on the line
	 * must not be taken for the answer to cameratype. */
	if ((r = cred_cli_resync(cli)) < 0) {
		cred_cli_free(cli);
		if (r == CRED_ERR_TIMEOUT)
			return cred_fail(r, "'%s': no answer from the camera", name);
		return r;
	}
	return cred_camera_new(cli, opts ? opts->model : CRED_MODEL_UNKNOWN, out);
}

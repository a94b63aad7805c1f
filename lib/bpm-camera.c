/* Bad-pixel maps in the camera (see cred-bpm.h): whether it can transfer
 * them, and downloading one as a map. Uploads go through
 * cred_transfer_upload (kind "userbadpixel"), which reads the map back. */
#include "cred-bpm.h"
#include "cred-transfer.h"
#include "error-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBE "recvfile userbadpixel content"

int cred_bpm_camera_check(struct cred_camera *cam)
{
	const struct cred_model *m = cred_camera_model(cam);
	const struct cred_command *c;
	const char *fw = cred_camera_firmware(cam);

	cred_clear_error();
	for (size_t i = 0; (c = cred_model_command_at(m->id, i)); i++)
		if (!strcmp(c->text, PROBE))
			break;
	if (!c)
		return cred_fail(CRED_ERR_SUPP, "a %s has no bad pixel map transfer (only the "
				 "C-RED 3 keeps its map in the camera)", m->name);
	if (c->firmware && *fw && cred_version_compare(fw, c->firmware) < 0)
		return cred_fail(CRED_ERR_SUPP, "this %s has no bad pixel map transfer: its firmware "
				 "%s is older than %s", m->name, fw, c->firmware);
	return CRED_OK;
}

int cred_bpm_camera_download(struct cred_camera *cam, int factory, struct cred_bpm **out)
{
	void *data = NULL;
	size_t len = 0;
	int err;

	*out = NULL;
	if ((err = cred_bpm_camera_check(cam)) < 0)
		return err;
	err = cred_transfer_download(cred_camera_cli(cam), factory ? "factbadpixel" : "userbadpixel",
				     NULL, &data, &len);
	if (err < 0)
		return err;
	err = cred_bpm_from_bytes(data, len, cred_camera_model(cam)->id, out);
	free(data);
	if (err == CRED_ERR_DATA) {
		char why[256];

		snprintf(why, sizeof(why), "%s", cred_last_error());
		return cred_fail(err, "the camera's %s map: %s", factory ? "factory" : "user", why);
	}
	return err;
}

/* What the camera's frames look like now (cred_camera_frame_format): the
 * settings that decide the geometry, read from the camera and turned into
 * a wire format by cred_frame_format_from_readout. */
#include "camera-impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A setting, or NULL when this firmware does not know it. No answer or a
 * lost link is an error (*err) the caller returns. */
static char *setting(struct cred_camera *cam, const char *name, int *err)
{
	char *v = NULL;
	int r = *err ? *err : cred_camera_get(cam, name, &v);

	if (r == CRED_ERR_TIMEOUT || r == CRED_ERR_IO || r == CRED_ERR_PROTO ||
	    r == CRED_ERR_MEM)
		*err = r;
	return r == CRED_OK ? v : NULL;
}

/* 1 on, 0 off, -1 unknown */
static int switch_of(struct cred_camera *cam, const char *name, int *err)
{
	char *v = setting(cam, name, err);
	int on = v ? strcmp(v, "on") == 0 : -1;

	free(v);
	return on;
}

static int int_of(struct cred_camera *cam, const char *name, int fallback, int *err)
{
	char *v = setting(cam, name, err), *end = NULL;
	long n = v ? strtol(v, &end, 10) : 0;

	if (v && end != v && !*end && n >= 0 && n <= 65535)
		fallback = (int)n;
	free(v);
	return fallback;
}

/* Pixels selected on one axis of the cropping window. The window decides
 * the geometry, so even a refusal is an error (*err), and so is a window
 * that is not complete (CRED_ERR_PROTO): never a full-frame guess. */
static int crop_count(struct cred_camera *cam, const char *axis, int *err)
{
	char name[32], *v = NULL;
	int count = 0;

	if (*err)
		return 0;
	snprintf(name, sizeof(name), "cropping.%s", axis);
	*err = cred_camera_get(cam, name, &v);
	if (!*err && cred_crop_check(cred_camera_model(cam)->id, axis, v, &count) != CRED_OK)
		*err = cred_fail(CRED_ERR_PROTO, "the camera's cropping %s '%s' is not a complete "
				 "window", axis, v);
	free(v);
	return count;
}

int cred_camera_frame_format(struct cred_camera *cam, struct cred_frame_format *fmt)
{
	struct cred_readout r = { .model = cred_camera_model(cam)->id };
	char *mode = NULL;
	int err = 0;

	memset(fmt, 0, sizeof(*fmt));
	if (switch_of(cam, "cropping", &err) == 1) {
		r.columns = crop_count(cam, "columns", &err);
		r.rows = crop_count(cam, "rows", &err);
	}
	r.imagetags = switch_of(cam, "imagetags", &err);
	if (r.model == CRED_MODEL_CRED3) {
		r.hdr_extended = switch_of(cam, "hdr", &err) == 1 &&
				 switch_of(cam, "hdr.extended", &err) == 1;
		r.cds = 1; /* CDS and HDR are the C-RED 3 readouts: pixel 2 is 0 */
	} else {
		r.mode = mode = setting(cam, "mode", &err);
		r.rawimages = switch_of(cam, "rawimages", &err) == 1;
		r.nbreadworeset = int_of(cam, "nbreadworeset", 1, &err);
		r.nsamplepixel = int_of(cam, "nsamplepixel", 1, &err);
		r.nloop = int_of(cam, "nloop", 1, &err);
	}
	if (!err)
		err = cred_frame_format_from_readout(&r, fmt);
	free(mode);
	return err;
}

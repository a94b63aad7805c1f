/* Received files (see files.h). */
#include <stdio.h>
#include <string.h>
#include "files.h"

static const char *const nuc_kinds_cred3[] = {
	"bias", "bias_hdr_c1", "bias_hdr_c2", "flat", "flat_hdr_c1", "flat_hdr_c2", NULL,
};
static const char *const nuc_kinds_one[] = { "bias", "flat", NULL };

static bool in_list(const char *const *list, const char *kind)
{
	for (; *list; list++)
		if (!strcmp(*list, kind))
			return true;
	return false;
}

bool file_kind_known(const struct camera *cam, const char *kind)
{
	if (camera_is_one(cam))
		return in_list(nuc_kinds_one, kind);
	return in_list(nuc_kinds_cred3, kind) || !strcmp(kind, "userbadpixel") ||
	       !strncmp(kind, "license:", 8);
}

size_t file_kind_size(const struct camera *cam, const char *kind)
{
	size_t pixels = (size_t)cam->model->width * cam->model->height;

	if (!strcmp(kind, "userbadpixel"))
		return pixels / 8;         /* one bit per pixel */
	if (!strncmp(kind, "license:", 8))
		return 0;
	return pixels * 2;                 /* 16-bit full-sensor image */
}

static int add_license(struct camera *cam, const char *name, char *msg, size_t size)
{
	for (int i = 0; i < cam->nlic; i++)
		if (!strcmp(cam->lic[i].name, name)) {
			cam->lic[i].enabled = true;
			return 0;
		}
	if (cam->nlic == MAX_LICENSES) {
		snprintf(msg, size, "too many license files");
		return -1;
	}
	snprintf(cam->lic[cam->nlic].name, sizeof(cam->lic[0].name), "%s", name);
	cam->lic[cam->nlic++].enabled = true; /* a new license is enabled (at next boot) */
	return 0;
}

int file_accept(struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		char *msg, size_t size)
{
	size_t want = file_kind_size(cam, kind);

	if (want && len != want) {
		snprintf(msg, size, "%s file must be %zu bytes (%dx%d sensor), got %zu", kind, want,
			 cam->model->width, cam->model->height, len);
		return -1;
	}
	if (!strncmp(kind, "license:", 8) && add_license(cam, kind + 8, msg, size))
		return -1;
	if (store_put(camera_store_for(cam, kind), kind, data, len)) {
		snprintf(msg, size, "out of memory storing %s", kind);
		return -1;
	}
	return 0;
}

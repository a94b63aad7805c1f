/* Received files (see files.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "files.h"

static const char *const nuc_kinds_cred3[] = {
	"bias", "bias_hdr_c1", "bias_hdr_c2", "flat", "flat_hdr_c1", "flat_hdr_c2", NULL,
};
static const char *const nuc_kinds_one[] = { "bias", "flat", NULL };

#define FLAT_NEUTRAL 0x2000 /* 1.0 in the flat's fixed point */
#define C3_BIAS_MAX 16383

static bool in_list(const char *const *list, const char *kind)
{
	for (; *list; list++)
		if (!strcmp(*list, kind))
			return true;
	return false;
}

static bool is_nuc(const char *kind)
{
	return in_list(nuc_kinds_cred3, kind);
}

bool file_kind_known(const struct camera *cam, const char *kind)
{
	if (camera_is_one(cam))
		return in_list(nuc_kinds_one, kind) || !strcmp(kind, "testpattern");
	return in_list(nuc_kinds_cred3, kind) || !strcmp(kind, "userbadpixel") ||
	       !strncmp(kind, "license:", 8);
}

size_t file_kind_size(const struct camera *cam, const char *kind)
{
	size_t pixels = (size_t)cam->model->width * cam->model->height;

	if (!strcmp(kind, "userbadpixel"))
		return pixels / 8;         /* one bit per pixel */
	if (is_nuc(kind))                  /* 16 bits per pixel of the window */
		return (size_t)camera_width(cam) * (size_t)camera_height(cam) * 2;
	return 0;
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

/* Is sensor column x (row y) inside the current window? */
static bool in_window(const struct camera *cam, int x, int y)
{
	const struct settings *s = &cam->set;

	if (!s->cropping)
		return true;
	if (camera_is_one(cam))
		return (s->crop.cblocks >> (x / 32) & 1) && (s->crop.rows[y / 8] >> (y % 8) & 1);
	return x >= s->crop.c0 && x <= s->crop.c1 && y >= s->crop.r0 && y <= s->crop.r1;
}

/* A window file placed on the full sensor (malloc'd), neutral elsewhere. */
static uint8_t *place_on_sensor(const struct camera *cam, const char *kind, const uint8_t *data)
{
	int w = cam->model->width, h = cam->model->height;
	unsigned neutral = strncmp(kind, "flat", 4) ? 0 : FLAT_NEUTRAL;
	uint8_t *full = malloc((size_t)w * h * 2), *p = full;
	const uint8_t *q = data;

	if (!full)
		return NULL;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++, p += 2) {
			if (in_window(cam, x, y)) {
				p[0] = *q++;
				p[1] = *q++;
			} else {
				p[0] = neutral & 0xff;
				p[1] = neutral >> 8;
			}
		}
	return full;
}

static int check_size(const struct camera *cam, const char *kind, size_t len, char *msg,
		      size_t size)
{
	size_t want = file_kind_size(cam, kind);

	if (!want || len == want)
		return 0;
	if (is_nuc(kind))
		snprintf(msg, size, "%s file must be %zu bytes for the current %dx%d window, got %zu",
			 kind, want, camera_width(cam), camera_height(cam), len);
	else
		snprintf(msg, size, "%s file must be %zu bytes (%dx%d sensor), got %zu", kind, want,
			 cam->model->width, cam->model->height, len);
	return -1;
}

static int store(struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		 char *msg, size_t size)
{
	uint8_t *full = NULL;
	int r;

	if (is_nuc(kind) && cam->set.cropping) {
		if (!(full = place_on_sensor(cam, kind, data)))
			goto oom;
		data = full;
		len = (size_t)cam->model->width * cam->model->height * 2;
	}
	r = store_put(camera_store_for(cam, kind), kind, data, len);
	free(full);
	if (!r)
		return 0;
oom:
	snprintf(msg, size, "out of memory storing %s", kind);
	return -1;
}

/* C-RED 3 "Bias correction file format": "pixels values in the range
 * [0-16383]" (its 14-bit converter), 16-bit little endian. */
static int check_bias(const struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		      char *msg, size_t size)
{
	if (camera_is_one(cam) || strncmp(kind, "bias", 4))
		return 0;
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned v = data[i] | (unsigned)data[i + 1] << 8;

		if (v > C3_BIAS_MAX) {
			snprintf(msg, size, "%s file pixel %zu is %u, outside 0-%d", kind, i / 2, v,
				 C3_BIAS_MAX);
			return -1;
		}
	}
	return 0;
}

int file_accept(struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		char *msg, size_t size)
{
	if (check_size(cam, kind, len, msg, size) || check_bias(cam, kind, data, len, msg, size))
		return -1;
	if (!strcmp(kind, "firmware"))
		return firmware_install(cam, data, len, msg, size);
	if (!strcmp(kind, "testpattern")) {
		if (testpattern_check(data, len, msg, size))
			return -1;
		testpattern_load(cam, data, len);
	}
	if (!strncmp(kind, "license:", 8) && add_license(cam, kind + 8, msg, size))
		return -1;
	return store(cam, kind, data, len, msg, size);
}

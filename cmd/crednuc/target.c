/* What a correction file is for: a model and a window, from the options
 * or from the camera (see crednuc.h). */
#include "crednuc.h"

#include <stdlib.h>
#include <string.h>

void parse_geometry(const char *text, int *width, int *height)
{
	const char *x = strchr(text, 'x');
	char w[16];
	long lw, lh;

	if (!x || x == text || (size_t)(x - text) >= sizeof(w))
		die_usage("invalid geometry '%s': expected WIDTHxHEIGHT (640x512)", text);
	memcpy(w, text, (size_t)(x - text));
	w[x - text] = '\0';
	if (!parse_long(w, 1, 65535, &lw) || !parse_long(x + 1, 1, 65535, &lh))
		die_usage("invalid geometry '%s': expected WIDTHxHEIGHT (640x512)", text);
	*width = (int)lw;
	*height = (int)lh;
}

/* Pixels selected on one axis of the camera's window. */
static int axis_pixels(struct nuc *nuc, const char *axis)
{
	const struct cred_model *model = cred_camera_model(nuc_camera(nuc));
	char name[32], *value = NULL;
	int count = 0;

	snprintf(name, sizeof(name), "cropping.%s", axis);
	if (nuc_get(nuc, name, &value) < 0)
		die_cred(CRED_ERR_FAIL, "cannot read the cropping %s", axis);
	if (cred_crop_check(model->id, axis, value, &count) < 0)
		die_code(EXIT_NO_ANSWER, "the camera's cropping %s '%s' makes no sense: %s", axis,
			 value, cred_last_error());
	free(value);
	return count;
}

void camera_window(struct nuc *nuc, int *width, int *height)
{
	const struct cred_model *model = cred_camera_model(nuc_camera(nuc));
	char *on = NULL;

	if (nuc_get(nuc, "cropping", &on) < 0)
		die_cred(CRED_ERR_FAIL, "cannot read the cropping state");
	if (strcmp(on, "on")) {
		*width = model->width;
		*height = model->height;
	} else {
		*width = axis_pixels(nuc, "columns");
		*height = axis_pixels(nuc, "rows");
	}
	free(on);
}

static bool camera_hdr(struct nuc *nuc)
{
	char *v = NULL;
	bool on = nuc_get(nuc, "hdr", &v) == CRED_OK && !strcmp(v, "on");

	free(v);
	return on;
}

void resolve_target(struct nuc *nuc, const char *geometry, const struct cred_model *fallback,
		    struct target *t)
{
	bool camera = !geometry && port_named(&nuc->opts);

	memset(t, 0, sizeof(*t));
	t->model = nuc->opts.model;
	if (!t->model && (camera || (!fallback && port_named(&nuc->opts))))
		t->model = cred_camera_model(nuc_camera(nuc));
	if (!t->model)
		t->model = fallback;
	if (!t->model)
		die_usage("cannot tell the camera model: use -m cred3|credone or -p PORT");
	if (geometry) {
		parse_geometry(geometry, &t->width, &t->height);
	} else if (camera) {
		if (cred_camera_model(nuc_camera(nuc))->id != t->model->id)
			die("the camera is a %s, not a %s", cred_camera_model(nuc_camera(nuc))->name,
			    t->model->name);
		camera_window(nuc, &t->width, &t->height);
		t->from_camera = true;
		t->hdr = t->model->id == CRED_MODEL_CRED3 && camera_hdr(nuc);
	} else {
		t->width = t->model->width;
		t->height = t->model->height;
	}
}

const struct cred_calib_kind *find_kind(const struct cred_model *model, const char *name)
{
	const struct cred_calib_kind *kind;
	int err = cred_calib_kind_find(model, name, &kind);

	if (err == CRED_ERR_ARG)
		die_usage("%s", cred_last_error());
	if (err < 0)
		die("%s", cred_last_error());
	return kind;
}

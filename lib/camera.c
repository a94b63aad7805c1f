/* A camera: a protocol client plus the model and firmware it reported, with
 * typed reads (get, limits, status). Setting lives in camera-set.c. */
#include "camera-impl.h"
#include "model-impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct cred_cli *cred_camera_cli(struct cred_camera *cam) { return cam->cli; }
const struct cred_model *cred_camera_model(const struct cred_camera *cam) { return cam->model; }
const char *cred_camera_firmware(const struct cred_camera *cam) { return cam->firmware; }

void cred_camera_close(struct cred_camera *cam)
{
	if (!cam)
		return;
	cred_cli_free(cam->cli);
	free(cam);
}

static int detect_model(struct cred_cli *cli, enum cred_model_id *id)
{
	char *answer = NULL;
	int r = cred_cli_raw(cli, "cameratype", 0, &answer);

	if (r < 0)
		return r;
	*id = cred_model_from_cameratype(answer);
	if (*id == CRED_MODEL_UNKNOWN)
		r = cred_fail(CRED_ERR_PROTO,
			      "camera type '%s' is not a C-RED 3 or a C-RED One (set the model explicitly)",
			      answer);
	free(answer);
	return r;
}

/* The firmware version, "" if the camera rejects the question (its answer
 * only gates commands, so not knowing it must not stop anything). */
static int read_firmware(struct cred_cli *cli, char *buf, size_t len)
{
	char *answer = NULL;
	int r = cred_cli_raw(cli, "version firmware", 0, &answer);

	buf[0] = '\0';
	if (r == CRED_ERR_FAIL) {
		cred_clear_error();
		return CRED_OK;
	}
	if (r < 0)
		return r;
	snprintf(buf, len, "%s", answer);
	free(answer);
	return CRED_OK;
}

int cred_camera_new(struct cred_cli *cli, enum cred_model_id model, struct cred_camera **out)
{
	struct cred_camera *cam;
	int r;

	cred_clear_error();
	*out = NULL;
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no protocol client");
	cam = calloc(1, sizeof(*cam));
	if (!cam) {
		cred_cli_free(cli);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	cam->cli = cli;
	if (model == CRED_MODEL_UNKNOWN && (r = detect_model(cli, &model)) < 0)
		goto fail;
	cam->model = cred_model_get(model);
	if (!cam->model) {
		r = cred_fail(CRED_ERR_ARG, "unknown camera model %d", (int)model);
		goto fail;
	}
	cred_cli_set_model(cli, model);
	if ((r = read_firmware(cli, cam->firmware, sizeof(cam->firmware))) < 0)
		goto fail;
	*out = cam;
	return CRED_OK;
fail:
	cred_camera_close(cam);
	return r;
}

int cred_camera_param(struct cred_camera *cam, const char *name, int writing,
		 const struct cred_param **out)
{
	const struct cred_param *p = cred_param_find(cam->model->id, name);

	*out = NULL;
	if (!p)
		return cred_fail(CRED_ERR_ARG, "%s has no parameter '%s'", cam->model->name,
				 name ? name : "");
	if (writing && !p->set_cmd)
		return cred_fail(CRED_ERR_ARG, "%s is read-only", p->name);
	if (!writing && !p->get_cmd)
		return cred_fail(CRED_ERR_SUPP, "%s cannot be read back on the %s", p->name,
				 cam->model->name);
	*out = p;
	return CRED_OK;
}

int cred_camera_firmware_gate(struct cred_camera *cam, const struct cred_param *param, const char *value)
{
	const char *need = cred_param_firmware(param, value);

	if (!need || !cam->firmware[0] || cred_version_compare(cam->firmware, need) >= 0)
		return CRED_OK;
	if (value && need != param->min_firmware)
		return cred_fail(CRED_ERR_SUPP, "%s %s needs firmware %s or later (the camera has %s)",
				 param->name, value, need, cam->firmware);
	return cred_fail(CRED_ERR_SUPP, "%s needs firmware %s or later (the camera has %s)",
			 param->name, need, cam->firmware);
}

/* "on:c0-c1:r0-r1" (C-RED One `cropping raw`) and "on" both read as "on". */
static void reduce_switch(char *value)
{
	size_t n = 0;

	while (isalpha((unsigned char)value[n]))
		n++;
	if ((n == 2 && strncasecmp(value, "on", 2) == 0) || (n == 3 && strncasecmp(value, "off", 3) == 0)) {
		for (size_t i = 0; i < n; i++)
			value[i] = (char)tolower((unsigned char)value[i]);
		value[n] = '\0';
	}
}

int cred_camera_read(struct cred_camera *cam, const struct cred_param *param, char **value)
{
	int r = cred_cli_raw(cam->cli, param->get_cmd, 0, value);

	/* Some firmware spells a few reads differently ("adu offset"). */
	if (r == CRED_ERR_FAIL && param->get_alt)
		r = cred_cli_raw(cam->cli, param->get_alt, 0, value);
	if (r < 0)
		return r;
	if (param->type == CRED_PARAM_SWITCH)
		reduce_switch(*value);
	return CRED_OK;
}

int cred_camera_get(struct cred_camera *cam, const char *name, char **value)
{
	const struct cred_param *p;
	int r;

	cred_clear_error();
	*value = NULL;
	if ((r = cred_camera_param(cam, name, 0, &p)) < 0 || (r = cred_camera_firmware_gate(cam, p, NULL)) < 0)
		return r;
	return cred_camera_read(cam, p, value);
}

/* "<command> raw" parsed as a number; CRED_ERR_PROTO if it is not one. */
static int camera_read_number(struct cred_camera *cam, const char *command, double *value)
{
	char *answer = NULL;
	int r = cred_cli_raw(cam->cli, command, 0, &answer);

	if (r < 0)
		return r;
	if (cred_parse_double(answer, value) < 0)
		r = cred_fail(CRED_ERR_PROTO, "'%s raw' answered '%s', not a number", command, answer);
	free(answer);
	return r;
}

int cred_camera_live_limits(struct cred_camera *cam, const struct cred_param *param,
		       double *lo, double *hi, double *step)
{
	int r = CRED_OK;

	*lo = *hi = NAN;
	*step = param->step;
	if (param->min_cmd && (r = camera_read_number(cam, param->min_cmd, lo)) < 0)
		return r;
	if (param->max_cmd && (r = camera_read_number(cam, param->max_cmd, hi)) < 0)
		return r;
	if (param->step_cmd && (r = camera_read_number(cam, param->step_cmd, step)) < 0)
		return r;
	if (*step < 0)
		return cred_fail(CRED_ERR_PROTO, "'%s raw' gave a negative step", param->step_cmd);
	return CRED_OK;
}

int cred_camera_limits(struct cred_camera *cam, const char *name, double *lo, double *hi, double *step)
{
	const struct cred_param *p;
	double l, h, s;
	int r;

	cred_clear_error();
	/* Outputs of a failed call say "no limit known". */
	if (lo)
		*lo = NAN;
	if (hi)
		*hi = NAN;
	if (step)
		*step = 0;
	if ((r = cred_camera_param(cam, name, 1, &p)) < 0 || (r = cred_camera_live_limits(cam, p, &l, &h, &s)) < 0)
		return r;
	/* The camera's answer replaces the manual's figure (see cred_param_check). */
	if (lo)
		*lo = isfinite(l) ? l : p->min;
	if (hi)
		*hi = isfinite(h) ? h : p->max;
	if (step)
		*step = s;
	return CRED_OK;
}

int cred_camera_parse_status(char *answer, char **state)
{
	size_t n;

	*state = NULL;
	/* The state is the first word ("operational", "isbeingcooled"). */
	for (n = 0; isalpha((unsigned char)answer[n]); n++)
		answer[n] = (char)tolower((unsigned char)answer[n]);
	answer[n] = '\0';
	if (n == 0)
		return cred_fail(CRED_ERR_PROTO, "the camera's status answer has no state word");
	/* Field firmware spells the manual's "prevsafe" as "presave". */
	*state = strdup(strcmp(answer, "presave") == 0 ? "prevsafe" : answer);
	return *state ? CRED_OK : cred_fail(CRED_ERR_MEM, "out of memory");
}

int cred_camera_status(struct cred_camera *cam, char **state)
{
	char *answer = NULL;
	int r;

	cred_clear_error();
	*state = NULL;
	if ((r = cred_cli_raw(cam->cli, "status", 0, &answer)) < 0)
		return r;
	r = cred_camera_parse_status(answer, state);
	free(answer);
	return r;
}

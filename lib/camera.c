/* A camera: a protocol client plus the model and firmware it reported, with
 * typed reads (get, limits, status). Setting lives in camera-set.c. */
#include "camera-impl.h"
#include "cli-impl.h"
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

static int read_model(struct cred_cli *cli, enum cred_model_id *id, char **answer)
{
	int r = cred_cli_raw(cli, "cameratype", 0, answer);

	*id = r == CRED_OK ? cred_model_from_cameratype(*answer) : CRED_MODEL_UNKNOWN;
	return r;
}

/* The model decides every geometry: two answers must name the same one
 * (a third decides when they do not). */
static int detect_model(struct cred_cli *cli, enum cred_model_id *id)
{
	enum cred_model_id ids[3];
	char *answer[3] = { NULL, NULL, NULL };
	int r = CRED_OK, n;

	for (n = 0; n < 3; n++) {
		if ((r = read_model(cli, &ids[n], &answer[n])) < 0)
			goto out;
		for (int i = 0; i < n; i++)
			if (ids[i] == ids[n] && ids[n] != CRED_MODEL_UNKNOWN) {
				*id = ids[n];
				goto out;
			}
		if (n == 1 && ids[0] == CRED_MODEL_UNKNOWN && ids[1] == CRED_MODEL_UNKNOWN &&
		    !strcmp(answer[0], answer[1]))
			break; /* the same answer twice: a camera we do not know */
	}
	if (n == 3)
		r = cred_fail(CRED_ERR_PROTO, "garbled answers to 'cameratype raw': \"%s\", \"%s\" "
			      "and \"%s\" name no one model (bytes lost on the line?)",
			      answer[0], answer[1], answer[2]);
	else
		r = cred_fail(CRED_ERR_PROTO,
			      "camera type '%s' is not a C-RED 3 or a C-RED One (set the model explicitly)",
			      answer[0]);
out:
	for (int i = 0; i < 3; i++)
		free(answer[i]);
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

/* One "<get_cmd> raw"; *command says which spelling answered. Some
 * firmware spells a few reads differently ("adu offset"). */
static int read_raw(struct cred_camera *cam, const struct cred_param *param, char **value,
		    const char **command)
{
	int r = cred_cli_raw(cam->cli, param->get_cmd, 0, value);

	*command = param->get_cmd;
	if (r == CRED_ERR_FAIL && param->get_alt) {
		*command = param->get_alt;
		r = cred_cli_raw(cam->cli, param->get_alt, 0, value);
	}
	return r;
}

/* A garbled answer: what was asked, what came, what the manual's form is
 * (the message of the failed check). */
static int garbled(const char *command, const char *answer, int tries)
{
	char why[256], *shown = cred_cli_escape(answer, strlen(answer), 80);
	int r;

	snprintf(why, sizeof(why), "%s", cred_last_error());
	r = cred_fail(CRED_ERR_PROTO, "garbled answer to '%s raw'%s: \"%s\" (%s)", command,
		      tries > 1 ? " (asked twice)" : "", shown ? shown : "", why);
	free(shown);
	return r;
}

/* One read in the form the manual gives for param; an answer out of form
 * is asked for once more when the command only reads (strict answers). */
static int read_checked(struct cred_camera *cam, const struct cred_param *param, char **value)
{
	const char *command;
	int r;

	for (int attempt = 1;; attempt++) {
		if ((r = read_raw(cam, param, value, &command)) < 0)
			return r;
		if (cred_param_check_answer(param, *value) == CRED_OK) {
			cred_clear_error();
			return CRED_OK;
		}
		if (attempt == 1 && cred_cli_is_read_only(command)) {
			cred_debug("'%s raw': answer out of form, asking again", command);
			free(*value);
			*value = NULL;
			continue;
		}
		r = garbled(command, *value, attempt);
		free(*value);
		*value = NULL;
		return r;
	}
}

/* Do two answers agree? Exactly, or for a measurement that drifts in
 * layout: a lost byte changes the layout ("27.50" -> "27.0", "7.50"), a
 * drift only digits ("27.50" -> "27.51"). */
static int agree(const struct cred_param *param, const char *a, const char *b)
{
	if (!(param->flags & CRED_PARAM_DRIFTS))
		return !strcmp(a, b);
	if (strlen(a) != strlen(b))
		return 0;
	for (; *a; a++, b++)
		if (*a != *b && !(isdigit((unsigned char)*a) && isdigit((unsigned char)*b)))
			return 0;
	return 1;
}

/* A value that decides geometry or goes into files: two reads must agree;
 * when they do not, a third decides if it matches one of them. */
static int read_confirmed(struct cred_camera *cam, const struct cred_param *param, char **value)
{
	char *v[3] = { NULL, NULL, NULL };
	int r, n = 0;

	*value = NULL;
	while (n < 3) {
		if ((r = read_checked(cam, param, &v[n])) < 0)
			goto out;
		n++;
		for (int i = 0; i < n - 1; i++)
			if (agree(param, v[i], v[n - 1])) {
				*value = v[n - 1];
				v[n - 1] = NULL;
				r = CRED_OK;
				goto out;
			}
		if (n >= 2)
			cred_debug("'%s raw': two answers differ, asking again", param->get_cmd);
	}
	r = cred_fail(CRED_ERR_PROTO,
		      "garbled answers to '%s raw': \"%s\", \"%s\" and \"%s\" disagree "
		      "(bytes lost on the line?)", param->get_cmd, v[0], v[1], v[2]);
out:
	for (int i = 0; i < 3; i++)
		free(v[i]);
	return r;
}

int cred_camera_read(struct cred_camera *cam, const struct cred_param *param, char **value)
{
	int r = param->flags & CRED_PARAM_CONFIRM ? read_confirmed(cam, param, value)
						  : read_checked(cam, param, value);

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

/* The table's row that reads command, NULL if none. */
static const struct cred_param *param_reading(const struct cred_camera *cam, const char *command)
{
	size_t n = cred_param_count(cam->model->id);

	for (size_t i = 0; i < n; i++) {
		const struct cred_param *p = cred_param_at(cam->model->id, i);

		if (p->get_cmd && !strcasecmp(p->get_cmd, command))
			return p;
	}
	return NULL;
}

/* "<command> raw" parsed as a number, in the form of its own row when the
 * table has one (minfps, maxfps: strict answers); CRED_ERR_PROTO if it is
 * not a number. */
static int camera_read_number(struct cred_camera *cam, const char *command, double *value)
{
	const struct cred_param *p = param_reading(cam, command);
	char *answer = NULL;
	int r = p ? cred_camera_read(cam, p, &answer) : cred_cli_raw(cam->cli, command, 0, &answer);

	if (r < 0)
		return r;
	if (cred_parse_double(answer, value) < 0)
		r = cred_fail(CRED_ERR_PROTO, "garbled answer to '%s raw': \"%s\" (expected a number)",
			      command, answer);
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
	const struct cred_param *p = cred_param_find(cam->model->id, "status");
	char *answer = NULL;
	int r;

	cred_clear_error();
	*state = NULL;
	/* A state from the model's list (its row's choices), asked twice at
	 * most: "oational" is a lost byte, not a state. */
	r = p ? cred_camera_read(cam, p, &answer) : cred_cli_raw(cam->cli, "status", 0, &answer);
	if (r < 0)
		return r;
	r = cred_camera_parse_status(answer, state);
	free(answer);
	return r;
}

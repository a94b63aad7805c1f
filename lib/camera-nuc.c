/* The camera's own correction builds (cred-nuc.h): `buildnuc` in the
 * background on recent C-RED 3 firmware, `exec buildbias|buildflat`
 * otherwise. Answers are parsed against the manual's forms. */
#include "camera-impl.h"
#include "cred-nuc.h"
#include "cancel-impl.h"
#include "model-impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "bias", "flat", "flat_hdr_c1", "flat_hdr_c2" };

static int check_kind(const char *kind)
{
	for (size_t i = 0; i < CRED_ARRAY_SIZE(kinds); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return CRED_OK;
	return cred_fail(CRED_ERR_ARG, "the camera builds bias, flat, flat_hdr_c1 or flat_hdr_c2, "
			 "not '%s'", kind ? kind : "");
}

int cred_nuc_background(const struct cred_camera *cam)
{
	/* The command table says which models have it and from which
	 * firmware on; an unknown firmware does not have it. */
	const struct cred_command *row = cred_model_command_find(cam->model->id, "buildnuc progress");

	return row && (!row->firmware || cred_version_compare(cam->firmware, row->firmware) >= 0);
}

static int need_background(const struct cred_camera *cam)
{
	if (cred_nuc_background(cam))
		return CRED_OK;
	return cred_fail(CRED_ERR_SUPP, "the %s%s%s builds in the background only from firmware "
			 "1.1.0 on (buildnuc)", cam->model->name, cam->firmware[0] ? " firmware " : "",
			 cam->firmware);
}

/* Send command; the answer itself says nothing more than OK. */
static int run(struct cred_camera *cam, const char *command)
{
	char *answer = NULL;
	int r = cred_cli_command(cam->cli, command, 0, &answer);

	free(answer);
	return r;
}

int cred_nuc_start(struct cred_camera *cam, const char *kind, int frames)
{
	char command[64];
	int r;

	cred_clear_error();
	if ((r = check_kind(kind)) < 0 || (r = need_background(cam)) < 0)
		return r;
	if (frames == 0)
		frames = CRED_NUC_FRAMES_MAX;
	if (frames < CRED_NUC_FRAMES_MIN || frames > CRED_NUC_FRAMES_MAX)
		return cred_fail(CRED_ERR_ARG, "a build takes %d to %d frames, not %d",
				 CRED_NUC_FRAMES_MIN, CRED_NUC_FRAMES_MAX, frames);
	snprintf(command, sizeof(command), "buildnuc %s %d", kind, frames);
	return run(cam, command);
}

/* "Returns the estimated remaining time in seconds": a plain number. */
static int parse_seconds(const char *text, double *out)
{
	return cred_parse_double(text, out) == 0 && isfinite(*out) && *out >= 0 ? CRED_OK : -1;
}

int cred_nuc_progress(struct cred_camera *cam, double *seconds_left)
{
	char *value = NULL;
	int r;

	*seconds_left = NAN;
	cred_clear_error();
	if ((r = need_background(cam)) < 0)
		return r;
	for (int attempt = 1; attempt <= 2; attempt++) {
		if ((r = cred_cli_raw(cam->cli, "buildnuc progress", 0, &value)) < 0)
			return r;
		if (parse_seconds(value, seconds_left) == CRED_OK) {
			free(value);
			return CRED_OK;
		}
		if (attempt == 2)
			r = cred_fail(CRED_ERR_PROTO, "'buildnuc progress' answered '%s', not seconds",
				      value);
		free(value);
		value = NULL;
	}
	*seconds_left = NAN;
	return r;
}

int cred_nuc_busy(struct cred_camera *cam)
{
	char *value = NULL;
	int r;

	cred_clear_error();
	/* Any ordinary read will do: `bias` exists on every model. */
	r = cred_cli_raw(cam->cli, "bias", 0, &value);
	free(value);
	if (r == CRED_ERR_FAIL)
		return 1;
	return r < 0 ? r : 0;
}

int cred_nuc_abort(struct cred_camera *cam)
{
	int r;

	cred_clear_error();
	if ((r = need_background(cam)) < 0)
		return r;
	cred_cancel_hold(); /* what a cancelled tool calls */
	r = run(cam, "buildnuc abort");
	cred_cancel_release();
	return r;
}

int cred_nuc_build_legacy(struct cred_camera *cam, const char *kind)
{
	char command[64];
	int r;

	cred_clear_error();
	if ((r = check_kind(kind)) < 0)
		return r;
	if (strcmp(kind, "bias") == 0)
		snprintf(command, sizeof(command), "exec buildbias");
	else if (strcmp(kind, "flat") == 0)
		snprintf(command, sizeof(command), "exec buildflat");
	else
		snprintf(command, sizeof(command), "exec buildflat %s", kind + 5); /* hdr_c1 */
	if (!cred_model_command_find(cam->model->id, command))
		return cred_fail(CRED_ERR_SUPP, "the %s has no '%s'", cam->model->name, command);
	return run(cam, command);
}

/* credgrab asks the camera, over its command port, what its frames look
 * like (cropping, readout mode, pixel format, tags) and records its state
 * at the start as FITS keywords. */
#include "credgrab.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Camera settings recorded in FITS headers: parameter name, keyword,
 * comment. Settings a firmware does not know are left out. */
struct key_map {
	const char *param, *key, *comment;
	int text;   /* a string even when it looks like a number */
	int live;   /* may change during a run: read again for streams */
};

static const struct key_map common_keys[] = {
	{ "cropping", "CROPPED", "cropping window on", 0, 0 },
	{ "cropping.columns", "CROPCOLS", "cropping columns (camera syntax)", 1, 0 },
	{ "cropping.rows", "CROPROWS", "cropping rows (camera syntax)", 1, 0 },
	{ "bias", "BIASCORR", "bias correction on", 0, 0 },
	{ "flat", "FLATCORR", "flat correction on", 0, 0 },
	{ "imagetags", "IMGTAGS", "image tags in the first pixels", 0, 0 },
	{ "extsynchro", "EXTTRIG", "external synchronisation", 0, 0 },
	{ "aduoffset", "ADUOFFST", "[ADU] offset added to pixels", 0, 0 },
	{ "version.firmware", "FIRMWARE", "camera firmware version", 1, 0 },
	{ "hwuid", "SERIAL", "camera unique identifier", 1, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};

static const struct key_map cred3_keys[] = {
	{ "sensibility", "SENSIBIL", "sensitivity (integration capacitor)", 0, 1 },
	{ "hdr", "HDR", "HDR readout", 0, 0 },
	{ "hdr.extended", "HDREXT", "HDR with unsigned pixels", 0, 0 },
	{ "badpixel", "BPCORR", "bad pixel correction on", 0, 0 },
	{ "swsynchro", "SWTRIG", "triggered acquisition", 0, 0 },
	{ "temperatures.setpoint", "DET-TSET", "[C] sensor temperature setpoint", 0, 1 },
	{ NULL, NULL, NULL, 0, 0 },
};

static const struct key_map credone_keys[] = {
	{ "gain", "DETGAIN", "avalanche gain", 0, 1 },
	{ "mode", "READMODE", "readout mode", 0, 1 },
	{ "rawimages", "RAWIMGS", "every read sent as a frame", 0, 0 },
	{ "nbreadworeset", "DET-NSMP", "reads between resets", 0, 0 },
	{ "nsamplepixel", "NSAMPPIX", "samples per pixel (IOTA)", 0, 0 },
	{ "nloop", "NLOOP", "reads per line (IOTA)", 0, 0 },
	{ "pressure", "DET-PRES", "[mbar] cryostat pressure", 0, 1 },
	{ "temperatures.cryostat.setpoint", "DET-TSET", "[K] cryostat temperature setpoint", 0, 1 },
	{ NULL, NULL, NULL, 0, 0 },
};

static char *get(struct cred_camera *cam, const char *name)
{
	char *v = NULL;

	if (cred_camera_get(cam, name, &v) != CRED_OK)
		return NULL;
	return v;
}

/* 1 on, 0 off, -1 unknown */
static int get_switch(struct cred_camera *cam, const char *name)
{
	char *v = get(cam, name);
	int r = v ? strcmp(v, "on") == 0 : -1;

	free(v);
	return r;
}

static void add_key(struct camera_info *info, const char *key, char *value, const char *comment,
		    int text)
{
	if (!value)
		return;
	if (info->nkeys == MAX_KEYWORDS) {
		free(value);
		return;
	}
	info->keys[info->nkeys].name = key;
	info->keys[info->nkeys].value = value;
	info->keys[info->nkeys].comment = comment;
	info->keys[info->nkeys].text = text;
	info->nkeys++;
}

/* The settings as keywords; live_only: those that change during a run. */
static void record_state(struct cred_camera *cam, struct camera_info *info, bool live_only)
{
	const struct cred_model *m = cred_camera_model(cam);
	const struct key_map *lists[2] = {
		common_keys, m->id == CRED_MODEL_CRED3 ? cred3_keys : credone_keys,
	};
	char *v = NULL;

	for (int l = 0; l < 2; l++)
		for (const struct key_map *k = lists[l]; k->param; k++)
			if (k->live || !live_only)
				add_key(info, k->key, get(cam, k->param), k->comment, k->text);
	/* The sensor temperature has a model-specific command. */
	if (m->temperatures_sensor &&
	    cred_cli_raw(cred_camera_cli(cam), m->temperatures_sensor, 0, &v) == CRED_OK)
		add_key(info, "DET-TMP", v, m->id == CRED_MODEL_CRED3 ? "[C] sensor temperature"
			: "[K] detector temperature (cryostat diode)", 0);
}

/* The geometry of the frames the camera sends now. */
static int read_format(struct cred_camera *cam, struct camera_info *info)
{
	int err = cred_camera_frame_format(cam, &info->format);

	info->have_format = err == CRED_OK;
	return err;
}

static void read_timing(struct cred_camera *cam, struct camera_info *info)
{
	char *fps = get(cam, "fps"), *tint = NULL;
	double v;

	if (fps && parse_double(fps, 0, 1e9, &v))
		info->fps = v;
	if (cred_camera_model(cam)->id == CRED_MODEL_CRED3)
		tint = get(cam, "tint");
	if (tint && parse_double(tint, 0, 1e9, &v))
		info->tint = v;
	else if (cred_camera_model(cam)->id == CRED_MODEL_CREDONE && info->fps > 0)
		info->tint = 1.0 / info->fps; /* integration lasts one frame period */
	free(fps);
	free(tint);
}

/* Why the camera may send nothing, read from its state now, for the "no
 * data" message; NULL when it should be streaming. */
static char *silence_reason(struct cred_camera *cam)
{
	char *state = NULL, *why = NULL;

	if (cred_camera_status(cam, &state) == CRED_OK && strcmp(state, "operational") != 0) {
		if (asprintf(&why, "the camera is '%s', not operational", state) < 0)
			why = NULL;
	} else if (get_switch(cam, "extsynchro") == 1) {
		why = strdup("external synchronisation is on (extsynchro): the camera sends a "
			     "frame only when the trigger signal comes");
	} else if (get_switch(cam, "swsynchro") == 1) {
		why = strdup("triggered acquisition is on (swsynchro): the camera sends frames "
			     "only after swtrig");
	}
	free(state);
	return why;
}

int camera_query(const struct config *c, const char *port, struct camera_info *info)
{
	struct cred_camera_options o = {
		.port = port,
		.model = c->common.model ? c->common.model->id : CRED_MODEL_UNKNOWN,
		.timeout_ms = 0,
		.lock_wait_ms = c->common.lock_wait_ms,
	};
	struct cred_camera *cam;
	int err;

	memset(info, 0, sizeof(*info));
	err = cred_camera_open(&o, &cam);
	if (err)
		return err;
	err = read_format(cam, info);
	if (!err) {
		read_timing(cam, info);
		record_state(cam, info, false);
		info->silence = silence_reason(cam);
	}
	cred_camera_close(cam);
	return err;
}

int camera_query_live(const char *port, enum cred_model_id model, struct camera_info *info)
{
	/* never wait for the port: a user's credctl comes first */
	struct cred_camera_options o = { .port = port, .model = model, .lock_wait_ms = 0 };
	struct cred_camera *cam;
	int err;

	memset(info, 0, sizeof(*info));
	err = cred_camera_open(&o, &cam);
	if (err)
		return err;
	read_timing(cam, info);
	record_state(cam, info, true);
	cred_camera_close(cam);
	return CRED_OK;
}

void camera_info_free(struct camera_info *info)
{
	for (size_t i = 0; i < info->nkeys; i++)
		free((char *)info->keys[i].value);
	info->nkeys = 0;
	free(info->silence);
	info->silence = NULL;
}

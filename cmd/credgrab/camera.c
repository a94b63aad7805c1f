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
	{ NULL, NULL, NULL, 0, 0 },
};

static const struct key_map cred3_keys[] = {
	{ "sensibility", "SENSIBIL", "sensitivity (integration capacitor)", 0, 1 },
	{ "hdr", "HDR", "HDR readout", 0, 0 },
	{ "hdr.extended", "HDREXT", "HDR with unsigned pixels", 0, 0 },
	{ "badpixel", "BPCORR", "bad pixel correction on", 0, 0 },
	{ "swsynchro", "SWTRIG", "triggered acquisition", 0, 0 },
	/* the setpoint is write-only on a C-RED 3 */
	{ "temperatures.snake", "DET-TMP", "[C] sensor temperature", 0, 1 },
	{ "temperatures.cpu", "TEMPCPU", "[C] processor temperature", 0, 0 },
	{ "temperatures.backend", "TEMPBACK", "[C] back-end board temperature", 0, 0 },
	{ "temperatures.interface", "TEMPINTF", "[C] interface board temperature", 0, 0 },
	{ "temperatures.ambiant", "TEMPAMB", "[C] ambient temperature", 0, 0 },
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
	{ "temperatures.cryostat.diode", "DET-TMP", "[K] detector temperature (cryostat diode)", 0, 1 },
	{ "temperatures.cryostat.ptcontroller", "TEMPPTC", "[K] cryostat temperature (pulse tube)", 0, 0 },
	{ "temperatures.motherboard", "TEMPMOBO", "[C] motherboard temperature", 0, 0 },
	{ "temperatures.frontend", "TEMPFRNT", "[C] front-end temperature", 0, 0 },
	{ "temperatures.powerboard", "TEMPPWR", "[C] power board temperature", 0, 0 },
	{ "temperatures.water", "TEMPWATR", "[C] cooling water temperature", 0, 0 },
	{ "temperatures.ptmcu", "TEMPPTMC", "[C] pulse tube controller temperature", 0, 0 },
	{ NULL, NULL, NULL, 0, 0 },
};

/* One query of the camera: the first hard error ends it. A setting the
 * camera refuses or its firmware lacks is left out; a garbled answer, a
 * timeout or a lost link is an error, never a guess: the frames'
 * geometry and the files' keywords come only from clear answers. */
struct query {
	struct cred_camera *cam;
	int err;
};

static char *get(struct query *q, const char *name)
{
	char *v = NULL;
	int r;

	if (q->err)
		return NULL;
	r = cred_camera_get(q->cam, name, &v);
	if (r == CRED_OK)
		return v;
	if (r != CRED_ERR_FAIL && r != CRED_ERR_SUPP && r != CRED_ERR_ARG)
		q->err = r;
	return NULL;
}

/* 1 on, 0 off, -1 unknown */
static int get_switch(struct query *q, const char *name)
{
	char *v = get(q, name);
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

/* Who the camera is: the serial number `cameratype` gives, and the
 * hardware identifier `hwuid` gives, each only when it said it. */
static void record_identity(struct query *q, struct camera_info *info)
{
	struct cred_identity id;

	if (q->err || cred_camera_identity(q->cam, &id) != CRED_OK)
		return;
	if (id.serial[0])
		add_key(info, "SERIAL", strdup(id.serial), "camera serial number", 1);
	if (id.hwuid[0])
		add_key(info, "HWUID", strdup(id.hwuid), "camera hardware unique identifier", 1);
}

/* The settings as keywords; live_only: those that change during a run. */
static void record_state(struct query *q, struct camera_info *info, bool live_only)
{
	const struct cred_model *m = cred_camera_model(q->cam);
	const struct key_map *lists[2] = {
		common_keys, m->id == CRED_MODEL_CRED3 ? cred3_keys : credone_keys,
	};

	for (int l = 0; l < 2; l++)
		for (const struct key_map *k = lists[l]; k->param; k++)
			if (k->live || !live_only)
				add_key(info, k->key, get(q, k->param), k->comment, k->text);
	if (!live_only)
		record_identity(q, info);
}

static char *number(int v)
{
	char *s = NULL;

	return asprintf(&s, "%d", v) < 0 ? NULL : s;
}

/* Where the window's first pixel is on the sensor (0-based), and the IRAF
 * LTV offset that maps image pixels back to sensor pixels, on one axis:
 * only when the camera said its window clearly (cropping off: the full
 * sensor; on: one run of pixels), and LTV only when a row of the frame is
 * the window's pixels (not the wider rows of the C-RED One's multi-read
 * modes). */
static void record_origin(struct query *q, struct camera_info *info, int cropping,
			  const char *axis)
{
	const struct cred_model *m = cred_camera_model(q->cam);
	int rows = strcmp(axis, "rows") == 0, first = 0;
	int count = rows ? m->height : m->width;
	char name[32], *v = NULL;

	if (cropping == 1) {
		snprintf(name, sizeof(name), "cropping.%s", axis);
		v = get(q, name);
		if (!v || cred_crop_first(m->id, axis, v, &first) != 1 ||
		    cred_crop_check(m->id, axis, v, &count) != CRED_OK) {
			free(v);
			return;
		}
		free(v);
	} else if (cropping != 0) {
		return;
	}
	add_key(info, rows ? "CROPY0" : "CROPX0", number(first),
		rows ? "first sensor row of the window (0-based)"
		: "first sensor column of the window (0-based)", 0);
	if (rows || info->format.width == count)
		add_key(info, rows ? "LTV2" : "LTV1", number(-first),
			"image pixel = sensor pixel + LTV (IRAF)", 0);
}

/* The geometry of the frames the camera sends now. */
static int read_format(struct query *q, struct camera_info *info)
{
	int err = cred_camera_frame_format(q->cam, &info->format);

	info->have_format = err == CRED_OK;
	return err;
}

/* The C-RED One has no integration time setting: only in global reset
 * single read does its manual say what it is (the time between two
 * frames). In the other modes it is left unknown. */
static bool single_read(struct query *q)
{
	char *mode = get(q, "mode");
	bool single = mode && (!strcmp(mode, "globalresetsingle") || !strcmp(mode, "globalreset"));

	free(mode);
	return single;
}

static void read_timing(struct query *q, struct camera_info *info)
{
	char *fps = get(q, "fps"), *tint = NULL;
	double v;

	if (fps && parse_double(fps, 0, 1e9, &v))
		info->fps = v;
	if (cred_camera_model(q->cam)->id == CRED_MODEL_CRED3)
		tint = get(q, "tint");
	if (tint && parse_double(tint, 0, 1e9, &v))
		info->tint = v;
	else if (cred_camera_model(q->cam)->id == CRED_MODEL_CREDONE && info->fps > 0 &&
		 single_read(q))
		info->tint = 1.0 / info->fps;
	free(fps);
	free(tint);
}

/* Why the camera may send nothing, read from its state now, for the "no
 * data" message; NULL when it should be streaming. */
static char *silence_reason(struct query *q)
{
	char *state = NULL, *why = NULL;

	if (q->err) /* keep the message of the error */
		return NULL;
	if (cred_camera_status(q->cam, &state) == CRED_OK && strcmp(state, "operational") != 0) {
		if (asprintf(&why, "the camera is '%s', not operational", state) < 0)
			why = NULL;
	} else if (get_switch(q, "extsynchro") == 1) {
		why = strdup("external synchronisation is on (extsynchro): the camera sends a "
			     "frame only when the trigger signal comes");
	} else if (get_switch(q, "swsynchro") == 1) {
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
		.lock_wait_ms = lock_wait(&c->common),
	};
	struct query q = { 0 };
	int err;

	memset(info, 0, sizeof(*info));
	err = cred_camera_open(&o, &q.cam);
	if (err)
		return err;
	err = read_format(&q, info);
	if (!err) {
		int cropping = get_switch(&q, "cropping");

		read_timing(&q, info);
		record_state(&q, info, false);
		record_origin(&q, info, cropping, "columns");
		record_origin(&q, info, cropping, "rows");
		info->silence = silence_reason(&q);
		err = q.err;
	}
	cred_camera_close(q.cam);
	if (err)
		camera_info_free(info);
	return err;
}

int camera_query_live(const char *port, enum cred_model_id model, struct camera_info *info)
{
	/* never wait for the port: a user's credctl comes first */
	struct cred_camera_options o = { .port = port, .model = model, .lock_wait_ms = 0 };
	struct query q = { 0 };
	int err;

	memset(info, 0, sizeof(*info));
	err = cred_camera_open(&o, &q.cam);
	if (err)
		return err;
	read_timing(&q, info);
	record_state(&q, info, true);
	cred_camera_close(q.cam);
	if (q.err)
		camera_info_free(info);
	return q.err;
}

void camera_info_free(struct camera_info *info)
{
	for (size_t i = 0; i < info->nkeys; i++)
		free((char *)info->keys[i].value);
	info->nkeys = 0;
	free(info->silence);
	info->silence = NULL;
}

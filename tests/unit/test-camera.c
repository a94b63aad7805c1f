/* cred_camera_* against a fake camera on a socketpair: a thread answers
 * "<cmd> raw" from a small table and "set <key> <value>" by storing it,
 * each answer ending with "\r\nfli-cli>", and records every command it
 * receives. The tests check what reached the camera: live-limit checks
 * before any set, the order of a batch, read-back, the firmware gate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <dirent.h>
#include <cmocka.h>

#include "fake-camera.h"

/* ---- fixtures ------------------------------------------------------- */

static const char *const cred3_table[][2] = {
	{ "cameratype", "C-RED 3" }, { "version firmware", "1.1.0" },
	{ "fps", "600" }, { "minfps", "0.0001" }, { "maxfps", "600" },
	{ "tint", "0.001" }, { "mintint", "0.000001" }, { "maxtint", "0.00166" },
	{ "bias", "off" }, { "hdr", "off" }, { "adu offset", "100" },
	{ "cropping", "off" }, { "cropping columns", "0-639" }, { "cropping rows", "0-511" },
	{ "extsynchro source", "external" }, { "syncdelay", "0" }, { "minsyncdelay", "0" },
	{ "maxsyncdelay", "1" }, { "stepsyncdelay", "0.001" }, { "status", "operational" },
};

static const char *const credone_table[][2] = {
	{ "cameratype", "C-RED ONE" }, { "version firmware", "2.1.0" },
	{ "fps", "3500" }, { "maxfps", "3500" }, { "gain", "1" }, { "maxpossiblegain", "40" },
	{ "mode", "globalresetcds" }, { "cropping", "on:c0-c1:r0-r1" },
	{ "cropping columns", "1-10" }, { "cropping rows", "1-256" }, { "status", "presave" },
};

/* C-RED 3 rules: fps sets the tint limit and resets tint; a narrower
 * window raises maxfps. */
static void cred3_rules(struct fake *f, const char *key, const char *value)
{
	char buf[64];

	if (strcmp(key, "fps") == 0) {
		snprintf(buf, sizeof(buf), "%.9g", 1 / atof(value) - 1e-5);
		put(f, "maxtint", buf);
		put(f, "tint", buf);
	} else if (strcmp(key, "cropping columns") == 0) {
		int a, b;

		if (sscanf(value, "%d-%d", &a, &b) == 2) {
			snprintf(buf, sizeof(buf), "%d", 600 * 640 / (b - a + 1));
			put(f, "maxfps", buf);
		}
	}
}

/* C-RED One: a readout mode change resets the gain to 1. */
static void credone_rules(struct fake *f, const char *key, const char *value)
{
	(void)value;
	if (strcmp(key, "mode") == 0)
		put(f, "gain", "1");
}

/* ---- tests ---------------------------------------------------------- */

static void test_detect(void **state)
{
	struct fake *f = START(cred3_table);

	(void)state;
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_OK);
	assert_int_equal(cred_camera_model(f->cam)->id, CRED_MODEL_CRED3);
	assert_string_equal(cred_camera_firmware(f->cam), "1.1.0");
	assert_string_equal(fake_log(f), "cameratype raw | cameratype raw | version firmware raw");
	assert_non_null(cred_camera_cli(f->cam));
	fake_stop(f);

	f = START(credone_table);
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_OK);
	assert_string_equal(cred_camera_model(f->cam)->name, "C-RED One");
	fake_stop(f);

	/* A forced model is not asked for; a missing firmware answer is "". */
	f = START(cred3_table);
	fake_put(f, "version firmware", NULL);
	assert_int_equal(fake_camera(f, CRED_MODEL_CREDONE), CRED_OK);
	assert_int_equal(cred_camera_model(f->cam)->id, CRED_MODEL_CREDONE);
	assert_string_equal(cred_camera_firmware(f->cam), "");
	assert_string_equal(fake_log(f), "version firmware raw");
	fake_stop(f);

	/* Not a camera we know. */
	f = START(cred3_table);
	fake_put(f, "cameratype", "C-RED 2");
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_ERR_PROTO);
	assert_null(f->cam);
	assert_non_null(strstr(cred_last_error(), "camera type 'C-RED 2'"));
	fake_stop(f);
}

static void test_get(void **state)
{
	struct fake *f = START(cred3_table);
	char *v = NULL;

	(void)state;
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_clear_log(f);
	assert_int_equal(cred_camera_get(f->cam, "fps", &v), CRED_OK);
	assert_string_equal(v, "600");
	free(v);
	assert_string_equal(fake_log(f), "fps raw | fps raw"); /* read twice: it goes into files */
	/* The other spelling when the first is rejected. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_get(f->cam, "aduoffset", &v), CRED_OK);
	assert_string_equal(v, "100");
	free(v);
	assert_string_equal(fake_log(f), "aduoffset raw | adu offset raw | aduoffset raw | adu offset raw");
	/* Refused before anything is sent. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_get(f->cam, "gain", &v), CRED_ERR_ARG);
	assert_null(v);
	assert_string_equal(cred_last_error(), "C-RED 3 has no parameter 'gain'");
	assert_int_equal(cred_camera_get(f->cam, "voltage.vref", &v), CRED_ERR_SUPP);
	assert_string_equal(fake_log(f), "");
	/* Reading HDR is not gated (only the set hdr rows carry 3.1.1). */
	(void)cred_camera_get(f->cam, "hdr", &v);
	free(v);
	v = NULL;
	assert_string_equal(fake_log(f), "hdr raw | hdr raw");
	/* A camera rejection comes back as such. */
	assert_int_equal(cred_camera_get(f->cam, "tintgranularity", &v), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "Syntax error"));
	fake_stop(f);

	/* C-RED One: switches read as on/off; the status word. */
	f = START(credone_table);
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_OK);
	assert_int_equal(cred_camera_get(f->cam, "cropping", &v), CRED_OK);
	assert_string_equal(v, "on");
	free(v);
	assert_int_equal(cred_camera_status(f->cam, &v), CRED_OK);
	assert_string_equal(v, "prevsafe");
	free(v);
	fake_put(f, "status", "isbeingcooled");
	assert_int_equal(cred_camera_status(f->cam, &v), CRED_OK);
	assert_string_equal(v, "isbeingcooled");
	free(v);
	fake_stop(f);
}

static void test_set_live_limits(void **state)
{
	struct fake *f = START(cred3_table);
	char *v = NULL;
	double lo, hi, step;

	(void)state;
	f->on_set = cred3_rules;
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_put(f, "maxfps", "400");
	fake_clear_log(f);
	/* Out of the camera's live range: asked, refused, nothing set. */
	assert_int_equal(cred_camera_set(f->cam, "fps", "500", &v), CRED_ERR_ARG);
	assert_null(v);
	assert_string_equal(cred_last_error(), "fps must be between 0.0001 and 400 (got 500)");
	assert_string_equal(fake_log(f), "minfps raw | maxfps raw");
	/* Within it: set, then read back. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "fps", "300", &v), CRED_OK);
	assert_string_equal(v, "300");
	free(v);
	assert_string_equal(fake_log(f), "minfps raw | maxfps raw | set fps 300 | fps raw | fps raw");
	/* Bad syntax never costs a question to the camera. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "fps", "300x", NULL), CRED_ERR_ARG);
	assert_int_equal(cred_camera_set(f->cam, "bias", "maybe", NULL), CRED_ERR_ARG);
	assert_int_equal(cred_camera_set(f->cam, "maxfps", "1", NULL), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(), "maxfps is read-only");
	assert_string_equal(fake_log(f), "");
	/* Switch values go out in the table's spelling. */
	assert_int_equal(cred_camera_set(f->cam, "bias", "ON", &v), CRED_OK);
	assert_string_equal(v, "on");
	free(v);
	/* Granularity from stepsyncdelay. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "syncdelay", "0.0025", NULL), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "multiple of 0.001"));
	assert_string_equal(fake_log(f), "minsyncdelay raw | maxsyncdelay raw | stepsyncdelay raw");
	/* The limits as the camera gives them. */
	assert_int_equal(cred_camera_limits(f->cam, "fps", &lo, &hi, &step), CRED_OK);
	assert_true(lo == 0.0001 && hi == 400 && step == 0);
	assert_int_equal(cred_camera_limits(f->cam, "syncdelay", NULL, &hi, &step), CRED_OK);
	assert_true(hi == 1 && step == 0.001);
	/* A failure leaves no stale limits behind. */
	assert_int_equal(cred_camera_limits(f->cam, "nosuch", &lo, &hi, &step), CRED_ERR_ARG);
	assert_true(isnan(lo) && isnan(hi) && step == 0);
	fake_stop(f);
}

static void test_firmware_gate(void **state)
{
	struct fake *f = START(cred3_table);

	(void)state;
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "hdr", "on", NULL), CRED_ERR_SUPP);
	assert_string_equal(cred_last_error(), "hdr on needs firmware 3.1.1 or later (the camera has 1.1.0)");
	assert_string_equal(fake_log(f), "");
	/* Table 1.1.1, prose 1.1.0: sent, the camera decides. */
	(void)cred_camera_set(f->cam, "extsynchro.source", "cc1", NULL);
	assert_string_equal(fake_sets(f), "set extsynchro source cc1");
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "extsynchro.source", "external", NULL), CRED_OK);
	assert_string_equal(fake_sets(f), "set extsynchro source external");
	fake_stop(f);
}

static void test_set_many_order(void **state)
{
	static const char *const names[] = { "tint", "bias", "fps", "cropping.columns", "cropping" };
	static const char *const values[] = { "0.005", "on", "800", "0-319", "on" };
	static const char *const v2[] = { "0.005", "on", "100", "0-319", "on" };
	struct fake *f = START(cred3_table);
	char *rb[5];

	(void)state;
	f->on_set = cred3_rules;
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_clear_log(f);
	/* tint 5 ms is only possible once fps is lower: it is checked when
	 * its turn comes, after cropping and fps went out. */
	assert_int_equal(cred_camera_set_list(f->cam, names, v2, 5, rb), CRED_OK);
	assert_string_equal(fake_sets(f), "set cropping columns 0-319 | set cropping on | set fps 100 | "
					  "set tint 0.005 | set bias on");
	assert_string_equal(rb[0], "0.005");
	assert_string_equal(rb[1], "on");
	assert_string_equal(rb[2], "100");
	assert_string_equal(rb[3], "0-319");
	assert_string_equal(rb[4], "on");
	for (int i = 0; i < 5; i++)
		free(rb[i]);
	/* fps after cropping: 800 passes against the maxfps the new window gives. */
	fake_put(f, "cropping columns", "0-639");
	fake_put(f, "maxfps", "600");
	fake_clear_log(f);
	assert_int_equal(cred_camera_set_many(f->cam, (const char *const[]){ "fps", "cropping.columns" },
					      (const char *const[]){ "800", "0-319" }, 2), CRED_OK);
	assert_string_equal(fake_sets(f), "set cropping columns 0-319 | set fps 800");
	/* A tint too long even for the new fps: refused after fps went out,
	 * and the message says so. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set_list(f->cam, names, values, 5, rb), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "tint must be between 1e-06 and 0.00124"));
	assert_non_null(strstr(cred_last_error(), "(already applied: cropping.columns, cropping, fps)"));
	assert_string_equal(fake_sets(f), "set cropping columns 0-319 | set cropping on | set fps 800");
	for (int i = 0; i < 5; i++)
		assert_null(rb[i]);
	/* A bad value anywhere: nothing is sent at all. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set_many(f->cam, (const char *const[]){ "fps", "bias" },
					      (const char *const[]){ "100", "maybe" }, 2), CRED_ERR_ARG);
	assert_int_equal(cred_camera_set_many(f->cam, (const char *const[]){ "fps", "FPS" },
					      (const char *const[]){ "100", "200" }, 2), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(), "fps is given twice");
	assert_string_equal(fake_sets(f), "");
	fake_stop(f);
}

static void test_hdr(void **state)
{
	struct fake *f = START(cred3_table);

	(void)state;
	fake_put(f, "version firmware", "3.1.1");
	fake_put(f, "hdr", "on");
	fake_put(f, "cropping", "on");
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_clear_log(f);
	/* HDR needs at least 96x72: checked against the camera's window. */
	assert_int_equal(cred_camera_set(f->cam, "cropping.columns", "0-63", NULL), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(),
			    "HDR needs a window of at least 96x72 pixels (columns x rows; got 64x512)");
	assert_string_equal(fake_sets(f), "");
	/* Leaving HDR in the same batch goes first and makes it legal. */
	assert_int_equal(cred_camera_set_many(f->cam, (const char *const[]){ "cropping.columns", "hdr" },
					      (const char *const[]){ "0-63", "off" }, 2), CRED_OK);
	assert_string_equal(fake_sets(f), "set hdr off | set cropping columns 0-63");
	/* Switching cropping on is checked against the window it enables. */
	fake_put(f, "hdr", "on");
	fake_put(f, "cropping", "off");
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "cropping", "on", NULL), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "got 64x512"));
	assert_int_equal(cred_camera_set_many(f->cam, (const char *const[]){ "cropping", "cropping.columns" },
					      (const char *const[]){ "on", "0-127" }, 2), CRED_OK);
	assert_string_equal(fake_sets(f), "set cropping columns 0-127 | set cropping on");
	fake_stop(f);
}

/* The camera says OK to "set hdr on" but hdr stays off. */
static void no_license(struct fake *f, const char *key, const char *value)
{
	(void)value;
	if (strcmp(key, "hdr") == 0)
		put(f, "hdr", "off");
}

static void test_readback_refusal(void **state)
{
	struct fake *f = START(cred3_table);

	(void)state;
	fake_put(f, "version firmware", "3.1.1");
	f->on_set = no_license;
	assert_int_equal(fake_camera(f, CRED_MODEL_CRED3), CRED_OK);
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "hdr", "on", NULL), CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "the camera accepted 'set hdr on' but hdr reads off");
	/* Asked about cropping for the HDR window check, set, read back. */
	assert_string_equal(fake_log(f), "cropping raw | cropping raw | set hdr on | hdr raw | hdr raw");
	fake_stop(f);
}

static void test_credone_mode_first(void **state)
{
	static const char *const names[] = { "gain", "fps", "mode" };
	static const char *const values[] = { "20", "1000", "globalresetsingle" };
	struct fake *f = START(credone_table);
	char *rb[3];

	(void)state;
	f->on_set = credone_rules;
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_OK);
	fake_clear_log(f);
	assert_int_equal(cred_camera_set_list(f->cam, names, values, 3, rb), CRED_OK);
	assert_string_equal(fake_sets(f), "set mode globalresetsingle | set fps 1000 | set gain 20");
	/* The gain survives because it went after the mode change. */
	assert_string_equal(rb[0], "20");
	assert_string_equal(rb[2], "globalresetsingle");
	for (int i = 0; i < 3; i++)
		free(rb[i]);
	/* Gain above maxpossiblegain is sent: the camera locks it there. */
	fake_clear_log(f);
	assert_int_equal(cred_camera_set(f->cam, "gain", "50", NULL), CRED_OK);
	assert_string_equal(fake_sets(f), "set gain 50");
	assert_int_equal(cred_camera_set(f->cam, "gain", "0", NULL), CRED_ERR_ARG);
	/* fps: no minfps on this model, the manual's 0.02 Hz bounds it. */
	{
		double lo, hi;

		assert_int_equal(cred_camera_limits(f->cam, "fps", &lo, &hi, NULL), CRED_OK);
		assert_true(lo == 0.02 && hi == 3500);
	}
	/* A rejection by the camera is reported as one. */
	fake_put(f, "mode", NULL);
	assert_int_equal(cred_camera_set(f->cam, "mode", "globalresetcds", NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "Syntax error"));
	fake_stop(f);
}

/* The lock directory and the lock files the ports left in it. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	assert_int_equal(rmdir(dir), 0);
}

/* cred_camera_open by port spec: connect, resynchronise on a fresh
 * prompt (a bare line), detect, read the firmware. */
static void test_open(void **state)
{
	char spec[64], expect[128], lockdir[] = "/tmp/cred-test-lock-XXXXXX";
	struct cred_camera_options opts = { .timeout_ms = 2000 };
	struct cred_camera *cam = (struct cred_camera *)&opts; /* must come back NULL */
	struct fake *f;
	char *v = NULL;

	(void)state;
	assert_non_null(mkdtemp(lockdir));
	setenv("CRED_LOCK_DIR", lockdir, 1);
	f = fake_start_tcp(cred3_table, sizeof(cred3_table) / sizeof(cred3_table[0]), 0, spec,
			   sizeof(spec));
	opts.port = spec;
	assert_int_equal(cred_camera_open(&opts, &f->cam), CRED_OK);
	assert_int_equal(cred_camera_model(f->cam)->id, CRED_MODEL_CRED3);
	assert_string_equal(cred_camera_firmware(f->cam), "1.1.0");
	assert_string_equal(fake_log(f), " | cameratype raw | cameratype raw | version firmware raw");
	assert_int_equal(cred_camera_get(f->cam, "fps", &v), CRED_OK);
	assert_string_equal(v, "600");
	free(v);
	fake_stop(f);

	/* A forced model is not asked for. */
	f = fake_start_tcp(credone_table, sizeof(credone_table) / sizeof(credone_table[0]), 0, spec,
			   sizeof(spec));
	opts.model = CRED_MODEL_CREDONE;
	assert_int_equal(cred_camera_open(&opts, &f->cam), CRED_OK);
	assert_string_equal(fake_log(f), " | version firmware raw");
	fake_stop(f);

	/* Something that listens but never answers. */
	f = fake_start_tcp(cred3_table, 0, 1, spec, sizeof(spec));
	opts.model = CRED_MODEL_UNKNOWN;
	opts.timeout_ms = 300;
	assert_int_equal(cred_camera_open(&opts, &f->cam), CRED_ERR_TIMEOUT);
	assert_null(f->cam);
	snprintf(expect, sizeof(expect), "'%s': no answer from the camera", spec);
	assert_string_equal(cred_last_error(), expect);
	fake_stop(f);

	/* A bad port spec fails before anything is opened. */
	opts.port = "tcp:";
	assert_true(cred_camera_open(&opts, &cam) < 0);
	assert_null(cam);
	remove_dir(lockdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_set_live_limits),
		cmocka_unit_test(test_firmware_gate),
		cmocka_unit_test(test_set_many_order),
		cmocka_unit_test(test_hdr),
		cmocka_unit_test(test_readback_refusal),
		cmocka_unit_test(test_credone_mode_first),
		cmocka_unit_test(test_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the camera's identity (cred_camera_identity) and its own
 * correction builds (cred-nuc.h) against the fake camera: the commands
 * sent, and answers parsed strictly against the manual's forms. */
#include "fake-camera.h"

#include <math.h>

static const char *const cred3_table[][2] = {
	{ "cameratype", "C-RED 3" },
	{ "version firmware", "1.1.0" },
	{ "hwuid", "0xabc" },
	{ "bias", "off" },
	{ "buildnuc progress", "12.5" },
	{ "=cameratype", "Camera type: C-RED 3\nSerial number: C3-0142\nSensor: snake\n"
			 "Interface: USB3\nBuild: 7" },
	{ "=buildnuc bias 256", "OK" },
	{ "=buildnuc flat 32", "OK" },
	{ "=buildnuc abort", "OK" },
	{ "=exec buildflat hdr_c1", "Compute flat image....Done" },
};


static struct fake *cred3(const char *firmware)
{
	struct fake *f = START(cred3_table);

	fake_put(f, "version firmware", firmware);
	assert_int_equal(fake_camera(f, CRED_MODEL_UNKNOWN), CRED_OK);
	fake_clear_log(f);
	return f;
}

static void test_identity(void **state)
{
	struct fake *f = cred3("1.1.0");
	struct cred_identity id;

	(void)state;
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_OK);
	assert_string_equal(id.type, "C-RED 3");
	assert_string_equal(id.serial, "C3-0142");
	assert_string_equal(id.sensor, "snake");
	assert_string_equal(id.interface, "USB3");
	assert_string_equal(id.hwuid, "0xabc");
	assert_string_equal(fake_log(f), "cameratype | hwuid raw | hwuid raw");

	/* the raw form: the type alone */
	fake_put(f, "=cameratype", "C-RED 3");
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_OK);
	assert_string_equal(id.type, "C-RED 3");
	assert_string_equal(id.serial, "");

	/* a camera that will not say leaves the fields empty */
	fake_put(f, "=cameratype", NULL);
	fake_put(f, "hwuid", NULL);
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_OK);
	assert_string_equal(id.type, "");
	assert_string_equal(id.hwuid, "");

	/* strict: a stray line, a label twice, a value too long */
	fake_put(f, "=cameratype", "Camera type: C-RED 3\nC3-0142");
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_ERR_PROTO);
	assert_string_equal(id.type, "");
	fake_put(f, "=cameratype", "Serial number: A\nSerial number: B");
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_ERR_PROTO);
	fake_put(f, "=cameratype", "Serial number: 0123456789012345678901234567890123456789"
				   "012345678901234567890123456789");
	assert_int_equal(cred_camera_identity(f->cam, &id), CRED_ERR_PROTO);
	fake_stop(f);
}

static void test_nuc_background(void **state)
{
	struct fake *f = cred3("1.1.0");
	double left;

	(void)state;
	assert_int_equal(cred_nuc_background(f->cam), 1);
	assert_int_equal(cred_nuc_start(f->cam, "bias", 0), CRED_OK);
	assert_int_equal(cred_nuc_start(f->cam, "flat", 32), CRED_OK);
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_OK);
	assert_true(left == 12.5);
	assert_int_equal(cred_nuc_busy(f->cam), 0);
	assert_int_equal(cred_nuc_abort(f->cam), CRED_OK);
	assert_string_equal(fake_log(f), "buildnuc bias 256 | buildnuc flat 32 | "
			    "buildnuc progress raw | bias raw | buildnuc abort");
	fake_clear_log(f);

	/* checked before anything is sent */
	assert_int_equal(cred_nuc_start(f->cam, "dark", 0), CRED_ERR_ARG);
	assert_int_equal(cred_nuc_start(f->cam, "bias", 9), CRED_ERR_ARG);
	assert_int_equal(cred_nuc_start(f->cam, "bias", 257), CRED_ERR_ARG);
	assert_string_equal(fake_log(f), "");

	/* the camera refuses while it builds */
	fake_put(f, "bias", NULL);
	assert_int_equal(cred_nuc_busy(f->cam), 1);

	/* "Returns the estimated remaining time in seconds": nothing else,
	 * asked twice before giving up */
	fake_clear_log(f);
	fake_put(f, "buildnuc progress", "12 s");
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_ERR_PROTO);
	assert_true(isnan(left));
	assert_string_equal(fake_log(f), "buildnuc progress raw | buildnuc progress raw");
	fake_put(f, "buildnuc progress", "-1");
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_ERR_PROTO);
	fake_put(f, "buildnuc progress", "0");
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_OK);
	assert_true(left == 0);
	fake_stop(f);
}

/* Old firmware: only the exec builds. */
static void test_nuc_legacy(void **state)
{
	struct fake *f = cred3("1.0.2");
	double left;

	(void)state;
	assert_int_equal(cred_nuc_background(f->cam), 0);
	assert_int_equal(cred_nuc_start(f->cam, "bias", 0), CRED_ERR_SUPP);
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_ERR_SUPP);
	assert_string_equal(fake_log(f), "");
	assert_int_equal(cred_nuc_build_legacy(f->cam, "flat_hdr_c1"), CRED_OK);
	assert_int_equal(cred_nuc_build_legacy(f->cam, "bias"), CRED_ERR_FAIL); /* no answer set */
	assert_string_equal(fake_log(f), "exec buildflat hdr_c1 | exec buildbias");
	fake_stop(f);
}

/* The abort is a clean-up: it goes out even after a cancellation. */
static void test_nuc_abort_cancelled(void **state)
{
	struct fake *f = cred3("1.1.0");
	volatile sig_atomic_t flag = 1;
	double left;

	(void)state;
	cred_set_cancel_flag(&flag);
	assert_int_equal(cred_nuc_progress(f->cam, &left), CRED_ERR_IO);
	assert_int_equal(cred_nuc_abort(f->cam), CRED_OK);
	cred_set_cancel_flag(NULL);
	assert_string_equal(fake_log(f), "buildnuc abort");
	fake_stop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_nuc_background),
		cmocka_unit_test(test_nuc_legacy),
		cmocka_unit_test(test_nuc_abort_cancelled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

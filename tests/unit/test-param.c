/* Typed parameter checks: strict number parsing, ranges (static and live),
 * granularity, choices, switches, addresses, and the exact messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "cred-model.h"
#include "model-impl.h"

#define C3 CRED_MODEL_CRED3
#define C1 CRED_MODEL_CREDONE

static const struct cred_param *param(enum cred_model_id m, const char *name)
{
	const struct cred_param *p = cred_param_find(m, name);

	if (!p)
		fail_msg("no parameter '%s'", name);
	return p;
}

/* check() must accept value. */
static void ok(enum cred_model_id m, const char *name, const char *value, double lo, double hi)
{
	if (cred_param_check(param(m, name), value, lo, hi) != CRED_OK)
		fail_msg("%s '%s' rejected: %s", name, value, cred_last_error());
	assert_string_equal(cred_last_error(), "");
}

/* check() must refuse value with exactly message. */
static void refused(enum cred_model_id m, const char *name, const char *value, double lo, double hi,
		    const char *message)
{
	if (cred_param_check(param(m, name), value, lo, hi) != CRED_ERR_ARG)
		fail_msg("%s '%s' accepted", name, value);
	assert_string_equal(cred_last_error(), message);
}

static void test_parse_double(void **state)
{
	static const char *const good[] = { "0", "600", "-1.5", "+2", ".5", "5.", "1e3",
					    "1.65e-7", "1E+2", "0.0001", "007" };
	static const double values[] = { 0, 600, -1.5, 2, 0.5, 5, 1000, 1.65e-7, 100, 0.0001, 7 };
	static const char *const bad[] = { "", " 1", "1 ", "1x", "nan", "NaN", "inf", "-inf",
					   "infinity", "0x10", "1e", "e5", ".", "-", "+", "1..2",
					   "1e5.5", "1,5", "--1", "1e+", "\t1", "1\n" };
	double v;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(cred_parse_double(good[i], &v), 0);
		assert_true(fabs(v - values[i]) <= 1e-15 * fabs(values[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cred_parse_double(bad[i], &v) != -1)
			fail_msg("'%s' parsed as %g", bad[i], v);
		assert_true(v == 0);
	}
	assert_int_equal(cred_parse_double("1e999", &v), -2);
	assert_int_equal(cred_parse_double("-1e999", &v), -2);
	assert_int_equal(cred_parse_double("1e-999", &v), 0); /* underflow: as good as 0 */
	assert_int_equal(cred_parse_double(NULL, &v), -1);
}

static void test_parse_long(void **state)
{
	long v;

	(void)state;
	assert_int_equal(cred_parse_long("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cred_parse_long("-7", &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(cred_parse_long("+3", &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(cred_parse_long("4.0", &v), -1);
	assert_int_equal(cred_parse_long("1e3", &v), -1);
	assert_int_equal(cred_parse_long("", &v), -1);
	assert_int_equal(cred_parse_long(" 1", &v), -1);
	assert_int_equal(cred_parse_long("0x1f", &v), -1);
	assert_int_equal(cred_parse_long("99999999999999999999", &v), -2);
}

static void test_numbers(void **state)
{
	(void)state;
	/* Static range from the manual, exact message. */
	ok(C3, "fps", "600", NAN, NAN);
	ok(C3, "fps", "0.0001", NAN, NAN);
	ok(C3, "fps", "1e2", NAN, NAN);
	refused(C3, "fps", "700", NAN, NAN, "fps must be between 0.0001 and 600 (got 700)");
	refused(C3, "fps", "0.00001", NAN, NAN, "fps must be between 0.0001 and 600 (got 0.00001)");
	refused(C3, "fps", "abc", NAN, NAN, "fps must be a number (got 'abc')");
	refused(C3, "fps", "100Hz", NAN, NAN, "fps must be a number (got '100Hz')");
	refused(C3, "fps", "nan", NAN, NAN, "fps must be a number (got 'nan')");
	refused(C3, "fps", "inf", NAN, NAN, "fps must be a number (got 'inf')");
	refused(C3, "fps", "", NAN, NAN, "fps needs a value");
	refused(C3, "fps", "1e999", NAN, NAN, "fps must be between 0.0001 and 600 (got 1e999)");
	/* Live limits replace the static ones, shown to full precision. */
	ok(C3, "fps", "602.673549", 0.0001, 602.673549);
	refused(C3, "fps", "602.6736", 0.0001, 602.673549,
		"fps must be between 0.0001 and 602.673549 (got 602.6736)");
	refused(C3, "fps", "0.5", 1, NAN, "fps must be between 1 and 600 (got 0.5)");
	ok(C3, "tint", "0.001", 1e-6, 0.00166);
	refused(C3, "tint", "0.002", 1e-6, 0.00166, "tint must be between 1e-06 and 0.00166 (got 0.002)");
	refused(C3, "tint", "1e-9", NAN, NAN, "tint must be between 1.65e-07 and 10000 (got 1e-9)");
	/* C-RED One: fps down to 0.02 Hz; gain an integer from 1 to maxpossiblegain. */
	ok(C1, "fps", "0.02", NAN, NAN);
	refused(C1, "fps", "3501", NAN, NAN, "fps must be between 0.02 and 3500 (got 3501)");
	refused(C1, "fps", "2000", NAN, 1716.5, "fps must be between 0.02 and 1716.5 (got 2000)");
	ok(C1, "gain", "50", NAN, 50);
	refused(C1, "gain", "2.5", NAN, 50, "gain must be an integer (got '2.5')");
	refused(C1, "gain", "0", NAN, 50, "gain must be between 1 and 50 (got 0)");
	refused(C1, "gain", "51", NAN, 50, "gain must be between 1 and 50 (got 51)");
	refused(C1, "gain", "0", NAN, NAN, "gain must be at least 1 (got 0)");
	refused(C1, "resetwidth", "65", NAN, NAN, "resetwidth must be between 8 and 64 (got 65)");
	/* One-sided and open ranges. */
	refused(C3, "nbframesperswtrig", "0", NAN, NAN, "nbframesperswtrig must be at least 1 (got 0)");
	refused(C3, "darkoptimlevel", "101", NAN, NAN, "darkoptimlevel must be between 0 and 100 (got 101)");
	ok(C3, "aduoffset", "32767", NAN, NAN);
	refused(C3, "aduoffset", "-1000", NAN, NAN, "aduoffset must be between 0 and 32767 (got -1000)");
	refused(C3, "aduoffset", "99999999999999999999", NAN, NAN,
		"aduoffset must be between 0 and 32767 (got 99999999999999999999)");
	ok(C1, "aduoffset", "65535", NAN, NAN);
	/* Open ranges still catch numbers too big for the type. */
	refused(C3, "tlsydel", "99999999999999999999", NAN, NAN,
		"tlsydel must be at least 54 (got 99999999999999999999)");
	refused(C3, "agc.param.level_pix_high_hg", "99999999999999999999", NAN, NAN,
		"agc.param.level_pix_high_hg is out of range (got 99999999999999999999)");
	refused(C3, "voltage.vref", "2.4", NAN, NAN, "voltage.vref must be between 1.9 and 2.3 (got 2.4)");
	refused(C3, "syncdelay", "-1", NAN, NAN, "syncdelay must be at least 0 (got -1)");
}

static void test_step(void **state)
{
	const struct cred_param *p = param(C3, "syncdelay");
	double clock = 1 / 18214000.0; /* the camera's master clock period */

	(void)state;
	assert_int_equal(cred_param_check_step(p, "0.002", 0, 1, 0.001), CRED_OK);
	assert_int_equal(cred_param_check_step(p, "0.0025", 0, 1, 0.001), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(),
			    "syncdelay must be a multiple of 0.001 (got 0.0025; nearest: 0.002 or 0.003)");
	/* Whole clock ticks pass despite decimal rounding; others do not. */
	assert_int_equal(cred_param_check_step(p, "0.001", 0, 1, clock), CRED_OK);
	assert_int_equal(cred_param_check_step(p, "5.49028e-08", 0, 1, clock), CRED_OK);
	assert_int_equal(cred_param_check_step(p, "0.0001", 0, 1, clock), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "nearest: 9.99780388712e-05 or 0.00010003294"));
	/* Range comes before granularity. */
	assert_int_equal(cred_param_check_step(p, "2", 0, 1, 0.001), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(), "syncdelay must be between 0 and 1 (got 2)");
	/* The table's own step is used by cred_param_check. */
	assert_int_equal(cred_param_check(param(C1, "gain"), "3", NAN, 10), CRED_OK);
}

static void test_switch_choice_text(void **state)
{
	(void)state;
	ok(C3, "bias", "on", NAN, NAN);
	ok(C3, "bias", "OFF", NAN, NAN);
	refused(C3, "bias", "yes", NAN, NAN, "bias must be on or off (got 'yes')");
	refused(C3, "bias", "1", NAN, NAN, "bias must be on or off (got '1')");
	ok(C3, "sensibility", "medium", NAN, NAN);
	ok(C3, "sensibility", "LOW", NAN, NAN);
	refused(C3, "sensibility", "ultra", NAN, NAN,
		"sensibility must be one of low, medium, high (got 'ultra')");
	ok(C1, "mode", "globalresetcds", NAN, NAN);
	ok(C1, "mode", "rollingresetcds", NAN, NAN);
	refused(C1, "mode", "cds", NAN, NAN,
		"mode must be one of globalresetsingle, globalresetcds, globalresetbursts, "
		"rollingresetsingle, rollingresetnro, rollingresetiota, globalreset, "
		"rollingresetcds (got 'cds')");
	ok(C3, "hdr.calibration", "c2", NAN, NAN);
	ok(C3, "ip.address", "192.168.1.10", NAN, NAN);
	refused(C3, "ip.address", "300.1.1.1", NAN, NAN,
		"ip.address must be an IPv4 address like 192.168.1.10 (got '300.1.1.1')");
	refused(C1, "ip.gateway", "1.2.3", NAN, NAN,
		"ip.gateway must be an IPv4 address like 192.168.1.10 (got '1.2.3')");
	ok(C3, "password", "s3cret", NAN, NAN);
	refused(C3, "password", "s3cret word", NAN, NAN, "password must be a single word (got 's3cret word')");
	refused(C3, "sensibility", "low ", NAN, NAN, "sensibility must be a single word (got 'low ')");
	/* A line break would smuggle in a second command. */
	refused(C3, "password", "x\nset fps 1", NAN, NAN, "password must not contain control characters");
	refused(C3, "agc.roi", "0,0,64,64\r", NAN, NAN, "agc.roi must not contain control characters");
	refused(C3, "temperatures.snake", "20", NAN, NAN, "temperatures.snake is read-only");
	refused(C1, "pressure", "1", NAN, NAN, "pressure is read-only");
	assert_int_equal(cred_param_check(NULL, "1", NAN, NAN), CRED_ERR_ARG);
	assert_int_equal(cred_param_check(param(C3, "fps"), NULL, NAN, NAN), CRED_ERR_ARG);
}

static void test_crop_params(void **state)
{
	(void)state;
	ok(C3, "cropping.columns", "32-95", NAN, NAN);
	refused(C3, "cropping.columns", "1-32", NAN, NAN,
		"columns '1-32': start 1 must be a multiple of 32 (nearest: 0 or 32)");
	ok(C3, "cropping.rows", "0-71", NAN, NAN);
	refused(C3, "cropping.rows", "1,3", NAN, NAN, "rows '1,3': expected A-B within 0-511, e.g. 0-511");
	ok(C1, "cropping.columns", "1,3,9-10", NAN, NAN);
	ok(C1, "cropping.rows", "1,3,9,10-12,50", NAN, NAN);
	refused(C1, "cropping.rows", "0-63", NAN, NAN, "rows '0-63': row 0 is outside 1-256");
	ok(C3, "cropping", "on", NAN, NAN);
}

static void test_find_and_model(void **state)
{
	(void)state;
	assert_non_null(cred_param_find(C3, "FPS"));
	assert_null(cred_param_find(C3, "gain"));
	assert_null(cred_param_find(C3, "mode"));
	assert_null(cred_param_find(C1, "tint"));
	assert_null(cred_param_find(C1, "sensibility"));
	assert_null(cred_param_find(C1, "hdr"));
	assert_null(cred_param_find(C3, "nosuch"));
	assert_null(cred_param_find(C3, NULL));
	assert_null(cred_param_find(CRED_MODEL_UNKNOWN, "fps"));
	assert_int_equal(cred_param_count(CRED_MODEL_UNKNOWN), 0);
	assert_null(cred_param_at(C3, cred_param_count(C3)));
	for (size_t i = 0; i < cred_param_count(C3); i++)
		assert_int_equal(cred_param_model(cred_param_at(C3, i)), C3);
	for (size_t i = 0; i < cred_param_count(C1); i++)
		assert_int_equal(cred_param_model(cred_param_at(C1, i)), C1);
	{
		struct cred_param copy = *param(C3, "fps");

		assert_int_equal(cred_param_model(&copy), CRED_MODEL_UNKNOWN);
	}
}

static void test_firmware(void **state)
{
	(void)state;
	assert_null(cred_param_firmware(param(C3, "fps"), "100"));
	/* only the set hdr rows carry 3.1.1: reading HDR is not gated */
	assert_string_equal(cred_param_firmware(param(C3, "hdr"), "on"), "3.1.1");
	assert_null(cred_param_firmware(param(C3, "hdr"), NULL));
	assert_null(cred_param_firmware(param(C3, "hdr.extended"), NULL));
	assert_null(cred_param_firmware(param(C3, "hdr.calibration"), NULL));
	assert_string_equal(cred_param_firmware(param(C3, "hdr.calibration"), "c1"), "3.1.1");
	/* table 1.1.1, prose 1.1.0: the lower gate, the camera decides */
	assert_string_equal(cred_param_firmware(param(C3, "extsynchro.source"), NULL), "1.1.0");
	assert_string_equal(cred_param_firmware(param(C3, "extsynchro.source"), "external"), "1.1.0");
	assert_string_equal(cred_param_firmware(param(C3, "extsynchro.source"), "CC2"), "1.1.0");
	assert_string_equal(cred_param_firmware(param(C3, "extmarker.source"), NULL), "1.1.0");
	assert_string_equal(cred_param_firmware(param(C3, "extmarker.source"), "external"), "1.1.0");
	assert_string_equal(cred_param_firmware(param(C3, "swsynchro.source"), "swtrig"), "1.1.0");
	assert_null(cred_param_firmware(param(C3, "darkoptimlevel"), NULL));
	assert_string_equal(cred_param_firmware(param(C3, "darkoptimlevel"), "50"), "3.1.1");
	assert_string_equal(cred_param_firmware(param(C3, "tuning"), "general_use"), "1.1.0");
}

static void normalized(const char *name, const char *value, const char *want)
{
	char out[64];

	assert_int_equal(cred_param_normalize(param(C3, name), value, out, sizeof(out)), CRED_OK);
	assert_string_equal(out, want);
}

static void test_units(void **state)
{
	char out[64];
	double v;

	(void)state;
	normalized("tint", "5ms", "0.005");
	normalized("tint", "200us", "0.0002");
	normalized("tint", "200 us", "0.0002");
	normalized("tint", "165ns", "1.65e-07");
	normalized("tint", "0.005", "0.005");
	normalized("tint", "2s", "2");
	normalized("fps", "2kHz", "2000");
	normalized("fps", "50Hz", "50");
	normalized("darkoptimlevel", "50%", "50");
	normalized("sensibility", "low", "low");
	assert_int_equal(cred_param_normalize(param(C3, "tint"), "5parsec", out, sizeof(out)), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(),
			    "tint must be a number in s, or with a unit: s, ms, us, ns (got '5parsec')");
	assert_int_equal(cred_param_normalize(param(C3, "fps"), "10ms", out, sizeof(out)), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "Hz, kHz"));
	assert_int_equal(cred_param_normalize(param(C3, "aduoffset"), "5V", out, sizeof(out)), CRED_ERR_ARG);
	assert_int_equal(cred_unit_parse("1e-3mbar", "mbar", &v), CRED_OK);
	assert_true(v == 1e-3);
	assert_int_equal(cred_unit_parse("50Pa", "mbar", &v), CRED_OK);
	assert_true(v == 0.5);
	assert_int_equal(cred_unit_parse("ms", "s", &v), CRED_ERR_ARG);
	assert_int_equal(cred_unit_parse("5 kg", "mbar", &v), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "expected mbar, Pa, bar"));
}

static void test_moves_and_settings(void **state)
{
	const struct cred_param *fps = param(C3, "fps"), *mode = param(C1, "mode");

	(void)state;
	/* the manual's couplings live in the tables */
	assert_non_null(fps->moves);
	assert_string_equal(fps->moves[0], "tint");
	assert_non_null(mode->moves);
	assert_string_equal(mode->moves[0], "gain");
	assert_null(param(C3, "bias")->moves);
	assert_true(cred_param_is_setting(fps));
	assert_false(cred_param_is_setting(param(C3, "preset")));
	assert_false(cred_param_is_setting(param(C3, "events")));
	assert_false(cred_param_is_setting(param(C3, "ip.address")));
	assert_false(cred_param_is_setting(param(C3, "maxfps")));
	assert_false(cred_param_is_setting(param(C3, "voltage.vref")));
	/* every name a moves list gives is a readable parameter of its model */
	for (enum cred_model_id m = CRED_MODEL_CRED3; m <= CRED_MODEL_CREDONE; m++)
		for (size_t i = 0; i < cred_param_count(m); i++) {
			const struct cred_param *p = cred_param_at(m, i);

			for (size_t k = 0; p->moves && p->moves[k]; k++) {
				const struct cred_param *q = cred_param_find(m, p->moves[k]);

				assert_non_null(q);
				assert_non_null(q->get_cmd);
			}
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_switch_choice_text),
		cmocka_unit_test(test_crop_params),
		cmocka_unit_test(test_find_and_model),
		cmocka_unit_test(test_firmware),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_moves_and_settings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Strict answers: what the cameras answer to "<get> raw", checked against
 * the form the manuals give (cred_param_check_answer), with vectors worked
 * out from the manuals: a byte lost on the line ("600" -> "60", "00";
 * "operational" -> "oational"; "0-319" -> "-319", "0319", "0-19") gives
 * either an answer out of form or one that only the double read catches.
 * Also the late-tail test behind the client's guard (cred_cli_is_tail_of)
 * and which parameters are read twice. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cli-impl.h"
#include "model-impl.h"

#define C3 CRED_MODEL_CRED3
#define C1 CRED_MODEL_CREDONE

static void ok(enum cred_model_id m, const char *name, const char *answer)
{
	const struct cred_param *p = cred_param_find(m, name);

	assert_non_null(p);
	if (cred_param_check_answer(p, answer) != CRED_OK)
		fail_msg("%s: '%s' refused: %s", name, answer, cred_last_error());
}

static void bad(enum cred_model_id m, const char *name, const char *answer, const char *msg)
{
	const struct cred_param *p = cred_param_find(m, name);

	assert_non_null(p);
	if (cred_param_check_answer(p, answer) != CRED_ERR_PROTO)
		fail_msg("%s: '%s' taken", name, answer);
	if (msg)
		assert_string_equal(cred_last_error(), msg);
}

/* "fps raw gives 600" (C-RED 3 manual, section 9); field answers carry
 * decimals ("602.673549000"); a cropped sensor runs faster than 600. */
static void test_numbers(void **state)
{
	(void)state;
	ok(C3, "fps", "600");
	ok(C3, "fps", "602.673549000");
	ok(C3, "fps", "0.0001");
	ok(C3, "fps", "4800");                 /* cropped */
	ok(C3, "fps", "60");                   /* 600 cut: in form, the double read catches it */
	bad(C3, "fps", "00", "expected a number between 0.0001 and 1000000");
	bad(C3, "fps", "6 0", NULL);
	bad(C3, "fps", "60O", NULL);
	bad(C3, "fps", "", "expected a value, got nothing");
	bad(C3, "fps", "1e9", NULL);
	ok(C3, "tint", "0.00166355551");
	ok(C3, "tint", "1.64708466e-07");     /* the camera's shortest, under the manual's rounded 165 ns */
	bad(C3, "tint", "6355551", NULL);     /* the late tail of 0.00166355551 */
	bad(C3, "tint", "0.0016635555.1", NULL);
	ok(C3, "mintint", "2.7451411e-06");
	bad(C3, "maxfps", "-600", NULL);
	/* "temperatures CPU raw" gives "33.50" (manual, Commands format detail) */
	ok(C3, "temperatures.cpu", "33.50");
	ok(C3, "temperatures.snake", "-40.00");
	bad(C3, "temperatures.cpu", "3350", "expected a number between -100 and 200");
	bad(C3, "temperatures.cpu", "33.5.0", NULL);
	/* Integers: preset 0-9, darkoptimlevel a percentage, aduoffset 16 bits. */
	ok(C3, "preset", "0");
	bad(C3, "preset", "ium", "expected an integer between 0 and 9");
	bad(C3, "preset", "10", NULL);
	bad(C3, "darkoptimlevel", "50.0", NULL);
	bad(C3, "darkoptimlevel", "500", NULL);
	ok(C3, "aduoffset", "0");
	bad(C3, "aduoffset", "-1", NULL);
	/* C-RED One: fps 3447 (manual 8), pressure in mbar, kelvin. */
	ok(C1, "fps", "3447");
	ok(C1, "pressure", "2.3e-05");
	bad(C1, "pressure", "2.3e05", "expected a number between 0 and 2000");
	bad(C1, "pressure", "2.3-05", NULL);
	ok(C1, "temperatures.cryostat.diode", "80.00");
	bad(C1, "temperatures.cryostat.diode", "8000", NULL);
	ok(C1, "gain", "1");
	bad(C1, "gain", "0", NULL);
	bad(C1, "resetwidth", "6", "expected an integer between 8 and 64");
}

static void test_states(void **state)
{
	(void)state;
	/* C-RED 3 manual, section 6 "Camera status" */
	ok(C3, "status", "operational");
	ok(C3, "status", "prevsafe");
	ok(C3, "status", "presave");          /* field spelling */
	ok(C3, "status", "Operational");
	bad(C3, "status", "oational", "expected one of starting, configuring, operational, safe, "
	    "prevsafe, presave, locked, busy");
	bad(C3, "status", "operational.", NULL);
	bad(C3, "status", "isbeingcooled", NULL); /* a C-RED One state */
	/* C-RED One manual, `status` */
	ok(C1, "status", "isbeingcooled");
	ok(C1, "status", "vacuumrege");
	bad(C1, "status", "tional", NULL);
	bad(C1, "status", "busy", NULL);
}

static void test_switches_choices(void **state)
{
	(void)state;
	ok(C3, "bias", "on");
	ok(C3, "bias", "OFF");
	bad(C3, "bias", "of", "expected on or off");
	bad(C3, "bias", "ff", NULL);
	bad(C3, "bias", "n", NULL);
	bad(C3, "bias", "onn", NULL);
	/* C-RED One `cropping raw` (field notes) and credsim's form */
	ok(C1, "cropping", "on:c0-c1:r0-r1");
	ok(C1, "cropping", "off:1-10:1-256");
	bad(C1, "cropping", "of:1-10:1-256", NULL);
	bad(C1, "cropping", "on:", NULL);
	bad(C1, "cropping", "on:1 0", NULL);
	ok(C3, "sensibility", "medium");
	bad(C3, "sensibility", "ium", "expected one of low, medium, high");
	bad(C3, "sensibility", "medum", NULL);
	ok(C1, "mode", "globalresetcds");
	ok(C1, "mode", "rollingresetcds");    /* the old name */
	bad(C1, "mode", "globalresetcd", NULL);
	/* set with enable/disable, read as on/off */
	ok(C3, "telnet", "on");
	ok(C3, "telnet", "disable");
	bad(C3, "telnet", "of", NULL);
	ok(C1, "remotemaintenance", "off");
	ok(C3, "ip.address", "192.168.0.20");
	bad(C3, "ip.address", "192.168.020", "expected an IPv4 address");
	ok(C3, "version.firmware", "3.1.1");
	bad(C3, "hwuid", "", NULL);
}

/* Cropping: C-RED 3 "A-B" in blocks (manual: columns in 32, rows in 4);
 * C-RED One 1-based lists. */
static void test_windows(void **state)
{
	(void)state;
	ok(C3, "cropping.columns", "0-319");
	ok(C3, "cropping.columns", "0-639");
	bad(C3, "cropping.columns", "-319", "columns '-319': expected A-B within 0-639, e.g. 0-639");
	bad(C3, "cropping.columns", "0319", NULL);
	bad(C3, "cropping.columns", "0-19", NULL);
	bad(C3, "cropping.columns", "0-39", NULL);
	ok(C3, "cropping.columns", "0-31");   /* 0-319 cut: in form, the double read catches it */
	ok(C3, "cropping.rows", "0-255");
	bad(C3, "cropping.rows", "0-25", NULL);
	bad(C3, "cropping.rows", "0-511-", NULL);
	ok(C1, "cropping.columns", "1-10");
	ok(C1, "cropping.columns", "1,3,9-10");
	bad(C1, "cropping.columns", "1-0", NULL);
	bad(C1, "cropping.columns", "110", NULL);
	bad(C1, "cropping.columns", "1,,3", NULL);
	ok(C1, "cropping.rows", "1-256");
	bad(C1, "cropping.rows", "-256", NULL);
}

/* What decides geometry or goes into files is read twice. */
static void test_confirmed(void **state)
{
	static const char *const cred3[] = {
		"fps", "tint", "cropping", "cropping.columns", "cropping.rows", "hdr", "hdr.extended",
		"imagetags", "sensibility", "version.firmware", "hwuid", NULL,
	};
	static const char *const credone[] = {
		"fps", "mode", "gain", "cropping", "cropping.columns", "cropping.rows", "rawimages",
		"nbreadworeset", "nsamplepixel", "nloop", "temperatures.cryostat.setpoint", NULL,
	};

	(void)state;
	for (size_t i = 0; cred3[i]; i++)
		assert_true(cred_param_find(C3, cred3[i])->flags & CRED_PARAM_CONFIRM);
	for (size_t i = 0; credone[i]; i++)
		assert_true(cred_param_find(C1, credone[i])->flags & CRED_PARAM_CONFIRM);
	assert_false(cred_param_find(C3, "led")->flags & CRED_PARAM_CONFIRM);
	assert_false(cred_param_find(C3, "status")->flags & CRED_PARAM_CONFIRM);
	/* measurements drift between two reads: they agree in layout */
	assert_true(cred_param_find(C3, "temperatures.snake")->flags & CRED_PARAM_DRIFTS);
	assert_true(cred_param_find(C1, "pressure")->flags & CRED_PARAM_DRIFTS);
	assert_true(cred_param_find(C1, "temperatures.cryostat.diode")->flags & CRED_PARAM_DRIFTS);
	assert_false(cred_param_find(C3, "fps")->flags & CRED_PARAM_DRIFTS);
}

/* The late-tail test: a proper end of an earlier answer. */
static void test_tails(void **state)
{
	(void)state;
	assert_true(cred_cli_is_tail_of("00", "600"));
	assert_true(cred_cli_is_tail_of("ium", "medium"));
	assert_true(cred_cli_is_tail_of("6355551", "0.00166355551"));
	assert_true(cred_cli_is_tail_of("1-06-15 10:21:03\n2.4.0", "3.1.1\n2021-06-15 10:21:03\n2.4.0"));
	assert_false(cred_cli_is_tail_of("600", "600"));   /* the same value again */
	assert_false(cred_cli_is_tail_of("off", "on"));
	assert_false(cred_cli_is_tail_of("60", "600"));    /* a start, not an end */
	assert_false(cred_cli_is_tail_of("", "600"));
	assert_false(cred_cli_is_tail_of("00", NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_switches_choices),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_confirmed),
		cmocka_unit_test(test_tails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of the pure text classification behind the CLI client:
 * rejections (and the values that must not look like one), read-only
 * commands, event lines, line noise and per-command timeouts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cli-impl.h"

static void test_rejections(void **state)
{
	static const char *const rejected[] = {
		"Syntax error next to 'xyz'",
		"syntax error next to 'set fps: abc'",
		"Error: value out of range",
		"ERROR",
		"error while writing flash",
		"Command failed",
		"fail",
		"set cropping failed: invalid columns",
		"Result: ERROR",
		"Result: KO",
		"Result:failed",
		"Compute bias image........Failed",
		"Sensor communication failure",
		"Frames per second: error",
		"Failed to open file",
		"Error: 3",
		/* refused after starting: the last line tells */
		"Compute bias image........\nError: no dark frames",
		/* refused at once: the first line tells */
		"Error: unknown parameter\nUsage: set fps <fps>",
		/* an error opening a line inside a longer answer */
		"Compute bias image\nError: sensor busy\nAborted",
		"  Error: padded  ",
		"\r\nSyntax error next to 'x'\r\n",
	};

	for (size_t i = 0; i < sizeof(rejected) / sizeof(rejected[0]); i++)
		if (!cred_cli_is_rejection(rejected[i]))
			fail_msg("not taken for a rejection: \"%s\"", rejected[i]);
}

static void test_not_rejections(void **state)
{
	static const char *const fine[] = {
		"",
		"600",
		"Frames per second: 602.673549000",
		"Cropping off: columns: 0-639 rows:    0-511",
		"integration time for current configuration: 0.000103382",
		"Result: OK",
		"Result:OK",
		"Result: done",
		"Last status change reason: none",
		"Last status change reason: cooling failure",
		"status: operational",
		"Last error: none",
		"Errors: 0",
		"Error count: 0",
		"Fail count: 0.0",
		"Compute bias image........Done",
		"Bad pixel correction: on",
		"terror mirror",
		"fail-safe mode: on",
		"bias_error_count 12",
		"Events: on",
		"on:c0-c1:r0-r1",
		/* a help listing: a description in the middle says "in error" */
		"save      Save current camera settings\n"
		"continue  Continue camera starting even if at the last use, the camera was in error\n"
		"shutdown  Shutdown the camera",
		"Temperature: 33.5\xc2\xb0" "C",
		"Firmware: 3.1.1\nErrors logged: 0",
		"Firmware: 3.1.1\nErrors: none\nFPGA: 2.0",
	};

	for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
		if (cred_cli_is_rejection(fine[i]))
			fail_msg("taken for a rejection: \"%s\"", fine[i]);
	assert_false(cred_cli_is_rejection(NULL));
}

static void test_read_only(void **state)
{
	static const char *const reads[] = {
		"fps", "fps raw", "temperatures CPU raw", "status detailed", "cropping columns",
		"buildnuc progress", "BUILDNUC PROGRESS raw", "recvfile userbadpixel size",
		"remotemaintenance", "remotemaintenance status", "help", "", "getter nbregeneration",
		"version firmware detailed", "password", "events", "settings", "executive",
		"swtriggered", "savestate",
	};
	static const char *const writes[] = {
		"set fps 100", "SET fps 100", "  set cropping on", "set", "exec buildbias",
		"exec upgradefirmware http://x/fw.tar", "save", "continue", "shutdown", "reboot",
		"restorefactory", "sendfile bias 4 0123", "xsendfile flat 4 0123",
		"getbias http://h/b.bin", "getbias_hdr_c1 http://h/b.bin", "getflat http://h/f",
		"getflat_hdr_c2 http://h/f", "gettestpattern http://h/p.tar.gz", "swtrig",
		"swtrigabort", "buildnuc bias 100", "buildnuc abort", "remotemaintenance enable",
		"remotemaintenance disable", "preset", "preset 3", "set preset 2",
		"set events on", "set ip address 10.0.0.2",
	};

	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		if (!cred_cli_is_read_only(reads[i]))
			fail_msg("not read-only: \"%s\"", reads[i]);
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++)
		if (cred_cli_is_read_only(writes[i]))
			fail_msg("taken for read-only: \"%s\"", writes[i]);
	assert_false(cred_cli_is_read_only(NULL));
}

static void test_event_lines(void **state)
{
	assert_true(cred_cli_is_event_line("event: status changed to operational"));
	assert_true(cred_cli_is_event_line("EVENT: cooling on"));
	assert_true(cred_cli_is_event_line("Event water temperature high"));
	assert_true(cred_cli_is_event_line("event:x"));
	assert_false(cred_cli_is_event_line("events: on"));
	assert_false(cred_cli_is_event_line("Events sending: off"));
	assert_false(cred_cli_is_event_line("event"));
	assert_false(cred_cli_is_event_line(" an event: x"));
	assert_false(cred_cli_is_event_line("600"));
}

static void test_garbage(void **state)
{
	assert_false(cred_cli_has_garbage("Frames per second: 600\r\n\t", 25));
	assert_false(cred_cli_has_garbage("33.5\xc2\xb0" "C", 7));
	assert_false(cred_cli_has_garbage("", 0));
	assert_true(cred_cli_has_garbage("60\0" "0", 4));
	assert_true(cred_cli_has_garbage("\x13" "600", 4));
	assert_true(cred_cli_has_garbage("600\x7f", 4));
	assert_true(cred_cli_has_garbage("\xff\xfe", 2));
	assert_true(cred_cli_has_garbage("33.5\xb0" "C", 6));  /* Latin-1, not UTF-8 */
	assert_true(cred_cli_has_garbage("\xc2", 1));           /* cut sequence */
	assert_true(cred_cli_has_garbage("\x1b[0m", 4));
}

/* The timeouts live in the rows of each model's command table; with no
 * model the first row of any model that matches counts. */
static void test_timeouts(void **state)
{
	enum cred_model_id any = CRED_MODEL_UNKNOWN;

	(void)state;
	assert_int_equal(cred_cli_default_timeout(any, "fps raw", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "set fps 100", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "shutdown", 2000), 5000);
	assert_int_equal(cred_cli_default_timeout(any, "reboot", 2000), 15000);
	assert_int_equal(cred_cli_default_timeout(any, "restorefactory", 2000), 15000);
	assert_int_equal(cred_cli_default_timeout(any, "save", 2000), 10000);
	assert_int_equal(cred_cli_default_timeout(any, "set preset 3", 2000), 10000);
	assert_int_equal(cred_cli_default_timeout(any, "set cropping columns 0-319", 2000), 5000);
	assert_int_equal(cred_cli_default_timeout(any, "SET Mode  globalresetcds", 2000), 5000);
	assert_int_equal(cred_cli_default_timeout(any, "exec buildbias", 2000), 120000);
	assert_int_equal(cred_cli_default_timeout(any, "exec dellicense x", 2000), 30000);
	assert_int_equal(cred_cli_default_timeout(any, "exec upgradefirmware http://h/f", 2000), 600000);
	assert_int_equal(cred_cli_default_timeout(any, "exec logs 2024-05-01 12:00", 2000), 60000);
	assert_int_equal(cred_cli_default_timeout(any, "buildnuc bias 100", 2000), 10000);
	assert_int_equal(cred_cli_default_timeout(any, "buildnuc progress", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "buildnuc progress raw", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "getflat_hdr_c1 http://h/f", 2000), 60000);
	/* per model: the C-RED One has no buildnuc, the C-RED 3 no set mode */
	assert_int_equal(cred_cli_default_timeout(CRED_MODEL_CRED3, "buildnuc bias 100", 2000), 10000);
	assert_int_equal(cred_cli_default_timeout(CRED_MODEL_CREDONE, "buildnuc bias 100", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(CRED_MODEL_CRED3, "set mode globalresetcds", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(CRED_MODEL_CREDONE, "exec redovacuum", 2000), 30000);
	/* a longer default set by the caller still wins */
	assert_int_equal(cred_cli_default_timeout(any, "shutdown", 8000), 8000);
	assert_int_equal(cred_cli_default_timeout(any, "fps", 8000), 8000);
	/* words, not prefixes; commands in no row get the default */
	assert_int_equal(cred_cli_default_timeout(any, "saved", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "set modeX 1", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, "set mode cds", 2000), 2000);
	assert_int_equal(cred_cli_default_timeout(any, NULL, 2000), 2000);
}

static void test_grace(void **state)
{
	enum cred_model_id any = CRED_MODEL_UNKNOWN;

	(void)state;
	assert_int_equal(cred_cli_grace_ms(any, "fps"), CLI_GRACE_MS);
	assert_int_equal(cred_cli_grace_ms(any, "pressure"), CLI_GRACE_TAIL_MS);
	assert_int_equal(cred_cli_grace_ms(any, "pressure raw"), CLI_GRACE_TAIL_MS);
	assert_int_equal(cred_cli_grace_ms(CRED_MODEL_CREDONE, "pressure raw"), CLI_GRACE_TAIL_MS);
	assert_int_equal(cred_cli_grace_ms(CRED_MODEL_CRED3, "pressure raw"), CLI_GRACE_MS);
	assert_int_equal(cred_cli_grace_ms(any, "set cropping on"), CLI_GRACE_TAIL_MS);
	assert_int_equal(cred_cli_grace_ms(CRED_MODEL_CRED3, "set cropping rows 0-255"), CLI_GRACE_TAIL_MS);
	assert_int_equal(cred_cli_grace_ms(any, ""), CLI_GRACE_MS);
	assert_int_equal(cred_cli_grace_ms(any, NULL), CLI_GRACE_MS);
}

static void test_escape(void **state)
{
	char *s = cred_cli_escape("a\r\n\x01\\b", 6, 100);

	assert_string_equal(s, "a\\r\\n\\x01\\\\b");
	free(s);
	s = cred_cli_escape("abcdef", 6, 3);
	assert_string_equal(s, "abc...");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_not_rejections),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_event_lines),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_timeouts),
		cmocka_unit_test(test_grace),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests of lib/clock.c (cred-clock.h) and cred_port_resolve: the one
 * clock, UTC stamps in every form the suite writes, and where a port spec
 * comes from. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cred.h"

static void test_monotonic(void **state)
{
	long long a = cred_now_ms();
	double s = cred_now_s();
	struct timespec nap = { 0, 20 * 1000000L };

	nanosleep(&nap, NULL);
	assert_true(cred_now_ms() >= a + 20);
	assert_true(cred_now_s() >= s + 0.02);
	/* Both read the same clock: a reading in seconds falls between two
	 * in milliseconds. */
	a = cred_now_ms();
	s = cred_now_s();
	assert_true(a <= (long long)(s * 1000) + 1 && (long long)(s * 1000) <= cred_now_ms() + 1);
}

static void test_wall_clock(void **state)
{
	double t = cred_now_utc();
	time_t now = time(NULL);

	assert_true(t > 1.6e9);
	assert_true(t >= (double)now - 2 && t <= (double)now + 2);
}

static void test_format_utc(void **state)
{
	char buf[40];

	cred_format_utc(0, 0, 1, buf, sizeof(buf));
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	cred_format_utc(1717243200.5, 0, 0, buf, sizeof(buf)); /* rounds to the second */
	assert_string_equal(buf, "2024-06-01T12:00:01");
	cred_format_utc(1717243200.123456, 6, 0, buf, sizeof(buf));
	assert_string_equal(buf, "2024-06-01T12:00:00.123456");
	cred_format_utc(1717243200.25, 2, 1, buf, sizeof(buf));
	assert_string_equal(buf, "2024-06-01T12:00:00.25Z");
	/* A fraction that rounds up carries into the seconds. */
	cred_format_utc(1717243259.9999999, 3, 1, buf, sizeof(buf));
	assert_string_equal(buf, "2024-06-01T12:01:00.000Z");
	cred_format_utc(0, 9, 0, buf, sizeof(buf)); /* at most 6 digits */
	assert_string_equal(buf, "1970-01-01T00:00:00.000000");
	cred_format_utc(0, 0, 1, buf, 11); /* cut, never overrun */
	assert_string_equal(buf, "1970-01-01");
}

static void test_port_resolve(void **state)
{
	int named = -1;

	unsetenv("CRED_PORT");
	assert_string_equal(cred_port_resolve(NULL, &named), "auto");
	assert_int_equal(named, 0);
	assert_string_equal(cred_port_resolve("tcp:cam", &named), "tcp:cam");
	assert_int_equal(named, 1);
	setenv("CRED_PORT", "", 1); /* empty counts as unset */
	assert_string_equal(cred_port_resolve(NULL, &named), "auto");
	assert_int_equal(named, 0);
	setenv("CRED_PORT", "/dev/ttyACM3", 1);
	assert_string_equal(cred_port_resolve(NULL, &named), "/dev/ttyACM3");
	assert_int_equal(named, 1);
	/* The caller's spec wins over the environment; "auto" said is named. */
	assert_string_equal(cred_port_resolve("auto", &named), "auto");
	assert_int_equal(named, 1);
	assert_string_equal(cred_port_resolve(NULL, NULL), "/dev/ttyACM3");
	unsetenv("CRED_PORT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_wall_clock),
		cmocka_unit_test(test_format_utc),
		cmocka_unit_test(test_port_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

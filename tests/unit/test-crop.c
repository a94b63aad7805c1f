/* Cropping rules of both models: valid windows with their pixel counts,
 * edges, and every kind of bad input with the message it must produce. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cred-model.h"

#define C3 CRED_MODEL_CRED3
#define C1 CRED_MODEL_CREDONE

struct crop_case {
	enum cred_model_id model;
	const char *axis;
	const char *value;
	int count;          /* expected pixel count; -1: must be rejected */
	const char *needle; /* rejected: text the message must contain */
};

static const struct crop_case cases[] = {
	/* C-RED 3 columns: 0-639, start and size multiples of 32 */
	{ C3, "columns", "0-639", 640, NULL },
	{ C3, "columns", "0-31", 32, NULL },
	{ C3, "columns", "32-63", 32, NULL },
	{ C3, "columns", "608-639", 32, NULL },
	{ C3, "columns", "0-95", 96, NULL },
	{ C3, "columns", "320-351", 32, NULL },
	{ C3, "columns", "96-639", 544, NULL },
	{ C3, "columns", "0-640", -1, "end 640 is beyond 639" },
	{ C3, "columns", "640-671", -1, "end 671 is beyond 639" },
	{ C3, "columns", "1-32", -1, "start 1 must be a multiple of 32 (nearest: 0 or 32)" },
	{ C3, "columns", "33-63", -1, "start 33 must be a multiple of 32 (nearest: 32 or 64)" },
	{ C3, "columns", "0-30", -1, "end+1 must be a multiple of 32 (try end 31)" },
	{ C3, "columns", "0-100", -1, "end+1 must be a multiple of 32 (nearest end: 95 or 127)" },
	{ C3, "columns", "0-0", -1, "try end 31" },
	{ C3, "columns", "64-31", -1, "start 64 is after end 31" },
	{ C3, "columns", "0-638", -1, "nearest end: 607 or 639" },
	{ C3, "columns", "32", -1, "expected A-B within 0-639" },
	{ C3, "columns", "0-", -1, "expected A-B" },
	{ C3, "columns", "-639", -1, "expected A-B" },
	{ C3, "columns", "0 -639", -1, "expected A-B" },
	{ C3, "columns", " 0-639", -1, "expected A-B" },
	{ C3, "columns", "0-639 ", -1, "expected A-B" },
	{ C3, "columns", "+0-639", -1, "expected A-B" },
	{ C3, "columns", "0x0-639", -1, "expected A-B" },
	{ C3, "columns", "0-639-1", -1, "expected A-B" },
	{ C3, "columns", "0,639", -1, "expected A-B" },
	{ C3, "columns", "a-b", -1, "expected A-B" },
	{ C3, "columns", "0000000-639", -1, "expected A-B" },
	{ C3, "columns", "", -1, "no cropping window" },
	/* C-RED 3 rows: 0-511, start and size multiples of 4 */
	{ C3, "rows", "0-511", 512, NULL },
	{ C3, "rows", "0-3", 4, NULL },
	{ C3, "rows", "4-7", 4, NULL },
	{ C3, "rows", "508-511", 4, NULL },
	{ C3, "rows", "100-171", 72, NULL },
	{ C3, "rows", "256-511", 256, NULL },
	{ C3, "rows", "1-4", -1, "start 1 must be a multiple of 4 (nearest: 0 or 4)" },
	{ C3, "rows", "0-4", -1, "end+1 must be a multiple of 4 (nearest end: 3 or 7)" },
	{ C3, "rows", "0-512", -1, "end 512 is beyond 511" },
	{ C3, "rows", "8-3", -1, "start 8 is after end 3" },
	{ C3, "rows", "0-510", -1, "nearest end: 507 or 511" },
	{ C3, "rows", "0-511,0-3", -1, "expected A-B within 0-511" },
	/* C-RED One columns: 32-pixel blocks 1-10, printer-style lists */
	{ C1, "columns", "1-10", 320, NULL },
	{ C1, "columns", "1", 32, NULL },
	{ C1, "columns", "10", 32, NULL },
	{ C1, "columns", "1,3,9-10", 128, NULL },
	{ C1, "columns", "2-2", 32, NULL },
	{ C1, "columns", "10,1", 64, NULL },
	{ C1, "columns", "1,2,3,4,5,6,7,8,9,10", 320, NULL },
	{ C1, "columns", "0", -1, "column block 0 is outside 1-10" },
	{ C1, "columns", "11", -1, "column block 11 is outside 1-10" },
	{ C1, "columns", "1-11", -1, "column block 11 is outside 1-10" },
	{ C1, "columns", "0-3", -1, "column block 0 is outside 1-10" },
	{ C1, "columns", "5-3", -1, "item 1 '5-3' is reversed (write 3-5)" },
	{ C1, "columns", "1-3,2", -1, "column block 2 is selected twice (items 1 and 2)" },
	{ C1, "columns", "1,1", -1, "column block 1 is selected twice" },
	{ C1, "columns", "1-5,5-10", -1, "column block 5 is selected twice" },
	{ C1, "columns", "1,,3", -1, "item 2 is empty" },
	{ C1, "columns", ",1", -1, "item 1 is empty" },
	{ C1, "columns", "1,", -1, "item 2 is empty" },
	{ C1, "columns", ",", -1, "item 1 is empty" },
	{ C1, "columns", "1 ,2", -1, "item 1 '1 ' is not N or A-B" },
	{ C1, "columns", "1-", -1, "item 1 '1-' is not N or A-B" },
	{ C1, "columns", "-1", -1, "item 1 '-1' is not N or A-B" },
	{ C1, "columns", "1-2-3", -1, "is not N or A-B" },
	{ C1, "columns", "1;2", -1, "is not N or A-B" },
	{ C1, "columns", "a", -1, "is not N or A-B" },
	{ C1, "columns", "", -1, "no cropping window" },
	/* C-RED One rows: 1-256 */
	{ C1, "rows", "1-256", 256, NULL },
	{ C1, "rows", "1,3,9,10-12,50", 7, NULL },
	{ C1, "rows", "256", 1, NULL },
	{ C1, "rows", "1", 1, NULL },
	{ C1, "rows", "1-128,129-256", 256, NULL },
	{ C1, "rows", "0", -1, "row 0 is outside 1-256" },
	{ C1, "rows", "257", -1, "row 257 is outside 1-256" },
	{ C1, "rows", "1-257", -1, "row 257 is outside 1-256" },
	{ C1, "rows", "10-12,12", -1, "row 12 is selected twice (items 1 and 2)" },
	{ C1, "rows", "12-10", -1, "reversed (write 10-12)" },
	{ C1, "rows", "1,2,,4", -1, "item 3 is empty" },
	{ C1, "rows", "1.5", -1, "is not N or A-B" },
};

static void test_crop_table(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct crop_case *c = &cases[i];
		int count = 12345, r = cred_crop_check(c->model, c->axis, c->value, &count);

		if (c->count >= 0 && (r != CRED_OK || count != c->count)) {
			print_error("%s '%s': got %d (count %d, '%s'), want count %d\n", c->axis,
				    c->value, r, count, cred_last_error(), c->count);
			failures++;
		} else if (c->count < 0 && (r != CRED_ERR_ARG || count != 0 ||
					    !strstr(cred_last_error(), c->needle))) {
			print_error("%s '%s': got %d (count %d, '%s'), want a refusal with '%s'\n",
				    c->axis, c->value, r, count, cred_last_error(), c->needle);
			failures++;
		}
	}
	assert_int_equal(failures, 0);
}

/* Every aligned C-RED 3 window is accepted and every misaligned start or
 * end is refused: the whole grid, not a sample. */
static void test_cred3_grid(void **state)
{
	char v[32];
	int n;

	(void)state;
	for (int a = 0; a < 640; a++) {
		for (int b = a; b < 640; b += 7) {
			int ok = a % 32 == 0 && (b + 1) % 32 == 0;

			snprintf(v, sizeof(v), "%d-%d", a, b);
			assert_int_equal(cred_crop_check(C3, "columns", v, &n), ok ? CRED_OK : CRED_ERR_ARG);
			assert_int_equal(n, ok ? b - a + 1 : 0);
		}
	}
	for (int a = 0; a < 512; a++) {
		for (int b = a; b < 512; b++) {
			int ok = a % 4 == 0 && (b + 1) % 4 == 0;

			snprintf(v, sizeof(v), "%d-%d", a, b);
			assert_int_equal(cred_crop_check(C3, "rows", v, &n), ok ? CRED_OK : CRED_ERR_ARG);
		}
	}
}

static void test_count_optional_and_bad_args(void **state)
{
	(void)state;
	assert_int_equal(cred_crop_check(C3, "columns", "0-639", NULL), CRED_OK);
	assert_int_equal(cred_crop_check(C3, "cols", "0-639", NULL), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "columns or rows"));
	assert_int_equal(cred_crop_check(C3, NULL, "0-639", NULL), CRED_ERR_ARG);
	assert_int_equal(cred_crop_check(C3, "rows", NULL, NULL), CRED_ERR_ARG);
	assert_int_equal(cred_crop_check(CRED_MODEL_UNKNOWN, "rows", "0-511", NULL), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "known camera model"));
	/* A success clears the previous message. */
	assert_int_equal(cred_crop_check(C1, "rows", "1-2", NULL), CRED_OK);
	assert_string_equal(cred_last_error(), "");
}

static void test_window(void **state)
{
	(void)state;
	/* HDR: at least 96 columns x 72 rows on C-RED 3. */
	assert_int_equal(cred_crop_check_window(C3, "0-95", "0-71", 1), CRED_OK);
	assert_int_equal(cred_crop_check_window(C3, "0-639", "0-511", 1), CRED_OK);
	assert_int_equal(cred_crop_check_window(C3, NULL, NULL, 1), CRED_OK);
	assert_int_equal(cred_crop_check_window(C3, "0-63", "0-511", 1), CRED_ERR_ARG);
	assert_string_equal(cred_last_error(),
			    "HDR needs a window of at least 96x72 pixels (columns x rows; got 64x512)");
	assert_int_equal(cred_crop_check_window(C3, NULL, "0-67", 1), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "got 640x68"));
	assert_int_equal(cred_crop_check_window(C3, "0-63", "0-3", 0), CRED_OK);
	/* An axis error comes first, with its own message. */
	assert_int_equal(cred_crop_check_window(C3, "0-63", "1-4", 0), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "rows '1-4'"));
	/* No HDR minimum on C-RED One. */
	assert_int_equal(cred_crop_check_window(C1, "1", "1-2", 1), CRED_OK);
	assert_int_equal(cred_crop_check_window(C1, "1,11", NULL, 0), CRED_ERR_ARG);
	assert_int_equal(cred_crop_check_window(CRED_MODEL_UNKNOWN, NULL, NULL, 0), CRED_ERR_ARG);
}

/* Where a window starts on the sensor, 0-based, and whether it is one
 * run of pixels. */
static void test_first(void **state)
{
	int first = -1;

	(void)state;
	assert_int_equal(cred_crop_first(C3, "columns", "64-191", &first), 1);
	assert_int_equal(first, 64);
	assert_int_equal(cred_crop_first(C3, "rows", "4-7", &first), 1);
	assert_int_equal(first, 4);
	/* C-RED One: 1-based rows, 32-pixel column blocks, in any order */
	assert_int_equal(cred_crop_first(C1, "columns", "4-5,3", &first), 1);
	assert_int_equal(first, 64);
	assert_int_equal(cred_crop_first(C1, "rows", "10-20", &first), 1);
	assert_int_equal(first, 9);
	assert_int_equal(cred_crop_first(C1, "rows", "1", &first), 1);
	assert_int_equal(first, 0);
	/* several runs: no single offset */
	assert_int_equal(cred_crop_first(C1, "columns", "1,3", &first), 0);
	assert_int_equal(first, 0);
	assert_int_equal(cred_crop_first(C1, "rows", "9-10,250-256", &first), 0);
	assert_int_equal(first, 8);
	assert_int_equal(cred_crop_first(C3, "columns", "1-32", &first), CRED_ERR_ARG);
	assert_int_equal(first, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crop_table),
		cmocka_unit_test(test_cred3_grid),
		cmocka_unit_test(test_count_optional_and_bad_args),
		cmocka_unit_test(test_window),
		cmocka_unit_test(test_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Bad-pixel maps: the bit layout the manual gives (bit 7 is the leftmost
 * pixel of a byte), sizes per model, iteration order, merge and subtract,
 * the statistics of groups and unfixable pixels, and files that are not
 * maps (wrong size, a folder, missing). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred-bpm.h"

static struct cred_bpm *new_map(int w, int h)
{
	struct cred_bpm *m = NULL;

	assert_int_equal(cred_bpm_new(w, h, &m), CRED_OK);
	return m;
}

static void test_layout(void **state)
{
	struct cred_bpm *m = new_map(640, 512);
	const uint8_t *b;
	size_t len;

	assert_int_equal(cred_bpm_set(m, 0, 0, 1), CRED_OK);
	assert_int_equal(cred_bpm_set(m, 9, 0, 1), CRED_OK);
	assert_int_equal(cred_bpm_set(m, 7, 1, 1), CRED_OK);
	assert_int_equal(cred_bpm_set(m, 639, 511, 1), CRED_OK);
	b = cred_bpm_bytes(m, &len);
	assert_int_equal(len, 40960);
	assert_int_equal(b[0], 0x80);       /* x 0: bit 7 */
	assert_int_equal(b[1], 0x40);       /* x 9: second byte, bit 6 */
	assert_int_equal(b[80], 0x01);      /* row 1 starts at byte 80; x 7 is bit 0 */
	assert_int_equal(b[40959], 0x01);
	assert_int_equal(cred_bpm_count(m), 4);
	assert_int_equal(cred_bpm_get(m, 9, 0), 1);
	assert_int_equal(cred_bpm_get(m, 8, 0), 0);
	assert_int_equal(cred_bpm_set(m, 9, 0, 0), CRED_OK);
	assert_int_equal(cred_bpm_get(m, 9, 0), 0);
	assert_int_equal(cred_bpm_get(m, 640, 0), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "outside the 640x512 map"));
	assert_int_equal(cred_bpm_set(m, 0, -1, 1), CRED_ERR_ARG);
	cred_bpm_free(m);
}

static void test_sizes(void **state)
{
	static uint8_t buf[40961];
	struct cred_bpm *m = (void *)1;

	assert_int_equal(cred_bpm_from_bytes(buf, 40960, CRED_MODEL_UNKNOWN, &m), CRED_OK);
	assert_int_equal(cred_bpm_width(m), 640);
	assert_int_equal(cred_bpm_height(m), 512);
	cred_bpm_free(m);
	assert_int_equal(cred_bpm_from_bytes(buf, 10240, CRED_MODEL_UNKNOWN, &m), CRED_OK);
	assert_int_equal(cred_bpm_width(m), 320);
	assert_int_equal(cred_bpm_height(m), 256);
	cred_bpm_free(m);
	assert_int_equal(cred_bpm_from_bytes(buf, 10240, CRED_MODEL_CRED3, &m), CRED_ERR_DATA);
	assert_null(m);
	assert_non_null(strstr(cred_last_error(), "10240 bytes is not a C-RED 3 bad pixel map"));
	assert_int_equal(cred_bpm_from_bytes(buf, 40961, CRED_MODEL_UNKNOWN, &m), CRED_ERR_DATA);
	assert_int_equal(cred_bpm_check_size(0, CRED_MODEL_UNKNOWN), CRED_ERR_DATA);
	assert_int_equal(cred_bpm_new(641, 512, &m), CRED_ERR_ARG);
	assert_int_equal(cred_bpm_new(640, 0, &m), CRED_ERR_ARG);
}

static void test_iterate(void **state)
{
	struct cred_bpm *m = new_map(320, 256);
	static const int pts[][2] = { { 5, 0 }, { 319, 0 }, { 0, 1 }, { 100, 200 }, { 319, 255 } };
	size_t pos = 0, k = 0;
	int x, y;

	for (size_t i = 0; i < 5; i++)
		cred_bpm_set(m, pts[i][0], pts[i][1], 1);
	while (cred_bpm_next(m, &pos, &x, &y)) {
		assert_true(k < 5);
		assert_int_equal(x, pts[k][0]);
		assert_int_equal(y, pts[k][1]);
		k++;
	}
	assert_int_equal(k, 5);
	assert_int_equal(cred_bpm_next(m, &pos, &x, &y), 0);
	cred_bpm_free(m);
}

static void test_merge_subtract(void **state)
{
	struct cred_bpm *a = new_map(640, 512), *b = new_map(640, 512), *c = new_map(320, 256);
	struct cred_bpm *d = NULL;

	cred_bpm_set(a, 1, 1, 1);
	cred_bpm_set(a, 2, 2, 1);
	cred_bpm_set(b, 2, 2, 1);
	cred_bpm_set(b, 3, 3, 1);
	assert_int_equal(cred_bpm_subtract(b, a, &d), CRED_OK); /* added */
	assert_int_equal(cred_bpm_count(d), 1);
	assert_int_equal(cred_bpm_get(d, 3, 3), 1);
	cred_bpm_free(d);
	assert_int_equal(cred_bpm_merge(a, b), CRED_OK);
	assert_int_equal(cred_bpm_count(a), 3);
	assert_int_equal(cred_bpm_merge(a, c), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "differ in size"));
	assert_int_equal(cred_bpm_subtract(a, c, &d), CRED_ERR_ARG);
	assert_null(d);
	cred_bpm_free(a);
	cred_bpm_free(b);
	cred_bpm_free(c);
}

static void test_stats(void **state)
{
	struct cred_bpm *m = new_map(640, 512);
	struct cred_bpm_stats st;

	cred_bpm_set(m, 10, 10, 1);             /* isolated */
	for (int y = 100; y < 140; y++)          /* a column: one group, all fixable */
		cred_bpm_set(m, 417, y, 1);
	cred_bpm_set(m, 50, 50, 1);              /* three in a row: the middle one is unfixable */
	cred_bpm_set(m, 51, 50, 1);
	cred_bpm_set(m, 52, 50, 1);
	cred_bpm_set(m, 0, 300, 1);              /* at the edge with its only neighbour bad */
	cred_bpm_set(m, 1, 300, 1);
	cred_bpm_set(m, 200, 200, 1);            /* diagonal neighbours touch */
	cred_bpm_set(m, 201, 201, 1);
	assert_int_equal(cred_bpm_stats(m, &st), CRED_OK);
	assert_int_equal(st.bad, 1 + 40 + 3 + 2 + 2);
	assert_int_equal(st.pixels, 640 * 512);
	assert_int_equal(st.clusters, 4);
	assert_int_equal(st.clustered, 40 + 3 + 2 + 2);
	assert_int_equal(st.largest, 40);
	assert_int_equal(st.unfixable, 2);       /* (51,50) and (0,300) */
	cred_bpm_free(m);
}

static void test_load(void **state)
{
	char dir[] = "/tmp/test-bpm-XXXXXX", path[64];
	struct cred_bpm *m = NULL;
	static uint8_t buf[40960];
	FILE *f;

	assert_non_null(mkdtemp(dir));
	assert_int_equal(cred_bpm_load(dir, CRED_MODEL_UNKNOWN, &m), CRED_ERR_IO);
	assert_non_null(strstr(cred_last_error(), "Is a directory"));
	snprintf(path, sizeof(path), "%s/map.bpm", dir);
	assert_int_equal(cred_bpm_load(path, CRED_MODEL_UNKNOWN, &m), CRED_ERR_IO);
	assert_non_null(strstr(cred_last_error(), "No such file"));
	buf[5] = 0x10;
	f = fopen(path, "wb");
	fwrite(buf, 1, 40960, f);
	fwrite(buf, 1, 100, f);
	fclose(f);
	assert_int_equal(cred_bpm_load(path, CRED_MODEL_UNKNOWN, &m), CRED_ERR_DATA);
	assert_non_null(strstr(cred_last_error(), "map.bpm' is larger than any bad pixel map"));
	assert_int_equal(truncate(path, 40960), 0);
	assert_int_equal(cred_bpm_load(path, CRED_MODEL_CRED3, &m), CRED_OK);
	assert_int_equal(cred_bpm_count(m), 1);
	assert_int_equal(cred_bpm_get(m, 43, 0), 1);
	cred_bpm_free(m);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_iterate),
		cmocka_unit_test(test_merge_subtract),
		cmocka_unit_test(test_stats),
		cmocka_unit_test(test_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

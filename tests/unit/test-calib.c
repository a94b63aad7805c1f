/* Bias and flat correction files. Expected fixed-point patterns are worked
 * out by hand from the manual's bit layout (integer part in bits 15-13,
 * fraction in bits 12-0), not from the code under test. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cred-calib.h"

/* The two models, from the library's model table. */
static const struct cred_model *cred3, *credone;

static int setup_models(void **state)
{
	cred3 = cred_model_get(CRED_MODEL_CRED3);
	credone = cred_model_get(CRED_MODEL_CREDONE);
	return cred3 && credone ? 0 : -1;
}

#define assert_message_has(text) assert_non_null(strstr(cred_last_error(), text))

/* ---- one flat value ------------------------------------------------------ */

static void test_flat_value_encoding(void **state)
{
	static const struct {
		double factor;
		uint16_t raw;
	} cases[] = {
		{ 1.0, 0x2000 },                 /* 001 0000000000000 */
		{ 0.5, 0x1000 },                 /* 000 1000000000000 */
		{ 2.0, 0x4000 },                 /* 010 0000000000000 */
		{ 1.5, 0x3000 },                 /* 001 1000000000000 */
		{ 3.25, 0x6800 },                /* 011 0100000000000 */
		{ 0.0, 0x0000 },
		{ 1.0 / 8192, 0x0001 },          /* the smallest step */
		{ 7.0, 0xe000 },                 /* 111 0000000000000 */
		{ 7.9998779296875, 0xffff },     /* 111 1111111111111 = 7 + 8191/8192 */
		{ 7.9999, 0xffff },              /* 65535.18 rounds down */
		{ 1.0 + 0.4 / 8192, 0x2000 },    /* rounds to the nearest step */
		{ 1.0 + 0.6 / 8192, 0x2001 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t raw = 0x5555;

		assert_int_equal(cred_calib_flat_encode_value(cases[i].factor, &raw), CRED_OK);
		assert_int_equal(raw, cases[i].raw);
	}
}

static void test_flat_values_that_do_not_fit(void **state)
{
	const double bad[] = { 8.0, 7.99993896484375 /* 65535.5 steps */, 100.0, -0.0001, -1.0, NAN,
			       INFINITY };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint16_t raw = 0x5555;

		assert_int_equal(cred_calib_flat_encode_value(bad[i], &raw), CRED_ERR_ARG);
		assert_int_equal(raw, 0);
		assert_non_null(strstr(cred_last_error(), "does not fit"));
	}
}

static void test_flat_value_decoding(void **state)
{
	assert_true(cred_calib_flat_decode_value(0x2000) == 1.0);
	assert_true(cred_calib_flat_decode_value(0x1000) == 0.5);
	assert_true(cred_calib_flat_decode_value(0x6800) == 3.25);
	assert_true(cred_calib_flat_decode_value(0xffff) == 7.9998779296875);
	assert_true(cred_calib_flat_decode_value(0x0001) == 1.0 / 8192);
	assert_true(cred_calib_flat_decode_value(0) == 0.0);
}

/* ---- whole files ------------------------------------------------------- */

static double *filled(size_t n, double v)
{
	double *p = malloc(n * sizeof(*p));

	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		p[i] = v;
	return p;
}

/* Little-endian, row by row. */
static void test_flat_file_layout(void **state)
{
	int w = 32, h = 4;
	double *f = filled((size_t)w * h, 1.0);
	unsigned char out[32 * 4 * 2];
	size_t clamped = 99;

	f[1] = 3.25;
	f[w] = 0.5;  /* first pixel of the second row */
	assert_int_equal(cred_calib_flat_encode(cred3, w, h, f, 0, out, &clamped), CRED_OK);
	assert_int_equal(clamped, 0);
	assert_int_equal(out[0], 0x00);
	assert_int_equal(out[1], 0x20);
	assert_int_equal(out[2], 0x00);
	assert_int_equal(out[3], 0x68);
	assert_int_equal(out[2 * w], 0x00);
	assert_int_equal(out[2 * w + 1], 0x10);
	free(f);
}

static void test_flat_file_value_too_large(void **state)
{
	int w = 32, h = 4;
	double *f = filled((size_t)w * h, 1.0);
	unsigned char out[32 * 4 * 2];
	size_t clamped = 0;

	f[w * 2 + 5] = 8.0;   /* pixel (5, 2) */
	f[w * 3] = -0.25;     /* pixel (0, 3) */
	assert_int_equal(cred_calib_flat_encode(cred3, w, h, f, 0, out, NULL), CRED_ERR_DATA);
	assert_message_has("(5, 2)");
	assert_message_has("does not fit");
	assert_message_has("7.9998779296875");

	assert_int_equal(cred_calib_flat_encode(cred3, w, h, f, CRED_CALIB_CLAMP, out, &clamped),
			 CRED_OK);
	assert_int_equal(clamped, 2);
	assert_int_equal(out[2 * (w * 2 + 5)], 0xff);
	assert_int_equal(out[2 * (w * 2 + 5) + 1], 0xff);
	assert_int_equal(out[2 * (w * 3)], 0x00);
	assert_int_equal(out[2 * (w * 3) + 1], 0x00);
	free(f);
}

static void test_nan_never_encodes(void **state)
{
	int w = 32, h = 4;
	double *f = filled((size_t)w * h, 1.0);
	unsigned char out[32 * 4 * 2];

	f[7] = NAN;
	assert_int_equal(cred_calib_flat_encode(cred3, w, h, f, CRED_CALIB_CLAMP, out, NULL),
			 CRED_ERR_DATA);
	assert_message_has("(7, 0)");
	assert_message_has("not a number");
	assert_int_equal(cred_calib_bias_encode(cred3, w, h, f, CRED_CALIB_CLAMP, out, NULL),
			 CRED_ERR_DATA);
	free(f);
}

static void test_bias_encoding_and_range(void **state)
{
	int w = 32, h = 4;
	double *b = filled((size_t)w * h, 1000.0);
	unsigned char out[32 * 4 * 2];
	size_t clamped = 0;

	b[0] = 0x1234;
	b[1] = 16383;
	b[2] = 100.4;
	b[3] = 100.6;
	assert_int_equal(cred_calib_bias_encode(cred3, w, h, b, 0, out, &clamped), CRED_OK);
	assert_int_equal(out[0], 0x34);
	assert_int_equal(out[1], 0x12);
	assert_int_equal(out[2] | out[3] << 8, 16383);
	assert_int_equal(out[4] | out[5] << 8, 100);
	assert_int_equal(out[6] | out[7] << 8, 101);

	b[4] = 16384;  /* one above the C-RED 3 range */
	assert_int_equal(cred_calib_bias_encode(cred3, w, h, b, 0, out, NULL), CRED_ERR_DATA);
	assert_message_has("(4, 0)");
	assert_message_has("0 to 16383");
	b[5] = -3;
	assert_int_equal(cred_calib_bias_encode(cred3, w, h, b, CRED_CALIB_CLAMP, out, &clamped),
			 CRED_OK);
	assert_int_equal(clamped, 2);
	assert_int_equal(out[8] | out[9] << 8, 16383);
	assert_int_equal(out[10] | out[11] << 8, 0);

	/* The C-RED One's 16-bit ADC takes the whole range. */
	b[4] = 65535;
	b[5] = 0;
	assert_int_equal(cred_calib_bias_encode(credone, w, h, b, 0, out, NULL), CRED_OK);
	assert_int_equal(out[8] | out[9] << 8, 65535);
	b[4] = 65536;
	assert_int_equal(cred_calib_bias_encode(credone, w, h, b, 0, out, NULL), CRED_ERR_DATA);
	free(b);
}

static void test_bias_max(void **state)
{
	assert_int_equal(cred_calib_bias_max(cred3), 16383);
	assert_int_equal(cred_calib_bias_max(credone), 65535);
}

static void test_decode_round_trip(void **state)
{
	int w = 64, h = 8;
	size_t n = (size_t)w * h;
	double *f = malloc(n * sizeof(*f)), *back = malloc(n * sizeof(*back));
	uint16_t *bias = malloc(n * sizeof(*bias));
	unsigned char *file = malloc(n * 2);

	for (size_t i = 0; i < n; i++)
		f[i] = (double)i / 64.0;  /* multiples of 1/8192, all below 8 */
	assert_int_equal(cred_calib_flat_encode(cred3, w, h, f, 0, file, NULL), CRED_OK);
	assert_int_equal(cred_calib_flat_decode(file, n * 2, back), CRED_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(back[i] == f[i]);
	assert_int_equal(cred_calib_bias_decode(file, n * 2, bias), CRED_OK);
	assert_int_equal(bias[1], 128); /* 1/64 = 128/8192 */
	assert_int_equal(cred_calib_bias_decode(file, 3, bias), CRED_ERR_DATA);
	assert_message_has("odd");
	assert_int_equal(cred_calib_flat_decode(file, 5, back), CRED_ERR_DATA);
	free(f);
	free(back);
	free(bias);
	free(file);
}

/* ---- kinds and geometry -------------------------------------------------- */

static void test_kinds(void **state)
{
	const struct cred_calib_kind *k;

	assert_int_equal(cred_calib_kind_find(cred3, "flat_hdr_c2", &k), CRED_OK);
	assert_int_equal(k->type, CRED_CALIB_FLAT);
	assert_int_equal(k->hdr_capacitor, 2);
	assert_int_equal(cred_calib_kind_find(cred3, "bias_hdr_c1", &k), CRED_OK);
	assert_int_equal(k->type, CRED_CALIB_BIAS);
	assert_int_equal(k->hdr_capacitor, 1);
	assert_int_equal(cred_calib_kind_find(credone, "bias", &k), CRED_OK);
	assert_int_equal(cred_calib_kind_find(credone, "flat", &k), CRED_OK);
	assert_int_equal(cred_calib_kind_find(NULL, "bias_hdr_c2", &k), CRED_OK);

	assert_int_equal(cred_calib_kind_find(credone, "bias_hdr_c1", &k), CRED_ERR_SUPP);
	assert_null(k);
	assert_message_has("C-RED One");
	assert_int_equal(cred_calib_kind_find(cred3, "biass", &k), CRED_ERR_ARG);
	assert_message_has("'biass'");
	assert_message_has("flat_hdr_c1");
	assert_int_equal(cred_calib_kind_find(cred3, "userbadpixel", &k), CRED_ERR_ARG);
}

static void test_geometry(void **state)
{
	const struct cred_calib_kind *hdr;

	assert_int_equal(cred_calib_kind_find(cred3, "bias_hdr_c1", &hdr), CRED_OK);
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 640, 512), CRED_OK);
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 32, 4), CRED_OK);
	assert_int_equal(cred_calib_check_geometry(cred3, hdr, 96, 72), CRED_OK);

	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 100, 512), CRED_ERR_ARG);
	assert_message_has("multiple of 32 columns");
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 672, 512), CRED_ERR_ARG);
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 640, 510), CRED_ERR_ARG);
	assert_message_has("multiple of 4 rows");
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 640, 516), CRED_ERR_ARG);
	assert_int_equal(cred_calib_check_geometry(cred3, NULL, 0, 0), CRED_ERR_ARG);
	assert_int_equal(cred_calib_check_geometry(cred3, hdr, 64, 512), CRED_ERR_ARG);
	assert_message_has("96x72");
	assert_int_equal(cred_calib_check_geometry(cred3, hdr, 640, 68), CRED_ERR_ARG);

	assert_int_equal(cred_calib_check_geometry(credone, NULL, 320, 256), CRED_OK);
	assert_int_equal(cred_calib_check_geometry(credone, NULL, 64, 255), CRED_OK);
	assert_int_equal(cred_calib_check_geometry(credone, NULL, 352, 256), CRED_ERR_ARG);
	assert_int_equal(cred_calib_check_geometry(credone, NULL, 320, 257), CRED_ERR_ARG);

	/* The encoders check it too. */
	double v[8] = { 0 };
	unsigned char out[16];
	assert_int_equal(cred_calib_bias_encode(cred3, 2, 4, v, 0, out, NULL), CRED_ERR_ARG);
}

/* ---- validation ---------------------------------------------------------- */

static unsigned char *bias_file(int w, int h, uint16_t value)
{
	unsigned char *p = malloc((size_t)w * h * 2);

	for (size_t i = 0; i < (size_t)w * h; i++) {
		p[2 * i] = (unsigned char)value;
		p[2 * i + 1] = (unsigned char)(value >> 8);
	}
	return p;
}

static void set_pixel(unsigned char *p, int w, int x, int y, uint16_t v)
{
	size_t i = (size_t)y * w + x;

	p[2 * i] = (unsigned char)v;
	p[2 * i + 1] = (unsigned char)(v >> 8);
}

static void test_validate_good_bias(void **state)
{
	int w = 640, h = 512;
	unsigned char *f = bias_file(w, h, 2000);
	struct cred_calib_report rep;

	set_pixel(f, w, 0, 0, 1000);
	set_pixel(f, w, 639, 511, 16383);
	assert_int_equal(cred_calib_validate(cred3, "bias", w, h, f, (size_t)w * h * 2, &rep),
			 CRED_OK);
	assert_int_equal(rep.pixels, (size_t)w * h);
	assert_true(rep.min == 1000);
	assert_true(rep.max == 16383);
	assert_int_equal(rep.out_of_range, 0);
	assert_int_equal(rep.first_bad_x, -1);
	assert_int_equal(rep.zeros, 0);
	free(f);
}

static void test_validate_bias_out_of_range(void **state)
{
	int w = 96, h = 72;
	unsigned char *f = bias_file(w, h, 500);
	struct cred_calib_report rep;

	set_pixel(f, w, 5, 2, 16384);
	set_pixel(f, w, 7, 9, 0xffff);   /* a negative int16 read as unsigned */
	set_pixel(f, w, 95, 71, 20000);
	assert_int_equal(cred_calib_validate(cred3, "bias_hdr_c2", w, h, f, (size_t)w * h * 2, &rep),
			 CRED_ERR_DATA);
	assert_int_equal(rep.out_of_range, 3);
	assert_int_equal(rep.first_bad_x, 5);
	assert_int_equal(rep.first_bad_y, 2);
	assert_message_has("3 pixels are above 16383");
	assert_message_has("(5, 2) is 16384");
	/* The same values are fine on a 16-bit C-RED One. */
	assert_int_equal(cred_calib_validate(credone, "bias", w, h, f, (size_t)w * h * 2, &rep),
			 CRED_OK);
	free(f);
}

static void test_validate_sizes(void **state)
{
	int w = 320, h = 256;
	unsigned char *f = bias_file(640, 512, 100);
	size_t len = (size_t)w * h * 2;

	assert_int_equal(cred_calib_validate(cred3, "bias", w, h, f, len - 2, NULL), CRED_ERR_DATA);
	assert_message_has("163838 bytes");
	assert_message_has("163840");
	assert_message_has("truncated");
	assert_int_equal(cred_calib_validate(cred3, "bias", w, h, f, len - 1, NULL), CRED_ERR_DATA);
	assert_int_equal(cred_calib_validate(cred3, "bias", w, h, f, len + 2, NULL), CRED_ERR_DATA);
	assert_int_equal(cred_calib_validate(cred3, "flat", w, h, f, 0, NULL), CRED_ERR_DATA);
	/* A full-frame file for a cropped camera. */
	assert_int_equal(cred_calib_validate(cred3, "flat", w, h, f, 640 * 512 * 2, NULL),
			 CRED_ERR_DATA);
	assert_message_has("cropped");
	free(f);
}

static void test_validate_flat(void **state)
{
	int w = 32, h = 4;
	unsigned char *f = bias_file(w, h, 0x2000);
	struct cred_calib_report rep;

	set_pixel(f, w, 1, 1, 0xffff);
	set_pixel(f, w, 2, 1, 0);
	set_pixel(f, w, 3, 1, 0);
	assert_int_equal(cred_calib_validate(cred3, "flat", w, h, f, (size_t)w * h * 2, &rep),
			 CRED_OK);
	assert_int_equal(rep.zeros, 2);
	assert_true(rep.min == 0.0);
	assert_true(rep.max == 7.9998779296875);
	assert_int_equal(rep.out_of_range, 0);
	free(f);
}

static void test_validate_kind_and_geometry(void **state)
{
	unsigned char *f = bias_file(640, 512, 100);

	assert_int_equal(cred_calib_validate(credone, "flat_hdr_c1", 320, 256, f, 320 * 256 * 2, NULL),
			 CRED_ERR_SUPP);
	assert_int_equal(cred_calib_validate(cred3, "dark", 640, 512, f, 640 * 512 * 2, NULL),
			 CRED_ERR_ARG);
	assert_int_equal(cred_calib_validate(cred3, "bias", 630, 512, f, 630 * 512 * 2, NULL),
			 CRED_ERR_ARG);
	assert_int_equal(cred_calib_validate(cred3, "flat_hdr_c1", 64, 64, f, 64 * 64 * 2, NULL),
			 CRED_ERR_ARG);
	free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flat_value_encoding),
		cmocka_unit_test(test_flat_values_that_do_not_fit),
		cmocka_unit_test(test_flat_value_decoding),
		cmocka_unit_test(test_flat_file_layout),
		cmocka_unit_test(test_flat_file_value_too_large),
		cmocka_unit_test(test_nan_never_encodes),
		cmocka_unit_test(test_bias_encoding_and_range),
		cmocka_unit_test(test_bias_max),
		cmocka_unit_test(test_decode_round_trip),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_geometry),
		cmocka_unit_test(test_validate_good_bias),
		cmocka_unit_test(test_validate_bias_out_of_range),
		cmocka_unit_test(test_validate_sizes),
		cmocka_unit_test(test_validate_flat),
		cmocka_unit_test(test_validate_kind_and_geometry),
	};
	return cmocka_run_group_tests(tests, setup_models, NULL);
}

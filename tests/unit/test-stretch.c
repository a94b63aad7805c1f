/* Unit tests: the percentile stretch of the 8-bit quick-looks (PNG,
 * y4m8): percentiles without the tag pixels, signed pixels below zero
 * taken as signed, the table's ends and rounding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"
#include "stretch-impl.h"

#define N 1000

static struct cred_stretch s;

/* A frame of N pixels: values first + i, little-endian, with a first
 * pixel far out (a tag) when tag is set. */
static void make(struct cred_frame *f, uint16_t *px, int is_signed, int first, int tag)
{
	for (int i = 0; i < N; i++)
		px[i] = (uint16_t)(first + i); /* two's complement when negative */
	if (tag)
		px[0] = is_signed ? 0x7fff : 0xffff;
	memset(f, 0, sizeof(*f));
	f->data = px;
	f->size = sizeof(uint16_t) * N;
	f->width = N;
	f->height = 1;
	f->pixel_signed = is_signed;
}

static void test_signed_below_zero(void **state)
{
	static uint16_t px[N];
	struct cred_frame f;
	uint8_t out[N];
	int lo, hi;

	(void)state;
	/* -500 .. 499: 0.5% of 999 pixels (the tag left out) is the 4th */
	make(&f, px, 1, -500, 1);
	cred_stretch_percentiles(&s, &f, 1, 1, &lo, &hi);
	assert_int_equal(lo, -500 + 1 + 4);
	assert_int_equal(hi, -500 + 1 + 993);
	cred_stretch_table(&s, 1, lo, hi);
	cred_stretch_apply(&s, px, N, out);
	assert_int_equal(out[0], 255);      /* the tag: far above */
	assert_int_equal(out[1], 0);        /* -499: below lo */
	assert_int_equal(out[5], 0);        /* lo itself */
	assert_int_equal(out[994], 255);    /* hi */
	/* zero sits where it should, not wrapped to the top */
	assert_in_range(out[500], 126, 129);
}

static void test_unsigned(void **state)
{
	static uint16_t px[N];
	struct cred_frame f;
	uint8_t out[N];
	int lo, hi;

	(void)state;
	make(&f, px, 0, 40000, 0);
	cred_stretch_percentiles(&s, &f, 0, 1, &lo, &hi);
	assert_int_equal(lo, 40005);
	assert_int_equal(hi, 40994);
	cred_stretch_table(&s, 0, lo, hi);
	cred_stretch_apply(&s, px, N, out);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[999], 255);
	assert_in_range(out[500], 126, 129);
	/* a flat frame: hi is taken as lo + 1, no division by zero */
	for (int i = 0; i < N; i++)
		px[i] = 7;
	cred_stretch_percentiles(&s, &f, 0, 1, &lo, &hi);
	assert_int_equal(lo, 7);
	assert_int_equal(hi, 7);
	cred_stretch_table(&s, 0, lo, hi);
	assert_int_equal(s.hi, 8);
	assert_int_equal(s.gray[7], 0);
	assert_int_equal(s.gray[8], 255);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_below_zero),
		cmocka_unit_test(test_unsigned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

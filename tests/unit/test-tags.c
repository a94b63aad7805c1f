/* Unit tests: image tag decoding and encoding, frame geometry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"
#include "cred-frame.h"

static void put16(unsigned char *p, unsigned v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8;
}

/* The C-RED 3 layout from the field notes, built by hand. */
static void test_cred3_decode(void **state)
{
	unsigned char px[8];
	struct cred_tags t;
	struct cred_tag_rules cds = { .pixel2_zero = 1 };

	put16(px, 0x5678);
	put16(px + 2, 0x1234);
	put16(px + 4, 0);
	put16(px + 6, 0xfff8 | 2 << 1 | 1);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, &cds, px, 8, &t), 1);
	assert_int_equal(t.counter, 0x12345678u);
	assert_int_equal(t.pixel2, 0);
	assert_int_equal(t.gain_cap, 2);
	assert_int_equal(t.marker, 1);

	put16(px + 6, 0xfff8 | 0 << 1 | 0);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, &cds, px, 8, &t), 1);
	assert_int_equal(t.gain_cap, 0);
	assert_int_equal(t.marker, 0);
}

static void test_cred3_reject(void **state)
{
	unsigned char px[8] = { 0 };
	struct cred_tags t;
	struct cred_tag_rules cds = { .pixel2_zero = 1 };

	/* one of bits 15-3 clear */
	put16(px + 6, 0xfff8 & ~0x0100);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, &cds, px, 8, &t), 0);
	/* capacitor 3 does not exist */
	put16(px + 6, 0xfffe);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, &cds, px, 8, &t), 0);
	/* pixel 2 must be 0 in CDS/HDR, any value otherwise */
	put16(px + 6, 0xfff8);
	put16(px + 4, 7);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, &cds, px, 8, &t), 0);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, NULL, px, 8, &t), 1);
	assert_int_equal(t.pixel2, 7);
	/* too short */
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, NULL, px, 7, &t), CRED_ERR_ARG);
	assert_int_equal(cred_tags_decode(CRED_TAGS_NONE, NULL, px, 8, &t), CRED_ERR_ARG);
}

static void test_credone(void **state)
{
	unsigned char px[6];
	struct cred_tags t;
	struct cred_tag_rules ndr = { .pixel2_max = 4 };

	put16(px, 0xffff);
	put16(px + 2, 0x0001);
	put16(px + 4, 3);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CREDONE, NULL, px, 6, &t), 1);
	assert_int_equal(t.counter, 0x1ffffu);
	assert_int_equal(t.pixel2, 3);
	assert_int_equal(t.gain_cap, -1);
	assert_int_equal(t.marker, -1);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CREDONE, &ndr, px, 6, &t), 1);
	put16(px + 4, 5);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CREDONE, &ndr, px, 6, &t), 0);
	assert_int_equal(cred_tags_size(CRED_TAGS_CREDONE), 6);
	assert_int_equal(cred_tags_size(CRED_TAGS_CRED3), 8);
	assert_int_equal(cred_tags_size(CRED_TAGS_NONE), 0);
}

static void test_encode_roundtrip(void **state)
{
	unsigned char px[8];
	struct cred_tags in = { .counter = 0xdeadbeef, .pixel2 = 0, .gain_cap = 1, .marker = 1 }, out;

	assert_int_equal(cred_tags_encode(CRED_TAGS_CRED3, &in, px, sizeof(px)), CRED_OK);
	assert_int_equal(px[6] | px[7] << 8, 0xfffb);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CRED3, NULL, px, 8, &out), 1);
	assert_int_equal(out.counter, in.counter);
	assert_int_equal(out.gain_cap, 1);
	assert_int_equal(out.marker, 1);
	in.gain_cap = 3;
	assert_int_equal(cred_tags_encode(CRED_TAGS_CRED3, &in, px, sizeof(px)), CRED_ERR_ARG);
	in.pixel2 = 9;
	assert_int_equal(cred_tags_encode(CRED_TAGS_CREDONE, &in, px, 6), CRED_OK);
	assert_int_equal(cred_tags_decode(CRED_TAGS_CREDONE, NULL, px, 6, &out), 1);
	assert_int_equal(out.pixel2, 9);
	assert_int_equal(out.counter, 0xdeadbeef);
}

static void test_format_defaults(void **state)
{
	struct cred_frame_format f;

	assert_int_equal(cred_frame_format_init(&f, CRED_MODEL_CRED3), CRED_OK);
	assert_int_equal(f.width, 640);
	assert_int_equal(f.height, 512);
	assert_int_equal(f.pixel_signed, 1);
	assert_int_equal(f.tags, CRED_TAGS_CRED3);
	assert_int_equal(cred_frame_format_size(&f), 655360);
	assert_int_equal(cred_frame_format_init(&f, CRED_MODEL_CREDONE), CRED_OK);
	assert_int_equal(f.width, 320);
	assert_int_equal(f.height, 256);
	assert_int_equal(f.pixel_signed, 0);
	assert_int_equal(f.tags, CRED_TAGS_CREDONE);
	assert_int_equal(cred_frame_format_init(&f, CRED_MODEL_UNKNOWN), CRED_ERR_ARG);
	assert_int_equal(cred_frame_format_set_tags(&f, "cred3-any"), CRED_OK);
	assert_int_equal(f.tags, CRED_TAGS_CRED3);
	assert_int_equal(f.rules.pixel2_zero, 0);
	assert_int_equal(cred_frame_format_set_tags(&f, "bogus"), CRED_ERR_ARG);
	f.width = 2; /* a 2-pixel row cannot hold 4 tag pixels */
	assert_int_equal(cred_frame_format_set_tags(&f, "cred3"), CRED_OK);
	assert_int_equal(cred_frame_format_check(&f), CRED_ERR_ARG);
	f.width = 0;
	assert_int_equal(cred_frame_format_check(&f), CRED_ERR_ARG);
}

static void readout(struct cred_readout *r, const char *mode, int raw, int n)
{
	memset(r, 0, sizeof(*r));
	r->model = CRED_MODEL_CREDONE;
	r->imagetags = 1;
	r->mode = mode;
	r->rawimages = raw;
	r->nbreadworeset = n;
}

/* The C-RED One row widths of the manual's readout modes. */
static void test_credone_readout(void **state)
{
	struct cred_readout r;
	struct cred_frame_format f;

	readout(&r, "globalresetcds", 0, 0);
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 320);
	assert_int_equal(f.rules.pixel2_max, 0);
	readout(&r, "globalresetcds", 1, 0);
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 320);
	assert_int_equal(f.rules.pixel2_max, 2);
	readout(&r, "globalresetbursts", 1, 8);
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 320);
	assert_int_equal(f.rules.pixel2_max, 8);
	/* rolling Nreadout, N=2, 3 column blocks: 2*2*96 + 64*2 */
	readout(&r, "rollingresetnro", 0, 2);
	r.columns = 96;
	r.rows = 10;
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 2 * 2 * 96 + 64 * 2);
	assert_int_equal(f.height, 10);
	/* IOTA: width * nloop * nsample + 32 * (nloop - 1) */
	readout(&r, "rollingresetiota", 0, 1);
	r.nloop = 3;
	r.nsamplepixel = 2;
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 320 * 3 * 2 + 32 * 2);
	assert_int_equal(f.height, 256);
	/* settings that would make a row wrap around int: refused, never a
	 * plausible width (2^26 + 1 reads of 320 pixels gave 704) */
	readout(&r, "rollingresetnro", 0, (1 << 26) + 1);
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "more than 65535"));
	assert_int_equal(f.width, 0);
	readout(&r, "rollingresetiota", 0, 1);
	r.nloop = 0x7fffffff;
	r.nsamplepixel = 0x7fffffff;
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_ERR_ARG);
	readout(&r, "sideways", 0, 1);
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_ERR_ARG);
	/* tags off */
	readout(&r, NULL, 0, 0);
	r.imagetags = 0;
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.tags, CRED_TAGS_NONE);
}

static void test_cred3_readout(void **state)
{
	struct cred_readout r = { .model = CRED_MODEL_CRED3, .columns = 96, .rows = 72,
				  .imagetags = 1, .cds = 1 };
	struct cred_frame_format f;

	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.width, 96);
	assert_int_equal(f.height, 72);
	assert_int_equal(f.pixel_signed, 1);
	assert_int_equal(f.rules.pixel2_zero, 1);
	r.hdr_extended = 1;
	r.cds = 0;
	assert_int_equal(cred_frame_format_from_readout(&r, &f), CRED_OK);
	assert_int_equal(f.pixel_signed, 0);
	assert_int_equal(f.rules.pixel2_zero, 0);
}

static void test_pixel(void **state)
{
	unsigned char px[4] = { 0xff, 0xff, 0x34, 0x12 };
	struct cred_frame fr = { .data = px, .size = 4, .width = 2, .height = 1 };

	fr.pixel_signed = 1;
	assert_int_equal(cred_frame_pixel(&fr, 0), -1);
	assert_int_equal(cred_frame_pixel(&fr, 1), 0x1234);
	fr.pixel_signed = 0;
	assert_int_equal(cred_frame_pixel(&fr, 0), 65535);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cred3_decode),
		cmocka_unit_test(test_cred3_reject),
		cmocka_unit_test(test_credone),
		cmocka_unit_test(test_encode_roundtrip),
		cmocka_unit_test(test_format_defaults),
		cmocka_unit_test(test_credone_readout),
		cmocka_unit_test(test_cred3_readout),
		cmocka_unit_test(test_pixel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

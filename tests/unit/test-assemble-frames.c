/* Unit tests: whole frames from a frame grabber (cred_assembler_push_frame):
 * delivered in place, checked by their tags, drops counted exactly with
 * and without tags, incomplete and scrambled frames never delivered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"

#define W 32
#define H 4
#define FSIZE (W * H * 2)

static struct cred_assembler *make(enum cred_tag_kind kind)
{
	struct cred_frame_format f;
	struct cred_assembler *a;

	memset(&f, 0, sizeof(f));
	f.model = kind == CRED_TAGS_CREDONE ? CRED_MODEL_CREDONE : CRED_MODEL_CRED3;
	f.width = W;
	f.height = H;
	f.tags = kind;
	f.rules.pixel2_zero = kind == CRED_TAGS_CRED3;
	assert_int_equal(cred_assembler_new(&f, NULL, &a), CRED_OK);
	return a;
}

static void frame(enum cred_tag_kind kind, uint32_t counter, unsigned char *buf)
{
	struct cred_tags t = { .counter = counter, .gain_cap = 0, .marker = 0 };

	memset(buf, 0x5a, FSIZE);
	if (kind != CRED_TAGS_NONE)
		assert_int_equal(cred_tags_encode(kind, &t, buf, FSIZE), CRED_OK);
}

/* Push one whole frame; returns 1 when it is delivered (and checks it is
 * delivered in place). */
static int push(struct cred_assembler *a, const unsigned char *buf, size_t len,
		const struct cred_grab_info *info)
{
	struct cred_frame f;

	assert_int_equal(cred_assembler_push_frame(a, buf, len, 1.5, info), CRED_OK);
	if (cred_assembler_next(a, &f) != 1)
		return 0;
	assert_ptr_equal(f.data, buf);
	assert_int_equal(f.size, FSIZE);
	assert_true(f.timestamp == 1.5);
	assert_int_equal(cred_assembler_next(a, &f), 0);
	return 1;
}

static void test_in_order_and_gaps(void **state)
{
	enum cred_tag_kind kinds[] = { CRED_TAGS_CRED3, CRED_TAGS_CREDONE };

	(void)state;
	for (size_t k = 0; k < 2; k++) {
		struct cred_assembler *a = make(kinds[k]);
		unsigned char buf[FSIZE];
		uint32_t counters[] = { 100, 101, 102, 105, 106, 110 };

		for (size_t i = 0; i < 6; i++) {
			frame(kinds[k], counters[i], buf);
			assert_int_equal(push(a, buf, FSIZE, NULL), 1);
		}
		assert_int_equal(cred_assembler_stats(a)->frames, 6);
		assert_int_equal(cred_assembler_stats(a)->dropped, 2 + 3);
		cred_assembler_free(a);
	}
}

static void test_incomplete_and_lost_with_tags(void **state)
{
	struct cred_assembler *a = make(CRED_TAGS_CRED3);
	struct cred_grab_info bad = { .incomplete = 1 }, lost = { .lost = 2 };
	unsigned char buf[FSIZE];

	(void)state;
	frame(CRED_TAGS_CRED3, 1, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	frame(CRED_TAGS_CRED3, 2, buf);
	assert_int_equal(push(a, buf, FSIZE, &bad), 0);
	/* frames 3 and 4 lost by the grabber, which says so */
	frame(CRED_TAGS_CRED3, 5, buf);
	assert_int_equal(push(a, buf, FSIZE, &lost), 1);
	/* a short buffer is incomplete too */
	frame(CRED_TAGS_CRED3, 6, buf);
	assert_int_equal(push(a, buf, FSIZE - 2, NULL), 0);
	frame(CRED_TAGS_CRED3, 7, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	/* the counter gaps are the drops: 2, 3, 4 and 6, nothing twice */
	assert_int_equal(cred_assembler_stats(a)->dropped, 4);
	assert_int_equal(cred_assembler_stats(a)->incomplete, 2);
	assert_int_equal(cred_assembler_stats(a)->source_lost, 2);
	assert_int_equal(cred_assembler_stats(a)->frames, 3);
	cred_assembler_free(a);
}

static void test_without_tags_the_grabber_counts(void **state)
{
	struct cred_assembler *a = make(CRED_TAGS_NONE);
	struct cred_grab_info bad = { .incomplete = 1 }, lost = { .lost = 3 };
	unsigned char buf[FSIZE];

	(void)state;
	frame(CRED_TAGS_NONE, 0, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	assert_int_equal(push(a, buf, FSIZE, &bad), 0);
	assert_int_equal(push(a, buf, FSIZE, &lost), 1);
	assert_int_equal(cred_assembler_stats(a)->dropped, 4);
	assert_int_equal(cred_assembler_stats(a)->frames, 2);
	cred_assembler_free(a);
}

static void test_bad_tags_and_leaps(void **state)
{
	struct cred_assembler *a = make(CRED_TAGS_CRED3);
	unsigned char buf[FSIZE];

	(void)state;
	frame(CRED_TAGS_CRED3, 10, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	/* pixel 3 without its fixed bits: scrambled */
	frame(CRED_TAGS_CRED3, 11, buf);
	buf[7] = 0;
	assert_int_equal(push(a, buf, FSIZE, NULL), 0);
	assert_int_equal(cred_assembler_stats(a)->bad_frames, 1);
	/* a leap alone is not believed ... */
	frame(CRED_TAGS_CRED3, 500000, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 0);
	assert_int_equal(cred_assembler_stats(a)->bad_frames, 2);
	/* ... but when the next frame follows it, the camera restarted */
	frame(CRED_TAGS_CRED3, 500001, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	assert_int_equal(cred_assembler_stats(a)->counter_jumps, 1);
	frame(CRED_TAGS_CRED3, 500002, buf);
	assert_int_equal(push(a, buf, FSIZE, NULL), 1);
	assert_int_equal(cred_assembler_stats(a)->dropped, 0);
	cred_assembler_free(a);
}

static void test_one_frame_at_a_time(void **state)
{
	struct cred_assembler *a = make(CRED_TAGS_CRED3);
	unsigned char buf[FSIZE];

	(void)state;
	frame(CRED_TAGS_CRED3, 1, buf);
	assert_int_equal(cred_assembler_push_frame(a, buf, FSIZE, 0, NULL), CRED_OK);
	assert_int_equal(cred_assembler_push_frame(a, buf, FSIZE, 0, NULL), CRED_ERR_ARG);
	cred_assembler_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order_and_gaps),
		cmocka_unit_test(test_incomplete_and_lost_with_tags),
		cmocka_unit_test(test_without_tags_the_grabber_counts),
		cmocka_unit_test(test_bad_tags_and_leaps),
		cmocka_unit_test(test_one_frame_at_a_time),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests: the frame ring (order, copies, drops counted when full, the
 * waiting mode with a second thread, end and abandonment). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>

#include "cred.h"

#define FSIZE 64

static struct cred_frame make(unsigned char *buf, uint64_t index)
{
	struct cred_frame f = { .data = buf, .size = FSIZE, .width = 8, .height = 4,
				.index = index, .timestamp = 1000.0 + (double)index };

	memset(buf, (int)(index & 0xff), FSIZE);
	f.tags.counter = (uint32_t)index + 100;
	return f;
}

static void test_order_and_copy(void **state)
{
	struct cred_ring *r;
	struct cred_ring_stats st;
	struct cred_frame f, got;
	unsigned char buf[FSIZE];

	(void)state;
	assert_int_equal(cred_ring_new(FSIZE, 3, CRED_RING_DROP, &r), CRED_OK);
	for (uint64_t i = 0; i < 2; i++) {
		f = make(buf, i);
		assert_int_equal(cred_ring_push(r, &f), 1);
	}
	memset(buf, 0xee, sizeof(buf)); /* the ring holds its own copy */
	for (uint64_t i = 0; i < 2; i++) {
		assert_int_equal(cred_ring_get(r, &got, 0), 1);
		assert_int_equal(got.index, i);
		assert_int_equal(got.tags.counter, i + 100);
		assert_int_equal(got.size, FSIZE);
		assert_int_equal(((const unsigned char *)got.data)[FSIZE - 1], i);
		cred_ring_release(r);
	}
	assert_int_equal(cred_ring_get(r, &got, 0), CRED_ERR_TIMEOUT);
	cred_ring_end(r);
	assert_int_equal(cred_ring_get(r, &got, -1), 0);
	cred_ring_stats(r, &st);
	assert_int_equal(st.pushed, 2);
	assert_int_equal(st.taken, 2);
	assert_int_equal(st.high_water, 2);
	assert_int_equal(st.dropped_full, 0);
	assert_int_equal(st.ended, 1);
	f = make(buf, 9);
	assert_int_equal(cred_ring_push(r, &f), CRED_ERR_ARG);
	cred_ring_free(r);
}

static void test_full_drops_counted(void **state)
{
	struct cred_ring *r;
	struct cred_ring_stats st;
	struct cred_frame f, got;
	unsigned char buf[FSIZE];

	(void)state;
	assert_int_equal(cred_ring_new(FSIZE, 4, CRED_RING_DROP, &r), CRED_OK);
	for (uint64_t i = 0; i < 10; i++) {
		f = make(buf, i);
		assert_int_equal(cred_ring_push(r, &f), i < 4 ? 1 : 0);
	}
	/* one slot freed: the next frame fits again, and wraps around */
	assert_int_equal(cred_ring_get(r, &got, 0), 1);
	assert_int_equal(got.index, 0);
	cred_ring_release(r);
	f = make(buf, 10);
	assert_int_equal(cred_ring_push(r, &f), 1);
	cred_ring_stats(r, &st);
	assert_int_equal(st.capacity, 4);
	assert_int_equal(st.pushed, 5);
	assert_int_equal(st.dropped_full, 6);
	assert_int_equal(st.used, 4);
	assert_int_equal(st.high_water, 4);
	for (uint64_t want = 1; want <= 4; want++) {
		assert_int_equal(cred_ring_get(r, &got, 0), 1);
		assert_int_equal(got.index, want == 4 ? 10 : want);
		assert_int_equal(((const unsigned char *)got.data)[0], want == 4 ? 10 : want);
		cred_ring_release(r);
	}
	/* too big for a slot */
	f.size = FSIZE + 2;
	assert_int_equal(cred_ring_push(r, &f), CRED_ERR_ARG);
	cred_ring_free(r);
}

static void *produce(void *arg)
{
	struct cred_ring *r = arg;
	unsigned char buf[FSIZE];
	struct cred_frame f;

	for (uint64_t i = 0; i < 1000; i++) {
		f = make(buf, i);
		if (cred_ring_push(r, &f) != 1)
			break;
	}
	cred_ring_end(r);
	return NULL;
}

/* WAIT mode: a tiny ring, a producer much faster than the consumer, and
 * every frame arrives in order. */
static void test_wait_mode(void **state)
{
	struct cred_ring *r;
	struct cred_ring_stats st;
	struct cred_frame got;
	pthread_t t;
	uint64_t n = 0;

	(void)state;
	assert_int_equal(cred_ring_new(FSIZE, 2, CRED_RING_WAIT, &r), CRED_OK);
	assert_int_equal(pthread_create(&t, NULL, produce, r), 0);
	while (cred_ring_get(r, &got, -1) == 1) {
		assert_int_equal(got.index, n);
		assert_int_equal(((const unsigned char *)got.data)[7], n & 0xff);
		n++;
		cred_ring_release(r);
	}
	pthread_join(t, NULL);
	assert_int_equal(n, 1000);
	cred_ring_stats(r, &st);
	assert_int_equal(st.dropped_full, 0);
	assert_true(st.high_water <= 2);
	cred_ring_free(r);
}

/* A consumer that gives up releases a producer waiting for room. */
static void test_abandon(void **state)
{
	struct cred_ring *r;
	struct cred_ring_stats st;
	struct cred_frame got;
	pthread_t t;

	(void)state;
	assert_int_equal(cred_ring_new(FSIZE, 2, CRED_RING_WAIT, &r), CRED_OK);
	assert_int_equal(pthread_create(&t, NULL, produce, r), 0);
	assert_int_equal(cred_ring_get(r, &got, -1), 1);
	cred_ring_abandon(r);
	pthread_join(t, NULL);
	cred_ring_stats(r, &st);
	assert_int_equal(st.dropped_full, 0);
	assert_true(st.pushed <= 2);
	cred_ring_free(r);
}

static void test_bad_sizes(void **state)
{
	struct cred_ring *r = (struct cred_ring *)1;

	(void)state;
	assert_int_equal(cred_ring_new(0, 4, CRED_RING_DROP, &r), CRED_ERR_ARG);
	assert_null(r);
	assert_int_equal(cred_ring_new(FSIZE, 0, CRED_RING_DROP, &r), CRED_ERR_ARG);
	assert_int_equal(cred_ring_new(SIZE_MAX / 2, 4, CRED_RING_DROP, &r), CRED_ERR_ARG);
	cred_ring_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_copy),
		cmocka_unit_test(test_full_drops_counted),
		cmocka_unit_test(test_wait_mode),
		cmocka_unit_test(test_abandon),
		cmocka_unit_test(test_bad_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

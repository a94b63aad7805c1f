/* Unit tests: frame assembly from a headerless stream, including a fuzz
 * loop over random corruption that checks no misaligned frame is ever
 * delivered and that drop counts are exact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cred.h"

#define W 64
#define H 4
#define FSIZE (W * H * 2)
#define MAXF 400

/* ---- a deterministic generator --------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static uint32_t rnd_range(uint32_t lo, uint32_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

static void fmt_of(struct cred_frame_format *f, enum cred_tag_kind kind)
{
	memset(f, 0, sizeof(*f));
	f->model = kind == CRED_TAGS_CREDONE ? CRED_MODEL_CREDONE : CRED_MODEL_CRED3;
	f->width = W;
	f->height = H;
	f->pixel_signed = kind != CRED_TAGS_CREDONE;
	f->tags = kind;
	f->rules.pixel2_zero = kind == CRED_TAGS_CRED3;
}

/* Frame number i: tags with counter c0 + i, then pixels of one of a few
 * kinds, some of them chosen to look like tags. */
static void make_frame(const struct cred_frame_format *f, uint32_t c0, int i, unsigned char *out)
{
	uint64_t saved = rng_state;
	struct cred_tags t = { .counter = c0 + (uint32_t)i, .gain_cap = i % 3, .marker = i & 1 };

	rng_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)(i + 1) * 0x100000001b3ull;
	for (int k = 0; k < FSIZE; k += 2) {
		unsigned v;

		switch (i % 4) {
		case 0: v = rnd() & 0xffff; break;
		case 1: v = 0xfff9; break;              /* a tag's pixel 3 everywhere */
		case 2: v = k % 8 == 6 ? 0xfffa : rnd() & 0xff; break;
		default: v = (unsigned)(k / 2 + i) & 0xffff; break;
		}
		out[k] = v & 0xff;
		out[k + 1] = v >> 8;
	}
	rng_state = saved;
	if (f->tags != CRED_TAGS_NONE)
		assert_int_equal(cred_tags_encode(f->tags, &t, out, FSIZE), CRED_OK);
}

struct stream {
	unsigned char *buf;
	size_t len, cap;
};

static void put(struct stream *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->buf = realloc(s->buf, s->cap);
		assert_non_null(s->buf);
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

/* ---- feeding ------------------------------------------------------------- */

struct got {
	uint32_t counter[MAXF * 2];
	int n;
	int zero_copy;          /* frames whose data lay inside a pushed chunk */
	int in_stream;          /* frames whose data lay inside the stream buffer */
	struct cred_assembler_stats st;
};

static void check_frame(const struct cred_frame_format *f, uint32_t c0, int nframes,
			const struct cred_frame *fr)
{
	unsigned char want[FSIZE];
	uint32_t i = fr->tags.counter - c0;

	/* A delivered frame must be one of the frames sent, byte for byte. */
	assert_true(i < (uint32_t)nframes);
	make_frame(f, c0, (int)i, want);
	assert_int_equal(fr->size, FSIZE);
	assert_memory_equal(fr->data, want, FSIZE);
}

/* Feed s in chunks of random sizes (max_chunk 0: one chunk). */
static void feed(const struct cred_frame_format *f, const struct cred_assembler_options *o,
		 const struct stream *s, size_t max_chunk, uint32_t c0, int nframes, struct got *g)
{
	struct cred_assembler *a;
	struct cred_frame fr;
	size_t off = 0;

	memset(g, 0, sizeof(*g));
	assert_int_equal(cred_assembler_new(f, o, &a), CRED_OK);
	while (off < s->len) {
		size_t n = max_chunk ? rnd_range(1, (uint32_t)max_chunk) : s->len;
		const unsigned char *chunk = s->buf + off;

		if (n > s->len - off)
			n = s->len - off;
		assert_int_equal(cred_assembler_push(a, chunk, n, 1.0), CRED_OK);
		while (cred_assembler_next(a, &fr) == 1) {
			const unsigned char *d = fr.data;

			check_frame(f, c0, nframes, &fr);
			assert_true(g->n < MAXF * 2);
			g->counter[g->n++] = fr.tags.counter;
			if (d >= chunk && d + fr.size <= chunk + n)
				g->zero_copy++;
			if (d >= s->buf && d + fr.size <= s->buf + s->len)
				g->in_stream++;
		}
		off += n;
	}
	if (cred_assembler_flush(a, 1, &fr) == 1) {
		const unsigned char *d = fr.data;

		if (d >= s->buf && d + fr.size <= s->buf + s->len)
			g->in_stream++;
		check_frame(f, c0, nframes, &fr);
		g->counter[g->n++] = fr.tags.counter;
	}
	g->st = *cred_assembler_stats(a);
	cred_assembler_free(a);
}

/* Invariants of any run: counters strictly increase, frames are counted
 * once, and every counter between the first and last delivered frame is
 * either delivered or counted as dropped. */
static void check_invariants(const struct got *g)
{
	assert_int_equal(g->st.frames, (uint64_t)g->n);
	for (int k = 1; k < g->n; k++) {
		if (!(g->counter[k] - g->counter[k - 1] >= 1)) print_error("k=%d %u %u\n", k, g->counter[k-1], g->counter[k]);
		assert_true(g->counter[k] - g->counter[k - 1] >= 1);
	}
	if (g->n > 0) {
		uint64_t span = (uint64_t)(g->counter[g->n - 1] - g->counter[0]) + 1;

		assert_int_equal(g->st.counter_jumps, 0);
		assert_int_equal(g->st.dropped, span - (uint64_t)g->n);
	}
}

static void build_clean(const struct cred_frame_format *f, uint32_t c0, int n, struct stream *s)
{
	unsigned char fr[FSIZE];

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++) {
		make_frame(f, c0, i, fr);
		put(s, fr, FSIZE);
	}
}

/* ---- plain cases ----------------------------------------------------------- */

/* A zero-length push (a read that returned nothing) is nothing to cut:
 * accepted, no frame, and the stream goes on as if it had not happened. */
static void test_empty_push(void **state)
{
	struct cred_frame_format f;
	struct cred_assembler *a;
	struct cred_frame fr;
	struct stream s;

	rng_state = 7;
	fmt_of(&f, CRED_TAGS_CRED3);
	build_clean(&f, 1, 3, &s);
	assert_int_equal(cred_assembler_new(&f, NULL, &a), CRED_OK);
	assert_int_equal(cred_assembler_push(a, NULL, 0, 0), CRED_OK);
	assert_int_equal(cred_assembler_next(a, &fr), 0);
	assert_int_equal(cred_assembler_push(a, s.buf, s.len, 0), CRED_OK);
	assert_int_equal(cred_assembler_push(a, NULL, 0, 0), CRED_ERR_ARG); /* chunk not used up */
	while (cred_assembler_next(a, &fr) == 1)
		;
	assert_int_equal(cred_assembler_push(a, NULL, 0, 0), CRED_OK);
	assert_int_equal(cred_assembler_stats(a)->dropped, 0);
	cred_assembler_free(a);
	free(s.buf);
}

static void test_clean_stream(void **state)
{
	enum cred_tag_kind kinds[] = { CRED_TAGS_CRED3, CRED_TAGS_CREDONE };
	const int N = 2;
	struct cred_frame_format f;
	struct stream s;
	struct got g;

	rng_state = 42;
	for (int k = 0; k < N; k++) {
		fmt_of(&f, kinds[k]);
		build_clean(&f, 1000, 50, &s);
		feed(&f, NULL, &s, 0, 1000, 50, &g);
		assert_int_equal(g.n, 50);
		assert_int_equal(g.st.dropped, 0);
		assert_int_equal(g.st.skipped_bytes, 0);
		/* all but the last (delivered by the final flush) in place */
		assert_int_equal(g.zero_copy, 49);
		for (size_t chunk = 1; chunk <= 3 * FSIZE; chunk = chunk * 3 + 1) {
			feed(&f, NULL, &s, chunk, 1000, 50, &g);
			assert_int_equal(g.n, 50);
			check_invariants(&g);
		}
		free(s.buf);
	}
}

static void test_pure_drops(void **state)
{
	struct cred_frame_format f;
	unsigned char fr[FSIZE];
	struct stream s = { 0 };
	struct got g;
	int dropped = 0;

	fmt_of(&f, CRED_TAGS_CRED3);
	for (int i = 0; i < 100; i++) {
		if (i > 0 && i < 99 && (i % 7 == 3 || (i >= 40 && i < 45))) {
			dropped++;
			continue;
		}
		make_frame(&f, 7, i, fr);
		put(&s, fr, FSIZE);
	}
	rng_state = 7;
	feed(&f, NULL, &s, 1000, 7, 100, &g);
	assert_int_equal(g.st.dropped, dropped);
	assert_int_equal(g.n, 100 - dropped);
	assert_int_equal(g.st.resyncs, 0);
	check_invariants(&g);
	free(s.buf);
}

static void test_start_mid_frame(void **state)
{
	struct cred_frame_format f;
	struct stream s;
	struct got g;

	fmt_of(&f, CRED_TAGS_CRED3);
	build_clean(&f, 0, 10, &s);
	for (size_t cut = 1; cut < FSIZE; cut += 37) {
		struct stream t = { .buf = s.buf + cut, .len = s.len - cut };

		rng_state = cut;
		feed(&f, NULL, &t, 300, 0, 10, &g);
		assert_int_equal(g.n, 9);
		assert_int_equal(g.counter[0], 1);
		assert_int_equal(g.st.skipped_bytes, FSIZE - cut);
		assert_int_equal(g.st.resyncs, 0);
	}
	free(s.buf);
}

static void test_counter_wrap(void **state)
{
	struct cred_frame_format f;
	struct stream s;
	struct got g;

	fmt_of(&f, CRED_TAGS_CRED3);
	build_clean(&f, 0xfffffffdu, 8, &s);
	feed(&f, NULL, &s, 0, 0xfffffffdu, 8, &g);
	assert_int_equal(g.n, 8);
	assert_int_equal(g.counter[3], 0);
	assert_int_equal(g.st.dropped, 0);
	assert_int_equal(g.st.counter_jumps, 0);
	free(s.buf);
}

static void test_no_tags(void **state)
{
	struct cred_frame_format f;
	struct cred_assembler *a;
	struct cred_frame fr;
	unsigned char buf[FSIZE * 3 + 5];
	int n = 0;

	fmt_of(&f, CRED_TAGS_NONE);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i / FSIZE);
	assert_int_equal(cred_assembler_new(&f, NULL, &a), CRED_OK);
	assert_int_equal(cred_assembler_push(a, buf, 100, 0), CRED_OK);
	assert_int_equal(cred_assembler_next(a, &fr), 0);
	assert_int_equal(cred_assembler_push(a, buf + 100, sizeof(buf) - 100, 0), CRED_OK);
	while (cred_assembler_next(a, &fr) == 1) {
		assert_int_equal(fr.has_tags, 0);
		assert_int_equal(fr.tags.counter, (uint32_t)n);
		assert_int_equal(((const unsigned char *)fr.data)[FSIZE - 1], n);
		n++;
	}
	assert_int_equal(n, 3);
	assert_int_equal(cred_assembler_flush(a, 1, &fr), 0);
	assert_int_equal(cred_assembler_stats(a)->skipped_bytes, 5);
	cred_assembler_free(a);
}

/* Triggered acquisition: bursts of frames with silences between them.
 * Each burst's last frame is delivered when the source goes quiet. */
static void test_idle_flush(void **state)
{
	struct cred_frame_format f;
	struct cred_assembler *a;
	struct cred_frame fr;
	unsigned char buf[FSIZE * 3];
	int next = 0;

	fmt_of(&f, CRED_TAGS_CRED3);
	assert_int_equal(cred_assembler_new(&f, NULL, &a), CRED_OK);
	for (int burst = 0; burst < 4; burst++) {
		int frames = burst % 3 + 1, got = 0;

		for (int k = 0; k < frames; k++)
			make_frame(&f, 500, next + k, buf + k * FSIZE);
		assert_int_equal(cred_assembler_push(a, buf, (size_t)frames * FSIZE, burst), CRED_OK);
		while (cred_assembler_next(a, &fr) == 1)
			assert_int_equal(fr.tags.counter, 500 + next + got++);
		assert_int_equal(got, frames - 1);
		assert_int_equal(cred_assembler_flush(a, 0, &fr), 1);
		assert_int_equal(fr.tags.counter, 500 + next + frames - 1);
		assert_int_equal(cred_assembler_flush(a, 0, &fr), 0);
		next += frames;
	}
	/* A partial frame is not delivered by an idle flush. */
	make_frame(&f, 500, next, buf);
	assert_int_equal(cred_assembler_push(a, buf, FSIZE - 2, 9), CRED_OK);
	assert_int_equal(cred_assembler_next(a, &fr), 0);
	assert_int_equal(cred_assembler_flush(a, 0, &fr), 0);
	assert_int_equal(cred_assembler_push(a, buf + FSIZE - 2, 2, 10), CRED_OK);
	assert_int_equal(cred_assembler_next(a, &fr), 0);
	assert_int_equal(cred_assembler_flush(a, 1, &fr), 1);
	assert_int_equal(fr.tags.counter, 500 + next);
	assert_true(fr.timestamp == 10);
	assert_int_equal(cred_assembler_stats(a)->dropped, 0);
	/* Pushing again before the chunk is used up is a caller bug. */
	assert_int_equal(cred_assembler_push(a, buf, FSIZE, 0), CRED_OK);
	assert_int_equal(cred_assembler_push(a, buf, FSIZE, 0), CRED_ERR_ARG);
	cred_assembler_free(a);
}

/* A frame is stamped with the arrival of its last byte; frames ending in
 * one chunk are spread over the interval since the previous push, so
 * their times differ and increase (both ways of keeping the tail). */
static void test_arrival_times(void **state)
{
	static unsigned char buf[6 * FSIZE];
	const double want[5] = { 9 + 1.0 / 3, 9 + 2.0 / 3, 10, 11 + 1.0 / 3, 12 };
	struct cred_frame_format f;
	struct cred_frame fr;

	(void)state;
	fmt_of(&f, CRED_TAGS_CRED3);
	for (int k = 0; k < 5; k++)
		make_frame(&f, 7, k, buf + k * FSIZE);
	for (int contiguous = 0; contiguous <= 1; contiguous++) {
		struct cred_assembler_options o = { .contiguous = contiguous };
		struct cred_assembler *a;
		/* three frames at 10, half a frame at 11, the rest at 12 */
		const size_t cut[4] = { 0, 3 * FSIZE, 3 * FSIZE + FSIZE / 2, 5 * FSIZE };
		int got = 0;

		assert_int_equal(cred_assembler_new(&f, &o, &a), CRED_OK);
		assert_int_equal(cred_assembler_push(a, NULL, 0, 9), CRED_OK);
		for (int c = 0; c < 3; c++) {
			assert_int_equal(cred_assembler_push(a, buf + cut[c], cut[c + 1] - cut[c], 10 + c),
					 CRED_OK);
			while (cred_assembler_next(a, &fr) == 1) {
				assert_int_equal(fr.tags.counter, 7 + got);
				assert_true(fr.timestamp > want[got] - 1e-9 && fr.timestamp < want[got] + 1e-9);
				got++;
			}
		}
		assert_int_equal(cred_assembler_flush(a, 1, &fr), 1);
		assert_true(fr.timestamp == 12);
		assert_int_equal(got, 4);
		cred_assembler_free(a);
	}
}

/* A bad counter where the next tag should be: alignment is dropped and
 * found again, and the frames in between are counted. */
static void test_bad_tag_rescan(void **state)
{
	struct cred_frame_format f;
	unsigned char fr[FSIZE];
	struct stream s = { 0 };
	struct got g;

	fmt_of(&f, CRED_TAGS_CRED3);
	for (int i = 0; i < 20; i++) {
		make_frame(&f, 0, i, fr);
		if (i == 10)
			fr[7] = 0x7f; /* break frame 10's tag */
		put(&s, fr, FSIZE);
	}
	feed(&f, NULL, &s, 0, 0, 20, &g);
	/* frame 9 is not delivered (its end is not confirmed), frame 10 is
	 * unreadable, the rest is found again */
	assert_int_equal(g.n, 18);
	assert_int_equal(g.st.resyncs, 1);
	assert_int_equal(g.st.dropped, 2);
	check_invariants(&g);
	free(s.buf);
}

/* ---- the fuzz loop ------------------------------------------------------------ */

enum edit { KEEP, DROP, TRUNCATE, GARBAGE_BEFORE, DELETE_INTO_NEXT };

static void random_bytes(struct stream *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)rnd();

		put(s, &b, 1);
	}
}

/* Where each frame starts in the corrupted stream (with its whole tag),
 * and whether it is there untouched. */
struct layout {
	size_t start[MAXF];
	int has_start[MAXF];
	int intact[MAXF];
};

/* A damaged frame must not be followed, exactly one frame size later, by
 * another frame's tag: then its bytes would look like a well-formed frame
 * (a truncation plus garbage adding up to one frame), which no tag scheme
 * can tell from a real one. Such draws are thrown away. */
static int layout_ok(const struct layout *l, int n)
{
	for (int i = 0; i < n; i++) {
		if (!l->has_start[i] || l->intact[i])
			continue;
		for (int j = i + 1; j < n; j++)
			if (l->has_start[j] && l->start[j] == l->start[i] + FSIZE)
				return 0;
	}
	return 1;
}

/* Corrupt a stream of n frames at random. pure: whole-frame drops only.
 * Each frame gets at most one edit. Returns 0, or -1 for a draw that
 * layout_ok() rejects. */
static struct layout l;

static int build_corrupt(const struct cred_frame_format *f, uint32_t c0, int n, int pure,
			 struct stream *s, int *expect_drops)
{
	unsigned char fr[FSIZE];
	size_t del_pending = 0;

	memset(s, 0, sizeof(*s));
	memset(&l, 0, sizeof(l));
	*expect_drops = 0;
	for (int i = 0; i < n; i++) {
		uint32_t r = rnd() % 100;
		enum edit e = r < 70 ? KEEP : r < 80 ? DROP : pure ? KEEP
			      : r < 87 ? TRUNCATE : r < 94 ? GARBAGE_BEFORE : DELETE_INTO_NEXT;
		size_t start = del_pending, keep;

		make_frame(f, c0, i, fr);
		/* The first and last frames stay whole (and enough of their
		 * neighbours to lock on), so every loss lies between two
		 * delivered frames; a frame cut by a deletion is left alone. */
		if (i < 4 || i >= n - 4 || del_pending)
			e = KEEP;
		del_pending = 0;
		if (e == GARBAGE_BEFORE)
			random_bytes(s, rnd_range(1, 2 * FSIZE));
		l.start[i] = s->len;
		l.has_start[i] = start == 0 && e != DROP;
		l.intact[i] = start == 0 && (e == KEEP || e == GARBAGE_BEFORE);
		switch (e) {
		case KEEP:
		case GARBAGE_BEFORE:
			put(s, fr + start, FSIZE - start);
			break;
		case DROP:
			(*expect_drops)++;
			break;
		case TRUNCATE:
			keep = rnd_range(1, FSIZE - 1);
			l.has_start[i] = keep >= cred_tags_size(f->tags);
			put(s, fr, keep);
			break;
		case DELETE_INTO_NEXT: {
			size_t del = rnd_range(1, 2 * FSIZE - 2);

			keep = rnd_range(1, FSIZE - 1);
			if (keep + del >= 2 * FSIZE)
				del = 2 * FSIZE - 1 - keep;
			l.has_start[i] = keep >= cred_tags_size(f->tags);
			put(s, fr, keep);
			if (keep + del > FSIZE)
				del_pending = keep + del - FSIZE;
			else
				put(s, fr + keep + del, FSIZE - keep - del);
			break;
		}
		}
	}
	if (!layout_ok(&l, n)) {
		free(s->buf);
		return -1;
	}
	return 0;
}

/* A frame followed by lock-1 untouched frames, back to back, is always
 * delivered: damage elsewhere never costs good frames. */
static void check_delivered(const struct got *g, uint32_t c0, int n, int lock)
{
	int k = 0;

	for (int i = 0; i + lock - 1 < n; i++) {
		int safe = 1;

		for (int j = i; j < i + lock && safe; j++)
			safe = l.intact[j] && (j == i || l.start[j] == l.start[j - 1] + FSIZE);
		if (!safe)
			continue;
		while (k < g->n && g->counter[k] != c0 + (uint32_t)i)
			k++;
		assert_true(k < g->n);
	}
}

static void fuzz(enum cred_tag_kind kind, int seeds, int pure)
{
	struct cred_frame_format f;
	struct stream s;
	static struct got g, whole, in_place;
	struct cred_assembler_options contiguous = { .contiguous = 1 };
	int expect_drops;
	uint64_t resyncs = 0;

	fmt_of(&f, kind);
	for (int seed = 1; seed <= seeds; seed++) {
		uint32_t c0;

		rng_state = 0x1234567ull * (uint64_t)seed + (uint64_t)kind;
		c0 = rnd();
		while (build_corrupt(&f, c0, 300, pure, &s, &expect_drops) < 0)
			;
		feed(&f, NULL, &s, 0, c0, 300, &whole);
		check_invariants(&whole);
		feed(&f, NULL, &s, rnd_range(1, 3 * FSIZE), c0, 300, &g);
		check_invariants(&g);
		/* the same in place: chunks that follow each other in memory */
		feed(&f, &contiguous, &s, rnd_range(1, 3 * FSIZE), c0, 300, &in_place);
		assert_int_equal(in_place.n, g.n);
		assert_memory_equal(in_place.counter, g.counter, sizeof(uint32_t) * (size_t)g.n);
		assert_int_equal(in_place.st.dropped, g.st.dropped);
		assert_int_equal(in_place.in_stream, g.n);
		/* chunking never changes what comes out */
		assert_int_equal(g.n, whole.n);
		assert_memory_equal(g.counter, whole.counter, sizeof(uint32_t) * (size_t)g.n);
		assert_int_equal(g.st.dropped, whole.st.dropped);
		assert_int_equal(g.counter[0], c0);
		assert_int_equal(g.counter[g.n - 1], c0 + 299);
		check_delivered(&g, c0, 300, kind == CRED_TAGS_CREDONE ? 3 : 2);
		resyncs += g.st.resyncs;
		if (pure) {
			assert_int_equal(g.st.dropped, expect_drops);
			assert_int_equal(g.n, 300 - expect_drops);
			assert_int_equal(g.st.resyncs, 0);
		}
		free(s.buf);
	}
	/* the corruption did make the assembler lose and find its way */
	if (!pure)
		assert_true(resyncs > (uint64_t)seeds * 5);
}

static void test_fuzz_pure_drops(void **state)
{
	fuzz(CRED_TAGS_CRED3, 100, 1);
	fuzz(CRED_TAGS_CREDONE, 100, 1);
}

static void test_fuzz_cred3(void **state)
{
	fuzz(CRED_TAGS_CRED3, 300, 0);
}

static void test_fuzz_credone(void **state)
{
	fuzz(CRED_TAGS_CREDONE, 300, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_stream),
		cmocka_unit_test(test_empty_push),
		cmocka_unit_test(test_pure_drops),
		cmocka_unit_test(test_start_mid_frame),
		cmocka_unit_test(test_counter_wrap),
		cmocka_unit_test(test_no_tags),
		cmocka_unit_test(test_idle_flush),
		cmocka_unit_test(test_bad_tag_rescan),
		cmocka_unit_test(test_arrival_times),
		cmocka_unit_test(test_fuzz_pure_drops),
		cmocka_unit_test(test_fuzz_cred3),
		cmocka_unit_test(test_fuzz_credone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

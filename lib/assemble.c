/* Frame assembly: cut a headerless camera stream, fed in chunks of any
 * size, into whole frames, using the image tags to find and check frame
 * boundaries (the contract is in cred-frame.h).
 *
 * The stream is seen as the carry (bytes kept from earlier chunks, fewer
 * than one decision needs) followed by the current chunk. Decisions are
 * made in place in the chunk whenever the carry is empty, so frames that
 * lie inside a chunk are handed out without a copy; only the bytes that
 * straddle two chunks go through the carry. */
#include "cred-assembler.h"
#include "error-impl.h"
#include "tags-impl.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX_GAP 1024
/* Largest counter step between the frames that establish an alignment:
 * C-RED 3 tags have fixed bits, so frames may be missing in between (a
 * link that drops every other frame still locks); the C-RED One's tags
 * have none, so there the counters must follow exactly. */
#define LOCK_STEP_CRED3 16
#define HALF_RANGE 0x80000000u

enum step { STEP_NEED, STEP_SKIP, STEP_EMIT };

/* When the bytes of a chunk arrived: between the previous push (t0) and
 * this one (t1). Kept until every frame ending in it is delivered. */
struct arrival {
	uint64_t end;     /* stream offset just past the chunk */
	uint64_t len;
	double t0, t1;
};
#define ARRIVALS 64

struct cred_assembler {
	struct cred_frame_format fmt;
	size_t fsize;            /* bytes per frame */
	size_t tsize;            /* bytes of tags */
	int lock_frames;
	uint32_t max_gap;

	unsigned char *carry;    /* bytes kept from earlier chunks */
	size_t cap, cpos, clen;
	size_t carry_old;        /* carry bytes that predate the current chunk */

	int contiguous;          /* the caller keeps the undecided tail in place */
	const unsigned char *tail; /* ... here (contiguous mode) */
	size_t tail_len;

	const unsigned char *chunk; /* the chunk being read in place */
	size_t len, pos;
	size_t appended;         /* chunk bytes already copied into the carry */
	int chunk_active, in_chunk;
	double timestamp;
	uint64_t pushed;         /* stream bytes pushed so far */
	uint64_t cursor;         /* stream offset of the first undecided byte */
	struct arrival arr[ARRIVALS]; /* chunks that may hold a frame's end, oldest first */
	int narr;
	int have_last_push;
	double last_push;        /* when the previous push (or a zero-length one) came */

	int locked;              /* the frame at the cursor has a checked tag */
	struct cred_tags cur;    /* ... which says this */
	int at_boundary;         /* the cursor is where the stream or a flush left off */
	int have_last;
	uint32_t last;           /* counter of the last frame delivered */
	uint64_t index;
	struct cred_assembler_stats st;

	/* whole-frame sources */
	int frame_pending;        /* pending holds a checked frame for _next */
	struct cred_frame pending;
	int have_leap;            /* a counter leap waits for confirmation */
	uint32_t leap;            /* ... the counter that leapt */
};

static int tag_at(const struct cred_assembler *a, const unsigned char *p, struct cred_tags *t)
{
	return cred_tags_decode(a->fmt.tags, &a->fmt.rules, p, a->tsize, t) == 1;
}

/* Bytes the scanning state needs to accept an alignment at the cursor. */
static size_t scan_need(const struct cred_assembler *a)
{
	return (size_t)(a->lock_frames - 1) * a->fsize + a->tsize;
}

static size_t max_need(const struct cred_assembler *a)
{
	if (a->fmt.tags == CRED_TAGS_NONE)
		return a->fsize;
	if (a->locked)
		return a->fsize + a->tsize;
	return scan_need(a);
}

int cred_assembler_new(const struct cred_frame_format *fmt,
		       const struct cred_assembler_options *opts,
		       struct cred_assembler **out)
{
	struct cred_assembler *a;
	int err;

	*out = NULL;
	err = cred_frame_format_check(fmt);
	if (err)
		return err;
	a = calloc(1, sizeof(*a));
	if (!a)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	a->fmt = *fmt;
	a->fsize = cred_frame_format_size(fmt);
	a->tsize = cred_tags_size(fmt->tags);
	a->lock_frames = opts && opts->lock_frames > 0 ? opts->lock_frames
			 : fmt->tags == CRED_TAGS_CREDONE ? 3 : 2;
	if (a->lock_frames < 2)
		a->lock_frames = 2;
	a->max_gap = opts && opts->max_gap ? opts->max_gap : DEFAULT_MAX_GAP;
	a->contiguous = opts && opts->contiguous;
	a->cap = a->fsize * (size_t)a->lock_frames + a->tsize;
	a->carry = malloc(a->cap);
	if (!a->carry) {
		size_t cap = a->cap;

		free(a);
		return cred_fail(CRED_ERR_MEM, "out of memory for a %zu-byte frame buffer", cap);
	}
	a->at_boundary = 1;
	*out = a;
	return CRED_OK;
}

void cred_assembler_free(struct cred_assembler *a)
{
	if (!a)
		return;
	free(a->carry);
	free(a);
}

const struct cred_assembler_stats *cred_assembler_stats(const struct cred_assembler *a)
{
	return &a->st;
}

const struct cred_frame_format *cred_assembler_format(const struct cred_assembler *a)
{
	return &a->fmt;
}

size_t cred_assembler_lookahead(const struct cred_assembler *a)
{
	return a->cap;
}

static void compact_carry(struct cred_assembler *a)
{
	if (a->cpos == 0)
		return;
	memmove(a->carry, a->carry + a->cpos, a->clen - a->cpos);
	a->clen -= a->cpos;
	/* While the carry is being read, cpos < carry_old. */
	a->carry_old = a->carry_old > a->cpos ? a->carry_old - a->cpos : 0;
	a->cpos = 0;
}

/* The undecided tail sits in memory right before the chunk (the caller's
 * promise): read both in place. */
static int push_contiguous(struct cred_assembler *a, const unsigned char *data, size_t len,
			   double timestamp)
{
	if (len == 0) {
		a->chunk = a->tail;
		a->len = a->tail_len;
	} else {
		a->chunk = data - a->tail_len;
		a->len = a->tail_len + len;
	}
	a->tail_len = 0;
	a->pos = 0;
	a->chunk_active = 1;
	a->in_chunk = 1;
	a->timestamp = timestamp;
	a->st.bytes += len;
	return CRED_OK;
}

/* Chunks no frame can end in any more (the cursor is past them) go; a
 * full list folds its two oldest chunks into one (a coarser spread). */
static void note_arrival(struct cred_assembler *a, size_t len, double timestamp)
{
	int drop = 0;

	while (drop < a->narr && a->arr[drop].end <= a->cursor)
		drop++;
	if (drop == 0 && a->narr == ARRIVALS) {
		a->arr[1].len += a->arr[0].len;
		a->arr[1].t0 = a->arr[0].t0;
		drop = 1;
	}
	memmove(a->arr, a->arr + drop, (size_t)(a->narr - drop) * sizeof(a->arr[0]));
	a->narr -= drop;
	a->pushed += len;
	a->arr[a->narr].end = a->pushed;
	a->arr[a->narr].len = len;
	a->arr[a->narr].t1 = timestamp;
	a->arr[a->narr].t0 = a->have_last_push && a->last_push < timestamp ? a->last_push : timestamp;
	a->narr++;
	a->last_push = timestamp;
	a->have_last_push = 1;
}

/* The arrival time of a frame ending at stream offset end (just past its
 * last byte): the time of the chunk holding that byte, spread over the
 * chunk's interval by the byte's place in it, so frames that came in one
 * chunk keep their order. */
static double arrival_time(struct cred_assembler *a, uint64_t end)
{
	int i = 0;

	while (i < a->narr && a->arr[i].end < end)
		i++;
	if (i == a->narr)
		return a->timestamp;
	memmove(a->arr, a->arr + i, (size_t)(a->narr - i) * sizeof(a->arr[0]));
	a->narr -= i;
	return a->arr[0].t0 + (a->arr[0].t1 - a->arr[0].t0) *
	       (double)(end - (a->arr[0].end - a->arr[0].len)) / (double)a->arr[0].len;
}

int cred_assembler_push(struct cred_assembler *a, const void *data, size_t len, double timestamp)
{
	if (a->chunk_active)
		return cred_fail(CRED_ERR_ARG, "the previous chunk was not used up");
	if (len && !data)
		return cred_fail(CRED_ERR_ARG, "no data");
	if (len == 0) {
		/* nothing to cut (a NULL chunk must not reach memcpy): only
		 * the time at which nothing more had come */
		a->last_push = timestamp;
		a->have_last_push = 1;
		return CRED_OK;
	}
	note_arrival(a, len, timestamp);
	if (a->contiguous)
		return push_contiguous(a, data, len, timestamp);
	compact_carry(a);
	a->carry_old = a->clen;
	a->chunk = data;
	a->len = len;
	a->pos = 0;
	a->appended = 0;
	a->chunk_active = 1;
	a->in_chunk = a->clen == 0;
	a->timestamp = timestamp;
	a->st.bytes += len;
	return CRED_OK;
}

/* ---- decisions ---------------------------------------------------------- */

/* Scanning: accept the cursor when lock_frames tags one frame apart count
 * up by exactly one. */
static enum step decide_scan(struct cred_assembler *a, const unsigned char *p, size_t avail,
			     size_t *adv, struct cred_tags *emit)
{
	struct cred_tags t0, t, prev;
	uint32_t most = a->fmt.tags == CRED_TAGS_CRED3 ? LOCK_STEP_CRED3 : 1, step;
	size_t skip;

	if (avail < a->tsize)
		return STEP_NEED;
	skip = cred_tags_find(a->fmt.tags, &a->fmt.rules, p, avail);
	if (skip > 0) {
		*adv = skip;
		return STEP_SKIP;
	}
	if (avail < scan_need(a))
		return STEP_NEED;
	tag_at(a, p, &t0);
	prev = t0;
	for (int k = 1; k < a->lock_frames; k++) {
		if (!tag_at(a, p + (size_t)k * a->fsize, &t) || (step = t.counter - prev.counter) < 1 ||
		    step > most) {
			*adv = 1;
			return STEP_SKIP;
		}
		if (k == 1)
			a->cur = t;
		prev = t;
	}
	a->locked = 1;
	*emit = t0;
	*adv = a->fsize;
	return STEP_EMIT;
}

/* Aligned: the frame at the cursor is delivered when the next tag is where
 * it must be and counts forward by 1..max_gap. */
static enum step decide_locked(struct cred_assembler *a, const unsigned char *p, size_t avail,
			       size_t *adv, struct cred_tags *emit)
{
	struct cred_tags next;
	uint32_t step;

	if (avail < a->fsize + a->tsize)
		return STEP_NEED;
	if (tag_at(a, p + a->fsize, &next)) {
		step = next.counter - a->cur.counter;
		if (step >= 1 && step <= a->max_gap) {
			*emit = a->cur;
			a->cur = next;
			*adv = a->fsize;
			return STEP_EMIT;
		}
	}
	a->locked = 0;
	a->st.resyncs++;
	*adv = 1;
	return STEP_SKIP;
}

static enum step decide(struct cred_assembler *a, const unsigned char *p, size_t avail,
			size_t *adv, struct cred_tags *emit)
{
	enum step s;

	if (a->fmt.tags == CRED_TAGS_NONE) {
		if (avail < a->fsize)
			return STEP_NEED;
		*adv = a->fsize;
		return STEP_EMIT;
	}
	s = a->locked ? decide_locked(a, p, avail, adv, emit) : decide_scan(a, p, avail, adv, emit);
	if (s == STEP_SKIP) {
		a->st.skipped_bytes += *adv;
		a->at_boundary = 0;
	}
	return s;
}

/* Count the frames missing between the last delivered frame and this one. */
static void account(struct cred_assembler *a, uint32_t counter)
{
	if (a->have_last) {
		uint32_t step = counter - a->last;

		if (step >= 1 && step < HALF_RANGE)
			a->st.dropped += step - 1;
		else
			a->st.counter_jumps++;
	}
	a->have_last = 1;
	a->last = counter;
}

static void fill_frame(struct cred_assembler *a, const unsigned char *p,
		       const struct cred_tags *tags, struct cred_frame *f)
{
	f->data = p;
	f->size = a->fsize;
	f->width = a->fmt.width;
	f->height = a->fmt.height;
	f->pixel_signed = a->fmt.pixel_signed;
	f->index = a->index++;
	f->timestamp = a->narr ? arrival_time(a, a->cursor + a->fsize) : a->timestamp;
	if (a->fmt.tags == CRED_TAGS_NONE) {
		f->has_tags = 0;
		f->tags.counter = (uint32_t)f->index;
		f->tags.pixel2 = 0;
		f->tags.gain_cap = -1;
		f->tags.marker = -1;
	} else {
		f->has_tags = 1;
		f->tags = *tags;
		account(a, tags->counter);
	}
	a->st.frames++;
	a->st.locked = a->locked;
}

/* ---- feeding -------------------------------------------------------------- */

/* Copy more of the chunk into the carry so the pending decision can be
 * made. Returns 0 when the chunk has nothing more to give. */
static int top_up(struct cred_assembler *a)
{
	size_t avail = a->clen - a->cpos, want = max_need(a), left = a->len - a->appended;

	if (left == 0 || avail >= want)
		return 0;
	want -= avail;
	if (want > left)
		want = left;
	if (a->cap - a->clen < want)
		compact_carry(a);
	memcpy(a->carry + a->clen, a->chunk + a->appended, want);
	a->clen += want;
	a->appended += want;
	return 1;
}

/* One decision on the carry. Returns 1 with a frame, 0 to go on, -1 when
 * the chunk is used up. */
static int step_carry(struct cred_assembler *a, struct cred_frame *f)
{
	struct cred_tags tags;
	size_t adv = 0;
	enum step s = decide(a, a->carry + a->cpos, a->clen - a->cpos, &adv, &tags);

	if (s == STEP_NEED)
		return top_up(a) ? 0 : -1;
	if (s == STEP_EMIT)
		fill_frame(a, a->carry + a->cpos, &tags, f);
	a->cpos += adv;
	a->cursor += adv;
	if (a->cpos >= a->carry_old) {
		/* Every older byte is used: go on in place in the chunk. */
		a->pos = a->cpos - a->carry_old;
		a->cpos = a->clen = a->carry_old = 0;
		a->in_chunk = 1;
	}
	return s == STEP_EMIT;
}

static int step_chunk(struct cred_assembler *a, struct cred_frame *f)
{
	struct cred_tags tags;
	size_t adv = 0, avail = a->len - a->pos;
	enum step s = decide(a, a->chunk + a->pos, avail, &adv, &tags);

	if (s == STEP_NEED) {
		/* Keep the undecided tail: fewer bytes than one decision needs. */
		if (a->contiguous) {
			a->tail = a->chunk + a->pos;
			a->tail_len = avail;
		} else {
			memcpy(a->carry, a->chunk + a->pos, avail);
			a->cpos = 0;
			a->clen = avail;
		}
		a->pos = a->len;
		return -1;
	}
	if (s == STEP_EMIT)
		fill_frame(a, a->chunk + a->pos, &tags, f);
	a->pos += adv;
	a->cursor += adv;
	return s == STEP_EMIT;
}

int cred_assembler_next(struct cred_assembler *a, struct cred_frame *frame)
{
	int r;

	if (a->frame_pending) {
		*frame = a->pending;
		a->frame_pending = 0;
		return 1;
	}
	if (!a->chunk_active)
		return 0;
	do
		r = a->in_chunk ? step_chunk(a, frame) : step_carry(a, frame);
	while (r == 0);
	if (r < 0) {
		a->chunk_active = 0;
		a->chunk = NULL;
		a->st.locked = a->locked;
		return 0;
	}
	return 1;
}

/* The bytes not decided yet, wherever they are kept. */
static const unsigned char *undecided(const struct cred_assembler *a, size_t *len)
{
	if (a->contiguous) {
		*len = a->tail_len;
		return a->tail;
	}
	*len = a->clen - a->cpos;
	return a->carry + a->cpos;
}

static void consume(struct cred_assembler *a, size_t n)
{
	a->cursor += n;
	if (a->contiguous) {
		a->tail += n;
		a->tail_len -= n;
	} else {
		a->cpos += n;
	}
}

int cred_assembler_flush(struct cred_assembler *a, int end, struct cred_frame *frame)
{
	size_t rem;
	const unsigned char *p = undecided(a, &rem);
	struct cred_tags t;
	int ok = 0;

	if (a->chunk_active)
		return cred_fail(CRED_ERR_ARG, "the pushed chunk was not used up");
	if (a->fmt.tags != CRED_TAGS_NONE && rem == a->fsize && tag_at(a, p, &t) &&
	    (a->locked || a->at_boundary)) {
		if (a->locked)
			t = a->cur;
		fill_frame(a, p, &t, frame);
		consume(a, a->fsize);
		rem -= a->fsize;
		a->locked = 0;
		a->at_boundary = 1;
		ok = 1;
	}
	if (end && rem) {
		a->st.skipped_bytes += rem;
		/* The frame just delivered, if any, is still in place. */
		consume(a, rem);
	}
	a->st.locked = a->locked;
	return ok;
}

/* ---- whole frames from a frame grabber ---------------------------------------- */

/* Whether a whole frame's counter may follow the last one. A step out of
 * 1..max_gap is a scrambled tag unless the next frame follows it (the
 * camera restarted): then the leap is believed. */
static int counter_follows(struct cred_assembler *a, uint32_t counter)
{
	uint32_t step = counter - a->last;

	if (!a->have_last || (step >= 1 && step <= a->max_gap)) {
		a->have_leap = 0;
		return 1;
	}
	if (a->have_leap && counter - a->leap == 1) {
		a->st.counter_jumps++;
		a->have_last = 0; /* no gap is counted across the leap */
		a->have_leap = 0;
		return 1;
	}
	a->have_leap = 1;
	a->leap = counter;
	return 0;
}

int cred_assembler_push_frame(struct cred_assembler *a, const void *data, size_t len,
			      double timestamp, const struct cred_grab_info *info)
{
	struct cred_tags tags;
	int tagged = a->fmt.tags != CRED_TAGS_NONE;

	if (a->chunk_active || a->frame_pending)
		return cred_fail(CRED_ERR_ARG, "the previous chunk was not used up");
	if (len && !data)
		return cred_fail(CRED_ERR_ARG, "no data");
	a->st.bytes += len;
	if (info && info->lost) {
		a->st.source_lost += info->lost;
		/* with tags the counter gap counts these frames exactly */
		if (!tagged)
			a->st.dropped += info->lost;
	}
	if ((info && info->incomplete) || len != a->fsize) {
		a->st.incomplete++;
		if (!tagged)
			a->st.dropped++;
		return CRED_OK;
	}
	if (tagged && (!tag_at(a, data, &tags) || !counter_follows(a, tags.counter))) {
		a->st.bad_frames++;
		return CRED_OK;
	}
	a->timestamp = timestamp;
	a->locked = 1;
	fill_frame(a, data, tagged ? &tags : NULL, &a->pending);
	a->frame_pending = 1;
	return CRED_OK;
}

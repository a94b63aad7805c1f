/* The frame ring: fixed slots allocated once, one producer and one
 * consumer under one mutex. The copy into a slot happens outside the lock
 * (the slot belongs to the producer until it is published), so the
 * consumer is never held up by a memcpy, nor the producer by a write. */
#include "cred-ring.h"
#include "error-impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

struct cred_ring {
	pthread_mutex_t lock;
	pthread_cond_t filled;   /* a frame was published, or the ring ended */
	pthread_cond_t freed;    /* a slot was released, or the ring abandoned */
	enum cred_ring_mode mode;
	unsigned char *mem;      /* capacity * frame_size bytes */
	struct cred_frame *meta; /* one description per slot */
	uint64_t head, tail;     /* next slot to fill / to take, counted forever */
	int abandoned;
	struct cred_ring_stats st;
};

/* The slots' memory straight from the system, in huge pages where it can:
 * the first pass through a large ring then takes a page fault every 2 MiB
 * instead of every 4 KiB, which the source thread would feel at 400 MB/s. */
static unsigned char *map_slots(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

int cred_ring_new(size_t frame_size, uint64_t frames, enum cred_ring_mode mode,
		  struct cred_ring **out)
{
	struct cred_ring *r;

	*out = NULL;
	if (frame_size == 0 || frames == 0)
		return cred_fail(CRED_ERR_ARG, "a frame ring needs frames of some size");
	if (frames > SIZE_MAX / frame_size || frames > SIZE_MAX / sizeof(struct cred_frame))
		return cred_fail(CRED_ERR_ARG, "a frame ring of %llu frames does not fit in memory",
				 (unsigned long long)frames);
	r = calloc(1, sizeof(*r));
	if (!r)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	r->mem = map_slots(frame_size * frames);
	r->meta = calloc(frames, sizeof(*r->meta));
	if (!r->mem || !r->meta) {
		if (r->mem)
			munmap(r->mem, frame_size * frames);
		free(r->meta);
		free(r);
		return cred_fail(CRED_ERR_MEM, "cannot reserve %.1f MiB for %llu frames",
				 (double)frame_size * (double)frames / 1048576.0,
				 (unsigned long long)frames);
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->freed, NULL);
	r->mode = mode;
	r->st.capacity = frames;
	r->st.frame_size = frame_size;
	*out = r;
	return CRED_OK;
}

void cred_ring_free(struct cred_ring *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->filled);
	pthread_cond_destroy(&r->freed);
	munmap(r->mem, r->st.capacity * r->st.frame_size);
	free(r->meta);
	free(r);
}

static unsigned char *slot_data(struct cred_ring *r, uint64_t n)
{
	return r->mem + (size_t)(n % r->st.capacity) * r->st.frame_size;
}

/* Wait for room: 1 when a slot is free, 0 when the frame is not to be
 * stored (full in DROP mode, or abandoned). Called locked. */
static int room(struct cred_ring *r)
{
	while (!r->abandoned && r->head - r->tail == r->st.capacity) {
		if (r->mode == CRED_RING_DROP) {
			r->st.dropped_full++;
			return 0;
		}
		pthread_cond_wait(&r->freed, &r->lock);
	}
	return !r->abandoned;
}

int cred_ring_push(struct cred_ring *r, const struct cred_frame *f)
{
	struct cred_frame *m;
	uint64_t used;
	int ok;

	if (f->size > r->st.frame_size)
		return cred_fail(CRED_ERR_ARG, "a frame of %zu bytes in a ring of %zu-byte frames",
				 f->size, r->st.frame_size);
	pthread_mutex_lock(&r->lock);
	ok = r->st.ended ? -1 : room(r);
	pthread_mutex_unlock(&r->lock);
	if (ok < 0)
		return cred_fail(CRED_ERR_ARG, "a frame pushed into an ended ring");
	if (!ok)
		return 0;
	/* The slot at head is the producer's until head moves. */
	m = &r->meta[r->head % r->st.capacity];
	*m = *f;
	m->data = slot_data(r, r->head);
	memcpy((void *)m->data, f->data, f->size);
	pthread_mutex_lock(&r->lock);
	r->head++;
	r->st.pushed++;
	used = r->head - r->tail;
	if (used > r->st.high_water)
		r->st.high_water = used;
	pthread_cond_signal(&r->filled);
	pthread_mutex_unlock(&r->lock);
	return 1;
}

void cred_ring_end(struct cred_ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->st.ended = 1;
	pthread_cond_broadcast(&r->filled);
	pthread_mutex_unlock(&r->lock);
}

/* Absolute CLOCK_REALTIME deadline timeout_ms from now (what
 * pthread_cond_timedwait takes by default). */
static struct timespec deadline(int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

int cred_ring_get(struct cred_ring *r, struct cred_frame *frame, int timeout_ms)
{
	struct timespec until = deadline(timeout_ms > 0 ? timeout_ms : 0);
	int got = 0;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		if (r->head != r->tail) {
			*frame = r->meta[r->tail % r->st.capacity];
			got = 1;
			break;
		}
		if (r->st.ended)
			break;
		if (timeout_ms < 0) {
			pthread_cond_wait(&r->filled, &r->lock);
		} else if (pthread_cond_timedwait(&r->filled, &r->lock, &until) == ETIMEDOUT &&
			   r->head == r->tail && !r->st.ended) {
			got = CRED_ERR_TIMEOUT;
			break;
		}
	}
	pthread_mutex_unlock(&r->lock);
	if (got == CRED_ERR_TIMEOUT)
		return cred_fail(CRED_ERR_TIMEOUT, "no frame in the ring");
	return got;
}

void cred_ring_release(struct cred_ring *r)
{
	pthread_mutex_lock(&r->lock);
	if (r->tail != r->head) {
		r->tail++;
		r->st.taken++;
		pthread_cond_signal(&r->freed);
	}
	pthread_mutex_unlock(&r->lock);
}

void cred_ring_abandon(struct cred_ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->abandoned = 1;
	pthread_cond_broadcast(&r->freed);
	pthread_mutex_unlock(&r->lock);
}

void cred_ring_stats(struct cred_ring *r, struct cred_ring_stats *out)
{
	pthread_mutex_lock(&r->lock);
	*out = r->st;
	out->used = r->head - r->tail;
	pthread_mutex_unlock(&r->lock);
}

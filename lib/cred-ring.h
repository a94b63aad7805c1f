/* A ring of whole frames between a source thread and the writers, so
 * acquisition never waits for a writer (see cred-frame.h for frames). */
#ifndef CRED_RING_H
#define CRED_RING_H

#include "cred-frame.h"

/* ---- the frame ring --------------------------------------------------------
 *
 * One producer (the thread that drains a source: an assembler's frames, a
 * frame grabber's buffers) and one consumer (the thread that writes). All
 * memory is allocated once, by cred_ring_new: slots of one frame size,
 * each holding a frame's pixels and its description (struct cred_frame).
 *
 * A live source (a camera, the simulator) cannot wait: a frame that finds
 * every slot taken is dropped and counted (dropped_full), apart from the
 * camera's own counter gaps, which the assembler counts. A replayed file or
 * a pipe can wait: a ring made with CRED_RING_WAIT makes the producer wait
 * for a free slot instead, and nothing is dropped.
 *
 * Producer:  cred_ring_push() for every frame, cred_ring_end() at the end.
 * Consumer:  cred_ring_get() / cred_ring_release() until get returns 0;
 *            cred_ring_abandon() to stop early (a producer waiting for
 *            room is released, later pushes are refused).
 * Anything:  cred_ring_stats(). */

struct cred_ring;

enum cred_ring_mode {
	CRED_RING_DROP = 0,  /* full: drop the new frame and count it */
	CRED_RING_WAIT = 1,  /* full: the producer waits for a free slot */
};

struct cred_ring_stats {
	uint64_t capacity;      /* slots (frames the ring holds) */
	size_t frame_size;      /* bytes per slot's pixels */
	uint64_t pushed;        /* frames stored */
	uint64_t dropped_full;  /* frames dropped because every slot was taken */
	uint64_t taken;         /* frames released by the consumer */
	uint64_t used;          /* frames in the ring now */
	uint64_t high_water;    /* most frames ever in the ring at once */
	int ended;              /* the producer called cred_ring_end */
};

/* A ring of frames slots of frame_size bytes each (frames >= 1), the
 * memory reserved at once. The pages are the system's to hand out as they
 * are first used, so a short run touches only what it uses; the peak never
 * exceeds frames * frame_size whatever the number of frames. Errors:
 * CRED_ERR_ARG (zero sizes, or a total beyond the address space),
 * CRED_ERR_MEM (the memory cannot be had: the message gives the size).
 * Free with cred_ring_free. */
CRED_API int cred_ring_new(size_t frame_size, uint64_t frames, enum cred_ring_mode mode,
			   struct cred_ring **out);

/* Free the ring and its memory. Neither thread may use it any more. NULL
 * is ignored. */
CRED_API void cred_ring_free(struct cred_ring *r);

/* Producer: copy frame (its pixels, frame->size bytes, at most the slot
 * size, and its description) into the next free slot. Returns 1 when
 * stored; 0 when not: dropped because the ring is full (DROP mode; counted
 * in dropped_full), or the consumer abandoned the ring (not counted). In
 * WAIT mode it waits for a slot (or the abandonment). CRED_ERR_ARG for a
 * frame larger than a slot or a push after cred_ring_end. */
CRED_API int cred_ring_push(struct cred_ring *r, const struct cred_frame *frame);

/* Producer: no more frames. The consumer gets those in the ring, then 0. */
CRED_API void cred_ring_end(struct cred_ring *r);

/* Consumer: wait up to timeout_ms (-1: forever) for the oldest frame.
 * Returns 1 with *frame (data points into the ring, valid until
 * cred_ring_release), 0 when the ring is ended and empty, CRED_ERR_TIMEOUT
 * when nothing came in time. Call cred_ring_release before the next get. */
CRED_API int cred_ring_get(struct cred_ring *r, struct cred_frame *frame, int timeout_ms);

/* Consumer: the frame from cred_ring_get is written; its slot is free. */
CRED_API void cred_ring_release(struct cred_ring *r);

/* Consumer: stop taking frames. A waiting producer returns, and further
 * pushes return 0 without counting a drop. Frames still in the ring stay
 * counted in used (the caller reports them as lost). */
CRED_API void cred_ring_abandon(struct cred_ring *r);

/* A consistent snapshot of the counts, from either thread. */
CRED_API void cred_ring_stats(struct cred_ring *r, struct cred_ring_stats *out);

#endif

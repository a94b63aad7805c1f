/* Cutting whole frames out of a headerless camera stream (see cred-frame.h). */
#ifndef CRED_ASSEMBLER_H
#define CRED_ASSEMBLER_H

#include "cred-frame.h"

/* ---- assembling frames from a headerless stream ------------------------------ */

struct cred_assembler;

struct cred_assembler_options {
	int lock_frames;     /* tags one frame apart needed to trust an alignment:
			      * 0 = default (2 for C-RED 3 tags, 3 for C-RED One
			      * tags, whose signature is weak) */
	uint32_t max_gap;    /* largest counter step accepted between two frames
			      * once aligned (0 = 1024); a larger one is taken
			      * as a bad tag and the stream is searched again */
	int contiguous;      /* the caller keeps bytes in place: in memory, right
			      * before each chunk, lie the cred_assembler_lookahead()
			      * stream bytes that came before it (a ring buffer
			      * mapped twice, see cred_stream_contiguous). Then
			      * nothing is ever copied: every frame points into
			      * the caller's memory. */
};

/* How the assembly went. */
struct cred_assembler_stats {
	uint64_t bytes;          /* bytes pushed */
	uint64_t frames;         /* frames delivered */
	uint64_t dropped;        /* frames missing between delivered frames (counter
				  * gaps): exact, also across a resynchronisation */
	uint64_t resyncs;        /* times the alignment was lost */
	uint64_t skipped_bytes;  /* bytes thrown away while searching */
	uint64_t counter_jumps;  /* counter went backwards or leapt by >= 2^31
				  * (camera restarted): gap not counted */
	int locked;              /* currently aligned */
	/* whole-frame sources (frame grabbers, cred_assembler_push_frame) */
	uint64_t incomplete;     /* buffers the grabber did not fill: not delivered */
	uint64_t source_lost;    /* frames the grabber itself counted as lost */
	uint64_t bad_frames;     /* whole frames whose tags failed the check (or
				  * whose counter leapt): not delivered. Many of
				  * them while data flows means scrambled frames */
};

/* An assembler for frames of fmt (copied). opts may be NULL. Memory is
 * bounded: at most (lock_frames + 1) frames are kept between pushes.
 *
 * The contract, designed so no misaligned frame is ever delivered:
 * - a frame is delivered only when the tag of the frame after it sits
 *   exactly one frame later and its counter follows (1..max_gap ahead), or
 *   at an idle point or the end of the stream when exactly one whole frame
 *   with a valid tag is pending (cred_assembler_flush);
 * - to (re)gain alignment it needs lock_frames tags one frame apart whose
 *   counters increase by exactly 1 (C-RED One) or by 1-16 (C-RED 3, whose
 *   tags have fixed bits); it scans byte by byte for them;
 * - a bad tag where one is expected throws alignment away (the frame
 *   before it is not delivered) and scanning starts again one byte on.
 * So a frame is delivered one frame late: with a slow or triggered stream
 * call cred_assembler_flush when the source goes quiet.
 * Without tags, frames are cut every frame size from the first byte. */
CRED_API int cred_assembler_new(const struct cred_frame_format *fmt,
				const struct cred_assembler_options *opts,
				struct cred_assembler **out);
/* Free the assembler; frames it handed out are invalid from then on.
 * NULL is ignored. */
CRED_API void cred_assembler_free(struct cred_assembler *a);

/* Hand the next chunk of the stream over (len may be 0). The assembler
 * reads it in place: it must stay valid and unchanged until
 * cred_assembler_next() returns 0 (contiguous mode: longer, see above).
 * timestamp is the host time the chunk arrived. A frame is stamped with
 * the arrival of its last byte: the time of the chunk that held it, and
 * when several frames end in one chunk, a time spread over the interval
 * since the previous push in proportion to the byte's place in the chunk
 * (the bytes came in between), so frames of one chunk keep distinct,
 * increasing times. A zero-length push (data may be NULL) only records
 * that nothing more had come by timestamp: call it when the source is
 * started or found quiet, so the next chunk's interval starts there.
 * CRED_ERR_ARG if the previous chunk was not used up. */
CRED_API int cred_assembler_push(struct cred_assembler *a, const void *data, size_t len,
				 double timestamp);

/* The next frame: returns 1 and fills *frame, or 0 when the pushed data
 * is used up (what is left of it is copied into the assembler). The
 * frame's data points into the pushed chunk when the whole frame lies in
 * it (no copy), else into the assembler; it stays valid until the next
 * call on a. */
CRED_API int cred_assembler_next(struct cred_assembler *a, struct cred_frame *frame);

/* The source has gone quiet (end 0) or ended (end 1): deliver the pending
 * frame if exactly one whole frame is pending, starts with a valid tag and
 * either follows an aligned frame or starts where the stream or the
 * previous flush left off. Returns 1 with *frame (valid until the next
 * call), or 0. With end set, everything left is then discarded (counted
 * in skipped_bytes). Call after cred_assembler_next returned 0. */
CRED_API int cred_assembler_flush(struct cred_assembler *a, int end, struct cred_frame *frame);

/* What a frame grabber says about one buffer (cred_stream_read of a
 * whole-frame source, see cred_stream_whole_frames). */
struct cred_grab_info {
	int incomplete;      /* the grabber did not fill the buffer (overrun, lost
			      * data, a timeout in the middle of a frame) */
	uint64_t lost;       /* frames the grabber counted as lost before this
			      * buffer (a queue underrun) */
};

/* Hand over one whole frame as a frame grabber filled it (len bytes at
 * data, read in place: no copy). The frame is checked, not searched: it
 * is delivered by the next cred_assembler_next() when it is complete, has
 * the format's size and, with tags, a valid tag whose counter follows the
 * last frame's by 1..max_gap (a leap is believed when the next frame
 * confirms it: counted in counter_jumps). Else it is counted (incomplete,
 * bad_frames) and dropped. Drops: with tags, the counter gaps (exact,
 * including incomplete and bad frames); without tags, what the grabber
 * says (info->lost, incomplete buffers). info may be NULL (complete,
 * nothing lost). CRED_ERR_ARG if the previous chunk was not used up. */
CRED_API int cred_assembler_push_frame(struct cred_assembler *a, const void *data, size_t len,
				       double timestamp, const struct cred_grab_info *info);

/* The most bytes the assembler keeps undecided between pushes (about
 * lock_frames frames): what a contiguous caller must keep valid. */
CRED_API size_t cred_assembler_lookahead(const struct cred_assembler *a);

/* The counts so far, and the format frames are cut to (both owned by a,
 * valid until it is freed). */
CRED_API const struct cred_assembler_stats *cred_assembler_stats(const struct cred_assembler *a);
CRED_API const struct cred_frame_format *cred_assembler_format(const struct cred_assembler *a);

#endif

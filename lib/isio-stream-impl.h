/* An ImageStreamIO stream file mapped in memory (isio-stream.c), for the
 * stream writer (isio-writer.c). Layout: isio-layout-impl.h. */
#ifndef CRED_ISIO_STREAM_IMPL_H
#define CRED_ISIO_STREAM_IMPL_H

#include "isio-layout-impl.h"
#include "cred-isio.h"

struct isio_stream {
	char *path;
	int fd;
	uint8_t *base;               /* the whole file, mapped shared */
	size_t size;
	struct isio_metadata *md;
	struct isio_map map;
	int created;                 /* 1: made by this open, 0: reused */
};

/* Open stream name for writing frames of the shape want describes
 * (naxis, size, datatype, imagetype, and the keyword slots needed in
 * NBkw; a new stream gets at least new_slots). An existing stream of that shape with at least that many keyword
 * slots is reused as it is (readers keep their mapping and semaphores);
 * one of another shape, or owned by another live process, is refused
 * (CRED_ERR_DATA, CRED_ERR_BUSY) unless force, which replaces it. A new
 * stream is built under a temporary name and moved into place complete.
 * On success the stream is owned by this process (ownerPID). */
int cred_isio_stream_open(const char *name, const struct isio_metadata *want, int force,
			  unsigned new_slots, struct isio_stream **out);

/* Give up ownership (ownerPID 0, write flag clear), unmap, free. The
 * stream stays for its readers. NULL is ignored. */
void cred_isio_stream_release(struct isio_stream *s);

/* Now on milk's clock (CLOCK_TAI where the system has it). */
void cred_isio_now(struct isio_time *t);

/* Pointers into the mapped file. */
static inline void *isio_at(const struct isio_stream *s, size_t off)
{
	return s->base + off;
}

#endif

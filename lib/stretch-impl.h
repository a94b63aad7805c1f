/* The percentile stretch of the 8-bit quick-looks (the PNG writer, the
 * y4m8 preview): 16-bit pixels to gray 0-255, linearly between the 0.5th
 * and 99.5th percentiles of a frame so a few hot or dead pixels do not
 * wash the picture out. The tag pixels are left out of the statistics.
 * Not installed. */
#ifndef CRED_STRETCH_IMPL_H
#define CRED_STRETCH_IMPL_H

#include <stdint.h>
#include "cred-frame.h"

#define CRED_STRETCH_LOW 0.005
#define CRED_STRETCH_HIGH 0.995

struct cred_stretch {
	uint32_t hist[65536];  /* work space of the percentiles */
	uint8_t gray[65536];   /* gray level of every 16-bit pixel code */
	int lo, hi;            /* pixel values (signed when the frame is) that
				* the table maps to 0 and 255 */
};

/* The values of the low and high percentiles of f, skipping its first
 * skip pixels (the tags; none when they would be all of it), from every
 * step-th pixel after them (1: all of them). */
void cred_stretch_percentiles(struct cred_stretch *s, const struct cred_frame *f, size_t skip,
			      size_t step, int *lo, int *hi);

/* Fill s->gray for pixel values lo..hi (hi <= lo is taken as lo + 1) of
 * signed or unsigned pixels; sets s->lo and s->hi. */
void cred_stretch_table(struct cred_stretch *s, int is_signed, int lo, int hi);

/* Pixels of f (little-endian codes) to gray through s->gray: n pixels
 * from data into out. */
void cred_stretch_apply(const struct cred_stretch *s, const void *data, size_t n, uint8_t *out);

#endif

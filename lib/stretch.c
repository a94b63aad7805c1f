/* The percentile stretch shared by the PNG quick-look and the y4m8
 * preview (stretch-impl.h). A histogram over the 16-bit codes gives the
 * percentiles in two passes whatever the frame size; the stretch is then a
 * table over the codes, one look-up a pixel. */
#include "stretch-impl.h"

#include <string.h>

void cred_stretch_percentiles(struct cred_stretch *s, const struct cred_frame *f, size_t skip,
			      size_t step, int *lo, int *hi)
{
	size_t n = (size_t)f->width * (size_t)f->height, count, cum = 0, low, high;
	const unsigned char *p = f->data;
	int offset = f->pixel_signed ? 32768 : 0, v;

	if (skip >= n)
		skip = 0;
	memset(s->hist, 0, sizeof(s->hist));
	/* The histogram index is the value plus offset: the code with its top
	 * bit flipped for signed pixels, the code itself for unsigned. */
	if (step < 1)
		step = 1;
	count = 0;
	for (size_t i = skip; i < n; i += step, count++)
		s->hist[(p[2 * i] | p[2 * i + 1] << 8) ^ (f->pixel_signed ? 0x8000 : 0)]++;
	low = (size_t)(CRED_STRETCH_LOW * (double)count);
	high = (size_t)(CRED_STRETCH_HIGH * (double)count);
	for (v = 0; v < 65536 && cum + s->hist[v] <= low; v++)
		cum += s->hist[v];
	*lo = v - offset;
	for (; v < 65535 && cum + s->hist[v] < high; v++)
		cum += s->hist[v];
	*hi = v - offset;
}

void cred_stretch_table(struct cred_stretch *s, int is_signed, int lo, int hi)
{
	double scale;

	if (hi <= lo)
		hi = lo + 1;
	scale = 255.0 / (hi - lo);
	for (int code = 0; code < 65536; code++) {
		int value = is_signed ? (int16_t)code : code;
		double v = (value - lo) * scale;

		s->gray[code] = v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)(v + 0.5);
	}
	s->lo = lo;
	s->hi = hi;
}

void cred_stretch_apply(const struct cred_stretch *s, const void *data, size_t n, uint8_t *out)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < n; i++)
		out[i] = s->gray[p[2 * i] | p[2 * i + 1] << 8];
}

/* The arithmetic of bias and flat builds (see crednuc-build.h). */
#include "build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void fix_tag_pixels(double *v, const struct cred_frame_format *fmt, enum cred_calib_type type)
{
	size_t tags = cred_tags_size(fmt->tags) / 2, n = (size_t)fmt->width * fmt->height;

	/* The tags carry a counter, not light: give them a harmless value. */
	for (size_t i = 0; i < tags && tags < n; i++)
		v[i] = type == CRED_CALIB_FLAT ? 1.0 : v[tags];
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The response every pixel is brought to: median or mean of the pixels
 * that respond at all. */
static double target_response(const double *v, size_t n, size_t first, enum normalize how)
{
	double *copy = malloc((n ? n : 1) * sizeof(*copy)), sum = 0, t;
	size_t k = 0;

	if (!copy)
		die("out of memory");
	for (size_t i = first; i < n; i++)
		if (v[i] > 0) {
			copy[k++] = v[i];
			sum += v[i];
		}
	if (!k) {
		free(copy);
		die("no pixel responds to the light (every value is 0 or less after the bias): "
		    "are these flat-field frames, and is the bias the right one?");
	}
	if (how == NORM_MEAN) {
		t = sum / (double)k;
	} else {
		qsort(copy, k, sizeof(*copy), cmp_double);
		t = k % 2 ? copy[k / 2] : (copy[k / 2 - 1] + copy[k / 2]) / 2;
	}
	free(copy);
	return t;
}

void flat_factors(double *v, size_t n, size_t skip_first, enum normalize how, struct misfits *m)
{
	double t = target_response(v, n, skip_first, how);

	m->dead = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] > 0) {
			v[i] = t / v[i];
		} else {
			v[i] = NAN; /* a dead pixel: no factor can make it respond */
			m->dead += i >= skip_first;
		}
	}
}

static bool fits_kind(const struct cred_model *model, enum cred_calib_type type, double v)
{
	uint16_t raw;

	if (isnan(v))
		return true; /* counted as dead, not here */
	if (type == CRED_CALIB_FLAT)
		return cred_calib_flat_encode_value(v, &raw) == CRED_OK;
	v = round(v);
	return v >= 0 && v <= cred_calib_bias_max(model);
}

void find_misfits(const struct cred_model *model, enum cred_calib_type type, const double *v,
		  size_t n, struct misfits *m)
{
	m->count = 0;
	m->first = 0;
	m->first_value = 0;
	for (size_t i = 0; i < n; i++) {
		if (fits_kind(model, type, v[i]))
			continue;
		if (!m->count++) {
			m->first = i;
			m->first_value = v[i];
		}
	}
}

void summarize(enum cred_calib_type type, const void *file, size_t n, struct build_summary *s)
{
	const uint8_t *p = file;
	double sum = 0;

	s->min = INFINITY;
	s->max = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		uint16_t raw = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
		double v = type == CRED_CALIB_FLAT ? cred_calib_flat_decode_value(raw) : raw;

		s->min = v < s->min ? v : s->min;
		s->max = v > s->max ? v : s->max;
		sum += v;
	}
	s->mean = n ? sum / (double)n : 0;
}

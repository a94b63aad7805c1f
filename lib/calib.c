/* Bias and flat correction files (see cred-calib.h for the format). */
#include "cred-calib.h"
#include "error-impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct cred_calib_kind kinds[] = {
	{ "bias", CRED_CALIB_BIAS, 0 },
	{ "flat", CRED_CALIB_FLAT, 0 },
	{ "bias_hdr_c1", CRED_CALIB_BIAS, 1 },
	{ "bias_hdr_c2", CRED_CALIB_BIAS, 2 },
	{ "flat_hdr_c1", CRED_CALIB_FLAT, 1 },
	{ "flat_hdr_c2", CRED_CALIB_FLAT, 2 },
};

static int model_has_hdr(const struct cred_model *model)
{
	return model->id == CRED_MODEL_CRED3;
}

/* Rows of a window come in steps of this many on each model. */
static int row_step(const struct cred_model *model)
{
	return model->id == CRED_MODEL_CRED3 ? 4 : 1;
}

int cred_calib_kind_find(const struct cred_model *model, const char *name,
			 const struct cred_calib_kind **out)
{
	*out = NULL;
	cred_clear_error();
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!name || strcmp(name, kinds[i].name) != 0)
			continue;
		if (model && kinds[i].hdr_capacitor && !model_has_hdr(model))
			return cred_fail(CRED_ERR_SUPP, "the %s has no HDR mode: no '%s' file",
					 model->name, name);
		*out = &kinds[i];
		return CRED_OK;
	}
	return cred_fail(CRED_ERR_ARG,
			 "unknown calibration file kind '%s' (bias, flat, bias_hdr_c1, "
			 "bias_hdr_c2, flat_hdr_c1, flat_hdr_c2)", name ? name : "");
}

/* A factor as its 16-bit pattern: 0 and *raw set, or -1 (*raw 0) when it
 * does not fit. No message: the encoders call it for every pixel. */
static int flat_raw(double factor, uint16_t *raw)
{
	double scaled;

	*raw = 0;
	if (isnan(factor) || factor < 0)
		return -1;
	scaled = round(factor * CRED_FLAT_ONE);
	if (scaled > 65535.0)
		return -1;
	*raw = (uint16_t)scaled;
	return 0;
}

int cred_calib_flat_encode_value(double factor, uint16_t *raw)
{
	cred_clear_error();
	if (flat_raw(factor, raw) < 0)
		return cred_fail(CRED_ERR_ARG, "flat factor %g does not fit (0 to 7.9998779296875)",
				 factor);
	return CRED_OK;
}

double cred_calib_flat_decode_value(uint16_t raw)
{
	return (double)raw / CRED_FLAT_ONE;
}

int cred_calib_bias_max(const struct cred_model *model)
{
	return (1 << model->adc_bits) - 1;
}

int cred_calib_check_geometry(const struct cred_model *model, const struct cred_calib_kind *kind,
			      int width, int height)
{
	int step = row_step(model);

	cred_clear_error();
	if (width < 32 || width > model->width || width % 32 != 0)
		return cred_fail(CRED_ERR_ARG,
				 "a %s window is a multiple of 32 columns from 32 to %d, not %d",
				 model->name, model->width, width);
	if (height < step || height > model->height || height % step != 0)
		return cred_fail(CRED_ERR_ARG,
				 "a %s window is a multiple of %d rows from %d to %d, not %d",
				 model->name, step, step, model->height, height);
	if (kind && kind->hdr_capacitor &&
	    (width < CRED_CRED3_HDR_MIN_COLUMNS || height < CRED_CRED3_HDR_MIN_ROWS))
		return cred_fail(CRED_ERR_ARG, "HDR needs a window of at least %dx%d, not %dx%d",
				 CRED_CRED3_HDR_MIN_COLUMNS, CRED_CRED3_HDR_MIN_ROWS, width, height);
	return CRED_OK;
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The common half of the two encoders: walk the pixels, let fit() turn a
 * value into a 16-bit pattern (0: fits, <0: NaN, >0: clamped), and fail
 * or count as asked. what/range name the file and its range in messages. */
typedef int (*fit_fn)(double v, double max, uint16_t *raw);

static int encode(int width, int height, const double *values, unsigned flags, void *out,
		  size_t *clamped, fit_fn fit, double max, const char *what, const char *range)
{
	unsigned char *p = out;
	size_t n = (size_t)width * (size_t)height, count = 0;

	for (size_t i = 0; i < n; i++) {
		uint16_t raw;
		int r = fit(values[i], max, &raw);
		int x = (int)(i % (size_t)width), y = (int)(i / (size_t)width);

		if (r < 0)
			return cred_fail(CRED_ERR_DATA, "%s value at pixel (%d, %d) is not a number",
					 what, x, y);
		if (r > 0 && !(flags & CRED_CALIB_CLAMP))
			return cred_fail(CRED_ERR_DATA,
					 "%s value %.10g at pixel (%d, %d) does not fit (%s)",
					 what, values[i], x, y, range);
		count += r > 0;
		put_le16(p + 2 * i, raw);
	}
	if (clamped)
		*clamped = count;
	return CRED_OK;
}

static int fit_bias(double v, double max, uint16_t *raw)
{
	double r;

	if (isnan(v))
		return -1;
	r = round(v);
	if (r < 0 || r > max) {
		*raw = r < 0 ? 0 : (uint16_t)max;
		return 1;
	}
	*raw = (uint16_t)r;
	return 0;
}

static int fit_flat(double v, double max, uint16_t *raw)
{
	if (isnan(v))
		return -1;
	if (flat_raw(v, raw) == 0)
		return 0;
	*raw = v < 0 ? 0 : 0xffff;
	return 1;
}

static int encode_kind(const struct cred_model *model, enum cred_calib_type type, int width,
		       int height, const double *values, unsigned flags, void *out,
		       size_t *clamped)
{
	char range[64];
	int r;

	if (clamped)
		*clamped = 0;
	r = cred_calib_check_geometry(model, NULL, width, height);
	if (r < 0)
		return r;
	if (type == CRED_CALIB_FLAT)
		return encode(width, height, values, flags, out, clamped, fit_flat,
			      CRED_FLAT_MAX, "flat", "0 to 7.9998779296875 in steps of 1/8192");
	snprintf(range, sizeof(range), "0 to %d on the %s", cred_calib_bias_max(model),
		 model->name);
	return encode(width, height, values, flags, out, clamped, fit_bias,
		      cred_calib_bias_max(model), "bias", range);
}

int cred_calib_bias_encode(const struct cred_model *model, int width, int height,
			   const double *values, unsigned flags, void *out, size_t *clamped)
{
	return encode_kind(model, CRED_CALIB_BIAS, width, height, values, flags, out, clamped);
}

int cred_calib_flat_encode(const struct cred_model *model, int width, int height,
			   const double *factors, unsigned flags, void *out, size_t *clamped)
{
	return encode_kind(model, CRED_CALIB_FLAT, width, height, factors, flags, out, clamped);
}

static int check_even(size_t len)
{
	cred_clear_error();
	if (len % 2)
		return cred_fail(CRED_ERR_DATA,
				 "a calibration file has 2 bytes per pixel; %zu bytes is odd (truncated?)",
				 len);
	return CRED_OK;
}

int cred_calib_bias_decode(const void *data, size_t len, uint16_t *values)
{
	const unsigned char *p = data;
	int r = check_even(len);

	if (r < 0)
		return r;
	for (size_t i = 0; i < len / 2; i++)
		values[i] = get_le16(p + 2 * i);
	return CRED_OK;
}

int cred_calib_flat_decode(const void *data, size_t len, double *factors)
{
	const unsigned char *p = data;
	int r = check_even(len);

	if (r < 0)
		return r;
	for (size_t i = 0; i < len / 2; i++)
		factors[i] = cred_calib_flat_decode_value(get_le16(p + 2 * i));
	return CRED_OK;
}

static int check_size(const struct cred_model *model, const struct cred_calib_kind *kind,
		      int width, int height, size_t len)
{
	size_t want = (size_t)width * (size_t)height * 2;
	size_t full = (size_t)model->width * (size_t)model->height * 2;

	if (len == want)
		return CRED_OK;
	if (len == full)
		return cred_fail(CRED_ERR_DATA,
				 "%s file is %zu bytes, the size for the full %dx%d sensor, but the "
				 "window is %dx%d (%zu bytes): is the camera cropped?",
				 kind->name, len, model->width, model->height, width, height, want);
	return cred_fail(CRED_ERR_DATA, "%s file is %zu bytes; a %dx%d %s %s needs %zu (%d*%d*2)%s",
			 kind->name, len, width, height, model->name, kind->name, want, width,
			 height, len < want ? ": truncated?" : "");
}

/* Statistics and range check over the decoded values. */
static void scan(const struct cred_model *model, const struct cred_calib_kind *kind, int width,
		 const unsigned char *p, size_t n, struct cred_calib_report *rep)
{
	int max = cred_calib_bias_max(model);
	double sum = 0;

	memset(rep, 0, sizeof(*rep));
	rep->pixels = n;
	rep->first_bad_x = rep->first_bad_y = -1;
	rep->min = INFINITY;
	rep->max = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		uint16_t raw = get_le16(p + 2 * i);
		double v = kind->type == CRED_CALIB_FLAT ? cred_calib_flat_decode_value(raw) : raw;

		if (kind->type == CRED_CALIB_BIAS && raw > max && rep->out_of_range++ == 0) {
			rep->first_bad_x = (int)(i % (size_t)width);
			rep->first_bad_y = (int)(i / (size_t)width);
		}
		rep->zeros += raw == 0;
		rep->min = v < rep->min ? v : rep->min;
		rep->max = v > rep->max ? v : rep->max;
		sum += v;
	}
	rep->mean = n ? sum / (double)n : 0;
}

int cred_calib_validate(const struct cred_model *model, const char *kind_name, int width,
			int height, const void *data, size_t len, struct cred_calib_report *report)
{
	const struct cred_calib_kind *kind;
	struct cred_calib_report rep;
	int r;

	if (report)
		memset(report, 0, sizeof(*report));
	r = cred_calib_kind_find(model, kind_name, &kind);
	if (r == CRED_OK)
		r = cred_calib_check_geometry(model, kind, width, height);
	if (r == CRED_OK)
		r = check_size(model, kind, width, height, len);
	if (r < 0)
		return r;
	scan(model, kind, width, data, len / 2, &rep);
	if (report)
		*report = rep;
	if (rep.out_of_range)
		return cred_fail(CRED_ERR_DATA,
				 "%s file: %zu pixel%s above %d, the %s maximum; the first at (%d, %d) is %u",
				 kind->name, rep.out_of_range, rep.out_of_range == 1 ? " is" : "s are",
				 cred_calib_bias_max(model), model->name, rep.first_bad_x,
				 rep.first_bad_y,
				 get_le16((const unsigned char *)data +
					  2 * ((size_t)rep.first_bad_y * (size_t)width + (size_t)rep.first_bad_x)));
	return CRED_OK;
}

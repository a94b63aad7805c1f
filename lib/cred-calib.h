/* Bias and flat correction files: encode, decode, validate.
 *
 * Layout (C-RED 3 manual, "Bias correction file format" and "Flat
 * correction file format"; the C-RED One manual names the same sendfile
 * and getbias/getflat commands without a format, and is taken to use the
 * same one): no header, one 16-bit value per pixel of the current
 * (cropped) geometry, left to right then top to bottom like the pixels of
 * a frame, stored like frame pixels: little-endian. A file is therefore
 * exactly width * height * 2 bytes.
 *
 *   bias  pixel offsets to subtract, within [0, 2^adc_bits - 1]:
 *         [0, 16383] on the C-RED 3 (the manual's range, its 14-bit ADC),
 *         [0, 65535] on the C-RED One (16-bit ADC).
 *   flat  unsigned fixed-point gains: integer part in bits 15-13, fraction
 *         in bits 12-0, so value = raw / 8192, from 0 to 65535/8192 =
 *         7.9998779296875 in steps of 1/8192: 1.0 is 0x2000, 0.5 is 0x1000,
 *         1.5 is 0x3000, 2.0 is 0x4000. (The manual's example hex values,
 *         such as 0x02000000 for 1.0, contradict its own bit layout; the bit
 *         layout is what is implemented.) Every 16-bit pattern is a valid
 *         flat value; what may not fit is a factor being encoded.
 *   HDR   bias_hdr_c1/c2 are bias files and flat_hdr_c1/c2 flat files for
 *         the C1 (small) and C2 (large) capacitor; C-RED 3 only, and HDR
 *         needs a window of at least 96x72.
 *
 * Geometry: a C-RED 3 window is a multiple of 32 columns and of 4 rows; a
 * C-RED One window a multiple of 32 columns and any number of rows; never
 * more than the sensor.
 *
 * Models are passed as struct cred_model (cred_model_get()); only id,
 * name, width, height and adc_bits are used. */
#ifndef CRED_CALIB_H
#define CRED_CALIB_H

#include <stddef.h>
#include <stdint.h>
#include "cred-error.h"
#include "cred-model.h"

enum cred_calib_type {
	CRED_CALIB_BIAS,
	CRED_CALIB_FLAT,
};

struct cred_calib_kind {
	const char *name;          /* "bias", "flat_hdr_c1": the sendfile KIND */
	enum cred_calib_type type;
	int hdr_capacitor;         /* 0: not HDR; 1: C1; 2: C2 */
};

/* Find a calibration kind by name (bias, flat, bias_hdr_c1, bias_hdr_c2,
 * flat_hdr_c1, flat_hdr_c2). model may be NULL (no model check). Errors:
 * CRED_ERR_ARG unknown name (the message lists the names), CRED_ERR_SUPP
 * an HDR kind on a model without HDR. *out is static data. */
CRED_API int cred_calib_kind_find(const struct cred_model *model, const char *name,
				  const struct cred_calib_kind **out);

/* Fixed-point flat scale and largest factor. */
#define CRED_FLAT_ONE 8192
#define CRED_FLAT_MAX (65535.0 / 8192.0)

/* One flat factor to its 16-bit pattern, rounded to the nearest 1/8192.
 * CRED_ERR_ARG (raw set to 0) for NaN, negative factors and factors that
 * round above 0xFFFF (8.0 and up; 7.99993896484375 and up round there). */
CRED_API int cred_calib_flat_encode_value(double factor, uint16_t *raw);
/* One 16-bit pattern to its factor: raw / 8192. */
CRED_API double cred_calib_flat_decode_value(uint16_t raw);

/* Largest bias value for a model: 2^adc_bits - 1. */
CRED_API int cred_calib_bias_max(const struct cred_model *model);

/* Allowed window for a model and kind (kind NULL: not HDR). CRED_ERR_ARG
 * with a message naming the rule that failed. */
CRED_API int cred_calib_check_geometry(const struct cred_model *model,
				       const struct cred_calib_kind *kind, int width, int height);

/* Flags for the encoders. */
#define CRED_CALIB_CLAMP 0x1 /* store values that do not fit as the nearest
			      * one that does, and count them in *clamped,
			      * instead of failing on the first */

/* Encode width*height values (row by row) into out, which must hold
 * width*height*2 bytes. Values are rounded to the nearest integer (bias)
 * or 1/8192 (flat). Without CRED_CALIB_CLAMP the first value that does not
 * fit fails with CRED_ERR_DATA, naming its pixel (x, y) and the range;
 * NaN always fails. *clamped (may be NULL) gets the number of values
 * clamped. The geometry is checked first (cred_calib_check_geometry). */
CRED_API int cred_calib_bias_encode(const struct cred_model *model, int width, int height,
				    const double *values, unsigned flags, void *out,
				    size_t *clamped);
CRED_API int cred_calib_flat_encode(const struct cred_model *model, int width, int height,
				    const double *factors, unsigned flags, void *out,
				    size_t *clamped);

/* Decode a file of len bytes (even) into len/2 values. CRED_ERR_DATA if
 * len is odd. */
CRED_API int cred_calib_bias_decode(const void *data, size_t len, uint16_t *values);
CRED_API int cred_calib_flat_decode(const void *data, size_t len, double *factors);

/* What cred_calib_validate found. */
struct cred_calib_report {
	size_t pixels;       /* width * height */
	double min, max;     /* decoded values: ADU for bias, factors for flat */
	double mean;
	size_t out_of_range; /* bias values above cred_calib_bias_max() */
	int first_bad_x;     /* the first of them (-1, -1 if none) */
	int first_bad_y;
	size_t zeros;        /* values equal to 0 (for a flat: blanked pixels) */
};

/* Check a calibration file of kind (a name for cred_calib_kind_find)
 * against a model and the camera's current window: the kind exists for
 * the model, the geometry is possible, the size is width*height*2 bytes,
 * and bias values are within range. report (may be NULL) is filled
 * whenever the size is right. Errors: CRED_ERR_ARG (kind, geometry),
 * CRED_ERR_SUPP (HDR on a model without it), CRED_ERR_DATA (size or
 * values; the message says what is wrong, and for a size matching the
 * full sensor while the window is cropped, says so). */
CRED_API int cred_calib_validate(const struct cred_model *model, const char *kind, int width,
				 int height, const void *data, size_t len,
				 struct cred_calib_report *report);

#endif

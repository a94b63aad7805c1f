/* Rendering one wire frame from the plan: the sensor's values (direct
 * images, or C-RED One reads laid out in their rows), then the correction
 * chain in the manual's order (bad pixel, bias, flat, ADU offset), the
 * pixel format's range, little-endian bytes, and the tags.
 *
 * Direct images (every C-RED 3 frame, the C-RED One's processed ones) go
 * through one fused pass, with SIMD where the processor has it
 * (scene-simd.c, the same integer arithmetic as the scalar code here, so
 * the bytes do not depend on it): it is what sets the simulator's frame
 * rate. Bad pixels are then redone one by one from their neighbour's raw
 * value. */
#include <string.h>
#include "scene-impl.h"
#include "scene-nuc.h"

#define CREDONE_GAP 32   /* invalid pixels between repeated reads of a row */

/* The noise table position of one read of one frame. */
static const int16_t *noise_at(const struct sensor *s, uint64_t frame, uint64_t read)
{
	return s->noise + scene_mix(s->seed ^ 0x6E6F697365ULL, frame * 4099 + read) % NOISE_N;
}

static inline int32_t clamp(int32_t v, int32_t lo, int32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* v * gain with the gain in FLAT_SHIFT fixed point, without overflowing 32
 * bits: integer and fraction parts apart (exact: v * int is an integer). */
static inline int32_t flat_mul(int32_t v, int32_t f)
{
	return v * (f >> FLAT_SHIFT) + ((v * (f & (FLAT_ONE - 1))) >> FLAT_SHIFT);
}

/* ---- scalar pixels ---------------------------------------------------------- */

/* noise * amp >> 16 is the high half of the product, as SSE2's pmulhw. */
static int32_t direct_raw(const struct plan *p, const int16_t *noise, size_t i)
{
	return clamp(p->base[i] + ((noise[i] * p->amp[i]) >> NOISE_SHIFT), p->raw_lo, p->raw_hi);
}

static int32_t corrected(const struct plan *p, int32_t v, size_t i)
{
	if (p->bias)
		v -= p->bias[i];
	if (p->flat)
		v = flat_mul(v, p->flat[i]);
	return clamp(v + p->adu, p->out_lo, p->out_hi);
}

static void put16(uint8_t *out, size_t i, int32_t v)
{
	out[2 * i] = (uint8_t)v;
	out[2 * i + 1] = (uint8_t)((uint32_t)v >> 8);
}

static void render_direct(const struct plan *p, const struct sensor *s, uint32_t counter,
			  uint8_t *out)
{
	const int16_t *noise = noise_at(s, counter, 1);

	for (size_t i = scene_direct_simd(p, noise, out); i < p->n; i++)
		put16(out, i, corrected(p, direct_raw(p, noise, i), i));
	/* bad pixel first in the chain: the neighbour's raw value, then the
	 * bad pixel's own bias and flat */
	for (size_t k = 0; k < p->nbad; k++)
		put16(out, p->bad[k], corrected(p, direct_raw(p, noise, p->bad_src[k]), p->bad[k]));
}

/* ---- C-RED One reads --------------------------------------------------------------- */

/* One read of the window, t seconds after the reset of exposure `ramp`
 * (its kTC noise), with its own read noise. */
static void one_read(const struct plan *p, const struct sensor *s, double t, uint64_t ramp,
		     uint64_t frame, uint64_t read, int32_t *out)
{
	const int16_t *ktc = noise_at(s, ramp, 0xFFFF), *rd = noise_at(s, frame, read);
	float tf = (float)t;

	for (size_t i = 0; i < p->n; i++) {
		int32_t v = p->reset[i] + (int32_t)(p->rate[i] * tf) +
			    ((ktc[i] * p->ktc_amp) >> NOISE_SHIFT) + ((rd[i] * p->amp[i]) >> NOISE_SHIFT);

		out[i] = clamp(v, p->raw_lo, p->raw_hi);
	}
}

/* Copy a window image into wire rows of row_len pixels at column col. */
static void place(const struct plan *p, const int32_t *read, int32_t *img, size_t row_len, size_t col)
{
	for (int y = 0; y < p->wh; y++)
		memcpy(img + y * row_len + col, read + (size_t)y * p->ww, p->ww * sizeof(int32_t));
}

/* Rolling Nreadout: N reads of the integrated row, 32 invalid pixels
 * between them, 64 after them, then N reads after the reset. The
 * integrated reads belong to the exposure the previous frame's reset
 * started. */
static void render_nro(struct plan *p, const struct sensor *s, uint32_t counter)
{
	size_t row = p->info.fmt.width, w = p->ww, reset_col = p->nro * (w + CREDONE_GAP) + CREDONE_GAP;

	memset(p->img, 0, p->info.frame_size / 2 * sizeof(int32_t));
	for (int j = 0; j < p->nro; j++) {
		one_read(p, s, p->tint, (uint64_t)counter - 1, counter, 2 * j + 1, p->scratch);
		place(p, p->scratch, p->img, row, j * (w + CREDONE_GAP));
		one_read(p, s, 0, counter, counter, 2 * j + 2, p->scratch);
		place(p, p->scratch, p->img, row, reset_col + j * (w + CREDONE_GAP));
	}
}

/* IOTA: each row read nloop times (32 invalid pixels between), each
 * 32-pixel block sampled nsample times in a row. */
static void render_iota(struct plan *p, const struct sensor *s, uint32_t counter, int pos)
{
	size_t row = p->info.fmt.width, blocks = p->ww / 32, loop_len = p->ww * p->nsample;
	double t = (pos + 1) * p->tread;

	memset(p->img, 0, p->info.frame_size / 2 * sizeof(int32_t));
	for (int l = 0; l < p->nloop; l++)
		for (int k = 0; k < p->nsample; k++) {
			one_read(p, s, t, (uint64_t)counter - pos, counter, 1 + l * p->nsample + k, p->scratch);
			for (int y = 0; y < p->wh; y++)
				for (size_t b = 0; b < blocks; b++)
					memcpy(p->img + y * row + l * (loop_len + CREDONE_GAP) +
					       (b * p->nsample + k) * 32,
					       p->scratch + (size_t)y * p->ww + b * 32, 32 * sizeof(int32_t));
		}
}

/* A raw read of a C-RED One exposure: in CDS the reset read then the read
 * after the integration time; in bursts one read every read time. */
static void render_read(struct plan *p, const struct sensor *s, uint32_t counter, int pos)
{
	double t = p->mode == MODE_GLOBALRESETCDS ? (pos ? p->tint : 0) : (pos + 1) * p->tread;

	one_read(p, s, t, (uint64_t)counter - pos, counter, 1, p->img);
}

/* The C-RED One test pattern before any upload: a diagonal ramp that
 * moves with the frame. */
static void render_pattern(struct plan *p, uint32_t counter)
{
	int w = p->info.fmt.width, h = p->info.fmt.height, k = counter % 32;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			p->img[(size_t)y * w + x] = ((x + y + 8 * k) & 255) << 8;
}

/* Corrections (the plan has bias and flat only for window-sized images)
 * and bytes for the images built in p->img. */
static void finish(const struct plan *p, uint8_t *out)
{
	size_t wire = p->info.frame_size / 2;

	for (size_t i = 0; i < p->nbad; i++)
		p->img[p->bad[i]] = p->img[p->bad_src[i]];
	for (size_t i = 0; i < wire; i++)
		put16(out, i, corrected(p, p->img[i], i));
}

static void write_tags(const struct plan *p, uint32_t counter, int pos, uint8_t *out)
{
	/* C-RED 3: pixel 2 is 0 in its CDS and HDR readouts, the only ones */
	struct wire_tag_values t = { .counter = counter, .capacitor = p->gain_cap };

	if (p->info.fmt.tags == WIRE_TAGS_CREDONE)
		/* the read position inside a multiple-read exposure, 0 otherwise */
		t.pixel2 = p->info.reads > 1 ? (uint16_t)(pos + 1) : 0;
	wire_tags_put(p->info.fmt.tags, &t, out);
}

/* The uploaded test images in a loop, sent as they are (no correction),
 * the window cut out of each. */
static void render_uploaded(const struct plan *p, uint32_t counter, uint8_t *out)
{
	const uint16_t *img = p->pattern + (size_t)(counter % 32) * p->pattern_sw * p->pattern_sh;
	size_t wire = p->info.frame_size / 2;

	for (size_t i = 0; i < wire; i++)
		put16(out, i, img[(size_t)p->ys[i / p->ww % p->wh] * p->pattern_sw + p->xs[i % p->ww]]);
}

void plan_render(struct plan *p, const struct sensor *s, uint32_t counter, int pos, uint8_t *out)
{
	if (!p->info.ok)
		return;
	if (p->testpattern && p->pattern) {
		render_uploaded(p, counter, out);
	} else if (p->testpattern || !p->direct) {
		if (p->testpattern)
			render_pattern(p, counter);
		else if (p->layout == LAYOUT_NRO)
			render_nro(p, s, counter);
		else if (p->layout == LAYOUT_IOTA)
			render_iota(p, s, counter, pos);
		else
			render_read(p, s, counter, pos);
		finish(p, out);
	} else {
		render_direct(p, s, counter, out);
	}
	write_tags(p, counter, pos, out);
}

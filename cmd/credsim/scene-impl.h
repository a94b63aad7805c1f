/* Inside the scene (scene.h): the fixed sensor, the per-configuration plan
 * and the renderer. Shared by scene*.c only. */
#ifndef CREDSIM_SCENE_IMPL_H
#define CREDSIM_SCENE_IMPL_H

#include "scene.h"

/* Noise: NOISE_N standard normal samples in Q11 (2048 = 1 sigma, clipped
 * at 6), followed by a copy of the first NOISE_TAIL so a whole window reads
 * contiguously from any offset below NOISE_N. Amplitudes are ADU in Q5 in
 * signed 16 bits (up to 1023 ADU), so the high half of the 16x16-bit
 * product, sample * amp >> 16, is ADU (one SSE2 instruction for eight). */
#define NOISE_N (1u << 20)
#define NOISE_TAIL (640u * 512u)
#define NOISE_Q 11
#define AMP_Q 5
#define AMP_MAX 32767
#define NOISE_SHIFT (NOISE_Q + AMP_Q)

/* What is wrong with a bad pixel, as frames show it:
 *   HOT    saturated whatever the light
 *   DEAD   no response, a low level
 *   NOISY  ten times the temporal noise of its neighbours
 *   LOW    half the response of its neighbours
 *   HIGH   1.5 times their response */
enum defect { DEFECT_NONE, DEFECT_HOT, DEFECT_DEAD, DEFECT_NOISY, DEFECT_LOW, DEFECT_HIGH };

#define DEFECT_NOISE_FACTOR 10.0
#define DEFECT_LOW_RESPONSE 0.5
#define DEFECT_HIGH_RESPONSE 1.5

/* The photo-electron rate of pixel k under the camera's light (scene-light.c):
 * the scene's flux, none in the dark, or the uniform rate flat_rate. */
struct sensor;
double light_flux(const struct sensor *s, const struct light *l, size_t k, double flat_rate);
/* The mean raw offset of the sensor (ADU), for a flat's level. */
double sensor_mean_offset(const struct sensor *s);
/* The response factor of a defect (1 for a pixel that has none). */
double defect_response(int defect);

/* Fixed per sensor pixel (sensor index y * sw + x). */
struct sensor {
	int sw, sh;
	float *flux;        /* scene photo-electrons per second */
	float *prnu;        /* pixel response (gain) non-uniformity, about 1 */
	float *dark_nu;     /* dark current non-uniformity, about 1 */
	float *offset;      /* raw offset (C-RED 3) or reset level (C-RED One), ADU */
	uint8_t *defect;    /* enum defect */
	int16_t *noise;     /* NOISE_N + NOISE_TAIL samples */
	uint64_t seed;
};

enum layout {
	LAYOUT_IMAGE,       /* one image of the window */
	LAYOUT_NRO,         /* C-RED One rolling Nreadout rows */
	LAYOUT_IOTA,        /* C-RED One IOTA rows */
};

/* How the present settings turn into frames: rebuilt by scene_update. */
struct plan {
	struct scene_info info;
	enum layout layout;
	int ww, wh;          /* window size */
	size_t n;            /* ww * wh */
	int *xs, *ys;        /* sensor column of each window column, row of each row */
	bool direct;         /* frames are base + noise (else C-RED One reads) */
	uint16_t *base;      /* direct frames: mean value before corrections (ADU) */
	int16_t *amp;        /* noise amplitude (ADU, Q5) */
	/* C-RED One reads: reset + kTC noise + rate * t + read noise */
	int32_t *reset;
	float *rate;         /* ADU per simulated second */
	int32_t ktc_amp;     /* Q5 */
	double tint, tread;  /* integration time, time between reads */
	int mode;            /* C-RED One readout mode (enum one_mode) */
	int nro, nloop, nsample;
	int32_t raw_lo, raw_hi;  /* what the converter can give */
	int32_t out_lo, out_hi;  /* the pixel format */
	/* the correction chain; NULL arrays are switched off */
	uint32_t *bad, *bad_src; /* window indexes of bad pixels and their replacements */
	size_t nbad;
	uint16_t *bias, *flat;   /* as in the files (scene-nuc.h) */
	int32_t adu;
	/* tags */
	int gain_cap;
	bool testpattern;
	const uint16_t *pattern; /* the uploaded test images (camera.h), or NULL */
	int pattern_sw, pattern_sh; /* their size: the full sensor */
	int32_t *img, *scratch;  /* work images (wire pixels, window pixels) */
};

/* The settings snapshot that decides the plan. */
struct plan_key {
	struct settings set;
	uint64_t nuc_gen, files_gen;
	struct light light;
	long temp_mk;        /* sensor temperature in milli-units (C or K) */
	double maxfps;
	bool valid;
};

struct scene {
	const struct sim_model_info *model;
	struct sensor sensor;
	struct plan plan;
	struct plan_key key;
	uint64_t generation;
};

/* scene-sensor.c */
int sensor_init(struct sensor *s, const struct camera *cam, uint64_t seed);
void sensor_free(struct sensor *s);
/* A well mixed 64-bit value of a and b (deterministic hashing). */
uint64_t scene_mix(uint64_t a, uint64_t b);

/* scene-plan.c */
int plan_build(struct plan *p, const struct sensor *s, const struct camera *cam, double now);
void plan_free(struct plan *p);

/* scene-simd.c: the fused pass of a direct image (raw value, bias, flat,
 * ADU offset, range, bytes) over the first pixels it can do with the
 * processor's vector instructions; returns how many (the caller does the
 * rest, and the bad pixels). */
size_t scene_direct_simd(const struct plan *p, const int16_t *noise, uint8_t *out);

/* scene-render.c */
void plan_render(struct plan *p, const struct sensor *s, uint32_t counter, int pos, uint8_t *out);

#endif

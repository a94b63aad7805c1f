/* The fixed part of the simulation: the scene and the sensor's own
 * non-uniformities and defects, all drawn from --seed, and the noise table
 * every frame reads from. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "scene-impl.h"
#include "scene-nuc.h"

#define NSTARS 12

/* Scene brightness in photo-electrons per second: a bright short-wave
 * infrared sky for the C-RED 3, a faint one for the photon-counting
 * C-RED One. */
struct scene_levels {
	double background, star_min, star_max, star_sigma;
	double offset, col_fpn, pix_fpn, chan_fpn;
};

static const struct scene_levels levels_cred3 = { 2e5, 1e6, 3e7, 2.5, 1600, 40, 25, 0 };
static const struct scene_levels levels_one = { 5000, 2e4, 2e6, 1.5, 20000, 0, 50, 300 };

uint64_t scene_mix(uint64_t a, uint64_t b)
{
	/* splitmix64 finaliser over a combination of both */
	uint64_t z = a + 0x9E3779B97F4A7C15ULL * (b + 1);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

struct rng {
	uint64_t state;
};

static double uniform(struct rng *r)
{
	r->state = scene_mix(r->state, 0x5EED);
	return ((r->state >> 11) + 0.5) / 9007199254740992.0; /* (0, 1) */
}

static double gauss(struct rng *r)
{
	return sqrt(-2 * log(uniform(r))) * cos(2 * M_PI * uniform(r));
}

static void make_noise(struct sensor *s, struct rng *r)
{
	for (size_t i = 0; i < NOISE_N; i++) {
		double g = gauss(r);

		g = g > 6 ? 6 : g < -6 ? -6 : g;
		s->noise[i] = (int16_t)lrint(g * (1 << NOISE_Q));
	}
	memcpy(s->noise + NOISE_N, s->noise, NOISE_TAIL * sizeof(*s->noise));
}

/* Background with a gradient plus Gaussian stars, in sensor-independent
 * coordinates so both models see the same sky. */
static void make_flux(struct sensor *s, const struct scene_levels *lv, struct rng *r)
{
	struct { double u, v, amp, sigma; } star[NSTARS];
	double scale = s->sw / 640.0;

	for (int k = 0; k < NSTARS; k++) {
		star[k].u = 0.05 + 0.9 * uniform(r);
		star[k].v = 0.05 + 0.9 * uniform(r);
		star[k].amp = lv->star_min * pow(lv->star_max / lv->star_min, uniform(r));
		star[k].sigma = lv->star_sigma * (0.7 + 0.8 * uniform(r)) * scale;
	}
	for (int y = 0; y < s->sh; y++)
		for (int x = 0; x < s->sw; x++) {
			double u = (double)x / s->sw, v = (double)y / s->sh;
			double f = lv->background * (1 + 0.3 * u - 0.2 * v);

			for (int k = 0; k < NSTARS; k++) {
				double dx = (u - star[k].u) * s->sw, dy = (v - star[k].v) * s->sh;
				double d2 = (dx * dx + dy * dy) / (2 * star[k].sigma * star[k].sigma);

				if (d2 < 30)
					f += star[k].amp * exp(-d2);
			}
			s->flux[(size_t)y * s->sw + x] = (float)f;
		}
}

static void make_fpn(struct sensor *s, const struct scene_levels *lv, struct rng *r)
{
	double col[640], chan[32];

	for (int x = 0; x < s->sw; x++)
		col[x] = gauss(r);
	for (int c = 0; c < 32; c++)
		chan[c] = gauss(r);
	for (int y = 0; y < s->sh; y++)
		for (int x = 0; x < s->sw; x++) {
			size_t i = (size_t)y * s->sw + x;

			s->offset[i] = (float)(lv->offset + lv->col_fpn * col[x] + lv->chan_fpn * chan[x % 32] +
					       lv->pix_fpn * gauss(r));
			s->prnu[i] = (float)(1 + 0.02 * gauss(r));
			s->dark_nu[i] = (float)exp(0.3 * gauss(r));
		}
}

/* C-RED 3: the pixels of its factory map are the bad ones (what the map
 * was measured from); C-RED One: a hundred from the seed. */
static void make_defects(struct sensor *s, const struct camera *cam, struct rng *r)
{
	size_t n = (size_t)s->sw * s->sh, len = 0;
	const uint8_t *map = store_get(cam->files, "factbadpixel", &len);

	if (map && len == n / 8) {
		for (size_t i = 0; i < n; i++)
			if (nuc_bad_at(map, i))
				s->defect[i] = DEFECT_HOT + scene_mix(s->seed, i) % 5; /* each kind */
		return;
	}
	for (int k = 0; k < 100; k++)
		s->defect[(size_t)(uniform(r) * n) % n] = k % 5 < 3 ? DEFECT_HOT : DEFECT_DEAD;
}

int sensor_init(struct sensor *s, const struct camera *cam, uint64_t seed)
{
	size_t n = (size_t)cam->model->width * cam->model->height;
	struct rng r = { seed };
	const struct scene_levels *lv = camera_is_one(cam) ? &levels_one : &levels_cred3;

	memset(s, 0, sizeof(*s));
	s->sw = cam->model->width;
	s->sh = cam->model->height;
	s->seed = seed;
	s->flux = malloc(n * sizeof(float));
	s->prnu = malloc(n * sizeof(float));
	s->dark_nu = malloc(n * sizeof(float));
	s->offset = malloc(n * sizeof(float));
	s->defect = calloc(n, 1);
	s->noise = malloc((NOISE_N + NOISE_TAIL) * sizeof(int16_t));
	if (!s->flux || !s->prnu || !s->dark_nu || !s->offset || !s->defect || !s->noise) {
		sensor_free(s);
		return -1;
	}
	make_noise(s, &r);
	make_flux(s, lv, &r);
	make_fpn(s, lv, &r);
	make_defects(s, cam, &r);
	return 0;
}

void sensor_free(struct sensor *s)
{
	free(s->flux);
	free(s->prnu);
	free(s->dark_nu);
	free(s->offset);
	free(s->defect);
	free(s->noise);
	memset(s, 0, sizeof(*s));
}

/* Frame statistics for bias and flat builds (see crednuc.h).
 *
 * The mean is summed as the frames come, in 32-bit integers that are
 * folded into 64-bit totals before they could overflow, so a long stream
 * costs no memory and little time. Median and clipped mean need every
 * value of a pixel at once: the frames are kept as they came (16 bits a
 * pixel) and read back a tile of pixels at a time, so the per-pixel
 * gathering walks memory in whole cache lines. */
#include "crednuc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Frames summed in 32 bits before folding: 32767 * 65535 < 2^31. */
#define FOLD_EVERY 32767
/* Pixels gathered together for median and clip. */
#define TILE 64
/* Clipping rounds at most. */
#define CLIP_ROUNDS 10

struct stack {
	enum stack_method method;
	double sigma;
	size_t pixels;
	int pixel_signed;
	size_t count;
	/* mean */
	int32_t *sum32;
	int64_t *sum64;
	size_t since_fold;
	/* median, clip */
	uint8_t **frames;
	size_t cap;
};

static const char *const method_names[] = { "mean", "median", "clip" };

const char *stack_method_name(enum stack_method m)
{
	return method_names[m];
}

bool stack_method_parse(const char *name, enum stack_method *m)
{
	for (size_t i = 0; i < ARRAY_SIZE(method_names); i++)
		if (!strcmp(name, method_names[i])) {
			*m = (enum stack_method)i;
			return true;
		}
	return false;
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		die("out of memory");
	return p;
}

struct stack *stack_new(enum stack_method method, double sigma, int width, int height,
			int pixel_signed)
{
	struct stack *s = xcalloc(1, sizeof(*s));

	s->method = method;
	s->sigma = sigma;
	s->pixels = (size_t)width * (size_t)height;
	s->pixel_signed = pixel_signed;
	if (method == STACK_MEAN) {
		s->sum32 = xcalloc(s->pixels, sizeof(*s->sum32));
		s->sum64 = xcalloc(s->pixels, sizeof(*s->sum64));
	}
	return s;
}

static void fold(struct stack *s)
{
	for (size_t i = 0; i < s->pixels; i++) {
		s->sum64[i] += s->sum32[i];
		s->sum32[i] = 0;
	}
	s->since_fold = 0;
}

/* Two loops, so each one is a plain widening add the compiler vectorises. */
static void add_signed(int32_t *restrict sum, const uint8_t *restrict p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum[i] += (int16_t)(p[2 * i] | p[2 * i + 1] << 8);
}

static void add_unsigned(int32_t *restrict sum, const uint8_t *restrict p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sum[i] += (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);
}

static void keep(struct stack *s, const void *pixels)
{
	if (s->count == STACK_MAX_KEPT)
		die("the %s of more than %d frames is not kept in memory: use --frames N, or "
		    "--method mean", stack_method_name(s->method), STACK_MAX_KEPT);
	if (s->count == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->frames = realloc(s->frames, s->cap * sizeof(*s->frames));
		if (!s->frames)
			die("out of memory");
	}
	s->frames[s->count] = malloc(s->pixels * 2);
	if (!s->frames[s->count])
		die("out of memory keeping frame %zu (%zu bytes)", s->count + 1, s->pixels * 2);
	memcpy(s->frames[s->count], pixels, s->pixels * 2);
}

void stack_add(struct stack *s, const void *pixels)
{
	if (s->method != STACK_MEAN) {
		keep(s, pixels);
	} else {
		if (s->since_fold == FOLD_EVERY)
			fold(s);
		if (s->pixel_signed)
			add_signed(s->sum32, pixels, s->pixels);
		else
			add_unsigned(s->sum32, pixels, s->pixels);
		s->since_fold++;
	}
	s->count++;
}

size_t stack_count(const struct stack *s)
{
	return s->count;
}

/* The k-th smallest of v[0..n-1] (Hoare's selection; v is reordered). */
static int32_t select_kth(int32_t *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		int32_t pivot = v[lo + (hi - lo) / 2];
		size_t i = lo, j = hi;

		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				int32_t t = v[i];

				v[i++] = v[j];
				v[j] = t;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return v[k];
}

static double median_of(int32_t *v, size_t n)
{
	int32_t upper = select_kth(v, n, n / 2), lower;

	if (n % 2)
		return upper;
	/* after the selection everything below n/2 is <= upper: take its maximum */
	lower = v[0];
	for (size_t i = 1; i < n / 2; i++)
		lower = v[i] > lower ? v[i] : lower;
	return (lower + (double)upper) / 2;
}

/* Mean of the values within sigma standard deviations of the mean of
 * those kept so far, until nothing more is rejected. */
static double clipped_mean_of(const int32_t *v, size_t n, double sigma)
{
	double lo = -INFINITY, hi = INFINITY, mean = 0;

	for (int round = 0; round < CLIP_ROUNDS; round++) {
		double sum = 0, sq = 0, sd;
		size_t kept = 0, out = 0;

		for (size_t i = 0; i < n; i++)
			if (v[i] >= lo && v[i] <= hi) {
				sum += v[i];
				kept++;
			}
		if (!kept)
			break;
		mean = sum / (double)kept;
		for (size_t i = 0; i < n; i++)
			if (v[i] >= lo && v[i] <= hi)
				sq += (v[i] - mean) * (v[i] - mean);
		sd = sqrt(sq / (double)kept);
		for (size_t i = 0; i < n; i++)
			out += (v[i] >= lo && v[i] <= hi) && fabs(v[i] - mean) > sigma * sd;
		if (!out)
			break;
		lo = mean - sigma * sd;
		hi = mean + sigma * sd;
	}
	return mean;
}

static int32_t value_at(const struct stack *s, const uint8_t *p)
{
	uint16_t u = (uint16_t)(p[0] | p[1] << 8);

	return s->pixel_signed ? (int16_t)u : u;
}

/* Median or clipped mean, a tile of pixels at a time. */
static void combine_kept(const struct stack *s, double *out)
{
	int32_t *tile = xcalloc((size_t)TILE * s->count, sizeof(*tile));

	for (size_t first = 0; first < s->pixels; first += TILE) {
		size_t n = s->pixels - first < TILE ? s->pixels - first : TILE;

		for (size_t f = 0; f < s->count; f++) {
			const uint8_t *p = s->frames[f] + 2 * first;

			for (size_t i = 0; i < n; i++)
				tile[i * s->count + f] = value_at(s, p + 2 * i);
		}
		for (size_t i = 0; i < n; i++) {
			int32_t *v = tile + i * s->count;

			out[first + i] = s->method == STACK_MEDIAN ? median_of(v, s->count) :
					 clipped_mean_of(v, s->count, s->sigma);
		}
	}
	free(tile);
}

double *stack_result(struct stack *s)
{
	double *out = xcalloc(s->pixels, sizeof(*out));

	if (!s->count)
		return out;
	if (s->method != STACK_MEAN) {
		combine_kept(s, out);
		return out;
	}
	fold(s);
	for (size_t i = 0; i < s->pixels; i++)
		out[i] = (double)s->sum64[i] / (double)s->count;
	return out;
}

void stack_free(struct stack *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->count && s->frames; i++)
		free(s->frames[i]);
	free(s->frames);
	free(s->sum32);
	free(s->sum64);
	free(s);
}

/* A PNG picture of a map (libpng): bad pixels in red, over a dark gray
 * field or over a frame (--over FRAME.fits) shown in gray, stretched
 * between its 0.5th and 99.5th percentiles so the bad pixels themselves do
 * not wash it out. */
#include "credbpm.h"

#include <png.h>
#include <stdlib.h>
#include <string.h>

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

/* The first frame of path as 8-bit gray (w*h bytes, malloc'd). */
static uint8_t *frame_gray(const char *path, int w, int h)
{
	struct cred_frame_reader *r = NULL;
	struct cred_frame fr;
	size_t n = (size_t)w * h;
	int32_t *v, *sorted, lo, hi;
	uint8_t *g;
	int got;

	if (cred_frame_reader_open(path, NULL, &r) < 0)
		die_cred(CRED_ERR_FAIL, "cannot read the frame '%s'", path);
	if ((got = cred_frame_reader_next(r, &fr)) <= 0)
		die("'%s' holds no frame%s%s", path, got < 0 ? ": " : "", got < 0 ? cred_last_error() : "");
	if (fr.width != w || fr.height != h)
		die("the frame '%s' is %dx%d, the map %dx%d", path, fr.width, fr.height, w, h);
	v = malloc(n * sizeof(*v));
	sorted = malloc(n * sizeof(*v));
	g = malloc(n);
	if (!v || !sorted || !g)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = sorted[i] = cred_frame_pixel(&fr, i);
	cred_frame_reader_close(r);
	qsort(sorted, n, sizeof(*sorted), cmp_i32);
	lo = sorted[n / 200];
	hi = sorted[n - 1 - n / 200];
	for (size_t i = 0; i < n; i++) {
		double t = hi > lo ? (double)(v[i] - lo) / (hi - lo) : 0.5;

		g[i] = (uint8_t)(t < 0 ? 0 : t > 1 ? 255 : t * 255 + 0.5);
	}
	free(v);
	free(sorted);
	return g;
}

/* Kept apart from the frame's reading: nothing here changes after setjmp. */
static __attribute__((noinline)) void write_png(FILE *f, const char *path,
						const struct cred_bpm *map, const uint8_t *gray)
{
	int w = cred_bpm_width(map), h = cred_bpm_height(map);
	uint8_t *row = malloc((size_t)w * 3);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;

	if (!row || !png || !info)
		die("out of memory");
	if (setjmp(png_jmpbuf(png)))
		die("cannot write PNG '%s'", path);
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			uint8_t *p = row + 3 * x, g = gray ? gray[(size_t)y * w + x] : 48;

			if (cred_bpm_get(map, x, y) == 1) {
				p[0] = 255;
				p[1] = p[2] = 0;
			} else {
				p[0] = p[1] = p[2] = g;
			}
		}
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
}

void png_write_map(FILE *f, const char *path, const struct cred_bpm *map, const char *over)
{
	uint8_t *gray = over ? frame_gray(over, cred_bpm_width(map), cred_bpm_height(map)) : NULL;

	write_png(f, path, map, gray);
	free(gray);
}

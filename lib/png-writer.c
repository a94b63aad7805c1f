/* The PNG quick-look writer (libpng): one frame as 8-bit gray, stretched
 * linearly between its 0.5th and 99.5th percentiles so a few hot or dead
 * pixels do not wash the picture out. The tag pixels are left out of the
 * statistics. */
#include "frame-impl.h"

#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOW_PERCENTILE 0.005
#define HIGH_PERCENTILE 0.995

struct png_writer {
	FILE *fp;
	const char *name;
	const struct cred_writer_options *o;
	int frames;
	png_byte stretch[65536];   /* gray level of every 16-bit pixel code */
};

/* Pixel values of the low and high percentiles, skipping the first skip
 * pixels (the tags). */
static void percentiles(const struct cred_frame *f, size_t skip, int *lo, int *hi)
{
	size_t n = (size_t)f->width * (size_t)f->height, count, cum = 0;
	int offset = f->pixel_signed ? 32768 : 0;
	uint32_t *hist = calloc(65536, sizeof(*hist));
	int v;

	*lo = *hi = 0;
	if (skip >= n)
		skip = 0;
	if (!hist)
		return;
	for (size_t i = skip; i < n; i++)
		hist[cred_frame_pixel(f, i) + offset]++;
	count = n - skip;
	for (v = 0; v < 65536 && cum + hist[v] <= (size_t)(LOW_PERCENTILE * (double)count); v++)
		cum += hist[v];
	*lo = v - offset;
	for (; v < 65535 && cum + hist[v] < (size_t)(HIGH_PERCENTILE * (double)count); v++)
		cum += hist[v];
	*hi = v - offset;
	free(hist);
}

static int png_open(void **priv, struct cred_outfile *of, const struct cred_writer_options *o, int single)
{
	struct png_writer *w = calloc(1, sizeof(*w));
	int fd;

	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->name = of->path;
	w->o = o;
	fd = fcntl(of->fd, F_DUPFD_CLOEXEC, 0);
	w->fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!w->fp) {
		int err = cred_fail_errno("cannot write '%s'", of->path);

		if (fd >= 0)
			close(fd);
		free(w);
		return err;
	}
	*priv = w;
	return CRED_OK;
}

static void put_text(png_structp png, png_infop info, const struct cred_frame *f, int lo, int hi)
{
	char desc[256];
	png_text text[2];

	snprintf(desc, sizeof(desc), "frame %llu%s, %dx%d, gray 0-255 = %d-%d ADU (%.1f-%.1f %%)",
		 (unsigned long long)f->index, f->has_tags ? " (tagged)" : "", f->width, f->height,
		 lo, hi, LOW_PERCENTILE * 100, HIGH_PERCENTILE * 100);
	memset(text, 0, sizeof(text));
	text[0].compression = PNG_TEXT_COMPRESSION_NONE;
	text[0].key = "Software";
	text[0].text = "credtools";
	text[1].compression = PNG_TEXT_COMPRESSION_NONE;
	text[1].key = "Description";
	text[1].text = desc;
	png_set_text(png, info, text, 2);
}

static int encode(struct png_writer *w, const struct cred_frame *f, png_bytep row)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	int lo, hi;
	double scale;

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return cred_fail(CRED_ERR_IO, "cannot write '%s'", w->name);
	}
	percentiles(f, cred_tags_size(w->o->format.tags) / 2, &lo, &hi);
	if (hi <= lo)
		hi = lo + 1;
	scale = 255.0 / (hi - lo);
	/* The stretch as a table over the 16-bit codes: one look-up a pixel. */
	for (int code = 0; code < 65536; code++) {
		int value = f->pixel_signed ? (int16_t)code : code;
		double v = (value - lo) * scale;

		w->stretch[code] = v <= 0 ? 0 : v >= 255 ? 255 : (png_byte)(v + 0.5);
	}
	png_init_io(png, w->fp);
	png_set_IHDR(png, info, (png_uint_32)f->width, (png_uint_32)f->height, 8, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* A quick-look, maybe one per frame at the camera's rate: the fastest
	 * zlib level and one cheap filter, several times faster than the
	 * defaults for a slightly larger file. */
	png_set_compression_level(png, 1);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
	put_text(png, info, f, lo, hi);
	png_write_info(png, info);
	for (int y = 0; y < f->height; y++) {
		const unsigned char *p = (const unsigned char *)f->data + (size_t)y * (size_t)f->width * 2;

		for (int x = 0; x < f->width; x++)
			row[x] = w->stretch[p[2 * x] | p[2 * x + 1] << 8];
		png_write_row(png, row);
	}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return CRED_OK;
}

static int png_write(void *priv, const struct cred_frame *f)
{
	struct png_writer *w = priv;
	png_bytep row;
	int err;

	if (w->frames > 0)
		return cred_fail(CRED_ERR_SUPP, "a PNG holds one frame (use a %%d pattern for more)");
	row = malloc((size_t)f->width);
	if (!row)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	err = encode(w, f, row);
	free(row);
	if (!err)
		w->frames++;
	return err;
}

static int png_finish(void *priv)
{
	struct png_writer *w = priv;
	int err = CRED_OK;

	if (w->frames == 0)
		err = cred_fail(CRED_ERR_ARG, "no frame to write in '%s'", w->name);
	if (fclose(w->fp) != 0 && !err)
		err = cred_fail_errno("cannot write '%s'", w->name);
	w->fp = NULL;
	return err;
}

static void png_destroy(void *priv)
{
	struct png_writer *w = priv;

	if (w && w->fp)
		fclose(w->fp);
	free(w);
}

const struct writer_backend cred_png_backend = {
	.open = png_open,
	.write = png_write,
	.finish = png_finish,
	.destroy = png_destroy,
};

/* The PNG quick-look writer (libpng): one frame as 8-bit gray, stretched
 * linearly between its 0.5th and 99.5th percentiles (stretch.c) so a few
 * hot or dead pixels do not wash the picture out. */
#include "frame-impl.h"
#include "stretch-impl.h"

#include <fcntl.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct png_writer {
	FILE *fp;
	const char *name;
	const struct cred_writer_options *o;
	int frames;
	struct cred_stretch stretch;
};

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
		 lo, hi, CRED_STRETCH_LOW * 100, CRED_STRETCH_HIGH * 100);
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

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return cred_fail(CRED_ERR_IO, "cannot write '%s'", w->name);
	}
	cred_stretch_percentiles(&w->stretch, f, cred_tags_size(w->o->format.tags) / 2, 1, &lo, &hi);
	cred_stretch_table(&w->stretch, f->pixel_signed, lo, hi);
	png_init_io(png, w->fp);
	png_set_IHDR(png, info, (png_uint_32)f->width, (png_uint_32)f->height, 8, PNG_COLOR_TYPE_GRAY,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* A quick-look, maybe one per frame at the camera's rate: the fastest
	 * zlib level and one cheap filter, several times faster than the
	 * defaults for a slightly larger file. */
	png_set_compression_level(png, 1);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
	put_text(png, info, f, w->stretch.lo, w->stretch.hi);
	png_write_info(png, info);
	for (int y = 0; y < f->height; y++) {
		const unsigned char *p = (const unsigned char *)f->data + (size_t)y * (size_t)f->width * 2;

		cred_stretch_apply(&w->stretch, p, (size_t)f->width, row);
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

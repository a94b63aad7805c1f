/* FITS copies of correction files, for inspection (crednuc bias --fits):
 * one 32-bit float image of the values the camera applies, written with
 * cfitsio into memory and then to the file through the atomic output. */
#include "crednuc.h"

#include <fitsio.h>
#include <stdlib.h>
#include <string.h>

static void fits_die(const char *path, int status)
{
	char text[FLEN_STATUS];

	fits_get_errstatus(status, text);
	die("cannot write FITS '%s': %s", path, text);
}

static void keywords(fitsfile *f, const struct cred_calib_kind *kind, const struct target *t,
		     const struct build_summary *sum, const char *method, int *status)
{
	char date[32];
	long frames = (long)sum->frames;

	cred_format_utc(cred_now_utc(), 0, 0, date, sizeof(date));
	fits_write_key_str(f, "DATE", date, "file creation date (UTC)", status);
	fits_write_key_str(f, "INSTRUME", t->model->name, "camera model", status);
	fits_write_key_str(f, "NUCKIND", kind->name, "correction file kind (sendfile KIND)", status);
	fits_write_key_str(f, "BUNIT", kind->type == CRED_CALIB_BIAS ? "adu" : "",
			   kind->type == CRED_CALIB_BIAS ? "offset subtracted by the camera" :
			   "gain the camera multiplies by", status);
	fits_write_key_lng(f, "NFRAMES", frames, "frames combined", status);
	fits_write_key_str(f, "METHOD", method, "per-pixel statistic of the frames", status);
	fits_write_key_str(f, "CREATOR", "crednuc (credtools) " CRED_VERSION, NULL, status);
}

/* The image in memory; returns its bytes (malloc'd by cfitsio). */
static void *fits_in_memory(const char *path, const struct cred_calib_kind *kind,
			    const struct target *t, const void *file,
			    const struct build_summary *sum, const char *method, size_t *len)
{
	size_t n = (size_t)t->width * t->height, memsize = 2880 * 10;
	long axes[2] = { t->width, t->height };
	const unsigned char *p = file;
	void *mem = malloc(memsize);
	float *img = malloc(n * sizeof(*img));
	fitsfile *f = NULL;
	LONGLONG head, data, end;
	int status = 0;

	if (!mem || !img)
		die("out of memory");
	for (size_t i = 0; i < n; i++) {
		uint16_t raw = (uint16_t)(p[2 * i] | p[2 * i + 1] << 8);

		img[i] = kind->type == CRED_CALIB_FLAT ? (float)cred_calib_flat_decode_value(raw) : raw;
	}
	fits_create_memfile(&f, &mem, &memsize, 2880 * 10, realloc, &status);
	fits_create_img(f, FLOAT_IMG, 2, axes, &status);
	keywords(f, kind, t, sum, method, &status);
	fits_write_img(f, TFLOAT, 1, (LONGLONG)n, img, &status);
	fits_flush_file(f, &status);
	fits_get_hduaddrll(f, &head, &data, &end, &status); /* end: after the padded data */
	if (status)
		fits_die(path, status);
	*len = (size_t)end;
	fits_close_file(f, &status);
	if (status)
		fits_die(path, status);
	free(img);
	return mem;
}

void write_fits(const char *path, bool force, const struct cred_calib_kind *kind,
		const struct target *t, const void *file, const struct build_summary *sum,
		const char *method)
{
	size_t len = 0;
	void *mem = fits_in_memory(path, kind, t, file, sum, method, &len);
	struct out_file *of = out_file_open(path, force);

	if (fwrite(mem, 1, len, out_file_stream(of)) != len)
		die_perror("cannot write '%s'", path);
	out_file_commit(of);
	free(mem);
}

/* The FITS writer (cfitsio): a cube whose NAXIS3 grows with every frame,
 * followed by a binary table FRAMES with one row per frame; or one 2-D
 * image per file with the frame's tags in its header; tile-compressed
 * (Rice, one tile per frame) for .fits.fz.
 *
 * Pixels go straight to the data unit at their final place (big-endian,
 * shifted by BZERO 32768 when unsigned) through cfitsio's byte-level
 * calls, which is what lets a cube be written several times faster than
 * the camera's full data rate; NAXIS3 is brought up to date every second
 * and at the end, so the file always describes the frames written. The
 * per-frame rows are spooled to an unlinked temporary file, not kept in
 * memory, and the table is written when the cube is complete. */
#include "clock-impl.h"
#include "frame-impl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <fitsio.h>
#include <fitsio2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define UPDATE_EVERY_MS 1000
#define ROWS_PER_BATCH 4096

/* One row of the FRAMES table, as spooled. */
struct row {
	int64_t index;
	int64_t counter;
	double time;
	int32_t pixel2;
	int16_t gain_cap;
	int16_t marker;
};

struct fits_writer {
	fitsfile *fp;
	struct cred_outfile *of;
	char *cube_path;        /* where the cube is written (of->tmp, or a side file for .fz) */
	int compress, single;
	const struct cred_writer_options *o;
	size_t fsize;
	unsigned char *buf;     /* one frame in FITS byte order */
	LONGLONG data_start;
	uint64_t frames;
	FILE *rows;
	long long last_update;     /* monotonic ms */
	double first_time, last_time; /* host timestamps of the first and last frames */
};

static int fits_error(int status, const char *what, const char *path)
{
	int e = errno; /* what the failed write set: cfitsio keeps no errno */
	char text[FLEN_STATUS];

	fits_get_errstatus(status, text);
	fits_clear_errmsg();
	/* A full disk or a file size limit is named, so the user knows what
	 * to do; other errno values may be stale and are not trusted. */
	if (status == WRITE_ERROR && (e == ENOSPC || e == EDQUOT || e == EFBIG)) {
		errno = e;
		return cred_fail_errno("cannot %s '%s'", what, path);
	}
	if (status == WRITE_ERROR || status == FILE_NOT_CREATED)
		return cred_fail(CRED_ERR_IO, "cannot %s '%s': %s", what, path, text);
	return cred_fail(CRED_ERR_IO, "cannot %s '%s' (cfitsio: %s)", what, path, text);
}

/* ---- header -------------------------------------------------------------- */

/* FITS wants printable ASCII in strings and upper-case keyword names. */
static void clean_text(const char *in, char *out, size_t len, int upper)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++) {
		unsigned char c = (unsigned char)in[i];

		out[i] = c < 32 || c > 126 ? '?' : upper ? (char)toupper(c) : (char)c;
	}
	out[i] = '\0';
}

/* A caller's keyword, typed from its text: logical, integer, real, string. */
static void put_keyword(fitsfile *fp, const struct cred_keyword *k, int *st)
{
	char name[FLEN_KEYWORD], value[FLEN_VALUE * 4], *end;
	const char *c = k->comment;
	long long l;
	double d;

	clean_text(k->name, name, sizeof(name), 1);
	clean_text(k->value, value, sizeof(value), 0);
	if (k->text)
		goto string;
	if (!strcasecmp(value, "on") || !strcasecmp(value, "true") || !strcasecmp(value, "yes")) {
		fits_update_key_log(fp, name, 1, c, st);
		return;
	}
	if (!strcasecmp(value, "off") || !strcasecmp(value, "false") || !strcasecmp(value, "no")) {
		fits_update_key_log(fp, name, 0, c, st);
		return;
	}
	errno = 0;
	l = strtoll(value, &end, 10);
	if (*value && !*end) {
		/* an integer too long for 64 bits is an identifier: a string */
		if (errno)
			goto string;
		fits_update_key(fp, TLONGLONG, name, &l, c, st);
		return;
	}
	d = strtod(value, &end);
	if (*value && !*end && !errno && isfinite(d) && !isalpha((unsigned char)value[0]) &&
	    !strpbrk(value, "xX")) {
		fits_update_key_dbl(fp, name, d, -15, c, st);
		return;
	}
string:
	if (strlen(value) > 68)
		fits_update_key_longstr(fp, name, value, c, st);
	else
		fits_update_key_str(fp, name, value, c, st);
}

static int has_keyword(const struct cred_writer_options *o, const char *name)
{
	for (size_t i = 0; i < o->nkeywords; i++)
		if (!strcasecmp(o->keywords[i].name, name))
			return 1;
	return 0;
}

static void put_frame_keys(fitsfile *fp, const struct cred_frame *f, int *st)
{
	char date[64];
	long long v;

	/* A frame read back from a file without its time has none: left out. */
	if (f->timestamp > 0) {
		cred_format_utc(f->timestamp, 6, 0, date, sizeof(date));
		fits_update_key_str(fp, "DATE-OBS", date, "host UTC when the frame arrived", st);
		fits_update_key_str(fp, "DATE-END", date, "host UTC when the frame arrived", st);
	}
	v = (long long)f->index;
	fits_update_key(fp, TLONGLONG, "FRAMENUM", &v, "frame number in the acquisition", st);
	if (!f->has_tags)
		return;
	v = f->tags.counter;
	fits_update_key(fp, TLONGLONG, "COUNTER", &v, "camera frame counter (image tag)", st);
	if (f->tags.gain_cap >= 0)
		fits_update_key_lng(fp, "GAINCAP", f->tags.gain_cap,
				    "integration capacitor: 0 high, 1 medium, 2 low gain", st);
	if (f->tags.marker >= 0)
		fits_update_key_lng(fp, "MARKER", f->tags.marker, "frame marker input", st);
	fits_update_key_lng(fp, "PIXEL2", f->tags.pixel2, "third tag pixel (NDR read position)", st);
}

/* The keywords every file gets, then the caller's (which win). */
static void put_header(struct fits_writer *w, int *st)
{
	const struct cred_writer_options *o = w->o;
	const struct cred_model *m = cred_model_get(o->format.model);
	char date[64], creator[64];

	cred_format_utc(cred_now_utc(), 6, 0, date, sizeof(date));
	fits_update_key_str(w->fp, "DATE", date, "UTC when the file was written", st);
	fits_update_key_str(w->fp, "ORIGIN", "credtools", "software that wrote the file", st);
	snprintf(creator, sizeof(creator), "credtools %s", cred_version());
	fits_update_key_str(w->fp, "CREATOR", creator, "software and version that wrote the file", st);
	fits_update_key_str(w->fp, "TIMESYS", "UTC", "time scale of DATE-OBS, DATE-END, TIME", st);
	if (!has_keyword(o, "INSTRUME"))
		fits_update_key_str(w->fp, "INSTRUME", m ? m->name : "C-RED", "camera", st);
	if (!has_keyword(o, "DETECTOR") && m)
		fits_update_key_str(w->fp, "DETECTOR", cred_model_detector(m->id), "sensor", st);
	if (o->tint > 0)
		fits_update_key_dbl(w->fp, "EXPTIME", o->tint, -12, "[s] integration time", st);
	if (o->fps > 0)
		fits_update_key_dbl(w->fp, "FRATE", o->fps, -12, "[Hz] frame rate", st);
	fits_update_key_str(w->fp, "BUNIT", "ADU", "pixel unit", st);
	for (size_t i = 0; i < o->nkeywords; i++)
		put_keyword(w->fp, &o->keywords[i], st);
	if (!w->single) {
		/* Placeholders with their final width: the header must not grow
		 * once pixels follow it. */
		fits_update_key_str(w->fp, "DATE-OBS", date, "host UTC when the first frame arrived", st);
		fits_update_key_str(w->fp, "DATE-END", date, "host UTC when the last frame arrived", st);
	}
}

/* ---- opening ---------------------------------------------------------------- */

static int create_image(struct fits_writer *w, const struct cred_frame *single)
{
	long naxes[3] = { w->o->format.width, w->o->format.height, 0 };
	int st = 0;

	if (fits_create_diskfile(&w->fp, w->cube_path, &st))
		return fits_error(st, "create", w->of->path);
	fits_create_img(w->fp, w->o->format.pixel_signed ? SHORT_IMG : USHORT_IMG,
			w->single ? 2 : 3, naxes, &st);
	put_header(w, &st);
	if (single)
		put_frame_keys(w->fp, single, &st);
	/* Close the header and learn where the pixels start. */
	fits_set_hdustruc(w->fp, &st);
	fits_get_hduaddrll(w->fp, NULL, &w->data_start, NULL, &st);
	if (st)
		return fits_error(st, "write the header of", w->of->path);
	return CRED_OK;
}

static void fits_destroy(void *priv)
{
	struct fits_writer *w = priv;
	int st = 0;

	if (!w)
		return;
	if (w->fp)
		fits_close_file(w->fp, &st);
	if (w->rows)
		fclose(w->rows);
	if (w->compress && w->cube_path)
		unlink(w->cube_path);
	if (w->compress)
		free(w->cube_path);
	free(w->buf);
	free(w);
}

static int fits_open(void **priv, struct cred_outfile *of, const struct cred_writer_options *o, int single)
{
	struct fits_writer *w = calloc(1, sizeof(*w));
	int err = CRED_OK;

	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->of = of;
	w->o = o;
	w->single = single;
	w->compress = o->type == CRED_FILE_FITS_FZ;
	w->fsize = cred_frame_format_size(&o->format);
	w->buf = malloc(w->fsize);
	/* cfitsio creates the file itself: free the name we reserved. */
	cred_outfile_close_fd(of);
	unlink(of->tmp);
	if (w->compress) {
		if (asprintf(&w->cube_path, "%s.cube", of->tmp) < 0)
			w->cube_path = NULL;
	} else {
		w->cube_path = of->tmp;
	}
	if (!w->buf || !w->cube_path)
		err = cred_fail(CRED_ERR_MEM, "out of memory");
	if (!err && !single && !(w->rows = tmpfile()))
		err = cred_fail_errno("cannot create a temporary file for the frame table");
	if (w->rows) /* tmpfile() has no close-on-exec of its own */
		fcntl(fileno(w->rows), F_SETFD, FD_CLOEXEC);
	if (!err && !single)
		err = create_image(w, NULL);
	w->last_update = cred_now_ms();
	if (err) {
		fits_destroy(w);
		return err;
	}
	*priv = w;
	return CRED_OK;
}

/* ---- frames ------------------------------------------------------------------- */

/* Camera order (little-endian) to FITS order (big-endian, minus BZERO
 * 32768 when unsigned: flipping the top bit). Eight pixels at a time with
 * the compiler's vector extension (plain SSE2 on x86-64): this runs at
 * memory speed. */
typedef uint16_t pixels8 __attribute__((vector_size(16)));

static void to_fits(unsigned char *dst, const unsigned char *src, size_t bytes, int is_signed)
{
	const uint16_t f = is_signed ? 0 : 0x0080; /* the top bit, once swapped */
	const pixels8 flip = { f, f, f, f, f, f, f, f };
	size_t i = 0;

	for (; i + sizeof(pixels8) <= bytes; i += sizeof(pixels8)) {
		pixels8 v;

		memcpy(&v, src + i, sizeof(v));
		v = ((v << 8) | (v >> 8)) ^ flip;
		memcpy(dst + i, &v, sizeof(v));
	}
	for (; i < bytes; i += 2) {
		dst[i] = src[i + 1] ^ (unsigned char)(f ? 0x80 : 0);
		dst[i + 1] = src[i];
	}
}

/* Make the header describe the frames written so far. */
static int update_header(struct fits_writer *w, int *st)
{
	long long n = (long long)w->frames;
	char date[64];

	if (w->first_time > 0) {
		cred_format_utc(w->first_time, 6, 0, date, sizeof(date));
		fits_update_key_str(w->fp, "DATE-OBS", date, NULL, st);
		cred_format_utc(w->last_time, 6, 0, date, sizeof(date));
		fits_update_key_str(w->fp, "DATE-END", date, NULL, st);
	}
	fits_update_key(w->fp, TLONGLONG, "NAXIS3", &n, NULL, st);
	fits_set_hdustruc(w->fp, st);
	return *st;
}

static int spool_row(struct fits_writer *w, const struct cred_frame *f)
{
	struct row r = {
		.index = (int64_t)f->index,
		.counter = f->has_tags ? (int64_t)f->tags.counter : -1,
		.time = f->timestamp > 0 ? f->timestamp : NAN, /* unknown: a null */
		.pixel2 = f->has_tags ? f->tags.pixel2 : -1,
		.gain_cap = (int16_t)f->tags.gain_cap,
		.marker = (int16_t)f->tags.marker,
	};

	if (fwrite(&r, sizeof(r), 1, w->rows) != 1)
		return cred_fail_errno("cannot write the temporary frame table");
	return CRED_OK;
}

static int fits_sync(void *priv)
{
	struct fits_writer *w = priv;
	int st = 0;

	if (w->single || !w->fp)
		return CRED_OK;
	w->last_update = cred_now_ms();
	update_header(w, &st);
	fits_flush_file(w->fp, &st);
	return st ? fits_error(st, "write", w->of->path) : CRED_OK;
}

static int fits_write(void *priv, const struct cred_frame *f)
{
	struct fits_writer *w = priv;
	int st = 0, err;

	if (w->single && w->frames > 0)
		return cred_fail(CRED_ERR_ARG, "one frame per file");
	if (w->single && (err = create_image(w, f)))
		return err;
	if (f->timestamp > 0) {
		if (w->first_time == 0)
			w->first_time = f->timestamp;
		w->last_time = f->timestamp;
	}
	to_fits(w->buf, f->data, w->fsize, w->o->format.pixel_signed);
	ffmbyt(w->fp, w->data_start + (LONGLONG)(w->frames * w->fsize), IGNORE_EOF, &st);
	ffpbyt(w->fp, (LONGLONG)w->fsize, w->buf, &st);
	if (st)
		return fits_error(st, "write", w->of->path);
	w->frames++;
	if (w->single)
		return CRED_OK;
	err = spool_row(w, f);
	if (!err && cred_now_ms() - w->last_update >= UPDATE_EVERY_MS)
		err = fits_sync(w);
	return err;
}

/* ---- finishing ------------------------------------------------------------------ */

/* One batch of the FRAMES table: the spooled rows and their columns. On
 * the heap, per call: two writers may finish at once in two threads. */
struct batch {
	struct row r[ROWS_PER_BATCH];
	int64_t index[ROWS_PER_BATCH], counter[ROWS_PER_BATCH];
	double time[ROWS_PER_BATCH];
	int32_t pixel2[ROWS_PER_BATCH];
	int16_t gain_cap[ROWS_PER_BATCH], marker[ROWS_PER_BATCH];
};

static void write_rows(struct fits_writer *w, struct batch *b, size_t n, LONGLONG first, int *st)
{
	for (size_t i = 0; i < n; i++) {
		b->index[i] = b->r[i].index;
		b->counter[i] = b->r[i].counter;
		b->time[i] = b->r[i].time;
		b->pixel2[i] = b->r[i].pixel2;
		b->gain_cap[i] = b->r[i].gain_cap;
		b->marker[i] = b->r[i].marker;
	}
	fits_write_col(w->fp, TLONGLONG, 1, first, 1, (LONGLONG)n, b->index, st);
	fits_write_col(w->fp, TLONGLONG, 2, first, 1, (LONGLONG)n, b->counter, st);
	fits_write_col(w->fp, TDOUBLE, 3, first, 1, (LONGLONG)n, b->time, st);
	fits_write_col(w->fp, TSHORT, 4, first, 1, (LONGLONG)n, b->gain_cap, st);
	fits_write_col(w->fp, TSHORT, 5, first, 1, (LONGLONG)n, b->marker, st);
	fits_write_col(w->fp, TINT, 6, first, 1, (LONGLONG)n, b->pixel2, st);
}

static void create_table(struct fits_writer *w, int *st)
{
	char *names[] = { "FRAME", "COUNTER", "TIME", "GAINCAP", "MARKER", "PIXEL2" };
	char *forms[] = { "1K", "1K", "1D", "1I", "1I", "1J" };
	char *units[] = { "", "", "s", "", "", "" };

	fits_create_tbl(w->fp, BINARY_TBL, (LONGLONG)w->frames, 6, names, forms, units, "FRAMES", st);
	fits_update_key_str(w->fp, "TCOMM1", "frame number in the acquisition", NULL, st);
	fits_update_key_str(w->fp, "TCOMM2", "camera frame counter (image tag), -1 without tags", NULL, st);
	fits_update_key_str(w->fp, "TCOMM3", "host time of arrival, seconds since 1970-01-01 UTC", NULL, st);
	fits_update_key_str(w->fp, "TCOMM4", "C-RED 3 integration capacitor 0-2", NULL, st);
	fits_update_key_str(w->fp, "TCOMM5", "C-RED 3 frame marker input", NULL, st);
	fits_update_key_str(w->fp, "TCOMM6", "third tag pixel (C-RED One NDR read position)", NULL, st);
	for (int c = 2; c <= 6; c++) {
		char key[16];

		snprintf(key, sizeof(key), "TNULL%d", c);
		if (c != 3)
			fits_update_key_lng(w->fp, key, -1, "no value", st);
	}
}

static int write_table(struct fits_writer *w)
{
	struct batch *b = malloc(sizeof(*b));
	LONGLONG done = 0;
	size_t n;
	int st = 0;

	if (!b)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	create_table(w, &st);
	rewind(w->rows);
	while (!st && (n = fread(b->r, sizeof(b->r[0]), ROWS_PER_BATCH, w->rows)) > 0) {
		write_rows(w, b, n, done + 1, &st);
		done += (LONGLONG)n;
	}
	free(b);
	if (!st && (ferror(w->rows) || done != (LONGLONG)w->frames))
		return cred_fail(CRED_ERR_IO, "cannot read back the temporary frame table");
	if (st)
		return fits_error(st, "write the frame table of", w->of->path);
	return CRED_OK;
}

/* Rice-compress the finished cube into the output, one tile per frame. */
static int compress_cube(struct fits_writer *w)
{
	long tile[3] = { w->o->format.width, w->o->format.height, 1 };
	fitsfile *in = NULL, *out = NULL;
	int st = 0, hdus = 0;

	if (fits_open_diskfile(&in, w->cube_path, READONLY, &st))
		return fits_error(st, "read back", w->cube_path);
	fits_create_diskfile(&out, w->of->tmp, &st);
	fits_set_compression_type(out, RICE_1, &st);
	fits_set_tile_dim(out, 3, tile, &st);
	fits_img_compress(in, out, &st);
	fits_get_num_hdus(in, &hdus, &st);
	for (int h = 2; !st && h <= hdus; h++) {
		fits_movabs_hdu(in, h, NULL, &st);
		fits_copy_hdu(in, out, 0, &st);
	}
	fits_close_file(in, &(int){ 0 });
	if (out)
		fits_close_file(out, &st);
	unlink(w->cube_path);
	if (st)
		return fits_error(st, "compress", w->of->path);
	return CRED_OK;
}

static int fits_finish(void *priv)
{
	struct fits_writer *w = priv;
	int st = 0, err = CRED_OK;

	if (w->single && w->frames == 0)
		return cred_fail(CRED_ERR_ARG, "no frame to write in '%s'", w->of->path);
	if (!w->single) {
		/* No frame said when it came: no placeholder date stays. */
		if (w->first_time == 0) {
			fits_delete_key(w->fp, "DATE-OBS", &st);
			fits_delete_key(w->fp, "DATE-END", &st);
		}
		if (update_header(w, &st))
			return fits_error(st, "complete", w->of->path);
		err = write_table(w);
	}
	fits_close_file(w->fp, &st);
	w->fp = NULL;
	if (!err && st)
		err = fits_error(st, "complete", w->of->path);
	if (!err && w->compress)
		err = compress_cube(w);
	return err;
}

const struct writer_backend cred_fits_backend = {
	.open = fits_open,
	.write = fits_write,
	.sync = fits_sync,
	.finish = fits_finish,
	.destroy = fits_destroy,
};

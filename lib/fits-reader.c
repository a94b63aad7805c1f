/* Reading frames from FITS (cfitsio): the first image HDU with two or three
 * axes, plane by plane, as 16-bit little-endian pixels; tags from the
 * FRAMES table that credtools writes after a cube, or from the header
 * keywords of a one-frame file. */
#include "frame-impl.h"

#include <fitsio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct fits_source {
	fitsfile *fp;
	char *path;
	struct cred_frame_format fmt;
	int image_hdu, table_hdu;      /* HDU numbers (table 0: none) */
	int table_cols[6];             /* FRAME COUNTER TIME GAINCAP MARKER PIXEL2, 0 if absent */
	LONGLONG nframes, next;
	size_t npix;
	uint16_t *pix;                 /* one plane as read by cfitsio */
	unsigned char *le;             /* the same, little-endian */
	struct cred_frame single_tags; /* a 2-D file's header tags */
};

static int fits_fail(int st, const char *what, const char *path)
{
	char text[FLEN_STATUS];

	fits_get_errstatus(st, text);
	fits_clear_errmsg();
	return cred_fail(st == FILE_NOT_OPENED ? CRED_ERR_IO : CRED_ERR_DATA, "cannot %s '%s': %s",
			 what, path, text);
}

/* "2024-05-01T12:34:56.123456" to seconds since the epoch (0 if not a date). */
static double parse_date(const char *s)
{
	struct tm tm;
	double sec = 0;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%d-%d-%dT%d:%d:%lf%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
		   &tm.tm_min, &sec, &n) < 6)
		return 0;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_sec = (int)sec;
	return (double)timegm(&tm) + (sec - (int)sec);
}

/* The first image with 2 or 3 axes; its model from INSTRUME. */
static int find_image(struct fits_source *s, int *st)
{
	int hdus = 0, type, naxis, bitpix;
	long naxes[3];
	char instr[FLEN_VALUE] = "";

	fits_get_num_hdus(s->fp, &hdus, st);
	for (int h = 1; h <= hdus && !*st; h++) {
		fits_movabs_hdu(s->fp, h, &type, st);
		if (type != IMAGE_HDU)
			continue;
		fits_get_img_dim(s->fp, &naxis, st);
		if (*st || naxis < 2 || naxis > 3)
			continue;
		fits_get_img_size(s->fp, 3, naxes, st);
		fits_get_img_equivtype(s->fp, &bitpix, st);
		if (naxes[0] < 1 || naxes[1] < 1 || naxes[0] > 65535 || naxes[1] > 65535)
			continue;
		s->image_hdu = h;
		s->fmt.width = (int)naxes[0];
		s->fmt.height = (int)naxes[1];
		s->nframes = naxis == 3 ? naxes[2] : 1;
		s->fmt.pixel_signed = bitpix != USHORT_IMG && bitpix != BYTE_IMG;
		if (!fits_read_key_str(s->fp, "INSTRUME", instr, NULL, &(int){ 0 })) {
			const struct cred_model *m = cred_model_by_key(instr);

			s->fmt.model = m ? m->id : CRED_MODEL_UNKNOWN;
		}
		return CRED_OK;
	}
	return *st ? fits_fail(*st, "read", s->path)
		   : cred_fail(CRED_ERR_DATA, "'%s' holds no 2-D or 3-D image", s->path);
}

static void find_table(struct fits_source *s)
{
	static const char *const names[6] = { "FRAME", "COUNTER", "TIME", "GAINCAP", "MARKER", "PIXEL2" };
	LONGLONG rows = 0;
	int st = 0;

	if (fits_movnam_hdu(s->fp, BINARY_TBL, "FRAMES", 0, &st))
		return;
	fits_get_num_rowsll(s->fp, &rows, &st);
	if (st || rows < s->nframes)
		return;
	fits_get_hdu_num(s->fp, &s->table_hdu);
	for (int c = 0; c < 6; c++) {
		st = 0;
		if (fits_get_colnum(s->fp, CASEINSEN, (char *)names[c], &s->table_cols[c], &st))
			s->table_cols[c] = 0;
	}
}

/* A one-frame file carries its tags as keywords. */
static void read_single_tags(struct fits_source *s)
{
	struct cred_frame *f = &s->single_tags;
	char date[FLEN_VALUE];
	long long v;
	int st = 0;

	f->tags.gain_cap = f->tags.marker = -1;
	if (!fits_read_key(s->fp, TLONGLONG, "COUNTER", &v, NULL, &st)) {
		f->has_tags = 1;
		f->tags.counter = (uint32_t)v;
	}
	st = 0;
	if (!fits_read_key(s->fp, TLONGLONG, "GAINCAP", &v, NULL, &st))
		f->tags.gain_cap = (int)v;
	st = 0;
	if (!fits_read_key(s->fp, TLONGLONG, "MARKER", &v, NULL, &st))
		f->tags.marker = (int)v;
	st = 0;
	if (!fits_read_key(s->fp, TLONGLONG, "PIXEL2", &v, NULL, &st))
		f->tags.pixel2 = (uint16_t)v;
	st = 0;
	if (!fits_read_key_str(s->fp, "DATE-OBS", date, NULL, &st))
		f->timestamp = parse_date(date);
}

/* The geometry must be one we can hold (a header may claim anything):
 * checked before a frame buffer is allocated for it. */
static int check_size(struct fits_source *s)
{
	char msg[256];

	if (cred_frame_format_check(&s->fmt) == CRED_OK)
		return CRED_OK;
	snprintf(msg, sizeof(msg), "%s", cred_last_error());
	return cred_fail(CRED_ERR_DATA, "cannot read '%s': %s", s->path, msg);
}

static void set_tags(struct fits_source *s)
{
	struct cred_frame_format def;

	/* The pixels still carry the camera's tags when the model is known. */
	if (cred_frame_format_init(&def, s->fmt.model) == CRED_OK) {
		s->fmt.tags = def.tags;
		s->fmt.rules = def.rules;
	}
	if (cred_frame_format_check(&s->fmt) != CRED_OK) { /* a row too short for them */
		s->fmt.tags = CRED_TAGS_NONE;
		memset(&s->fmt.rules, 0, sizeof(s->fmt.rules));
	}
	cred_clear_error();
}

int cred_fits_source_open(const char *path, struct fits_source **out)
{
	struct fits_source *s = calloc(1, sizeof(*s));
	int st = 0, err;

	*out = NULL;
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (fits_open_diskfile(&s->fp, path, READONLY, &st)) {
		err = fits_fail(st, "open", path);
		cred_fits_source_close(s);
		return err;
	}
	err = find_image(s, &st);
	if (!err)
		err = check_size(s);
	if (!err) {
		set_tags(s);
		if (s->nframes == 1)
			read_single_tags(s);
		find_table(s);
		fits_movabs_hdu(s->fp, s->image_hdu, NULL, &st);
		if (st)
			err = fits_fail(st, "read", path);
		s->npix = (size_t)s->fmt.width * (size_t)s->fmt.height;
		s->pix = malloc(s->npix * 2);
		s->le = malloc(s->npix * 2);
		if (!s->pix || !s->le)
			err = cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (err) {
		cred_fits_source_close(s);
		return err;
	}
	*out = s;
	return CRED_OK;
}

const struct cred_frame_format *cred_fits_source_format(const struct fits_source *s)
{
	return &s->fmt;
}

/* The frame's row of the FRAMES table, when it can be read: a table cut
 * short (a crash while writing) leaves the frame without tags, never
 * without its pixels. Returns the error of moving back to the image, the
 * only failure that stops the reading. */
static int read_row(struct fits_source *s, LONGLONG row, struct cred_frame *f)
{
	long long counter = -1;
	double t = 0;
	short g = -1, m = -1;
	int p2 = 0, st = 0, back = 0;

	fits_movabs_hdu(s->fp, s->table_hdu, NULL, &st);
	if (s->table_cols[1])
		fits_read_col(s->fp, TLONGLONG, s->table_cols[1], row, 1, 1, NULL, &counter, NULL, &st);
	if (s->table_cols[2])
		fits_read_col(s->fp, TDOUBLE, s->table_cols[2], row, 1, 1, NULL, &t, NULL, &st);
	if (s->table_cols[3])
		fits_read_col(s->fp, TSHORT, s->table_cols[3], row, 1, 1, NULL, &g, NULL, &st);
	if (s->table_cols[4])
		fits_read_col(s->fp, TSHORT, s->table_cols[4], row, 1, 1, NULL, &m, NULL, &st);
	if (s->table_cols[5])
		fits_read_col(s->fp, TINT, s->table_cols[5], row, 1, 1, NULL, &p2, NULL, &st);
	/* cfitsio skips every call made with a failed status: the way back to
	 * the image needs a status of its own. */
	fits_movabs_hdu(s->fp, s->image_hdu, NULL, &back);
	if (back)
		return fits_fail(back, "read", s->path);
	if (st) {
		fits_clear_errmsg();
		return CRED_OK;
	}
	f->has_tags = counter >= 0;
	f->tags.counter = (uint32_t)counter;
	f->tags.gain_cap = g;
	f->tags.marker = m;
	f->tags.pixel2 = (uint16_t)(p2 < 0 ? 0 : p2);
	f->timestamp = isfinite(t) ? t : 0; /* a null (NaN) time: unknown */
	return CRED_OK;
}

int cred_fits_source_next(struct fits_source *s, struct cred_frame *f)
{
	int st = 0, any = 0;

	if (s->next >= s->nframes)
		return 0;
	fits_read_img(s->fp, s->fmt.pixel_signed ? TSHORT : TUSHORT,
		      s->next * (LONGLONG)s->npix + 1, (LONGLONG)s->npix, NULL, s->pix, &any, &st);
	if (st)
		return fits_fail(st, "read frame from", s->path);
	for (size_t i = 0; i < s->npix; i++) {
		s->le[2 * i] = s->pix[i] & 0xff;
		s->le[2 * i + 1] = s->pix[i] >> 8;
	}
	memset(f, 0, sizeof(*f));
	f->tags.gain_cap = f->tags.marker = -1;
	if (s->nframes == 1)
		*f = s->single_tags;
	if (s->table_hdu) {
		int err = read_row(s, s->next + 1, f);
		if (err)
			return err;
	}
	f->data = s->le;
	f->size = s->npix * 2;
	f->width = s->fmt.width;
	f->height = s->fmt.height;
	f->pixel_signed = s->fmt.pixel_signed;
	s->next++;
	return 1;
}

void cred_fits_source_close(struct fits_source *s)
{
	int st = 0;

	if (!s)
		return;
	if (s->fp)
		fits_close_file(s->fp, &st);
	free(s->pix);
	free(s->le);
	free(s->path);
	free(s);
}

/* Map files in their formats: the camera's binary map, PBM P4, an 8-bit
 * FITS mask, a text list of pixels, and (written only) a PNG picture. Rows
 * go top to bottom in every format, as the camera sends them and as
 * credgrab writes FITS frames. */
#include "credbpm.h"

#include <ctype.h>
#include <errno.h>
#include <fitsio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum map_format map_format_parse(const char *name)
{
	static const char *const names[] = { "bin", "pbm", "fits", "txt", "png" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(name, names[i]))
			return (enum map_format)(FMT_BIN + i);
	die_usage("invalid format '%s': bin, pbm, fits, txt or png", name);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcasecmp(s + n - t, tail);
}

enum map_format map_format_of(const char *path)
{
	if (ends_with(path, ".pbm"))
		return FMT_PBM;
	if (ends_with(path, ".fits") || ends_with(path, ".fit") || ends_with(path, ".fts"))
		return FMT_FITS;
	if (ends_with(path, ".txt"))
		return FMT_TXT;
	if (ends_with(path, ".png"))
		return FMT_PNG;
	return FMT_BIN;
}

/* ---- reading ------------------------------------------------------------------ */

/* The whole file (malloc'd, NUL-terminated for text) of at most max bytes. */
static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	char *buf = malloc(max + 1);
	size_t n;

	if (!f)
		die_perror("cannot open '%s'", path);
	if (!buf)
		die("out of memory");
	n = fread(buf, 1, max + 1, f);
	if (ferror(f))
		die_perror("cannot read '%s'", path);
	if (n > max)
		die("'%s' is too large for a bad pixel map", path);
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

static enum cred_model_id model_id(const struct config *cfg)
{
	return cfg->opts.model ? cfg->opts.model->id : CRED_MODEL_UNKNOWN;
}

/* An empty map of width x height, which must be a model's geometry. */
static struct cred_bpm *map_of_geometry(struct config *cfg, const char *path, int w, int h)
{
	struct cred_bpm *map = NULL;
	size_t size = cred_bpm_size_for(w, h);

	if (w % 8 || (size_t)w * h % 8 || cred_bpm_check_size(size, model_id(cfg)) < 0)
		die("'%s' is %dx%d: a bad pixel map is 640x512 (C-RED 3) or 320x256 (C-RED One)%s",
		    path, w, h, cfg->opts.model ? ", and -m decides which" : "");
	if (cred_bpm_new(w, h, &map) < 0)
		die("%s", cred_last_error());
	return map;
}

/* One PBM header number after blanks and comments. */
static bool pbm_number(const char *buf, size_t len, size_t *pos, int *out)
{
	long v = 0;
	size_t start;

	while (*pos < len && (isspace((unsigned char)buf[*pos]) || buf[*pos] == '#')) {
		if (buf[*pos] == '#')
			while (*pos < len && buf[*pos] != '\n')
				(*pos)++;
		else
			(*pos)++;
	}
	start = *pos;
	while (*pos < len && isdigit((unsigned char)buf[*pos]) && v < 100000)
		v = v * 10 + (buf[(*pos)++] - '0');
	*out = (int)v;
	return *pos > start && *pos < len && v > 0 && v < 100000;
}

static struct cred_bpm *read_pbm(struct config *cfg, const char *path, const char *buf, size_t len)
{
	size_t pos = 2, size, have;
	int w, h;
	struct cred_bpm *map;
	const uint8_t *dst;

	if (len < 2 || buf[0] != 'P' || buf[1] != '4')
		die("'%s' is not a PBM P4 image (raw 1-bit; convert a plain P1 with pnmtopnm)", path);
	if (!pbm_number(buf, len, &pos, &w) || !pbm_number(buf, len, &pos, &h) ||
	    !isspace((unsigned char)buf[pos]))
		die("'%s': damaged PBM header", path);
	pos++;
	map = map_of_geometry(cfg, path, w, h);
	dst = cred_bpm_bytes(map, &size);
	have = len - pos;
	if (have != size)
		die("'%s': a %dx%d PBM holds %zu bytes of pixels, this one %zu", path, w, h, size, have);
	/* PBM rows are the map's rows (widths are multiples of 8: no padding) */
	memcpy((uint8_t *)dst, buf + pos, size);
	return map;
}

static struct cred_bpm *read_bin(struct config *cfg, const char *path, const char *buf, size_t len)
{
	struct cred_bpm *map = NULL;

	if (cred_bpm_from_bytes(buf, len, model_id(cfg), &map) < 0)
		die("'%s': %s", path, cred_last_error());
	return map;
}

/* "# credbpm WxH" in a text list gives the geometry. */
static void text_geometry(struct config *cfg, const char *buf, int *w, int *h)
{
	const char *g = strstr(buf, "# credbpm ");
	const struct cred_model *m = cfg->opts.model ? cfg->opts.model :
				     cred_model_get(CRED_MODEL_CRED3);

	*w = m->width;
	*h = m->height;
	if (g && sscanf(g, "# credbpm %dx%d", w, h) != 2)
		*w = *h = 0;
}

static struct cred_bpm *read_txt(struct config *cfg, const char *path, char *buf, size_t len)
{
	int w, h, line = 0;
	struct cred_bpm *map;
	char *save = NULL, *l, *nul = memchr(buf, '\0', len);

	/* the lines after a NUL would be dropped unseen */
	if (nul)
		die("'%s' holds a NUL byte (at byte %zu): not a text list of 'X Y' lines", path,
		    (size_t)(nul - buf));
	text_geometry(cfg, buf, &w, &h);
	map = map_of_geometry(cfg, path, w, h);
	for (l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *hash = strchr(l, '#'), extra;
		int x, y;

		line++;
		if (hash)
			*hash = '\0';
		if (strspn(l, " \t\r") == strlen(l))
			continue;
		if (sscanf(l, "%d %d %c", &x, &y, &extra) != 2)
			die("'%s' line %d: expected 'X Y', got '%s'", path, line, l);
		if (cred_bpm_set(map, x, y, 1) < 0)
			die("'%s' line %d: %s", path, line, cred_last_error());
	}
	return map;
}

static void fits_die(const char *path, int status)
{
	char text[FLEN_STATUS];

	fits_get_errstatus(status, text);
	die("cannot read FITS '%s': %s", path, text);
}

static struct cred_bpm *read_fits(struct config *cfg, const char *path)
{
	fitsfile *f = NULL;
	int status = 0, naxis = 0, anynul = 0;
	long axes[3] = { 0, 0, 1 };
	struct cred_bpm *map;
	unsigned char *px;

	if (fits_open_image(&f, path, READONLY, &status))
		fits_die(path, status);
	fits_get_img_dim(f, &naxis, &status);
	fits_get_img_size(f, 3, axes, &status);
	if (status)
		fits_die(path, status);
	if (naxis != 2)
		die("'%s' has %d axes: a FITS mask is one 2-D image", path, naxis);
	map = map_of_geometry(cfg, path, (int)axes[0], (int)axes[1]);
	px = malloc((size_t)axes[0] * axes[1]);
	if (!px)
		die("out of memory");
	if (fits_read_img(f, TBYTE, 1, (LONGLONG)axes[0] * axes[1], NULL, px, &anynul, &status))
		fits_die(path, status);
	fits_close_file(f, &status);
	for (long y = 0; y < axes[1]; y++)
		for (long x = 0; x < axes[0]; x++)
			if (px[y * axes[0] + x])
				cred_bpm_set(map, (int)x, (int)y, 1);
	free(px);
	return map;
}

struct cred_bpm *map_read(struct config *cfg, const char *path, enum map_format fmt)
{
	struct cred_bpm *map;
	size_t len = 0;
	char *buf;

	if (fmt == FMT_AUTO)
		fmt = map_format_of(path);
	if (fmt == FMT_PNG)
		die_usage("'%s': a PNG picture cannot be read back as a map", path);
	if (fmt == FMT_FITS) {
		if (!strcmp(path, "-"))
			die_usage("a FITS mask cannot come from standard input");
		return read_fits(cfg, path);
	}
	buf = slurp(path, 4 << 20, &len);
	if (fmt == FMT_BIN && len >= 2 && buf[0] == 'P' && buf[1] == '4' &&
	    cred_bpm_check_size(len, CRED_MODEL_UNKNOWN) < 0)
		fmt = FMT_PBM; /* a PBM under another name */
	map = fmt == FMT_PBM ? read_pbm(cfg, path, buf, len) :
	      fmt == FMT_TXT ? read_txt(cfg, path, buf, len) : read_bin(cfg, path, buf, len);
	free(buf);
	return map;
}

/* ---- writing ---------------------------------------------------------------------- */

static void write_txt(FILE *f, const struct cred_bpm *map)
{
	size_t pos = 0;
	int x, y;

	fprintf(f, "# credbpm %dx%d: bad pixels, x y (0-based, from the top left)\n",
		cred_bpm_width(map), cred_bpm_height(map));
	while (cred_bpm_next(map, &pos, &x, &y))
		fprintf(f, "%d %d\n", x, y);
}

static void write_fits(FILE *out, const char *path, const struct cred_bpm *map)
{
	int w = cred_bpm_width(map), h = cred_bpm_height(map), status = 0;
	size_t n = (size_t)w * h, memsize = 2880 * 10;
	long axes[2] = { w, h };
	unsigned char *px = malloc(n);
	void *mem = malloc(memsize);
	fitsfile *f = NULL;
	LONGLONG head, data, end;

	if (!px || !mem)
		die("out of memory");
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			px[(size_t)y * w + x] = (unsigned char)cred_bpm_get(map, x, y);
	fits_create_memfile(&f, &mem, &memsize, 2880 * 10, realloc, &status);
	fits_create_img(f, BYTE_IMG, 2, axes, &status);
	fits_write_key_str(f, "CONTENT", "bad pixel mask", "1 = bad, 0 = good", &status);
	fits_write_key_str(f, "CREATOR", "credbpm (credtools) " CRED_VERSION, NULL, &status);
	fits_write_img(f, TBYTE, 1, (LONGLONG)n, px, &status);
	fits_flush_file(f, &status);
	fits_get_hduaddrll(f, &head, &data, &end, &status);
	if (status) {
		char text[FLEN_STATUS];

		fits_get_errstatus(status, text);
		die("cannot write FITS '%s': %s", path, text);
	}
	if (fwrite(mem, 1, (size_t)end, out) != (size_t)end)
		die_perror("cannot write '%s'", path);
	fits_close_file(f, &status);
	free(mem);
	free(px);
}

void map_write(const struct cred_bpm *map, const char *path, enum map_format fmt, bool force,
	       const char *over)
{
	struct out_file *of;
	const uint8_t *bits;
	size_t len;
	FILE *f;

	if (fmt == FMT_AUTO)
		fmt = map_format_of(path);
	if (over && fmt != FMT_PNG)
		die_usage("--over is for PNG pictures");
	if (fmt != FMT_TXT && !strcmp(path, "-") && isatty(STDOUT_FILENO))
		die_usage("standard output is a terminal: give -o FILE");
	of = out_file_open(path, force);
	f = out_file_stream(of);
	bits = cred_bpm_bytes(map, &len);
	switch (fmt) {
	case FMT_PBM:
		fprintf(f, "P4\n# bad pixel map (credbpm): 1 = bad\n%d %d\n", cred_bpm_width(map),
			cred_bpm_height(map));
		/* the raster is the map */
		if (fwrite(bits, 1, len, f) != len)
			die_perror("cannot write '%s'", path);
		break;
	case FMT_AUTO:
	case FMT_BIN:
		if (fwrite(bits, 1, len, f) != len)
			die_perror("cannot write '%s'", path);
		break;
	case FMT_TXT:
		write_txt(f, map);
		break;
	case FMT_FITS:
		write_fits(f, path, map);
		break;
	case FMT_PNG:
		png_write_map(f, path, map, over);
		break;
	}
	out_file_commit(of);
}

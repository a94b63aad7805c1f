/* The pipe stream: YUV4MPEG2 with 16-bit gray pixels plus X parameters
 * (format in cred-frame.h). Writing it, and parsing its header and frame
 * lines for the reader. */
#include "frame-impl.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

/* ffmpeg reads at most 96 bytes of stream header and 80 of frame header
 * (newline included). */
#define HEADER_MAX 96
#define FRAME_LINE_MAX CRED_Y4M_LINE_MAX

struct y4m_writer {
	int fd;
	const char *path; /* NULL: standard output */
	struct cred_frame_format fmt;
};

static const char *model_key(enum cred_model_id id)
{
	const struct cred_model *m = cred_model_get(id);

	return m ? m->key : "unknown";
}

/* The tag kind a model's frames carry when nothing else is said. */
static enum cred_tag_kind default_tags(enum cred_model_id id)
{
	return id == CRED_MODEL_CRED3 ? CRED_TAGS_CRED3
	       : id == CRED_MODEL_CREDONE ? CRED_TAGS_CREDONE : CRED_TAGS_NONE;
}

static const char *tags_name(const struct cred_frame_format *f)
{
	switch (f->tags) {
	case CRED_TAGS_CRED3: return f->rules.pixel2_zero ? "cred3" : "cred3-any";
	case CRED_TAGS_CREDONE: return "credone";
	default: return "none";
	}
}

/* The frame rate as a ratio: whole rates over 1, others in thousandths. */
static void format_rate(double fps, char *buf, size_t len)
{
	if (!(fps > 0) || fps > 1e6)
		snprintf(buf, len, "0:0");
	else if (fabs(fps - round(fps)) < 1e-9)
		snprintf(buf, len, "%.0f:1", fps);
	else
		snprintf(buf, len, "%.0f:1000", round(fps * 1000));
}

/* The header line (with its newline) into buf, colour the C parameter
 * ("mono16", "mono"); its length. Optional parameters are added while the
 * line stays within ffmpeg's limit; the tint loses digits before it is
 * left out. */
int cred_y4m_format_header(const struct cred_writer_options *o, const char *colour, char *buf,
			   size_t len)
{
	const struct cred_frame_format *f = &o->format;
	char rate[32], extra[64];
	int n;

	format_rate(o->fps, rate, sizeof(rate));
	n = snprintf(buf, len, "YUV4MPEG2 W%d H%d F%s C%s XMODEL=%s XSIGNED=%d", f->width,
		     f->height, rate, colour, model_key(f->model), f->pixel_signed ? 1 : 0);
	if (f->tags != default_tags(f->model) || (f->tags == CRED_TAGS_CRED3 && !f->rules.pixel2_zero))
		n += snprintf(buf + n, len - (size_t)n, " XTAGS=%s", tags_name(f));
	for (int digits = 9; o->tint > 0 && digits >= 3; digits -= 2) {
		int e = snprintf(extra, sizeof(extra), " XTINT=%.*g", digits, o->tint);

		if (n + e + 1 <= HEADER_MAX) {
			memcpy(buf + n, extra, (size_t)e + 1);
			n += e;
			break;
		}
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

/* Append to a line of at most FRAME_LINE_MAX bytes (newline included): a
 * parameter that would not fit is left out whole. */
static void append(char *buf, int *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void append(char *buf, int *n, const char *fmt, ...)
{
	char part[FRAME_LINE_MAX];
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(part, sizeof(part), fmt, ap);
	va_end(ap);
	if (k < 0 || *n + k + 1 > FRAME_LINE_MAX)
		return;
	memcpy(buf + *n, part, (size_t)k + 1);
	*n += k;
}

/* The FRAME line into buf (CRED_Y4M_LINE_MAX + 1 bytes); its length. A
 * timestamp read back from a file may be any number: one that is not a
 * host time (before 2286) is left out rather than allowed to overflow. */
int cred_y4m_format_frame(enum cred_tag_kind tags, const struct cred_frame *f, char *buf)
{
	int n = 0;

	append(buf, &n, "FRAME");
	if (f->has_tags)
		append(buf, &n, " XCOUNT=%lu", (unsigned long)f->tags.counter);
	if (f->timestamp > 0 && f->timestamp < 1e10)
		append(buf, &n, " XTIME=%.6f", f->timestamp);
	if (f->has_tags && tags == CRED_TAGS_CRED3)
		append(buf, &n, " XGAIN=%d XMARK=%d", f->tags.gain_cap, f->tags.marker);
	else if (f->has_tags)
		append(buf, &n, " XNDR=%u", (unsigned)f->tags.pixel2);
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

static int y4m_open(void **priv, struct cred_outfile *of, const struct cred_writer_options *o, int single)
{
	struct y4m_writer *w = calloc(1, sizeof(*w));
	char header[256];
	int n, err;

	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->fd = of ? of->fd : 1;
	w->path = of ? of->path : NULL;
	w->fmt = o->format;
	n = cred_y4m_format_header(o, "mono16", header, sizeof(header));
	err = cred_write_all(w->fd, header, (size_t)n, w->path);
	if (err) {
		free(w);
		return err;
	}
	*priv = w;
	return CRED_OK;
}

int cred_y4m_write_frame(int fd, const char *path, const char *line, size_t len, const void *pixels,
			 size_t size)
{
	struct iovec iov[2];
	ssize_t n;

	iov[0].iov_base = (void *)line;
	iov[0].iov_len = len;
	iov[1].iov_base = (void *)pixels;
	iov[1].iov_len = size;
	do
		n = writev(fd, iov, 2);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return cred_write_failed(path);
	/* A short write: finish piece by piece. */
	for (int i = 0; i < 2; i++) {
		size_t done = (size_t)n < iov[i].iov_len ? (size_t)n : iov[i].iov_len;
		int err;

		n -= (ssize_t)done;
		if (done < iov[i].iov_len) {
			err = cred_write_all(fd, (char *)iov[i].iov_base + done, iov[i].iov_len - done, path);
			if (err)
				return err;
		}
	}
	return CRED_OK;
}

static int y4m_write(void *priv, const struct cred_frame *f)
{
	struct y4m_writer *w = priv;
	char line[FRAME_LINE_MAX + 1];
	int n = cred_y4m_format_frame(w->fmt.tags, f, line);

	return cred_y4m_write_frame(w->fd, w->path, line, (size_t)n, f->data, f->size);
}

const struct writer_backend cred_y4m_backend = {
	.open = y4m_open,
	.write = y4m_write,
	.destroy = free,
	.cut_back = 1,
};

/* ---- parsing ---------------------------------------------------------------- */

static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < lo || v > hi)
		return 0;
	*out = v;
	return 1;
}

static int parse_num(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return end != s && !*end && !errno && isfinite(*out);
}

static int header_token(char *tok, struct cred_frame_format *fmt, double *fps, double *tint,
			const char **tags)
{
	long v, d;
	char *colon;

	switch (tok[0]) {
	case 'W': return parse_int(tok + 1, 1, 65535, &v) ? (fmt->width = (int)v, 1) : 0;
	case 'H': return parse_int(tok + 1, 1, 65535, &v) ? (fmt->height = (int)v, 1) : 0;
	case 'C':
		if (strcmp(tok + 1, "mono") == 0)
			return -1; /* an 8-bit preview */
		return strcmp(tok + 1, "mono16") == 0;
	case 'F':
		colon = strchr(tok, ':');
		if (!colon)
			return 0;
		*colon = '\0';
		if (!parse_int(tok + 1, 0, 0x7fffffff, &v) || !parse_int(colon + 1, 0, 0x7fffffff, &d))
			return 0;
		*fps = d > 0 ? (double)v / (double)d : 0;
		return 1;
	case 'X':
		if (strncmp(tok, "XMODEL=", 7) == 0) {
			const struct cred_model *m = cred_model_by_key(tok + 7);

			fmt->model = m ? m->id : CRED_MODEL_UNKNOWN;
		} else if (strncmp(tok, "XSIGNED=", 8) == 0) {
			if (!parse_int(tok + 8, 0, 1, &v))
				return 0;
			fmt->pixel_signed = (int)v;
		} else if (strncmp(tok, "XTINT=", 6) == 0) {
			return parse_num(tok + 6, tint);
		} else if (strncmp(tok, "XTAGS=", 6) == 0) {
			*tags = tok + 6;
		}
		return 1; /* other extensions are someone else's */
	default:
		return 1; /* I (interlacing), A (aspect) */
	}
}

int cred_y4m_parse_header(const char *line, struct cred_frame_format *fmt, double *fps, double *tint)
{
	char *copy, *tok, *save = NULL;
	const char *tags = NULL;
	double f = 0, t = 0;
	int ok = 1, err;

	memset(fmt, 0, sizeof(*fmt));
	if (strncmp(line, "YUV4MPEG2 ", 10) != 0)
		return cred_fail(CRED_ERR_DATA, "not a YUV4MPEG2 stream");
	copy = strdup(line + 10);
	if (!copy)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (tok = strtok_r(copy, " ", &save); tok && ok > 0; tok = strtok_r(NULL, " ", &save))
		ok = header_token(tok, fmt, &f, &t, &tags);
	err = ok < 0 ? cred_fail(CRED_ERR_DATA, "an 8-bit preview stream (Cmono, credgrab -f y4m8) "
				 "holds stretched gray levels, not the camera's pixels: read the "
				 "16-bit pipe stream (-f y4m) instead")
	      : !ok ? cred_fail(CRED_ERR_DATA, "bad or unsupported YUV4MPEG2 header parameter "
			      "(only 16-bit gray, Cmono16, is read)")
	      : !fmt->width || !fmt->height ? cred_fail(CRED_ERR_DATA, "YUV4MPEG2 header without W or H")
	      : CRED_OK;
	if (!err) {
		fmt->tags = default_tags(fmt->model);
		fmt->rules.pixel2_zero = fmt->tags == CRED_TAGS_CRED3;
		if (tags && cred_frame_format_set_tags(fmt, tags))
			err = cred_fail(CRED_ERR_DATA, "unknown tag kind '%s' in YUV4MPEG2 header", tags);
	}
	free(copy);
	if (!err)
		err = cred_frame_format_check(fmt);
	if (fps)
		*fps = f;
	if (tint)
		*tint = t;
	return err;
}

int cred_y4m_parse_frame(const char *line, const struct cred_frame_format *fmt, struct cred_frame *f)
{
	char copy[FRAME_LINE_MAX * 4], *tok, *save = NULL;
	double num;
	long v;

	if (strncmp(line, "FRAME", 5) != 0 || (line[5] && line[5] != ' ') ||
	    strlen(line) >= sizeof(copy))
		return cred_fail(CRED_ERR_DATA, "bad YUV4MPEG2 frame header");
	strcpy(copy, line + 5);
	f->has_tags = 0;
	f->timestamp = 0;
	f->tags.gain_cap = -1;
	f->tags.marker = -1;
	f->tags.pixel2 = 0;
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "XCOUNT=", 7) == 0 && parse_num(tok + 7, &num) && num >= 0 &&
		    num <= 4294967295.0) {
			f->tags.counter = (uint32_t)num;
			f->has_tags = 1;
		} else if (strncmp(tok, "XTIME=", 6) == 0 && parse_num(tok + 6, &num)) {
			f->timestamp = num;
		} else if (strncmp(tok, "XGAIN=", 6) == 0 && parse_int(tok + 6, 0, 3, &v)) {
			f->tags.gain_cap = (int)v;
		} else if (strncmp(tok, "XMARK=", 6) == 0 && parse_int(tok + 6, 0, 1, &v)) {
			f->tags.marker = (int)v;
		} else if (strncmp(tok, "XNDR=", 5) == 0 && parse_int(tok + 5, 0, 65535, &v)) {
			f->tags.pixel2 = (uint16_t)v;
		}
	}
	return CRED_OK;
}

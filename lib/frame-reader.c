/* Frame readers: one interface over the raw camera stream (assembled like
 * the camera's), the y4m pipe stream and FITS, for one file or a list of
 * files read as one sequence. */
#include "cancel-impl.h"
#include "frame-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_SIZE (4u << 20)
#define LINE_MAX_Y4M 1024

enum kind { KIND_RAW, KIND_Y4M, KIND_FITS };

struct cred_frame_reader {
	char **paths;
	size_t npaths, cur;
	struct cred_frame_format hint;
	int have_hint;
	cred_raw_format_fn ask;    /* for a raw stream without a hint */
	void *ask_user;
	struct cred_frame_format fmt;
	int have_fmt;
	enum kind kind;
	uint64_t index;

	/* the open file */
	int fd;
	const char *name;
	unsigned char *buf;        /* buffered input */
	size_t pos, len;
	int eof;
	/* raw */
	struct cred_assembler *as;
	int pushed;                /* buf[pos..len) is in the assembler */
	/* y4m */
	unsigned char *frame;
	/* FITS */
	struct fits_source *fits;
};

/* ---- buffered input ---------------------------------------------------------- */

/* A pipe may stay silent for as long as its writer likes: wait for data in
 * slices, so the cancel flag is seen (a file is always ready). Returns
 * CRED_OK or the cancellation. */
static int wait_input(struct cred_frame_reader *r)
{
	struct pollfd p = { .fd = r->fd, .events = POLLIN };

	for (;;) {
		if (cred_cancel_requested())
			return cred_fail_cancelled("reading '%s'", r->name);
		int n = poll(&p, 1, CRED_CANCEL_SLICE_MS);

		if (n > 0 || (n < 0 && errno != EINTR))
			return CRED_OK; /* ready, or an error that read() reports */
	}
}

/* Read more into the buffer (keeping what is unread). Returns the count
 * read, 0 at the end, or an error. */
static int fill(struct cred_frame_reader *r)
{
	ssize_t n;
	int err;

	if (r->pos > 0) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	if (r->eof || r->len == READ_SIZE)
		return 0;
	do {
		if ((err = wait_input(r)) < 0)
			return err;
		n = read(r->fd, r->buf + r->len, READ_SIZE - r->len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return cred_fail_errno("cannot read '%s'", r->name);
	if (n == 0)
		r->eof = 1;
	r->len += (size_t)n;
	return (int)n;
}

/* A line of at most max bytes, without its newline (NUL-terminated in
 * place). Returns 1, 0 at a clean end, or an error. */
static int read_line(struct cred_frame_reader *r, size_t max, char **line)
{
	unsigned char *nl;
	int n;

	for (;;) {
		nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		if (nl) {
			*nl = '\0';
			*line = (char *)r->buf + r->pos;
			r->pos = (size_t)(nl - r->buf) + 1;
			return 1;
		}
		if (r->len - r->pos > max)
			return cred_fail(CRED_ERR_DATA, "'%s': line too long", r->name);
		n = fill(r);
		if (n < 0)
			return n;
		if (n == 0)
			return r->len == r->pos ? 0 : cred_fail(CRED_ERR_DATA, "'%s' ends in the middle of a line",
								 r->name);
	}
}

static int read_exact(struct cred_frame_reader *r, unsigned char *dst, size_t len)
{
	while (len > 0) {
		size_t have = r->len - r->pos, take = have < len ? have : len;
		int n;

		memcpy(dst, r->buf + r->pos, take);
		r->pos += take;
		dst += take;
		len -= take;
		if (len == 0)
			break;
		n = fill(r);
		if (n < 0)
			return n;
		if (n == 0)
			return cred_fail(CRED_ERR_DATA, "'%s' ends in the middle of a frame", r->name);
	}
	return CRED_OK;
}

/* ---- opening one file ---------------------------------------------------------- */

static int same_geometry(const struct cred_frame_format *a, const struct cred_frame_format *b)
{
	return a->width == b->width && a->height == b->height && a->pixel_signed == b->pixel_signed;
}

static int set_format(struct cred_frame_reader *r, const struct cred_frame_format *f)
{
	if (r->have_fmt && !same_geometry(&r->fmt, f))
		return cred_fail(CRED_ERR_DATA, "'%s' holds %dx%d frames, not %dx%d like the first file",
				 r->name, f->width, f->height, r->fmt.width, r->fmt.height);
	if (!r->have_fmt) {
		r->fmt = *f;
		r->have_fmt = 1;
	}
	return CRED_OK;
}

static int open_y4m(struct cred_frame_reader *r)
{
	struct cred_frame_format f;
	char *line;
	int err = read_line(r, LINE_MAX_Y4M, &line);

	if (err <= 0)
		return err ? err : cred_fail(CRED_ERR_DATA, "'%s' is empty", r->name);
	err = cred_y4m_parse_header(line, &f, NULL, NULL);
	if (!err)
		err = set_format(r, &f);
	if (!err && !r->frame && !(r->frame = malloc(cred_frame_format_size(&r->fmt))))
		err = cred_fail(CRED_ERR_MEM, "out of memory");
	return err;
}

static int open_raw(struct cred_frame_reader *r)
{
	int err;

	if (r->as)
		return CRED_OK; /* the next file continues the same stream */
	if (!r->have_hint && r->ask) {
		if ((err = r->ask(r->ask_user, &r->hint)) < 0)
			return err;
		if ((err = cred_frame_format_check(&r->hint)) < 0)
			return err;
		r->have_hint = 1;
	}
	if (!r->have_hint)
		return cred_fail(CRED_ERR_ARG, "'%s' is a raw stream: its geometry must be given "
				 "(--model, --width, --height)", r->name);
	err = set_format(r, &r->hint);
	if (!err)
		err = cred_assembler_new(&r->hint, NULL, &r->as);
	return err;
}

static void close_current(struct cred_frame_reader *r)
{
	if (r->fd > 0)
		close(r->fd);
	r->fd = -1;
	cred_fits_source_close(r->fits);
	r->fits = NULL;
}

static int open_fits(struct cred_frame_reader *r, const char *path)
{
	int err;

	if (r->fd == 0)
		return cred_fail(CRED_ERR_SUPP, "FITS cannot be read from standard input");
	close(r->fd);
	r->fd = -1;
	err = cred_fits_source_open(path, &r->fits);
	if (!err)
		err = set_format(r, cred_fits_source_format(r->fits));
	return err;
}

/* Open the file at r->cur and tell its kind from its first bytes. */
static int open_current(struct cred_frame_reader *r)
{
	const char *path = r->paths[r->cur];
	int n;

	r->pos = r->len = 0;
	r->eof = 0;
	r->pushed = 0;
	r->name = strcmp(path, "-") == 0 ? "standard input" : path;
	r->fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0)
		return cred_fail_errno("cannot open '%s'", path);
	do
		n = fill(r);
	while (n > 0 && r->len < 10);
	if (n < 0)
		return n;
	if (r->len == 0 && !r->have_hint) /* not "needs a geometry": there is nothing */
		return cred_fail(CRED_ERR_DATA, "'%s' is empty: no frames", r->name);
	if (r->len >= 10 && memcmp(r->buf, "YUV4MPEG2 ", 10) == 0) {
		r->kind = KIND_Y4M;
		return open_y4m(r);
	}
	if (r->len >= 9 && memcmp(r->buf, "SIMPLE  =", 9) == 0) {
		r->kind = KIND_FITS;
		return open_fits(r, path);
	}
	r->kind = KIND_RAW;
	return open_raw(r);
}

/* ---- public ------------------------------------------------------------------- */

static int open_reader(const char *const *paths, size_t n, const struct cred_frame_format *hint,
		       cred_raw_format_fn ask, void *user, struct cred_frame_reader **out)
{
	struct cred_frame_reader *r;
	int err = CRED_OK;

	*out = NULL;
	if (!paths || n == 0)
		return cred_fail(CRED_ERR_ARG, "no input file");
	if (hint && (err = cred_frame_format_check(hint)))
		return err;
	r = calloc(1, sizeof(*r));
	if (!r || !(r->paths = calloc(n, sizeof(char *))) || !(r->buf = malloc(READ_SIZE))) {
		cred_frame_reader_close(r);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	r->fd = -1;
	for (size_t i = 0; i < n && !err; i++)
		if (!(r->paths[r->npaths++] = strdup(paths[i])))
			err = cred_fail(CRED_ERR_MEM, "out of memory");
	if (hint) {
		r->hint = *hint;
		r->have_hint = 1;
	}
	r->ask = ask;
	r->ask_user = user;
	if (!err)
		err = open_current(r);
	if (err) {
		cred_frame_reader_close(r);
		return err;
	}
	*out = r;
	return CRED_OK;
}

int cred_frame_reader_open_list(const char *const *paths, size_t n,
				const struct cred_frame_format *hint,
				struct cred_frame_reader **out)
{
	return open_reader(paths, n, hint, NULL, NULL, out);
}

int cred_frame_reader_open_ask(const char *const *paths, size_t n, cred_raw_format_fn ask,
			       void *user, struct cred_frame_reader **out)
{
	return open_reader(paths, n, NULL, ask, user, out);
}

int cred_frame_reader_open(const char *path, const struct cred_frame_format *hint,
			   struct cred_frame_reader **out)
{
	return cred_frame_reader_open_list(&path, 1, hint, out);
}

static int next_raw(struct cred_frame_reader *r, struct cred_frame *f)
{
	int n, err;

	for (;;) {
		if (r->pushed) {
			if (cred_assembler_next(r->as, f) == 1)
				return 1;
			/* the assembler kept what it still needs */
			r->pushed = 0;
			r->pos = r->len;
		}
		if (r->pos == r->len) {
			n = fill(r);
			if (n < 0)
				return n;
			if (n == 0)
				return r->cur + 1 == r->npaths ? cred_assembler_flush(r->as, 1, f) : 0;
		}
		err = cred_assembler_push(r->as, r->buf + r->pos, r->len - r->pos, 0);
		if (err)
			return err;
		r->pushed = 1;
	}
}

static int next_y4m(struct cred_frame_reader *r, struct cred_frame *f)
{
	char *line;
	int err = read_line(r, LINE_MAX_Y4M, &line);

	if (err <= 0)
		return err;
	memset(f, 0, sizeof(*f));
	err = cred_y4m_parse_frame(line, &r->fmt, f);
	if (!err)
		err = read_exact(r, r->frame, cred_frame_format_size(&r->fmt));
	if (err)
		return err;
	f->data = r->frame;
	f->size = cred_frame_format_size(&r->fmt);
	f->width = r->fmt.width;
	f->height = r->fmt.height;
	f->pixel_signed = r->fmt.pixel_signed;
	return 1;
}

static int next_in_file(struct cred_frame_reader *r, struct cred_frame *f)
{
	switch (r->kind) {
	case KIND_RAW: return next_raw(r, f);
	case KIND_Y4M: return next_y4m(r, f);
	default: return cred_fits_source_next(r->fits, f);
	}
}

int cred_frame_reader_next(struct cred_frame_reader *r, struct cred_frame *f)
{
	int got, err;

	for (;;) {
		got = next_in_file(r, f);
		if (got < 0)
			return got;
		if (got == 1)
			break;
		close_current(r);
		if (++r->cur >= r->npaths)
			return 0;
		err = open_current(r);
		if (err)
			return err;
	}
	f->index = r->index++;
	if (!f->has_tags) {
		f->tags.counter = (uint32_t)f->index;
		f->tags.gain_cap = f->tags.marker = -1;
	}
	return 1;
}

const struct cred_frame_format *cred_frame_reader_format(const struct cred_frame_reader *r)
{
	return &r->fmt;
}

const struct cred_assembler_stats *cred_frame_reader_stats(const struct cred_frame_reader *r)
{
	return r->as ? cred_assembler_stats(r->as) : NULL;
}

void cred_frame_reader_close(struct cred_frame_reader *r)
{
	if (!r)
		return;
	close_current(r);
	cred_assembler_free(r->as);
	for (size_t i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	free(r->paths);
	free(r->buf);
	free(r->frame);
	free(r);
}

/* Frame writers: pick the backend for the file type, write one file or
 * one file per frame (a %d pattern), each under a temporary name renamed
 * into place at the end; or open a named target that is not a file (an
 * ImageStreamIO stream). */
#include "frame-impl.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct cred_frame_writer {
	struct cred_writer_options o;
	struct cred_keyword *keys;      /* deep copy of o.keywords */
	const struct writer_backend *be;
	void *priv;                     /* backend state of the open file */
	struct cred_outfile *of;             /* the open file (NULL: stdout) */
	/* one file per frame: prefix, the number, suffix */
	int pattern;
	char *prefix, *suffix;
	int digits, zero_pad;
	uint64_t count;
	int spoiled;                    /* a write failed half way: do not keep the file */
};

static const struct {
	const char *ext;
	enum cred_file_type type;
} extensions[] = {
	{ ".fits.fz", CRED_FILE_FITS_FZ }, { ".fits", CRED_FILE_FITS }, { ".fit", CRED_FILE_FITS },
	{ ".fts", CRED_FILE_FITS }, { ".y4m", CRED_FILE_Y4M }, { ".raw", CRED_FILE_RAW },
	{ ".bin", CRED_FILE_RAW }, { ".png", CRED_FILE_PNG },
};

static const char *const type_names[] = {
	[CRED_FILE_UNKNOWN] = "unknown", [CRED_FILE_RAW] = "raw", [CRED_FILE_Y4M] = "y4m",
	[CRED_FILE_FITS] = "fits", [CRED_FILE_FITS_FZ] = "fits.fz", [CRED_FILE_PNG] = "png",
	[CRED_FILE_ISIO] = "isio", [CRED_FILE_Y4M8] = "y4m8",
};

#define ISIO_PREFIX "isio:"


enum cred_file_type cred_file_type_from_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n && strncmp(name, ISIO_PREFIX, strlen(ISIO_PREFIX)) == 0)
		return CRED_FILE_ISIO;
	for (size_t i = 0; i < sizeof(extensions) / sizeof(extensions[0]); i++) {
		size_t e = strlen(extensions[i].ext);

		if (n > e && strcasecmp(name + n - e, extensions[i].ext) == 0)
			return extensions[i].type;
	}
	return CRED_FILE_UNKNOWN;
}

enum cred_file_type cred_file_type_parse(const char *name)
{
	for (int t = CRED_FILE_RAW; t <= CRED_FILE_Y4M8; t++)
		if (name && strcasecmp(name, type_names[t]) == 0)
			return (enum cred_file_type)t;
	return CRED_FILE_UNKNOWN;
}

int cred_file_type_streams(enum cred_file_type type)
{
	return type == CRED_FILE_RAW || type == CRED_FILE_Y4M || type == CRED_FILE_Y4M8;
}

const char *cred_file_type_name(enum cred_file_type type)
{
	if (type < CRED_FILE_UNKNOWN || type > CRED_FILE_Y4M8)
		type = CRED_FILE_UNKNOWN;
	return type_names[type];
}

static const struct writer_backend *backend_for(enum cred_file_type type)
{
	switch (type) {
	case CRED_FILE_RAW: return &cred_raw_backend;
	case CRED_FILE_Y4M: return &cred_y4m_backend;
	case CRED_FILE_FITS:
	case CRED_FILE_FITS_FZ: return &cred_fits_backend;
	case CRED_FILE_PNG: return &cred_png_backend;
	case CRED_FILE_ISIO: return &cred_isio_backend;
	case CRED_FILE_Y4M8: return &cred_y4m8_backend;
	default: return NULL;
	}
}

/* Split "dark-%05d.fits" into "dark-", 5 zero-padded digits, ".fits".
 * Returns 1 for a pattern, 0 for a plain name (no conversion; "%%" is a
 * literal %), CRED_ERR_ARG for anything else. */
static int parse_pattern(struct cred_frame_writer *w, const char *path)
{
	const char *conv = NULL, *after = NULL, *p;
	size_t plen;
	char *out;

	for (p = path; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			p++;
			continue;
		}
		if (conv)
			return cred_fail(CRED_ERR_ARG, "'%s' has more than one %% conversion", path);
		conv = p++;
		w->zero_pad = *p == '0';
		while (isdigit((unsigned char)*p))
			w->digits = w->digits * 10 + (*p++ - '0');
		if (*p != 'd' || w->digits > 20)
			return cred_fail(CRED_ERR_ARG, "bad file name pattern '%s' (use %%d or %%05d)", path);
		after = p + 1;
	}
	if (!conv)
		return 0;
	/* Keep the two halves with "%%" turned back into "%". */
	plen = (size_t)(conv - path);
	w->prefix = strndup(path, plen);
	w->suffix = strdup(after);
	if (!w->prefix || !w->suffix)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (char **s = &w->prefix; s; s = s == &w->prefix ? &w->suffix : NULL) {
		out = *s;
		for (const char *in = *s; *in; in++) {
			*out++ = *in;
			if (in[0] == '%' && in[1] == '%')
				in++;
		}
		*out = '\0';
	}
	return 1;
}

static char *pattern_name(const struct cred_frame_writer *w, uint64_t n)
{
	char *name = NULL;

	if (asprintf(&name, w->zero_pad ? "%s%0*llu%s" : "%s%*llu%s", w->prefix, w->digits,
		     (unsigned long long)n, w->suffix) < 0)
		return NULL;
	return name;
}

static int copy_keywords(struct cred_frame_writer *w)
{
	size_t n = w->o.nkeywords;

	if (n == 0 || !w->o.keywords) {
		w->o.keywords = NULL;
		w->o.nkeywords = 0;
		return CRED_OK;
	}
	w->keys = calloc(n, sizeof(*w->keys));
	if (!w->keys)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct cred_keyword *k = &w->o.keywords[i];

		if (!k->name || !k->value)
			return cred_fail(CRED_ERR_ARG, "keyword %zu has no name or value", i);
		w->keys[i].name = strdup(k->name);
		w->keys[i].value = strdup(k->value);
		w->keys[i].comment = k->comment ? strdup(k->comment) : NULL;
		w->keys[i].text = k->text;
		if (!w->keys[i].name || !w->keys[i].value || (k->comment && !w->keys[i].comment))
			return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	w->o.keywords = w->keys;
	return CRED_OK;
}

static void free_writer(struct cred_frame_writer *w)
{
	for (size_t i = 0; w->keys && i < w->o.nkeywords; i++) {
		free((char *)w->keys[i].name);
		free((char *)w->keys[i].value);
		free((char *)w->keys[i].comment);
	}
	free(w->keys);
	free(w->prefix);
	free(w->suffix);
	free(w);
}

/* A pipe on standard output gets a larger buffer when the system allows
 * (1 MiB is the unprivileged limit by default): a frame then goes in one
 * or two writes instead of ten, and a reader's short pause costs nothing. */
static void widen_stdout_pipe(void)
{
	struct stat st;

	if (fstat(1, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(1, F_SETPIPE_SZ, 1 << 20);
}

/* Start one output file (path NULL: standard output). */
static int start_file(struct cred_frame_writer *w, const char *path, int single)
{
	int err;

	if (!path)
		widen_stdout_pipe();
	if (path) {
		err = cred_outfile_open(path, w->o.overwrite, &w->of);
		if (err)
			return err;
	}
	err = w->be->open(&w->priv, w->of, &w->o, single);
	if (err) {
		cred_outfile_abort(w->of);
		w->of = NULL;
		w->priv = NULL;
	}
	return err;
}

/* Complete the open file and move it into place. */
static int end_file(struct cred_frame_writer *w, int keep)
{
	int err = keep && w->be->finish ? w->be->finish(w->priv) : CRED_OK;

	w->be->destroy(w->priv);
	w->priv = NULL;
	if (w->of) {
		if (keep && !err)
			err = cred_outfile_commit(w->of);
		else
			cred_outfile_abort(w->of);
		w->of = NULL;
	}
	return err;
}

static int check_options(const char *path, const struct cred_writer_options *o,
			 enum cred_file_type *type)
{
	int err = cred_frame_format_check(&o->format);

	*type = CRED_FILE_UNKNOWN;
	if (err)
		return err;
	if (!path || !*path)
		return cred_fail(CRED_ERR_ARG, "no output file name");
	*type = o->type != CRED_FILE_UNKNOWN ? o->type
		: strcmp(path, "-") == 0 ? CRED_FILE_RAW : cred_file_type_from_name(path);
	if (!backend_for(*type))
		return cred_fail(CRED_ERR_ARG, "cannot tell the file type of '%s' "
				 "(.fits, .fits.fz, .png, .y4m or .raw)", path);
	if (*type == CRED_FILE_ISIO && strcmp(path, "-") == 0)
		return cred_fail(CRED_ERR_ARG, "an ImageStreamIO stream needs a name: isio:NAME");
	if (strcmp(path, "-") == 0 && !cred_file_type_streams(*type))
		return cred_fail(CRED_ERR_SUPP, "%s cannot go to standard output (raw, y4m and y4m8 can)",
				 cred_file_type_name(*type));
	return CRED_OK;
}

int cred_frame_writer_open(const char *path, const struct cred_writer_options *opts,
			   struct cred_frame_writer **out)
{
	struct cred_frame_writer *w;
	enum cred_file_type type;
	int err, to_stdout;

	*out = NULL;
	if (!opts)
		return cred_fail(CRED_ERR_ARG, "no writer options");
	err = check_options(path, opts, &type);
	if (err)
		return err;
	w = calloc(1, sizeof(*w));
	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->o = *opts;
	w->o.type = type;
	w->be = backend_for(type);
	to_stdout = strcmp(path, "-") == 0;
	err = copy_keywords(w);
	if (!err && w->be->open_named) {
		if (strncmp(path, ISIO_PREFIX, strlen(ISIO_PREFIX)) == 0)
			path += strlen(ISIO_PREFIX);
		err = w->be->open_named(&w->priv, path, &w->o);
	} else {
		if (!err && !to_stdout)
			err = parse_pattern(w, path);
		if (err >= 0) {
			w->pattern = err == 1;
			err = w->pattern ? CRED_OK : start_file(w, to_stdout ? NULL : path, 0);
		}
	}
	if (err) {
		free_writer(w);
		return err;
	}
	*out = w;
	return CRED_OK;
}

static int check_frame(const struct cred_frame_writer *w, const struct cred_frame *f)
{
	const struct cred_frame_format *fmt = &w->o.format;

	if (!f || !f->data)
		return cred_fail(CRED_ERR_ARG, "no frame");
	if (f->width != fmt->width || f->height != fmt->height ||
	    f->size != cred_frame_format_size(fmt))
		return cred_fail(CRED_ERR_ARG, "frame of %dx%d pixels in a %dx%d file",
				 f->width, f->height, fmt->width, fmt->height);
	return CRED_OK;
}

/* A write into the open file failed after start bytes: cut the file back
 * to them (its last whole frame) when the backend allows, else mark it
 * spoiled. errno (the write's cause, in the message) is kept. */
static void cut_back(struct cred_frame_writer *w, off_t start)
{
	int e = errno;

	if (!w->of)
		return; /* standard output: what went out is out */
	if (start < 0 || ftruncate(w->of->fd, start) < 0 || lseek(w->of->fd, start, SEEK_SET) < 0)
		w->spoiled = 1;
	errno = e;
}

int cred_frame_writer_write(struct cred_frame_writer *w, const struct cred_frame *f)
{
	int err = check_frame(w, f);
	char *name;

	if (err)
		return err;
	if (w->spoiled)
		return cred_fail(CRED_ERR_IO, "'%s' is incomplete after a failed write",
				 cred_outfile_path(w->of));
	if (!w->pattern) {
		off_t start = w->of && w->be->cut_back ? lseek(w->of->fd, 0, SEEK_CUR) : -1;

		err = w->be->write(w->priv, f);
		if (err == CRED_ERR_IO) /* not a refusal such as a second PNG frame */
			cut_back(w, start);
	} else {
		name = pattern_name(w, w->count);
		if (!name)
			return cred_fail(CRED_ERR_MEM, "out of memory");
		err = start_file(w, name, 1);
		free(name);
		if (!err) {
			err = w->be->write(w->priv, f);
			err = end_file(w, !err) ?: err;
		}
	}
	if (!err)
		w->count++;
	return err;
}

int cred_frame_writer_sync(struct cred_frame_writer *w)
{
	if (!w->priv || !w->be->sync)
		return CRED_OK;
	return w->be->sync(w->priv);
}

int cred_frame_writer_close(struct cred_frame_writer *w)
{
	int err = CRED_OK;

	if (!w)
		return CRED_OK;
	if (w->priv && w->spoiled) {
		err = cred_fail(CRED_ERR_IO, "'%s' not kept: a write failed half way through a "
				"frame", cred_outfile_path(w->of));
		end_file(w, 0);
	} else if (w->priv) {
		err = end_file(w, 1);
	}
	free_writer(w);
	return err;
}

void cred_frame_writer_abort(struct cred_frame_writer *w)
{
	if (!w)
		return;
	if (w->priv)
		end_file(w, 0);
	free_writer(w);
}

int cred_frame_writer_set_keyword(struct cred_frame_writer *w, const struct cred_keyword *k)
{
	if (!k || !k->name || !k->value)
		return cred_fail(CRED_ERR_ARG, "keyword without a name or value");
	if (!w->priv || !w->be->set_keyword)
		return cred_fail(CRED_ERR_SUPP, "keywords cannot change during a run in %s output",
				 cred_file_type_name(w->o.type));
	return w->be->set_keyword(w->priv, k);
}

int cred_frame_writer_set_timing(struct cred_frame_writer *w, double fps, double tint)
{
	if (!w->priv || !w->be->set_timing)
		return cred_fail(CRED_ERR_SUPP, "the frame rate cannot change during a run in %s output",
				 cred_file_type_name(w->o.type));
	return w->be->set_timing(w->priv, fps, tint);
}

uint64_t cred_frame_writer_count(const struct cred_frame_writer *w)
{
	return w->count;
}

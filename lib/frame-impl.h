/* Internal plumbing shared by the frame writers and readers. Not installed. */
#ifndef CRED_FRAME_IMPL_H
#define CRED_FRAME_IMPL_H

#include <stdio.h>
#include "cred-writer.h"
#include "cred-reader.h"
#include "error-impl.h"
#include "cred-clock.h"
#include "cred-outfile.h"

/* ---- output files written under a temporary name (outfile.c) ---------- */

/* The fields of a cred_outfile (cred-outfile.h), for the writers. */
struct cred_outfile {
	char *path;      /* final name */
	char *tmp;       /* temporary name in the same folder */
	int fd;          /* open on tmp (-1 once closed) */
	int overwrite;
};

/* Write all of buf to fd, retrying short writes and EINTR. path names the
 * file in the message ("cannot write 'x.raw': ..."); NULL is standard
 * output. */
int cred_write_all(int fd, const void *buf, size_t len, const char *path);
/* The error for a failed write to path (NULL: standard output), errno kept. */
int cred_write_failed(const char *path);

/* ---- writer backends (raw-writer.c, y4m.c, fits-writer.c, png-writer.c) --- */

struct writer_backend {
	/* Start a file: of is the temporary file, or NULL for standard
	 * output (fd 1). single is 1 for a one-frame file (a pattern), 0 for
	 * a stream of frames. */
	int (*open)(void **priv, struct cred_outfile *of, const struct cred_writer_options *o,
		    int single);
	int (*write)(void *priv, const struct cred_frame *f);
	/* Bring the file on disk up to date (may be NULL: nothing to do). */
	int (*sync)(void *priv);
	/* Complete the file; the caller then commits or aborts of (may be
	 * NULL: a stream is complete once written). */
	int (*finish)(void *priv);
	void (*destroy)(void *priv);   /* free priv (free() itself for plain state) */
	/* Targets that are not files (ISIO): open by name instead of open;
	 * no temporary file, no pattern. */
	int (*open_named)(void **priv, const char *name, const struct cred_writer_options *o);
	/* 1: frames are appended to the file's descriptor unbuffered, so a
	 * failed write (a full disk) can be cut back to the last whole frame
	 * and the file still kept; 0: a failed write spoils the file. */
	int cut_back;
	/* Change a keyword during the run (may be NULL: not supported). */
	int (*set_keyword)(void *priv, const struct cred_keyword *k);
	int (*set_timing)(void *priv, double fps, double tint);   /* may be NULL */
};

extern const struct writer_backend cred_raw_backend;
extern const struct writer_backend cred_y4m_backend;
extern const struct writer_backend cred_fits_backend;
extern const struct writer_backend cred_png_backend;
extern const struct writer_backend cred_isio_backend;
extern const struct writer_backend cred_y4m8_backend;

/* ---- helpers ---------------------------------------------------------------- */

/* The detector a model carries ("SAPHIRA"), "" if unknown. */
const char *cred_model_detector(enum cred_model_id model);

/* ---- the pipe stream (y4m.c), shared with the 8-bit preview (y4m8.c) ------- */

/* ffmpeg reads at most 80 bytes of frame header (newline included). */
#define CRED_Y4M_LINE_MAX 80

/* The header line of o's stream, newline included, into buf; colour is
 * the C parameter ("mono16", "mono"). Returns its length. */
int cred_y4m_format_header(const struct cred_writer_options *o, const char *colour, char *buf,
			   size_t len);
/* The FRAME line of f (tags: the stream's tag kind), newline included,
 * into buf (CRED_Y4M_LINE_MAX + 1 bytes). Returns its length. */
int cred_y4m_format_frame(enum cred_tag_kind tags, const struct cred_frame *f, char *buf);
/* The line and size bytes of pixels to fd (path NULL: standard output) in
 * one system call when it can. */
int cred_y4m_write_frame(int fd, const char *path, const char *line, size_t len, const void *pixels,
			 size_t size);


/* Parse a YUV4MPEG2 header line (without its newline): geometry, model,
 * signedness and tag kind into *fmt; fps and tint may be NULL. */
int cred_y4m_parse_header(const char *line, struct cred_frame_format *fmt, double *fps, double *tint);
/* Parse a FRAME line (without its newline) into the frame's tags. */
int cred_y4m_parse_frame(const char *line, const struct cred_frame_format *fmt, struct cred_frame *f);

/* ---- FITS reading (fits-reader.c) ---------------------------------------- */

struct fits_source;
int cred_fits_source_open(const char *path, struct fits_source **out);
const struct cred_frame_format *cred_fits_source_format(const struct fits_source *s);
/* 1 with the next frame (data owned by s), 0 at the end, or an error. */
int cred_fits_source_next(struct fits_source *s, struct cred_frame *f);
void cred_fits_source_close(struct fits_source *s);

#endif

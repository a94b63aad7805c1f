/* What the frame grabber sources (stream-edt.c, stream-gentl.c) and the
 * source list share. Not installed. */
#ifndef CRED_GRABBER_IMPL_H
#define CRED_GRABBER_IMPL_H

#include "stream-impl.h"

#define CRED_GRABBER_BUFFERS 16 /* default ring of frame buffers */

/* dlopen the first of: the file in environment variable env (when set:
 * then nothing else is tried), else each of names. Returns the handle or
 * NULL with a message naming what was tried (CRED_ERR_SUPP). */
void *cred_grabber_dlopen(const char *what, const char *env, const char *const *names);

void cred_grabber_dlclose(void *dl);

/* A list being built by grabber-list.c: add one source (strings copied,
 * NULL taken as ""), or a note line. */
struct cred_source_list_builder {
	struct cred_source_info *list;
	size_t n;
	char *notes;
};
int cred_source_add(struct cred_source_list_builder *b, const char *kind, const char *spec,
		    const char *vendor, const char *model, const char *serial, const char *where);
void cred_source_note(struct cred_source_list_builder *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The listing of each kind (stream-edt.c, stream-gentl.c). */
void cred_edt_list(struct cred_source_list_builder *b);
void cred_gentl_list(struct cred_source_list_builder *b);

/* Look up a symbol, NULL when the library lacks it. */
void *cred_grabber_sym(void *dl, const char *name);

/* Check the grabber's configured frame (width x height pixels of bits
 * each) against fmt (NULL: no check). CRED_ERR_DATA naming both and what
 * to do (fix, a hint about how to load the configuration), else CRED_OK. */
int cred_grabber_check_geometry(const char *name, int width, int height, int bits,
				const struct cred_frame_format *fmt, const char *fix);

/* Buffers to use: opts->buffers or the default, at least 2. */
int cred_grabber_buffers(const struct cred_stream_options *o);

#endif

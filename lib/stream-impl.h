/* Frame sources behind struct cred_stream: one backend per file. Not installed. */
#ifndef CRED_STREAM_IMPL_H
#define CRED_STREAM_IMPL_H

#include "cred-stream.h"
#include "error-impl.h"

struct stream_ops {
	int (*start)(struct cred_stream *s);
	/* See cred_stream_read. */
	int (*read)(struct cred_stream *s, const void **data, int timeout_ms);
	int (*stop)(struct cred_stream *s);
	void (*close)(struct cred_stream *s);
};

struct cred_stream {
	const struct stream_ops *ops;
	char *name;
	void *priv;
	int started;
	int live;      /* the source does not wait for its reader (a camera, the
			* simulator): backends that are set it at open */
	int whole_frames;           /* chunks are whole frame buffers (grabbers) */
	struct cred_grab_info info; /* ... and what the grabber said about the last */
};

/* Backends: fill s->ops, s->priv and s->name, or return an error. */
int cred_stream_fd_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o);
int cred_stream_unix_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o);
/* path NULL or "": $CRED_SIM_FRAMES */
int cred_stream_sim_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o);
/* where: "UNIT[:CHANNEL]" or NULL */
int cred_stream_edt_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o);
/* where: "PRODUCER.cti[#INTERFACE[/DEVICE]]" */
int cred_stream_gentl_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o);
int cred_stream_usb_open(struct cred_stream *s, const char *where, const struct cred_stream_options *o);

#endif

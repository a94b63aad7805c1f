/* The raw writer: frames back to back exactly as the camera sent them,
 * which is the camera stream again (cred-frame.h). */
#include "frame-impl.h"

#include <stdlib.h>

struct raw_writer {
	int fd;
	const char *path; /* NULL: standard output */
};

static int raw_open(void **priv, struct cred_outfile *of, const struct cred_writer_options *o,
		    int single)
{
	struct raw_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	w->fd = of ? of->fd : 1;
	w->path = of ? of->path : NULL;
	*priv = w;
	return CRED_OK;
}

static int raw_write(void *priv, const struct cred_frame *f)
{
	struct raw_writer *w = priv;

	return cred_write_all(w->fd, f->data, f->size, w->path);
}

const struct writer_backend cred_raw_backend = {
	.open = raw_open,
	.write = raw_write,
	.destroy = free,
	.cut_back = 1,
};

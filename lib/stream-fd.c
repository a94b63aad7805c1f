/* Frame sources that are plain descriptors: a recorded stream in a file,
 * standard input, or the simulator's Unix socket (which sends the camera
 * stream from the moment a client connects). */
#include "stream-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_READ_SIZE (4u << 20)

struct fd_stream {
	int fd;
	unsigned char *buf;
	size_t size;
};

static int fd_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct fd_stream *f = s->priv;
	struct pollfd p = { .fd = f->fd, .events = POLLIN };
	ssize_t n;
	int r;

	r = poll(&p, 1, timeout_ms);
	if (r < 0 && errno != EINTR)
		return cred_fail_errno("cannot read '%s'", s->name);
	if (r <= 0)
		return cred_fail(CRED_ERR_TIMEOUT, "nothing from '%s'", s->name);
	n = read(f->fd, f->buf, f->size);
	if (n < 0 && errno == EINTR)
		return cred_fail(CRED_ERR_TIMEOUT, "interrupted");
	if (n < 0)
		return cred_fail_errno("cannot read '%s'", s->name);
	*data = f->buf;
	return (int)n;
}

static void fd_close(struct cred_stream *s)
{
	struct fd_stream *f = s->priv;

	if (!f)
		return;
	if (f->fd > 0)
		close(f->fd);
	free(f->buf);
	free(f);
}

static const struct stream_ops fd_ops = {
	.read = fd_read,
	.close = fd_close,
};

/* Wrap fd (taken over) with a read buffer. */
static int wrap_fd(struct cred_stream *s, int fd, const struct cred_stream_options *o)
{
	struct fd_stream *f = calloc(1, sizeof(*f));

	if (f) {
		f->fd = fd;
		/* read() returns an int-sized count: keep chunks well below 2 GiB. */
		f->size = o->read_size ? o->read_size : DEFAULT_READ_SIZE;
		if (f->size > (1u << 30))
			f->size = 1u << 30;
		f->buf = malloc(f->size);
	}
	if (!f || !f->buf) {
		if (fd > 0)
			close(fd);
		free(f);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	s->ops = &fd_ops;
	s->priv = f;
	return CRED_OK;
}

int stream_fd_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
{
	int fd;

	if (!*path)
		return cred_fail(CRED_ERR_ARG, "empty source file name");
	if (strcmp(path, "-") == 0) {
		s->name = strdup("standard input");
		fd = 0;
	} else {
		if (asprintf(&s->name, "%s", path) < 0)
			s->name = NULL;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cred_fail_errno("cannot open '%s'", path);
	}
	if (!s->name) {
		if (fd > 0)
			close(fd);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	return wrap_fd(s, fd, o);
}

int stream_unix_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (!*path || strlen(path) >= sizeof(addr.sun_path))
		return cred_fail(CRED_ERR_ARG, "bad simulator socket '%s'", path);
	if (asprintf(&s->name, "sim:%s", path) < 0) {
		s->name = NULL;
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return cred_fail_errno("cannot open '%s'", s->name);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = cred_fail_errno("cannot connect to '%s'", path);

		close(fd);
		return err;
	}
	return wrap_fd(s, fd, o);
}

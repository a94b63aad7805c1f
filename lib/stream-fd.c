/* Frame sources that are plain descriptors: a recorded stream in a file,
 * standard input, or the simulator's Unix socket (which sends the camera
 * stream from the moment a client connects).
 *
 * When asked to keep the bytes before each chunk (opts->keep), reads go
 * into a ring buffer whose memory is mapped twice, back to back: every
 * chunk then lies after the bytes that came before it, so the assembler
 * works entirely in place and nothing is copied after read(). */
#include "cancel-impl.h"
#include "clock-impl.h"
#include "stream-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_READ_SIZE (512u << 10)

struct fd_stream {
	int fd;
	unsigned char *buf;  /* plain buffer, or NULL with a ring */
	size_t size;         /* bytes per read */
	unsigned char *ring; /* ring_size bytes mapped at ring and ring + ring_size */
	size_t ring_size, w; /* w: next write offset in the ring */
};

/* Reserve twice the size, then map one shared memory object into both
 * halves. Returns the base or NULL. */
static unsigned char *map_ring(size_t size)
{
	unsigned char *base;
	int mfd = memfd_create("credtools-ring", MFD_CLOEXEC);

	if (mfd < 0)
		return NULL;
	if (ftruncate(mfd, (off_t)size) < 0) {
		close(mfd);
		return NULL;
	}
	base = mmap(NULL, 2 * size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base != MAP_FAILED &&
	    (mmap(base, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0) == MAP_FAILED ||
	     mmap(base + size, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, mfd, 0) ==
		     MAP_FAILED)) {
		munmap(base, 2 * size);
		base = MAP_FAILED;
	}
	close(mfd);
	return base == MAP_FAILED ? NULL : base;
}

/* Where the next read goes and how much it may take: in the upper
 * mapping, so the ring_size bytes before it are always mapped; no further
 * than its end. */
static unsigned char *read_target(struct fd_stream *f, size_t *room)
{
	if (!f->ring) {
		*room = f->size;
		return f->buf;
	}
	*room = f->ring_size - f->w < f->size ? f->ring_size - f->w : f->size;
	return f->ring + f->ring_size + f->w;
}

/* Wait up to timeout_ms (-1: no limit) for data, in slices so the cancel
 * flag is seen. 1 ready, or an error (CRED_ERR_TIMEOUT also when a signal
 * interrupted the wait without cancelling). */
static int wait_data(struct cred_stream *s, int fd, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);
	struct pollfd p = { .fd = fd, .events = POLLIN };

	for (;;) {
		int left = cred_ms_left(deadline, timeout_ms), r;

		if (timeout_ms != 0 && cred_cancel_requested())
			return cred_fail_cancelled("reading '%s'", s->name);
		r = poll(&p, 1, timeout_ms ? cred_cancel_slice(left) : 0);
		if (r > 0)
			return 1;
		if (r < 0 && errno != EINTR)
			return cred_fail_errno("cannot read '%s'", s->name);
		if (r < 0 && !cred_cancel_requested())
			return cred_fail(CRED_ERR_TIMEOUT, "interrupted");
		if (r == 0 && (timeout_ms == 0 || cred_ms_left(deadline, timeout_ms) == 0))
			return cred_fail(CRED_ERR_TIMEOUT, "nothing from '%s'", s->name);
	}
}

static int fd_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct fd_stream *f = s->priv;
	size_t room;
	unsigned char *to = read_target(f, &room);
	ssize_t n;
	int r = wait_data(s, f->fd, timeout_ms);

	if (r < 0)
		return r;
	n = read(f->fd, to, room);
	if (n < 0 && errno == EINTR)
		return cred_fail(CRED_ERR_TIMEOUT, "interrupted");
	if (n < 0)
		return cred_fail_errno("cannot read '%s'", s->name);
	if (f->ring)
		f->w = (f->w + (size_t)n) % f->ring_size;
	*data = to;
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
	if (f->ring)
		munmap(f->ring, 2 * f->ring_size);
	free(f);
}

int cred_stream_contiguous(const struct cred_stream *s)
{
	return s->ops->read == fd_read && ((struct fd_stream *)s->priv)->ring != NULL;
}

static const struct stream_ops fd_ops = {
	.read = fd_read,
	.close = fd_close,
};

/* A ring that holds keep bytes plus one read, in whole pages; NULL (a
 * plain buffer instead) when the system will not map it. */
static void make_ring(struct fd_stream *f, size_t keep)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), size = keep + f->size;

	size = (size + page - 1) / page * page;
	f->ring = map_ring(size);
	if (f->ring)
		f->ring_size = size;
}

/* Wrap fd (taken over) with a read buffer or ring. */
static int wrap_fd(struct cred_stream *s, int fd, const struct cred_stream_options *o)
{
	struct fd_stream *f = calloc(1, sizeof(*f));

	if (f) {
		f->fd = fd;
		/* read() returns an int-sized count: keep chunks well below 2 GiB. */
		f->size = o->read_size ? o->read_size : DEFAULT_READ_SIZE;
		if (f->size > (1u << 30))
			f->size = 1u << 30;
		if (o->keep && o->keep <= (1u << 30))
			make_ring(f, o->keep);
		if (!f->ring)
			f->buf = malloc(f->size);
	}
	if (!f || (!f->buf && !f->ring)) {
		if (fd > 0)
			close(fd);
		free(f);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	s->ops = &fd_ops;
	s->priv = f;
	return CRED_OK;
}

int cred_stream_fd_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
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

int cred_stream_unix_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
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

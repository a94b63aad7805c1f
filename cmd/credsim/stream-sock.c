/* The frame socket (see stream-sock.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include "stream-sock.h"

#define QUEUE_MIN (64u << 20) /* a client's queue: at least 64 MiB ... */
#define QUEUE_FRAMES 3        /* ... and three frames */
#define MAX_IOV 64
#define MAX_FREE 64           /* frame buffers kept for reuse */

struct entry {
	struct fbuf *buf;
	size_t off, len;          /* bytes off..len of the buffer still to send */
};

struct fclient {
	struct fclient *next;
	int fd, id;
	struct entry *q;          /* a ring of cap entries, n of them from head */
	size_t cap, head, n;
	size_t len;               /* bytes queued */
	uint64_t frames, missed, bytes;
	bool ending;              /* no more frames: disconnect when sent */
	bool dead;
};

static size_t capacity_for(size_t frame)
{
	return frame * QUEUE_FRAMES > QUEUE_MIN ? frame * QUEUE_FRAMES : QUEUE_MIN;
}

/* ---- frame buffers -------------------------------------------------------------------- */

struct fbuf *fsock_buffer(struct fsock *s, size_t size)
{
	struct fbuf **pp = &s->free_bufs, *b;

	while (*pp && (*pp)->cap != size)
		pp = &(*pp)->next_free;
	if ((b = *pp)) {
		*pp = b->next_free;
	} else if ((b = malloc(sizeof(*b) + size))) {
		b->cap = size;
	} else {
		return NULL;
	}
	b->refs = 1;
	b->next_free = NULL;
	return b;
}

static void unref(struct fsock *s, struct fbuf *b)
{
	int kept = 0;

	if (--b->refs > 0)
		return;
	for (struct fbuf *f = s->free_bufs; f; f = f->next_free)
		kept++;
	if (kept >= MAX_FREE) {
		free(b);
		return;
	}
	b->next_free = s->free_bufs;
	s->free_bufs = b;
}

/* ---- opening and closing ---------------------------------------------------------- */

static int default_path(struct fsock *s, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (snprintf(dir, sizeof(dir), "%s/credsim-%ld", tmp, (long)getpid()) >= (int)sizeof(dir) ||
	    snprintf(s->path, sizeof(s->path), "%s/frames", dir) >= (int)sizeof(s->path)) {
		snprintf(err, errlen, "TMPDIR too long for a socket path ('%s')", tmp);
		return -1;
	}
	if (mkdir(dir, 0700) == 0)
		snprintf(s->dir, sizeof(s->dir), "%s", dir);
	else if (errno != EEXIST) {
		snprintf(err, errlen, "cannot create '%s': %s", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_copy(struct fsock *s, const char *copy, char *err, size_t errlen)
{
	if (access(copy, F_OK) == 0) {
		snprintf(err, errlen, "'%s' exists", copy);
		return -1;
	}
	snprintf(s->copy_path, sizeof(s->copy_path), "%s", copy);
	snprintf(s->copy_tmp, sizeof(s->copy_tmp), "%s.%ld.tmp", copy, (long)getpid());
	s->copy = fopen(s->copy_tmp, "wbx");
	if (!s->copy) {
		snprintf(err, errlen, "cannot create '%s': %s", s->copy_tmp, strerror(errno));
		return -1;
	}
	return 0;
}

/* The copy goes under its name whole or not at all: a write that failed
 * (a full disk, a ulimit -f) leaves no file and says so at the end; the
 * name is never taken from a file that appeared meanwhile. */
static void finish_copy(struct fsock *s)
{
	int err = s->copy_errno;

	if (s->copy) {
		if (fclose(s->copy) && !err)
			err = errno;
		s->copy = NULL;
		if (!err && renameat2(AT_FDCWD, s->copy_tmp, AT_FDCWD, s->copy_path, RENAME_NOREPLACE))
			err = errno;
		if (err)
			unlink(s->copy_tmp);
	}
	if (err)
		fprintf(stderr, "credsim: no stream copy written: cannot write '%s': %s\n",
			s->copy_path, strerror(err));
}

/* The first write error ends the copy at once: its partial file would
 * only fill the disk the program under test writes to. */
static void drop_copy(struct fsock *s, int err)
{
	s->copy_errno = err;
	fclose(s->copy);
	unlink(s->copy_tmp);
	s->copy = NULL;
}

int fsock_open(struct fsock *s, const char *path, const char *copy, char *err, size_t errlen)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	if (path && strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "socket path '%s' too long (at most %zu bytes)", path,
			 sizeof(s->path) - 1);
		return -1;
	}
	if (path)
		snprintf(s->path, sizeof(s->path), "%s", path);
	else if (default_path(s, err, errlen))
		return -1;
	memcpy(addr.sun_path, s->path, sizeof(s->path));
	s->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&addr, sizeof(addr)) ||
	    listen(s->fd, 8)) {
		snprintf(err, errlen, "cannot listen on '%s': %s", s->path, strerror(errno));
		if (s->fd >= 0 && errno != EADDRINUSE)
			unlink(s->path);
		goto fail;
	}
	if (copy && open_copy(s, copy, err, errlen)) {
		unlink(s->path);
		goto fail;
	}
	return 0;
fail:
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->dir[0])
		rmdir(s->dir);
	return -1;
}

static void client_free(struct fsock *s, struct fclient *c)
{
	if (s->verbose)
		fprintf(stderr, "credsim: frame client %d disconnected (%llu frames sent, %llu not)\n",
			c->id, (unsigned long long)c->frames, (unsigned long long)c->missed);
	if (s->copy_owner == c)
		s->copy_owner = NULL;
	for (size_t k = 0; k < c->n; k++)
		unref(s, c->q[(c->head + k) % c->cap].buf);
	close(c->fd);
	free(c->q);
	free(c);
	s->nclients--;
}

void fsock_drop_clients(struct fsock *s)
{
	while (s->clients) {
		struct fclient *c = s->clients;

		s->clients = c->next;
		client_free(s, c);
	}
}

void fsock_end_clients(struct fsock *s)
{
	for (struct fclient *c = s->clients; c; c = c->next)
		c->ending = true;
}

void fsock_close(struct fsock *s)
{
	fsock_drop_clients(s);
	while (s->free_bufs) {
		struct fbuf *b = s->free_bufs;

		s->free_bufs = b->next_free;
		free(b);
	}
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	s->fd = -1;
	if (s->dir[0])
		rmdir(s->dir);
	s->dir[0] = '\0';
	if (s->copy || s->copy_errno)
		finish_copy(s);
}

/* ---- frames in ------------------------------------------------------------------- */

bool fsock_room(const struct fsock *s, size_t len, bool all)
{
	bool any = false;

	for (const struct fclient *c = s->clients; c; c = c->next) {
		bool fits = capacity_for(len) - c->len >= len;

		if (c->ending)
			continue; /* takes no more frames, holds nobody back */
		if (all && !fits)
			return false;
		any = any || fits;
	}
	return any;
}

/* Room for one more entry in the queue. */
static int grow(struct fclient *c)
{
	size_t cap = c->cap ? 2 * c->cap : 16;
	struct entry *q = malloc(cap * sizeof(*q));

	if (!q)
		return -1;
	for (size_t k = 0; k < c->n; k++)
		q[k] = c->q[(c->head + k) % c->cap];
	free(c->q);
	c->q = q;
	c->cap = cap;
	c->head = 0;
	return 0;
}

int fsock_push(struct fsock *s, struct fbuf *b, size_t len)
{
	int took = 0;

	for (struct fclient *c = s->clients; c; c = c->next) {
		if (c->ending)
			continue;
		if (capacity_for(len) - c->len < len || (c->n == c->cap && grow(c))) {
			c->missed++;
			continue;
		}
		c->q[(c->head + c->n++) % c->cap] = (struct entry){ b, 0, len };
		b->refs++;
		c->len += len;
		c->frames++;
		took++;
	}
	unref(s, b);
	return took;
}

/* ---- the poll loop ------------------------------------------------------------------ */

static void accept_clients(struct fsock *s)
{
	static int next_id = 1;
	int fd;

	while ((fd = accept4(s->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		struct fclient *c = calloc(1, sizeof(*c)), **pp = &s->clients;

		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->id = next_id++;
		while (*pp)   /* oldest first */
			pp = &(*pp)->next;
		*pp = c;
		s->nclients++;
		if (s->copy && !s->copy_owner)
			s->copy_owner = c;
		if (s->verbose)
			fprintf(stderr, "credsim: frame client %d connected\n", c->id);
	}
}

static void record_copy(struct fsock *s, const struct iovec *iov, int niov, size_t n)
{
	if (!s->copy)
		return; /* dropped after a write error */
	s->copied += n;
	for (int i = 0; i < niov && n; i++) {
		size_t k = iov[i].iov_len < n ? iov[i].iov_len : n;

		errno = 0;
		if (fwrite(iov[i].iov_base, 1, k, s->copy) != k) {
			drop_copy(s, errno ? errno : EIO);
			return;
		}
		n -= k;
	}
}

/* Drop n sent bytes from the front of the queue. */
static void consume(struct fsock *s, struct fclient *c, size_t n)
{
	c->len -= n;
	c->bytes += n;
	while (n) {
		struct entry *e = &c->q[c->head];
		size_t left = e->len - e->off;

		if (n < left) {
			e->off += n;
			return;
		}
		n -= left;
		unref(s, e->buf);
		c->head = (c->head + 1) % c->cap;
		c->n--;
	}
}

static void send_queued(struct fsock *s, struct fclient *c)
{
	while (c->len && !s->stalled) {
		struct iovec iov[MAX_IOV];
		int niov = 0;
		ssize_t n;

		for (size_t k = 0; k < c->n && niov < MAX_IOV; k++) {
			struct entry *e = &c->q[(c->head + k) % c->cap];

			iov[niov++] = (struct iovec){ e->buf->data + e->off, e->len - e->off };
		}
		n = writev(c->fd, iov, niov);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				c->dead = true;
			return;
		}
		if (c == s->copy_owner)
			record_copy(s, iov, niov, (size_t)n);
		consume(s, c, (size_t)n);
	}
	if (c->ending && !c->len)
		c->dead = true;
}

/* Clients send nothing: anything they do send is read and ignored, and
 * end of file means they left. */
static void read_client(struct fclient *c)
{
	uint8_t buf[512];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		c->dead = true;
}

/* Free the clients that left or were sent all they will get. */
static void reap(struct fsock *s)
{
	struct fclient **pp = &s->clients;

	while (*pp) {
		struct fclient *c = *pp;

		if (!c->dead) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		client_free(s, c);
	}
}

void fsock_flush(struct fsock *s)
{
	for (struct fclient *c = s->clients; c; c = c->next)
		if (!c->dead)
			send_queued(s, c);
	reap(s);
}

int fsock_poll_fds(struct fsock *s, struct pollfd *pfd, int max)
{
	int n = 0;

	if (s->fd < 0 || max < 1)
		return 0;
	pfd[n++] = (struct pollfd){ .fd = s->fd, .events = POLLIN };
	for (struct fclient *c = s->clients; c && n < max; c = c->next)
		pfd[n++] = (struct pollfd){ .fd = c->fd,
			.events = POLLIN | (c->len && !s->stalled ? POLLOUT : 0) };
	return n;
}

void fsock_poll_done(struct fsock *s, const struct pollfd *pfd, int n)
{
	int i = 1;

	if (n < 1)
		return;
	/* the clients polled are the first n - 1, in order */
	for (struct fclient *c = s->clients; c && i < n; c = c->next, i++) {
		if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			read_client(c);
		if (!c->dead)
			send_queued(s, c);
	}
	reap(s);
	if (pfd[0].revents & POLLIN)
		accept_clients(s);
}

void fsock_describe(const struct fsock *s, void (*line)(void *ctx, const char *text), void *ctx)
{
	char buf[160];

	for (const struct fclient *c = s->clients; c; c = c->next) {
		snprintf(buf, sizeof(buf), "client %d: %llu frames sent, %llu not sent, %zu bytes queued%s",
			 c->id, (unsigned long long)c->frames, (unsigned long long)c->missed, c->len,
			 c == s->copy_owner ? " (copied)" : "");
		line(ctx, buf);
	}
}

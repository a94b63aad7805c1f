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

#define RING_MIN (8u << 20)   /* a client's buffer: at least 8 MiB ... */
#define RING_FRAMES 3         /* ... and three frames */

struct fclient {
	struct fclient *next;
	int fd, id;
	uint8_t *ring;
	size_t cap, head, len;
	uint64_t frames, missed, bytes;
	bool dead;
};

static size_t capacity_for(size_t frame)
{
	return frame * RING_FRAMES > RING_MIN ? frame * RING_FRAMES : RING_MIN;
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
	close(c->fd);
	free(c->ring);
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

void fsock_close(struct fsock *s)
{
	fsock_drop_clients(s);
	if (s->fd >= 0) {
		close(s->fd);
		unlink(s->path);
	}
	s->fd = -1;
	if (s->dir[0])
		rmdir(s->dir);
	s->dir[0] = '\0';
	if (s->copy) {
		if (fclose(s->copy) == 0)
			rename(s->copy_tmp, s->copy_path);
		else
			unlink(s->copy_tmp);
		s->copy = NULL;
	}
}

/* ---- frames in ------------------------------------------------------------------- */

bool fsock_room(const struct fsock *s, size_t len, bool all)
{
	bool any = false;

	for (const struct fclient *c = s->clients; c; c = c->next) {
		bool fits = capacity_for(len) - c->len >= len;

		if (all && !fits)
			return false;
		any = any || fits;
	}
	return any;
}

/* Make room for a buffer of at least cap bytes, keeping what is queued. */
static int grow(struct fclient *c, size_t cap)
{
	uint8_t *ring = malloc(cap);
	size_t first;

	if (!ring)
		return -1;
	first = c->cap - c->head < c->len ? c->cap - c->head : c->len;
	if (c->len) {
		memcpy(ring, c->ring + c->head, first);
		memcpy(ring + first, c->ring, c->len - first);
	}
	free(c->ring);
	c->ring = ring;
	c->cap = cap;
	c->head = 0;
	return 0;
}

static void append(struct fclient *c, const uint8_t *data, size_t len)
{
	size_t tail = (c->head + c->len) % c->cap, first = c->cap - tail < len ? c->cap - tail : len;

	memcpy(c->ring + tail, data, first);
	memcpy(c->ring, data + first, len - first);
	c->len += len;
}

int fsock_push(struct fsock *s, const uint8_t *frame, size_t len)
{
	int took = 0;

	for (struct fclient *c = s->clients; c; c = c->next) {
		size_t want = capacity_for(len);

		if (want - c->len < len || (c->cap < want && grow(c, want))) {
			c->missed++;
			continue;
		}
		append(c, frame, len);
		c->frames++;
		took++;
	}
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

static void record_copy(struct fsock *s, const struct iovec *iov, size_t n)
{
	s->copied += n;
	for (int i = 0; i < 2 && n; i++) {
		size_t k = iov[i].iov_len < n ? iov[i].iov_len : n;

		fwrite(iov[i].iov_base, 1, k, s->copy);
		n -= k;
	}
}

static void send_queued(struct fsock *s, struct fclient *c)
{
	while (c->len && !s->stalled) {
		size_t first = c->cap - c->head < c->len ? c->cap - c->head : c->len;
		struct iovec iov[2] = {
			{ c->ring + c->head, first },
			{ c->ring, c->len - first },
		};
		ssize_t n = writev(c->fd, iov, c->len > first ? 2 : 1);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				c->dead = true;
			return;
		}
		if (c == s->copy_owner)
			record_copy(s, iov, (size_t)n);
		c->head = (c->head + (size_t)n) % c->cap;
		c->len -= (size_t)n;
		c->bytes += (size_t)n;
	}
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

void fsock_flush(struct fsock *s)
{
	for (struct fclient *c = s->clients; c; c = c->next)
		if (!c->dead)
			send_queued(s, c);
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
	struct fclient **pp = &s->clients;
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
	while (*pp) {
		struct fclient *c = *pp;

		if (!c->dead) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		client_free(s, c);
	}
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

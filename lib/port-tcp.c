/* tcp:HOST[:PORT]: the camera's telnet interface.
 *
 * The camera's CLI is the same over TCP as over serial, so the port is a
 * plain byte stream. A telnet server may still open with option
 * negotiations (IAC WILL/DO ...): they are refused (DONT/WONT), never
 * acted on, and stripped from the data. Binary uploads (sendfile) go
 * through this port too, so 0xFF is only treated as telnet once the peer
 * has shown it speaks telnet by negotiating; from then on a data 0xFF is
 * sent doubled (IAC IAC) as telnet requires. */
#include "transport-impl.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_MS 10000
#define REPLY_TIMEOUT_MS 2000  /* for our WONT/DONT answers */
#define RAW_SIZE 1024

enum { IAC = 255, DONT = 254, DO = 253, WONT = 252, WILL = 251, SB = 250, SE = 240 };
enum tn_state { TN_DATA, TN_IAC, TN_OPT, TN_SB, TN_SB_IAC };

struct tcp {
	enum tn_state state;
	unsigned char cmd;       /* WILL/WONT/DO/DONT awaiting its option byte */
	int telnet;              /* the peer has negotiated */
	unsigned char raw[RAW_SIZE]; /* received, not yet filtered */
	size_t raw_pos, raw_len;
	unsigned char held;      /* filtered byte that did not fit the caller's buffer */
	int has_held;
	unsigned char reply[3 * RAW_SIZE];
	size_t reply_len;
};

/* One received byte through the telnet filter: the data bytes it yields go
 * to out (0, 1 or 2), answers to t->reply. */
static size_t tn_step(struct tcp *t, unsigned char c, unsigned char out[2])
{
	switch (t->state) {
	case TN_DATA:
		if (c == IAC) {
			t->state = TN_IAC;
			return 0;
		}
		out[0] = c;
		return 1;
	case TN_IAC:
		t->state = TN_DATA;
		if (c >= WILL && c <= DONT) {
			t->state = TN_OPT;
			t->cmd = c;
			t->telnet = 1;
			return 0;
		}
		if (c == SB) {
			t->state = TN_SB;
			t->telnet = 1;
			return 0;
		}
		if (t->telnet && c >= SE)
			return c == IAC ? (out[0] = IAC, 1) : 0; /* IAC IAC is a data 0xFF */
		out[0] = IAC; /* not telnet: plain data */
		out[1] = c;
		return 2;
	case TN_OPT:
		t->state = TN_DATA;
		/* Everything stays off: refuse what is offered or asked;
		 * WONT/DONT agree with that already and need no answer. */
		if (t->cmd == WILL || t->cmd == DO) {
			unsigned char *r = t->reply + t->reply_len;

			r[0] = IAC;
			r[1] = t->cmd == WILL ? DONT : WONT;
			r[2] = c;
			t->reply_len += 3;
			cred_debug("tcp: telnet: refusing %s %d", t->cmd == WILL ? "WILL" : "DO", c);
		}
		return 0;
	case TN_SB:
		if (c == IAC)
			t->state = TN_SB_IAC;
		return 0;
	case TN_SB_IAC:
		t->state = c == SE ? TN_DATA : TN_SB;
		return 0;
	}
	return 0;
}

/* Move filtered bytes from t->raw to buf (len >= 1). A byte that does not
 * fit (the second of a plain "0xFF x" pair) waits in t->held. */
static size_t tn_filter(struct tcp *t, unsigned char *buf, size_t len)
{
	size_t n = 0;

	if (t->has_held) {
		buf[n++] = t->held;
		t->has_held = 0;
	}
	while (n < len && t->raw_pos < t->raw_len) {
		unsigned char out[2];
		size_t k = tn_step(t, t->raw[t->raw_pos++], out);

		for (size_t i = 0; i < k; i++) {
			if (n < len) {
				buf[n++] = out[i];
			} else {
				t->held = out[i];
				t->has_held = 1;
			}
		}
	}
	return n;
}

static int is_lost_errno(int e)
{
	return e == EPIPE || e == ECONNRESET || e == ETIMEDOUT || e == EHOSTUNREACH ||
	       e == ENETUNREACH || e == ENOTCONN;
}

/* Send all of buf within timeout_ms (-1: no limit), never raising SIGPIPE. */
static int send_all(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);
	const char *p = buf;

	while (len > 0) {
		ssize_t n = send(port->write_fd, p, len, MSG_NOSIGNAL);
		struct pollfd pfd = { .fd = port->write_fd, .events = POLLOUT };
		int r;

		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && is_lost_errno(errno))
			return cred_port_lost(port->name);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return cred_fail_errno("'%s': write", port->name);
		r = poll(&pfd, 1, cred_ms_left(deadline, timeout_ms));
		if (r == 0)
			return cred_fail(CRED_ERR_TIMEOUT, "'%s': write timed out", port->name);
		if (r < 0 && errno != EINTR)
			return cred_fail_errno("'%s': poll", port->name);
	}
	return CRED_OK;
}

/* Fill t->raw from the socket, waiting up to timeout_ms. 1 got bytes,
 * 0 nothing in time, or an error. */
static int receive(struct cred_port *port, struct tcp *t, int timeout_ms)
{
	struct pollfd pfd = { .fd = port->read_fd, .events = POLLIN };
	ssize_t n;
	int r;

	do
		r = poll(&pfd, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return cred_fail_errno("'%s': poll", port->name);
	if (r == 0)
		return 0;
	n = recv(port->read_fd, t->raw, sizeof(t->raw), 0);
	if (n == 0 || (n < 0 && is_lost_errno(errno)))
		return cred_port_lost(port->name);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : cred_fail_errno("'%s': read", port->name);
	t->raw_pos = 0;
	t->raw_len = (size_t)n;
	return 1;
}

static int tcp_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	struct tcp *t = port->priv;
	long long deadline = cred_deadline(timeout_ms);
	size_t n = 0;

	if (len == 0)
		return 0;
	/* Loop because a chunk may hold nothing but telnet negotiation. */
	while (n == 0) {
		int r;

		if (t->raw_pos == t->raw_len && !t->has_held) {
			r = receive(port, t, cred_ms_left(deadline, timeout_ms));
			if (r <= 0)
				return r;
		}
		n = tn_filter(t, buf, len);
		if (t->reply_len) {
			r = send_all(port, t->reply, t->reply_len, REPLY_TIMEOUT_MS);
			t->reply_len = 0;
			if (r < 0)
				return r;
		}
	}
	return (int)n;
}

static int tcp_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	struct tcp *t = port->priv;
	const unsigned char *p = buf;
	unsigned char *esc;
	size_t n = 0;
	int r;

	if (!t->telnet || !memchr(buf, IAC, len))
		return send_all(port, buf, len, timeout_ms);
	if (!(esc = malloc(2 * len)))
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (size_t i = 0; i < len; i++) {
		esc[n++] = p[i];
		if (p[i] == IAC)
			esc[n++] = IAC;
	}
	r = send_all(port, esc, n, timeout_ms);
	free(esc);
	return r;
}

static void tcp_close(struct cred_port *port)
{
	free(port->priv);
	cred_port_fd_close(port);
}

static const struct cred_port_ops tcp_ops = {
	.read = tcp_read,
	.write = tcp_write,
	.close = tcp_close,
};

/* Non-blocking connect bounded by CONNECT_TIMEOUT_MS. fd or -1 (errno). */
static int connect_one(const struct addrinfo *ai)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			ai->ai_protocol);
	struct pollfd pfd = { .events = POLLOUT };
	int err = 0, r;
	socklen_t len = sizeof(err);

	if (fd < 0)
		return -1;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS)
		goto fail;
	pfd.fd = fd;
	do
		r = poll(&pfd, 1, CONNECT_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		errno = ETIMEDOUT;
	if (r <= 0)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		goto fail;
	if (err == 0)
		return fd;
	errno = err;
fail:
	err = errno;
	close(fd);
	errno = err;
	return -1;
}

static int tcp_connect(const char *host, int tcp_port, const char *name)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	char service[16];
	int fd = -1, r, one = 1;

	snprintf(service, sizeof(service), "%d", tcp_port);
	r = getaddrinfo(host, service, &hints, &res);
	if (r != 0)
		return cred_fail(CRED_ERR_IO, "cannot open '%s': %s", name,
				 r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
	for (ai = res; ai && fd < 0; ai = ai->ai_next)
		fd = connect_one(ai);
	freeaddrinfo(res);
	if (fd < 0)
		return cred_fail_errno("cannot open '%s'", name);
	/* commands are short lines: send them now, not after Nagle's delay */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	return fd;
}

int cred_port_open_tcp(const char *host, int tcp_port, struct cred_port **out)
{
	char name[512];
	struct cred_port *port;
	struct tcp *t;
	int fd;

	snprintf(name, sizeof(name), strchr(host, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d", host,
		 tcp_port);
	if ((fd = tcp_connect(host, tcp_port, name)) < 0)
		return fd;
	t = calloc(1, sizeof(*t));
	port = t ? cred_port_alloc(&tcp_ops, name) : NULL;
	if (!port) {
		free(t);
		close(fd);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	port->read_fd = port->write_fd = fd;
	port->priv = t;
	*out = port;
	cred_debug("tcp: connected to %s", name);
	return CRED_OK;
}

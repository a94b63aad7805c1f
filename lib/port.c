/* The transport-independent half of cred_port: dispatch, tracing, and the
 * descriptor-based transport used by sockets, pipes and ttys. */
#include "cancel-impl.h"
#include "clock-impl.h"
#include "transport-impl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct cred_port *cred_port_alloc(const struct cred_port_ops *ops, const char *name)
{
	struct cred_port *port = calloc(1, sizeof(*port));

	if (!port || !(port->name = strdup(name))) {
		free(port);
		cred_fail(CRED_ERR_MEM, "out of memory");
		return NULL;
	}
	port->ops = ops;
	port->read_fd = port->write_fd = port->lock.fd = -1;
	return port;
}

void cred_port_close(struct cred_port *port)
{
	if (!port)
		return;
	port->ops->close(port);
	cred_port_unlock(&port->lock);
	free(port->lock_key);
	free(port->lock_shown);
	free(port->name);
	free(port);
}

const char *cred_port_name(const struct cred_port *port)
{
	return port->name;
}

int cred_port_fd(const struct cred_port *port)
{
	return port->read_fd;
}

/* ---- the lock, per exchange ------------------------------------------ */

int cred_port_hold_wait(struct cred_port *port, int wait_ms)
{
	int r;

	if (!port)
		return cred_fail(CRED_ERR_ARG, "no port");
	if (!port->lock_key || port->holds++ > 0)
		return CRED_OK;
	r = cred_port_lock(port->lock_key, port->lock_shown, wait_ms, &port->lock);
	if (r < 0) {
		port->holds = 0;
		return r;
	}
	if (port->ops->exclusive)
		port->ops->exclusive(port, 1);
	return CRED_OK;
}

int cred_port_hold(struct cred_port *port)
{
	return cred_port_hold_wait(port, port ? port->lock_wait_ms : 0);
}

void cred_port_release(struct cred_port *port)
{
	if (!port || !port->lock_key || port->holds == 0 || --port->holds > 0)
		return;
	if (port->ops->exclusive)
		port->ops->exclusive(port, 0);
	cred_port_unlock(&port->lock);
}

int cred_port_held(const struct cred_port *port)
{
	return !port->lock_key || port->holds > 0;
}

static int write_held(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	cred_debug_bytes(">", port->name, buf, len);
	return port->ops->write(port, buf, len, timeout_ms);
}

int cred_port_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	int r;

	if (cred_port_held(port))
		return write_held(port, buf, len, timeout_ms);
	if ((r = cred_port_hold(port)) < 0)
		return r;
	r = write_held(port, buf, len, timeout_ms);
	cred_port_release(port);
	return r;
}

static int read_held(struct cred_port *port, void *buf, size_t len, int timeout_ms);

int cred_port_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	int r;

	if (cred_port_held(port))
		return read_held(port, buf, len, timeout_ms);
	if ((r = cred_port_hold(port)) < 0)
		return r;
	r = read_held(port, buf, len, timeout_ms);
	cred_port_release(port);
	return r;
}

/* A wait is read in slices so the cancel flag is seen (cred-cancel.h). */
static int read_held(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);

	for (;;) {
		int left = cred_ms_left(deadline, timeout_ms), n;

		if (timeout_ms != 0 && cred_cancel_requested())
			return cred_fail_cancelled("'%s': read", port->name);
		n = port->ops->read(port, buf, len, timeout_ms ? cred_cancel_slice(left) : 0);
		if (n > 0)
			cred_debug_bytes("<", port->name, buf, (size_t)n);
		if (n != 0 || timeout_ms == 0 || cred_ms_left(deadline, timeout_ms) == 0)
			return n;
	}
}

int cred_port_drain(struct cred_port *port, int quiet_ms, size_t *discarded)
{
	char buf[512];
	size_t total = 0;
	int n;

	while ((n = cred_port_read(port, buf, sizeof(buf), quiet_ms)) > 0)
		total += (size_t)n;
	if (discarded)
		*discarded = total;
	return n < 0 ? n : CRED_OK;
}

int cred_port_set_baud(struct cred_port *port, int baud)
{
	if (!port->ops->set_baud)
		return cred_fail(CRED_ERR_SUPP, "'%s': the line speed cannot be set on this transport",
				 port->name);
	return port->ops->set_baud(port, baud);
}

int cred_port_lost(const char *name)
{
	return cred_fail(CRED_ERR_IO, "'%s': connection lost", name);
}

/* poll() one descriptor, restarting on EINTR with the time that is left.
 * Returns 1 ready, 0 timeout, CRED_ERR_IO. */
static int wait_fd(const char *name, int fd, short events, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);
	struct pollfd pfd = { .fd = fd, .events = events };

	for (;;) {
		int r = poll(&pfd, 1, cred_ms_left(deadline, timeout_ms));

		if (r > 0)
			return 1;
		if (r == 0)
			return 0;
		if (errno != EINTR)
			return cred_fail_errno("'%s': poll", name);
	}
}

int cred_port_fd_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	ssize_t n;
	int r = wait_fd(port->name, port->read_fd, POLLIN, timeout_ms);

	if (r <= 0)
		return r;
	do
		n = read(port->read_fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n == 0 || (n < 0 && errno == EIO))
		return cred_port_lost(port->name);
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		return cred_fail_errno("'%s': read", port->name);
	}
	return (int)n;
}

/* A closed peer must give EPIPE, not kill the process with SIGPIPE: the
 * library may not touch signal dispositions, so sockets use MSG_NOSIGNAL.
 * (Pipes still raise SIGPIPE; tools writing to pipes ignore it.) */
static ssize_t write_nosignal(int fd, const void *buf, size_t len)
{
	ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

	if (n < 0 && errno == ENOTSOCK)
		n = write(fd, buf, len);
	return n;
}

int cred_port_fd_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	const char *p = buf;
	long long deadline = cred_deadline(timeout_ms);

	while (len > 0) {
		int r = wait_fd(port->name, port->write_fd, POLLOUT, cred_ms_left(deadline, timeout_ms));
		ssize_t n;

		if (r < 0)
			return r;
		if (r == 0)
			return cred_fail(CRED_ERR_TIMEOUT, "'%s': write timed out", port->name);
		n = write_nosignal(port->write_fd, p, len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return errno == EPIPE ? cred_port_lost(port->name)
					      : cred_fail_errno("'%s': write", port->name);
		p += n;
		len -= (size_t)n;
	}
	return CRED_OK;
}

void cred_port_fd_close(struct cred_port *port)
{
	if (port->read_fd >= 0)
		close(port->read_fd);
	if (port->write_fd >= 0 && port->write_fd != port->read_fd)
		close(port->write_fd);
	port->read_fd = port->write_fd = -1;
}

static const struct cred_port_ops fd_ops = {
	.read = cred_port_fd_read,
	.write = cred_port_fd_write,
	.close = cred_port_fd_close,
};

int cred_port_from_fds(int read_fd, int write_fd, const char *name, struct cred_port **out)
{
	struct cred_port *port;

	*out = NULL;
	cred_clear_error();
	if (read_fd < 0 || write_fd < 0)
		return cred_fail(CRED_ERR_ARG, "invalid file descriptor");
	port = cred_port_alloc(&fd_ops, name ? name : "fd");
	if (!port)
		return CRED_ERR_MEM;
	port->read_fd = read_fd;
	port->write_fd = write_fd;
	*out = port;
	return CRED_OK;
}

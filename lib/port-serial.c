/* Serial lines: 115200 8N1, no flow control.
 *
 * libserialport opens and configures the line. libserialport 0.1.1 refuses
 * pseudo-terminals (it looks the device up in sysfs and needs TIOCMGET), but
 * a pty is a real use: remote serial through socat or ser2net, the
 * simulator. So when libserialport cannot take the device and it is still a
 * terminal, the port falls back to plain termios with the same settings.
 * CRED_DEBUG says which path was taken. */
#include "transport-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <libserialport.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#define DEFAULT_BAUD 115200

static const struct { int baud; speed_t speed; } speeds[] = {
	{ 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
	{ 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 },
	{ 115200, B115200 }, { 230400, B230400 }, { 460800, B460800 },
	{ 500000, B500000 }, { 576000, B576000 }, { 921600, B921600 },
	{ 1000000, B1000000 }, { 1500000, B1500000 }, { 2000000, B2000000 },
	{ 3000000, B3000000 }, { 4000000, B4000000 },
};

unsigned int cred_port_baud_to_speed(int baud)
{
	for (size_t i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		if (speeds[i].baud == baud)
			return speeds[i].speed;
	return 0;
}

/* UNIX98 pty slaves (/dev/pts/N) have majors 136-143, BSD ones major 3. */
static int is_pty(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode))
		return 0;
	return (major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143) || major(st.st_rdev) == 3;
}

/* TIOCEXCL keeps programs that do not know our lock (a terminal emulator,
 * ModemManager probing a new ttyACM) off a real line. Not on ptys: the far
 * end of a pty (socat, the simulator, umockdev) may need to reopen the
 * slave, and TIOCEXCL would make that fail with EBUSY. */
static void make_exclusive(int fd, const char *name)
{
	if (is_pty(fd))
		return;
	if (ioctl(fd, TIOCEXCL) < 0)
		cred_debug("serial: TIOCEXCL on '%s' failed: %s", name, strerror(errno));
}

/* The port is kept open between exchanges, but exclusive only during
 * them: another credtools process must be able to open the line while we
 * sit idle (it then waits for our lock before it uses it). */
static void serial_exclusive(struct cred_port *port, int on)
{
	if (is_pty(port->read_fd))
		return;
	if (on)
		make_exclusive(port->read_fd, port->name);
	else if (ioctl(port->read_fd, TIOCNXCL) < 0)
		cred_debug("serial: TIOCNXCL on '%s' failed: %s", port->name, strerror(errno));
}

/* ---- through libserialport ---- */

static int lsp_fail(const char *name, const char *what)
{
	errno = sp_last_error_code();
	if (errno == EIO)
		return cred_port_lost(name);
	return cred_fail_errno("'%s': %s", name, what);
}

static int lsp_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);
	struct pollfd pfd = { .fd = port->read_fd, .events = POLLIN };

	for (;;) {
		int r = poll(&pfd, 1, cred_ms_left(deadline, timeout_ms));
		int n;

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return cred_fail_errno("'%s': poll", port->name);
		if (r == 0)
			return 0;
		n = sp_nonblocking_read(port->priv, buf, len);
		if (n > 0)
			return n;
		if (n < 0)
			return lsp_fail(port->name, "read");
		/* 0 bytes although poll said ready: a hung-up line (unplugged
		 * USB, closed pty master) or a spurious wake-up. */
		if (pfd.revents & (POLLHUP | POLLERR))
			return cred_port_lost(port->name);
	}
}

static int lsp_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	int n;

	if (timeout_ms == 0)
		n = sp_nonblocking_write(port->priv, buf, len);
	else /* libserialport's 0 means no limit */
		n = sp_blocking_write(port->priv, buf, len, timeout_ms < 0 ? 0 : (unsigned)timeout_ms);
	if (n < 0)
		return lsp_fail(port->name, "write");
	if ((size_t)n < len)
		return cred_fail(CRED_ERR_TIMEOUT, "'%s': write timed out", port->name);
	return CRED_OK;
}

static int lsp_set_baud(struct cred_port *port, int baud)
{
	if (!cred_port_baud_to_speed(baud))
		return cred_fail(CRED_ERR_ARG, "unsupported baud rate %d", baud);
	if (sp_set_baudrate(port->priv, baud) != SP_OK)
		return lsp_fail(port->name, "cannot set the baud rate");
	return CRED_OK;
}

static void lsp_close(struct cred_port *port)
{
	sp_close(port->priv);
	sp_free_port(port->priv);
	port->read_fd = port->write_fd = -1;
}

static const struct cred_port_ops lsp_ops = {
	.read = lsp_read,
	.write = lsp_write,
	.set_baud = lsp_set_baud,
	.close = lsp_close,
	.exclusive = serial_exclusive,
};

static enum sp_return lsp_configure(struct sp_port *sp, int baud)
{
	struct sp_port_config *cfg;
	enum sp_return r;

	if ((r = sp_new_config(&cfg)) != SP_OK)
		return r;
	if ((r = sp_get_config(sp, cfg)) == SP_OK &&
	    (r = sp_set_config_baudrate(cfg, baud)) == SP_OK &&
	    (r = sp_set_config_bits(cfg, 8)) == SP_OK &&
	    (r = sp_set_config_parity(cfg, SP_PARITY_NONE)) == SP_OK &&
	    (r = sp_set_config_stopbits(cfg, 1)) == SP_OK &&
	    (r = sp_set_config_flowcontrol(cfg, SP_FLOWCONTROL_NONE)) == SP_OK)
		r = sp_set_config(sp, cfg);
	sp_free_config(cfg);
	return r;
}

/* Why libserialport gave up, for the trace. */
static void lsp_why(enum sp_return r, char *why, size_t size)
{
	char *msg;

	if (r != SP_ERR_FAIL) {
		snprintf(why, size, "error %d", (int)r);
		return;
	}
	msg = sp_last_error_message();
	snprintf(why, size, "%s", msg ? msg : "failed");
	sp_free_error_message(msg);
}

/* CRED_OK, CRED_ERR_MEM, or 1 when libserialport cannot take the device
 * (why says so) and the caller should try termios. */
static int lsp_open(const char *shown, const char *real, int baud, struct cred_port **out,
		    char *why, size_t why_size)
{
	struct sp_port *sp;
	struct cred_port *port;
	enum sp_return r;
	int fd = -1;

	if ((r = sp_get_port_by_name(real, &sp)) != SP_OK) {
		snprintf(why, why_size, "no such serial device in sysfs");
		return 1;
	}
	/* Without its descriptor the port cannot be polled: termios then. */
	if ((r = sp_open(sp, SP_MODE_READ_WRITE)) != SP_OK ||
	    (r = lsp_configure(sp, baud)) != SP_OK ||
	    (r = sp_get_port_handle(sp, &fd)) != SP_OK) {
		lsp_why(r, why, why_size);
		sp_close(sp); /* harmless on a port that did not open */
		sp_free_port(sp);
		return 1;
	}
	if (!(port = cred_port_alloc(&lsp_ops, shown))) {
		sp_close(sp);
		sp_free_port(sp);
		return CRED_ERR_MEM;
	}
	port->read_fd = port->write_fd = fd;
	port->priv = sp;
	make_exclusive(port->read_fd, shown);
	*out = port;
	return CRED_OK;
}

/* ---- plain termios ---- */

static int termios_apply(int fd, int baud)
{
	struct termios t;
	speed_t speed = cred_port_baud_to_speed(baud);

	if (tcgetattr(fd, &t) < 0)
		return -1;
	cfmakeraw(&t); /* 8 bits, no parity, no echo, no translation */
	t.c_cflag &= ~(CSTOPB | CRTSCTS);
	t.c_cflag |= CLOCAL | CREAD;
	t.c_iflag &= ~(IXON | IXOFF | IXANY);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (cfsetispeed(&t, speed) < 0 || cfsetospeed(&t, speed) < 0)
		return -1;
	return tcsetattr(fd, TCSANOW, &t);
}

static int termios_set_baud(struct cred_port *port, int baud)
{
	if (!cred_port_baud_to_speed(baud))
		return cred_fail(CRED_ERR_ARG, "unsupported baud rate %d", baud);
	if (termios_apply(port->read_fd, baud) < 0)
		return cred_fail_errno("cannot set the baud rate of '%s'", port->name);
	return CRED_OK;
}

static const struct cred_port_ops termios_ops = {
	.read = cred_port_fd_read,
	.write = cred_port_fd_write,
	.set_baud = termios_set_baud,
	.exclusive = serial_exclusive,
	.close = cred_port_fd_close,
};

static int termios_open(const char *shown, const char *real, int baud, struct cred_port **out)
{
	struct cred_port *port;
	int fd = open(real, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	int r;

	if (fd < 0)
		return cred_fail_errno("cannot open '%s'", shown);
	if (!isatty(fd)) {
		close(fd);
		return cred_fail(CRED_ERR_IO, "cannot open '%s': not a serial port", shown);
	}
	if (termios_apply(fd, baud) < 0) {
		r = cred_fail_errno("cannot configure '%s'", shown);
		close(fd);
		return r;
	}
	if (!(port = cred_port_alloc(&termios_ops, shown))) {
		close(fd);
		return CRED_ERR_MEM;
	}
	make_exclusive(fd, shown);
	port->read_fd = port->write_fd = fd;
	*out = port;
	return CRED_OK;
}

int cred_port_open_serial(const char *path, int baud, struct cred_port **out)
{
	char real[PATH_MAX], why[256];
	int r;

	if (!baud)
		baud = DEFAULT_BAUD;
	/* libserialport wants the /dev name itself, not a by-id symlink */
	if (cred_port_resolve_path(path, real) < 0)
		return cred_fail_errno("cannot open '%s'", path);
	r = lsp_open(path, real, baud, out, why, sizeof(why));
	if (r == CRED_OK)
		cred_debug("serial: using libserialport for '%s' (%s, %d 8N1)", path, real, baud);
	if (r <= 0)
		return r;
	cred_debug("serial: libserialport cannot use '%s' (%s); using termios", real, why);
	r = termios_open(path, real, baud, out);
	if (r == CRED_OK)
		cred_debug("serial: using termios for '%s' (%s, %d 8N1)", path, real, baud);
	return r;
}

const char *cred_port_serial_method(const struct cred_port *port)
{
	if (port->ops == &lsp_ops)
		return "libserialport";
	if (port->ops == &termios_ops)
		return "termios";
	return NULL;
}

/* Unit tests of the port transports: spec parsing, tcp (with telnet
 * negotiation), serial over a pty (termios, and libserialport through the
 * sp-pty-shim in a re-executed child), the Camera Link serial API through
 * libclser-sim.so, the per-port lock, port listing and auto.
 *
 * The far ends are real: a listening socket or a pty master made here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cred.h"
#include "transport-impl.h"

#define LONG_MS 20000 /* "surely": generous for a loaded machine */

static char lock_dir[PATH_MAX];
static char build_tests[PATH_MAX]; /* where the shims live */

/* ---- helpers ---- */

#define assert_msg_has(needle) do { \
	if (!strstr(cred_last_error(), (needle))) \
		fail_msg("message '%s' lacks '%s'", cred_last_error(), (needle)); \
} while (0)

/* A listening socket on the loopback address of family; its port in *port.
 * -1 if the family is unavailable. */
static int listen_loopback(int family, int *port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t len;
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (family == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_addr = in6addr_loopback;
		len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		len = sizeof(*a);
	}
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 8) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		close(fd);
		return -1;
	}
	*port = ntohs(family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
					 : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static int accept_one(int lfd)
{
	struct pollfd pfd = { .fd = lfd, .events = POLLIN };

	assert_int_equal(poll(&pfd, 1, LONG_MS), 1);
	return accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
}

/* Read exactly n bytes from a descriptor (the far end). */
static void fd_read_n(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t r;

		assert_int_equal(poll(&pfd, 1, LONG_MS), 1);
		r = read(fd, (char *)buf + got, n - got);
		assert_true(r > 0);
		got += (size_t)r;
	}
}

static void fd_write(int fd, const void *buf, size_t n)
{
	assert_int_equal(write(fd, buf, n), (ssize_t)n);
}

/* Read exactly n bytes through the port. */
static void port_read_n(struct cred_port *port, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		int r = cred_port_read(port, (char *)buf + got, n - got, LONG_MS);

		if (r <= 0)
			fail_msg("read %zu of %zu bytes, then %d: %s", got, n, r, cred_last_error());
		got += (size_t)r;
	}
}

/* Both directions through an open port whose far end is fd. */
static void round_trip(struct cred_port *port, int fd)
{
	static const char cmd[] = "fps raw\n", answer[] = "600\r\nfli-cli>";
	char buf[64];

	assert_int_equal(cred_port_write(port, cmd, strlen(cmd), LONG_MS), CRED_OK);
	fd_read_n(fd, buf, strlen(cmd));
	assert_memory_equal(buf, cmd, strlen(cmd));
	fd_write(fd, answer, strlen(answer));
	port_read_n(port, buf, strlen(answer));
	assert_memory_equal(buf, answer, strlen(answer));
	/* nothing more to come: a short wait yields 0, not an error */
	assert_int_equal(cred_port_read(port, buf, sizeof(buf), 50), 0);
	assert_int_equal(cred_port_read(port, buf, sizeof(buf), 0), 0);
}

static struct cred_port *open_ok(const char *spec, const struct cred_port_options *opts)
{
	struct cred_port *port = NULL;
	int r = cred_port_open(spec, opts, &port);

	if (r != CRED_OK)
		fail_msg("cannot open '%s': %d %s", spec, r, cred_last_error());
	assert_non_null(port);
	return port;
}

static void open_fails(const char *spec, const struct cred_port_options *opts, int err)
{
	struct cred_port *port = (struct cred_port *)&port;
	int r = cred_port_open(spec, opts, &port);

	if (r != err)
		fail_msg("open '%s' gave %d (%s), expected %d", spec, r, cred_last_error(), err);
	assert_null(port);
}

/* ---- spec parsing ---- */

static void test_spec_good(void **state)
{
	struct port_spec ps;

	assert_int_equal(cred_port_spec_parse("/dev/ttyACM0", &ps), CRED_OK);
	assert_int_equal(ps.kind, PORT_SERIAL);
	assert_string_equal(ps.path, "/dev/ttyACM0");
	assert_int_equal(cred_port_spec_parse("./cam", &ps), CRED_OK);
	assert_string_equal(ps.path, "./cam");
	assert_int_equal(cred_port_spec_parse("../cam", &ps), CRED_OK);
	assert_int_equal(cred_port_spec_parse("serial:ttyUSB0", &ps), CRED_OK);
	assert_int_equal(ps.kind, PORT_SERIAL);
	assert_string_equal(ps.path, "ttyUSB0");

	assert_int_equal(cred_port_spec_parse("tcp:camera", &ps), CRED_OK);
	assert_int_equal(ps.kind, PORT_TCP);
	assert_string_equal(ps.host, "camera");
	assert_int_equal(ps.tcp_port, 23);
	assert_int_equal(cred_port_spec_parse("tcp:10.0.0.7:4001", &ps), CRED_OK);
	assert_string_equal(ps.host, "10.0.0.7");
	assert_int_equal(ps.tcp_port, 4001);
	assert_int_equal(cred_port_spec_parse("tcp:[::1]:65535", &ps), CRED_OK);
	assert_string_equal(ps.host, "::1");
	assert_int_equal(ps.tcp_port, 65535);
	assert_int_equal(cred_port_spec_parse("tcp:[fe80::1]", &ps), CRED_OK);
	assert_string_equal(ps.host, "fe80::1");
	assert_int_equal(ps.tcp_port, 23);
	assert_int_equal(cred_port_spec_parse("tcp:fe80::2", &ps), CRED_OK);
	assert_string_equal(ps.host, "fe80::2");
	assert_int_equal(ps.tcp_port, 23);

	assert_int_equal(cred_port_spec_parse("clser:libclserxyz.so", &ps), CRED_OK);
	assert_int_equal(ps.kind, PORT_CLSER);
	assert_string_equal(ps.path, "libclserxyz.so");
	assert_int_equal(ps.index, 0);
	assert_int_equal(cred_port_spec_parse("clser:/opt/grab/lib/clser#3", &ps), CRED_OK);
	assert_string_equal(ps.path, "/opt/grab/lib/clser");
	assert_int_equal(ps.index, 3);

	assert_int_equal(cred_port_spec_parse("auto", &ps), CRED_OK);
	assert_int_equal(ps.kind, PORT_AUTO);
}

static void test_spec_bad(void **state)
{
	static const char *bad[] = {
		"", "ttyACM0", "COM3", "serial:", "tcp:", "tcp::23", "tcp:host:", "tcp:host:0",
		"tcp:host:65536", "tcp:host:23x", "tcp:host:-1", "tcp:[::1", "tcp:[]:23",
		"tcp:[::1]x", "clser:", "clser:#1", "clser:lib#", "clser:lib#x", "clser:lib#-1",
		"clser:lib#99999", "usb:0", "Auto",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char quoted[64];

		open_fails(bad[i], NULL, CRED_ERR_ARG);
		snprintf(quoted, sizeof(quoted), "invalid port '%s'", bad[i]);
		assert_msg_has(quoted);
		assert_msg_has("serial:PATH, tcp:HOST[:PORT], clser:LIBRARY[#INDEX] or auto");
	}
}

static void test_bad_baud(void **state)
{
	struct cred_port_options opts = { .baud = 12345 };

	open_fails("tcp:127.0.0.1:1", &opts, CRED_ERR_ARG);
	assert_msg_has("12345");
}

/* ---- tcp ---- */

struct tcp_pair { struct cred_port *port; int lfd, fd, tcp_port; };

static void tcp_pair_open(struct tcp_pair *tp, const struct cred_port_options *opts)
{
	char spec[64];

	tp->lfd = listen_loopback(AF_INET, &tp->tcp_port);
	assert_true(tp->lfd >= 0);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tp->tcp_port);
	tp->port = open_ok(spec, opts);
	tp->fd = accept_one(tp->lfd);
	assert_true(tp->fd >= 0);
}

static void tcp_pair_close(struct tcp_pair *tp)
{
	cred_port_close(tp->port);
	if (tp->fd >= 0)
		close(tp->fd);
	close(tp->lfd);
}

static void test_tcp_round_trip(void **state)
{
	struct tcp_pair tp;
	char name[64];

	tcp_pair_open(&tp, NULL);
	snprintf(name, sizeof(name), "tcp:127.0.0.1:%d", tp.tcp_port);
	assert_string_equal(cred_port_name(tp.port), name);
	round_trip(tp.port, tp.fd);
	assert_int_equal(cred_port_set_baud(tp.port, 9600), CRED_ERR_SUPP);
	tcp_pair_close(&tp);
}

static void test_tcp_from_env(void **state)
{
	struct tcp_pair tp;
	char spec[64];
	struct cred_port *port;

	tp.lfd = listen_loopback(AF_INET, &tp.tcp_port);
	assert_true(tp.lfd >= 0);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tp.tcp_port);
	setenv("CRED_PORT", spec, 1);
	port = open_ok(NULL, NULL);
	unsetenv("CRED_PORT");
	assert_string_equal(cred_port_name(port), spec);
	cred_port_close(port);
	close(tp.lfd);
}

static void test_tcp_ipv6(void **state)
{
	struct tcp_pair tp;
	char spec[64];

	tp.lfd = listen_loopback(AF_INET6, &tp.tcp_port);
	if (tp.lfd < 0)
		skip(); /* no IPv6 loopback on this machine */
	snprintf(spec, sizeof(spec), "tcp:[::1]:%d", tp.tcp_port);
	tp.port = open_ok(spec, NULL);
	assert_string_equal(cred_port_name(tp.port), spec);
	tp.fd = accept_one(tp.lfd);
	round_trip(tp.port, tp.fd);
	tcp_pair_close(&tp);
}

static void test_tcp_lost(void **state)
{
	struct tcp_pair tp;
	char buf[16];
	int r = CRED_OK;

	tcp_pair_open(&tp, NULL);
	fd_write(tp.fd, "bye", 3);
	close(tp.fd);
	tp.fd = -1;
	port_read_n(tp.port, buf, 3);
	assert_memory_equal(buf, "bye", 3);
	assert_int_equal(cred_port_read(tp.port, buf, sizeof(buf), LONG_MS), CRED_ERR_IO);
	assert_msg_has("connection lost");
	/* writing to a closed peer fails (first send may still be accepted),
	 * and must not kill us with SIGPIPE */
	for (int i = 0; i < 100 && r == CRED_OK; i++)
		r = cred_port_write(tp.port, "x\n", 2, LONG_MS);
	assert_int_equal(r, CRED_ERR_IO);
	assert_msg_has("connection lost");
	tcp_pair_close(&tp);
}

static void test_tcp_refused(void **state)
{
	int tcp_port, lfd = listen_loopback(AF_INET, &tcp_port);
	char spec[64], msg[128];

	assert_true(lfd >= 0);
	close(lfd); /* nobody listens there now */
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tcp_port);
	open_fails(spec, NULL, CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), ECONNREFUSED);
	snprintf(msg, sizeof(msg), "cannot open '%s': Connection refused", spec);
	assert_string_equal(cred_last_error(), msg);
}

/* ---- telnet negotiation over tcp ---- */

static void test_telnet_refused_and_stripped(void **state)
{
	static const unsigned char hello[] = {
		255, 251, 1,              /* IAC WILL ECHO */
		255, 253, 31,             /* IAC DO NAWS */
		'h', 'i',
		255, 250, 24, 1, 255, 240, /* IAC SB TERMINAL-TYPE SEND IAC SE */
		255, 249,                 /* IAC GA */
		'\r', '\n',
		255, 252, 3,              /* IAC WONT SGA: needs no answer */
		255, 255,                 /* a data 0xFF */
		'>',
	};
	static const unsigned char data[] = { 'h', 'i', '\r', '\n', 255, '>' };
	static const unsigned char answers[] = { 255, 254, 1, 255, 252, 31 };
	unsigned char buf[64];
	struct tcp_pair tp;

	tcp_pair_open(&tp, NULL);
	fd_write(tp.fd, hello, sizeof(hello));
	port_read_n(tp.port, buf, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	assert_int_equal(cred_port_read(tp.port, buf, sizeof(buf), 50), 0);
	fd_read_n(tp.fd, buf, sizeof(answers));
	assert_memory_equal(buf, answers, sizeof(answers));
	/* the peer speaks telnet: a data 0xFF goes out doubled */
	assert_int_equal(cred_port_write(tp.port, "\xff\n", 2, LONG_MS), CRED_OK);
	fd_read_n(tp.fd, buf, 3);
	assert_memory_equal(buf, "\xff\xff\n", 3);
	tcp_pair_close(&tp);
}

/* Negotiations split across reads, and a caller buffer of one byte. */
static void test_telnet_split(void **state)
{
	unsigned char c, buf[4];
	struct tcp_pair tp;

	tcp_pair_open(&tp, NULL);
	fd_write(tp.fd, "\xff", 1);
	assert_int_equal(cred_port_read(tp.port, buf, sizeof(buf), 100), 0);
	fd_write(tp.fd, "\xfd", 1);
	assert_int_equal(cred_port_read(tp.port, buf, sizeof(buf), 100), 0);
	fd_write(tp.fd, "\x18" "A", 2);
	port_read_n(tp.port, &c, 1);
	assert_int_equal(c, 'A');
	fd_read_n(tp.fd, buf, 3);
	assert_memory_equal(buf, "\xff\xfc\x18", 3); /* IAC WONT TERMINAL-TYPE */
	tcp_pair_close(&tp);
}

/* Before any negotiation the stream is plain bytes: 0xFF is data both ways
 * (a binary upload over TCP must arrive unchanged). */
static void test_tcp_plain_ff(void **state)
{
	unsigned char buf[8];
	struct tcp_pair tp;

	tcp_pair_open(&tp, NULL);
	assert_int_equal(cred_port_write(tp.port, "\xff\x01\xff\xff", 4, LONG_MS), CRED_OK);
	fd_read_n(tp.fd, buf, 4);
	assert_memory_equal(buf, "\xff\x01\xff\xff", 4);
	fd_write(tp.fd, "\xff\x41\x42", 3);
	port_read_n(tp.port, buf, 3);
	assert_memory_equal(buf, "\xff\x41\x42", 3);
	/* one-byte reads across a held pair */
	fd_write(tp.fd, "\xff\x43", 2);
	port_read_n(tp.port, buf, 1);
	port_read_n(tp.port, buf + 1, 1);
	assert_memory_equal(buf, "\xff\x43", 2);
	tcp_pair_close(&tp);
}

/* ---- the per-port lock ---- */

/* A child that holds spec open until told to let go (a byte on *release),
 * then waits a moment so the parent is already waiting, and closes. */
static pid_t hold_in_child(const char *spec, int *release)
{
	int ready[2], go[2];
	pid_t pid;
	char c;

	assert_int_equal(pipe(ready), 0);
	assert_int_equal(pipe(go), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct cred_port *port;

		close(ready[0]);
		close(go[1]);
		/* the lock is held per exchange: hold it as a long one does */
		if (cred_port_open(spec, NULL, &port) != CRED_OK || cred_port_hold(port) != CRED_OK)
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(2);
		usleep(300 * 1000);
		cred_port_close(port);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	assert_int_equal(read(ready[0], &c, 1), 1);
	close(ready[0]);
	*release = go[1];
	return pid;
}

static void reap(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void test_lock_contention(void **state)
{
	struct cred_port_options wait_some = { .lock_wait_ms = 200 };
	struct cred_port_options wait_long = { .lock_wait_ms = LONG_MS };
	int tcp_port, lfd = listen_loopback(AF_INET, &tcp_port), release;
	char spec[64], msg[128];
	struct cred_port *port;
	pid_t pid;

	assert_true(lfd >= 0);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tcp_port);
	pid = hold_in_child(spec, &release);

	open_fails(spec, NULL, CRED_ERR_BUSY);
	snprintf(msg, sizeof(msg), "port '%s' is in use by process %ld", spec, (long)pid);
	assert_string_equal(cred_last_error(), msg);
	open_fails(spec, &wait_some, CRED_ERR_BUSY);
	assert_string_equal(cred_last_error(), msg);

	assert_int_equal(write(release, "g", 1), 1);
	port = open_ok(spec, &wait_long);
	reap(pid);
	close(release);
	cred_port_close(port);
	close(lfd);
}

static void test_lock_wait_forever(void **state)
{
	struct cred_port_options forever = { .lock_wait_ms = -1 };
	int tcp_port, lfd = listen_loopback(AF_INET, &tcp_port), release;
	char spec[64];
	pid_t pid;

	assert_true(lfd >= 0);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tcp_port);
	pid = hold_in_child(spec, &release);
	assert_int_equal(write(release, "g", 1), 1);
	cred_port_close(open_ok(spec, &forever));
	reap(pid);
	close(release);
	close(lfd);
}

/* The lock file records the holder; a second open in this process is
 * refused too (flock is per open file, not per process). */
static void test_lock_file(void **state)
{
	struct tcp_pair tp;
	char key[64], *path, buf[32] = "";
	FILE *f;

	tcp_pair_open(&tp, NULL);
	snprintf(key, sizeof(key), "tcp:127.0.0.1:%d", tp.tcp_port);
	path = cred_port_lock_path(key);
	assert_non_null(path);
	assert_true(strncmp(path, lock_dir, strlen(lock_dir)) == 0);
	/* open but between exchanges: no lock, no file */
	assert_int_equal(access(path, F_OK), -1);
	assert_int_equal(cred_port_hold(tp.port), CRED_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_int_equal(atol(buf), (long)getpid());
	open_fails(key, NULL, CRED_ERR_BUSY);
	/* holds nest: the lock goes with the last release, and its file */
	assert_int_equal(cred_port_hold(tp.port), CRED_OK);
	cred_port_release(tp.port);
	assert_int_equal(access(path, F_OK), 0);
	cred_port_release(tp.port);
	assert_int_equal(access(path, F_OK), -1);
	cred_port_release(tp.port); /* one too many: harmless */
	assert_int_equal(cred_port_hold(tp.port), CRED_OK);
	cred_port_close(tp.port);
	assert_int_equal(access(path, F_OK), -1); /* released by close */
	tp.port = open_ok(key, NULL);
	tcp_pair_close(&tp);
	free(path);
}

/* Two processes keep one port open; only the one inside an exchange
 * holds the lock, and the other waits for it or is told who has it. */
static void test_lock_per_exchange(void **state)
{
	struct cred_port_options wait_some = { .lock_wait_ms = 100 };
	int tcp_port, lfd = listen_loopback(AF_INET, &tcp_port), release;
	char spec[64], msg[128];
	struct cred_port *port;
	pid_t pid;

	assert_true(lfd >= 0);
	snprintf(spec, sizeof(spec), "tcp:127.0.0.1:%d", tcp_port);
	port = open_ok(spec, &wait_some); /* open, idle: holds nothing */
	pid = hold_in_child(spec, &release); /* so the child can open and hold */
	assert_int_equal(cred_port_hold(port), CRED_ERR_BUSY);
	snprintf(msg, sizeof(msg), "port '%s' is in use by process %ld", spec, (long)pid);
	assert_string_equal(cred_last_error(), msg);
	assert_int_equal(write(release, "g", 1), 1);
	reap(pid);
	close(release);
	assert_int_equal(cred_port_hold(port), CRED_OK);
	cred_port_release(port);
	cred_port_close(port);
	close(lfd);
}

/* Long keys (a deep library path) still give short, distinct file names. */
static void test_lock_path_long(void **state)
{
	char a[400], b[400], *pa, *pb;

	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(a));
	b[sizeof(b) - 2] = 'y';
	pa = cred_port_lock_path(a);
	pb = cred_port_lock_path(b);
	assert_non_null(pa);
	assert_non_null(pb);
	assert_true(strlen(strrchr(pa, '/') + 1) < 255);
	assert_string_not_equal(pa, pb);
	free(pa);
	free(pb);
	pa = cred_port_lock_path("/dev/serial/by-id/usb-FLI_C-RED_3-if00");
	assert_non_null(pa);
	assert_non_null(strstr(pa, "/cred-dev_serial_by-id_usb-FLI_C-RED_3-if00.lock"));
	free(pa);
}

/* ---- serial over a pty, termios path ---- */

struct pty { int master, slave; char name[PATH_MAX]; };

static void pty_open(struct pty *p)
{
	assert_int_equal(openpty(&p->master, &p->slave, p->name, NULL, NULL), 0);
	/* the slave stays open here so the master never sees a hang-up
	 * before the port opens it */
}

static void pty_close(struct pty *p)
{
	if (p->master >= 0)
		close(p->master);
	if (p->slave >= 0)
		close(p->slave);
}

/* The whole serial story on one pty; method is the path expected. */
static void serial_story(const char *method)
{
	struct pty p;
	struct cred_port *port;
	char buf[16];

	pty_open(&p);
	port = open_ok(p.name, NULL);
	assert_string_equal(cred_port_name(port), p.name);
	assert_string_equal(cred_port_serial_method(port), method);
	round_trip(port, p.master);
	assert_int_equal(cred_port_set_baud(port, 9600), CRED_OK);
	assert_int_equal(cred_port_set_baud(port, 115200), CRED_OK);
	assert_int_equal(cred_port_set_baud(port, 12345), CRED_ERR_ARG);
	round_trip(port, p.master);
	close(p.slave);
	p.slave = -1;
	close(p.master); /* the far end goes away */
	p.master = -1;
	assert_int_equal(cred_port_read(port, buf, sizeof(buf), LONG_MS), CRED_ERR_IO);
	assert_msg_has("connection lost");
	cred_port_close(port);
	pty_close(&p);
}

static void test_pty_termios(void **state)
{
	serial_story("termios");
}

/* serial:, a symlink and the real name are one port for the lock. */
static void test_pty_symlink_lock(void **state)
{
	struct pty p;
	struct cred_port *port;
	char link[PATH_MAX + 16], spec[PATH_MAX + 32];

	pty_open(&p);
	snprintf(link, sizeof(link), "%s/camera-link", lock_dir);
	assert_int_equal(symlink(p.name, link), 0);
	snprintf(spec, sizeof(spec), "serial:%s", link);
	port = open_ok(spec, NULL);
	assert_string_equal(cred_port_name(port), link);
	round_trip(port, p.master);
	assert_int_equal(cred_port_hold(port), CRED_OK);
	open_fails(p.name, NULL, CRED_ERR_BUSY);
	assert_msg_has("is in use by process");
	cred_port_release(port);
	cred_port_close(port);
	unlink(link);
	pty_close(&p);
}

static void test_serial_errors(void **state)
{
	open_fails("/dev/cred-no-such-tty", NULL, CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), ENOENT);
	assert_string_equal(cred_last_error(),
			    "cannot open '/dev/cred-no-such-tty': No such file or directory");
	open_fails("serial:/dev/null", NULL, CRED_ERR_IO);
	assert_string_equal(cred_last_error(), "cannot open '/dev/null': not a serial port");
}

/* ---- serial through libserialport, with the pty shim ---- */

/* Run argv (NULL-terminated) with LD_PRELOAD=preload if not NULL; it
 * must exit 0. */
static void run_child(char *const argv[], const char *preload)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (preload)
			setenv("LD_PRELOAD", preload, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "test-port: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail_msg("child '%s %s' failed (status %#x)", argv[0], argv[1], status);
}

static void self_path(char *self, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", self, size - 1);

	assert_true(n > 0);
	self[n] = '\0';
}

static void shim_path(char *shim, size_t size)
{
	snprintf(shim, size, "%s/sp-pty-shim.so", build_tests);
	if (access(shim, R_OK) != 0)
		fail_msg("%s is missing: build it with make", shim);
}

/* This binary again, under the shim: the pty must take the libserialport
 * path there (test_pty_libserialport_inside). */
static void test_pty_libserialport(void **state)
{
	char self[PATH_MAX], shim[PATH_MAX + 32];
	char *argv[] = { self, "--shim-child", NULL };

	self_path(self, sizeof(self));
	shim_path(shim, sizeof(shim));
	run_child(argv, shim);
}

/* In the child: the same story must now take the libserialport path. */
static void test_pty_libserialport_inside(void **state)
{
	serial_story("libserialport");
}

/* ---- Camera Link serial API, through libclser-sim.so ---- */

struct clser_pair { struct cred_port *port; int lfd, fd; };

static void sim_listen(struct clser_pair *cp)
{
	char addr[64];
	int tcp_port;

	cp->lfd = listen_loopback(AF_INET, &tcp_port);
	assert_true(cp->lfd >= 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%d", tcp_port);
	setenv("CRED_SIM_TCP", addr, 1);
	cp->fd = -1;
	cp->port = NULL;
}

static void clser_spec(char *spec, size_t size, int index)
{
	snprintf(spec, size, "clser:%s/libclser-sim.so#%d", build_tests, index);
}

static void clser_pair_open(struct clser_pair *cp, int index)
{
	char spec[PATH_MAX + 32];

	sim_listen(cp);
	clser_spec(spec, sizeof(spec), index);
	cp->port = open_ok(spec, NULL);
	assert_string_equal(cred_port_name(cp->port), spec);
	cp->fd = accept_one(cp->lfd);
	assert_true(cp->fd >= 0);
}

static void clser_pair_close(struct clser_pair *cp)
{
	cred_port_close(cp->port);
	if (cp->fd >= 0)
		close(cp->fd);
	close(cp->lfd);
	unsetenv("CRED_SIM_TCP");
}

/* clSerialRead reads exactly what it is asked for; the port must still
 * return a short answer at once rather than wait for a full buffer. */
static void clser_story(void)
{
	static const char answer[] = "Frames per second: 600.000000\r\nfli-cli>";
	struct clser_pair cp;
	char buf[256];
	size_t got = 0;

	clser_pair_open(&cp, 0);
	round_trip(cp.port, cp.fd);
	fd_write(cp.fd, answer, strlen(answer));
	while (got < strlen(answer)) {
		int r = cred_port_read(cp.port, buf + got, sizeof(buf) - got, LONG_MS);

		if (r <= 0)
			fail_msg("read gave %d after %zu bytes: %s", r, got, cred_last_error());
		got += (size_t)r;
	}
	assert_int_equal(got, strlen(answer));
	assert_memory_equal(buf, answer, got);
	assert_int_equal(cred_port_set_baud(cp.port, 9600), CRED_OK);
	assert_int_equal(cred_port_set_baud(cp.port, 1200), CRED_ERR_ARG);
	assert_msg_has("921600");
	/* the last words before the line drops are delivered, then the loss */
	fd_write(cp.fd, "bye", 3);
	close(cp.fd);
	cp.fd = -1;
	port_read_n(cp.port, buf, 3);
	assert_memory_equal(buf, "bye", 3);
	assert_int_equal(cred_port_read(cp.port, buf, sizeof(buf), LONG_MS), CRED_ERR_IO);
	assert_msg_has("connection lost");
	assert_msg_has("connection to the simulator lost"); /* the library's own text */
	clser_pair_close(&cp);
}

static void test_clser(void **state)
{
	clser_story();
}

/* A library without clGetNumBytesAvail: read byte by byte. */
static void test_clser_no_avail(void **state)
{
	setenv("CRED_CLSER_SIM_NO_AVAIL", "1", 1);
	clser_story();
	unsetenv("CRED_CLSER_SIM_NO_AVAIL");
}

static void test_clser_index(void **state)
{
	char spec[PATH_MAX + 32];
	struct clser_pair cp;

	sim_listen(&cp);
	clser_spec(spec, sizeof(spec), 1);
	open_fails(spec, NULL, CRED_ERR_ARG);
	assert_msg_has("no serial port 1: the library has 1 port (index 0)");
	setenv("CRED_CLSER_SIM_PORTS", "3", 1);
	clser_spec(spec, sizeof(spec), 5);
	open_fails(spec, NULL, CRED_ERR_ARG);
	assert_msg_has("no serial port 5: the library has 3 ports (index 0 to 2)");
	clser_spec(spec, sizeof(spec), 2);
	cp.port = open_ok(spec, NULL);
	cp.fd = accept_one(cp.lfd);
	round_trip(cp.port, cp.fd);
	unsetenv("CRED_CLSER_SIM_PORTS");
	clser_pair_close(&cp);
}

static void test_clser_errors(void **state)
{
	char spec[PATH_MAX + 32];

	open_fails("clser:/nonexistent/libclser.so", NULL, CRED_ERR_IO);
	assert_msg_has("cannot open 'clser:/nonexistent/libclser.so#0': ");
	open_fails("clser:libm.so.6", NULL, CRED_ERR_SUPP);
	assert_msg_has("'libm.so.6' is not a Camera Link serial library");
	/* the library's own error text reaches the message */
	unsetenv("CRED_SIM_TCP");
	clser_spec(spec, sizeof(spec), 0);
	open_fails(spec, NULL, CRED_ERR_IO);
	assert_msg_has("CRED_SIM_TCP is not set");
}

/* ---- listing and auto ---- */

static void test_list(void **state)
{
	struct cred_port_info *list;
	size_t count;

	setenv("CRED_USB_VID", "ffff", 1);
	setenv("CRED_USB_PID", "fffe", 1);
	assert_int_equal(cred_port_list(&list, &count), CRED_OK);
	for (size_t i = 0; i < count; i++) {
		assert_true(strncmp(list[i].name, "/dev/", 5) == 0);
		assert_non_null(list[i].description);
		assert_false(list[i].is_cred);
	}
	cred_port_list_free(list, count);
	unsetenv("CRED_USB_VID");
	unsetenv("CRED_USB_PID");
}

static void test_auto_none(void **state)
{
	static const char msg[] = "no C-RED camera found on USB (looked for VID:PID ffff:fffe); "
				  "use -p to name the port";

	setenv("CRED_USB_VID", "ffff", 1);
	setenv("CRED_USB_PID", "FFFE", 1);
	open_fails("auto", NULL, CRED_ERR_SUPP);
	assert_string_equal(cred_last_error(), msg);
	unsetenv("CRED_PORT");
	open_fails(NULL, NULL, CRED_ERR_SUPP); /* no spec, no $CRED_PORT: auto */
	assert_string_equal(cred_last_error(), msg);
	unsetenv("CRED_USB_VID");
	unsetenv("CRED_USB_PID");
}

/* ---- auto against emulated USB devices (umockdev) ---- */

/* One USB serial device in umockdev's description format: the USB device
 * (with the attributes libserialport reads), its interface, its tty. */
static void describe_usb_tty(FILE *f, int devnum, const char *vid, const char *pid,
			     const char *product, const char *serial, const char *tty)
{
	char dev[128];

	snprintf(dev, sizeof(dev), "/devices/pci0000:00/0000:00:14.0/usb1/1-%d", devnum);
	fprintf(f, "P: %s\nN: bus/usb/001/%03d\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n"
		"A: busnum=1\nA: devnum=%d\nA: idVendor=%s\nA: idProduct=%s\n"
		"A: manufacturer=Test\nA: product=%s\nA: serial=%s\n\n",
		dev, devnum, devnum, vid, pid, product, serial);
	fprintf(f, "P: %s/1-%d:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n", dev, devnum);
	fprintf(f, "P: %s/1-%d:1.0/tty/%s\nN: %s\nL: device=../../../1-%d:1.0\n"
		"E: SUBSYSTEM=tty\nE: DEVNAME=/dev/%s\n\n", dev, devnum, tty, tty, devnum, tty);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Run this binary under umockdev-run with a test bed of one C-RED (or
 * two, and an unrelated FTDI adapter); the child checks list and auto. */
static void run_umockdev(int cameras, const char *method, const char *preload)
{
	char self[PATH_MAX], bed[PATH_MAX + 32], script[PATH_MAX + 32], script_arg[PATH_MAX + 64];
	char *argv[] = { "umockdev-run", "-d", bed, "-s", script_arg, "--", self,
			 "--umockdev-child", cameras == 1 ? "1" : "2", (char *)method, NULL };
	FILE *f;

	self_path(self, sizeof(self));
	snprintf(bed, sizeof(bed), "%s/usb.umockdev", lock_dir);
	snprintf(script, sizeof(script), "%s/acm0.script", lock_dir);
	snprintf(script_arg, sizeof(script_arg), "/dev/ttyACM0=%s", script);
	f = fopen(bed, "w");
	assert_non_null(f);
	describe_usb_tty(f, 3, "2faf", "0001", "C-RED 3", "FLI-0042", "ttyACM0");
	if (cameras > 1) {
		describe_usb_tty(f, 4, "2faf", "0001", "C-RED 3", "FLI-0043", "ttyACM1");
		describe_usb_tty(f, 5, "0403", "6001", "FT232R USB UART", "A1B2", "ttyUSB0");
	}
	assert_int_equal(fclose(f), 0);
	/* the camera's side of the line: expect a command, answer it */
	write_file(script, "w 0 fps raw^J\nr 0 600^M^Jfli-cli>\n");
	run_child(argv, preload);
}

static void test_auto_umockdev(void **state)
{
	run_umockdev(1, "termios", NULL);
}

static void test_auto_umockdev_libserialport(void **state)
{
	char shim[PATH_MAX + 32];

	shim_path(shim, sizeof(shim));
	run_umockdev(1, "libserialport", shim);
}

static void test_auto_umockdev_several(void **state)
{
	run_umockdev(2, "termios", NULL);
}

/* Inside the test bed: one camera, found, opened through the expected
 * path, and it answers what the script says. */
static void umockdev_one(const char *method)
{
	struct cred_port_info *list;
	struct cred_port *port;
	size_t count;
	char buf[16];

	assert_int_equal(cred_port_list(&list, &count), CRED_OK);
	assert_int_equal(count, 1);
	assert_string_equal(list[0].name, "/dev/ttyACM0");
	assert_string_equal(list[0].description, "C-RED 3");
	assert_int_equal(list[0].usb_vid, 0x2faf);
	assert_int_equal(list[0].usb_pid, 0x0001);
	assert_string_equal(list[0].usb_serial, "FLI-0042");
	assert_true(list[0].is_cred);
	cred_port_list_free(list, count);

	port = open_ok("auto", NULL);
	assert_string_equal(cred_port_name(port), "/dev/ttyACM0");
	assert_string_equal(cred_port_serial_method(port), method);
	assert_int_equal(cred_port_write(port, "fps raw\n", 8, LONG_MS), CRED_OK);
	port_read_n(port, buf, 13);
	assert_memory_equal(buf, "600\r\nfli-cli>", 13);
	cred_port_close(port);
}

/* Two cameras and an FTDI adapter: auto refuses to guess; with the IDs
 * overridden to the adapter's, auto takes it. */
static void umockdev_two(void)
{
	struct cred_port_info *list;
	struct cred_port *port;
	size_t count;

	assert_int_equal(cred_port_list(&list, &count), CRED_OK);
	assert_int_equal(count, 3);
	assert_string_equal(list[0].name, "/dev/ttyACM0");
	assert_string_equal(list[1].name, "/dev/ttyACM1");
	assert_string_equal(list[2].name, "/dev/ttyUSB0");
	assert_true(list[0].is_cred && list[1].is_cred && !list[2].is_cred);
	assert_int_equal(list[2].usb_vid, 0x0403);
	cred_port_list_free(list, count);

	open_fails("auto", NULL, CRED_ERR_SUPP);
	assert_string_equal(cred_last_error(), "2 C-RED cameras found on USB (/dev/ttyACM0, "
			    "/dev/ttyACM1); use -p to name the port");
	setenv("CRED_USB_VID", "0403", 1);
	setenv("CRED_USB_PID", "6001", 1);
	port = open_ok("auto", NULL);
	assert_string_equal(cred_port_name(port), "/dev/ttyUSB0");
	cred_port_close(port);
}

static const char *child_method;
static int child_cameras;

static void test_umockdev_inside(void **state)
{
	if (child_cameras == 1)
		umockdev_one(child_method);
	else
		umockdev_two();
}

static int umockdev_child(int cameras, const char *method)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_umockdev_inside),
	};

	child_cameras = cameras;
	child_method = method;
	return cmocka_run_group_tests_name("port in a umockdev test bed", tests, NULL, NULL);
}

static int shim_child(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pty_libserialport_inside),
	};

	return cmocka_run_group_tests_name("port under sp-pty-shim", tests, NULL, NULL);
}

/* ---- setup ---- */

/* The lock directory holds only files (lock files, a symlink). */
static void rm_lock_dir(void)
{
	DIR *d = opendir(lock_dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	closedir(d);
	rmdir(lock_dir);
}

/* Locks go to a private directory; the shims are found next to this
 * binary unless $CRED_TEST_BUILD says where the build is. */
static int setup(void)
{
	const char *b = getenv("CRED_TEST_BUILD");
	char self[PATH_MAX];
	ssize_t n;

	snprintf(lock_dir, sizeof(lock_dir), "%s/cred-test-port.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(lock_dir))
		return -1;
	setenv("CRED_LOCK_DIR", lock_dir, 1);
	if (b && *b) {
		snprintf(build_tests, sizeof(build_tests), "%s/tests", b);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	snprintf(build_tests, sizeof(build_tests), "%s", self);
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_good),
		cmocka_unit_test(test_spec_bad),
		cmocka_unit_test(test_bad_baud),
		cmocka_unit_test(test_tcp_round_trip),
		cmocka_unit_test(test_tcp_from_env),
		cmocka_unit_test(test_tcp_ipv6),
		cmocka_unit_test(test_tcp_lost),
		cmocka_unit_test(test_tcp_refused),
		cmocka_unit_test(test_telnet_refused_and_stripped),
		cmocka_unit_test(test_telnet_split),
		cmocka_unit_test(test_tcp_plain_ff),
		cmocka_unit_test(test_lock_contention),
		cmocka_unit_test(test_lock_wait_forever),
		cmocka_unit_test(test_lock_file),
		cmocka_unit_test(test_lock_per_exchange),
		cmocka_unit_test(test_lock_path_long),
		cmocka_unit_test(test_pty_termios),
		cmocka_unit_test(test_pty_symlink_lock),
		cmocka_unit_test(test_serial_errors),
		cmocka_unit_test(test_pty_libserialport),
		cmocka_unit_test(test_clser),
		cmocka_unit_test(test_clser_no_avail),
		cmocka_unit_test(test_clser_index),
		cmocka_unit_test(test_clser_errors),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_auto_none),
		cmocka_unit_test(test_auto_umockdev),
		cmocka_unit_test(test_auto_umockdev_libserialport),
		cmocka_unit_test(test_auto_umockdev_several),
	};
	int r;

	if (setup() < 0) {
		perror("test-port: setup");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "--shim-child"))
		r = shim_child();
	else if (argc > 3 && !strcmp(argv[1], "--umockdev-child"))
		r = umockdev_child(atoi(argv[2]), argv[3]);
	else
		r = cmocka_run_group_tests_name("port", tests, NULL, NULL);
	rm_lock_dir();
	return r;
}

/* Helpers several unit tests share (header-only: each test binary is
 * linked on its own): test data, the XMODEM bytes and a reference CRC,
 * a progress recorder, loopback TCP sockets on ports the system picks, and
 * a protocol client on one end of a link.
 * Include after <cmocka.h>. */
#ifndef TEST_HELPERS_H
#define TEST_HELPERS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cred.h"

/* XMODEM control bytes. */
#define SOH 0x01
#define STX 0x02
#define EOT 0x04
#define ACK 0x06
#define NAK 0x15
#define CAN 0x18

/* len bytes of xorshift noise from seed (malloc'd; different seeds give
 * different data). The last byte is never 0x1A, so XMODEM padding cannot
 * be mistaken for data. */
static inline unsigned char *test_data(size_t len, uint32_t seed)
{
	unsigned char *p = malloc(len ? len : 1);
	/* an odd multiplier keeps seeds apart; xorshift needs a state not 0 */
	uint32_t s = seed * 2654435761u + 0x9e3779b9u;

	assert_non_null(p);
	if (!s)
		s = 1;
	for (size_t i = 0; i < len; i++) {
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		p[i] = (unsigned char)s;
	}
	if (len && p[len - 1] == 0x1a)
		p[len - 1] = 0x1b;
	return p;
}

/* CRC-16/XMODEM bit by bit, straight from the polynomial, to check the
 * library's (which is written differently). */
static inline unsigned crc16_ref(const unsigned char *p, size_t n)
{
	unsigned crc = 0;

	for (size_t i = 0; i < n; i++) {
		crc ^= (unsigned)p[i] << 8;
		for (int b = 0; b < 8; b++)
			crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
	}
	return crc;
}

/* What a cred_progress_fn was told; with cancel_after_first set, the first
 * report also raises that flag (as a SIGINT handler would). */
struct progress_log {
	size_t calls, last, total;
	int decreasing;
	volatile sig_atomic_t *cancel_after_first;
};

static inline void log_progress(size_t done, size_t total, void *user)
{
	struct progress_log *p = user;

	if (done < p->last)
		p->decreasing = 1;
	p->calls++;
	p->last = done;
	p->total = total;
	if (p->cancel_after_first)
		*p->cancel_after_first = 1;
}

/* A socket listening on 127.0.0.1 at a port the system chose (*port). */
static inline int loopback_listen(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &alen), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Two ends of a loopback TCP connection: sv[0] connected, sv[1] accepted. */
static inline void loopback_pair(int sv[2])
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int port, l = loopback_listen(&port);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)port);
	sv[0] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(sv[0] >= 0);
	assert_int_equal(connect(sv[0], (struct sockaddr *)&a, sizeof(a)), 0);
	sv[1] = accept(l, NULL, NULL);
	assert_true(sv[1] >= 0);
	close(l);
}

/* A protocol client on our end (fd) of a link to a fake camera. */
static inline struct cred_cli *client_on_fd(int fd)
{
	struct cred_port *port;
	struct cred_cli *cli;

	assert_int_equal(cred_port_from_fds(fd, fd, "fake", &port), CRED_OK);
	assert_int_equal(cred_cli_new(port, &cli), CRED_OK);
	return cli;
}

#endif

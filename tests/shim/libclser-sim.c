/* A Camera Link serial library (the API a frame grabber vendor ships as
 * clser*.so) whose serial ports lead to the simulator's TCP port, so the
 * clser: transport is tested without a grabber.
 *
 * Environment:
 *   CRED_SIM_TCP            HOST:PORT of the simulated camera (credsim exports
 *                           it; [V6ADDR]:PORT for IPv6). Required by clSerialInit.
 *   CRED_CLSER_SIM_PORTS    how many serial ports the library reports (default
 *                           1). Every index connects to the same camera.
 *   CRED_CLSER_SIM_NO_AVAIL if set, clGetNumBytesAvail answers
 *                           CL_ERR_FUNCTION_NOT_FOUND, like a library that
 *                           lacks it, so clients must read byte by byte.
 *
 * Like a real grabber library, clSerialRead returns exactly the bytes asked
 * for or times out; on a timeout nothing is consumed. */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CL_ERR_NO_ERR 0
#define CL_ERR_PORT_IN_USE -10003
#define CL_ERR_TIMEOUT -10004
#define CL_ERR_INVALID_INDEX -10005
#define CL_ERR_INVALID_REFERENCE -10006
#define CL_ERR_ERROR_NOT_FOUND -10007
#define CL_ERR_BAUD_RATE_NOT_SUPPORTED -10008
#define CL_ERR_OUT_OF_MEMORY -10009
#define CL_ERR_BUFFER_TOO_SMALL -10001
#define CL_ERR_FUNCTION_NOT_FOUND -10099
/* this library's own codes (vendor-specific range) */
#define SIM_ERR_CONNECT -20001
#define SIM_ERR_LOST -20002

#define SUPPORTED_BAUDS 0xffu /* CL_BAUDRATE_9600 ... CL_BAUDRATE_921600 */

struct sim_port {
	int fd;
	uint32_t baud;
	size_t len;          /* bytes buffered from the socket, not yet read */
	char buf[65536];
};

static char connect_error[512]; /* detail for SIM_ERR_CONNECT */

static uint32_t num_ports(void)
{
	const char *v = getenv("CRED_CLSER_SIM_PORTS");

	return v && *v ? (uint32_t)strtoul(v, NULL, 10) : 1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Split HOST:PORT or [HOST]:PORT in place; 0 on success. */
static int split_addr(char *s, char **host, char **service)
{
	char *colon = strrchr(s, ':');

	if (!colon || colon == s || !colon[1])
		return -1;
	*colon = '\0';
	*service = colon + 1;
	*host = s;
	if (s[0] == '[' && colon[-1] == ']') {
		colon[-1] = '\0';
		*host = s + 1;
	}
	return 0;
}

static int connect_sim(void)
{
	const char *env = getenv("CRED_SIM_TCP");
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res, *ai;
	char addr[256], *host, *service;
	int fd = -1, r;

	if (!env || !*env || strlen(env) >= sizeof(addr)) {
		snprintf(connect_error, sizeof(connect_error), "CRED_SIM_TCP is not set");
		return -1;
	}
	strcpy(addr, env);
	if (split_addr(addr, &host, &service) < 0) {
		snprintf(connect_error, sizeof(connect_error),
			 "CRED_SIM_TCP='%s' is not HOST:PORT", env);
		return -1;
	}
	if ((r = getaddrinfo(host, service, &hints, &res)) != 0) {
		snprintf(connect_error, sizeof(connect_error), "%s: %s", env, gai_strerror(r));
		return -1;
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
			r = errno;
			close(fd);
			fd = -1;
			errno = r;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		snprintf(connect_error, sizeof(connect_error),
			 "cannot connect to the simulator at %s: %s", env, strerror(errno));
	return fd;
}

int32_t clGetNumSerialPorts(uint32_t *n)
{
	*n = num_ports();
	return CL_ERR_NO_ERR;
}

int32_t clSerialInit(uint32_t index, void **ref)
{
	struct sim_port *p;

	*ref = NULL;
	if (index >= num_ports())
		return CL_ERR_INVALID_INDEX;
	if (!(p = calloc(1, sizeof(*p))))
		return CL_ERR_OUT_OF_MEMORY;
	if ((p->fd = connect_sim()) < 0) {
		free(p);
		return SIM_ERR_CONNECT;
	}
	p->baud = 1; /* Camera Link serial starts at 9600 baud */
	*ref = p;
	return CL_ERR_NO_ERR;
}

void clSerialClose(void *ref)
{
	struct sim_port *p = ref;

	if (!p)
		return;
	close(p->fd);
	free(p);
}

/* Move what the socket has into p->buf, waiting up to wait_ms for it.
 * 0 ok (maybe nothing), SIM_ERR_LOST when the peer is gone. */
static int32_t fill(struct sim_port *p, int wait_ms)
{
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	ssize_t n;
	int r;

	if (p->len == sizeof(p->buf))
		return CL_ERR_NO_ERR;
	do
		r = poll(&pfd, 1, wait_ms);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return CL_ERR_NO_ERR;
	n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - p->len, MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return SIM_ERR_LOST;
	if (n > 0)
		p->len += (size_t)n;
	return CL_ERR_NO_ERR;
}

int32_t clSerialRead(void *ref, char *buf, uint32_t *size, uint32_t timeout_ms)
{
	struct sim_port *p = ref;
	long long deadline = now_ms() + timeout_ms;
	uint32_t want = *size;

	if (!p)
		return CL_ERR_INVALID_REFERENCE;
	if (want > sizeof(p->buf))
		return CL_ERR_BUFFER_TOO_SMALL;
	while (p->len < want) {
		long long left = deadline - now_ms();
		int32_t r;

		if (left <= 0) {
			*size = 0;
			return CL_ERR_TIMEOUT;
		}
		if ((r = fill(p, (int)left)) != CL_ERR_NO_ERR) {
			*size = 0;
			return r;
		}
	}
	memcpy(buf, p->buf, want);
	memmove(p->buf, p->buf + want, p->len - want);
	p->len -= want;
	return CL_ERR_NO_ERR;
}

int32_t clSerialWrite(void *ref, char *buf, uint32_t *size, uint32_t timeout_ms)
{
	struct sim_port *p = ref;
	long long deadline = now_ms() + timeout_ms;
	uint32_t done = 0;

	if (!p)
		return CL_ERR_INVALID_REFERENCE;
	while (done < *size) {
		struct pollfd pfd = { .fd = p->fd, .events = POLLOUT };
		long long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			*size = done;
			return CL_ERR_TIMEOUT;
		}
		n = send(p->fd, buf + done, *size - done, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			*size = done;
			return SIM_ERR_LOST;
		}
		if (n > 0)
			done += (uint32_t)n;
	}
	return CL_ERR_NO_ERR;
}

int32_t clGetNumBytesAvail(void *ref, uint32_t *n)
{
	struct sim_port *p = ref;
	const char *no = getenv("CRED_CLSER_SIM_NO_AVAIL");
	int32_t r;

	if (no && *no)
		return CL_ERR_FUNCTION_NOT_FOUND;
	if (!p)
		return CL_ERR_INVALID_REFERENCE;
	if ((r = fill(p, 0)) != CL_ERR_NO_ERR)
		return r;
	*n = (uint32_t)p->len;
	return CL_ERR_NO_ERR;
}

int32_t clFlushPort(void *ref)
{
	struct sim_port *p = ref;

	if (!p)
		return CL_ERR_INVALID_REFERENCE;
	do
		p->len = 0;
	while (fill(p, 0) == CL_ERR_NO_ERR && p->len > 0);
	return CL_ERR_NO_ERR;
}

int32_t clGetSupportedBaudRates(void *ref, uint32_t *rates)
{
	if (!ref)
		return CL_ERR_INVALID_REFERENCE;
	*rates = SUPPORTED_BAUDS;
	return CL_ERR_NO_ERR;
}

int32_t clSetBaudRate(void *ref, uint32_t rate)
{
	struct sim_port *p = ref;

	if (!p)
		return CL_ERR_INVALID_REFERENCE;
	/* exactly one CL_BAUDRATE_* bit, one this "grabber" supports */
	if (!rate || (rate & (rate - 1)) || !(rate & SUPPORTED_BAUDS))
		return CL_ERR_BAUD_RATE_NOT_SUPPORTED;
	p->baud = rate;
	return CL_ERR_NO_ERR;
}

int32_t clGetManufacturerInfo(char *name, uint32_t *size, uint32_t *version)
{
	static const char manu[] = "credtools simulator";

	*version = 3; /* CL_DLL_VERSION_1_1 */
	if (*size < sizeof(manu)) {
		*size = sizeof(manu);
		return CL_ERR_BUFFER_TOO_SMALL;
	}
	memcpy(name, manu, sizeof(manu));
	*size = sizeof(manu);
	return CL_ERR_NO_ERR;
}

static const char *text_of(int32_t code)
{
	switch (code) {
	case CL_ERR_NO_ERR: return "no error";
	case CL_ERR_PORT_IN_USE: return "port in use";
	case CL_ERR_TIMEOUT: return "timeout";
	case CL_ERR_INVALID_INDEX: return "invalid serial port index";
	case CL_ERR_INVALID_REFERENCE: return "invalid serial port reference";
	case CL_ERR_BAUD_RATE_NOT_SUPPORTED: return "baud rate not supported";
	case CL_ERR_OUT_OF_MEMORY: return "out of memory";
	case CL_ERR_BUFFER_TOO_SMALL: return "buffer too small";
	case CL_ERR_FUNCTION_NOT_FOUND: return "function not found";
	case SIM_ERR_CONNECT: return connect_error;
	case SIM_ERR_LOST: return "connection to the simulator lost";
	default: return NULL;
	}
}

int32_t clGetErrorText(int32_t code, char *text, uint32_t *size)
{
	const char *t = text_of(code);
	uint32_t need;

	if (!t)
		return CL_ERR_ERROR_NOT_FOUND;
	need = (uint32_t)strlen(t) + 1;
	if (*size < need) {
		*size = need;
		return CL_ERR_BUFFER_TOO_SMALL;
	}
	memcpy(text, t, need);
	*size = need;
	return CL_ERR_NO_ERR;
}

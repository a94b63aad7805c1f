/* The TCP endpoint (see endpoints.h). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "endpoints.h"

/* "[HOST:]PORT", "[::1]:PORT" into host and port. */
static int split_spec(const char *spec, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;

	if (spec[0] == '[') {
		const char *end = strchr(spec, ']');

		if (!end || end[1] != ':')
			return -1;
		snprintf(host, hsize, "%.*s", (int)(end - spec - 1), spec + 1);
		snprintf(port, psize, "%s", end + 2);
	} else if ((colon = strrchr(spec, ':'))) {
		snprintf(host, hsize, "%.*s", (int)(colon - spec), spec);
		snprintf(port, psize, "%s", colon + 1);
	} else {
		snprintf(host, hsize, "127.0.0.1");
		snprintf(port, psize, "%s", spec);
	}
	if (!*host)
		snprintf(host, hsize, "127.0.0.1");
	return *port && strspn(port, "0123456789") == strlen(port) && atoi(port) < 65536 ? 0 : -1;
}

static void sockaddr_text(const struct sockaddr *sa, socklen_t len, char *out, size_t size)
{
	char host[NI_MAXHOST], serv[NI_MAXSERV];

	if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV)) {
		snprintf(out, size, "?");
		return;
	}
	snprintf(out, size, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host, serv);
}

int tcp_listen(const char *spec, char *addr, size_t addrlen, char *err, size_t errlen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *res;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char host[256], port[16];
	int fd, one = 1, rc;

	if (split_spec(spec ? spec : "127.0.0.1:0", host, sizeof(host), port, sizeof(port))) {
		snprintf(err, errlen, "invalid TCP address '%s' (expected [HOST:]PORT)", spec);
		return -1;
	}
	if ((rc = getaddrinfo(host, port, &hints, &res))) {
		snprintf(err, errlen, "cannot resolve '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, res->ai_addr, res->ai_addrlen) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		snprintf(err, errlen, "cannot listen on '%s:%s': %s", host, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		freeaddrinfo(res);
		return -1;
	}
	freeaddrinfo(res);
	sockaddr_text((struct sockaddr *)&ss, sl, addr, addrlen);
	return fd;
}

int tcp_accept(int lfd, char *name, size_t namelen)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char peer[128];
	int one = 1;
	int fd = accept4(lfd, (struct sockaddr *)&ss, &sl, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (fd < 0)
		return -1;
	/* answers are small and awaited: send them at once */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	sockaddr_text((struct sockaddr *)&ss, sl, peer, sizeof(peer));
	snprintf(name, namelen, "tcp:%s", peer);
	return fd;
}

/* What both frame-grabber stand-ins (libpdv-sim.c, gentl-sim.c) do with
 * credsim's frame stream: connect to it, read a frame's bytes, and play a
 * grabber set for the wrong tap order. Header-only: each stand-in is one
 * shared object built from one .c file. */
#ifndef GRABBER_SIM_H
#define GRABBER_SIM_H

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define PIECE_WAIT_MS 2000 /* the rest of a frame, once its first byte came */

/* A connection to credsim's frame socket ($CRED_SIM_FRAMES), or -1. */
static int connect_frames(void)
{
	const char *path = getenv("CRED_SIM_FRAMES");
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd;

	if (!path || !*path || strlen(path) >= sizeof(a.sun_path))
		return -1;
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* When the environment variable env is set, the grabber is set for the
 * wrong tap order (or the cables are swapped): the two pixels of every tap
 * pair change places. */
static void scramble(const char *env, unsigned char *img, size_t size)
{
	const char *v = getenv(env);
	unsigned char t[2];

	if (!v || !*v)
		return;
	for (size_t i = 0; i + 4 <= size; i += 4) {
		memcpy(t, img + i, 2);
		memcpy(img + i, img + i + 2, 2);
		memcpy(img + i + 2, t, 2);
	}
}

/* Read n bytes into p (NULL: throw them away) once data flows. Returns the
 * bytes read: fewer at the end of the stream. */
static size_t read_all(int fd, unsigned char *p, size_t n)
{
	unsigned char sink[65536];
	size_t got = 0;

	while (got < n) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		size_t want = n - got;
		ssize_t r;

		if (!p && want > sizeof(sink))
			want = sizeof(sink);
		if (poll(&pf, 1, PIECE_WAIT_MS) <= 0)
			break;
		r = read(fd, p ? p + got : sink, want);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

#endif

/* The frame socket: a Unix stream socket that hands the camera stream to
 * whoever connects. Each client gets whole frames from the first one
 * produced after it connected, through its own buffer; a frame that does
 * not fit in a client's buffer is not sent to it (a gap in the frame
 * counter, as on a real link). Writes never block. */
#ifndef CREDSIM_STREAM_SOCK_H
#define CREDSIM_STREAM_SOCK_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fclient;

struct fsock {
	int fd;                  /* listening socket, -1: none */
	char path[108];          /* sun_path */
	char dir[PATH_MAX];      /* a directory we created for it, "" otherwise */
	struct fclient *clients;
	int nclients;
	bool stalled;            /* hold every write (a stall fault) */
	/* --stream-copy: what the oldest client was sent, byte for byte */
	FILE *copy;
	char copy_path[PATH_MAX], copy_tmp[PATH_MAX + 16];
	struct fclient *copy_owner;
	uint64_t copied;
	int verbose;
};

/* Listen at path (NULL: $TMPDIR/credsim-PID/frames, creating the folder if
 * the pty did not). copy: a file to write the stream copy to (it must not
 * exist; written under a temporary name, renamed by fsock_close), or
 * NULL. 0, or -1 with a message in err. */
int fsock_open(struct fsock *s, const char *path, const char *copy, char *err, size_t errlen);
/* Disconnect everyone, remove the socket (and our folder), finish the copy. */
void fsock_close(struct fsock *s);

/* True when some (any) or every (all) client can take len more bytes;
 * false without clients. */
bool fsock_room(const struct fsock *s, size_t len, bool all);
/* Queue a frame for every client with room; returns how many took it. */
int fsock_push(struct fsock *s, const uint8_t *frame, size_t len);
/* Write what the clients can take now. */
void fsock_flush(struct fsock *s);
/* Disconnect every client (the device went away). */
void fsock_drop_clients(struct fsock *s);

/* The poll loop: add descriptors (listener, clients), returns how many;
 * then hand back the same entries after poll. */
int fsock_poll_fds(struct fsock *s, struct pollfd *pfd, int max);
void fsock_poll_done(struct fsock *s, const struct pollfd *pfd, int n);

/* One line per client for `sim frames`: its name, bytes queued, frames sent
 * and not sent. */
void fsock_describe(const struct fsock *s, void (*line)(void *ctx, const char *text), void *ctx);

#endif

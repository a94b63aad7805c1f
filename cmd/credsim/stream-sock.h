/* The frame socket: a Unix stream socket that hands the camera stream to
 * whoever connects. Each client gets whole frames from the first one
 * produced after it connected, through its own queue; a frame that does
 * not fit in a client's queue is not sent to it (a gap in the frame
 * counter, as on a real link). Writes never block. Frames are rendered
 * once into shared buffers that every client's queue points to: nothing
 * is copied before write(). */
#ifndef CREDSIM_STREAM_SOCK_H
#define CREDSIM_STREAM_SOCK_H

#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fclient;

/* A frame buffer, shared by the queues that hold it. */
struct fbuf {
	struct fbuf *next_free;
	int refs;
	size_t cap;
	uint8_t data[];
};

struct fsock {
	int fd;                  /* listening socket, -1: none */
	char path[108];          /* sun_path */
	char dir[PATH_MAX];      /* a directory we created for it, "" otherwise */
	struct fclient *clients;
	int nclients;
	struct fbuf *free_bufs;
	bool stalled;            /* hold every write (a stall fault) */
	/* --stream-copy: what the oldest client was sent, byte for byte */
	FILE *copy;
	int copy_errno; /* the first write error of the copy (0: none) */
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
/* A buffer for a frame of size bytes to render into (one reference, the
 * caller's), or NULL when out of memory. */
struct fbuf *fsock_buffer(struct fsock *s, size_t size);
/* Queue len bytes of b for every client with room, then drop the caller's
 * reference; returns how many clients took it. */
int fsock_push(struct fsock *s, struct fbuf *b, size_t len);
/* Write what the clients can take now. */
void fsock_flush(struct fsock *s);
/* Disconnect every client (at the end). */
void fsock_drop_clients(struct fsock *s);
/* The stream ends for every client connected now (the device went away):
 * each is disconnected once what it was queued before is sent. */
void fsock_end_clients(struct fsock *s);

/* The poll loop: add descriptors (listener, clients), returns how many;
 * then hand back the same entries after poll. */
int fsock_poll_fds(struct fsock *s, struct pollfd *pfd, int max);
void fsock_poll_done(struct fsock *s, const struct pollfd *pfd, int n);

/* One line per client for `sim frames`: its name, bytes queued, frames sent
 * and not sent. */
void fsock_describe(const struct fsock *s, void (*line)(void *ctx, const char *text), void *ctx);

#endif

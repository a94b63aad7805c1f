/* Receivers: what a link's raw input bytes go to while a file transfer
 * runs (the interpreter is disabled meanwhile). A receiver produces the
 * command's answer when the transfer ends or times out. The raw sendfile
 * receiver lives here; other transfer protocols (XMODEM) plug in by
 * providing their own receiver_ops and ending in file_accept(). */
#ifndef CREDSIM_RECEIVER_H
#define CREDSIM_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct camera;
struct answer;
struct receiver;

struct receiver_ops {
	/* Take bytes; return how many were used. Set *done (and fill ans) when
	 * the transfer is over; unused bytes go back to the interpreter. */
	size_t (*feed)(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
		       struct answer *ans, bool *done);
	/* The deadline passed without the transfer ending: fill ans. */
	void (*expire)(struct receiver *rx, struct camera *cam, struct answer *ans);
	void (*free)(struct receiver *rx);
};

struct receiver {
	const struct receiver_ops *ops;
	int64_t deadline;     /* real ms */
	int idle_ms;          /* the deadline moves this far after each byte */
};

/* Inter-byte timeout of transfers, real milliseconds. */
#define TRANSFER_IDLE_MS 5000

/* `sendfile KIND SIZE MD5`: exactly size bytes, then the MD5 check. */
struct receiver *raw_receiver_new(const char *kind, size_t size, const char *md5, int64_t now);
/* A transfer this simulator cannot decode yet (XMODEM): swallow what comes
 * until the line is idle, then answer that the transfer failed. */
struct receiver *refusing_receiver_new(const char *what, int64_t now);

int64_t receiver_deadline(const struct receiver *rx);
void receiver_free(struct receiver *rx);
/* Push the deadline after activity. */
void receiver_touch(struct receiver *rx, int64_t now);

#endif

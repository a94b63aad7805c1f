/* Receivers: what a link's raw input bytes go to while a file transfer
 * runs (the interpreter is disabled meanwhile). A receiver produces the
 * command's answer when the transfer ends or times out. The raw sendfile
 * receiver lives here, the XMODEM one in xmodem-recv.c and the URL fetcher
 * in url-fetch.c; every one ends in file_accept().
 *
 * Between the sender and a receiver sits the line, which the transfer
 * faults (xfer-faults.h) may corrupt, shorten or cut. */
#ifndef CREDSIM_RECEIVER_H
#define CREDSIM_RECEIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "xfer-faults.h"

struct camera;
struct answer;
struct receiver;
struct link;

struct receiver_ops {
	/* Take bytes; return how many were used. Set *done (and fill ans) when
	 * the transfer is over; unused bytes go back to the interpreter. */
	size_t (*feed)(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
		       struct answer *ans, bool *done);
	/* The deadline passed. Return true when the transfer is over (ans
	 * filled); otherwise the receiver has moved its deadline on. */
	bool (*tick)(struct receiver *rx, struct camera *cam, int64_t now, struct answer *ans);
	void (*free)(struct receiver *rx);
};

struct receiver {
	const struct receiver_ops *ops;
	int64_t deadline;     /* real ms */
	int idle_ms;          /* the deadline moves this far after each byte used */
	struct link *link;    /* where protocol bytes (ACK, NAK ...) go */
	struct xfer_effect fx;/* the faults of this transfer */
	uint64_t line_pos;    /* bytes of the transfer that came down the line */
	size_t filtered;      /* bytes at the head of the link's input already
			       * through the line faults */
};

/* Inter-byte timeout of transfers, real milliseconds. */
#define TRANSFER_IDLE_MS 5000

/* Fill the common part of a receiver. */
void receiver_init(struct receiver *rx, const struct receiver_ops *ops, struct link *link,
		   const struct xfer_effect *fx, int idle_ms, int64_t now);

/* `sendfile KIND SIZE MD5`: exactly size bytes, then the MD5 check. */
struct receiver *raw_receiver_new(const char *kind, size_t size, const char *md5,
				  struct link *link, const struct xfer_effect *fx, int64_t now);
/* `xsendfile KIND SIZE MD5`: an XMODEM receiver (checksum or CRC-16,
 * 128- and 1024-byte blocks), then the size and MD5 checks. It starts by
 * sending 'C' on link. md5 NULL: size and MD5 unknown (exec uploadfirmware),
 * the 0x1A padding at the end is dropped. */
struct receiver *xmodem_receiver_new(const char *kind, size_t size, const char *md5,
				     struct link *link, const struct xfer_effect *fx, int64_t now);

/* `getbias URL` and the other URL commands (command names it in
 * messages): fetch url over HTTP, then keep it as kind. NULL with the
 * reason in err when the download cannot start. */
struct receiver *url_receiver_new(const char *kind, const char *command, const char *url,
				  struct link *link, const struct xfer_effect *fx, int64_t now,
				  char *err, size_t errlen);

int64_t receiver_deadline(const struct receiver *rx);
void receiver_free(struct receiver *rx);
/* Push the deadline after activity. */
void receiver_touch(struct receiver *rx, int64_t now);
/* Pass the fresh part of the link's input (buf, *len bytes; the first
 * rx->filtered of them have been through already) through the line. */
void receiver_line(struct receiver *rx, uint8_t *buf, size_t *len);
/* used bytes of the input were taken by the receiver. */
void receiver_used(struct receiver *rx, size_t used);
/* Lowercase copy of a 32-digit MD5 argument. */
void receiver_md5(char out[33], const char *md5);

#endif

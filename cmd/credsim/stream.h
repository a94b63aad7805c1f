/* The camera's frame output: when frames are produced, their counter, the
 * faults on the stream, and where they go (the frame socket, a USB
 * recording).
 *
 * Frames are produced only while the camera is operational, not in
 * external synchronisation (a simulator gets no signal), and, in triggered
 * acquisition (C-RED 3 `swsynchro on`), only nbframesperswtrig of them
 * after each `swtrig` until `swtrigabort`. Paced (the default), they are
 * due every 1/fps simulated seconds (so --time-scale speeds them up) and
 * the counter advances whether or not anyone reads: a reader too slow for
 * the rate misses frames, seen as counter gaps. Unpaced (--no-pacing), a
 * frame is produced whenever every client has room for it: as fast as the
 * readers go, never a gap. */
#ifndef CREDSIM_STREAM_H
#define CREDSIM_STREAM_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "camera.h"
#include "stream-faults.h"

struct frames;

struct frames_options {
	bool socket;               /* serve the frame socket */
	const char *socket_path;   /* NULL: $TMPDIR/credsim-PID/frames */
	const char *copy_path;     /* --stream-copy FILE, or NULL */
	bool unpaced;              /* --no-pacing */
	uint64_t seed;
	int verbose;
	/* USB recordings: what the host (credgrab) will use */
	size_t usb_transfer_size;
	int usb_transfers;
	bool usb_flush;
};

/* The frame output of cam. NULL with a message in err. */
struct frames *frames_new(struct camera *cam, const struct frames_options *o, char *err,
			  size_t errlen);
/* Close the socket (removing it), finish the stream copy. NULL is ignored. */
void frames_free(struct frames *f);
/* The socket path, or NULL without a socket. */
const char *frames_socket_path(const struct frames *f);
const struct frames_options *frames_options(const struct frames *f);

/* The poll loop: produce and send what is due; returns the poll timeout
 * it needs (ms), -1 for none. */
int frames_service(struct frames *f, int64_t now_ms);
int frames_poll_fds(struct frames *f, struct pollfd *pfd, int max);
void frames_poll_done(struct frames *f, const struct pollfd *pfd, int n);

/* Faults (stream-faults.h); without @N a fault hits the next frame. */
int frames_fault_add(struct frames *f, const char *spec, char *err, size_t errlen);
void frames_fault_clear(struct frames *f);
const struct ffault_list *frames_faults(const struct frames *f);

/* Why the camera sends no frames now, or NULL when it does. */
const char *frames_idle_reason(struct frames *f);

/* `sim frames`: one line of text per call of line. */
void frames_describe(struct frames *f, void (*line)(void *ctx, const char *text), void *ctx);

/* The next frames as the camera would send them now, back to back (no
 * pacing), with the faults applied, for an offline sink: up to max frames;
 * each one's bytes (after drops, corruption, truncation) and its fault
 * effect go to sink, which returns non-zero to stop (the device is gone).
 * Advances the camera's counter. Returns the number of frames produced;
 * *why says why it stopped early (NULL if it did not). */
typedef int (*frame_sink)(void *ctx, const uint8_t *data, size_t len, const struct ffault_effect *eff);
long frames_produce(struct frames *f, long max, frame_sink sink, void *ctx, const char **why);

#endif

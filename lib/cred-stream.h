/* Frame sources: where camera stream bytes come from (see cred-frame.h). */
#ifndef CRED_STREAM_H
#define CRED_STREAM_H

#include "cred-assembler.h"

/* ---- frame sources ------------------------------------------------------------ */

/* A source of camera stream bytes. Specs:
 *   file:PATH, PATH   a file holding a recorded stream
 *   -                 standard input (a pipe from another program)
 *   usb[:BUS.ADDR]    the C-RED's imaging interface through libusb: the one
 *                     matching device, or the one at bus BUS, address ADDR
 *   sim[:PATH]        the simulator's frame socket: a Unix stream socket on
 *                     which the simulated camera writes its camera stream
 *                     (above), starting on a frame boundary, from the moment
 *                     a client connects until it disconnects, at the frame
 *                     rate and with the geometry its settings say (cropping,
 *                     mode, imagetags), which a client reads over the
 *                     command port. Without PATH, the one in
 *                     $CRED_SIM_FRAMES (set by `credsim -- COMMAND`).
 * A Camera Link grabber is a further backend behind the same calls
 * (lib/stream-impl.h: open, start, read, stop, close). */
struct cred_stream;

struct cred_stream_options {
	/* USB (0 / -1 fields take the defaults) */
	int usb_vid, usb_pid;     /* 0: CRED_USB_VID/CRED_USB_PID (or their
				   * environment overrides) */
	int usb_interface;        /* -1: 0 */
	int usb_endpoint;         /* 0: 0x81 (bulk IN) */
	int usb_request_type;     /* -1: 0x40 (vendor, host to device) */
	int usb_start_request;    /* -1: 1 */
	int usb_stop_request;     /* -1: 2 */
	int transfers;            /* asynchronous transfers in flight, 0: 16 */
	size_t transfer_size;     /* bytes per transfer, a multiple of 1024, 0: 512
				   * KiB; with umockdev it must equal the recorded
				   * urb_len */
	int flush_ms;             /* stale-data flush before the start request: read
				   * until the line is quiet this long; -1: 50 ms,
				   * 0: no flush */
	/* files, pipes and sockets */
	size_t read_size;         /* bytes per read(), 0: 1 MiB */
	size_t keep;              /* keep this many stream bytes in memory right
				   * before each chunk (a contiguous assembler's
				   * lookahead), 0: no promise */
};

/* Fill opts with "use the default" values (the -1 and 0 above). */
CRED_API void cred_stream_options_init(struct cred_stream_options *opts);

/* Open the source named by spec. opts may be NULL. Errors: CRED_ERR_ARG
 * (bad spec), CRED_ERR_IO (cannot open), CRED_ERR_SUPP (no such USB
 * device, or several: the message lists them; libusb missing). */
CRED_API int cred_stream_open(const char *spec, const struct cred_stream_options *opts,
			      struct cred_stream **out);

/* Start the flow: USB flushes stale data, sends the start request and
 * submits the transfers. A no-op for files and pipes. */
CRED_API int cred_stream_start(struct cred_stream *s);

/* Wait up to timeout_ms (-1: forever) for the next chunk: returns its
 * length (> 0) with *data pointing into the stream's buffers, valid until
 * the next cred_stream_read or cred_stream_stop; 0 at the end of a file
 * or pipe; CRED_ERR_TIMEOUT when nothing came in time (the source is
 * idle) or a signal interrupted the wait (so the caller can look at its
 * flags); CRED_ERR_IO (read error, USB device gone: "connection lost"). */
CRED_API int cred_stream_read(struct cred_stream *s, const void **data, int timeout_ms);

/* 1 when every chunk is preceded in memory by opts->keep bytes of the
 * stream before it (files, pipes and sockets read into a ring buffer
 * mapped twice), so a contiguous assembler never copies; 0 otherwise
 * (USB transfers are separate buffers). */
CRED_API int cred_stream_contiguous(const struct cred_stream *s);

/* 1 when the source does not wait for its reader (a camera over USB or a
 * frame grabber, the simulator's socket): what is not read in time is
 * lost, so a reader must keep draining it (a cred_ring in DROP mode). 0
 * for files and pipes, which wait (a ring in WAIT mode loses nothing). */
CRED_API int cred_stream_live(const struct cred_stream *s);

/* Stop the flow (USB: stop request, cancel transfers). Safe to call twice. */
CRED_API int cred_stream_stop(struct cred_stream *s);

/* Stop if needed and free. NULL is ignored. */
CRED_API void cred_stream_close(struct cred_stream *s);

/* The name to show users ("usb:2.7", "standard input", "x.raw",
 * "sim:/tmp/s"). Owned by s. */
CRED_API const char *cred_stream_name(const struct cred_stream *s);

#endif

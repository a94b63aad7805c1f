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
 *   edt[:UNIT[:CHANNEL]]
 *                     an EDT frame grabber (VisionLink, PCIe DV) through
 *                     EDT's libpdv, loaded at run time: $CRED_EDT_LIB, else
 *                     libpdv.so from the library path or /opt/EDTpdv.
 *                     UNIT and CHANNEL default to 0.
 *   gentl:PRODUCER.cti[#INTERFACE[/DEVICE]]
 *                     a GenICam GenTL producer (Euresys, Basler, Matrox ...):
 *                     a .cti path, or a file name looked up in the folders
 *                     of $GENICAM_GENTL64_PATH; INTERFACE and DEVICE are an
 *                     index (from 0) or the producer's ID, by default the
 *                     first interface with a device and its first device.
 * Frame grabbers hand whole frames, not bytes: see
 * cred_stream_whole_frames and cred_stream_push. */
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
	/* frame grabbers (edt:, gentl:) */
	const struct cred_frame_format *format; /* the frames the camera sends:
				   * the grabber's configured width, height and
				   * depth must match (NULL: not checked) */
	int buffers;              /* buffers in the grabber's ring, 0: 16 */
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
 * the next cred_stream_read or cred_stream_stop (a frame grabber's chunk
 * is one whole frame in the grabber's own buffer, handed back to the
 * grabber at the next read; an EDT wait lasts at least a second); 0 at the end of a file
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

/* 1 when every chunk cred_stream_read returns is one whole frame buffer
 * as a frame grabber filled it (edt:, gentl:), 0 for byte streams. */
CRED_API int cred_stream_whole_frames(const struct cred_stream *s);

/* What the grabber said about the buffer cred_stream_read returned last
 * (all zero for byte streams). */
CRED_API void cred_stream_grab_info(const struct cred_stream *s, struct cred_grab_info *info);

/* Hand the chunk cred_stream_read just returned (len > 0 bytes at data,
 * arrived at timestamp) to the assembler the way the source asks:
 * cred_assembler_push for byte streams, cred_assembler_push_frame with the
 * grabber's info for whole frames. Then take frames with
 * cred_assembler_next. Returns what the push returns. */
CRED_API int cred_stream_push(const struct cred_stream *s, struct cred_assembler *a,
			      const void *data, size_t len, double timestamp);

/* Stop the flow (USB: stop request, cancel transfers). Safe to call twice. */
CRED_API int cred_stream_stop(struct cred_stream *s);

/* Stop if needed and free. NULL is ignored. */
CRED_API void cred_stream_close(struct cred_stream *s);

/* The name to show users ("usb:2.7", "standard input", "x.raw",
 * "sim:/tmp/s", "edt:0:0"). Owned by s. */
CRED_API const char *cred_stream_name(const struct cred_stream *s);

/* ---- what can be acquired from --------------------------------------------- */

/* One frame source found on this machine. Strings are never NULL ("" when
 * not known). */
struct cred_source_info {
	char *spec;     /* what cred_stream_open takes: "usb:2.7", "edt:0:1",
			 * "gentl:/opt/x.cti#IF0/DEV0" */
	char *kind;     /* "usb", "edt" or "gentl" */
	char *vendor, *model, *serial;
	char *where;    /* the grabber or producer behind it ("" for USB) */
};

/* The C-RED cameras on USB, the units and channels of EDT grabbers (when
 * libpdv loads) and the devices of every GenTL producer in
 * $GENICAM_GENTL64_PATH. Sources that cannot be looked at are left out;
 * *notes (malloc'd, may be NULL) says which and why, one line each.
 * Free with cred_source_list_free. */
CRED_API int cred_source_list(struct cred_source_info **list, size_t *count, char **notes);
CRED_API void cred_source_list_free(struct cred_source_info *list, size_t count);

#endif

/* Frames: image tags, frame geometry, assembling frames out of a headerless
 * byte stream, frame sources (a file, a pipe, USB), and reading and writing
 * frame files (raw, the y4m pipe stream, FITS, PNG).
 *
 * THE CAMERA STREAM (what a C-RED sends over USB, what credsim must send,
 * what `credgrab -o x.raw` writes back and what `credgrab -s file:x.raw`
 * reads):
 *
 *   A continuous run of frames with no header and no padding. A frame is
 *   height rows of width pixels, left to right and top to bottom; a pixel
 *   is 16 bits, little-endian, signed on C-RED 3 (unsigned in HDR extended
 *   mode), unsigned on C-RED One. width and height are those of the
 *   cropping window, except in the C-RED One multi-read modes, where a row
 *   is wider (cred_frame_format_from_readout). Chunk boundaries (USB
 *   transfers, read() sizes) carry no meaning: a frame may be split across
 *   any number of them.
 *
 *   With `imagetags on` the first pixels of every frame carry tags:
 *
 *   C-RED 3 (4 pixels, 8 bytes):
 *     pixel 0  frame counter, low 16 bits    } counter = p0 | p1 << 16,
 *     pixel 1  frame counter, high 16 bits   } +1 for every frame read
 *     pixel 2  0x0000 in CDS and HDR readout (otherwise mode-dependent)
 *     pixel 3  bits 15-3 all 1; bits 2-1 the integration capacitor (0 high
 *              gain/small, 1 medium, 2 low gain/large; 3 never occurs);
 *              bit 0 the frame marker input (trigger_in or CCx)
 *   C-RED One (3 pixels, 6 bytes):
 *     pixel 0-1 a 32-bit little-endian frame counter, as above
 *     pixel 2   the read position inside a multiple-read (NDR) burst
 *
 *   The counter wraps at 2^32. A gap in the counter is a dropped frame.
 *   Without tags (`imagetags off`) nothing marks a frame: the stream must
 *   then start on a frame boundary and no byte may ever be lost.
 *
 * Pixels are handed around as the camera's bytes (16-bit little-endian)
 * in struct cred_frame; cred_frame_pixel() reads one as a number. */
#ifndef CRED_FRAME_H
#define CRED_FRAME_H

#include <stddef.h>
#include <stdint.h>
#include "cred-error.h"
#include "cred-model.h"

/* ---- tags ---------------------------------------------------------------- */

enum cred_tag_kind {
	CRED_TAGS_NONE = 0,  /* imagetags off */
	CRED_TAGS_CRED3,     /* 4 tag pixels, see above */
	CRED_TAGS_CREDONE,   /* 3 tag pixels, see above */
};

/* What the tag pixels of one frame say. */
struct cred_tags {
	uint32_t counter;    /* frame counter */
	uint16_t pixel2;     /* C-RED 3: 0 in CDS/HDR; C-RED One: NDR read position */
	int gain_cap;        /* C-RED 3: integration capacitor 0-2; -1 on C-RED One */
	int marker;          /* C-RED 3: frame marker bit 0/1; -1 on C-RED One */
};

/* Bytes the tags of kind occupy at the start of a frame (8, 6 or 0). */
CRED_API size_t cred_tags_size(enum cred_tag_kind kind);

/* The signature checks a tag must pass (besides its kind's fixed bits). */
struct cred_tag_rules {
	int pixel2_zero;     /* C-RED 3: pixel 2 must be 0 (CDS and HDR readout) */
	int pixel2_max;      /* C-RED One: pixel 2 must be <= this (0: any value) */
};

/* Decode the tags at the start of data (len bytes available). Returns 1
 * and fills *out when the bytes carry a valid signature, 0 when they do
 * not (*out then holds what the bytes would say), CRED_ERR_ARG when len is
 * shorter than the tags or kind is CRED_TAGS_NONE. rules may be NULL (no
 * extra checks). C-RED One tags have no fixed bits: any bytes pass unless
 * rules->pixel2_max is set, which is why the assembler also asks for
 * counter continuity. */
CRED_API int cred_tags_decode(enum cred_tag_kind kind, const struct cred_tag_rules *rules,
			      const void *data, size_t len, struct cred_tags *out);

/* Write tags into the first pixels of a frame (len bytes available), the
 * way the camera does: for simulators and tests. gain_cap must be 0-2 and
 * marker 0-1 on C-RED 3; they are ignored on C-RED One. Returns CRED_OK or
 * CRED_ERR_ARG. */
CRED_API int cred_tags_encode(enum cred_tag_kind kind, const struct cred_tags *tags,
			      void *data, size_t len);

/* ---- frame geometry ------------------------------------------------------- */

/* How frames look on the wire. */
struct cred_frame_format {
	enum cred_model_id model;   /* CRED_MODEL_UNKNOWN is allowed */
	int width, height;          /* pixels per row (as sent) and rows, >= 1 */
	int pixel_signed;           /* 1: int16, 0: uint16 */
	enum cred_tag_kind tags;
	struct cred_tag_rules rules;
};

/* The frame size in bytes (width * height * 2). */
CRED_API size_t cred_frame_format_size(const struct cred_frame_format *fmt);

/* The full-sensor format of a model with tags on, as the camera starts:
 * C-RED 3 640x512 signed with C-RED 3 tags (pixel 2 zero: CDS), C-RED One
 * 320x256 unsigned with C-RED One tags. CRED_ERR_ARG for an unknown model. */
CRED_API int cred_frame_format_init(struct cred_frame_format *fmt, enum cred_model_id model);

/* Check a format: sizes within 1-65535 (and a frame of at most 1 GiB),
 * tags fitting in the first row. CRED_ERR_ARG with a message otherwise. */
CRED_API int cred_frame_format_check(const struct cred_frame_format *fmt);

/* The tag kind named "cred3", "cred3-any" (C-RED 3 tags, pixel 2 not
 * checked: NDR readout), "credone" or "none"; also sets rules. Returns
 * CRED_OK or CRED_ERR_ARG. */
CRED_API int cred_frame_format_set_tags(struct cred_frame_format *fmt, const char *name);

/* The camera settings that decide the geometry, as read from the camera
 * (`cropping`, `cropping columns`, `mode`, ...). Zero fields mean "not
 * known", which gives the defaults below. */
struct cred_readout {
	enum cred_model_id model;
	int columns, rows;      /* pixels selected (cropping on), 0: full sensor */
	int imagetags;          /* 1 on, 0 off, -1 unknown (taken as on) */
	/* C-RED 3 */
	int hdr_extended;       /* 1: unsigned pixels */
	int cds;                /* 1: CDS or HDR readout (pixel 2 is 0), -1 unknown */
	/* C-RED One */
	const char *mode;       /* `mode` answer: "globalresetcds", ...; NULL: single */
	int rawimages;          /* 1: every read is sent as its own frame */
	int nbreadworeset;      /* reads per ramp (bursts, rolling Nreadout) */
	int nsamplepixel;       /* IOTA: times a pixel is sampled */
	int nloop;              /* IOTA: times a line is read */
};

/* The wire format for these settings. Rows always equal the rows read.
 * Row width (w = selected columns):
 *   single read, CDS, bursts (raw or not)      w; in raw CDS and bursts
 *                                              every read is a frame and
 *                                              pixel 2 counts the reads
 *   rolling reset Nreadout (rollingresetnro,   N reads before and N after
 *   alias rollingresetcds), N = nbreadworeset  the reset, 32 invalid pixels
 *                                              between reads and 64 between
 *                                              the two groups:
 *                                              2*N*w + 64*N
 *   rolling reset IOTA                         w*nloop*nsamplepixel
 *                                              + 32*(nloop-1)
 * Returns CRED_OK or CRED_ERR_ARG (unknown model or mode, rows wider than
 * 65535 pixels); *fmt is all zero on failure. */
CRED_API int cred_frame_format_from_readout(const struct cred_readout *r,
					    struct cred_frame_format *fmt);

/* ---- frames ---------------------------------------------------------------- */

struct cred_frame {
	const void *data;      /* width*height 16-bit little-endian pixels */
	size_t size;           /* bytes */
	int width, height;
	int pixel_signed;
	uint64_t index;        /* 0, 1, 2, ... in order of delivery */
	int has_tags;          /* tags below come from the frame's pixels */
	struct cred_tags tags; /* without tags: counter = (uint32_t)index, rest -1/0 */
	double timestamp;      /* host time (seconds since the epoch, UTC) at which
				* the frame's last byte arrived; 0 if unknown */
};

/* Pixel i (0 <= i < width*height) as a number: -32768..32767 when signed,
 * 0..65535 otherwise. */
CRED_API int32_t cred_frame_pixel(const struct cred_frame *frame, size_t i);

/* ---- assembling frames from a headerless stream ------------------------------ */

struct cred_assembler;

struct cred_assembler_options {
	int lock_frames;     /* tags one frame apart needed to trust an alignment:
			      * 0 = default (2 for C-RED 3 tags, 3 for C-RED One
			      * tags, whose signature is weak) */
	uint32_t max_gap;    /* largest counter step accepted between two frames
			      * once aligned (0 = 1024); a larger one is taken
			      * as a bad tag and the stream is searched again */
	int contiguous;      /* the caller keeps bytes in place: in memory, right
			      * before each chunk, lie the cred_assembler_lookahead()
			      * stream bytes that came before it (a ring buffer
			      * mapped twice, see cred_stream_contiguous). Then
			      * nothing is ever copied: every frame points into
			      * the caller's memory. */
};

/* How the assembly went. */
struct cred_assembler_stats {
	uint64_t bytes;          /* bytes pushed */
	uint64_t frames;         /* frames delivered */
	uint64_t dropped;        /* frames missing between delivered frames (counter
				  * gaps): exact, also across a resynchronisation */
	uint64_t resyncs;        /* times the alignment was lost */
	uint64_t skipped_bytes;  /* bytes thrown away while searching */
	uint64_t counter_jumps;  /* counter went backwards or leapt by >= 2^31
				  * (camera restarted): gap not counted */
	int locked;              /* currently aligned */
};

/* An assembler for frames of fmt (copied). opts may be NULL. Memory is
 * bounded: at most (lock_frames + 1) frames are kept between pushes.
 *
 * The contract, designed so no misaligned frame is ever delivered:
 * - a frame is delivered only when the tag of the frame after it sits
 *   exactly one frame later and its counter follows (1..max_gap ahead), or
 *   at an idle point or the end of the stream when exactly one whole frame
 *   with a valid tag is pending (cred_assembler_flush);
 * - to (re)gain alignment it needs lock_frames tags one frame apart whose
 *   counters increase by exactly 1 (C-RED One) or by 1-16 (C-RED 3, whose
 *   tags have fixed bits); it scans byte by byte for them;
 * - a bad tag where one is expected throws alignment away (the frame
 *   before it is not delivered) and scanning starts again one byte on.
 * So a frame is delivered one frame late: with a slow or triggered stream
 * call cred_assembler_flush when the source goes quiet.
 * Without tags, frames are cut every frame size from the first byte. */
CRED_API int cred_assembler_new(const struct cred_frame_format *fmt,
				const struct cred_assembler_options *opts,
				struct cred_assembler **out);
/* Free the assembler; frames it handed out are invalid from then on.
 * NULL is ignored. */
CRED_API void cred_assembler_free(struct cred_assembler *a);

/* Hand the next chunk of the stream over (len may be 0). The assembler
 * reads it in place: it must stay valid and unchanged until
 * cred_assembler_next() returns 0 (contiguous mode: longer, see above).
 * timestamp is the host time the chunk arrived (stamped on frames
 * completed by it). CRED_ERR_ARG if the previous chunk was not used up. */
CRED_API int cred_assembler_push(struct cred_assembler *a, const void *data, size_t len,
				 double timestamp);

/* The next frame: returns 1 and fills *frame, or 0 when the pushed data
 * is used up (what is left of it is copied into the assembler). The
 * frame's data points into the pushed chunk when the whole frame lies in
 * it (no copy), else into the assembler; it stays valid until the next
 * call on a. */
CRED_API int cred_assembler_next(struct cred_assembler *a, struct cred_frame *frame);

/* The source has gone quiet (end 0) or ended (end 1): deliver the pending
 * frame if exactly one whole frame is pending, starts with a valid tag and
 * either follows an aligned frame or starts where the stream or the
 * previous flush left off. Returns 1 with *frame (valid until the next
 * call), or 0. With end set, everything left is then discarded (counted
 * in skipped_bytes). Call after cred_assembler_next returned 0. */
CRED_API int cred_assembler_flush(struct cred_assembler *a, int end, struct cred_frame *frame);

/* The most bytes the assembler keeps undecided between pushes (about
 * lock_frames frames): what a contiguous caller must keep valid. */
CRED_API size_t cred_assembler_lookahead(const struct cred_assembler *a);

/* The counts so far, and the format frames are cut to (both owned by a,
 * valid until it is freed). */
CRED_API const struct cred_assembler_stats *cred_assembler_stats(const struct cred_assembler *a);
CRED_API const struct cred_frame_format *cred_assembler_format(const struct cred_assembler *a);

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

/* Stop the flow (USB: stop request, cancel transfers). Safe to call twice. */
CRED_API int cred_stream_stop(struct cred_stream *s);

/* Stop if needed and free. NULL is ignored. */
CRED_API void cred_stream_close(struct cred_stream *s);

/* The name to show users ("usb:2.7", "standard input", "x.raw",
 * "sim:/tmp/s"). Owned by s. */
CRED_API const char *cred_stream_name(const struct cred_stream *s);

/* ---- frame files ------------------------------------------------------------ */

enum cred_file_type {
	CRED_FILE_UNKNOWN = 0,
	CRED_FILE_RAW,       /* the camera stream itself (frames back to back) */
	CRED_FILE_Y4M,       /* the self-describing pipe stream, see below */
	CRED_FILE_FITS,      /* FITS: a cube, or one image per file */
	CRED_FILE_FITS_FZ,   /* tile-compressed FITS (Rice, one tile per frame) */
	CRED_FILE_PNG,       /* 8-bit quick-look, percentile stretch */
};

/* The type a file name's extension implies (.raw .bin .y4m .fits .fit
 * .fts .fits.fz .png; case-insensitive), CRED_FILE_UNKNOWN otherwise. */
CRED_API enum cred_file_type cred_file_type_from_name(const char *name);
/* The type named "raw", "y4m", "fits", "fits.fz" or "png"; UNKNOWN otherwise. */
CRED_API enum cred_file_type cred_file_type_parse(const char *name);
/* The name cred_file_type_parse takes ("fits.fz"), "unknown" for anything
 * else. Static storage. */
CRED_API const char *cred_file_type_name(enum cred_file_type type);

/* THE PIPE STREAM (CRED_FILE_Y4M) is YUV4MPEG2 with 16-bit gray pixels,
 * so ffmpeg and ffplay can show it, plus X parameters for our readers:
 *
 *   YUV4MPEG2 W640 H512 F600:1 Ip A1:1 Cmono16 XMODEL=cred3 XSIGNED=1 XTINT=0.00166\n
 *   FRAME XCOUNT=1234 XTIME=1700000000.123456 XGAIN=0 XMARK=0\n
 *   <width*height*2 bytes: the camera's pixels, 16-bit little-endian>
 *   FRAME ...
 *
 * Header: F is the frame rate as a ratio (F0:0 unknown); XMODEL the model
 * key (cred3, credone, unknown); XSIGNED 1 when pixels are int16 (ffmpeg
 * shows them as unsigned); XTINT the integration time in seconds (absent
 * if unknown); XTAGS the tag kind when not the model's default. FRAME
 * line: XCOUNT the tag counter (absent without tags), XTIME the host
 * timestamp, XGAIN/XMARK the C-RED 3 capacitor and marker, XNDR the
 * C-RED One read position. Lines stay within ffmpeg's limits (header line
 * under 96 bytes, frame line under 80). */

/* A FITS header keyword passed in by the caller (the camera's state at the
 * start: fps, tint, gain or sensibility, cropping, temperatures, readout
 * mode, corrections, firmware, serial number, ...). value is text: unless
 * text is set, a number becomes a numeric keyword (an integer too long for
 * 64 bits stays a string), on/off/true/false a logical, anything else a
 * string. name is a FITS keyword (up to 8 of A-Z 0-9 - _; longer
 * names are written with the HIERARCH convention). comment may be NULL. */
struct cred_keyword {
	const char *name;
	const char *value;
	const char *comment;
	int text;      /* 1: always a string (serial numbers, versions, windows) */
};

struct cred_writer_options {
	enum cred_file_type type;        /* UNKNOWN: from the path's extension */
	struct cred_frame_format format; /* every frame written must match it */
	double fps;                      /* frame rate, 0 if unknown */
	double tint;                     /* integration time (s), 0 if unknown */
	const struct cred_keyword *keywords; /* FITS only; may be NULL */
	size_t nkeywords;
	int overwrite;                   /* replace existing files */
};

struct cred_frame_writer;

/* Open a writer. path:
 *   "-"                  standard output (RAW and Y4M only)
 *   NAME                 one file: RAW and Y4M streams, a FITS cube
 *                        (NAXIS3 grows with every frame; a per-frame binary
 *                        table FRAMES follows it), a PNG of one frame
 *   NAME with %d, %05d   one file per frame, the conversion replaced by
 *                        the frame's index (FITS 2-D images with the frame's
 *                        tags in the header, PNG, RAW)
 * Files are written under a temporary name in the same folder and renamed
 * into place by cred_frame_writer_close(), so an interrupted run never
 * leaves half a file under the final name; an existing file is replaced
 * only with opts->overwrite (otherwise CRED_ERR_ARG "'NAME' exists", at
 * open for a single file, at the frame for a pattern). Errors: CRED_ERR_ARG
 * (bad path, type or format), CRED_ERR_IO (cannot create), CRED_ERR_SUPP
 * (type cannot go to stdout, or hold several frames in one file). */
CRED_API int cred_frame_writer_open(const char *path, const struct cred_writer_options *opts,
				    struct cred_frame_writer **out);

/* Write one frame (its geometry must match the writer's format).
 * CRED_ERR_ARG (mismatch, a second frame for a one-frame type),
 * CRED_ERR_IO (disk full, broken pipe: errno kept). */
CRED_API int cred_frame_writer_write(struct cred_frame_writer *w, const struct cred_frame *frame);

/* Bring the file on disk up to date with the frames written so far (FITS:
 * NAXIS3, DATE-END, buffers flushed), e.g. while the source is quiet.
 * Writing does this by itself every second. */
CRED_API int cred_frame_writer_sync(struct cred_frame_writer *w);

/* Finish the file(s): FITS NAXIS3 and the FRAMES table, padding; rename
 * into place. Frees w whatever happens. A FITS cube holds exactly the
 * frames written, also after an early stop. Returns CRED_OK or an error
 * (the temporary file is removed then). */
CRED_API int cred_frame_writer_close(struct cred_frame_writer *w);

/* Throw the output away (remove the temporary file) and free w. */
CRED_API void cred_frame_writer_abort(struct cred_frame_writer *w);

/* Frames written so far. */
CRED_API uint64_t cred_frame_writer_count(const struct cred_frame_writer *w);

/* ---- reading frame files ---------------------------------------------------- */

struct cred_frame_reader;

/* Open frames for reading, recognised by content:
 *   "YUV4MPEG2 "  the pipe stream (geometry, model, signedness in-band)
 *   "SIMPLE  ="   FITS: the first image HDU with 2 or 3 axes (primary or
 *                 extension, tile-compressed too); a cube gives NAXIS3
 *                 frames; 16-bit data (BZERO 32768 = unsigned) or any other
 *                 BITPIX converted; counters come from a FRAMES table
 *   anything else the raw camera stream: hint gives the geometry and tags
 *                 (CRED_ERR_ARG without it), frames are assembled as from
 *                 the camera
 * path "-" is standard input (pipe stream or raw). hint may be NULL for
 * self-describing files. */
CRED_API int cred_frame_reader_open(const char *path, const struct cred_frame_format *hint,
				    struct cred_frame_reader **out);

/* Several files read one after another as one sequence (e.g. one FITS
 * file per frame); all must have the same geometry. */
CRED_API int cred_frame_reader_open_list(const char *const *paths, size_t n,
					 const struct cred_frame_format *hint,
					 struct cred_frame_reader **out);

/* The next frame: 1 with *frame (valid until the next call), 0 at the end,
 * or an error (CRED_ERR_DATA: a corrupt or inconsistent file). */
CRED_API int cred_frame_reader_next(struct cred_frame_reader *r, struct cred_frame *frame);

/* The geometry of the frames. */
CRED_API const struct cred_frame_format *cred_frame_reader_format(const struct cred_frame_reader *r);

/* For raw streams: the assembler's statistics (dropped frames...); NULL for
 * self-describing files. */
CRED_API const struct cred_assembler_stats *cred_frame_reader_stats(const struct cred_frame_reader *r);

/* Close the files (standard input stays open) and free r. NULL is ignored. */
CRED_API void cred_frame_reader_close(struct cred_frame_reader *r);

#endif

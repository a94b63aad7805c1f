/* Writing frame files: raw, the y4m pipe stream, FITS, PNG; and frames
 * into a milk ImageStreamIO shared-memory stream (cred-isio.h). */
#ifndef CRED_WRITER_H
#define CRED_WRITER_H

#include "cred-frame.h"

/* ---- frame files ------------------------------------------------------------ */

enum cred_file_type {
	CRED_FILE_UNKNOWN = 0,
	CRED_FILE_RAW,       /* the camera stream itself (frames back to back) */
	CRED_FILE_Y4M,       /* the self-describing pipe stream, see below */
	CRED_FILE_FITS,      /* FITS: a cube, or one image per file */
	CRED_FILE_FITS_FZ,   /* tile-compressed FITS (Rice, one tile per frame) */
	CRED_FILE_PNG,       /* 8-bit quick-look, percentile stretch */
	CRED_FILE_ISIO,      /* a milk ImageStreamIO 2.00 shared-memory stream */
	CRED_FILE_Y4M8,      /* 8-bit preview of the pipe stream, see below */
};

/* The type a file name's extension implies (.raw .bin .y4m .fits .fit
 * .fts .fits.fz .png; case-insensitive), CRED_FILE_ISIO for a name that
 * starts with "isio:", CRED_FILE_UNKNOWN otherwise. */
CRED_API enum cred_file_type cred_file_type_from_name(const char *name);
/* The type named "raw", "y4m", "y4m8", "fits", "fits.fz", "png" or
 * "isio"; UNKNOWN otherwise. (No extension implies y4m8: .y4m is the
 * exact 16-bit stream.) */
CRED_API enum cred_file_type cred_file_type_parse(const char *name);
/* Non-zero for the types that can go to standard output, frame after
 * frame (raw, y4m, y4m8). */
CRED_API int cred_file_type_streams(enum cred_file_type type);
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
 * under 96 bytes, frame line under 80).
 *
 * THE 8-BIT PREVIEW (CRED_FILE_Y4M8) is the same stream with Cmono, 8-bit
 * gray, in place of Cmono16: what players show as it is. Its FRAME lines
 * are bare ("FRAME\n"), since ffmpeg times frames by their place in the
 * stream and would duplicate some if the lines were longer. Pixels are
 * stretched linearly between the 0.5th and 99.5th percentiles (the tag
 * pixels left out; signed pixels taken as signed; in frames over 100,000
 * pixels from every (1 + pixels/100000)th one), like the PNG quick-look,
 * with limits that follow the frames smoothly (each frame
 * moves them 1/N of the way to its own percentiles, N the frames in half
 * a second at the stream's rate, 10 when it is unknown; the first frame,
 * and one whose range does not overlap them, set them at once). It is a
 * picture, not data: the frame readers refuse it. */

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
	int overwrite;                   /* replace existing files; ISIO: replace a
					  * stream of another shape, write into one
					  * another live process owns */
	unsigned buffer_slices;          /* ISIO: 0 one 2-D frame; N a 3-D circular
					  * buffer of N frames (z axis in time) */
};

struct cred_frame_writer;

/* AN IMAGESTREAMIO STREAM (CRED_FILE_ISIO; path "isio:NAME", or NAME with
 * type set) is the layout of milk's ImageStreamIO library version 2.00
 * (cred-isio.h says where its file lives). Pixels are uint16 or int16 as
 * the format says, size[0] the width, size[1] the height. A stream of the
 * same shape is reused as it is (its readers keep waiting on it); one of
 * another shape, or one a live process owns, is refused unless
 * overwrite. Every frame: write flag set, pixels copied into slice cnt0 %
 * N (slice 0 without a buffer), atime (the frame's arrival) and writetime
 * set (also in the per-slice arrays of a buffer), keywords FRAMECNT (the
 * frame's counter) and DROPS (gaps in the counter so far) updated, cnt1
 * the slice, cnt0 + 1, write flag cleared, every semaphore and the log
 * semaphore posted (up to 10). The keywords given in the options are
 * written at open (numbers as L or D, others as strings of up to 15
 * characters), with FRATE and EXPTIME. Closing, or aborting, leaves the
 * stream in place for its readers. */

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
 * CRED_ERR_IO (disk full, file size limit, broken pipe: errno kept). After
 * a failed write a RAW or Y4M file is cut back to its last whole frame and
 * can still be closed (kept with the frames written); any other file is
 * spoiled: further writes fail and close removes it. */
CRED_API int cred_frame_writer_write(struct cred_frame_writer *w, const struct cred_frame *frame);

/* Bring the file on disk up to date with the frames written so far (FITS:
 * NAXIS3, DATE-END, buffers flushed), e.g. while the source is quiet.
 * Writing does this by itself every second. */
CRED_API int cred_frame_writer_sync(struct cred_frame_writer *w);

/* Finish the file(s): FITS NAXIS3 and the FRAMES table, padding; rename
 * into place. Frees w whatever happens. A FITS cube holds exactly the
 * frames written, also after an early stop. Returns CRED_OK (the file is
 * in place) or an error (the temporary file is removed then: also for a
 * file a failed write spoiled, CRED_ERR_IO "'NAME' not kept: ..."). */
CRED_API int cred_frame_writer_close(struct cred_frame_writer *w);

/* Throw the output away (remove the temporary file) and free w. */
CRED_API void cred_frame_writer_abort(struct cred_frame_writer *w);

/* Set keyword k->name to k->value in the output now, e.g. when the
 * camera's state changes during a run (number or string, as at open).
 * ISIO only: the stream's keyword changes in place (its cnt grows) or
 * takes a free slot. CRED_ERR_SUPP for other types, CRED_ERR_ARG when no
 * slot is free or k is incomplete. For ISIO this and
 * cred_frame_writer_set_timing may be called from another thread while
 * frames are written (a camera watcher), never after close. */
CRED_API int cred_frame_writer_set_keyword(struct cred_frame_writer *w, const struct cred_keyword *k);

/* The frame rate (Hz) or integration time (s) changed during the run:
 * ISIO rewrites FRATE and EXPTIME (a value <= 0 is left as it is).
 * CRED_ERR_SUPP for other types. */
CRED_API int cred_frame_writer_set_timing(struct cred_frame_writer *w, double fps, double tint);

/* Frames written so far. */
CRED_API uint64_t cred_frame_writer_count(const struct cred_frame_writer *w);

#endif

/* Reading frame files back: raw, the y4m pipe stream, FITS. */
#ifndef CRED_READER_H
#define CRED_READER_H

#include "cred-assembler.h"

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

/* Asked for the format of a raw stream when one is found (after its first
 * bytes have arrived, so a grab that feeds a pipe has set its camera up):
 * fill *fmt and return CRED_OK, or return an error, which the open then
 * returns. */
typedef int (*cred_raw_format_fn)(void *user, struct cred_frame_format *fmt);

/* cred_frame_reader_open_list without a hint: ask(user, ...) gives the
 * format of raw input, and only if the input is raw (self-describing files
 * never call it). */
CRED_API int cred_frame_reader_open_ask(const char *const *paths, size_t n, cred_raw_format_fn ask,
					void *user, struct cred_frame_reader **out);

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

/* Frames: image tags, frame geometry and the frame itself. The objects that
 * move frames have a header each: cred-assembler.h (frames out of a
 * headerless byte stream), cred-stream.h (frame sources), cred-writer.h
 * and cred-reader.h (frame files).
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

#endif

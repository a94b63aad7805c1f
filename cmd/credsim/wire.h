/* What the camera puts on the wire, written from the manuals and nothing
 * else: the image tags and the row width of every readout. credsim keeps
 * its own copy on purpose: libcred decodes frames, and a misreading shared
 * by both would pass every test and fail on a real camera. Both are
 * checked against the same hand-worked bytes (tests/data/wire-vectors.tsv).
 *
 * C-RED 3 manual, "Tag generation": the first 4 pixels are replaced; the
 * first and second hold a frame counter incremented for every frame; the
 * third is 0x0000 in CDS and HDR readout; the fourth has its high bits set
 * to 1, the integration capacitor in bits 2-1 (0 high gain/small, 1
 * medium, 2 low gain/large) and the frame marker signal in bit 0.
 * C-RED One manual, `set imagetags on`: the first two pixels are a little
 * endian 32-bit frame counter, the third a 16-bit multiple read position. */
#ifndef CREDSIM_WIRE_H
#define CREDSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum wire_tags { WIRE_TAGS_NONE, WIRE_TAGS_CRED3, WIRE_TAGS_CREDONE };

struct wire_format {
	int width, height;   /* pixels per row as sent, rows */
	bool pixel_signed;
	enum wire_tags tags;
};

/* The tag pixels of one frame. */
struct wire_tag_values {
	uint32_t counter;
	uint16_t pixel2;     /* C-RED 3: 0 in CDS/HDR; C-RED One: read position */
	int capacitor;       /* C-RED 3 only: 0-2 */
	int marker;          /* C-RED 3 only: 0-1 */
};

/* Bytes the tags take at the start of a frame: 8, 6 or 0. */
size_t wire_tags_size(enum wire_tags kind);

/* Write the tags into out (at least wire_tags_size bytes). */
void wire_tags_put(enum wire_tags kind, const struct wire_tag_values *v, uint8_t *out);

/* The C-RED One readout modes (enum one_mode's order). */
enum wire_one_mode {
	WIRE_GLOBALRESETSINGLE, WIRE_GLOBALRESETCDS, WIRE_GLOBALRESETBURSTS,
	WIRE_ROLLINGRESETSINGLE, WIRE_ROLLINGRESETNRO, WIRE_ROLLINGRESETIOTA,
};

/* Pixels in a row the C-RED One sends for a window w pixels wide:
 *   single, CDS, bursts: w
 *   rolling reset Nreadout: N reads of the integrated line, 64 invalid
 *     pixels, N reads of the reset line, 32 invalid pixels between the
 *     reads of a group ("There are 32 invalid pixels between the multiple
 *     line readouts and 64 invalid pixels between the last integrated line
 *     readout and the first reset line readout"):
 *     2*N*w + 2*32*(N-1) + 64 = 2*N*w + 64*N
 *   IOTA, as printed: w * Nloop * Nsample + 32 * (Nloop - 1)
 * Returns -1 past 65535 pixels. */
long wire_one_row_width(int mode, int w, int nro, int nloop, int nsample);

#endif

/* Fuzz target: the frame assembler (lib/assemble.c) cutting a raw camera
 * stream into frames: tag search, alignment, resynchronisation, counter
 * gaps, chunks of any size (0 included), whole-frame pushes as from a
 * frame grabber, and the contiguous (zero-copy) mode.
 *
 * Input: 6 bytes of settings, then the stream.
 *   0: tags (0 none, 1 C-RED 3, 2 C-RED 3 with pixel 2 zero, 3 C-RED One),
 *      bit 2 signed pixels, bit 3 whole-frame pushes, bit 4 contiguous
 *   1: width - 8 (8..263 pixels)    2: height - 1 (1..16 rows)
 *   3: chunk sizes seed             4: lock_frames (0..3)
 *   5: max_gap (0: default, else 1..255)
 * Small frames, so that a short input holds many of them. */
#include "fuzz.h"
#include "cred-assembler.h"

static volatile uint32_t sink;

/* Touch every byte of the frame, so ASan sees a frame that reaches
 * outside the memory it points into. */
static void use_frame(const struct cred_frame *fr)
{
	const uint8_t *p = fr->data;
	uint32_t s = 0;

	for (size_t i = 0; i < fr->size; i++)
		s += p[i];
	if (fr->size)
		s += (uint32_t)cred_frame_pixel(fr, fr->size / 2 - 1);
	sink = s;
}

static void drain(struct cred_assembler *a)
{
	struct cred_frame fr;

	while (cred_assembler_next(a, &fr) > 0)
		use_frame(&fr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cred_frame_format fmt = { 0 };
	struct cred_assembler_options opts = { 0 };
	struct cred_assembler *a;
	struct cred_frame fr;
	uint32_t seed;
	size_t pos = 6, fsize;
	int whole;

	if (size < 6)
		return 0;
	switch (data[0] & 3) {
	case 0: fmt.tags = CRED_TAGS_NONE; break;
	case 1: fmt.tags = CRED_TAGS_CRED3; break;
	case 2: fmt.tags = CRED_TAGS_CRED3; fmt.rules.pixel2_zero = 1; break;
	default: fmt.tags = CRED_TAGS_CREDONE; fmt.rules.pixel2_max = data[5]; break;
	}
	fmt.pixel_signed = !!(data[0] & 4);
	whole = !!(data[0] & 8);
	opts.contiguous = !whole && (data[0] & 16);
	fmt.width = 8 + data[1];
	fmt.height = 1 + (data[2] & 15);
	seed = data[3] * 2654435761u + 1;
	opts.lock_frames = data[4] & 3;
	opts.max_gap = data[5];
	if (cred_frame_format_check(&fmt) < 0 || cred_assembler_new(&fmt, &opts, &a) < 0)
		return 0;
	fsize = cred_frame_format_size(&fmt);
	(void)cred_assembler_lookahead(a);
	while (pos < size) {
		size_t n;

		seed = seed * 1103515245u + 12345u;
		if (whole) {
			/* mostly whole frames, sometimes short or long ones */
			n = (seed >> 16) % 4 ? fsize : (seed >> 8) % (2 * fsize + 1);
		} else {
			n = (seed >> 16) % (2 * fsize + 2); /* 0 included */
		}
		if (n > size - pos)
			n = size - pos;
		if (whole) {
			struct cred_grab_info info = { .incomplete = !((seed >> 4) % 7),
						       .lost = (seed >> 8) % 3 == 0 };
			if (cred_assembler_push_frame(a, data + pos, n, pos, &info) < 0)
				break;
		} else if (cred_assembler_push(a, data + pos, n, pos) < 0) {
			break;
		}
		drain(a);
		if ((seed >> 12) % 16 == 0 && cred_assembler_flush(a, 0, &fr) > 0)
			use_frame(&fr);
		pos += n;
	}
	if (cred_assembler_flush(a, 1, &fr) > 0)
		use_frame(&fr);
	(void)cred_assembler_stats(a);
	cred_assembler_free(a);
	return 0;
}

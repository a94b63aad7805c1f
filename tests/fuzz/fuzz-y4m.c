/* Fuzz target: the y4m pipe stream reader (lib/y4m.c header and FRAME
 * lines, lib/frame-reader.c buffering), and the raw stream read with a
 * geometry hint. Input: byte 0 bit 0 picks the raw reading with a small
 * C-RED One geometry (32x4) as hint; the rest is the file. */
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cred_frame_format hint;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		cred_frame_format_init(&hint, CRED_MODEL_CREDONE);
		hint.width = 32;
		hint.height = 4;
		fuzz_read_frames(data + 1, size - 1, &hint);
	} else {
		fuzz_read_frames(data + 1, size - 1, NULL);
	}
	return 0;
}

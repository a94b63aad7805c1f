/* Shared by fuzz-fits.c and fuzz-y4m.c: read every frame of the input as
 * a file through the frame reader (lib/frame-reader.c), which recognises
 * FITS, the y4m pipe stream and the raw stream by content. */
#ifndef FUZZ_READER_H
#define FUZZ_READER_H

#include "fuzz.h"
#include "cred-reader.h"

static volatile uint32_t reader_sink;

static void fuzz_read_frames(const uint8_t *data, size_t size, const struct cred_frame_format *hint)
{
	struct cred_frame_reader *r;
	struct cred_frame fr;
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof(path));
	int n = 0;

	if (fd < 0)
		return;
	if (cred_frame_reader_open(path, hint, &r) == CRED_OK) {
		(void)cred_frame_reader_format(r);
		/* a cap: a tiny header may announce millions of frames, and a
		 * corrupt tile-compressed cube takes cfitsio long per frame */
		while (n++ < 16 && cred_frame_reader_next(r, &fr) > 0) {
			const uint8_t *p = fr.data;
			uint32_t s = 0;

			for (size_t i = 0; i < fr.size; i++)
				s += p[i];
			reader_sink = s;
		}
		(void)cred_frame_reader_stats(r);
		cred_frame_reader_close(r);
	}
	close(fd);
}

#endif

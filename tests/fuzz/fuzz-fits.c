/* Fuzz target: the FITS reader (lib/fits-reader.c through the frame
 * reader): the first image HDU with 2 or 3 axes, any BITPIX, BZERO, a
 * FRAMES table of counters (truncated, missing, odd column types). The
 * input is the file. cfitsio itself is not instrumented; our use of it
 * is. */
#include "reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read_frames(data, size, NULL);
	return 0;
}

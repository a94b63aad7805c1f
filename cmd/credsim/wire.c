/* The camera's tags and row widths (see wire.h). */
#include "wire.h"

#define C3_TAG_HIGH_BITS 0xfff8u  /* pixel 3 bits 15-3: "RFU (set to 1)" */
#define ONE_GAP 32                /* invalid pixels: the sensor's 32 outputs */
#define MAX_ROW 65535

size_t wire_tags_size(enum wire_tags kind)
{
	return kind == WIRE_TAGS_CRED3 ? 8 : kind == WIRE_TAGS_CREDONE ? 6 : 0;
}

static void pixel(uint8_t *out, int i, unsigned v)
{
	out[2 * i] = (uint8_t)(v & 0xff);        /* little endian */
	out[2 * i + 1] = (uint8_t)(v >> 8 & 0xff);
}

void wire_tags_put(enum wire_tags kind, const struct wire_tag_values *v, uint8_t *out)
{
	if (kind == WIRE_TAGS_NONE)
		return;
	pixel(out, 0, v->counter & 0xffff);
	pixel(out, 1, v->counter >> 16);
	pixel(out, 2, v->pixel2);
	if (kind == WIRE_TAGS_CRED3)
		pixel(out, 3, C3_TAG_HIGH_BITS | (unsigned)(v->capacitor & 3) << 1 |
			      (unsigned)(v->marker & 1));
}

long wire_one_row_width(int mode, int w, int nro, int nloop, int nsample)
{
	long n = nro > 0 ? nro : 1, loops = nloop > 0 ? nloop : 1, samples = nsample > 0 ? nsample : 1;
	long width = w;

	if (mode == WIRE_ROLLINGRESETNRO)
		width = 2 * n * w + 2 * ONE_GAP * n;
	else if (mode == WIRE_ROLLINGRESETIOTA)
		width = (long)w * loops * samples + ONE_GAP * (loops - 1);
	return width > MAX_ROW ? -1 : width;
}

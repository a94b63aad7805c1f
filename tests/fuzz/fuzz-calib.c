/* Fuzz target: the calibration file reader (lib/calib.c): validation of a
 * bias or flat file against a model and a window, and the decoders.
 *
 * Input: byte 0 picks the model (bit 0) and the kind (bits 1-3, an
 * unknown name included); bytes 1-2 and 3-4 the window's width and
 * height (little-endian, any value: the geometry rules are under test
 * too); the rest is the file. */
#include "fuzz.h"
#include "cred-calib.h"
#include "cred-model.h"

static const char *const kinds[] = {
	"bias", "flat", "bias_hdr_c1", "bias_hdr_c2", "flat_hdr_c1", "flat_hdr_c2", "nonsense", "",
};

static volatile double sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct cred_model *model;
	const struct cred_calib_kind *kind;
	struct cred_calib_report rep;
	int width, height;
	size_t len;

	if (size < 5)
		return 0;
	model = cred_model_get(data[0] & 1 ? CRED_MODEL_CREDONE : CRED_MODEL_CRED3);
	width = data[1] | data[2] << 8;
	height = data[3] | data[4] << 8;
	data += 5;
	len = size - 5;
	(void)cred_calib_kind_find(model, kinds[(data[-5] >> 1) & 7], &kind);
	if (cred_calib_validate(model, kinds[(data[-5] >> 1) & 7], width, height, data, len,
				&rep) == CRED_OK)
		sink = rep.mean + rep.min + rep.max;
	if (len / 2 <= 1 << 20) {
		uint16_t *v = malloc(len / 2 * sizeof(*v) + 1);
		double *f = malloc(len / 2 * sizeof(*f) + 1);

		if (v && cred_calib_bias_decode(data, len, v) == CRED_OK && len >= 2)
			sink = v[len / 2 - 1];
		if (f && cred_calib_flat_decode(data, len, f) == CRED_OK && len >= 2)
			sink = f[len / 2 - 1];
		free(v);
		free(f);
	}
	return 0;
}

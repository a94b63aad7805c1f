/* Fuzz target: the bad-pixel map reader (lib/bpm.c): a map from the
 * camera's bytes or from a file, then everything a tool does with one
 * (count, walk, stats with clusters, merge, subtract, copy).
 *
 * Input: byte 0 picks the model the map is read for (0 unknown: the size
 * decides, 1 C-RED 3, 2 C-RED One) and whether it is read as a file
 * (bit 2); the rest is the map (10,240 bytes for a C-RED One, 40,960 for
 * a C-RED 3; any other size is refused). */
#include "fuzz.h"
#include "cred-bpm.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum cred_model_id models[] = {
		CRED_MODEL_UNKNOWN, CRED_MODEL_CRED3, CRED_MODEL_CREDONE, CRED_MODEL_UNKNOWN,
	};
	struct cred_bpm *map = NULL, *copy = NULL, *diff = NULL;
	struct cred_bpm_stats st;
	size_t pos = 0, n = 0, len;
	int x, y, r;

	if (size < 1)
		return 0;
	if (data[0] & 4) {
		char path[64];
		int fd = fuzz_memfile(data + 1, size - 1, path, sizeof(path));

		if (fd < 0)
			return 0;
		r = cred_bpm_load(path, models[data[0] & 3], &map);
		close(fd);
	} else {
		r = cred_bpm_from_bytes(data + 1, size - 1, models[data[0] & 3], &map);
	}
	if (r < 0)
		return 0;
	(void)cred_bpm_bytes(map, &len);
	while (cred_bpm_next(map, &pos, &x, &y) > 0) {
		(void)cred_bpm_get(map, x, y);
		n++;
	}
	sink = n + cred_bpm_count(map);
	(void)cred_bpm_stats(map, &st);
	if (cred_bpm_dup(map, &copy) == CRED_OK) {
		(void)cred_bpm_set(copy, cred_bpm_width(map) - 1, cred_bpm_height(map) - 1, 1);
		(void)cred_bpm_set(copy, 0, 0, 0);
		(void)cred_bpm_merge(copy, map);
		if (cred_bpm_subtract(copy, map, &diff) == CRED_OK)
			sink = cred_bpm_count(diff);
	}
	cred_bpm_free(diff);
	cred_bpm_free(copy);
	cred_bpm_free(map);
	return 0;
}

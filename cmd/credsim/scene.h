/* The simulated sensor and the camera's image processing: from the
 * camera's settings to the bytes of every frame it sends.
 *
 * The scene is fixed for a run and deterministic from --seed: a sky
 * background with a gradient and a dozen stars, seen through a sensor with
 * fixed-pattern offsets, pixel gain and dark current non-uniformities and
 * a few defective pixels (on a C-RED 3 those of its factory bad pixel
 * map). Every frame adds noise (read, shot, reset) drawn from a table
 * seeded by --seed at an offset given by the frame counter, so the same
 * seed and settings always give the same frame for the same counter.
 *
 * The camera then applies its correction chain in the manual's order: bad
 * pixel (C-RED 3), bias, flat, ADU offset, clamps to its pixel format and
 * writes the image tags (wire.h: credsim's own reading of the manuals). */
#ifndef CREDSIM_SCENE_H
#define CREDSIM_SCENE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "camera.h"
#include "wire.h"

struct scene;

/* What the camera sends with its present settings. */
struct scene_info {
	bool ok;                      /* false: no valid frame (why says so) */
	char why[160];
	struct wire_format fmt;       /* the wire format (wire.h) */
	size_t frame_size;            /* bytes */
	int reads;                    /* wire frames per exposure (raw reads), >= 1 */
	double period;                /* seconds (wall time) between exposures */
	double read_gap;              /* between the wire frames of one exposure
				       * (reads > 1), else 0 */
	uint64_t generation;          /* changes whenever the plan is rebuilt */
};

/* A sensor for cam's model (its factory bad pixel map gives a C-RED 3's
 * defects). NULL when out of memory. */
struct scene *scene_new(const struct camera *cam, uint64_t seed);
void scene_free(struct scene *sc);

/* Follow the camera: rebuild the per-pixel plan when its settings, its
 * correction files or the sensor temperature changed. now: simulated
 * seconds. */
const struct scene_info *scene_update(struct scene *sc, const struct camera *cam, double now);

/* Write wire frame `counter`, read pos (0 .. reads-1) of its exposure,
 * into out (info->frame_size bytes). Call scene_update first. */
void scene_render(struct scene *sc, uint32_t counter, int pos, uint8_t *out);

#endif

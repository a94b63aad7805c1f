/* Bad-pixel maps: the C-RED 3's userbadpixel / factbadpixel file.
 *
 * One bit per sensor pixel, row-major from the top-left pixel, 8 pixels per
 * byte with bit 7 the leftmost of the 8, 1 = bad. The C-RED 3's map is
 * 40,960 bytes (640x512); a C-RED One has no map in the camera, but the
 * same layout at 320x256 (10,240 bytes) serves the user's own pipeline.
 * This is also the raster of a PBM P4 image of that size (without its
 * header), which is why the manual says ImageJ opens it.
 *
 * Coordinates are 0-based, x the column and y the row, as in the manual. */
#ifndef CRED_BPM_H
#define CRED_BPM_H

#include <stddef.h>
#include <stdint.h>
#include "cred-error.h"
#include "cred-model.h"
#include "cred-camera.h"

struct cred_bpm;

/* The size in bytes of a map of width x height (width * height / 8). */
CRED_API size_t cred_bpm_size_for(int width, int height);

/* A new empty map (no bad pixel). width must be a multiple of 8 and both
 * within 8-65528 / 1-65535. Returns CRED_OK, CRED_ERR_ARG, CRED_ERR_MEM;
 * *out is NULL on failure. Free with cred_bpm_free. */
CRED_API int cred_bpm_new(int width, int height, struct cred_bpm **out);

/* A map from the camera's bytes (copied). model gives the geometry; with
 * CRED_MODEL_UNKNOWN the size decides (40,960: 640x512, 10,240: 320x256).
 * CRED_ERR_DATA when the size is not the model's (or neither size); the
 * message gives both sizes. */
CRED_API int cred_bpm_from_bytes(const void *data, size_t len, enum cred_model_id model,
				 struct cred_bpm **out);

/* A map from a binary map file, as cred_bpm_from_bytes. CRED_ERR_IO when
 * it cannot be read (a folder, missing: the message names the file),
 * CRED_ERR_DATA when its size is wrong. */
CRED_API int cred_bpm_load(const char *path, enum cred_model_id model, struct cred_bpm **out);

/* Check that len bytes are a map for model (CRED_MODEL_UNKNOWN: either
 * size). Returns CRED_OK or CRED_ERR_DATA with a message. */
CRED_API int cred_bpm_check_size(size_t len, enum cred_model_id model);

/* A copy of map. */
CRED_API int cred_bpm_dup(const struct cred_bpm *map, struct cred_bpm **out);

CRED_API void cred_bpm_free(struct cred_bpm *map);

CRED_API int cred_bpm_width(const struct cred_bpm *map);
CRED_API int cred_bpm_height(const struct cred_bpm *map);

/* The camera's bytes (owned by map, valid until it changes or is freed);
 * *len gets their count. */
CRED_API const uint8_t *cred_bpm_bytes(const struct cred_bpm *map, size_t *len);

/* 1 if pixel (x, y) is bad, 0 if good, CRED_ERR_ARG outside the map. */
CRED_API int cred_bpm_get(const struct cred_bpm *map, int x, int y);

/* Mark pixel (x, y) bad (bad != 0) or good. CRED_OK or CRED_ERR_ARG
 * outside the map (message gives the geometry). */
CRED_API int cred_bpm_set(struct cred_bpm *map, int x, int y, int bad);

/* Number of bad pixels. */
CRED_API size_t cred_bpm_count(const struct cred_bpm *map);

/* Iterate over the bad pixels in file order: start with *pos = 0; each
 * call returns 1 with the next bad pixel in *x, *y (and advances *pos),
 * or 0 when there is none left. */
CRED_API int cred_bpm_next(const struct cred_bpm *map, size_t *pos, int *x, int *y);

/* dst |= src (a pixel bad in either is bad). CRED_ERR_ARG when the
 * geometries differ. */
CRED_API int cred_bpm_merge(struct cred_bpm *dst, const struct cred_bpm *src);

/* The pixels bad in a and good in b, as a new map (*out). Diff two maps
 * with it both ways: added = cred_bpm_subtract(new, old), removed =
 * cred_bpm_subtract(old, new). CRED_ERR_ARG when the geometries differ. */
CRED_API int cred_bpm_subtract(const struct cred_bpm *a, const struct cred_bpm *b,
			       struct cred_bpm **out);

/* What a map means for the camera's correction, which replaces a bad
 * pixel with its left or right neighbour. */
struct cred_bpm_stats {
	size_t bad;             /* bad pixels */
	size_t pixels;          /* pixels in the map */
	size_t clusters;        /* groups of 2 or more bad pixels touching (8 neighbours) */
	size_t clustered;       /* bad pixels in those groups */
	size_t largest;         /* pixels in the largest group (1 when all are isolated, 0 if none) */
	size_t unfixable;       /* bad pixels with no good left or right neighbour */
};

/* Fill *st. CRED_OK or CRED_ERR_MEM. */
CRED_API int cred_bpm_stats(const struct cred_bpm *map, struct cred_bpm_stats *st);

/* ---- in the camera (bpm-camera.c) ----------------------------------------- */

/* Whether cam can transfer its bad pixel maps (recvfile/sendfile
 * userbadpixel, recvfile factbadpixel): a C-RED 3 with firmware 1.1.0 or
 * later, as the command table says. CRED_OK, or CRED_ERR_SUPP with a
 * message that says why (model, or firmware and the version needed). */
CRED_API int cred_bpm_camera_check(struct cred_camera *cam);

/* Download the user (factory 0) or factory (factory 1) map of cam, its
 * size and MD5 checked (cred_transfer_download), as a map (*out).
 * Errors: those of cred_bpm_camera_check and cred_transfer_download, and
 * CRED_ERR_DATA when the camera's file is not a map for its model. */
CRED_API int cred_bpm_camera_download(struct cred_camera *cam, int factory, struct cred_bpm **out);

#endif

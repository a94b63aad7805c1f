/* The camera's correction files as its image processing reads them: the
 * one place that knows their formats (files.h stores them as received).
 *
 *   bias            one 16-bit little-endian value per sensor pixel, left to
 *                   right and top to bottom, subtracted from the pixel
 *   flat            one 16-bit little-endian fixed-point gain per sensor
 *                   pixel: integer part in bits 15-13, fraction in bits
 *                   12-0, so gain = raw / 8192 (0x2000 is 1.0)
 *   userbadpixel    one bit per sensor pixel, most significant bit first,
 *                   1 for a bad pixel (C-RED 3 only)
 *
 * Pixel indexes are sensor indexes (y * sensor width + x), not window ones. */
#ifndef CREDSIM_SCENE_NUC_H
#define CREDSIM_SCENE_NUC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLAT_SHIFT 13
#define FLAT_ONE (1 << FLAT_SHIFT)

static inline int32_t nuc_bias_at(const uint8_t *file, size_t pixel)
{
	return (int32_t)(file[2 * pixel] | file[2 * pixel + 1] << 8);
}

/* The gain in FLAT_SHIFT fixed point: multiply, then shift right. */
static inline int32_t nuc_flat_at(const uint8_t *file, size_t pixel)
{
	return (int32_t)(file[2 * pixel] | file[2 * pixel + 1] << 8);
}

static inline bool nuc_bad_at(const uint8_t *map, size_t pixel)
{
	return map[pixel / 8] & (0x80 >> (pixel % 8));
}

#endif

/* Files that reach the camera: the one place a received file is checked
 * and stored, whatever carried it (raw sendfile, XMODEM, a URL).
 *
 * Bias and flat files (bias, flat, and on a C-RED 3 bias_hdr_c1/c2 and
 * flat_hdr_c1/c2) hold one 16-bit little-endian value per pixel of the
 * camera's current window ("the actual sensor geometry"), row by row. The
 * camera keeps them placed on the full sensor (the image processing reads
 * them by sensor pixel: scene-nuc.h): pixels outside the window get the
 * neutral value, 0 for a bias, 1.0 (0x2000) for a flat. */
#ifndef CREDSIM_FILES_H
#define CREDSIM_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "camera.h"

/* Kinds a model accepts: "bias", "flat_hdr_c1", "userbadpixel",
 * "license:NAME", "testpattern" (C-RED One). True if known. */
bool file_kind_known(const struct camera *cam, const char *kind);
/* Size a kind must have now (0: any size up to FILE_MAX). */
size_t file_kind_size(const struct camera *cam, const char *kind);
#define FILE_MAX (16u << 20)
/* Check and store a received file: 0, or -1 with the reason in msg. */
int file_accept(struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		char *msg, size_t size);

/* A test pattern archive (C-RED One gettestpattern): a tar.gz holding
 * the 32 images 00 to 31. 0, or -1 with the reason in msg. */
int testpattern_check(const uint8_t *data, size_t len, char *msg, size_t size);
/* Keep the checked archive's 32 images for the frame output (cam->pattern). */
void testpattern_load(struct camera *cam, const uint8_t *data, size_t len);

/* A firmware release (firmware.c): a tar.gz with a `version` file X.Y.Z.
 * Installs it and reboots the camera: 0, or -1 with the reason in msg. */
int firmware_install(struct camera *cam, const uint8_t *data, size_t len, char *msg, size_t size);

#endif

/* Files that reach the camera: the one place a received file is checked
 * and stored, whatever carried it (raw sendfile, XMODEM, a URL). */
#ifndef CREDSIM_FILES_H
#define CREDSIM_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "camera.h"

/* Kinds a model accepts by sendfile: "bias", "flat_hdr_c1", "userbadpixel",
 * "license:NAME". True if known. */
bool file_kind_known(const struct camera *cam, const char *kind);
/* Size a kind must have (0: any size up to FILE_MAX). */
size_t file_kind_size(const struct camera *cam, const char *kind);
#define FILE_MAX (16u << 20)
/* Check and store a received file: 0, or -1 with the reason in msg. */
int file_accept(struct camera *cam, const char *kind, const uint8_t *data, size_t len,
		char *msg, size_t size);

#endif

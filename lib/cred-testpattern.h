/* C-RED One test patterns: in testpattern mode the camera sends a loop of
 * 32 images it fetched with `gettestpattern URL`: a tar.gz whose files are
 * named 00 to 31.
 *
 * Format assumption (the manual names the files, not their content): each
 * image is one full-sensor frame, 320x256 16-bit little-endian pixels row
 * by row (163840 bytes), as the camera sends frames. */
#ifndef CRED_TESTPATTERN_H
#define CRED_TESTPATTERN_H

#include <stddef.h>
#include "cred-camera.h"
#include "cred-reader.h"
#include "cred-transfer.h"

#define CRED_TESTPATTERN_IMAGES 32

/* Build the archive from the frames of r, which must have the model's
 * full-sensor geometry: fewer than 32 frames are repeated in order, more
 * than 32 are an error. *tgz is malloc'd (free it). *frames (may be NULL)
 * gets the number of frames read. Errors: CRED_ERR_ARG (wrong geometry,
 * no frame, more than 32: the message says which), CRED_ERR_SUPP (model
 * without test patterns), the reader's errors, CRED_ERR_MEM. */
CRED_API int cred_testpattern_build(struct cred_frame_reader *r, enum cred_model_id model,
				    void **tgz, size_t *len, size_t *frames);

/* Serve the archive once over HTTP and send `gettestpattern URL`
 * (cred_transfer_upload, method URL). opts may be NULL. Errors: those of
 * cred_transfer_upload; CRED_ERR_SUPP on a C-RED 3. */
CRED_API int cred_testpattern_upload(struct cred_camera *cam, const void *tgz, size_t len,
				     const struct cred_transfer_options *opts);

#endif

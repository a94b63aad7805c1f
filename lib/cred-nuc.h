/* The camera's own correction builds (bias and flat "NUC" files).
 *
 * C-RED 3 firmware 1.1.0 and later build in the background: `buildnuc
 * KIND N` starts a build from N frames, `buildnuc progress` gives the
 * estimated seconds left, `buildnuc abort` stops it; while it runs the
 * camera refuses other commands. Older firmware and the C-RED One only
 * have `exec buildbias` and `exec buildflat [hdr_c1|hdr_c2]`, which answer
 * once the file is built and cannot be stopped.
 *
 * KIND is "bias", "flat", "flat_hdr_c1" or "flat_hdr_c2" (the HDR flats
 * only on a C-RED 3). */
#ifndef CRED_NUC_H
#define CRED_NUC_H

#include "cred-camera.h"

/* Frames a background build takes (`buildnuc KIND N`). */
#define CRED_NUC_FRAMES_MIN 10
#define CRED_NUC_FRAMES_MAX 256

/* 1 when the camera builds in the background (its model has `buildnuc`
 * and its firmware is recent enough), 0 when it only has the exec
 * builds. */
CRED_API int cred_nuc_background(const struct cred_camera *cam);

/* Start a background build of kind from frames frames (0: 256). Returns
 * CRED_OK once the camera took it; CRED_ERR_ARG (unknown kind, frames out
 * of 10-256), CRED_ERR_SUPP (no background builds: see
 * cred_nuc_background), CRED_ERR_FAIL (refused: the camera's words), the
 * client's errors. */
CRED_API int cred_nuc_start(struct cred_camera *cam, const char *kind, int frames);

/* The seconds the running build still needs, by the camera's estimate (0
 * when none runs or it has just ended). The answer must be a plain
 * non-negative number; anything else is asked once more, then
 * CRED_ERR_PROTO. */
CRED_API int cred_nuc_progress(struct cred_camera *cam, double *seconds_left);

/* After the estimate reached 0 the camera may still be writing the file:
 * 1 while it refuses an ordinary command (it is still busy), 0 once it
 * answers again, or the client's error. */
CRED_API int cred_nuc_busy(struct cred_camera *cam);

/* Stop the running build (`buildnuc abort`). A clean-up: it is sent even
 * while the cancel flag (cred-cancel.h) is set. */
CRED_API int cred_nuc_abort(struct cred_camera *cam);

/* Build with `exec buildbias` / `exec buildflat [hdr_c1|hdr_c2]` and wait
 * for the camera's answer (up to the command's own timeout: 2 minutes).
 * The camera averages what 2 s of frames give, up to 256. Errors:
 * CRED_ERR_ARG (unknown kind), CRED_ERR_SUPP (an HDR flat on a C-RED One),
 * CRED_ERR_FAIL (refused), the client's errors. */
CRED_API int cred_nuc_build_legacy(struct cred_camera *cam, const char *kind);

#endif

/* A camera: a port, a protocol client and a detected model, with typed,
 * validated get/set on top. */
#ifndef CRED_CAMERA_H
#define CRED_CAMERA_H

#include "cred-cli.h"
#include "cred-model.h"

struct cred_camera;

struct cred_camera_options {
	const char *port;         /* spec; NULL: $CRED_PORT, else "auto" */
	enum cred_model_id model; /* CRED_MODEL_UNKNOWN: detect with cameratype */
	int timeout_ms;           /* 0: default */
	int lock_wait_ms;         /* see cred_port_options */
};

/* Open the port, make a client, resynchronise, detect the model (unless
 * forced) and read the firmware version. */
CRED_API int cred_camera_open(const struct cred_camera_options *opts, struct cred_camera **out);
CRED_API void cred_camera_close(struct cred_camera *cam);

CRED_API struct cred_cli *cred_camera_cli(struct cred_camera *cam);
CRED_API const struct cred_model *cred_camera_model(const struct cred_camera *cam);
/* Firmware version string ("3.1.1"), "" if the camera did not say. */
CRED_API const char *cred_camera_firmware(const struct cred_camera *cam);

/* Read a parameter by name: *value is malloc'd raw text ("600", "on"). */
CRED_API int cred_camera_get(struct cred_camera *cam, const char *name, char **value);

/* Validate against the camera's live limits (minfps/maxfps, mintint/
 * maxtint, ...) before sending: CRED_ERR_ARG with the allowed range in the
 * message. Then send, and read the value back into *readback (may be NULL;
 * malloc'd). */
CRED_API int cred_camera_set(struct cred_camera *cam, const char *name, const char *value, char **readback);

/* Several settings at once, applied in the order the camera needs (fps
 * before tint, since `set fps` resets tint; cropping columns and rows
 * separately, before fps). All values are validated before any is sent. */
CRED_API int cred_camera_set_many(struct cred_camera *cam, const char *const *names,
				  const char *const *values, size_t n);

/* The camera's state word ("operational", "prevsafe", ...), malloc'd. */
CRED_API int cred_camera_status(struct cred_camera *cam, char **state);

#endif

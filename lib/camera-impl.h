/* Internal: struct cred_camera and the helpers shared by camera.c (open,
 * get, limits, status) and camera-set.c (validated set). Not exported. */
#ifndef CRED_CAMERA_IMPL_H
#define CRED_CAMERA_IMPL_H

#include "cred-camera.h"
#include "error-impl.h"

struct cred_camera {
	struct cred_cli *cli;
	const struct cred_model *model;
	char firmware[64]; /* "" when the camera did not say */
};

/* The parameter called name on this camera's model; writing: it must be
 * settable. CRED_ERR_ARG (unknown, read-only) or CRED_ERR_SUPP (write-only
 * when reading). */
int cred_camera_param(struct cred_camera *cam, const char *name, int writing,
		 const struct cred_param **out);

/* CRED_ERR_SUPP when the camera's firmware is older than what param (and
 * value, when setting) needs. An unknown firmware passes. */
int cred_camera_firmware_gate(struct cred_camera *cam, const struct cred_param *param,
			 const char *value);

/* "<get_cmd> raw" (then get_alt if the camera rejects the first spelling);
 * SWITCH answers reduced to "on"/"off". *value malloc'd. */
int cred_camera_read(struct cred_camera *cam, const struct cred_param *param, char **value);

/* A setting's current value, or *value NULL when the camera cannot tell
 * (unknown name, firmware too old, rejected, unexpected answer): only a
 * lost link is an error. */
int cred_camera_current(struct cred_camera *cam, const char *name, char **value);

/* The live limits of param (NAN / 0 where the camera gives none). */
int cred_camera_live_limits(struct cred_camera *cam, const struct cred_param *param,
		       double *lo, double *hi, double *step);

/* The state word of a `status raw` answer (changed in place): lowercase,
 * "presave" read as "prevsafe"; *state malloc'd. CRED_ERR_PROTO when the
 * answer has none. */
int cred_camera_parse_status(char *answer, char **state);

#endif

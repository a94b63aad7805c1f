/* A camera: a port, a protocol client and a detected model, with typed,
 * validated get/set on top. */
#ifndef CRED_CAMERA_H
#define CRED_CAMERA_H

#include "cred-cli.h"
#include "cred-frame.h"
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
/* Open the port and a protocol client only: no resynchronisation, no
 * model detection, nothing sent. For lines that must reach a camera that
 * may stay silent (powered off, booting: `sim power on` to the simulator);
 * the first command's timeout then tells whether anybody answers. The
 * client's model is opts->model (CRED_MODEL_UNKNOWN: any model's command
 * timeouts). *out (free it with cred_cli_free, which releases the port's
 * lock) is NULL on failure. Errors: the port's (cred_port_open). */
CRED_API int cred_camera_open_cli(const struct cred_camera_options *opts, struct cred_cli **out);
/* Free the camera, its client and its port (releasing the port's lock).
 * NULL is ignored. */
CRED_API void cred_camera_close(struct cred_camera *cam);

/* Make a camera on an existing client (a port opened some other way, a
 * test's socketpair): the camera owns cli from then on, also on failure.
 * model CRED_MODEL_UNKNOWN detects it with `cameratype raw`; the firmware
 * is read with `version firmware raw` ("" when the camera rejects it).
 * Errors: CRED_ERR_PROTO (camera type not recognised: use -m), the
 * client's errors. cred_camera_open is this after opening the port. */
CRED_API int cred_camera_new(struct cred_cli *cli, enum cred_model_id model,
			     struct cred_camera **out);

/* The camera's protocol client, for raw commands (owned by cam: do not
 * free it). */
CRED_API struct cred_cli *cred_camera_cli(struct cred_camera *cam);
/* The model the camera was opened as (static data). */
CRED_API const struct cred_model *cred_camera_model(const struct cred_camera *cam);
/* Firmware version string ("3.1.1"), "" if the camera did not say. */
CRED_API const char *cred_camera_firmware(const struct cred_camera *cam);

/* The format of the frames the camera sends now (geometry, pixel
 * signedness, tags), from its settings: cropping, imagetags, HDR
 * (C-RED 3), readout mode and reads (C-RED One); a setting the firmware
 * does not know counts as its default. Returns CRED_OK, or on failure
 * (*fmt all zero) the client's errors (no answer, lost link, cancelled) or
 * CRED_ERR_ARG (a readout mode this library cannot lay out). */
CRED_API int cred_camera_frame_format(struct cred_camera *cam, struct cred_frame_format *fmt);

/* Read a parameter by name: *value is malloc'd raw text ("600", "on").
 * SWITCH parameters read as "on" or "off" even when the camera adds more
 * (C-RED One `cropping raw` answers "on:c0-c1:r0-r1"). The answer must
 * have the form of the parameter's row (cred_param_check_answer); out of
 * form it is asked once more (read-only commands), then it is
 * CRED_ERR_PROTO, "garbled answer to '<cmd> raw' ...: "<what came>"
 * (expected ...)". A row flagged CRED_PARAM_CONFIRM is read twice and the
 * answers must agree (a third read decides; else CRED_ERR_PROTO quoting
 * all three). Errors: CRED_ERR_ARG (unknown name), CRED_ERR_SUPP
 * (write-only, or needs newer firmware), CRED_ERR_PROTO, the client's
 * errors. */
CRED_API int cred_camera_get(struct cred_camera *cam, const char *name, char **value);

/* The limits a value of name must respect right now: the static range,
 * with each bound the camera can tell replaced by its live answer (minfps,
 * maxfps, maxpossiblegain, stepsyncdelay, ...). The low and high bounds
 * are NAN when open, the step 0 when there is no granularity; any of the
 * three pointers may be NULL. On failure the bounds are NAN and the step
 * 0. Errors: CRED_ERR_ARG (unknown or read-only name), the client's. */
CRED_API int cred_camera_limits(struct cred_camera *cam, const char *name,
				double *lo, double *hi, double *step);

/* Validate against the camera's live limits (minfps/maxfps, mintint/
 * maxtint, ...) before sending: CRED_ERR_ARG with the allowed range in the
 * message. Then send, and read the value back into *readback (may be NULL;
 * malloc'd; NULL for write-only parameters). Also: CRED_ERR_SUPP when the
 * value needs newer firmware than the camera's (the message names both
 * versions; nothing is sent); CRED_ERR_ARG for a C-RED 3 HDR window under
 * 96x72 (checked against the camera's current cropping and HDR state);
 * CRED_ERR_FAIL when the camera rejects the command, or accepts an on/off
 * setting but reads back the other state (HDR without its license).
 * Switch and choice values are sent in the table's spelling ("ON" -> on). */
CRED_API int cred_camera_set(struct cred_camera *cam, const char *name, const char *value, char **readback);

/* Several settings at once, applied in the order the camera needs (fps
 * before tint, since `set fps` resets tint; cropping columns and rows
 * separately, before fps). All values are validated before any is sent. */
CRED_API int cred_camera_set_many(struct cred_camera *cam, const char *const *names,
				  const char *const *values, size_t n);
/* cred_camera_set_many that also returns what the camera reads back:
 * readback (may be NULL) is an array of n pointers filled in the order of
 * names (malloc'd strings; NULL for write-only parameters and on failure).
 * Values whose live limits depend on an earlier setting of the same call
 * (tint after fps, fps after cropping or mode) are checked against the
 * camera's limits right before they are sent; if one is refused then, the
 * message names the settings already applied. */
CRED_API int cred_camera_set_list(struct cred_camera *cam, const char *const *names,
				  const char *const *values, size_t n, char **readback);

/* What a set changed: every parameter asked, then every other one that
 * moved as a side effect (struct cred_param.moves; a preset moves every
 * readable setting). */
struct cred_change {
	const char *name; /* parameter name (the table's; static) */
	char *before;     /* value read before, NULL when it could not be read */
	char *after;      /* value read back, NULL for a write-only parameter */
	int asked;        /* 1: one of names[], 0: a side effect */
};
/* cred_camera_set_list that also reads, before and after, the parameters
 * the settings can move, and lists them. *changes (malloc'd, free with
 * cred_changes_free) has the n asked settings in the order of names,
 * then the side effects whose value differs; *count their number. On
 * failure *changes is NULL and *count 0; errors as cred_camera_set_list. */
CRED_API int cred_camera_set_changes(struct cred_camera *cam, const char *const *names,
				     const char *const *values, size_t n,
				     struct cred_change **changes, size_t *count);
CRED_API void cred_changes_free(struct cred_change *changes, size_t count);

/* Who the camera is: the "Label: value" lines of `cameratype` and the
 * answer of `hwuid`. A field is "" when the camera does not say it. */
struct cred_identity {
	char type[64];      /* "Camera type: C-RED 3" */
	char serial[64];    /* "Serial number: C3-0142" */
	char sensor[64];    /* "Sensor: ..." */
	char interface[64]; /* "Interface: USB3" */
	char hwuid[64];     /* `hwuid raw` */
};
/* Fill *id (zeroed first). Every line of the cameratype answer must read
 * "Label: value", labels compared without case; labels other than the
 * four above are skipped. A one-line answer without a label is the camera
 * type (what `cameratype raw` gives). A line without a label among others,
 * a value longer than its field or a label given twice is CRED_ERR_PROTO.
 * A camera that rejects `cameratype` or `hwuid` leaves those fields "".
 * Other errors: the client's (timeout, I/O). */
CRED_API int cred_camera_identity(struct cred_camera *cam, struct cred_identity *id);

/* The camera's state word ("operational", "prevsafe", ...), malloc'd,
 * lowercase; the field spelling "presave" is reported as "prevsafe". Only
 * a state of the model's list counts (the choices of its "status" row):
 * anything else is asked once more, then CRED_ERR_PROTO. */
CRED_API int cred_camera_status(struct cred_camera *cam, char **state);

#endif

/* Camera models: per-model tables of geometry, pixel format, cropping
 * rules, command dialect and parameters. Pure data and validators: nothing
 * here talks to a camera. */
#ifndef CRED_MODEL_H
#define CRED_MODEL_H

#include <stddef.h>
#include "cred-error.h"

enum cred_model_id {
	CRED_MODEL_UNKNOWN = 0,
	CRED_MODEL_CRED3,   /* C-RED 3: 640x512, signed 16-bit from a 14-bit ADC */
	CRED_MODEL_CREDONE, /* C-RED One: 320x256, unsigned 16-bit */
};

struct cred_model {
	enum cred_model_id id;
	const char *key;      /* "cred3", "credone" (for -m) */
	const char *name;     /* "C-RED 3", "C-RED One" */
	int width, height;    /* full sensor */
	int pixel_signed;     /* 1: int16 pixels, 0: uint16 */
	int adc_bits;         /* 14 on C-RED 3, 16 on C-RED One */
	const char *temperatures_sensor; /* "temperatures snake" / "temperatures cryostat diode" */
};

/* Table lookups: NULL when unknown (no error recorded). */
CRED_API const struct cred_model *cred_model_get(enum cred_model_id id);
CRED_API const struct cred_model *cred_model_by_key(const char *key); /* "cred3", "c-red 3", "credone", "one" ... */
/* Recognise the model in a `cameratype` answer. */
CRED_API enum cred_model_id cred_model_from_cameratype(const char *answer);

/* Typed parameters for get/set. */
enum cred_param_type {
	CRED_PARAM_NUMBER, /* a real number (fps, tint) */
	CRED_PARAM_INT,
	CRED_PARAM_SWITCH, /* on/off */
	CRED_PARAM_CHOICE, /* one of choices[] */
	CRED_PARAM_CROP,   /* cropping columns/rows window in the model's syntax */
	CRED_PARAM_TEXT,   /* free text, read-only or passed through */
};

#define CRED_PARAM_READONLY 0x1

struct cred_param {
	const char *name;          /* user-facing name: "fps", "tint", "cropping.columns" */
	const char *get_cmd;       /* "fps", "cropping columns" */
	const char *set_cmd;       /* "set fps" (value appended); NULL if read-only */
	enum cred_param_type type;
	const char *const *choices; /* NULL-terminated, for CHOICE */
	double min, max;           /* static range (NAN: none) */
	const char *min_cmd;       /* live limit commands ("minfps"), or NULL */
	const char *max_cmd;
	double step;               /* granularity (0: none) */
	const char *unit;          /* "Hz", "s", "" */
	const char *help;          /* one line */
	unsigned flags;
	const char *min_firmware;  /* "1.1.0", or NULL */
};

CRED_API size_t cred_param_count(enum cred_model_id model);
CRED_API const struct cred_param *cred_param_at(enum cred_model_id model, size_t i);
CRED_API const struct cred_param *cred_param_find(enum cred_model_id model, const char *name);

/* Validate value for param against its static range and type; lo/hi, when
 * finite, replace the static range (live limits). CRED_ERR_ARG with a
 * message that names the allowed range ("fps must be within 0.0001-600"). */
CRED_API int cred_param_check(const struct cred_param *param, const char *value, double lo, double hi);

/* Cropping rules.
 * C-RED 3: columns "A-B" 0-639 with A a multiple of 32 and B+1 a multiple
 * of 32; rows "A-B" 0-511 in steps of 4; HDR needs at least 96x72.
 * C-RED One: 1-indexed lists like "1,3,9-10" of 32-pixel column blocks
 * 1-10 and rows 1-256. */
struct cred_crop {
	int columns;  /* selected pixel columns */
	int rows;     /* selected pixel rows */
};
/* axis is "columns" or "rows". On success *count (may be NULL) is the
 * number of pixels selected on that axis. */
CRED_API int cred_crop_check(enum cred_model_id model, const char *axis, const char *value, int *count);
/* Whole-window check (HDR minimum on C-RED 3). */
CRED_API int cred_crop_check_window(enum cred_model_id model, const char *columns, const char *rows, int hdr);

/* Command dialect: every command of the model's table, for completion and
 * for the table-driven tests. NULL-terminated list of strings like
 * "set fps <fpsValue>". */
CRED_API const char *const *cred_model_commands(enum cred_model_id model);

/* Compare dotted firmware versions: <0, 0, >0 like strcmp. */
CRED_API int cred_version_compare(const char *a, const char *b);

#endif

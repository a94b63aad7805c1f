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
/* A model from the user's -m value: case, blanks, '-' and '_' are ignored,
 * then "cred3", "3", "credone", "one", "cred1" or "1" (so "C-RED 3" and
 * "C-RED One" work too). */
CRED_API const struct cred_model *cred_model_by_key(const char *key);
/* Recognise the model in a `cameratype` answer, case-insensitively and
 * anywhere in a possibly multi-line text: "C-RED 3", "CRED3", "C-RED3" and
 * "C-RED ONE", "C-RED One", "CRED ONE", "credone". The name must start a
 * word and its number end one ("C-RED 30" is not a C-RED 3). */
CRED_API enum cred_model_id cred_model_from_cameratype(const char *answer);

/* Typed parameters for get/set. */
enum cred_param_type {
	CRED_PARAM_NUMBER, /* a real number (fps, tint) */
	CRED_PARAM_INT,
	CRED_PARAM_SWITCH, /* on/off */
	CRED_PARAM_CHOICE, /* one of choices[] */
	CRED_PARAM_CROP,   /* cropping columns/rows window in the model's syntax */
	CRED_PARAM_TEXT,   /* free text, read-only or passed through */
	CRED_PARAM_IPV4,   /* dotted-quad IPv4 address (ip.address, ...) */
};

#define CRED_PARAM_READONLY 0x1 /* set_cmd is NULL */
#define CRED_PARAM_REBOOT   0x2 /* takes effect after a camera reboot */
#define CRED_PARAM_CONFIRM  0x4 /* decides the frames' geometry or goes into
				 * files: cred_camera_get reads it twice and
				 * the answers must agree */
#define CRED_PARAM_READ_RANGE 0x8 /* read_min/read_max, not min/max, bound
				   * a value read back (cred_param_check_answer) */
#define CRED_PARAM_DRIFTS  0x10 /* a measurement that changes from one read
				 * to the next: with CRED_PARAM_CONFIRM the
				 * two answers must agree in layout (length,
				 * digits in the same places: "27.50" and
				 * "27.51", not "27.0"), not in every digit */
#define CRED_PARAM_SESSION  0x20 /* not one of the camera's settings: the
				 * preset selection, events, access (left
				 * out of settings files) */

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
	/* Extensions (model branch). */
	const char *get_alt;       /* other spelling of get_cmd that some
				    * firmware uses ("adu offset"), or NULL */
	const char *step_cmd;      /* live granularity command ("stepsyncdelay") */
	const char *set_firmware;  /* firmware needed to set, when newer than
				    * min_firmware ("1.1.1"), or NULL */
	const char *const *choice_firmware; /* parallel to choices: firmware a
				    * choice needs, NULL entries for none; or NULL */
	int order;                 /* rank in cred_camera_set_many: lower goes
				    * first; 0 after all ranked ones */
	/* Strict answers (cred_param_check_answer). */
	double read_min, read_max; /* physical range of a value read back, with
				    * CRED_PARAM_READ_RANGE (NAN: open); where a
				    * live limit may pass the manual's figure
				    * (a cropped sensor runs faster) */
	const char *const *moves;  /* NULL-terminated names of the parameters
				    * that setting this one can change as a
				    * side effect (C-RED 3 `set fps` resets
				    * tint; a C-RED One mode change resets the
				    * gain), or NULL. The one home of that
				    * knowledge: cred_camera_set_changes
				    * reads them before and after. */
};
/* get_cmd is NULL for write-only parameters (the camera has a set command
 * but no way to read the value back: voltage.vref, ip.* on C-RED One). */

/* The model's parameter table: its size (0 for an unknown model), entry i
 * (NULL past the end), and the entry called name, case-insensitively (NULL
 * if the model has none). Entries are static: never free them. */
CRED_API size_t cred_param_count(enum cred_model_id model);
CRED_API const struct cred_param *cred_param_at(enum cred_model_id model, size_t i);
CRED_API const struct cred_param *cred_param_find(enum cred_model_id model, const char *name);
/* Non-zero when param can be set (it has a set command and is not marked
 * read-only); write-only parameters count. */
CRED_API int cred_param_writable(const struct cred_param *param);

/* Validate value for param against its static range and type; lo/hi, when
 * finite, replace the static range (live limits). CRED_ERR_ARG with a
 * message that names the allowed range ("fps must be between 0.0001 and
 * 600 (got 700)"). Numbers are parsed strictly: no blanks, no trailing
 * junk, no hex, nan or inf. Read-only parameters, control characters,
 * blanks (the camera splits its line on them; CROP values get their own
 * message) and empty values are rejected. CROP values are checked with
 * cred_crop_check for the model whose table holds param. Returns CRED_OK
 * or CRED_ERR_ARG. */
CRED_API int cred_param_check(const struct cred_param *param, const char *value, double lo, double hi);
/* Same, with a granularity: when step > 0 a NUMBER/INT value must be a
 * whole multiple of step (to a millionth of a step); the message names the
 * nearest accepted values. cred_param_check uses param->step. */
CRED_API int cred_param_check_step(const struct cred_param *param, const char *value,
				   double lo, double hi, double step);
/* Check answer, the bare value the camera gave to "<get_cmd> raw", against
 * the form the manual gives for param (strict answers: one lost byte turns
 * "600" into "60" or "operational" into "oational"):
 *  - NUMBER/INT: the strict number syntax of cred_param_check, within the
 *    physical range (read_min..read_max with CRED_PARAM_READ_RANGE, else
 *    min..max; NAN ends are open; no step);
 *  - SWITCH: on or off (any case), optionally followed by ':' and a
 *    window made of letters, digits, ',', '-' and ':' (the C-RED One's
 *    `cropping raw` "on:c0-c1:r0-r1");
 *  - CHOICE: one of choices (any case); for an enable/disable choice also
 *    on/off, which is how the cameras answer its read;
 *  - CROP: a complete window or list (cred_crop_check);
 *  - IPV4: a dotted quad;
 *  - TEXT: not empty.
 * Returns CRED_OK, or CRED_ERR_PROTO with a message that says what was
 * expected ("expected a number between 0.0001 and 100000"). */
CRED_API int cred_param_check_answer(const struct cred_param *param, const char *answer);
/* True for a setting that a settings file holds (credctl dump/apply):
 * readable and writable, not needing a reboot, not CRED_PARAM_SESSION. */
CRED_API int cred_param_is_setting(const struct cred_param *param);
/* The model whose table holds param (CRED_MODEL_UNKNOWN for a param that
 * is not from cred_param_at/cred_param_find). */
CRED_API enum cred_model_id cred_param_model(const struct cred_param *param);
/* The firmware a value needs: the newest of min_firmware, set_firmware and
 * the choice's own requirement (value NULL: reading only). NULL if none. */
CRED_API const char *cred_param_firmware(const struct cred_param *param, const char *value);

/* A value with an optional unit after the number ("5ms", "200 us",
 * "2kHz", "1e-3mbar") in the base unit (unit: "s", "Hz", "mbar", "V",
 * "C", "K"; a bare number is already in it). Times take s, ms, us (or
 * \u00b5s) and ns; frequencies Hz and kHz; pressures mbar, Pa and bar.
 * CRED_ERR_ARG when the text does not parse; the message (without the
 * text itself) says why: "not a number", "unknown unit 'kg' (expected
 * mbar, Pa, bar)". */
CRED_API int cred_unit_parse(const char *text, const char *unit, double *value);
/* The value to send for param: a NUMBER/INT with a unit becomes the
 * shortest decimal text of the number in the table's unit ("5ms" ->
 * "0.005" for tint); anything else is copied unchanged. CRED_ERR_ARG
 * ("tint must be a number in s, or with a unit: s, ms, us, ns (got
 * '5 parsecs')") when the unit is not one of the parameter's. */
CRED_API int cred_param_normalize(const struct cred_param *param, const char *value,
				  char *out, size_t len);

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
 * number of pixels selected on that axis; on failure it is 0 and the
 * message says what is wrong and what would be accepted. */
CRED_API int cred_crop_check(enum cred_model_id model, const char *axis, const char *value, int *count);
/* Where a window starts on the sensor: the first pixel value selects on
 * axis ("columns" or "rows"), 0-based (the C-RED One's 1-based rows and
 * 32-pixel column blocks converted), in *first. Returns 1 when the pixels
 * selected are one contiguous run, so pixel i of the window is sensor
 * pixel *first + i; 0 when they are several runs (*first the lowest); or
 * the error of cred_crop_check (*first 0). */
CRED_API int cred_crop_first(enum cred_model_id model, const char *axis, const char *value, int *first);
/* Whole-window check: both axes, plus the HDR minimum of 96x72 pixels
 * (columns x rows) on C-RED 3 when hdr is non-zero. A NULL axis means the
 * full sensor on that axis. */
CRED_API int cred_crop_check_window(enum cred_model_id model, const char *columns, const char *rows, int hdr);
/* Minimum HDR window on C-RED 3. */
#define CRED_CRED3_HDR_MIN_COLUMNS 96
#define CRED_CRED3_HDR_MIN_ROWS 72

/* Command dialect: every command of the model's table, for completion and
 * for the table-driven tests. NULL-terminated list of strings like
 * "set fps <fps>" (placeholders in angle brackets). NULL for an unknown
 * model. */
CRED_API const char *const *cred_model_commands(enum cred_model_id model);

/* The same table with what each command is for. */
enum cred_command_kind {
	CRED_COMMAND_GET,   /* reads a value */
	CRED_COMMAND_SET,   /* "set ..." */
	CRED_COMMAND_EXEC,  /* "exec ...": a task the camera runs */
	CRED_COMMAND_OTHER, /* transfers, actions (save, reboot, sendfile, ...) */
};
struct cred_command {
	const char *text;     /* as in cred_model_commands() */
	enum cred_command_kind kind;
	const char *firmware; /* minimum firmware, or NULL */
	const char *help;     /* one line */
	int timeout_ms;       /* answer timeout of a slow command; 0: the client's
			       * default (cred_cli_command takes the larger) */
	int late_tail;        /* 1: known to answer twice or send a late tail, so
			       * the client listens longer after its answer */
};
/* Entry i of the model's table (same order as cred_model_commands), NULL
 * past the end or for an unknown model. */
CRED_API const struct cred_command *cred_model_command_at(enum cred_model_id model, size_t i);
/* The entry that command (a command line as sent, "set fps 100") is an
 * instance of, NULL if none (or an unknown model). Words compare without
 * case and blanks between them do not matter; a placeholder ("<fps>")
 * stands for one word, a placeholder at the end for the rest of the line. */
CRED_API const struct cred_command *cred_model_command_find(enum cred_model_id model,
							    const char *command);

/* Compare dotted firmware versions: <0, 0, >0 like strcmp. Components
 * compare as numbers ("1.10" > "1.9"), missing ones count as 0 ("1.1" ==
 * "1.1.0"), a leading "v" and anything after the numbers ("3.1.1-rc2",
 * "1.0.0 build 42") are ignored; NULL or "" sorts before everything. */
CRED_API int cred_version_compare(const char *a, const char *b);

#endif

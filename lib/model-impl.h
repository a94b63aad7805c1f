/* Internal: the per-model tables behind cred-model.h, and the strict number
 * parsers shared by the validators. Not exported. */
#ifndef CRED_MODEL_IMPL_H
#define CRED_MODEL_IMPL_H

#include <math.h>
#include "cred-model.h"
#include "error-impl.h"

#define CRED_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Everything one model knows, gathered so model.c and param.c can look it
 * up by id. commands[] ends with an entry whose text is NULL;
 * command_text has as many slots and is filled from it on first use. */
struct cred_model_tables {
	const struct cred_model *model;
	const struct cred_command *commands;
	const char **command_text;
	const struct cred_param *params;
	size_t param_count;
};

extern const struct cred_command cred_cred3_commands[];
extern const char *cred_cred3_command_text[];
extern const struct cred_command cred_credone_commands[];
extern const char *cred_credone_command_text[];

extern const struct cred_model_tables cred_cred3_tables;
extern const struct cred_model_tables cred_credone_tables;

/* The tables of a model, NULL when unknown. */
const struct cred_model_tables *cred_model_tables(enum cred_model_id id);

/* Orders of application in cred_camera_set_many (struct cred_param.order):
 * what changes the limits of others goes first. */
enum {
	CRED_ORDER_PRESET = 5,    /* loading a preset replaces every setting */
	CRED_ORDER_MODE = 10,     /* C-RED One readout mode: resets gain, rescales fps */
	CRED_ORDER_READOUT = 20,  /* readout parameters that change maxfps */
	CRED_ORDER_HDR_OFF = 30,  /* leaving HDR lifts the minimum window */
	CRED_ORDER_CROP_AXIS = 40,
	CRED_ORDER_CROP = 45,     /* switch cropping on once the window is set */
	CRED_ORDER_CONFIG = 50,   /* HDR on, sensibility, tuning: change tint limits */
	CRED_ORDER_FPS = 60,      /* `set fps` resets tint */
	CRED_ORDER_TINT = 70,
	CRED_ORDER_GAIN = 75,
	CRED_ORDER_OTHER = 100,   /* no effect on other limits (also order 0) */
};

/* Table-writing shorthands (designated initializers; extra fields such as
 * .min_cmd or .min_firmware go in the trailing arguments). */
#define CRED_P(nm, get, set, ty, lo, hi, un, hlp, ...) \
	{ .name = (nm), .get_cmd = (get), .set_cmd = (set), .type = (ty), \
	  .min = (lo), .max = (hi), .unit = (un), .help = (hlp), __VA_ARGS__ }
/* Read-only value. */
#define CRED_RO(nm, get, ty, un, hlp, ...) \
	CRED_P(nm, get, NULL, ty, NAN, NAN, un, hlp, .flags = CRED_PARAM_READONLY, __VA_ARGS__)
/* Read-only value with the physical range its answer must fall in (min and
 * max bound only what is read back) and more flags (CRED_PARAM_CONFIRM). */
#define CRED_RO_R(nm, get, ty, lo, hi, fl, un, hlp, ...) \
	CRED_P(nm, get, NULL, ty, lo, hi, un, hlp, .flags = CRED_PARAM_READONLY | (fl), __VA_ARGS__)
/* Flags of a value that decides the frames' geometry or goes into files. */
#define CRED_CONFIRM .flags = CRED_PARAM_CONFIRM
/* ... and of a measurement written into files (drifts between reads). */
#define CRED_MEASURED (CRED_PARAM_CONFIRM | CRED_PARAM_DRIFTS)
/* A settable value whose reading may pass the settable range. */
#define CRED_READ(lo, hi, fl) \
	.flags = CRED_PARAM_READ_RANGE | (fl), .read_min = (lo), .read_max = (hi)

/* Physical ranges of what the cameras read back, where the manuals give
 * only a settable range or none (strict answers). A cropped sensor runs
 * faster than the full-frame maximum: the manuals give no figure for the
 * smallest window (credsim's C-RED One reads a 2-column window at 135 kHz),
 * so the frame rate is bounded only by 1 MHz. Board
 * temperatures in Celsius, the cryostat in kelvin, the cryostat pressure in
 * mbar (an open cryostat reads about 1000). */
#define CRED_FPS_READ_MAX 1000000.0
/* The C-RED 3 manual's shortest exposure, "165 ns", is rounded: the
 * camera's own (whole clock cycles) reads 164.7 ns. */
#define CRED_TINT_READ_MIN 100e-9
#define CRED_CELSIUS_MIN -100.0
#define CRED_CELSIUS_MAX 200.0
#define CRED_KELVIN_MAX 400.0
#define CRED_MBAR_MAX 2000.0
/* on/off read with CMD and set with "set CMD". */
#define CRED_SW(nm, cmd, hlp, ...) \
	CRED_P(nm, cmd, "set " cmd, CRED_PARAM_SWITCH, NAN, NAN, "", hlp, __VA_ARGS__)
/* One of a list. */
#define CRED_CH(nm, cmd, list, hlp, ...) \
	CRED_P(nm, cmd, "set " cmd, CRED_PARAM_CHOICE, NAN, NAN, "", hlp, .choices = (list), __VA_ARGS__)
/* Number or integer with a static range (NAN: open). */
#define CRED_NUM(nm, cmd, lo, hi, un, hlp, ...) \
	CRED_P(nm, cmd, "set " cmd, CRED_PARAM_NUMBER, lo, hi, un, hlp, __VA_ARGS__)
#define CRED_INT(nm, cmd, lo, hi, un, hlp, ...) \
	CRED_P(nm, cmd, "set " cmd, CRED_PARAM_INT, lo, hi, un, hlp, __VA_ARGS__)

/* Strict parsers: optional sign, decimal digits, for doubles an optional
 * fraction and exponent; nothing else (no blanks, hex, nan, inf). Return 0
 * on success, -1 on a syntax error, -2 when out of range. */
int cred_parse_double(const char *s, double *out);
int cred_parse_long(const char *s, long *out);

#endif

/* Camera health: what the manuals say is good, worrying or dangerous.
 * Pure data and judgements on values already read (nothing here talks to
 * a camera): the vacuum limits of the C-RED One and its getter rule, the
 * temperature ranges of both models, and what each state word means. The
 * levels are those of monitoring plugins, so a tool can exit with them. */
#ifndef CRED_HEALTH_H
#define CRED_HEALTH_H

#include <stddef.h>
#include "cred-model.h"

enum cred_level {
	CRED_LEVEL_OK = 0,
	CRED_LEVEL_WARNING = 1,
	CRED_LEVEL_CRITICAL = 2,
	CRED_LEVEL_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN" (anything else: "UNKNOWN"). */
CRED_API const char *cred_health_level_name(enum cred_level level);
/* The level named by name, case-insensitively; -1 if none. */
CRED_API int cred_health_level_parse(const char *name);
/* The worse of two levels: CRITICAL > WARNING > UNKNOWN > OK. UNKNOWN
 * ranks above OK so that a part that could not be read is not hidden by
 * the good ones, and below WARNING so that a real problem is never hidden
 * by a missing reading. */
CRED_API enum cred_level cred_health_level_worst(enum cred_level a, enum cred_level b);

/* ---- vacuum (C-RED One) -------------------------------------------------- */

/* Pressure limits in mbar: "poor vacuum" from poor on, "faulty vacuum"
 * above faulty. Firmware 2.0.0 and later: 5e-3 and 2e-2; earlier firmware
 * was stricter: 1e-4 and 1e-3 (C-RED One manual, "Getter operation"). */
struct cred_vacuum_limits {
	double poor;
	double faulty;
};

/* The limits of the current firmware (new: true) or of firmware before
 * 2.0.0 (new: false). */
CRED_API void cred_health_vacuum_limits_get(int new_firmware, struct cred_vacuum_limits *out);
/* The limits a camera with that firmware applies. An unknown firmware (NULL
 * or "") gets the older, stricter limits: a false warning costs less than a
 * missed one. Returns 1 when the new limits were chosen, 0 for the old. */
CRED_API int cred_health_vacuum_limits_for(const char *firmware, struct cred_vacuum_limits *out);
/* OK below poor, WARNING from poor up to faulty, CRITICAL above faulty;
 * UNKNOWN for a value that is not a positive finite number. */
CRED_API enum cred_level cred_health_vacuum_level(double mbar, const struct cred_vacuum_limits *l);

/* Getter regenerations a camera with that firmware accepts within
 * CRED_GETTER_WINDOW_S: 4 from firmware 2.0.0 on, 2 before (and for an
 * unknown firmware). The next attempt inside the window locks the camera. */
CRED_API int cred_health_getter_limit(const char *firmware);
#define CRED_GETTER_WINDOW_S (48 * 3600)
/* A getter regeneration lasts about two hours and cannot be interrupted. */
#define CRED_GETTER_DURATION_S 7200

/* ---- temperatures ---------------------------------------------------------- */

/* A range with a warning band inside the critical limits. A value at or
 * beyond a critical limit is CRITICAL, at or beyond a warning limit
 * WARNING. Unused limits are -INFINITY (low side) or INFINITY (high). */
struct cred_temp_range {
	const char *param;   /* parameter name: "temperatures.cpu" */
	const char *key;     /* short name for reports: "cpu" */
	const char *unit;    /* "C" or "K" */
	double crit_low, warn_low, warn_high, crit_high;
};

/* The ranges a model's firmware enforces, from its manual:
 * C-RED 3 ("Thermal protection"): CPU -20..90 C, back-end and interface
 * boards -20..70 C, ambient and sensor -20..60 C; the camera shuts down
 * outside them, so the warning band starts 5 C inside each limit.
 * C-RED One: the water temperature, safe mode above 50 C; warning from
 * CRED_WATER_WARNING_C (the field rule: cool no further above 40 C),
 * critical from CRED_WATER_CRITICAL_C. Its cryostat is judged against its
 * setpoint, see cred_health_cryostat_level. Returns the table (static) and its
 * size in *n; NULL and 0 for an unknown model. */
CRED_API const struct cred_temp_range *cred_health_temp_ranges(enum cred_model_id model, size_t *n);
#define CRED_WATER_WARNING_C 40.0
#define CRED_WATER_CRITICAL_C 45.0
#define CRED_WATER_TRIP_C 50.0
/* The C-RED One manual's highest cooling fluid temperature. */
#define CRED_WATER_MAX_SUPPLY_C 35.0

/* The level of value in range (UNKNOWN for NaN). */
CRED_API enum cred_level cred_health_temp_level(const struct cred_temp_range *range, double value);

/* C-RED One cryostat: only a camera that should be cold (operational or
 * standby) is judged; its diode temperature may differ from the setpoint
 * by warn kelvin before WARNING, by crit before CRITICAL. Any other state
 * (warm, cooling down, regenerating) is OK. UNKNOWN for NaN inputs or an
 * unknown state. */
CRED_API enum cred_level cred_health_cryostat_level(const char *state, double diode_k, double setpoint_k,
					     double warn, double crit);
#define CRED_CRYOSTAT_WARNING_K 2.0
#define CRED_CRYOSTAT_CRITICAL_K 10.0

/* ---- states --------------------------------------------------------------- */

/* The level of a state word (as cred_camera_status gives it, any case;
 * "presave" is read as "prevsafe"): safe, locked and faultyvacuum are
 * CRITICAL; prevsafe, poorvacuum and vacuumrege (camera unusable for two
 * hours) WARNING; starting, configuring, ready, isbeingcooled, standby and
 * operational OK; anything else UNKNOWN. */
CRED_API enum cred_level cred_health_state_level(const char *state);
/* One line saying what the state means for the user ("an error occurred
 * during the previous session: send continue"), or NULL for an unknown
 * word. Static text. */
CRED_API const char *cred_health_state_advice(const char *state);
/* Non-zero if state is a known state word of either manual. */
CRED_API int cred_health_state_known(const char *state);

#endif

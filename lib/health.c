/* Camera health judgements (see cred-health.h): limits from the manuals,
 * levels as monitoring plugins use them. */
#include "cred-health.h"

#include <math.h>
#include <strings.h>

static const char *const level_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

const char *cred_health_level_name(enum cred_level level)
{
	return level >= CRED_LEVEL_OK && level <= CRED_LEVEL_UNKNOWN ? level_names[level] : "UNKNOWN";
}

int cred_health_level_parse(const char *name)
{
	for (int i = 0; name && i < 4; i++)
		if (!strcasecmp(name, level_names[i]))
			return i;
	return -1;
}

/* Rank for cred_health_level_worst: OK < UNKNOWN < WARNING < CRITICAL. */
static int rank(enum cred_level l)
{
	switch (l) {
	case CRED_LEVEL_OK: return 0;
	case CRED_LEVEL_WARNING: return 2;
	case CRED_LEVEL_CRITICAL: return 3;
	default: return 1;
	}
}

enum cred_level cred_health_level_worst(enum cred_level a, enum cred_level b)
{
	return rank(a) >= rank(b) ? a : b;
}

/* ---- vacuum ------------------------------------------------------------------- */

void cred_health_vacuum_limits_get(int new_firmware, struct cred_vacuum_limits *out)
{
	out->poor = new_firmware ? 5e-3 : 1e-4;
	out->faulty = new_firmware ? 2e-2 : 1e-3;
}

int cred_health_vacuum_limits_for(const char *firmware, struct cred_vacuum_limits *out)
{
	int new_fw = firmware && *firmware && cred_version_compare(firmware, "2.0.0") >= 0;

	cred_health_vacuum_limits_get(new_fw, out);
	return new_fw;
}

enum cred_level cred_health_vacuum_level(double mbar, const struct cred_vacuum_limits *l)
{
	if (!isfinite(mbar) || mbar <= 0)
		return CRED_LEVEL_UNKNOWN;
	if (mbar > l->faulty)
		return CRED_LEVEL_CRITICAL;
	return mbar >= l->poor ? CRED_LEVEL_WARNING : CRED_LEVEL_OK;
}

int cred_health_getter_limit(const char *firmware)
{
	return firmware && *firmware && cred_version_compare(firmware, "2.0.0") >= 0 ? 4 : 2;
}

/* ---- temperatures -------------------------------------------------------------- */

#define BAND 5.0 /* C-RED 3: warn this far inside the shutdown limits */
#define C3_RANGE(param, key, lo, hi) { param, key, "C", lo, lo + BAND, hi - BAND, hi }

static const struct cred_temp_range cred3_ranges[] = {
	C3_RANGE("temperatures.cpu", "cpu", -20, 90),
	C3_RANGE("temperatures.backend", "backend", -20, 70),
	C3_RANGE("temperatures.interface", "interface", -20, 70),
	C3_RANGE("temperatures.ambiant", "ambient", -20, 60),
	C3_RANGE("temperatures.snake", "sensor", -20, 60),
};

static const struct cred_temp_range credone_ranges[] = {
	{ "temperatures.water", "water", "C", -INFINITY, -INFINITY,
	  CRED_WATER_WARNING_C, CRED_WATER_CRITICAL_C },
};

const struct cred_temp_range *cred_health_temp_ranges(enum cred_model_id model, size_t *n)
{
	switch (model) {
	case CRED_MODEL_CRED3:
		*n = sizeof(cred3_ranges) / sizeof(cred3_ranges[0]);
		return cred3_ranges;
	case CRED_MODEL_CREDONE:
		*n = sizeof(credone_ranges) / sizeof(credone_ranges[0]);
		return credone_ranges;
	default:
		*n = 0;
		return NULL;
	}
}

enum cred_level cred_health_temp_level(const struct cred_temp_range *r, double v)
{
	if (isnan(v))
		return CRED_LEVEL_UNKNOWN;
	if (v >= r->crit_high || v <= r->crit_low)
		return CRED_LEVEL_CRITICAL;
	if (v >= r->warn_high || v <= r->warn_low)
		return CRED_LEVEL_WARNING;
	return CRED_LEVEL_OK;
}

/* ---- states ------------------------------------------------------------------------ */

struct state_info {
	const char *word;
	enum cred_level level;
	const char *advice;
};

static const struct state_info states[] = {
	{ "starting", CRED_LEVEL_OK, "just powered on" },
	{ "configuring", CRED_LEVEL_OK, "reading its configuration" },
	{ "ready", CRED_LEVEL_OK, "ready to be cooled" },
	{ "isbeingcooled", CRED_LEVEL_OK, "cooling down" },
	{ "standby", CRED_LEVEL_OK, "cold, sensor off" },
	{ "operational", CRED_LEVEL_OK, "cold and taking valid images" },
	{ "prevsafe", CRED_LEVEL_WARNING,
	  "an error occurred during the previous session: send continue" },
	{ "poorvacuum", CRED_LEVEL_WARNING,
	  "poor vacuum at start-up: regenerate the getter (or send continue)" },
	{ "vacuumrege", CRED_LEVEL_WARNING,
	  "getter regeneration running (about 2 hours, do not interrupt)" },
	{ "faultyvacuum", CRED_LEVEL_CRITICAL,
	  "faulty vacuum: pump the cryostat, then regenerate the getter" },
	{ "safe", CRED_LEVEL_CRITICAL, "safe mode after an error: restart the camera" },
	{ "locked", CRED_LEVEL_CRITICAL, "locked after a critical error: contact First Light support" },
};

static const struct state_info *state_find(const char *state)
{
	if (state && !strcasecmp(state, "presave")) /* field spelling */
		state = "prevsafe";
	for (size_t i = 0; state && i < sizeof(states) / sizeof(states[0]); i++)
		if (!strcasecmp(state, states[i].word))
			return &states[i];
	return NULL;
}

enum cred_level cred_health_state_level(const char *state)
{
	const struct state_info *s = state_find(state);

	return s ? s->level : CRED_LEVEL_UNKNOWN;
}

const char *cred_health_state_advice(const char *state)
{
	const struct state_info *s = state_find(state);

	return s ? s->advice : NULL;
}

int cred_health_state_known(const char *state)
{
	return state_find(state) != NULL;
}

enum cred_level cred_health_cryostat_level(const char *state, double diode_k, double setpoint_k,
				    double warn, double crit)
{
	double off;

	if (!state_find(state))
		return CRED_LEVEL_UNKNOWN;
	if (strcasecmp(state, "operational") && strcasecmp(state, "standby"))
		return CRED_LEVEL_OK;
	if (isnan(diode_k) || isnan(setpoint_k))
		return CRED_LEVEL_UNKNOWN;
	off = fabs(diode_k - setpoint_k);
	if (off >= crit)
		return CRED_LEVEL_CRITICAL;
	return off >= warn ? CRED_LEVEL_WARNING : CRED_LEVEL_OK;
}

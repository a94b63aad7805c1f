/* credctl check: the probes. They read the camera without ever dying (a
 * monitoring check must always print its line) and judge what they read
 * with libcred's health limits. */
#include "check.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- text and numbers ------------------------------------------------------------ */

void probe_say(struct probe *p, const char *fmt, ...)
{
	size_t len = strlen(p->text);
	va_list ap;

	if (len && len + 2 < sizeof(p->text)) {
		strcat(p->text, ", ");
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(p->text + len, sizeof(p->text) - len, fmt, ap);
	va_end(ap);
}

void format_value(char *buf, size_t size, double v, enum perf_style style)
{
	if (isnan(v)) {
		snprintf(buf, size, "U"); /* the plugin convention for "no value" */
		return;
	}
	if (style == PERF_SCI) {
		format_pressure(buf, size, v);
		return;
	}
	if (style == PERF_PLAIN) {
		snprintf(buf, size, "%g", v);
		return;
	}
	/* one decimal, two when one would hide the reading's resolution */
	snprintf(buf, size, fabs(v - round(v * 10) / 10) > 1e-9 ? "%.2f" : "%.1f", v);
}

/* label names the datum in the plugin's performance data, param in the
 * JSON record (the get name, credtools-json(7)). */
static struct perf *add_perf(struct probe *p, const char *label, const char *param, double v,
			     const char *unit, enum perf_style style)
{
	struct perf *pf;

	if (p->nperf == MAX_PERF)
		return NULL;
	pf = &p->perf[p->nperf++];
	memset(pf, 0, sizeof(*pf));
	snprintf(pf->label, sizeof(pf->label), "%s", label);
	pf->param = param;
	pf->value = v;
	pf->unit = unit;
	pf->style = style;
	return pf;
}

/* A plugin range: "N" (alert above N), "~:N" (no low end, for values that
 * may be negative), "L:H", or "" when neither end is set. */
static void format_range(char *buf, size_t size, double lo, double hi, enum perf_style style,
			 bool may_be_negative)
{
	char a[32], b[32];

	/* limits are round numbers: no fixed decimals */
	format_value(a, sizeof(a), lo, style == PERF_SCI ? PERF_SCI : PERF_PLAIN);
	format_value(b, sizeof(b), hi, style == PERF_SCI ? PERF_SCI : PERF_PLAIN);
	if (isinf(lo) && isinf(hi))
		snprintf(buf, size, "%s", "");
	else if (isinf(lo))
		snprintf(buf, size, may_be_negative ? "~:%s" : "%s", b);
	else if (isinf(hi))
		snprintf(buf, size, "%s:", a);
	else
		snprintf(buf, size, "%s:%s", a, b);
}

/* ---- reading without dying ----------------------------------------------------------- */

/* A read failed: a camera that stopped answering ends the run's reads. */
static void read_failed(struct check_run *run, int err, const char *why)
{
	if (!is_no_answer(err))
		return;
	run->dead = true;
	snprintf(run->dead_why, sizeof(run->dead_why), "%s", why);
}

static bool usable(struct check_run *run, struct probe *p)
{
	if (run->cam && !run->dead)
		return true;
	p->level = CRED_LEVEL_UNKNOWN;
	probe_say(p, "%s", run->cam ? "not read: the camera stopped answering" : run->dead_why);
	return false;
}

/* Read a number; on failure the probe says why (UNKNOWN when required). */
static double number(struct check_run *run, struct probe *p, const char *name, bool required)
{
	char why[300];
	double v;
	int err = read_number(run->cam, name, &v, why, sizeof(why));

	if (err == CRED_OK)
		return v;
	read_failed(run, err, why);
	if (required || run->dead) {
		p->level = cred_health_level_worst(p->level, CRED_LEVEL_UNKNOWN);
		probe_say(p, "%s", why);
	}
	return NAN;
}

/* The state word, read once per run; NULL (probe UNKNOWN) on failure. */
static const char *state(struct check_run *run, struct probe *p)
{
	char *s = NULL;
	int err;

	if (run->state[0])
		return run->state;
	err = cred_camera_status(run->cam, &s);
	if (err < 0) {
		char why[300];

		snprintf(why, sizeof(why), "cannot read the status: %s",
			 *cred_last_error() ? cred_last_error() : cred_strerror(err));
		read_failed(run, err, why);
		p->level = cred_health_level_worst(p->level, CRED_LEVEL_UNKNOWN);
		probe_say(p, "%s", why);
		return NULL;
	}
	snprintf(run->state, sizeof(run->state), "%s", s);
	free(s);
	return run->state;
}

/* ---- vacuum ----------------------------------------------------------------------------- */

static void vacuum_limits(struct check_run *run)
{
	const struct check_conf *c = run->conf;

	if (c->thresholds == TH_AUTO)
		cred_health_vacuum_limits_for(cred_camera_firmware(run->cam), &run->vac);
	else
		cred_health_vacuum_limits_get(c->thresholds == TH_NEW, &run->vac);
	if (!isnan(c->warn))
		run->vac.poor = c->warn;
	if (!isnan(c->crit))
		run->vac.faulty = c->crit;
	run->vac_used = true;
}

static const char *vacuum_word(enum cred_level l)
{
	return l == CRED_LEVEL_OK ? "good" : l == CRED_LEVEL_WARNING ? "poor" : "faulty";
}

void probe_vacuum(struct check_run *run, struct probe *p)
{
	char v[32];
	struct perf *pf;
	double mbar;

	p->name = "vacuum";
	if (!usable(run, p))
		return;
	if (cred_camera_model(run->cam)->id != CRED_MODEL_CREDONE) {
		p->level = CRED_LEVEL_UNKNOWN;
		probe_say(p, "not applicable: a %s has no cryostat pressure gauge",
			  cred_camera_model(run->cam)->name);
		return;
	}
	vacuum_limits(run);
	mbar = number(run, p, "pressure", true);
	if (isnan(mbar))
		return;
	p->level = cred_health_vacuum_level(mbar, &run->vac);
	format_value(v, sizeof(v), mbar, PERF_SCI);
	probe_say(p, "pressure %s mbar (%s)", v, p->level == CRED_LEVEL_UNKNOWN ? "not a pressure" :
		  vacuum_word(p->level));
	if ((pf = add_perf(p, "pressure", "pressure", mbar, "mbar", PERF_SCI))) {
		format_value(pf->warn, sizeof(pf->warn), run->vac.poor, PERF_SCI);
		format_value(pf->crit, sizeof(pf->crit), run->vac.faulty, PERF_SCI);
	}
	/* for the log: history uses it to find regenerations */
	run->getter_count = number(run, p, "getter.nbregeneration", false);
}

/* ---- temperatures ------------------------------------------------------------------------ */

/* The sensors' texts, problems first so that a status line cut short by
 * the monitoring system still shows them. */
struct parts {
	char bad[400], ok[400];
};

static void part_add(struct parts *t, enum cred_level l, const char *fmt, ...) PRINTF(3, 4);
static void part_add(struct parts *t, enum cred_level l, const char *fmt, ...)
{
	char *dst = l == CRED_LEVEL_OK ? t->ok : t->bad;
	size_t len = strlen(dst);
	va_list ap;

	if (len && len + 2 < sizeof(t->ok)) {
		strcat(dst, ", ");
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(dst + len, sizeof(t->ok) - len, fmt, ap);
	va_end(ap);
}

/* " (warning from 40 C)", " (critical below -20 C)", or "". */
static const char *temp_note(const struct cred_temp_range *r, double v, enum cred_level l)
{
	static char note[64];
	bool high = v >= r->warn_high;
	bool crit = l == CRED_LEVEL_CRITICAL;
	double limit = crit ? (high ? r->crit_high : r->crit_low) : (high ? r->warn_high : r->warn_low);

	if (l == CRED_LEVEL_OK)
		return "";
	snprintf(note, sizeof(note), " (%s %s %g %s)", crit ? "critical" : "warning",
		 high ? "from" : "below", limit, r->unit);
	return note;
}

/* Judge one ranged sensor; NAN readings the firmware lacks are skipped. */
static void judge_range(struct check_run *run, struct probe *p, struct parts *parts,
			const struct cred_temp_range *r, double warn_high, double crit_high)
{
	struct cred_temp_range range = *r;
	enum cred_level l;
	struct perf *pf;
	char v[32];
	double t = number(run, p, r->param, false);

	if (isnan(t))
		return;
	if (!isnan(warn_high))
		range.warn_high = warn_high, range.crit_high = crit_high;
	l = cred_health_temp_level(&range, t);
	p->level = cred_health_level_worst(p->level, l);
	format_value(v, sizeof(v), t, PERF_FIXED);
	part_add(parts, l, "%s %s %s%s", r->key, v, r->unit, temp_note(&range, t, l));
	if ((pf = add_perf(p, r->key, r->param, t, r->unit, PERF_FIXED))) {
		format_range(pf->warn, sizeof(pf->warn), range.warn_low, range.warn_high, PERF_FIXED, true);
		format_range(pf->crit, sizeof(pf->crit), range.crit_low, range.crit_high, PERF_FIXED, true);
	}
}

static void judge_cryostat(struct check_run *run, struct probe *p, struct parts *parts)
{
	const struct check_conf *c = run->conf;
	double diode = number(run, p, "temperatures.cryostat.diode", false);
	double setpoint = number(run, p, "temperatures.cryostat.setpoint", false);
	const char *st = state(run, p);
	enum cred_level l;
	struct perf *pf;
	char v[32], s[32];

	if (isnan(diode) || !st)
		return;
	l = cred_health_cryostat_level(st, diode, setpoint, c->cryo_warn, c->cryo_crit);
	p->level = cred_health_level_worst(p->level, l);
	format_value(v, sizeof(v), diode, PERF_FIXED);
	format_value(s, sizeof(s), setpoint, PERF_FIXED);
	part_add(parts, l, "cryostat %s K (setpoint %s K%s)", v, s,
		 l == CRED_LEVEL_CRITICAL ? ", critical" : l == CRED_LEVEL_WARNING ? ", warning" :
		 strcasecmp(st, "operational") && strcasecmp(st, "standby") ? ", not cold now" : "");
	if (!(pf = add_perf(p, "cryostat", "temperatures.cryostat.diode", diode, "K", PERF_FIXED)))
		return;
	if (!strcasecmp(st, "operational") || !strcasecmp(st, "standby")) {
		format_range(pf->warn, sizeof(pf->warn), setpoint - c->cryo_warn, setpoint + c->cryo_warn,
			     PERF_FIXED, false);
		format_range(pf->crit, sizeof(pf->crit), setpoint - c->cryo_crit, setpoint + c->cryo_crit,
			     PERF_FIXED, false);
	}
	if (!isnan(setpoint))
		add_perf(p, "setpoint", "temperatures.cryostat.setpoint", setpoint, "K", PERF_FIXED);
}

/* C-RED One readings without documented limits: performance data only. */
static void extra_readings(struct check_run *run, struct probe *p)
{
	static const struct { const char *param, *label, *unit; } extra[] = {
		{ "temperatures.cryostat.ptcontroller", "cryostat_pt", "K" },
		{ "temperatures.motherboard", "motherboard", "C" },
		{ "temperatures.frontend", "frontend", "C" },
		{ "temperatures.powerboard", "powerboard", "C" },
		{ "temperatures.ptmcu", "ptmcu", "C" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(extra) && !run->dead; i++) {
		double t = number(run, p, extra[i].param, false);

		if (!isnan(t))
			add_perf(p, extra[i].label, extra[i].param, t, extra[i].unit, PERF_FIXED);
	}
}

void probe_temps(struct check_run *run, struct probe *p)
{
	const struct cred_temp_range *r;
	struct parts parts = { "", "" };
	bool one;
	size_t n;

	p->name = "temps";
	if (!usable(run, p))
		return;
	one = cred_camera_model(run->cam)->id == CRED_MODEL_CREDONE;
	r = cred_health_temp_ranges(cred_camera_model(run->cam)->id, &n);
	for (size_t i = 0; i < n && !run->dead; i++)
		judge_range(run, p, &parts, &r[i], one ? run->conf->water_warn : NAN,
			    one ? run->conf->water_crit : NAN);
	if (one && !run->dead)
		judge_cryostat(run, p, &parts);
	if (one && !run->dead)
		extra_readings(run, p);
	if (*parts.bad)
		probe_say(p, "%s", parts.bad);
	if (*parts.ok)
		probe_say(p, "%s", parts.ok);
	if (!*parts.bad && !*parts.ok) {
		p->level = CRED_LEVEL_UNKNOWN;
		probe_say(p, "the camera gave no temperature");
	}
}

/* ---- state ---------------------------------------------------------------------------------- */

/* Why the camera is where it is, when it says (`status detailed`):
 * " (reason: ...)" or "". */
static void say_reason(struct check_run *run, struct probe *p)
{
	char *reason = NULL;
	size_t len = strlen(p->text);

	if (cred_camera_get(run->cam, "status.detailed", &reason) == CRED_OK && reason && *reason)
		snprintf(p->text + len, sizeof(p->text) - len, " (reason: %s)", reason);
	free(reason);
}

void probe_status(struct check_run *run, struct probe *p)
{
	const char *st, *advice;

	p->name = "status";
	if (!usable(run, p) || !(st = state(run, p)))
		return;
	p->level = cred_health_state_level(st);
	advice = cred_health_state_advice(st);
	if (p->level == CRED_LEVEL_OK)
		probe_say(p, "state %s", st);
	else
		probe_say(p, "state %s: %s", st, advice ? advice : "a state this tool does not know");
	if (p->level != CRED_LEVEL_OK && !run->dead)
		say_reason(run, p);
}

/* The camera's state machines, timers and health (see camera.h).
 *
 * C-RED 3:   starting -> configuring -> operational | prevsafe
 *            prevsafe --continue--> configuring -> operational
 * C-RED One: starting -> configuring -> prevsafe | faultyvacuum | poorvacuum | ready
 *            prevsafe/poorvacuum --continue--> ready
 *            ready --set cooling on--> isbeingcooled -> standby (briefly) -> operational
 *            ready/poorvacuum/faultyvacuum --exec redovacuum--> vacuumrege (2 h) -> ready
 * Both:      safe on a health error (a restart is needed: boot ends in prevsafe);
 *            locked for good (more than four getter regenerations in 48 h). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "camera.h"

#define COOL_RATE (213.0 / 1800)   /* K/s: about 30 minutes from ambient */
#define STANDBY_PAUSE 3.0          /* s in standby after reaching the setpoint */
#define REGEN_DURATION 7200.0      /* getter regeneration: about 2 hours */
#define REGEN_WINDOW (48 * 3600.0)
#define REGEN_END_PRESSURE 4e-6

static const char *const state_names[ST_COUNT] = {
	"off", "starting", "configuring", "poorvacuum", "faultyvacuum", "vacuumrege",
	"ready", "isbeingcooled", "standby", "operational", "prevsafe", "safe", "locked",
};

const char *cam_state_name(enum cam_state st)
{
	return st >= 0 && st < ST_COUNT ? state_names[st] : "unknown";
}

static bool one_only(enum cam_state st)
{
	return st >= ST_POORVACUUM && st <= ST_STANDBY;
}

int cam_state_parse(const struct camera *cam, const char *word)
{
	if (!strcmp(word, "presave")) /* field spelling of prevsafe */
		return ST_PREVSAFE;
	for (int i = ST_STARTING; i < ST_COUNT; i++)
		if (!strcmp(word, state_names[i]))
			return one_only(i) && !camera_is_one(cam) ? -1 : i;
	return -1;
}

void camera_event(struct camera *cam, const char *fmt, ...)
{
	struct event_queue *q = &cam->evq;
	char *line;
	va_list ap;

	if (!cam->events)
		return;
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line)
		return;
	if (q->count == EVENT_QUEUE)
		free(camera_pop_event(cam)); /* a full queue drops the oldest */
	q->lines[(q->head + q->count++) % EVENT_QUEUE] = line;
}

char *camera_pop_event(struct camera *cam)
{
	struct event_queue *q = &cam->evq;
	char *line;

	if (!q->count)
		return NULL;
	line = q->lines[q->head];
	q->head = (q->head + 1) % EVENT_QUEUE;
	q->count--;
	return line;
}

void camera_set_state(struct camera *cam, enum cam_state st, const char *reason)
{
	bool changed = cam->state != st;

	cam->state = st;
	snprintf(cam->reason, sizeof(cam->reason), "%s", reason);
	if (st == ST_SAFE)
		cam->error_last_session = true;
	if (changed && st != ST_OFF)
		camera_event(cam, "status changed to %s (%s)", state_names[st], reason);
}

/* The cryostat ramps from its present temperature toward target. */
static void cryo_ramp(struct camera *cam, double target, double rate, double now)
{
	cam->cryo.T0 = camera_temperature(cam, T1_DIODE, now);
	cam->cryo.t0 = now;
	cam->cryo.target = target;
	cam->cryo.rate = rate;
}

void camera_set_cryostat(struct camera *cam, double kelvin, double now)
{
	/* the ramp goes on toward the same target from there */
	cam->cryo.T0 = kelvin;
	cam->cryo.t0 = now;
}

static double cryo_reach_time(const struct camera *cam)
{
	if (cam->cryo.rate <= 0)
		return cam->cryo.t0;
	return cam->cryo.t0 + fabs(cam->cryo.target - cam->cryo.T0) / cam->cryo.rate;
}

static void stop_cooling(struct camera *cam, double now)
{
	if (!camera_is_one(cam))
		return;
	cam->cooling = false;
	cam->set.gain = 1; /* the e-APD gain goes back to unity when warm */
	cam->standby_end = -1;
	cryo_ramp(cam, AMBIENT_K, WARM_RATE, now);
}

static void stop_jobs(struct camera *cam)
{
	cam->boot_next = -1;
	cam->standby_end = -1;
	cam->nuc_build.active = false;
	cam->regen_end = -1;
}

double camera_poor_vacuum(const struct camera *cam)
{
	/* firmware before 2.0.0 was stricter */
	return camera_fw_at_least(cam, "2.0.0") ? 5e-3 : 1e-4;
}

double camera_faulty_vacuum(const struct camera *cam)
{
	return camera_fw_at_least(cam, "2.0.0") ? 2e-2 : 1e-3;
}

double camera_pressure(const struct camera *cam, double now)
{
	double f;

	if (cam->state != ST_VACUUMREGE || cam->regen_end <= cam->regen_start)
		return cam->pressure + cam->pressure_rise * fmax(now - cam->pressure_t0, 0);
	/* log-linear fall over the regeneration */
	f = (now - cam->regen_start) / (cam->regen_end - cam->regen_start);
	f = f < 0 ? 0 : f > 1 ? 1 : f;
	return exp(log(cam->regen_p0) + f * (log(REGEN_END_PRESSURE) - log(cam->regen_p0)));
}

void camera_set_pressure(struct camera *cam, double mbar, double now)
{
	cam->pressure = mbar;
	cam->pressure_t0 = now;
}

/* About 3 l/min of water: 0.005 C per watt carried away. */
#define WATER_C_PER_W 0.005

double camera_water_heating(const struct camera *cam, double now)
{
	return WATER_C_PER_W * (camera_pulsetube_power(cam, now) + camera_getter_power(cam));
}

void camera_set_water(struct camera *cam, double celsius, double now)
{
	cam->temp[T1_WATER] = celsius - camera_water_heating(cam, now);
}

double camera_getter_power(const struct camera *cam)
{
	return cam->state == ST_VACUUMREGE ? 24.8 : 0.0;
}

double camera_pulsetube_power(const struct camera *cam, double now)
{
	double p;

	if (!cam->cooling)
		return 0.0;
	p = cam->state == ST_ISBEINGCOOLED ? 182.0 : 96.5;
	/* a poor vacuum makes the pulse tube work harder */
	if (camera_pressure(cam, now) > 1e-4)
		p *= 1.4;
	return p;
}

/* Where a finished boot (or `continue` from prevsafe) lands. */
static enum cam_state boot_target(const struct camera *cam, double now)
{
	double p = camera_pressure(cam, now);

	if (cam->locked_for_good)
		return ST_LOCKED;
	if (cam->error_last_session)
		return ST_PREVSAFE;
	if (!camera_is_one(cam))
		return ST_OPERATIONAL;
	if (p > camera_faulty_vacuum(cam))
		return ST_FAULTYVACUUM;
	if (p > camera_poor_vacuum(cam))
		return ST_POORVACUUM;
	return ST_READY;
}

static double boot_step(const struct camera *cam, enum cam_state st)
{
	if (st == ST_STARTING)
		return camera_is_one(cam) ? 20.0 : 15.0;
	return camera_is_one(cam) ? 10.0 : 5.0;
}

static void load_boot_settings(struct camera *cam)
{
	cam->hdr_licensed = false;
	for (int i = 0; i < cam->nlic; i++)
		if (cam->lic[i].enabled && !strcmp(cam->lic[i].name, "hdr.lic"))
			cam->hdr_licensed = true;
	camera_load_preset(cam, cam->preset);
	if (camera_is_one(cam)) {
		/* "for further starts up, it begins in last selected mode and
		 * at full speed", at unity gain */
		cam->set.gain = 1;
		cam->set.fps = camera_maxfps(cam);
	}
	snprintf(cam->ip_active, sizeof(cam->ip_active), "%s",
		 cam->ip_mode == IPMODE_AUTOMATIC ? "192.168.0.147" : cam->ip_address);
}

void camera_power_on(struct camera *cam, double now, const char *reason)
{
	stop_jobs(cam);
	stop_cooling(cam, now);
	cam->standby = false;
	load_boot_settings(cam);
	camera_set_state(cam, ST_STARTING, reason);
	cam->boot_next = now + boot_step(cam, ST_STARTING);
}

void camera_power_off(struct camera *cam, double now)
{
	stop_jobs(cam);
	stop_cooling(cam, now);
	camera_set_state(cam, ST_OFF, "powered off");
}

static void boot_advance(struct camera *cam, double t)
{
	if (cam->state == ST_STARTING) {
		camera_set_state(cam, ST_CONFIGURING, "reading the configuration");
		cam->boot_next = t + boot_step(cam, ST_CONFIGURING);
		return;
	}
	cam->boot_next = -1;
	if (cam->state == ST_CONFIGURING)
		camera_set_state(cam, boot_target(cam, t), "boot completed");
}

void camera_force_state(struct camera *cam, enum cam_state st, double now, const char *reason)
{
	bool cold = st == ST_OPERATIONAL || st == ST_STANDBY || st == ST_ISBEINGCOOLED;

	stop_jobs(cam);
	if (camera_is_one(cam)) {
		cam->cooling = cold;
		cam->standby = st == ST_STANDBY;
		if (cold) /* cold already, or cooling from ambient */
			cam->cryo = (typeof(cam->cryo)){ now, st == ST_ISBEINGCOOLED ? AMBIENT_K : SETPOINT_K,
							 SETPOINT_K, COOL_RATE };
		else
			stop_cooling(cam, now);
		if (st == ST_POORVACUUM && camera_pressure(cam, now) <= camera_poor_vacuum(cam))
			camera_set_pressure(cam, camera_poor_vacuum(cam) * 1.6, now);
		if (st == ST_FAULTYVACUUM && camera_pressure(cam, now) <= camera_faulty_vacuum(cam))
			camera_set_pressure(cam, camera_faulty_vacuum(cam) * 1.5, now);
		if (st == ST_VACUUMREGE) {
			cam->regen_p0 = camera_pressure(cam, now);
			cam->regen_start = now;
			cam->regen_end = now + REGEN_DURATION;
		}
	}
	cam->error_last_session = st == ST_PREVSAFE || st == ST_SAFE;
	cam->locked_for_good = st == ST_LOCKED;
	if (st == ST_STARTING || st == ST_CONFIGURING)
		cam->boot_next = now + boot_step(cam, st);
	camera_set_state(cam, st, reason);
}

int camera_cooling(struct camera *cam, bool on, double now, char *msg, size_t size)
{
	enum cam_state st = cam->state;

	if (!on) {
		if (cam->cooling) {
			stop_cooling(cam, now);
			if (st == ST_ISBEINGCOOLED || st == ST_STANDBY || st == ST_OPERATIONAL)
				camera_set_state(cam, ST_READY, "cooling stopped");
		}
		return 0;
	}
	if (st == ST_ISBEINGCOOLED || st == ST_STANDBY || st == ST_OPERATIONAL)
		return 0;
	if (st != ST_READY) {
		snprintf(msg, size, "cannot start cooling in state %s%s", state_names[st],
			 st == ST_PREVSAFE || st == ST_POORVACUUM ? " (use continue first)" : "");
		return -1;
	}
	cam->cooling = true;
	cam->set.gain = 1;
	cryo_ramp(cam, SETPOINT_K, COOL_RATE, now);
	camera_set_state(cam, ST_ISBEINGCOOLED, "cooling started");
	return 0;
}

int camera_standby(struct camera *cam, bool on, char *msg, size_t size)
{
	if (!cam->cooling) {
		snprintf(msg, size, "standby needs a cooled camera (status: %s)",
			 state_names[cam->state]);
		return -1;
	}
	cam->standby = on;
	if (on && cam->state == ST_OPERATIONAL)
		camera_set_state(cam, ST_STANDBY, "standby mode on");
	else if (!on && cam->state == ST_STANDBY && cam->standby_end < 0)
		camera_set_state(cam, ST_OPERATIONAL, "standby mode off");
	return 0;
}

int camera_continue(struct camera *cam, double now, char *msg, size_t size)
{
	enum cam_state st = cam->state;

	if (st == ST_FAULTYVACUUM) {
		snprintf(msg, size, "vacuum too poor (%.1e mbar): regenerate the getter first",
			 camera_pressure(cam, now));
		return -1;
	}
	if (st != ST_PREVSAFE && st != ST_POORVACUUM) {
		snprintf(msg, size, "nothing to continue (status: %s)", state_names[st]);
		return -1;
	}
	cam->error_last_session = false;
	if (!camera_is_one(cam)) {
		camera_set_state(cam, ST_CONFIGURING, "continue requested");
		cam->boot_next = now + 2.0;
		return 0;
	}
	/* from prevsafe the vacuum is checked as at boot; poorvacuum is overridden */
	camera_set_state(cam, st == ST_PREVSAFE ? boot_target(cam, now) : ST_READY,
			 "continue requested");
	return 0;
}

/* The lock rule: more than four regenerations within 48 hours (two before
 * firmware 2.0.0) lock the camera at the next attempt. */
static int regen_allowed(struct camera *cam, double now)
{
	int limit = camera_fw_at_least(cam, "2.0.0") ? 4 : 2, n = 0;

	for (int i = 0; i < cam->nregen_at; i++)
		if (now - cam->regen_at[i] < REGEN_WINDOW)
			cam->regen_at[n++] = cam->regen_at[i];
	cam->nregen_at = n;
	return n < limit ? 0 : limit;
}

int camera_interruptible(const struct camera *cam, double now, char *msg, size_t size)
{
	/* "the operation is quite long, about 2 hours, and CAN NOT BE
	 * INTERRUPTED. The camera should not be used or turned off until the
	 * operation is complete." */
	if (cam->state != ST_VACUUMREGE)
		return 0;
	snprintf(msg, size, "getter regeneration in progress (%.0f s left): it cannot be "
		 "interrupted", cam->regen_end > now ? cam->regen_end - now : 0);
	return -1;
}

int camera_redovacuum(struct camera *cam, double now, char *msg, size_t size)
{
	enum cam_state st = cam->state;
	int limit;

	if (st != ST_READY && st != ST_POORVACUUM && st != ST_FAULTYVACUUM) {
		snprintf(msg, size, "getter regeneration not possible in state %s%s",
			 state_names[st], cam->cooling ? " (set cooling off and let it warm up)" : "");
		return -1;
	}
	/* "Before starting the getter regeneration, the camera must be at
	 * room temperature and cooled using cooling fluid" */
	if (cam->cooling || camera_temperature(cam, T1_DIODE, now) < ROOM_K) {
		snprintf(msg, size, "getter regeneration needs the camera at room temperature with "
			 "cooling off (cryostat at %.0f K, cooling %s)",
			 camera_temperature(cam, T1_DIODE, now), cam->cooling ? "on" : "off");
		return -1;
	}
	if (camera_pressure(cam, now) > camera_faulty_vacuum(cam)) {
		snprintf(msg, size, "pressure %.1e mbar too high for a getter regeneration: "
			 "pump the cryostat first", camera_pressure(cam, now));
		return -1;
	}
	if ((limit = regen_allowed(cam, now))) {
		cam->locked_for_good = true;
		camera_set_state(cam, ST_LOCKED, "too many getter regenerations within 48 hours");
		snprintf(msg, size, "getter regeneration refused: %d regenerations within 48 hours, "
			 "camera locked", limit);
		return -1;
	}
	if (cam->nregen_at < REGEN_HISTORY)
		cam->regen_at[cam->nregen_at++] = now;
	cam->nbregen++;
	cam->regen_p0 = camera_pressure(cam, now);
	cam->regen_start = now;
	cam->regen_end = now + REGEN_DURATION;
	camera_set_state(cam, ST_VACUUMREGE, "getter regeneration started");
	return 0;
}

int camera_nuc_start(struct camera *cam, int kind, int nframes, double now, char *msg, size_t size)
{
	if (cam->state != ST_OPERATIONAL) {
		snprintf(msg, size, "NUC computation needs an operational camera (status: %s)",
			 state_names[cam->state]);
		return -1;
	}
	if ((kind == NUC_FLAT_HDR_C1 || kind == NUC_FLAT_HDR_C2) && !cam->set.hdr) {
		snprintf(msg, size, "HDR flats need HDR mode (set hdr on)");
		return -1;
	}
	cam->nuc_build.active = true;
	cam->nuc_build.kind = kind;
	cam->nuc_build.nframes = nframes;
	cam->nuc_build.start = now;
	/* grab the frames, then about a second of computation */
	cam->nuc_build.end = now + nframes / cam->set.fps + 1.5;
	return 0;
}

void camera_nuc_abort(struct camera *cam)
{
	cam->nuc_build.active = false;
}

double camera_nuc_remaining(const struct camera *cam, double now)
{
	if (!cam->nuc_build.active || now >= cam->nuc_build.end)
		return 0;
	return cam->nuc_build.end - now;
}

static void check_temperatures(struct camera *cam, double now)
{
	int n;
	const struct temp_sensor *ts = camera_temp_sensors(cam, &n);

	for (int i = 0; i < n; i++) {
		double v = camera_temperature(cam, i, now);
		char reason[96];

		if (v > ts[i].warn && !cam->temp_warned[i])
			camera_event(cam, "warning: %s temperature %.1f %s above %.0f %s",
				     ts[i].label, v, ts[i].unit, ts[i].warn, ts[i].unit);
		cam->temp_warned[i] = v > ts[i].warn;
		if ((v > ts[i].trip || v < ts[i].low) && cam->state != ST_SAFE &&
		    cam->state != ST_LOCKED && cam->state != ST_OFF) {
			snprintf(reason, sizeof(reason), "%s temperature %.1f %s %s %.0f %s",
				 ts[i].label, v, ts[i].unit, v > ts[i].trip ? "above" : "below",
				 v > ts[i].trip ? ts[i].trip : ts[i].low, ts[i].unit);
			stop_jobs(cam);
			stop_cooling(cam, now);
			camera_event(cam, "error: %s, entering safe mode", reason);
			camera_set_state(cam, ST_SAFE, reason);
		}
	}
}

void camera_check_health(struct camera *cam, double now)
{
	double p = camera_pressure(cam, now);
	bool poor = camera_is_one(cam) && p > camera_poor_vacuum(cam);

	check_temperatures(cam, now);
	if (poor && !cam->pressure_warned)
		camera_event(cam, "warning: cryostat pressure %.1e mbar above %.0e mbar, "
			     "getter regeneration recommended", p, camera_poor_vacuum(cam));
	cam->pressure_warned = poor;
}

double camera_next_deadline(const struct camera *cam)
{
	double t = INFINITY;

	if (cam->boot_next >= 0)
		t = fmin(t, cam->boot_next);
	if (cam->standby_end >= 0)
		t = fmin(t, cam->standby_end);
	if (cam->state == ST_ISBEINGCOOLED)
		t = fmin(t, cryo_reach_time(cam));
	if (cam->state == ST_VACUUMREGE && cam->regen_end >= 0)
		t = fmin(t, cam->regen_end);
	if (cam->nuc_build.active)
		t = fmin(t, cam->nuc_build.end);
	return t;
}

/* Fire the one timer due at t. */
static void fire(struct camera *cam, double t)
{
	if (cam->boot_next >= 0 && cam->boot_next <= t) {
		boot_advance(cam, t);
	} else if (cam->standby_end >= 0 && cam->standby_end <= t) {
		cam->standby_end = -1;
		if (!cam->standby)
			camera_set_state(cam, ST_OPERATIONAL, "sensor on");
	} else if (cam->state == ST_ISBEINGCOOLED && cryo_reach_time(cam) <= t) {
		camera_set_state(cam, ST_STANDBY, "setpoint reached");
		cam->standby_end = t + STANDBY_PAUSE;
	} else if (cam->state == ST_VACUUMREGE && cam->regen_end >= 0 && cam->regen_end <= t) {
		camera_set_pressure(cam, REGEN_END_PRESSURE, t);
		cam->regen_end = -1;
		camera_event(cam, "getter regeneration done");
		camera_set_state(cam, ST_READY, "getter regeneration done");
	} else if (cam->nuc_build.active && cam->nuc_build.end <= t) {
		cam->nuc_build.active = false;
		camera_nuc_build_file(cam, cam->nuc_build.kind);
		camera_event(cam, "buildnuc %s done", nuc_kind_file(cam->nuc_build.kind));
	}
}

void camera_advance(struct camera *cam, double now)
{
	double t;

	/* in deadline order, so a jump of the clock replays every step */
	while ((t = camera_next_deadline(cam)) <= now)
		fire(cam, t);
	/* readings drift (pressure, water under load): judge them as they are */
	if (cam->state != ST_OFF)
		camera_check_health(cam, now);
}

/* credctl history: the parts shared by its files. The log is what
 * `credctl check --log` writes: one JSON object per line; history reads
 * the pressure readings of each camera back from it. */
#ifndef CREDCTL_HISTORY_H
#define CREDCTL_HISTORY_H

#include <math.h>
#include "ops.h"

struct sample {
	time_t t;
	double p;          /* mbar */
	long regen;        /* getter regenerations the camera counted; -1 */
	bool regenerating; /* logged in state vacuumrege */
};

struct cam_log {
	char key[64];      /* hwuid, else serial, else "unknown" */
	char serial[64], hwuid[64], model[32], firmware[32];
	struct sample *s;
	size_t n, cap;
	double warn, crit; /* the newest record's limits (NAN: none logged) */
};

/* The trend: least squares of log10(pressure) against time in days. */
struct fit {
	bool ok;
	size_t first, n;   /* samples used: s[first .. first + n - 1] */
	bool after_regen;  /* the window starts after a getter regeneration */
	double slope;      /* decades per day */
	double now_log;    /* fitted log10(pressure) at the last sample */
	double warn;       /* mbar */
	double days;       /* to the warning: 0 already there, NAN never (not rising) */
};

/* Fit the samples of c: from the last getter regeneration on (a rise of
 * the camera's count, a reading logged in vacuumrege, or a fall of the
 * pressure by ten times between two readings), and within the last
 * max_days days when max_days > 0. Needs readings spanning an hour. */
void history_fit(const struct cam_log *c, double max_days, double warn, struct fit *f);

/* Draw c and its trend into a PNG at out with gnuplot (refusing to
 * overwrite it without force). Dies on failure. */
void history_plot(const struct cam_log *c, const struct fit *f, const char *out, bool force);
/* Die (exit 1) with a clear message unless gnuplot can be run. */
void history_need_gnuplot(void);

#endif

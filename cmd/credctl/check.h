/* credctl check: the parts shared by its files. A check runs probes
 * (vacuum, temperatures, state); each gives a level, a short text and
 * performance data, and the check prints them as one monitoring-plugin
 * line and may log them as one JSON line. */
#ifndef CREDCTL_CHECK_H
#define CREDCTL_CHECK_H

#include "ops.h"

enum perf_style { PERF_SCI, PERF_FIXED, PERF_PLAIN };

/* One performance datum: label=VALUE[UNIT];[WARN];[CRIT]. warn and crit
 * are already in the plugin range syntax ("5e-3", "~:40", "-15:85"), ""
 * for none. */
struct perf {
	char label[24];
	const char *param; /* the get name: the key in the JSON record */
	double value;
	const char *unit;
	char warn[80], crit[80];
	enum perf_style style;
};

#define MAX_PERF 16

struct probe {
	const char *name;       /* "vacuum", "temps", "status" */
	enum cred_level level;
	char text[400];
	struct perf perf[MAX_PERF];
	int nperf;
};

enum thresholds { TH_AUTO, TH_NEW, TH_OLD };

struct check_conf {
	enum thresholds thresholds;
	double warn, crit;             /* vacuum overrides in mbar; NAN: none */
	double water_warn, water_crit; /* C */
	double cryo_warn, cryo_crit;   /* K away from the setpoint */
	const char *log;
};

struct check_run {
	const struct check_conf *conf;
	struct cred_camera *cam;        /* NULL when it could not be opened */
	char state[32];                 /* "" until read */
	bool dead;                      /* the camera stopped answering */
	char dead_why[300];
	double getter_count;            /* NAN unless read */
	struct cred_vacuum_limits vac;  /* the limits the vacuum probe used */
	bool vac_used;
};

/* The probes. Each fills p (level, text, perfdata); a camera that stops
 * answering makes the probe UNKNOWN and sets run->dead, and later probes
 * then say so without asking again. */
void probe_vacuum(struct check_run *run, struct probe *p);
void probe_temps(struct check_run *run, struct probe *p);
void probe_status(struct check_run *run, struct probe *p);

/* Append to p->text, separating parts with ", ". */
void probe_say(struct probe *p, const char *fmt, ...) PRINTF(2, 3);
/* Numbers as the plugin line writes them: PERF_SCI "7.1e-3", "5e-3";
 * PERF_FIXED "19.5" (one decimal, two when needed); PERF_PLAIN "%g". */
void format_value(char *buf, size_t size, double v, enum perf_style style);

/* The JSON record of a check (the --log line, the --json output). */
json_t *check_record(const struct check_run *run, const char *what, enum cred_level level,
		     const char *text, const struct probe *probes, int n,
		     const struct cam_identity *id);

#endif

/* credctl check vacuum|temps|status|all: a monitoring plugin. One line
 * "CRED VACUUM WARNING - pressure 7.1e-3 mbar (poor) | pressure=7.1e-3mbar;5e-3;2e-2"
 * and the plugin exit statuses: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
 * Every failure, a usage error included, is UNKNOWN: a monitoring system
 * must never read a broken check as a camera problem or as good news. */
#include "check.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_THRESHOLDS = OPT_TOOL_BASE,
	OPT_WATER_WARN, OPT_WATER_CRIT, OPT_CRYO_WARN, OPT_CRYO_CRIT, OPT_LOG,
};

struct check_what {
	const char *name;
	void (*probes[3])(struct check_run *, struct probe *);
};

static const struct check_what whats[] = {
	{ "vacuum", { probe_vacuum } },
	{ "temps", { probe_temps } },
	{ "status", { probe_status } },
	{ "all", { probe_status, probe_vacuum, probe_temps } },
};

/* ---- options ------------------------------------------------------------------------ */

static int handle_opt(int opt, const char *arg, void *user)
{
	struct check_conf *conf = user;

	switch (opt) {
	case OPT_THRESHOLDS:
		if (!strcmp(arg, "new") || !strcmp(arg, "old") || !strcmp(arg, "auto"))
			conf->thresholds = arg[0] == 'n' ? TH_NEW : arg[0] == 'o' ? TH_OLD : TH_AUTO;
		else
			die_usage("invalid thresholds '%s': use new, old or auto", arg);
		return 0;
	case 'w': conf->warn = get_quantity_arg("warning pressure", arg, "mbar", 1e-12, 2000); return 0;
	case 'c': conf->crit = get_quantity_arg("critical pressure", arg, "mbar", 1e-12, 2000); return 0;
	case OPT_WATER_WARN: conf->water_warn = get_quantity_arg("water warning", arg, "C", -50, 200); return 0;
	case OPT_WATER_CRIT: conf->water_crit = get_quantity_arg("water critical", arg, "C", -50, 200); return 0;
	case OPT_CRYO_WARN: conf->cryo_warn = get_quantity_arg("cryostat warning", arg, "K", 0, 300); return 0;
	case OPT_CRYO_CRIT: conf->cryo_crit = get_quantity_arg("cryostat critical", arg, "K", 0, 300); return 0;
	case OPT_LOG: conf->log = arg; return 0;
	default: return -1;
	}
}

static void check_limits(const struct check_conf *c)
{
	double w = c->warn, k = c->crit;

	/* with one override only, the other limit comes from the firmware */
	if (!isnan(w) && !isnan(k) && w > k)
		die_usage("the warning pressure %g is above the critical one %g", w, k);
	if (c->water_warn > c->water_crit)
		die_usage("the water warning %g C is above the critical %g C", c->water_warn, c->water_crit);
	if (c->cryo_warn > c->cryo_crit)
		die_usage("the cryostat warning %g K is above the critical %g K", c->cryo_warn, c->cryo_crit);
}

static const struct check_what *parse_args(struct ctl *ctl, int argc, char **argv,
					   struct check_conf *conf)
{
	static const struct option longopts[] = {
		{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
		{ "warning", required_argument, NULL, 'w' },
		{ "critical", required_argument, NULL, 'c' },
		{ "water-warning", required_argument, NULL, OPT_WATER_WARN },
		{ "water-critical", required_argument, NULL, OPT_WATER_CRIT },
		{ "cryostat-warning", required_argument, NULL, OPT_CRYO_WARN },
		{ "cryostat-critical", required_argument, NULL, OPT_CRYO_CRIT },
		{ "log", required_argument, NULL, OPT_LOG },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.shortopts = "w:c:", .longopts = longopts, .common = COMMON_JSON,
		.print_help = credctl_help,
	};
	int first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_opt, conf);

	if (first >= argc)
		die_usage("check needs what to check: vacuum, temps, status or all");
	if (first + 1 < argc)
		die_usage("check takes one of vacuum, temps, status or all (got '%s %s')",
			  argv[first], argv[first + 1]);
	for (size_t i = 0; i < ARRAY_SIZE(whats); i++)
		if (!strcmp(argv[first], whats[i].name))
			return &whats[i];
	die_usage("unknown check '%s': use vacuum, temps, status or all", argv[first]);
}

/* ---- the camera ------------------------------------------------------------------------ */

static void open_for_check(struct ctl *ctl, struct check_run *run)
{
	const struct common_opts *c = &ctl->opts;
	struct cred_camera_options o = {
		.port = c->port,
		.model = c->model ? c->model->id : CRED_MODEL_UNKNOWN,
		.timeout_ms = c->timeout_ms,
		.lock_wait_ms = lock_wait(c),
	};
	const char *port = effective_port(c), *msg;
	int err = cred_camera_open(&o, &run->cam);

	if (err == CRED_OK)
		return;
	run->cam = NULL;
	run->dead = true;
	msg = *cred_last_error() ? cred_last_error() : cred_strerror(err);
	if (strstr(msg, port))
		snprintf(run->dead_why, sizeof(run->dead_why), "%s", msg);
	else
		snprintf(run->dead_why, sizeof(run->dead_why), "cannot open '%s': %s", port, msg);
}

/* ---- the line -------------------------------------------------------------------------- */

static void append(char **s, const char *fmt, ...) PRINTF(2, 3);
static void append(char **s, const char *fmt, ...)
{
	char *more, *joined;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&more, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	if (asprintf(&joined, "%s%s", *s ? *s : "", more) < 0)
		die("out of memory");
	free(*s);
	free(more);
	*s = joined;
}

static char *probes_text(const struct probe *p, int n)
{
	char *text = NULL;

	for (int i = 0; i < n; i++) {
		if (n == 1)
			append(&text, "%s", p[i].text);
		else
			append(&text, "%s%s: %s", i ? "; " : "", p[i].name, p[i].text);
	}
	return text;
}

static char *perf_text(const struct probe *p, int n)
{
	char *text = NULL, v[32];

	for (int i = 0; i < n; i++)
		for (int j = 0; j < p[i].nperf; j++) {
			const struct perf *pf = &p[i].perf[j];

			format_value(v, sizeof(v), pf->value, pf->style);
			append(&text, "%s%s=%s%s", text ? " " : "", pf->label, v,
			       isnan(pf->value) ? "" : pf->unit);
			if (*pf->warn || *pf->crit)
				append(&text, ";%s;%s", pf->warn, pf->crit);
		}
	return text;
}

static void print_line(const struct check_what *w, enum cred_level level, const char *text,
		       const struct probe *p, int n)
{
	char name[16] = "";
	char *perf = perf_text(p, n);

	if (strcmp(w->name, "all"))
		for (size_t i = 0; w->name[i] && i < sizeof(name) - 2; i++)
			name[i] = toupper((unsigned char)w->name[i]), name[i + 1] = '\0';
	printf("CRED%s%s %s - %s%s%s\n", *name ? " " : "", name, cred_health_level_name(level), text,
	       perf ? " | " : "", perf ? perf : "");
	free(perf);
}

/* --json: the log record, indented, numbers as short as they are exact. */
static void print_record(json_t *rec)
{
	print_json(json_incref(rec));
}

/* ---- the log ---------------------------------------------------------------------------- */

/* A log that cannot be written makes the result at least UNKNOWN (a
 * warning or critical camera stays so) and says why in the text. */
static void write_log(const char *path, json_t *rec, enum cred_level *level, char **text)
{
	char *line = json_line(rec);

	if (append_line(path, line, 0644) < 0) {
		const char *why = errno == ELOOP ? "it is a symbolic link" :
				  errno == EINVAL ? "not a regular file" : strerror(errno);

		*level = cred_health_level_worst(*level, CRED_LEVEL_UNKNOWN);
		append(text, "; log '%s' not written: %s", path, why);
		print_error("cannot write the log '%s': %s", path, why);
	}
	free(line);
}

/* ---- run ----------------------------------------------------------------------------------- */

static int run_check(struct ctl *ctl, const struct check_what *w, const struct check_conf *c)
{
	struct check_run run = { .conf = c, .getter_count = NAN };
	struct probe probes[3] = { 0 };
	struct cam_identity id = { "", "" };
	enum cred_level level = CRED_LEVEL_OK;
	int n = 0;
	char *text;
	json_t *rec;

	open_for_check(ctl, &run);
	for (int i = 0; i < 3 && w->probes[i]; i++) {
		/* on a C-RED 3, "all" leaves out the vacuum it has not got */
		if (run.cam && w->probes[1] && w->probes[i] == probe_vacuum &&
		    cred_camera_model(run.cam)->id != CRED_MODEL_CREDONE)
			continue;
		w->probes[i](&run, &probes[n]);
		level = cred_health_level_worst(level, probes[n++].level);
	}
	/* a camera that cannot be opened: say why once, not per probe */
	text = run.cam ? probes_text(probes, n) : strdup(run.dead_why);
	if (!text)
		die("out of memory");
	if ((c->log || ctl->opts.json) && run.cam && !run.dead)
		read_identity(run.cam, &id);
	rec = check_record(&run, w->name, level, text, probes, n, &id);
	if (c->log)
		write_log(c->log, rec, &level, &text);
	cred_camera_close(run.cam);
	if (ctl->opts.json) {
		json_object_set_new(rec, "level", json_string(cred_health_level_name(level)));
		print_record(rec);
	} else {
		print_line(w, level, text, probes, n);
	}
	json_decref(rec);
	free(text);
	return level;
}

int cmd_check(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	struct check_conf c = {
		.thresholds = TH_AUTO, .warn = NAN, .crit = NAN,
		.water_warn = CRED_WATER_WARNING_C, .water_crit = CRED_WATER_CRITICAL_C,
		.cryo_warn = CRED_CRYOSTAT_WARNING_K, .cryo_crit = CRED_CRYOSTAT_CRITICAL_K,
	};
	const struct check_what *w;

	/* the plugin convention: a usage error is UNKNOWN */
	set_usage_exit(CRED_LEVEL_UNKNOWN);
	w = parse_args(ctl, argc, argv, &c);
	check_limits(&c);
	return run_check(ctl, w, &c);
}

/* credctl history FILE: what a check log (credctl check --log) says about
 * each camera's vacuum: the pressure per day (readings, minimum, maximum,
 * change from the day before) and the trend, with the days left until the
 * poor vacuum limit at that trend (see credctl-history-fit.c for why the
 * fit is on the logarithm). Days are UTC dates, as in the log. */
#include "history.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_DAYS = OPT_TOOL_BASE, OPT_CAMERA, OPT_PLOT, OPT_FORCE };

struct history_args {
	double days;         /* fit window; 0: since the last regeneration */
	double warn;         /* NAN: from the log */
	const char *camera;  /* serial or hwuid; NULL: every camera */
	const char *plot;
	bool force;
};

struct history {
	struct cam_log *cams;
	size_t n;
	long bad;            /* lines that are not JSON records */
};

/* ---- reading the log ------------------------------------------------------------------ */

static struct cam_log *camera_for(struct history *h, const char *key)
{
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->cams[i].key, key))
			return &h->cams[i];
	h->cams = realloc(h->cams, (h->n + 1) * sizeof(*h->cams));
	if (!h->cams)
		die("out of memory");
	memset(&h->cams[h->n], 0, sizeof(h->cams[0]));
	snprintf(h->cams[h->n].key, sizeof(h->cams[0].key), "%s", key);
	h->cams[h->n].warn = h->cams[h->n].crit = NAN;
	return &h->cams[h->n++];
}

static void copy_field(json_t *rec, const char *name, char *dst, size_t size)
{
	const char *v = json_string_value(json_object_get(rec, name));

	if (v && *v)
		snprintf(dst, size, "%s", v);
}

static void add_sample(struct cam_log *c, const struct sample *s)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->s = realloc(c->s, c->cap * sizeof(*c->s));
		if (!c->s)
			die("out of memory");
	}
	c->s[c->n++] = *s;
}

/* One record: false if it is not one of ours. Records without a pressure
 * (a C-RED 3, a camera that did not answer) are fine and skipped. */
static bool take_record(struct history *h, json_t *rec, const struct history_args *a)
{
	json_t *values = json_object_get(rec, "values"), *limits;
	const char *stamp = json_string_value(json_object_get(rec, "timestamp"));
	const char *hw = json_string_value(json_object_get(rec, "hwuid"));
	const char *serial = json_string_value(json_object_get(rec, "serial"));
	/* Logs written before credtools-json(7) said "state" and
	 * "getter_regenerations": read both. */
	const char *state = json_string_value(json_object_get(values, "status"));
	json_t *p = json_object_get(values, "pressure"), *n = json_object_get(values, "getter.nbregeneration");
	struct sample s = { .regen = json_is_integer(n) ? (long)json_integer_value(n) : -1 };
	struct cam_log *c;

	if (!state)
		state = json_string_value(json_object_get(values, "state"));
	if (!n) {
		n = json_object_get(values, "getter_regenerations");
		s.regen = json_is_integer(n) ? (long)json_integer_value(n) : -1;
	}
	if (!json_is_object(rec) || !stamp || !parse_utc(stamp, &s.t))
		return false;
	if (!json_is_number(p) || (s.p = json_number_value(p)) <= 0)
		return true;
	if (a->camera && !(hw && !strcmp(hw, a->camera)) && !(serial && !strcmp(serial, a->camera)))
		return true;
	s.regenerating = state && !strcmp(state, "vacuumrege");
	c = camera_for(h, hw && *hw ? hw : serial && *serial ? serial : "unknown");
	copy_field(rec, "serial", c->serial, sizeof(c->serial));
	copy_field(rec, "hwuid", c->hwuid, sizeof(c->hwuid));
	copy_field(rec, json_object_get(rec, "model_name") ? "model_name" : "model", c->model,
		   sizeof(c->model));
	copy_field(rec, json_object_get(rec, "version.firmware") ? "version.firmware" : "firmware",
		   c->firmware, sizeof(c->firmware));
	limits = json_object_get(json_object_get(rec, "limits"), "pressure");
	if (json_is_number(json_object_get(limits, "warning")))
		c->warn = json_number_value(json_object_get(limits, "warning"));
	if (json_is_number(json_object_get(limits, "critical")))
		c->crit = json_number_value(json_object_get(limits, "critical"));
	add_sample(c, &s);
	return true;
}

static int by_time(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;

	return (x->t > y->t) - (x->t < y->t);
}

static void read_log(const char *path, struct history *h, const struct history_args *a)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL;
	size_t size = 0;
	long lineno = 0;

	if (!f)
		die_perror("cannot open '%s'", path);
	while (getline(&line, &size, f) >= 0) {
		json_t *rec;

		lineno++;
		if (!line[strspn(line, " \t\r\n")])
			continue;
		rec = json_loads(line, 0, NULL);
		if (!take_record(h, rec, a) && h->bad++ < 3)
			print_warning("'%s' line %ld is not a check record (ignored)", path, lineno);
		json_decref(rec);
	}
	if (ferror(f))
		die_perror("cannot read '%s'", path);
	free(line);
	if (f != stdin)
		fclose(f);
	/* appends from concurrent checks may land slightly out of order */
	for (size_t i = 0; i < h->n; i++)
		qsort(h->cams[i].s, h->cams[i].n, sizeof(struct sample), by_time);
}

/* ---- per day ---------------------------------------------------------------------------- */

struct day {
	char date[11];
	int n;
	double min, max, mean; /* mean: geometric */
};

static void day_of(time_t t, char *buf)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* The days of c, in order; *nd their number (malloc'd). */
static struct day *days_of(const struct cam_log *c, size_t *nd)
{
	struct day *d = calloc(c->n ? c->n : 1, sizeof(*d));
	size_t k = 0;
	double logsum = 0;

	if (!d)
		die("out of memory");
	for (size_t i = 0; i < c->n; i++) {
		char date[11];

		day_of(c->s[i].t, date);
		if (!k || strcmp(d[k - 1].date, date)) {
			if (k)
				d[k - 1].mean = pow(10, logsum / d[k - 1].n);
			memcpy(d[k].date, date, sizeof(date));
			d[k].min = d[k].max = c->s[i].p;
			logsum = 0;
			k++;
		}
		d[k - 1].n++;
		d[k - 1].min = fmin(d[k - 1].min, c->s[i].p);
		d[k - 1].max = fmax(d[k - 1].max, c->s[i].p);
		logsum += log10(c->s[i].p);
	}
	if (k)
		d[k - 1].mean = pow(10, logsum / d[k - 1].n);
	*nd = k;
	return d;
}

/* ---- the warning limit -------------------------------------------------------------------- */

static double warning_limit(const struct cam_log *c, const struct history_args *a)
{
	struct cred_vacuum_limits l;

	if (!isnan(a->warn))
		return a->warn;
	if (!isnan(c->warn))
		return c->warn;
	cred_health_vacuum_limits_for(c->firmware, &l);
	return l.poor;
}

/* ---- text ---------------------------------------------------------------------------------- */

static void print_days(const struct day *d, size_t nd)
{
	printf("date        readings  minimum  maximum  trend\n");
	for (size_t i = 0; i < nd; i++) {
		char lo[32], hi[32];

		printf("%s  %8d  %7s  %7s", d[i].date, d[i].n, format_pressure(lo, sizeof(lo), d[i].min),
		       format_pressure(hi, sizeof(hi), d[i].max));
		if (i)
			printf("  %+.0f%%", (d[i].mean / d[i - 1].mean - 1) * 100);
		putchar('\n');
	}
}

static void print_trend(const struct cam_log *c, const struct fit *f)
{
	char from[32], when[32];

	if (!f->ok) {
		printf("trend: not enough readings (at least two, an hour apart%s)\n",
		       f->after_regen ? ", since the last getter regeneration" : "");
		return;
	}
	cred_format_utc(c->s[f->first].t, 0, 1, from, sizeof(from));
	printf("trend: least squares on log10(pressure), %zu readings since %s%s\n", f->n, from,
	       f->after_regen ? " (after the last getter regeneration)" : "");
	printf("  now about %s mbar, %s %.1f%% per day",
	       format_pressure(from, sizeof(from), pow(10, f->now_log)),
	       f->slope >= 0 ? "rising" : "falling", fabs(pow(10, f->slope) - 1) * 100);
	if (f->slope > 0)
		printf(" (doubling in %.1f days)", log10(2) / f->slope);
	printf("\n  poor vacuum limit %s mbar: ", format_pressure(from, sizeof(from), f->warn));
	if (f->days == 0)
		printf("reached already\n");
	else if (isnan(f->days))
		printf("not reached at this trend\n");
	else {
		cred_format_utc(c->s[c->n - 1].t + (time_t)(f->days * 86400), 0, 1, when, sizeof(when));
		printf("in about %.1f days (around %.10s)\n", f->days, when);
	}
}

static void print_camera(const struct cam_log *c, const struct fit *f, const struct day *d, size_t nd)
{
	printf("%s %s", *c->model ? c->model : "camera", *c->serial ? c->serial : c->key);
	if (*c->hwuid && strcmp(c->hwuid, c->serial))
		printf(" (hwuid %s)", c->hwuid);
	printf(": %zu pressure readings\n", c->n);
	print_days(d, nd);
	print_trend(c, f);
}

/* ---- JSON ----------------------------------------------------------------------------------- */

static json_t *days_json(const struct day *d, size_t nd)
{
	json_t *a = json_array();

	for (size_t i = 0; i < nd; i++)
		json_array_append_new(a, json_pack("{s:s, s:i, s:f, s:f, s:f, s:o}", "date", d[i].date,
						   "readings", d[i].n, "min", d[i].min, "max", d[i].max,
						   "mean", d[i].mean, "change",
						   i ? json_real(d[i].mean / d[i - 1].mean - 1) : json_null()));
	return a;
}

static json_t *real_or_null(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *trend_json(const struct cam_log *c, const struct fit *f)
{
	char from[32], when[32];

	if (!f->ok)
		return json_null();
	cred_format_utc(c->s[f->first].t, 0, 1, from, sizeof(from));
	if (isfinite(f->days))
		cred_format_utc(c->s[c->n - 1].t + (time_t)(f->days * 86400), 0, 1, when, sizeof(when));
	return json_pack("{s:s, s:i, s:s, s:b, s:f, s:f, s:o, s:f, s:f, s:o, s:o}",
			 "method", "least squares on log10(pressure)", "readings", (int)f->n,
			 "since", from, "after_regeneration", f->after_regen,
			 "slope_decades_per_day", f->slope, "change_per_day", pow(10, f->slope) - 1,
			 "doubling_days", real_or_null(f->slope > 0 ? log10(2) / f->slope : NAN),
			 "now", pow(10, f->now_log), "warning", f->warn,
			 "days_to_warning", real_or_null(f->days),
			 "warning_date", isfinite(f->days) ? json_string(when) : json_null());
}

static json_t *camera_json(const struct cam_log *c, const struct fit *f, const struct day *d, size_t nd)
{
	json_t *o = json_object();

	if (*c->model)
		json_object_set_new(o, "model", json_string(c->model));
	if (*c->serial)
		json_object_set_new(o, "serial", json_string(c->serial));
	if (*c->hwuid)
		json_object_set_new(o, "hwuid", json_string(c->hwuid));
	json_object_set_new(o, "readings", json_integer((json_int_t)c->n));
	json_object_set_new(o, "days", days_json(d, nd));
	json_object_set_new(o, "trend", trend_json(c, f));
	return o;
}

/* ---- the subcommand ----------------------------------------------------------------------------- */

static int handle_opt(int opt, const char *arg, void *user)
{
	struct history_args *args = user;

	switch (opt) {
	case OPT_DAYS: args->days = get_double_arg("number of days", arg, 0.01, 36500); return 0;
	case 'w': args->warn = get_quantity_arg("warning pressure", arg, "mbar", 1e-12, 2000); return 0;
	case OPT_CAMERA: args->camera = arg; return 0;
	case OPT_PLOT: args->plot = arg; return 0;
	case OPT_FORCE: args->force = true; return 0;
	default: return -1;
	}
}

static const char *parse_history(struct ctl *ctl, int argc, char **argv, struct history_args *a)
{
	static const struct option longopts[] = {
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "warning", required_argument, NULL, 'w' },
		{ "camera", required_argument, NULL, OPT_CAMERA },
		{ "plot", required_argument, NULL, OPT_PLOT },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.shortopts = "w:", .longopts = longopts, .common = COMMON_JSON, .print_help = credctl_help,
	};
	struct stat st;
	int first;

	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_opt, a);
	if (first + 1 != argc)
		die_usage("history needs one log file (from credctl check --log)");
	if (a->plot && !strcmp(a->plot, "-"))
		die_usage("--plot needs a file name (the summary goes to standard output)");
	if (a->plot && !a->force && lstat(a->plot, &st) == 0)
		die("'%s' exists (use --force to replace it)", a->plot);
	if (a->plot)
		history_need_gnuplot();
	return argv[first];
}

int cmd_history(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	struct history_args a = { .warn = NAN };
	struct history h = { 0 };
	const char *path = parse_history(ctl, argc, argv, &a);
	json_t *cams = json_array();

	read_log(path, &h, &a);
	if (!h.n)
		die("no pressure readings%s in '%s'", a.camera ? " of that camera" : "", path);
	if (a.plot && h.n > 1)
		die_usage("'%s' holds %zu cameras: choose one with --camera for the plot", path, h.n);
	for (size_t i = 0; i < h.n; i++) {
		struct cam_log *c = &h.cams[i];
		struct fit f;
		size_t nd;
		struct day *d = days_of(c, &nd);

		history_fit(c, a.days, warning_limit(c, &a), &f);
		if (ctl->opts.json) {
			json_array_append_new(cams, camera_json(c, &f, d, nd));
		} else {
			if (i)
				putchar('\n');
			print_camera(c, &f, d, nd);
		}
		if (a.plot)
			history_plot(c, &f, a.plot, a.force);
		free(d);
		free(c->s);
	}
	if (ctl->opts.json)
		print_json(json_pack("{s:s, s:o, s:i}", "log", path, "cameras", cams, "ignored_lines", (int)h.bad));
	else
		json_decref(cams);
	free(h.cams);
	return EXIT_OK;
}

/* credctl getter status|regenerate: the C-RED One's getter pump.
 *
 * A regeneration takes about two hours, cannot be interrupted, heats the
 * top front of the camera to 150 C, and a fifth one within 48 hours locks
 * the camera for good. So regenerate checks the manual's preconditions
 * (warm camera, cooling off, water cooled, pressure low enough), counts
 * the recent regenerations from the camera and from a local journal, says
 * plainly what will happen and asks; then it watches the remaining time.
 * Started again while a regeneration runs, it just watches. */
#include "getter.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { OPT_JOURNAL = OPT_TOOL_BASE, OPT_FORCE_REGEN, OPT_INTERVAL };

/* The manual: "the camera must be at room temperature" (the detector
 * diode reads about 293 K warm, 80 K cold). */
#define ROOM_K 280.0

struct getter_args {
	const char *journal;
	int force;        /* --force-regeneration given this many times */
	int interval_ms;
};

struct getter {
	struct ctl *ctl;
	const struct getter_args *a;
	struct cam_identity id;
	const char *key;  /* the journal key: hwuid, else serial */
	char *path;       /* the journal */
	struct journal j;
	long count;       /* the camera's regeneration count */
	int limit;        /* regenerations allowed within 48 hours */
};

/* ---- the journal, brought up to date with the camera ------------------------------ */

static void journal_open(struct getter *g)
{
	g->path = journal_path(g->a->journal);
	if (!g->path)
		die("no place for the getter journal: set XDG_STATE_HOME or HOME, or use --journal");
	if (journal_load(g->path, g->key, time(NULL), &g->j) < 0)
		die_perror("cannot read the getter journal '%s'", g->path);
	if (g->j.bad_lines)
		print_warning("%d line(s) of the getter journal '%s' are not journal entries (ignored)",
			      g->j.bad_lines, g->path);
}

static void journal_write(struct getter *g, const char *event, long count)
{
	if (journal_add(g->path, g->key, g->id.serial, event, count, time(NULL)) < 0)
		die_perror("cannot write the getter journal '%s' (use --journal FILE)", g->path);
}

/* Compare the camera's count with the journal's: regenerations started
 * elsewhere (the vendor's GUI, another machine) count as just started. */
static void journal_sync(struct getter *g)
{
	long unlogged = g->j.known && g->j.last_count >= 0 ? g->count - g->j.last_count : 0;

	if (!g->j.known) {
		if (g->count > 0)
			print_warning("the getter journal '%s' has not seen this camera yet: its %ld earlier "
				      "regeneration(s) are taken as older than 48 hours", g->path, g->count);
		journal_write(g, EV_SEEN, g->count);
		return;
	}
	if (unlogged > 0) {
		print_warning("the camera counts %ld regeneration(s) the journal did not see start: "
			      "counted as started now", unlogged);
		for (long i = 1; i <= unlogged && i <= g->limit + 1; i++)
			journal_write(g, EV_UNLOGGED, g->j.last_count + i);
		g->j.recent += (int)(unlogged > g->limit + 1 ? g->limit + 1 : unlogged);
		if (!g->j.oldest)
			g->j.oldest = time(NULL);
	} else if (unlogged < 0) {
		journal_write(g, EV_SEEN, g->count); /* a count that went down: start afresh */
	}
}

static void getter_open(struct getter *g, struct ctl *ctl, const struct getter_args *a, const char *what)
{
	g->ctl = ctl;
	g->a = a;
	ctl_require_credone(ctl, what);
	read_identity(ctl_camera(ctl), &g->id);
	g->key = *g->id.hwuid ? g->id.hwuid : g->id.serial;
	if (!*g->key)
		die("the camera gives neither hwuid nor serial number: cannot keep its getter journal");
	g->count = lround(ctl_number(ctl, "getter.nbregeneration"));
	g->limit = cred_health_getter_limit(cred_camera_firmware(ctl_camera(ctl)));
	journal_open(g);
	journal_sync(g);
}

/* ---- status ------------------------------------------------------------------------- */

static void when_next(const struct getter *g, char *buf, size_t size)
{
	if (g->j.recent < g->limit)
		snprintf(buf, size, "now");
	else
		cred_format_utc(g->j.oldest + CRED_GETTER_WINDOW_S, 0, 1, buf, size);
}

static void report_number(struct report *r, const char *key, const char *label, double v,
			  const char *fmt, const char *unit)
{
	char buf[48];

	snprintf(buf, sizeof(buf), fmt, v);
	report_value(r, key, label, buf, unit);
}

/* The camera's state word in buf: nothing stays allocated on the paths
 * that die. */
static void read_state(struct ctl *ctl, char *buf, size_t size)
{
	char *state = ctl_state(ctl);

	snprintf(buf, size, "%s", state);
	free(state);
}

static int getter_status(struct getter *g)
{
	struct ctl *ctl = g->ctl;
	char state[64], buf[48], next[32];
	struct report r;

	read_state(ctl, state, sizeof(state));

	report_begin(&r, ctl);
	report_text(&r, "status", "state", state);
	report_number(&r, "getter.nbregeneration", "regenerations", g->count, "%.0f", "");
	snprintf(buf, sizeof(buf), "%d of %d", g->j.recent, g->limit);
	report_text(&r, "recent", "within 48 hours", buf);
	when_next(g, next, sizeof(next));
	report_text(&r, "next_allowed", "next allowed", next);
	report_number(&r, "getter.regeremainingtime", "time left", ctl_number(ctl, "getter.regeremainingtime"), "%.0f", "s");
	report_number(&r, "powers.getter", "getter power", ctl_number(ctl, "powers.getter"), "%.2f", "W");
	report_value(&r, "pressure", "pressure",
		     format_pressure(buf, sizeof(buf), ctl_number(ctl, "pressure")), "mbar");
	report_text(&r, "journal", "journal", g->path);
	return report_end(&r);
}

/* ---- watching --------------------------------------------------------------------------- */

/* The state in buf; false while the camera is too busy to answer in
 * time. */
static bool poll_state(struct ctl *ctl, char *buf, size_t size)
{
	char *state = NULL;
	int err = cred_camera_status(ctl_camera(ctl), &state);

	/* a read cut short by Ctrl-C is the stop the loop looks at, not a lost camera */
	if (err == CRED_ERR_TIMEOUT || err == CRED_ERR_FAIL || (err < 0 && stop_signal))
		return false;
	if (err < 0)
		die_cred(err, "lost the camera while watching the getter regeneration (it goes on)");
	snprintf(buf, size, "%s", state);
	free(state);
	return true;
}

static double poll_remaining(struct ctl *ctl)
{
	char *text = NULL;
	double v = NAN;

	if (cred_camera_get(ctl_camera(ctl), "getter.regeremainingtime", &text) == CRED_OK)
		parse_double(text, 0, HUGE_VAL, &v);
	free(text);
	return v;
}

static void show_progress(struct progress *p, struct ctl *ctl, double left, double *said)
{
	char hms[32], label[96];

	format_duration(left, hms, sizeof(hms));
	snprintf(label, sizeof(label), "getter regeneration: %s left", hms);
	if (p->enabled) {
		progress_update(p, p->total > left ? (unsigned long long)(p->total - left) : 0, label);
	} else if (ctl->opts.verbose && (isnan(*said) || *said - left >= 600)) {
		fprintf(stderr, "%s: %s\n", get_prog_name(), label); /* every 10 minutes */
		*said = left;
	}
}

static void watch_end(struct ctl *ctl, const char *state)
{
	double p = ctl_number(ctl, "pressure");
	char shown[32];

	if (strcasecmp(state, "ready"))
		die("the getter regeneration ended in state '%s' (pressure %s mbar)", state,
		    format_pressure(shown, sizeof(shown), p));
	if (!ctl->opts.quiet)
		printf("getter regeneration done: pressure %s mbar, state %s\n",
		       format_pressure(shown, sizeof(shown), p), state);
}

static int watch(struct getter *g)
{
	struct ctl *ctl = g->ctl;
	double left = poll_remaining(ctl), said = NAN;
	struct progress prog;
	char state[64], hms[32];

	progress_start(&prog, &ctl->opts, isnan(left) || left < 1 ? CRED_GETTER_DURATION_S : left);
	for (;;) {
		if (poll_state(ctl, state, sizeof(state)) && strcasecmp(state, "vacuumrege"))
			break;
		if (!isnan(left = poll_remaining(ctl)))
			show_progress(&prog, ctl, left, &said);
		if (stop_signal) {
			progress_end(&prog);
			format_duration(isnan(left) ? 0 : left, hms, sizeof(hms));
			die_interrupted("stopped watching: the getter regeneration goes on in the camera "
					"(%s left); run 'credctl getter regenerate' again to watch it",
					hms);
		}
		sleep_ms(g->a->interval_ms);
	}
	progress_end(&prog);
	watch_end(ctl, state);
	return EXIT_OK;
}

/* ---- regenerate ----------------------------------------------------------------------------- */

/* The manual's conditions, each with what to do about it. */
static void check_preconditions(struct getter *g, const char *state)
{
	struct ctl *ctl = g->ctl;
	struct cred_vacuum_limits vac;
	char *cooling = NULL;
	bool cooling_on;
	double diode, water, p;

	if (strcasecmp(state, "ready") && strcasecmp(state, "poorvacuum") && strcasecmp(state, "faultyvacuum"))
		die("cannot regenerate the getter in state '%s': %s", state,
		    cred_health_state_advice(state) ? cred_health_state_advice(state) : "wait for ready");
	cooling_on = ctl_get(ctl, "cooling", &cooling) == CRED_OK && !strcasecmp(cooling, "on");
	free(cooling);
	if (cooling_on)
		die("cooling is on: run 'credctl cooling off' and let the camera warm up first");
	if ((diode = ctl_number(ctl, "temperatures.cryostat.diode")) < ROOM_K)
		die("the camera is not at room temperature (cryostat %.1f K, needs %.0f K): "
		    "let it warm up (about 90 minutes from 80 K)", diode, ROOM_K);
	if ((water = ctl_number(ctl, "temperatures.water")) > CRED_WATER_MAX_SUPPLY_C)
		die("water at %.1f C (above %.0f C): the camera must be water cooled during the "
		    "regeneration; check the cooling water", water, CRED_WATER_MAX_SUPPLY_C);
	cred_health_vacuum_limits_for(cred_camera_firmware(ctl_camera(ctl)), &vac);
	if ((p = ctl_number(ctl, "pressure")) > vac.faulty) {
		char a[32], b[32];

		die("pressure %s mbar is above %s mbar: pump the cryostat first "
		    "(below 1e-5 mbar), then regenerate", format_pressure(a, sizeof(a), p),
		    format_pressure(b, sizeof(b), vac.faulty));
	}
}

/* The 48-hour rule: refuse, unless the user insists twice. */
static void check_window(struct getter *g)
{
	char next[32];

	if (g->j.recent < g->limit)
		return;
	when_next(g, next, sizeof(next));
	if (g->a->force < 2)
		die("%d getter regenerations of this camera within the last 48 hours (journal '%s'): "
		    "the camera locks itself for good at the next one; the next is allowed after %s%s",
		    g->j.recent, g->path, next,
		    g->a->force ? " (--force-regeneration must be given twice to override)" : "");
	print_warning("%d regenerations within 48 hours already: this one may LOCK the camera for good",
		      g->j.recent);
}

/* A question -y does not answer: only a person at a terminal may break
 * the 48-hour rule. */
static void ask_forced(void)
{
	char line[16];

	if (!isatty(STDIN_FILENO))
		die_code(EXIT_USAGE, "breaking the 48-hour rule needs an answer on a terminal");
	fputs("Type 'yes' to regenerate anyway: ", stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin) || strcmp(line, "yes\n"))
		die("nothing done");
}

static void announce(struct getter *g)
{
	if (g->ctl->opts.quiet && g->ctl->opts.yes)
		return;
	fprintf(stderr,
		"Getter regeneration of the %s %s: it takes about two hours and CANNOT BE\n"
		"INTERRUPTED. Do not use the camera or switch it off until it ends; its top front\n"
		"part gets as hot as 150 C. Keep the cooling water flowing.\n"
		"Regenerations within the last 48 hours: %d (the camera locks itself after %d).\n",
		ctl_model(g->ctl)->name, *g->id.serial ? g->id.serial : g->key, g->j.recent, g->limit);
}

static int getter_regenerate(struct getter *g)
{
	struct ctl *ctl = g->ctl;
	char state[64];

	read_state(ctl, state, sizeof(state));
	if (!strcasecmp(state, "vacuumrege")) {
		if (!ctl->opts.quiet)
			fprintf(stderr, "%s: a getter regeneration is running: watching it\n", get_prog_name());
		return watch(g);
	}
	check_window(g);
	check_preconditions(g, state);
	announce(g);
	if (!ask_yes_no(&ctl->opts, "Continue? [y/N] "))
		die("nothing done");
	if (g->a->force >= 2 && g->j.recent >= g->limit)
		ask_forced();
	if (stop_signal)
		die_interrupted("interrupted: nothing done");
	ctl_send(ctl, "exec redovacuum");
	journal_write(g, EV_REGEN, g->count + 1);
	return watch(g);
}

/* ---- the subcommand ----------------------------------------------------------------------------- */

static int handle_opt(int opt, const char *arg, void *user)
{
	struct getter_args *args = user;

	switch (opt) {
	case OPT_JOURNAL: args->journal = arg; return 0;
	case OPT_FORCE_REGEN: args->force++; return 0;
	case OPT_INTERVAL: args->interval_ms = get_seconds_arg("interval", arg, 0.01, 3600); return 0;
	default: return -1;
	}
}

int cmd_getter(int argc, char **argv, void *user)
{
	static const struct option longopts[] = {
		{ "journal", required_argument, NULL, OPT_JOURNAL },
		{ "force-regeneration", no_argument, NULL, OPT_FORCE_REGEN },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.longopts = longopts, .common = COMMON_JSON | COMMON_YES, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	struct getter_args a = { .interval_ms = WATCH_INTERVAL_MS };
	struct getter g = { 0 };
	int first, status;

	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_opt, &a);
	if (first + 1 != argc || (strcmp(argv[first], "status") && strcmp(argv[first], "regenerate")))
		die_usage("getter needs one of: status, regenerate");
	if (a.force && strcmp(argv[first], "regenerate"))
		die_usage("--force-regeneration goes with getter regenerate");
	/* from here on an interrupt ends regenerate cleanly: before the command
	 * is sent, nothing is done; after, only the watching stops */
	if (!strcmp(argv[first], "regenerate"))
		catch_stop_signals(false);
	getter_open(&g, ctl, &a, !strcmp(argv[first], "status") ? "getter status" : "getter regenerate");
	status = !strcmp(argv[first], "status") ? getter_status(&g) : getter_regenerate(&g);
	free(g.path);
	return status;
}

/* credctl cooling on|off|wait: the C-RED One start-up state machine.
 *
 *   poorvacuum | prevsafe --continue--> ready --set cooling on-->
 *   isbeingcooled -> (standby, briefly) -> operational
 *
 * `continue` overrides a warning of the camera, so it is sent only when the
 * user allows it (--continue, or yes to the question). While the camera
 * cools, a water guard turns the cooling off when the water gets too warm,
 * before the camera trips into safe mode at 50 C (safe mode needs a power
 * cycle; cooling off does not). */
#include "ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { OPT_CONTINUE = OPT_TOOL_BASE, OPT_WATER_GUARD, OPT_INTERVAL };

struct cooling_args {
	bool allow_continue;
	double guard;       /* C; 0: none */
	int interval_ms;
};

static bool is(const char *state, const char *word)
{
	return !strcasecmp(state, word);
}

/* ---- watching the cool-down ------------------------------------------------------------ */

static char *poll_state(struct ctl *ctl)
{
	char *state = NULL;
	int err = cred_camera_status(ctl_camera(ctl), &state);

	if (err == CRED_ERR_TIMEOUT || err == CRED_ERR_FAIL || (err < 0 && stop_signal))
		return NULL; /* busy (ask again at the next poll), or told to stop */
	if (err < 0)
		die_cred(err, "lost the camera while it cools");
	return state;
}

/* The guard: above it, cooling off now, while a restart is not needed. */
static void water_guard(struct ctl *ctl, const struct cooling_args *a, struct progress *p)
{
	double water;

	if (a->guard <= 0)
		return;
	water = ctl_number(ctl, "temperatures.water");
	if (water < a->guard)
		return;
	progress_end(p);
	ctl_send(ctl, "set cooling off");
	die("water at %.1f C reached the guard of %.0f C: cooling turned off before the camera "
	    "trips into safe mode at %.0f C; check the cooling water flow", water, a->guard,
	    CRED_WATER_TRIP_C);
}

/* Done when operational, or in standby with the standby mode on (the
 * camera stays there on purpose). */
static bool cooled(struct ctl *ctl, const char *state)
{
	char *standby = NULL;
	bool on;

	if (is(state, "operational"))
		return true;
	if (!is(state, "standby") || ctl_get(ctl, "standby", &standby) < 0)
		return false;
	on = !strcasecmp(standby, "on");
	free(standby);
	return on;
}

static void not_cooling(const char *state)
{
	if (is(state, "ready"))
		die("cooling stopped (state ready)");
	die("the camera left the cool-down for state '%s'%s%s", state,
	    cred_health_state_advice(state) ? ": " : "", cred_health_state_advice(state) ? cred_health_state_advice(state) : "");
}

static void show(struct progress *p, struct ctl *ctl, const char *state, double start_k)
{
	double diode = ctl_number(ctl, "temperatures.cryostat.diode");
	double setpoint = ctl_number(ctl, "temperatures.cryostat.setpoint");
	char label[96];

	snprintf(label, sizeof(label), "%s: cryostat %.1f K, setpoint %.1f K", state, diode, setpoint);
	if (!p->total && start_k > setpoint)
		p->total = (unsigned long long)((start_k - setpoint) * 10);
	progress_update(p, diode < start_k ? (unsigned long long)((start_k - diode) * 10) : 0, label);
}

static int watch_cooling(struct ctl *ctl, const struct cooling_args *a)
{
	double start_k = ctl_number(ctl, "temperatures.cryostat.diode");
	struct progress prog;
	char *state = NULL;

	catch_stop_signals(false);
	progress_start(&prog, &ctl->opts, 0);
	for (;; sleep_ms(a->interval_ms)) {
		char *now = poll_state(ctl);

		if (now) { /* a cancelled poll keeps the last state seen */
			free(state);
			state = now;
		}
		if (stop_signal) {
			const char *what = "%s in state '%s': the camera goes on cooling, without the "
					   "water guard; 'credctl cooling wait' watches it again";

			progress_end(&prog);
			if (deadline_passed())
				die_code(EXIT_NO_ANSWER, what, deadline_message(), state ? state : "unknown");
			die_interrupted(what, "stopped watching", state ? state : "unknown");
		}
		if (!now)
			continue;
		if (cooled(ctl, state))
			break;
		if (!is(state, "isbeingcooled") && !is(state, "standby"))
			progress_end(&prog), not_cooling(state);
		water_guard(ctl, a, &prog);
		show(&prog, ctl, state, start_k);
	}
	progress_end(&prog);
	if (!ctl->opts.quiet)
		printf("%s\n", state);
	free(state);
	return EXIT_OK;
}

/* ---- start-up ----------------------------------------------------------------------------- */

static void explain_continue(struct ctl *ctl, const char *state)
{
	char *reason = NULL, p[32];

	if (is(state, "poorvacuum")) {
		fprintf(stderr, "The camera started with a poor vacuum (%s mbar): the getter should be\n"
			"regenerated ('credctl getter regenerate'). It can still be cooled, with the\n"
			"pulse tube working harder.\n",
			format_pressure(p, sizeof(p), ctl_number(ctl, "pressure")));
		return;
	}
	fprintf(stderr, "An error occurred during the camera's previous session");
	if (ctl_get(ctl, "status.detailed", &reason) == CRED_OK && reason && *reason)
		fprintf(stderr, " (%s)", reason);
	fprintf(stderr, ".\n");
	free(reason);
}

/* poorvacuum or prevsafe: send continue if the user allows it. */
static void leave_warning_state(struct ctl *ctl, const struct cooling_args *a, const char *state)
{
	if (!a->allow_continue) {
		explain_continue(ctl, state);
		if (!ask_yes_no(&ctl->opts, "Send 'continue' and cool down anyway? [y/N] "))
			die("nothing done: the camera stays in %s", state);
	}
	ctl_send(ctl, "continue");
}

/* The state after the boot, waiting while the camera starts. */
static char *booted_state(struct ctl *ctl, const struct cooling_args *a)
{
	char *state;

	while (!(state = poll_state(ctl)) || is(state, "starting") || is(state, "configuring")) {
		free(state);
		if (stop_signal)
			die_interrupted("stopped while the camera was starting");
		sleep_ms(a->interval_ms);
	}
	return state;
}

static void refuse(struct ctl *ctl, const char *state)
{
	char p[32];

	if (is(state, "faultyvacuum"))
		die("faulty vacuum (%s mbar): the camera cannot be cooled; pump the cryostat, then "
		    "regenerate the getter", format_pressure(p, sizeof(p), ctl_number(ctl, "pressure")));
	if (is(state, "vacuumrege"))
		die("a getter regeneration is running (%.0f s left): cooling must wait for its end",
		    ctl_number(ctl, "getter.regeremainingtime"));
	die("cannot cool in state '%s'%s%s", state, cred_health_state_advice(state) ? ": " : "",
	    cred_health_state_advice(state) ? cred_health_state_advice(state) : "");
}

static void start_cooling(struct ctl *ctl, const struct cooling_args *a)
{
	double water = ctl_number(ctl, "temperatures.water");

	if (a->guard > 0 && water >= a->guard)
		die("water at %.1f C is above the guard of %.0f C: check the cooling water first",
		    water, a->guard);
	ctl_send(ctl, "set cooling on");
}

static int cooling_on(struct ctl *ctl, const struct cooling_args *a)
{
	char *state = booted_state(ctl, a);

	/* prevsafe can lead to poorvacuum: at most two continues */
	for (int i = 0; i < 3 && (is(state, "poorvacuum") || is(state, "prevsafe")); i++) {
		leave_warning_state(ctl, a, state);
		free(state);
		state = booted_state(ctl, a);
	}
	if (is(state, "ready"))
		start_cooling(ctl, a);
	else if (!is(state, "isbeingcooled") && !is(state, "standby") && !is(state, "operational"))
		refuse(ctl, state);
	free(state);
	return watch_cooling(ctl, a);
}

static int cooling_off(struct ctl *ctl)
{
	char *cooling = NULL, *state;
	int err = ctl_get(ctl, "cooling", &cooling);

	if (err < 0 || strcasecmp(cooling, "off"))
		ctl_send(ctl, "set cooling off");
	free(cooling);
	state = ctl_state(ctl);
	if (!ctl->opts.quiet)
		printf("%s\n", state);
	free(state);
	return EXIT_OK;
}

static int cooling_wait(struct ctl *ctl, const struct cooling_args *a)
{
	char *state = ctl_state(ctl);

	if (!is(state, "isbeingcooled") && !is(state, "standby") && !is(state, "operational"))
		die("the camera is not cooling (state '%s'): use 'credctl cooling on'", state);
	free(state);
	return watch_cooling(ctl, a);
}

/* ---- the subcommand ------------------------------------------------------------------------- */

static int handle_opt(int opt, const char *arg, void *user)
{
	struct cooling_args *args = user;

	switch (opt) {
	case OPT_CONTINUE: args->allow_continue = true; return 0;
	case OPT_WATER_GUARD: args->guard = get_double_arg("water guard", arg, 0, 49.9); return 0;
	case OPT_INTERVAL: args->interval_ms = get_seconds_arg("interval", arg, 0.01, 3600); return 0;
	default: return -1;
	}
}

int cmd_cooling(int argc, char **argv, void *user)
{
	static const struct option longopts[] = {
		{ "continue", no_argument, NULL, OPT_CONTINUE },
		{ "water-guard", required_argument, NULL, OPT_WATER_GUARD },
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.longopts = longopts, .common = COMMON_YES, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	struct cooling_args a = { .guard = CRED_WATER_WARNING_C, .interval_ms = WATCH_INTERVAL_MS };
	int first;
	const char *what;

	/* as with wait: -t is each answer's limit, --deadline the whole wait */
	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_opt, &a);
	if (first + 1 != argc)
		die_usage("cooling needs one of: on, off, wait");
	what = argv[first];
	if (strcmp(what, "on") && strcmp(what, "off") && strcmp(what, "wait"))
		die_usage("unknown cooling command '%s': use on, off or wait", what);
	ctl_require_credone(ctl, "cooling");
	if (!strcmp(what, "off"))
		return cooling_off(ctl);
	return !strcmp(what, "on") ? cooling_on(ctl, &a) : cooling_wait(ctl, &a);
}

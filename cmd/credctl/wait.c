/* credctl wait STATE...: poll the camera status until it reaches one of the
 * states (C-RED One start-up, cooling, getter regeneration, reboots). */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum { OPT_INTERVAL = OPT_TOOL_BASE };

/* Every state word either manual names, plus the field spelling "presave"
 * of "prevsafe". */
const char *const known_states[] = {
	"starting", "configuring", "poorvacuum", "faultyvacuum", "vacuumrege",
	"ready", "isbeingcooled", "standby", "operational", "prevsafe", "presave",
	"safe", "locked", NULL,
};

struct wait_args {
	int interval_ms;
	char **states;
	int n_states;
};

static const char *canonical(const char *state)
{
	return !strcasecmp(state, "presave") ? "prevsafe" : state;
}

static bool same_state(const char *a, const char *b)
{
	return !strcasecmp(canonical(a), canonical(b));
}

static void check_state_word(const char *state)
{
	char list[256] = "";
	size_t len = 0;

	for (int i = 0; known_states[i]; i++)
		if (same_state(state, known_states[i]))
			return;
	for (int i = 0; known_states[i]; i++)
		len += snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "", known_states[i]);
	die_usage("unknown state '%s' (states: %s)", state, list);
}

static bool wanted(const struct wait_args *w, const char *state)
{
	for (int i = 0; i < w->n_states; i++)
		if (same_state(w->states[i], state))
			return true;
	return false;
}

/* safe and locked need a power cycle (or First Light support): waiting
 * longer cannot help unless they are what we wait for. */
static bool dead_end(const char *state)
{
	return same_state(state, "safe") || same_state(state, "locked");
}

/* One status poll: the state word, "no answer" while the camera is busy
 * rebooting, or "garbled answer". A lost link or a closed port still ends the run. */
static char *poll_state(struct ctl *ctl)
{
	char *state = NULL;
	int err = cred_camera_status(ctl_camera(ctl), &state);

	if (err < 0 && stop_signal)
		return NULL; /* the deadline or Ctrl-C cancelled the poll */
	if (err == CRED_ERR_TIMEOUT)
		return strdup("no answer");
	/* Asked twice and still not a state: not the state waited for. */
	if (err == CRED_ERR_PROTO)
		return strdup("garbled answer");
	if (err == CRED_ERR_FAIL)
		return strdup("unknown");
	if (err < 0)
		die_cred(err, "cannot read the camera status");
	return state;
}

static int report_reached(struct ctl *ctl, const char *state, double elapsed)
{
	if (ctl->opts.json)
		/* "status", as in credctl status --json: the camera's word for it */
		print_json(json_pack("{s:s, s:f}", "status", state, "elapsed", elapsed));
	else if (!ctl->opts.quiet)
		printf("%s\n", state);
	return EXIT_OK;
}

static void show_progress(struct progress *prog, const struct wait_args *w, const char *state)
{
	char label[160];

	snprintf(label, sizeof(label), "waiting for '%s'%s: %s", w->states[0],
		 w->n_states > 1 ? " (or another)" : "", state);
	progress_update(prog, 0, label);
}

static int wait_loop(struct ctl *ctl, const struct wait_args *w)
{
	double start = cred_now_s(), elapsed;
	struct progress prog;
	char *state = NULL;

	catch_stop_signals(false); /* Ctrl-C: say where the wait stood */
	cancel_library_on_stop();
	progress_start(&prog, &ctl->opts, 0);
	catch_stop_signals(false); /* Ctrl-C: 130, with the last state said */
	for (;;) {
		char *now = poll_state(ctl);

		if (now) { /* a cancelled poll keeps the last state seen */
			free(state);
			state = now;
		}
		elapsed = cred_now_s() - start;
		if (now && wanted(w, state)) {
			progress_end(&prog);
			report_reached(ctl, state, elapsed);
			free(state);
			return EXIT_OK;
		}
		if (now && dead_end(state)) {
			progress_end(&prog);
			die("camera is in state '%s' (it needs a power cycle), stopped waiting", state);
		}
		if (stop_signal) {
			progress_end(&prog);
			if (deadline_passed())
				die_code(EXIT_NO_ANSWER, "%s waiting for '%s' (last state: '%s')",
					 deadline_message(), w->states[0], state ? state : "none yet");
			die_interrupted("stopped waiting for '%s' (last state: '%s')", w->states[0],
					state ? state : "none yet");
		}
		show_progress(&prog, w, state);
		sleep_ms(w->interval_ms);
	}
}

static int handle_wait_opt(int opt, const char *arg, void *user)
{
	struct wait_args *w = user;

	if (opt != OPT_INTERVAL)
		return -1;
	w->interval_ms = get_seconds_arg("interval", arg, 0.01, 3600);
	return 0;
}

int cmd_wait(int argc, char **argv, void *user)
{
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, OPT_INTERVAL },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.longopts = longopts, .common = COMMON_JSON, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	struct wait_args w = { .interval_ms = 1000 };
	int first;

	/* -t is each answer's limit here as everywhere; --deadline, before
	 * or after "wait", limits the whole wait. */
	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_wait_opt, &w);
	if (first >= argc)
		die_usage("wait needs a state (e.g. operational)");
	w.states = argv + first;
	w.n_states = argc - first;
	for (int i = 0; i < w.n_states; i++)
		check_state_word(w.states[i]);
	return wait_loop(ctl, &w);
}

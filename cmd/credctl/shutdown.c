/* credctl shutdown: the safe power-down sequence of the manuals. C-RED
 * One: turn the pulse tube off (set cooling off), then shut down; C-RED 3:
 * shut down (it saves the latest logs). Afterwards the camera answers
 * nothing until its power is cycled. Never during a getter regeneration,
 * which must not be interrupted. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool cooling_is_on(struct ctl *ctl)
{
	char *cooling = NULL;
	bool on;

	if (ctl_model(ctl)->id != CRED_MODEL_CREDONE || ctl_get(ctl, "cooling", &cooling) < 0)
		return false;
	on = !strcasecmp(cooling, "on");
	free(cooling);
	return on;
}

static void refuse_during_regeneration(struct ctl *ctl)
{
	char *state = ctl_state(ctl);

	if (!strcasecmp(state, "vacuumrege"))
		die("a getter regeneration is running (%.0f s left): it cannot be interrupted; "
		    "shut down after it ends", ctl_number(ctl, "getter.regeremainingtime"));
	free(state);
}

int cmd_shutdown(int argc, char **argv, void *user)
{
	static const struct tool_opts t = { .common = COMMON_YES, .print_help = credctl_help };
	struct ctl *ctl = user;
	bool cooling;

	if (parse_subcommand_opts(argc, argv, &t, &ctl->opts, NULL, NULL) < argc)
		die_usage("shutdown takes no arguments (the camera command itself: credctl raw shutdown)");
	refuse_during_regeneration(ctl);
	cooling = cooling_is_on(ctl);
	if (!ctl->opts.yes)
		fprintf(stderr, "This shuts the %s down%s; it answers nothing until its power is cycled.\n",
			ctl_model(ctl)->name, cooling ? " after turning its cooling off" : "");
	if (!ask_yes_no(&ctl->opts, "Continue? [y/N] "))
		die("nothing done");
	if (cooling)
		ctl_send(ctl, "set cooling off");
	ctl_send(ctl, "shutdown");
	if (!ctl->opts.quiet)
		printf("camera shut down: its power can be switched off\n");
	return EXIT_OK;
}

/* The state a rebooting camera shows, as credctl reboot and credfw's
 * upgrades follow it (see common.h). */
#include "common.h"

#include <stdio.h>

void boot_watch_state(const char *state, void *user)
{
	struct boot_watch *w = user;
	const char *shown = state[0] ? state : "no answer";

	if (w->opts->verbose)
		fprintf(stderr, "%s: camera status: %s\n", get_prog_name(), shown);
	progress_update(&w->bar, 0, shown);
}

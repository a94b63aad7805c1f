/* Following the camera through a reboot (after an upgrade or a license
 * change), and offering the reboot a license change needs. */
#include "credfw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BOOT_TIMEOUT_MS 600000 /* a firmware upgrade and reboot: 10 minutes */

void fw_follow_boot(struct config *cfg, const char *why)
{
	struct cred_camera *cam = fw_camera(cfg);
	int timeout = cfg->boot_timeout_ms ? cfg->boot_timeout_ms : BOOT_TIMEOUT_MS;
	struct boot_watch w = { .opts = &cfg->opts };
	char *state = NULL;
	int r;

	fw_catch_signals();
	progress_start(&w.bar, &cfg->opts, 0);
	progress_update(&w.bar, 0, "rebooting");
	r = cred_firmware_wait_boot(cam, timeout, boot_watch_state, &w, &stop_signal, &state);
	progress_end(&w.bar);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("stopped waiting for the camera after the %s: it is still rebooting; "
				"check it with 'credctl status' before using it", why);
	if (r < 0)
		die_code(exit_code_for(r), "after the %s: %s; wait a few minutes and check with "
			 "'credctl status'; if it stays silent, power-cycle it", why, cred_last_error());
	if (cfg->opts.verbose)
		fprintf(stderr, "%s: the camera is back (status: %s)\n", get_prog_name(),
			state ? state : "?");
	free(state);
}

void fw_offer_reboot(struct config *cfg)
{
	int r;

	if (!cfg->reboot) {
		if (!cfg->opts.quiet)
			fprintf(stderr, "%s: the change takes effect at the next boot (use --reboot, "
				"or power-cycle the camera)\n", get_prog_name());
		return;
	}
	if (!ask_yes_no(&cfg->opts, "Reboot the camera now? [y/N] ")) {
		fprintf(stderr, "%s: not rebooted: the change takes effect at the next boot\n",
			get_prog_name());
		return;
	}
	if ((r = cred_firmware_reboot(fw_camera(cfg))) < 0)
		die_cred(r, "cannot reboot the camera");
	fw_follow_boot(cfg, "reboot");
	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: the camera rebooted: the change is in effect\n", get_prog_name());
}

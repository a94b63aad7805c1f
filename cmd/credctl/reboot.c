/* credctl reboot: restart the camera and wait until it answers again and
 * has left its boot states (a C-RED 3 reaches operational). */
#include "credctl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A C-RED 3 boots in about a minute; leave room for a slow one
 * (--boot-timeout changes it). */
#define REBOOT_TIMEOUT_MS 300000

enum { OPT_BOOT_TIMEOUT = OPT_TOOL_BASE };

static int handle_reboot_opt(int opt, const char *arg, void *user)
{
	int *timeout_ms = user;

	if (opt != OPT_BOOT_TIMEOUT)
		return -1;
	*timeout_ms = get_seconds_arg("boot timeout", arg, 1, 86400);
	return 0;
}

static void print_result(struct ctl *ctl, const char *state)
{
	if (ctl->opts.json) {
		json_t *o = json_object();

		json_set_model(o, ctl_model(ctl));
		json_object_set_new(o, "status", json_text(state ? state : ""));
		json_object_set_new(o, "version.firmware", json_string(cred_camera_firmware(ctl_camera(ctl))));
		print_json(o);
	} else if (!ctl->opts.quiet) {
		printf("%s\n", state ? state : "");
	}
}

int cmd_reboot(int argc, char **argv, void *user)
{
	static const struct option longopts[] = {
		{ "boot-timeout", required_argument, NULL, OPT_BOOT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.longopts = longopts, .common = COMMON_JSON | COMMON_YES, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	struct boot_watch w = { .opts = &ctl->opts };
	int timeout_ms = REBOOT_TIMEOUT_MS;
	char *state = NULL;
	int r;

	if (parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_reboot_opt, &timeout_ms) < argc)
		die_usage("reboot takes no arguments");
	ctl_camera(ctl); /* fail on the port before asking anything */
	if (!ctl->opts.quiet && !ctl->opts.yes)
		fprintf(stderr, "Rebooting stops the camera for a minute or more and drops the "
			"settings not saved in a preset.\n");
	if (!ask_yes_no(&ctl->opts, "Continue? [y/N] "))
		die("not confirmed, nothing done");
	if ((r = cred_firmware_reboot(ctl_camera(ctl))) < 0)
		die_cred(r, "cannot reboot the camera");
	catch_stop_signals(false);
	cancel_library_on_stop(); /* Ctrl-C also ends a status poll under way */
	progress_start(&w.bar, &ctl->opts, 0);
	progress_update(&w.bar, 0, "rebooting");
	r = cred_firmware_wait_boot(ctl_camera(ctl), timeout_ms, boot_watch_state, &w, &stop_signal,
				    &state);
	progress_end(&w.bar);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("stopped waiting: the camera is still rebooting; check it with "
				"'%s status'", get_prog_name());
	if (r < 0)
		die_code(exit_code_for(r), "after the reboot: %s; wait and check with '%s status'; if "
			 "it stays silent, power-cycle it", cred_last_error(), get_prog_name());
	print_result(ctl, state);
	/* Back, but not where a camera rests after booting. */
	r = state && strcmp(state, "operational") && strcmp(state, "standby") ? EXIT_REFUSED : EXIT_OK;
	if (r != EXIT_OK)
		print_error("the camera came back in state '%s', not operational", state);
	free(state);
	return r;
}

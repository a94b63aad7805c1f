/* credctl preset: show, load, reload and save the C-RED 3's ten settings
 * presets; restore the factory ones. */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>

static void need_presets(struct ctl *ctl)
{
	const struct cred_model *m = ctl_model(ctl);

	/* Only the C-RED 3 manual has presets; the C-RED One can only save. */
	if (m->id != CRED_MODEL_CRED3)
		die("the %s has no presets (only 'preset save')", m->name);
}

static int run_or_refuse(struct ctl *ctl, const char *command)
{
	char *answer = NULL;

	if (ctl_command(ctl, command, &answer) == CRED_ERR_FAIL)
		die("camera rejected '%s': %s", command, cred_last_error());
	free(answer);
	return EXIT_OK;
}

static char *current_preset(struct ctl *ctl)
{
	char *value = NULL;

	if (ctl_raw(ctl, "preset", &value) == CRED_ERR_FAIL)
		die("camera rejected 'preset': %s", cred_last_error());
	return value;
}

static int show_preset(struct ctl *ctl)
{
	char *id;

	need_presets(ctl);
	id = current_preset(ctl);
	if (ctl->opts.json)
		print_json(json_pack("{s:o}", "preset", json_from_answer(id)));
	else
		printf("%s\n", id);
	free(id);
	return EXIT_OK;
}

static int load_preset(struct ctl *ctl, const char *arg)
{
	long n = get_long_arg("preset number", arg, 0, 9);
	char command[32];
	char *id;
	long now;

	need_presets(ctl);
	snprintf(command, sizeof(command), "set preset %ld", n);
	run_or_refuse(ctl, command);
	/* Read back: the camera keeps the old preset when loading fails. */
	id = current_preset(ctl);
	if (!parse_long(id, 0, 9, &now) || now != n)
		die("camera is on preset '%s' after loading preset %ld", id, n);
	free(id);
	return show_preset(ctl);
}

static int restore_factory(struct ctl *ctl)
{
	ctl_camera(ctl); /* fail on the port before asking anything */
	if (!ctl->opts.quiet && !ctl->opts.yes)
		fprintf(stderr, "This restores the factory presets and settings and reboots the camera.\n");
	if (!ask_yes_no(&ctl->opts, "Continue? [y/N] "))
		die("not confirmed, nothing done");
	return run_or_refuse(ctl, "restorefactory");
}

int cmd_preset(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	int first = parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL);
	const char *what = first < argc ? argv[first] : NULL;

	if (argc - first > 1)
		die_usage("preset takes at most one argument");
	if (!what)
		return show_preset(ctl);
	if (!strcmp(what, "save"))
		return run_or_refuse(ctl, "save");
	if (!strcmp(what, "reload")) {
		need_presets(ctl);
		run_or_refuse(ctl, "set preset");
		return show_preset(ctl);
	}
	if (!strcmp(what, "restore-factory"))
		return restore_factory(ctl);
	return load_preset(ctl, what);
}

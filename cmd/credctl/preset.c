/* credctl preset: show, load, reload and save the C-RED 3's ten settings
 * presets (the C-RED One can only save its settings); restore the factory
 * ones. Loading says what it discards and asks first when the running
 * settings differ from what credctl last saw in the active preset. */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>

static bool has_presets(struct ctl *ctl)
{
	/* Only the C-RED 3 manual has presets; the C-RED One can only save. */
	return ctl_model(ctl)->id == CRED_MODEL_CRED3;
}

static void need_presets(struct ctl *ctl)
{
	if (!has_presets(ctl))
		die("the %s has no presets (only 'preset save')", ctl_model(ctl)->name);
}

static int run_or_refuse(struct ctl *ctl, const char *command)
{
	char *answer = NULL;

	if (ctl_command(ctl, command, &answer) == CRED_ERR_FAIL)
		die("camera rejected '%s': %s", command, cred_last_error());
	free(answer);
	return EXIT_OK;
}

static long current_preset(struct ctl *ctl)
{
	char *value = NULL;
	long n;

	if (!has_presets(ctl))
		return 0;
	if (ctl_raw(ctl, "preset", &value) == CRED_ERR_FAIL)
		die("camera rejected 'preset': %s", cred_last_error());
	if (!parse_long(value, 0, 9, &n))
		die_code(EXIT_NO_ANSWER, "unexpected answer to 'preset': '%s'", value);
	free(value);
	return n;
}

static int show_preset(struct ctl *ctl)
{
	long id;

	need_presets(ctl);
	id = current_preset(ctl);
	if (ctl->opts.json)
		print_json(json_pack("{s:i}", "preset", (int)id));
	else
		printf("%ld\n", id);
	return EXIT_OK;
}

/* Settings whose values differ between a and b: {name: {from, to}}. */
static json_t *differences(json_t *a, json_t *b, const char *from, const char *to)
{
	json_t *d = json_object(), *v;
	const char *name;

	json_object_foreach(a, name, v) {
		json_t *w = json_object_get(b, name);

		if (!w || !json_equal(v, w))
			json_object_set_new(d, name, json_pack("{s:O, s:o}", from, v, to,
							      w ? json_incref(w) : json_null()));
	}
	return d;
}

/* "  fps: 100 (preset 2 has 600)" lines on stderr. */
static void list_differences(json_t *d, const char *from, const char *to, const char *where)
{
	const char *name;
	json_t *v;

	json_object_foreach(d, name, v) {
		char *a = json_encode(json_object_get(v, from), 0), *b = json_encode(json_object_get(v, to), 0);

		a[strlen(a) - 1] = b[strlen(b) - 1] = '\0';
		fprintf(stderr, "  %s: %s (%s %s)\n", name, a, where, b);
		free(a);
		free(b);
	}
}

/* Before loading: the unsaved changes of the active preset, as far as
 * credctl knows; asks unless -y when there are some or it cannot tell. */
static void confirm_load(struct ctl *ctl, long now, json_t *running)
{
	json_t *saved, *d = NULL;
	char where[32];

	/* -y: confirmed already; what the load discards is listed after it. */
	if (ctl->opts.yes)
		return;
	saved = preset_record_read(ctl, now);
	if (saved) {
		d = differences(running, saved, "now", "saved");
		if (json_object_size(d) == 0)
			goto out;
		if (!ctl->opts.quiet) {
			fprintf(stderr, "Unsaved changes to preset %ld, lost by loading another:\n", now);
			snprintf(where, sizeof(where), "saved:");
			list_differences(d, "now", "saved", where);
		}
	} else if (!ctl->opts.quiet) {
		fprintf(stderr, "%s has no record of what preset %ld holds: the running settings may "
			"have unsaved changes ('%s preset save' first keeps them).\n",
			get_prog_name(), now, get_prog_name());
	}
	if (!ask_yes_no(&ctl->opts, "Continue? [y/N] "))
		die("not confirmed, nothing done");
out:
	json_decref(d);
	json_decref(saved);
}

static int load_preset(struct ctl *ctl, const char *arg)
{
	long n = get_long_arg("preset number", arg, 0, 9), now;
	json_t *before, *after, *d;
	char command[32], where[32];

	need_presets(ctl);
	now = current_preset(ctl);
	before = settings_read(ctl);
	confirm_load(ctl, now, before);
	snprintf(command, sizeof(command), "set preset %ld", n);
	run_or_refuse(ctl, command);
	/* Read back: the camera keeps the old preset when loading fails. */
	if ((now = current_preset(ctl)) != n)
		die("camera is on preset %ld after loading preset %ld", now, n);
	after = settings_read(ctl);
	preset_record_write(ctl, n, after);
	d = differences(before, after, "discarded", "now");
	if (ctl->opts.json) {
		print_json(json_pack("{s:i, s:o}", "preset", (int)n, "discarded", d));
	} else {
		if (!ctl->opts.quiet && json_object_size(d)) {
			fprintf(stderr, "Discarded by loading preset %ld:\n", n);
			snprintf(where, sizeof(where), "now");
			list_differences(d, "discarded", "now", where);
		}
		json_decref(d);
		printf("%ld\n", n);
	}
	json_decref(before);
	json_decref(after);
	return EXIT_OK;
}

/* Save into preset n other than the active one: load it, put the running
 * settings back, save. Its bias and flat files stay its own. */
static void move_to(struct ctl *ctl, long n, json_t *running)
{
	char command[32];
	int err;

	snprintf(command, sizeof(command), "set preset %ld", n);
	run_or_refuse(ctl, command);
	if (current_preset(ctl) != n)
		die("camera did not switch to preset %ld", n);
	if ((err = settings_set(ctl, running)) < 0)
		die_cred(err, "preset %ld is loaded, but the settings to save could not be applied", n);
}

static int save_preset(struct ctl *ctl, const char *arg)
{
	long now = current_preset(ctl), n = now;
	json_t *saved;

	if (arg) {
		need_presets(ctl);
		n = get_long_arg("preset number", arg, 0, 9);
	}
	if (n != now) {
		json_t *running = settings_read(ctl);

		move_to(ctl, n, running);
		json_decref(running);
	}
	run_or_refuse(ctl, "save");
	saved = settings_read(ctl);
	preset_record_write(ctl, n, saved);
	if (ctl->opts.json) {
		json_t *o = json_object();

		if (has_presets(ctl))
			json_object_set_new(o, "preset", json_integer(n));
		json_object_set_new(o, "saved", saved);
		print_json(o);
		return EXIT_OK;
	}
	if (!ctl->opts.quiet) {
		if (has_presets(ctl))
			printf("saved %zu settings into preset %ld\n", json_object_size(saved), n);
		else
			printf("saved %zu settings (the gain and the cooling state are never saved)\n",
			       json_object_size(saved));
	}
	json_decref(saved);
	return EXIT_OK;
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
	const char *arg = first + 1 < argc ? argv[first + 1] : NULL;

	if (argc - first > 2 || (arg && strcmp(what, "save") && strcmp(what, "load")))
		die_usage("preset takes at most one argument (two for 'save N' and 'load N')");
	if (!what)
		return show_preset(ctl);
	if (!strcmp(what, "save"))
		return save_preset(ctl, arg);
	if (!strcmp(what, "load")) {
		if (!arg)
			die_usage("preset load needs a preset number (0-9)");
		return load_preset(ctl, arg);
	}
	if (!strcmp(what, "reload")) {
		need_presets(ctl);
		run_or_refuse(ctl, "set preset");
		return show_preset(ctl);
	}
	if (!strcmp(what, "restore-factory"))
		return restore_factory(ctl);
	return load_preset(ctl, what);
}

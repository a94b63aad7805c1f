/* credctl dump and apply: every setting of the camera as one JSON file
 * (credtools-json(7)), and that file put back on a camera: checked first,
 * applied in the camera's order, read back.
 *
 * The file: {"model": "cred3", "model_name": "C-RED 3",
 * "version.firmware": "3.1.1", "settings": {"fps": 100.0, ...}} with the
 * get names and typed values of json_param_value. */
#include "credctl.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { OPT_OUTPUT = OPT_TOOL_BASE, OPT_FORCE };

struct settings_args {
	const char *output;
	bool force;
};

json_t *settings_read(struct ctl *ctl)
{
	const struct cred_model *m = ctl_model(ctl);
	json_t *o = json_object();

	for (size_t i = 0; i < cred_param_count(m->id); i++) {
		const struct cred_param *p = cred_param_at(m->id, i);
		char *value = NULL;

		if (!cred_param_is_setting(p))
			continue;
		/* What this camera cannot give (rejected, firmware too old) is
		 * left out; a lost link ends the run. */
		if (ctl_get(ctl, p->name, &value) < 0) {
			if (ctl->opts.verbose)
				print_warning("'%s' left out: %s", p->name, cred_last_error());
			continue;
		}
		json_object_set_new(o, p->name, json_param_value(m, p->name, value));
		free(value);
	}
	return o;
}

static json_t *dump_object(struct ctl *ctl)
{
	json_t *root = json_object();
	const char *fw;

	json_set_model(root, ctl_model(ctl));
	fw = cred_camera_firmware(ctl_camera(ctl));
	if (fw && *fw)
		json_object_set_new(root, "version.firmware", json_string(fw));
	json_object_set_new(root, "settings", settings_read(ctl));
	return root;
}

static int handle_opt(int opt, const char *arg, void *user)
{
	struct settings_args *a = user;

	switch (opt) {
	case 'o': a->output = arg; return 0;
	case OPT_FORCE: a->force = true; return 0;
	default: return -1;
	}
}

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ NULL, 0, NULL, 0 },
};

int cmd_dump(int argc, char **argv, void *user)
{
	static const struct tool_opts t = {
		.shortopts = "o:", .longopts = longopts, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	struct settings_args a = { .output = "-" };
	struct out_file *of;

	if (parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_opt, &a) < argc)
		die_usage("dump takes no arguments (the file goes with -o FILE)");
	/* Refuse an existing file before the camera is asked anything. */
	of = out_file_open(a.output, a.force);
	print_json_to(out_file_stream(of), dump_object(ctl), 2);
	out_file_commit(of);
	return EXIT_OK;
}

/* ---- apply --------------------------------------------------------------------- */

struct batch {
	const char **names;
	char **values;
	size_t n;
};

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->values[i]);
	free(b->values);
	free(b->names);
	memset(b, 0, sizeof(*b));
}

/* A JSON value as the text the camera takes: strings as they are,
 * integers in decimal, reals as their shortest exact text. */
static char *value_text(const char *name, json_t *v)
{
	char buf[64];

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v))
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		json_format_real(json_real_value(v), buf, sizeof(buf));
	else
		die_usage("setting '%s' must be a string or a number", name);
	return strdup(buf);
}

/* Every name known, writable and a setting, before the camera is touched. */
static void batch_from(struct ctl *ctl, json_t *settings, struct batch *b)
{
	const struct cred_model *m = ctl_model(ctl);
	const char *name;
	json_t *v;

	b->names = calloc(json_object_size(settings) + 1, sizeof(*b->names));
	b->values = calloc(json_object_size(settings) + 1, sizeof(*b->values));
	if (!b->names || !b->values)
		die("out of memory");
	json_object_foreach(settings, name, v) {
		const struct cred_param *p = cred_param_find(m->id, name);

		if (!p)
			die_usage("unknown setting '%s' for the %s (list them with '%s get --list')",
				  name, m->name, get_prog_name());
		if (!cred_param_is_setting(p))
			die_usage("'%s' is not a setting a file can apply", name);
		b->names[b->n] = p->name;
		if (!(b->values[b->n++] = value_text(name, v)))
			die("out of memory");
	}
}

static json_t *load_file(const char *path)
{
	json_error_t err;
	json_t *root = strcmp(path, "-") ? json_load_file(path, 0, &err) : json_loadf(stdin, 0, &err);

	if (!root)
		die_usage("cannot read '%s': %s (line %d)", path, err.text, err.line);
	if (!json_is_object(json_object_get(root, "settings")))
		die_usage("'%s' has no \"settings\" object (write one with '%s dump')", path,
			  get_prog_name());
	return root;
}

static void check_model(struct ctl *ctl, json_t *root, const char *path)
{
	const char *key = json_string_value(json_object_get(root, "model"));
	const struct cred_model *m = ctl_model(ctl);

	if (key && strcmp(key, m->key))
		die_usage("'%s' holds %s settings, the camera is a %s", path, key, m->name);
}

/* Numbers compare as numbers (the camera may write 100 as 100.000000),
 * the rest without case. */
static bool same_value(const char *a, const char *b)
{
	double x, y;

	if (parse_double(a, -DBL_MAX, DBL_MAX, &x) && parse_double(b, -DBL_MAX, DBL_MAX, &y))
		return fabs(x - y) <= 1e-9 * fabs(x) + 1e-15;
	return !strcasecmp(a, b);
}

int settings_set(struct ctl *ctl, json_t *settings)
{
	struct batch b = { 0 };
	int err;

	batch_from(ctl, settings, &b);
	err = cred_camera_set_list(ctl_camera(ctl), b.names, (const char *const *)b.values, b.n, NULL);
	batch_free(&b);
	return err;
}

/* Put back what the camera had, after a refusal half-way: a value whose
 * live limits depend on an earlier one (tint after fps) can only be
 * judged once that one is sent. */
static void restore(struct ctl *ctl, json_t *before)
{
	if (settings_set(ctl, before) < 0)
		print_error("could not put the previous settings back: %s", cred_last_error());
	else if (!ctl->opts.quiet)
		print_error("the previous settings are back");
}

/* The differences between the file and the read-back. */
static int report(struct ctl *ctl, const struct cred_change *c, size_t count, const struct batch *b)
{
	const struct cred_model *m = ctl_model(ctl);
	json_t *diff = json_object();
	size_t ndiff = 0;

	for (size_t i = 0; i < count && c[i].asked; i++) {
		if (!c[i].after || same_value(b->values[i], c[i].after))
			continue;
		ndiff++;
		json_object_set_new(diff, c[i].name,
				    json_pack("{s:o, s:o}", "file", json_param_value(m, c[i].name, b->values[i]),
					      "camera", json_param_value(m, c[i].name, c[i].after)));
		if (!ctl->opts.json)
			print_warning("%s: the file says %s, the camera kept %s", c[i].name, b->values[i],
				      c[i].after);
	}
	if (ctl->opts.json)
		print_json(json_pack("{s:i, s:o}", "applied", (int)b->n, "differences", diff));
	else {
		json_decref(diff);
		if (!ctl->opts.quiet)
			printf("applied %zu settings, %zu read back differently\n", b->n, ndiff);
	}
	return EXIT_OK;
}

int cmd_apply(int argc, char **argv, void *user)
{
	static const struct tool_opts t = { .common = COMMON_JSON, .print_help = credctl_help };
	struct ctl *ctl = user;
	int first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, NULL, NULL);
	struct cred_change *changes;
	struct batch b = { 0 };
	json_t *root, *before;
	size_t count;
	int err;

	if (argc - first != 1)
		die_usage("apply needs one settings file (written by '%s dump')", get_prog_name());
	root = load_file(argv[first]);
	check_model(ctl, root, argv[first]);
	batch_from(ctl, json_object_get(root, "settings"), &b);
	before = settings_read(ctl);
	/* Every value is checked (static and live limits) before the first
	 * is sent; set_changes applies them in the camera's order. */
	err = cred_camera_set_changes(ctl_camera(ctl), b.names, (const char *const *)b.values, b.n,
				      &changes, &count);
	if (err < 0) {
		char msg[512];

		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		/* A refusal after the first value was sent leaves a mix. */
		if (strstr(msg, "already applied"))
			restore(ctl, before);
		batch_free(&b);
		json_decref(before);
		json_decref(root);
		die_code(err == CRED_ERR_ARG ? EXIT_USAGE : exit_code_for(err), "cannot apply '%s': %s",
			 argv[first], msg);
	}
	report(ctl, changes, count, &b);
	cred_changes_free(changes, count);
	batch_free(&b);
	json_decref(before);
	json_decref(root);
	return EXIT_OK;
}

/* credctl get NAME..., get --list, set NAME VALUE...: typed parameters,
 * checked against the camera's limits before anything is sent. */
#include "credctl.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_LIST = OPT_TOOL_BASE };

static const enum cred_model_id all_models[] = { CRED_MODEL_CRED3, CRED_MODEL_CREDONE };

/* ---- get --list -------------------------------------------------------------- */

static void format_range(const struct cred_param *p, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	switch (p->type) {
	case CRED_PARAM_SWITCH:
		snprintf(buf, len, "on|off");
		return;
	case CRED_PARAM_CHOICE:
		for (size_t i = 0; p->choices && p->choices[i] && n < len; i++)
			n += snprintf(buf + n, len - n, "%s%s", i ? "|" : "", p->choices[i]);
		return;
	case CRED_PARAM_CROP:
		snprintf(buf, len, "window");
		return;
	case CRED_PARAM_TEXT:
		snprintf(buf, len, "text");
		return;
	default:
		break;
	}
	if (isfinite(p->min) && isfinite(p->max))
		n = snprintf(buf, len, "%g-%g", p->min, p->max);
	else
		n = snprintf(buf, len, "number");
	if (n < len && (p->min_cmd || p->max_cmd))
		snprintf(buf + n, len - n, " (live)");
}

static bool writable(const struct cred_param *p)
{
	return cred_param_writable(p);
}

/* "rw", "ro", or "wo" for settings the camera cannot read back. */
static const char *access_of(const struct cred_param *p)
{
	if (!p->get_cmd)
		return "wo";
	return writable(p) ? "rw" : "ro";
}

static json_t *param_json(const struct cred_model *m, const struct cred_param *p)
{
	char range[256];

	format_range(p, range, sizeof(range));
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "model", m->key, "name", p->name,
			 "access", access_of(p), "range", range, "unit", p->unit ? p->unit : "",
			 "help", p->help ? p->help : "");
}

static void print_param(const struct cred_param *p)
{
	char range[256];

	format_range(p, range, sizeof(range));
	printf("  %-26s %-2s %-28s %s\n", p->name, access_of(p), range, p->help ? p->help : "");
}

/* Names only, each once (for shell completion scripts): with -q. */
static bool name_seen(size_t upto_model, const char *name)
{
	for (size_t k = 0; k < upto_model; k++)
		if (cred_param_find(all_models[k], name))
			return true;
	return false;
}

static int list_params(struct ctl *ctl)
{
	json_t *arr = ctl->opts.json ? json_array() : NULL;

	for (size_t k = 0; k < ARRAY_SIZE(all_models); k++) {
		const struct cred_model *m = cred_model_get(all_models[k]);
		size_t n = cred_param_count(m->id);

		/* -m narrows the list to one model; no camera is needed. */
		if (ctl->opts.model && ctl->opts.model->id != m->id)
			continue;
		if (!arr && !ctl->opts.quiet)
			printf("%s%s:\n", k && !ctl->opts.model ? "\n" : "", m->name);
		for (size_t i = 0; i < n; i++) {
			const struct cred_param *p = cred_param_at(m->id, i);

			if (arr)
				json_array_append_new(arr, param_json(m, p));
			else if (!ctl->opts.quiet)
				print_param(p);
			else if (ctl->opts.model || !name_seen(k, p->name))
				printf("%s\n", p->name);
		}
	}
	if (arr)
		print_json(arr);
	return EXIT_OK;
}

/* ---- get ------------------------------------------------------------------------ */

static const struct cred_param *find_param(struct ctl *ctl, const char *name)
{
	const struct cred_model *m = ctl_model(ctl);
	const struct cred_param *p = cred_param_find(m->id, name);

	if (!p)
		die_usage("unknown parameter '%s' for the %s (list them with '%s get --list')",
			  name, m->name, get_prog_name());
	return p;
}

/* Values one per line in the order asked (scripts read them with `read`);
 * -v adds the names and units; --json gives an object. */
static void print_values(struct ctl *ctl, char **names, char **values, int n)
{
	json_t *o;

	if (ctl->opts.json) {
		o = json_object();
		for (int i = 0; i < n; i++)
			json_object_set_new(o, names[i], json_param_value(ctl_model(ctl), names[i], values[i]));
		print_json(o);
		return;
	}
	for (int i = 0; i < n; i++) {
		const struct cred_param *p = find_param(ctl, names[i]);

		if (ctl->opts.verbose)
			printf("%s: %s%s%s\n", names[i], values[i], p->unit && *p->unit ? " " : "",
			       p->unit ? p->unit : "");
		else
			printf("%s\n", values[i]);
	}
}

static void read_values(struct ctl *ctl, char **names, int n, char **values)
{
	for (int i = 0; i < n; i++) {
		int err = cred_camera_get(ctl_camera(ctl), names[i], &values[i]);

		if (err < 0)
			die_cred(err, "cannot read '%s'", names[i]);
		/* A value never reads as nothing: bytes were lost on the line.
		 * Better no answer than a wrong one. */
		if (!*values[i])
			die_code(EXIT_NO_ANSWER, "empty answer for '%s' (bytes lost on the line?)",
				 names[i]);
	}
}

static void free_values(char **values, int n)
{
	for (int i = 0; i < n; i++)
		free(values[i]);
	free(values);
}

static int handle_get_opt(int opt, const char *arg, void *user)
{
	bool *list_wanted = user;

	if (opt != OPT_LIST)
		return -1;
	*list_wanted = true;
	return 0;
}

int cmd_get(int argc, char **argv, void *user)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = {
		.longopts = longopts, .common = COMMON_JSON, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	bool list_wanted = false;
	char **values;
	int first, n;

	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, handle_get_opt, &list_wanted);
	if (list_wanted)
		return list_params(ctl);
	n = argc - first;
	if (n == 0)
		die_usage("get needs a parameter name (list them with '%s get --list')", get_prog_name());
	/* Every name is checked before anything is read. */
	for (int i = first; i < argc; i++)
		if (!find_param(ctl, argv[i])->get_cmd)
			die_usage("'%s' cannot be read back (it is write-only)", argv[i]);
	values = calloc(n, sizeof(*values));
	if (!values)
		die("out of memory");
	read_values(ctl, argv + first, n, values);
	print_values(ctl, argv + first, values, n);
	free_values(values, n);
	return EXIT_OK;
}

/* ---- set ------------------------------------------------------------------------ */

static void check_writable(struct ctl *ctl, const char *name)
{
	const struct cred_param *p = find_param(ctl, name);

	if (!writable(p))
		die_usage("'%s' is read-only", name);
}

/* what: the one name (from argv) or "the settings". */
static void NORETURN set_failed(int err, const char *what)
{
	if (err == CRED_ERR_ARG)
		die_code(EXIT_USAGE, "invalid value: %s", cred_last_error());
	if (err == CRED_ERR_FAIL)
		die_code(EXIT_REFUSED, "camera rejected %s: %s", what, cred_last_error());
	die_cred(err, "cannot set %s", what);
}

/* A number the camera kept other than the one asked: it rounds (tint to
 * its granularity) or clamps (the C-RED One gain at its lock). Printed
 * values carry 9 digits, so only a difference beyond them counts. */
static void note_kept(struct ctl *ctl, const char *name, const char *asked, const char *kept)
{
	const struct cred_param *p = find_param(ctl, name);
	double a, k;

	if ((p->type != CRED_PARAM_NUMBER && p->type != CRED_PARAM_INT) || !kept ||
	    !parse_double(asked, -DBL_MAX, DBL_MAX, &a) || !parse_double(kept, -DBL_MAX, DBL_MAX, &k))
		return;
	if (fabs(a - k) > 1e-9 * fabs(a) + 1e-12)
		print_warning("the camera kept %s %s, not the %s asked (%s)", name, kept, asked,
			      p->type == CRED_PARAM_INT ? "clamped at its limit" :
			      "rounded to its step or clamped");
}

/* A side effect said aloud: "tint changed too: 0.00166 -> 0.0099 s". */
static void note_moved(struct ctl *ctl, const struct cred_change *c, const char *cause)
{
	const struct cred_param *p = find_param(ctl, c->name);
	const char *unit = p->unit && *p->unit ? p->unit : "";

	if (ctl->opts.quiet)
		return;
	fflush(stdout);
	fprintf(stderr, "%s: %s changed too: %s -> %s%s%s (a side effect of setting %s)\n",
		get_prog_name(), c->name, c->before ? c->before : "?", c->after, *unit ? " " : "",
		unit, cause);
}

/* The asked names for a message: "fps" or "fps, cropping". */
static void cause_text(const struct cred_change *c, size_t n, char *buf, size_t len)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && c[i].asked && k < len; i++)
		k += (size_t)snprintf(buf + k, len - k, "%s%s", k ? ", " : "", c[i].name);
}

static void print_changes(struct ctl *ctl, const struct cred_change *c, size_t n,
			  const char *const *values)
{
	json_t *o, *moved;
	char cause[256];

	if (ctl->opts.json) {
		o = json_object();
		moved = json_object();
		for (size_t i = 0; i < n; i++) {
			const char *v = c[i].after ? c[i].after : values[i];

			json_object_set_new(o, c[i].name, json_param_value(ctl_model(ctl), c[i].name, v));
			if (!c[i].asked)
				json_object_set_new(moved, c[i].name, json_pack("{s:o, s:o}",
					"before", c[i].before ? json_param_value(ctl_model(ctl), c[i].name,
								 c[i].before) : json_null(),
					"after", json_param_value(ctl_model(ctl), c[i].name, c[i].after)));
		}
		json_object_set_new(o, "moved", moved);
		print_json(o);
		return;
	}
	cause_text(c, n, cause, sizeof(cause));
	for (size_t i = 0; i < n; i++) {
		const struct cred_param *p = find_param(ctl, c[i].name);
		const char *v = c[i].after ? c[i].after : values[i];

		if (!c[i].asked)
			note_moved(ctl, &c[i], cause);
		else if (ctl->opts.quiet)
			continue;
		else if (ctl->opts.verbose)
			printf("%s: %s%s%s\n", c[i].name, v, p->unit && *p->unit ? " " : "",
			       p->unit ? p->unit : "");
		else
			printf("%s\n", v);
	}
}

int cmd_set(int argc, char **argv, void *user)
{
	static const struct tool_opts t = {
		.shortopts = "+", .common = COMMON_JSON, .print_help = credctl_help,
	};
	struct ctl *ctl = user;
	const char **names, **values;
	char (*number)[256];
	struct cred_change *changes;
	size_t count;
	int first, n, err;

	/* "+": stop at the first operand, so a value like -5 is not an option. */
	first = parse_subcommand_opts(argc, argv, &t, &ctl->opts, NULL, NULL);
	if (first >= argc || (argc - first) % 2)
		die_usage("set needs NAME VALUE pairs");
	n = (argc - first) / 2;
	for (int i = 0; i < n; i++)
		check_writable(ctl, argv[first + 2 * i]);
	names = calloc(n, sizeof(*names));
	values = calloc(n, sizeof(*values));
	number = calloc(n, sizeof(*number));
	if (!names || !values || !number)
		die("out of memory");
	for (int i = 0; i < n; i++) {
		names[i] = argv[first + 2 * i];
		/* Units ("5ms") become the camera's numbers before anything else. */
		if (cred_param_normalize(find_param(ctl, names[i]), argv[first + 2 * i + 1],
					 number[i], sizeof(number[i])) < 0)
			die_usage("invalid value: %s", cred_last_error());
		values[i] = number[i];
	}
	/* Checked against the live limits, sent in the camera's order, read
	 * back with whatever the change moved. */
	err = cred_camera_set_changes(ctl_camera(ctl), names, values, n, &changes, &count);
	if (err < 0) {
		const char *what = n == 1 ? names[0] : "the settings";

		/* nothing left allocated when the tool exits */
		free(names);
		free(values);
		free(number);
		set_failed(err, what);
	}
	for (int i = 0; i < n; i++)
		note_kept(ctl, names[i], values[i], changes[i].after);
	print_changes(ctl, changes, count, values);
	cred_changes_free(changes, count);
	free(names);
	free(values);
	free(number);
	return EXIT_OK;
}

/* credbpm merge, set, clear, convert: making maps from maps. */
#include "credbpm.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_FORCE = OPT_TOOL_BASE, OPT_OVER, OPT_FROM };

struct out_args {
	const char *output, *over;
	enum map_format fmt, from;
	bool force;
};

static const struct option out_long[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "over", required_argument, NULL, OPT_OVER },
	{ "from", required_argument, NULL, OPT_FROM },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts out_opts = {
	.shortopts = "o:f:",
	.longopts = out_long,
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credbpm_help,
};

static int out_option(int opt, const char *arg, void *user)
{
	struct out_args *a = user;

	switch (opt) {
	case 'o': a->output = arg; break;
	case 'f': a->fmt = map_format_parse(arg); break;
	case OPT_FORCE: a->force = true; break;
	case OPT_OVER: a->over = arg; break;
	case OPT_FROM: a->from = map_format_parse(arg); break;
	default: return -1;
	}
	return 0;
}

int cmd_merge(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct out_args a = { 0 };
	int first = bpm_parse(cfg, argc, argv, &out_opts, out_option, &a);
	/* static: while a later map is read (map_read exits on a bad one) the
	 * sum stays reachable, not leaked (LeakSanitizer, make check SANITIZE=1) */
	static struct cred_bpm *sum;

	if (!a.output)
		die_usage("merge needs -o OUT");
	if (a.over || a.from)
		die_usage("--over and --from are for convert");
	if (argc - first < 2)
		die_usage("merge needs two maps or more");
	sum = map_read(cfg, argv[first], FMT_AUTO);
	for (int i = first + 1; i < argc; i++) {
		struct cred_bpm *m = map_read(cfg, argv[i], FMT_AUTO);

		int err = cred_bpm_merge(sum, m);

		cred_bpm_free(m);
		if (err < 0)
			die("cannot merge '%s': %s", argv[i], cred_last_error());
	}
	map_write(sum, a.output, a.fmt, a.force, NULL);
	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: %zu bad pixels in '%s'\n", get_prog_name(), cred_bpm_count(sum),
			a.output);
	cred_bpm_free(sum);
	sum = NULL;
	return EXIT_OK;
}

/* set and clear change the map in place, in its own format. */
int cmd_set(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	int bad = !strcmp(argv[0], "set");
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);
	struct cred_bpm *map;
	const char *path;

	if (argc - first < 3 || (argc - first - 1) % 2)
		die_usage("%s needs MAP and pairs of X Y", argv[0]);
	path = argv[first];
	if (map_format_of(path) == FMT_PNG)
		die_usage("'%s': a PNG picture cannot be edited; edit the map and convert it", path);
	map = map_read(cfg, path, FMT_AUTO);
	for (int i = first + 1; i < argc; i += 2) {
		long x = get_long_arg("x", argv[i], 0, cred_bpm_width(map) - 1);
		long y = get_long_arg("y", argv[i + 1], 0, cred_bpm_height(map) - 1);

		cred_bpm_set(map, (int)x, (int)y, bad);
	}
	map_write(map, path, FMT_AUTO, true, NULL);
	cred_bpm_free(map);
	return EXIT_OK;
}

int cmd_convert(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct out_args a = { 0 };
	int first = bpm_parse(cfg, argc, argv, &out_opts, out_option, &a);
	struct cred_bpm *map;

	if (first + 1 != argc)
		die_usage("convert needs one input map");
	if (!a.output)
		die_usage("convert needs -o OUT");
	if (a.over && (a.fmt ? a.fmt : map_format_of(a.output)) != FMT_PNG)
		die_usage("--over is for PNG pictures");
	map = map_read(cfg, argv[first], a.from);
	map_write(map, a.output, a.fmt, a.force, a.over);
	cred_bpm_free(map);
	return EXIT_OK;
}

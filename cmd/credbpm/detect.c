/* credbpm detect: bad pixels from dark and flat-field frames.
 *
 * Each pixel's mean and temporal standard deviation over the darks, and
 * its mean over the flats, are compared with those of all the pixels
 * through robust statistics (the median, and the median absolute
 * deviation scaled to a standard deviation), so the bad pixels themselves
 * do not move the thresholds:
 *   hot     dark mean above median + K sigma            (--hot, 5)
 *   noisy   dark standard deviation above median + K sigma (--noisy, 8)
 *   dead    response (flat - dark) below F of the median (--dead, 0.1)
 *   low     response below median - K sigma             (--low, 6)
 *   high    response above median + K sigma             (--high, 6)
 * A pixel counts in the first class it falls in. */
#include "credbpm.h"
#include "frame-input.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OPT_FORCE = OPT_TOOL_BASE, OPT_DARK, OPT_FLAT, OPT_HOT, OPT_NOISY, OPT_DEAD, OPT_LOW,
       OPT_HIGH, OPT_ORIGIN, OPT_MERGE, OPT_WIDTH, OPT_HEIGHT, OPT_TAGS };

enum cls { C_HOT, C_NOISY, C_DEAD, C_LOW, C_HIGH, NCLASSES };
static const char *const class_names[NCLASSES] = { "hot", "noisy", "dead", "low", "high" };

struct detect_args {
	const char *output, *dark, *flat, *merge;
	enum map_format fmt;
	bool force;
	double k[NCLASSES];
	int ox, oy;
	bool origin;
	int width, height;
	const char *tags;
	char **command;
};

static const struct option detect_long[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "dark", required_argument, NULL, OPT_DARK },
	{ "flat", required_argument, NULL, OPT_FLAT },
	{ "hot", required_argument, NULL, OPT_HOT },
	{ "noisy", required_argument, NULL, OPT_NOISY },
	{ "dead", required_argument, NULL, OPT_DEAD },
	{ "low", required_argument, NULL, OPT_LOW },
	{ "high", required_argument, NULL, OPT_HIGH },
	{ "origin", required_argument, NULL, OPT_ORIGIN },
	{ "merge", required_argument, NULL, OPT_MERGE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "tags", required_argument, NULL, OPT_TAGS },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts detect_opts = {
	.shortopts = "o:f:",
	.longopts = detect_long,
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credbpm_help,
};

static void parse_origin(struct detect_args *a, const char *arg)
{
	char x[16], y[16], extra;

	if (sscanf(arg, "%15[0-9],%15[0-9]%c", x, y, &extra) != 2)
		die_usage("invalid --origin '%s': X,Y (the sensor column and row of the frames' "
			  "top-left pixel)", arg);
	a->ox = (int)get_long_arg("origin x", x, 0, 65535);
	a->oy = (int)get_long_arg("origin y", y, 0, 65535);
	a->origin = true;
}

static int detect_option(int opt, const char *arg, void *user)
{
	struct detect_args *a = user;

	switch (opt) {
	case 'o': a->output = arg; break;
	case 'f': a->fmt = map_format_parse(arg); break;
	case OPT_FORCE: a->force = true; break;
	case OPT_DARK: a->dark = arg; break;
	case OPT_FLAT: a->flat = arg; break;
	case OPT_HOT: a->k[C_HOT] = get_double_arg("--hot", arg, 0.5, 1000); break;
	case OPT_NOISY: a->k[C_NOISY] = get_double_arg("--noisy", arg, 0.5, 1000); break;
	case OPT_DEAD: a->k[C_DEAD] = get_double_arg("--dead", arg, 0, 1); break;
	case OPT_LOW: a->k[C_LOW] = get_double_arg("--low", arg, 0.5, 1000); break;
	case OPT_HIGH: a->k[C_HIGH] = get_double_arg("--high", arg, 0.5, 1000); break;
	case OPT_ORIGIN: parse_origin(a, arg); break;
	case OPT_MERGE: a->merge = arg; break;
	case OPT_WIDTH: a->width = (int)get_long_arg("width", arg, 1, 65535); break;
	case OPT_HEIGHT: a->height = (int)get_long_arg("height", arg, 1, 65535); break;
	case OPT_TAGS: a->tags = arg; break;
	default: return -1;
	}
	return 0;
}

/* One set of frames (dark or flat) from a file, standard input or the
 * command after --. */
static void read_set(struct config *cfg, const struct detect_args *a, const char *path,
		     const char *what, struct frames_stats *st)
{
	const char *const paths[] = { path };
	struct frame_input in = {
		.paths = paths, .npaths = 1, .width = a->width, .height = a->height,
		.tags = a->tags, .model = cfg->opts.model,
		.command = strcmp(path, "-") ? NULL : a->command,
		.camera = &cfg->opts,
	};

	frames_stats_read(cfg, &in, what, st);
}

/* ---- robust statistics --------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median and MAD-based sigma of v[skip..n). */
static void robust(const double *v, size_t skip, size_t n, double *median, double *sigma)
{
	size_t m = n - skip;
	double *c = malloc(m * sizeof(double));

	if (!c)
		die("out of memory");
	memcpy(c, v + skip, m * sizeof(double));
	qsort(c, m, sizeof(double), cmp_double);
	*median = c[m / 2];
	for (size_t i = 0; i < m; i++)
		c[i] = fabs(c[i] - *median);
	qsort(c, m, sizeof(double), cmp_double);
	*sigma = 1.4826 * c[m / 2];
	if (*sigma <= 0)
		*sigma = 1e-9; /* all equal: any difference stands out */
	free(c);
}

/* ---- classification ---------------------------------------------------------------- */

/* The class of every pixel (NCLASSES: good). */
static uint8_t *classify(const struct detect_args *a, const struct frames_stats *dark,
			 const struct frames_stats *flat, size_t n, size_t skip)
{
	uint8_t *cls = malloc(n);
	double med, sig, rmed = 0, rsig = 0, smed = 0, ssig = 0;
	double *resp = NULL;

	if (!cls)
		die("out of memory");
	memset(cls, NCLASSES, n);
	if (dark) {
		robust(dark->mean, skip, n, &med, &sig);
		if (dark->frames > 1)
			robust(dark->sd, skip, n, &smed, &ssig);
		for (size_t i = skip; i < n; i++)
			if (dark->mean[i] > med + a->k[C_HOT] * sig)
				cls[i] = C_HOT;
			else if (dark->frames > 1 && dark->sd[i] > smed + a->k[C_NOISY] * ssig)
				cls[i] = C_NOISY;
	}
	if (flat) {
		if (!(resp = malloc(n * sizeof(double))))
			die("out of memory");
		for (size_t i = 0; i < n; i++)
			resp[i] = flat->mean[i] - (dark ? dark->mean[i] : 0);
		robust(resp, skip, n, &rmed, &rsig);
		for (size_t i = skip; i < n; i++) {
			if (cls[i] != NCLASSES)
				continue;
			if (resp[i] < a->k[C_DEAD] * rmed)
				cls[i] = C_DEAD;
			else if (resp[i] < rmed - a->k[C_LOW] * rsig)
				cls[i] = C_LOW;
			else if (resp[i] > rmed + a->k[C_HIGH] * rsig)
				cls[i] = C_HIGH;
		}
		free(resp);
	}
	return cls;
}

/* The sensor the frames come from: the model of the frames, else -m,
 * else the one whose sensor they fit. */
static const struct cred_model *sensor_of(struct config *cfg, const struct frames_stats *st)
{
	const struct cred_model *one = cred_model_get(CRED_MODEL_CREDONE);

	if (st->model)
		return st->model;
	if (cfg->opts.model)
		return cfg->opts.model;
	if (st->width == one->width && st->height == one->height)
		return one;
	return cred_model_get(CRED_MODEL_CRED3);
}

/* Frames of a window, no --origin, a camera named: its cropping gives the
 * window's place (read after the frames, when a command feeding them has
 * let go of the port). */
static void origin_from_camera(struct config *cfg, struct detect_args *a,
			       const struct frames_stats *st, const struct cred_model *m)
{
	const char *env = getenv("CRED_PORT");
	char *on = NULL, *cols = NULL, *rows = NULL;
	int c0, c1, r0, r1;
	struct cred_camera *cam;

	if (a->origin || (st->width == m->width && st->height == m->height) ||
	    (!cfg->opts.port && !(env && *env)))
		return;
	cam = open_camera(&cfg->opts);
	if (cred_camera_get(cam, "cropping", &on) == CRED_OK && !strcmp(on, "on") &&
	    cred_camera_get(cam, "cropping.columns", &cols) == CRED_OK &&
	    cred_camera_get(cam, "cropping.rows", &rows) == CRED_OK &&
	    sscanf(cols, "%d-%d", &c0, &c1) == 2 && sscanf(rows, "%d-%d", &r0, &r1) == 2 &&
	    c1 - c0 + 1 == st->width && r1 - r0 + 1 == st->height) {
		a->ox = c0;
		a->oy = r0;
		a->origin = true;
	} else {
		print_warning("the camera's window is not that of the frames: they are placed at "
			      "0,0 (give --origin X,Y)");
	}
	free(on);
	free(cols);
	free(rows);
	cred_camera_close(cam);
}

static void report(struct config *cfg, const size_t *count, size_t total, size_t merged,
		   const struct frames_stats *st, const struct cred_model *m, const struct detect_args *a)
{
	double seen = (double)st->width * st->height / ((double)m->width * m->height);

	if (cfg->opts.json) {
		json_t *o = json_object();

		for (int c = 0; c < NCLASSES; c++)
			json_object_set_new(o, class_names[c], json_integer((json_int_t)count[c]));
		json_object_set_new(o, "found", json_integer((json_int_t)total));
		json_object_set_new(o, "merged", json_integer((json_int_t)merged));
		json_object_set_new(o, "seen_fraction", json_real(seen));
		print_json(o);
	}
	if (!cfg->opts.quiet) {
		fprintf(stderr, "%s: hot %zu, noisy %zu, dead %zu, low %zu, high %zu: %zu bad pixels",
			get_prog_name(), count[C_HOT], count[C_NOISY], count[C_DEAD], count[C_LOW],
			count[C_HIGH], total);
		if (a->merge)
			fprintf(stderr, ", %zu in all with '%s'", merged, a->merge);
		fprintf(stderr, "\n");
		if (seen < 1)
			fprintf(stderr, "%s: the frames cover %dx%d at %d,%d%s: %.1f%% of the %dx%d sensor "
				"was not seen (its pixels are left as they were)\n", get_prog_name(),
				st->width, st->height, a->ox, a->oy,
				a->origin ? "" : " (no --origin)", 100 * (1 - seen), m->width, m->height);
		if (st->skip)
			fprintf(stderr, "%s: the first %zu pixels carry image tags and were not judged\n",
				get_prog_name(), st->skip);
	}
}

static void check_args(struct detect_args *a, int first, int dd)
{
	if (first != dd)
		die_usage("detect takes its frames as --dark and --flat, not as arguments");
	if (!a->dark && !a->flat)
		die_usage("detect needs frames: --dark FRAMES, --flat FRAMES or both");
	if (!a->output)
		die_usage("detect needs -o MAP");
	if (a->dark && a->flat && !strcmp(a->dark, "-") && !strcmp(a->flat, "-"))
		die_usage("only one of --dark and --flat can read standard input");
	if (a->command && !(a->dark && !strcmp(a->dark, "-")) && !(a->flat && !strcmp(a->flat, "-")))
		die_usage("a command after -- feeds --dark - or --flat -");
}

int cmd_detect(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct detect_args a = { .k = { 5, 8, 0.1, 6, 6 } };
	int dd = frame_input_split(argc, argv, &a.command);
	int first = bpm_parse(cfg, dd, argv, &detect_opts, detect_option, &a);
	struct frames_stats dark, flat, *ref;
	const struct cred_model *m;
	struct cred_bpm *map = NULL, *extra;
	size_t count[NCLASSES] = { 0 }, n, total = 0;
	uint8_t *cls;

	check_args(&a, first, dd);
	/* the output name is claimed before any frame is read */
	if (!a.force && strcmp(a.output, "-") && access(a.output, F_OK) == 0)
		die("'%s' already exists (use --force to overwrite it)", a.output);
	if (a.dark) {
		read_set(cfg, &a, a.dark, "dark", &dark);
		if (dark.frames < 2)
			print_warning("one dark frame: noisy pixels need two or more");
	}
	if (a.flat)
		read_set(cfg, &a, a.flat, "flat", &flat);
	ref = a.dark ? &dark : &flat;
	if (a.dark && a.flat && (dark.width != flat.width || dark.height != flat.height))
		die("the darks are %dx%d, the flats %dx%d: they must come from the same window",
		    dark.width, dark.height, flat.width, flat.height);
	m = sensor_of(cfg, ref);
	origin_from_camera(cfg, &a, ref, m);
	if (a.ox + ref->width > m->width || a.oy + ref->height > m->height)
		die("%dx%d frames at %d,%d do not fit the %dx%d sensor of the %s", ref->width,
		    ref->height, a.ox, a.oy, m->width, m->height, m->name);
	n = (size_t)ref->width * ref->height;
	cls = classify(&a, a.dark ? &dark : NULL, a.flat ? &flat : NULL, n, ref->skip);
	if (cred_bpm_new(m->width, m->height, &map) < 0)
		die("%s", cred_last_error());
	for (size_t i = 0; i < n; i++)
		if (cls[i] < NCLASSES) {
			count[cls[i]]++;
			total++;
			cred_bpm_set(map, a.ox + (int)(i % ref->width), a.oy + (int)(i / ref->width), 1);
		}
	if (a.merge) {
		extra = map_read(cfg, a.merge, FMT_AUTO);
		if (cred_bpm_merge(map, extra) < 0)
			die("cannot merge '%s': %s", a.merge, cred_last_error());
		cred_bpm_free(extra);
	}
	map_write(map, a.output, a.fmt, a.force, NULL);
	report(cfg, count, total, cred_bpm_count(map), ref, m, &a);
	free(cls);
	cred_bpm_free(map);
	if (a.dark)
		frames_stats_free(&dark);
	if (a.flat)
		frames_stats_free(&flat);
	return EXIT_OK;
}

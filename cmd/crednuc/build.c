/* crednuc bias and crednuc flat: correction files from frames. */
#include "build.h"
#include "frame-input.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	OPT_FORCE = OPT_TOOL_BASE, OPT_KIND, OPT_HDR, OPT_METHOD, OPT_SIGMA, OPT_FRAMES,
	OPT_SKIP, OPT_WIDTH, OPT_HEIGHT, OPT_TAGS, OPT_GEOMETRY, OPT_FITS, OPT_CLAMP, OPT_BIAS,
	OPT_NO_BIAS, OPT_NORMALIZE,
};

static const struct option build_long[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "hdr", required_argument, NULL, OPT_HDR },
	{ "method", required_argument, NULL, OPT_METHOD },
	{ "sigma", required_argument, NULL, OPT_SIGMA },
	{ "frames", required_argument, NULL, OPT_FRAMES },
	{ "skip", required_argument, NULL, OPT_SKIP },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "height", required_argument, NULL, OPT_HEIGHT },
	{ "tags", required_argument, NULL, OPT_TAGS },
	{ "geometry", required_argument, NULL, OPT_GEOMETRY },
	{ "fits", required_argument, NULL, OPT_FITS },
	{ "clamp", no_argument, NULL, OPT_CLAMP },
	{ "bias", required_argument, NULL, OPT_BIAS },
	{ "no-bias", no_argument, NULL, OPT_NO_BIAS },
	{ "normalize", required_argument, NULL, OPT_NORMALIZE },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts build_opts = {
	.shortopts = "o:",
	.longopts = build_long,
	.print_help = crednuc_help,
};

/* The HDR kind for --hdr c1|c2. */
static const char *hdr_kind(enum cred_calib_type type, const char *cap)
{
	if (strcmp(cap, "c1") && strcmp(cap, "c2"))
		die_usage("invalid --hdr '%s': c1 or c2", cap);
	if (type == CRED_CALIB_BIAS)
		return !strcmp(cap, "c1") ? "bias_hdr_c1" : "bias_hdr_c2";
	return !strcmp(cap, "c1") ? "flat_hdr_c1" : "flat_hdr_c2";
}

static int build_option(int opt, const char *arg, void *user)
{
	struct build_args *b = user;

	switch (opt) {
	case 'o': b->output = arg; break;
	case OPT_FORCE: b->force = true; break;
	case OPT_KIND: b->kind_name = arg; break;
	case OPT_HDR: b->kind_name = hdr_kind(b->type, arg); break;
	case OPT_METHOD:
		if (!stack_method_parse(arg, &b->method))
			die_usage("invalid --method '%s': mean, median or clip", arg);
		break;
	case OPT_SIGMA: b->sigma = get_double_arg("sigma", arg, 0.5, 100); break;
	case OPT_FRAMES: b->max_frames = get_long_arg("frame count", arg, 1, 100000000); break;
	case OPT_SKIP: b->skip = get_long_arg("frames to skip", arg, 0, 100000000); break;
	case OPT_WIDTH: b->width = (int)get_long_arg("width", arg, 1, 65535); break;
	case OPT_HEIGHT: b->height = (int)get_long_arg("height", arg, 1, 65535); break;
	case OPT_TAGS: b->tags = arg; break;
	case OPT_GEOMETRY: b->geometry = arg; break;
	case OPT_FITS: b->fits = arg; break;
	case OPT_CLAMP: b->clamp = true; break;
	case OPT_BIAS: b->bias_file = arg; break;
	case OPT_NO_BIAS: b->no_bias = true; break;
	case OPT_NORMALIZE:
		if (!strcmp(arg, "median"))
			b->normalize = NORM_MEDIAN;
		else if (!strcmp(arg, "mean"))
			b->normalize = NORM_MEAN;
		else
			die_usage("invalid --normalize '%s': median or mean", arg);
		break;
	default: return -1;
	}
	return 0;
}

/* Options and arguments: INPUT... up to a "--", then the command. */
static void parse_build(struct nuc *nuc, int argc, char **argv, struct build_args *b)
{
	const struct cred_calib_kind *kind;
	int dd = frame_input_split(argc, argv, &b->command), first;

	while (dd < argc && strcmp(argv[dd], "--"))
		dd++;
	first = parse_subcommand_opts(dd, argv, &build_opts, &nuc->opts, build_option, b);
	b->inputs = argv + first;
	b->ninputs = dd - first;
	if (b->command && b->ninputs)
		die_usage("give INPUT files or a command after --, not both");
	if (!b->kind_name)
		b->kind_name = b->type == CRED_CALIB_BIAS ? "bias" : "flat";
	kind = find_kind(NULL, b->kind_name);
	if (kind->type != b->type)
		die_usage("'%s' is not a %s kind", b->kind_name, b->type == CRED_CALIB_BIAS ? "bias" : "flat");
	if (b->type == CRED_CALIB_FLAT && !b->bias_file == !b->no_bias)
		die_usage("a flat needs the bias to subtract: --bias FILE, or --no-bias when the "
			  "frames are bias-corrected already");
	if (b->type == CRED_CALIB_BIAS && (b->bias_file || b->no_bias))
		die_usage("--bias and --no-bias are for flats");
	if (b->method == STACK_CLIP && b->sigma == 0)
		b->sigma = 3;
	b->opts_model = nuc->opts.model;
	b->opts = &nuc->opts;
}

/* Outputs are claimed before any frame is read, so a name already taken
 * fails at once. */
static struct out_file *claim_outputs(struct build_args *b, char *default_name, size_t size)
{
	if (!b->output) {
		snprintf(default_name, size, "%s.bin", b->kind_name);
		b->output = default_name;
	}
	if (!strcmp(b->output, "-") && isatty(STDOUT_FILENO))
		die_usage("standard output is a terminal: give -o FILE for the binary file");
	if (b->fits && !b->force && access(b->fits, F_OK) == 0)
		die("'%s' exists (use --force to replace it)", b->fits);
	if (b->fits && !strcmp(b->fits, b->output))
		die_usage("--fits and --output name the same file");
	return out_file_open(b->output, b->force);
}

/* Read the frames, from a command when one is given (with the HDR
 * calibration set around it for an HDR kind). */
static void gather(struct nuc *nuc, struct build_args *b, const struct cred_calib_kind *kind,
		   struct stack_source *src)
{
	if (b->command && kind->hdr_capacitor) {
		hdr_calibration_begin(nuc, kind->hdr_capacitor);
		nuc_close(nuc); /* the command needs the port */
	}
	if (b->command)
		frame_input_spawn(b->command);
	catch_stop_signals(false);
	cancel_library_on_stop();
	frames_read(b, src);
	if (b->command)
		frame_input_reap(b->command[0]);
	restore_stop_signals();
	hdr_calibration_end();
}

/* The frames must be of the target's model and window. */
static void check_frames(const struct stack_source *src, const struct cred_model *frames_model,
			 const struct target *t, const struct cred_calib_kind *kind)
{
	const struct cred_frame_format *f = &src->format;

	if (frames_model && frames_model->id != t->model->id)
		die("the frames come from a %s, but the file is for a %s", frames_model->name,
		    t->model->name);
	if (f->width != t->width || f->height != t->height)
		die("the frames are %dx%d, but the %s window is %dx%d: a %s file must match it",
		    f->width, f->height, t->from_camera ? "camera's" : "target", t->width, t->height,
		    kind->name);
	if (cred_calib_check_geometry(t->model, kind, t->width, t->height) < 0)
		die("%s", cred_last_error());
}

/* Warn about camera settings that spoil what the frames show. */
static void check_camera_state(struct nuc *nuc, const struct build_args *b, const struct target *t)
{
	char *v = NULL;

	if (!t->from_camera)
		return;
	if (b->type == CRED_CALIB_BIAS && nuc_get(nuc, "bias", &v) == CRED_OK && !strcmp(v, "on"))
		print_warning("the camera has bias correction on: darks taken so give a bias of "
			      "what is left, not of the sensor");
	free(v);
	v = NULL;
	if (b->no_bias && nuc_get(nuc, "aduoffset", &v) == CRED_OK && strcmp(v, "0"))
		print_warning("the camera adds an ADU offset of %s: with --no-bias it counts as "
			      "response", v);
	free(v);
}

static double *load_bias(const char *path, const struct target *t)
{
	size_t n = (size_t)t->width * t->height, len = 0;
	unsigned char *data = NULL;
	uint16_t *raw;
	double *v;
	FILE *f = fopen(path, "rb");
	int err;

	if (!f)
		die_perror("cannot open '%s'", path);
	if (!(data = malloc(2 * n + 1)))
		die("out of memory");
	len = fread(data, 1, 2 * n + 1, f);
	err = ferror(f) ? errno : 0;
	fclose(f);
	if (err || len != 2 * n) {
		free(data); /* nothing left allocated when the tool exits */
		if (err) {
			errno = err;
			die_perror("cannot read '%s'", path);
		}
		die("%s: %s bias for a %dx%d window must be %zu bytes, not %s%zu", path,
		    t->model->name, t->width, t->height, 2 * n, len > 2 * n ? "more than " : "",
		    len > 2 * n ? 2 * n : len);
	}
	raw = malloc(n * sizeof(*raw));
	v = malloc(n * sizeof(*v));
	if (!raw || !v)
		die("out of memory");
	cred_calib_bias_decode(data, len, raw);
	for (size_t i = 0; i < n; i++)
		v[i] = raw[i];
	free(data);
	free(raw);
	return v;
}

/* From the per-pixel statistic to the values of the file. */
static void to_values(const struct build_args *b, const struct stack_source *src,
		      const struct target *t, const double *bias, double *v, struct misfits *m)
{
	size_t n = (size_t)t->width * t->height;
	size_t tags = cred_tags_size(src->format.tags) / 2;

	memset(m, 0, sizeof(*m));
	if (b->type == CRED_CALIB_FLAT) {
		if (bias)
			for (size_t i = 0; i < n; i++)
				v[i] -= bias[i];
		flat_factors(v, n, tags, b->normalize, m);
	}
	fix_tag_pixels(v, &src->format, b->type);
	find_misfits(t->model, b->type, v, n, m);
}

/* Say what does not fit; returns true when that stops the build (no
 * --clamp): the caller frees what it holds and dies. */
static bool report_misfits(const struct build_args *b, const struct target *t,
			   const struct misfits *m)
{
	int x = (int)(m->first % (size_t)t->width), y = (int)(m->first / (size_t)t->width);

	if (m->count && b->type == CRED_CALIB_BIAS)
		print_error("%zu bias values do not fit 0 to %d (the %s range); the first, at "
			    "pixel (%d, %d), is %.1f", m->count, cred_calib_bias_max(t->model),
			    t->model->name, x, y, m->first_value);
	else if (m->count)
		print_error("%zu flat factors do not fit 0 to %.4f; the first, at pixel (%d, %d), "
			    "is %.4f", m->count, CRED_FLAT_MAX, x, y, m->first_value);
	if (m->dead)
		print_error("%zu pixels do not respond (0 or less after the bias): no factor can "
			    "correct them", m->dead);
	return !b->clamp;
}

/* The file's bytes (malloc'd), or NULL with libcred's message. */
static void *encode(const struct build_args *b, const struct target *t, double *v)
{
	size_t n = (size_t)t->width * t->height;
	void *file = malloc(2 * n);
	int err;

	if (!file)
		die("out of memory");
	for (size_t i = 0; i < n; i++)
		if (isnan(v[i]))
			v[i] = 1.0; /* dead pixels stay as they are */
	err = b->type == CRED_CALIB_BIAS ?
		cred_calib_bias_encode(t->model, t->width, t->height, v, CRED_CALIB_CLAMP, file, NULL) :
		cred_calib_flat_encode(t->model, t->width, t->height, v, CRED_CALIB_CLAMP, file, NULL);
	if (err < 0) {
		free(file);
		return NULL;
	}
	return file;
}

/* Write the binary under its temporary name, to the disk: a full disk
 * shows here, before the --fits copy is made. It is committed after that
 * copy, so a failed copy leaves neither file. */
static void write_output(struct out_file *of, const char *path, const void *file, size_t len)
{
	FILE *f = out_file_stream(of);

	if (fwrite(file, 1, len, f) != len || fflush(f) != 0 ||
	    (f != stdout && fsync(fileno(f)) < 0))
		die_perror("cannot write '%s'", path);
}

static void print_summary(const struct nuc *nuc, const struct build_args *b,
			  const struct target *t, const struct build_summary *s)
{
	if (nuc->opts.quiet)
		return;
	fprintf(stderr, "%s: %s: %s for a %s %dx%d window from %zu frames (%s): %s %.4g to "
		"%.4g, mean %.6g\n", get_prog_name(), b->output, b->kind_name, t->model->name,
		t->width, t->height, s->frames, stack_method_name(b->method),
		b->type == CRED_CALIB_BIAS ? "ADU" : "factors", s->min, s->max, s->mean);
}

static int run_build(struct nuc *nuc, int argc, char **argv, enum cred_calib_type type)
{
	struct build_args b = { .type = type, .method = STACK_MEAN, .sigma = 3 };
	struct stack_source src;
	struct target t;
	struct build_summary sum;
	struct misfits m;
	const struct cred_model *frames_model;
	const struct cred_calib_kind *kind;
	struct out_file *of;
	char default_name[64], frames_window[32];
	double *v, *bias = NULL;
	void *file = NULL;
	bool stop;

	parse_build(nuc, argc, argv, &b);
	of = claim_outputs(&b, default_name, sizeof(default_name));
	gather(nuc, &b, find_kind(NULL, b.kind_name), &src);
	if (!nuc->opts.lock_wait_set) {
		nuc->opts.lock_wait_ms = 10000; /* the grab that fed us may still hold the port */
		nuc->opts.lock_wait_set = true;
	}
	frames_model = cred_model_get(src.format.model);
	if (!b.geometry && !port_named(&nuc->opts)) {
		/* no camera to ask: the frames' own window, checked for the model */
		snprintf(frames_window, sizeof(frames_window), "%dx%d", src.format.width,
			 src.format.height);
		b.geometry = frames_window;
	}
	resolve_target(nuc, b.geometry, frames_model, &t);
	kind = find_kind(t.model, b.kind_name);
	check_frames(&src, frames_model, &t, kind);
	check_camera_state(nuc, &b, &t);
	/* From here on every error path frees what it holds first. */
	if (b.type == CRED_CALIB_FLAT && b.bias_file)
		bias = load_bias(b.bias_file, &t);
	v = stack_result(src.stack);
	to_values(&b, &src, &t, bias, v, &m);
	free(bias);
	stop = (m.count || m.dead) && report_misfits(&b, &t, &m);
	if (!stop)
		file = encode(&b, &t, v);
	free(v);
	sum.frames = stack_count(src.stack);
	stack_free(src.stack);
	if (stop)
		die("no file written (--clamp stores the nearest value that fits%s)",
		    m.dead ? ", and 1.0 for pixels that do not respond" : "");
	if (!file)
		die("%s", cred_last_error());
	summarize(type, file, (size_t)t.width * t.height, &sum);
	write_output(of, b.output, file, (size_t)t.width * t.height * 2);
	if (b.fits)
		write_fits(b.fits, b.force, kind, &t, file, &sum, stack_method_name(b.method));
	out_file_commit(of);
	print_summary(nuc, &b, &t, &sum);
	free(file);
	return EXIT_OK;
}

int cmd_bias(int argc, char **argv, void *user)
{
	return run_build(user, argc, argv, CRED_CALIB_BIAS);
}

int cmd_flat(int argc, char **argv, void *user)
{
	return run_build(user, argc, argv, CRED_CALIB_FLAT);
}

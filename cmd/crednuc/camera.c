/* crednuc camera KIND: the camera builds its own correction file, with
 * `buildnuc` (C-RED 3 firmware 1.1.0 and later: background build, progress,
 * abort) or the legacy `exec buildbias` / `exec buildflat`. Also crednuc
 * enable|disable CORRECTION... */
#include "crednuc.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_FRAMES = OPT_TOOL_BASE };

#define POLL_MS 500
#define LEGACY_MIN_FPS 5.0
/* After `buildnuc progress` says 0: how long the camera may stay busy. */
#define SETTLE_MS 15000

static const char *const camera_kinds[] = { "bias", "flat", "flat_hdr_c1", "flat_hdr_c2" };

struct camera_args {
	long frames; /* 0: default */
};

static const struct option camera_long[] = {
	{ "frames", required_argument, NULL, OPT_FRAMES },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts camera_opts = {
	.longopts = camera_long,
	.print_help = crednuc_help,
};

static int camera_option(int opt, const char *arg, void *user)
{
	struct camera_args *a = user;

	if (opt != OPT_FRAMES)
		return -1;
	a->frames = get_long_arg("frame count", arg, CRED_NUC_FRAMES_MIN, CRED_NUC_FRAMES_MAX);
	return 0;
}

/* ---- buildnuc ---------------------------------------------------------------- */

/* Ctrl-C came: give the camera back (the signals too, so a second Ctrl-C
 * ends a clean-up that hangs). */
static void NORETURN abort_build(struct nuc *nuc, const char *kind)
{
	int err;

	restore_stop_signals();
	err = cred_nuc_abort(nuc_camera(nuc));
	hdr_calibration_end();
	if (err < 0)
		die_interrupted("interrupted, and the camera's %s build could not be aborted: %s",
				kind, cred_last_error());
	die_interrupted("interrupted: the camera's %s build was aborted (buildnuc abort)", kind);
}

static double remaining(struct nuc *nuc, const char *kind)
{
	double left;
	int err = cred_nuc_progress(nuc_camera(nuc), &left);

	if (err < 0 && stop_signal)
		abort_build(nuc, kind);
	if (err < 0)
		die_cred(err, "cannot follow the camera's %s build", kind);
	return left;
}

/* Once the estimate reads 0 the camera may still be finishing: it is done
 * when it takes an ordinary command again. */
static void wait_not_busy(struct nuc *nuc, const char *kind)
{
	double until = cred_now_s() + SETTLE_MS / 1000.0;
	int busy;

	while ((busy = cred_nuc_busy(nuc_camera(nuc))) == 1) {
		if (stop_signal)
			abort_build(nuc, kind);
		if (cred_now_s() > until)
			die("the camera still refuses commands %d s after its %s build ended: %s",
			    SETTLE_MS / 1000, kind, cred_last_error());
		sleep_ms(POLL_MS);
	}
	if (stop_signal)
		abort_build(nuc, kind);
	if (busy < 0)
		die_cred(busy, "cannot tell whether the camera's %s build has ended", kind);
}

static void watch_build(struct nuc *nuc, const char *kind)
{
	struct progress bar;
	char label[64];
	double first = remaining(nuc, kind), left = first, deadline = cred_now_s() + 2 * first + 60;

	progress_start(&bar, &nuc->opts, (unsigned long long)ceil(first * 10));
	while (left > 0) {
		if (stop_signal) {
			progress_end(&bar);
			abort_build(nuc, kind);
		}
		if (cred_now_s() > deadline) {
			progress_end(&bar);
			restore_stop_signals();
			cred_nuc_abort(nuc_camera(nuc));
			die_code(EXIT_NO_ANSWER, "the camera's %s build did not end in %.0f s "
				 "(aborted)", kind, 2 * first + 60);
		}
		snprintf(label, sizeof(label), "buildnuc %s: %.0f s left", kind, ceil(left));
		progress_update(&bar, (unsigned long long)fmax(0, (first - left) * 10), label);
		sleep_ms(POLL_MS);
		left = remaining(nuc, kind);
	}
	progress_end(&bar);
	wait_not_busy(nuc, kind);
}

static void run_buildnuc(struct nuc *nuc, const char *kind, long frames)
{
	int err = cred_nuc_start(nuc_camera(nuc), kind, (int)frames);

	if (err < 0 && stop_signal)
		die_interrupted("interrupted before the camera started its %s build", kind);
	if (err < 0)
		die_cred(err, "the camera did not start its %s build", kind);
	watch_build(nuc, kind);
}

/* ---- legacy exec build ------------------------------------------------------------ */

static void check_legacy_fps(struct nuc *nuc)
{
	char *fps = NULL;
	double v;

	if (nuc_get(nuc, "fps", &fps) < 0)
		die("cannot read the frame rate: %s", cred_last_error());
	v = strtod(fps, NULL);
	if (v <= LEGACY_MIN_FPS)
		die("the camera's own build needs more than %g fps (it averages what 2 s of "
		    "frames give, up to 256) and the frame rate is %s: build the file from "
		    "frames with crednuc bias or crednuc flat, and upload it", LEGACY_MIN_FPS, fps);
	free(fps);
}

static void run_legacy(struct nuc *nuc, const char *kind, long frames)
{
	volatile sig_atomic_t *cancel;
	int err;

	if (frames)
		die("--frames needs buildnuc (C-RED 3 firmware 1.1.0 or later); this camera's "
		    "build takes what 2 s of frames give, up to 256");
	check_legacy_fps(nuc);
	/* The build cannot be stopped: wait for its answer even after
	 * Ctrl-C, which only sets the flag meanwhile. */
	cancel = cred_set_cancel_flag(NULL);
	err = cred_nuc_build_legacy(nuc_camera(nuc), kind);
	cred_set_cancel_flag(cancel);
	if (err < 0)
		die_cred(err, "the camera's %s build failed", kind);
	if (stop_signal)
		die_interrupted("interrupted (the camera's legacy build cannot be aborted: it has ended)");
}

int cmd_camera(int argc, char **argv, void *user)
{
	struct nuc *nuc = user;
	struct camera_args a = { 0 };
	const struct cred_calib_kind *kind;
	const char *name;
	double start;
	int first = parse_subcommand_opts(argc, argv, &camera_opts, &nuc->opts, camera_option, &a);
	size_t i;

	if (first + 1 != argc)
		die_usage("camera needs one KIND: bias, flat, flat_hdr_c1 or flat_hdr_c2");
	name = argv[first];
	for (i = 0; i < ARRAY_SIZE(camera_kinds) && strcmp(camera_kinds[i], name); i++)
		;
	if (i == ARRAY_SIZE(camera_kinds))
		die_usage("the camera builds bias, flat, flat_hdr_c1 or flat_hdr_c2, not '%s'", name);
	kind = find_kind(cred_camera_model(nuc_camera(nuc)), name);
	if (kind->hdr_capacitor)
		hdr_calibration_begin(nuc, kind->hdr_capacitor);
	start = cred_now_s();
	catch_stop_signals(false);
	cancel_library_on_stop();
	if (cred_nuc_background(nuc_camera(nuc)))
		run_buildnuc(nuc, name, a.frames);
	else
		run_legacy(nuc, name, a.frames);
	restore_stop_signals();
	hdr_calibration_end();
	if (!nuc->opts.quiet)
		fprintf(stderr, "%s: the camera built its %s file in %.1f s (switch it on with "
			"'crednuc enable %s')\n", get_prog_name(), name, cred_now_s() - start,
			kind->type == CRED_CALIB_BIAS ? "bias" : "flat");
	return EXIT_OK;
}

/* ---- enable / disable ---------------------------------------------------------- */

static const char *const corrections[] = { "bias", "flat", "badpixel", "adaptbias" };

static void check_correction(struct nuc *nuc, const char *name)
{
	const struct cred_model *model;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(corrections) && strcmp(corrections[i], name); i++)
		;
	if (i == ARRAY_SIZE(corrections))
		die_usage("unknown correction '%s': bias, flat, badpixel or adaptbias", name);
	model = cred_camera_model(nuc_camera(nuc));
	if (!cred_param_find(model->id, name))
		die("the %s has no %s correction", model->name, name);
}

static bool is_on(struct nuc *nuc, const char *name)
{
	char *v = NULL;
	bool on = nuc_get(nuc, name, &v) == CRED_OK && !strcmp(v, "on");

	free(v);
	return on;
}

int cmd_enable(int argc, char **argv, void *user)
{
	struct nuc *nuc = user;
	const char *value = strcmp(argv[0], "enable") ? "off" : "on";
	int first = parse_subcommand_opts(argc, argv, &nuc_no_opts, &nuc->opts, NULL, NULL);

	if (first >= argc)
		die_usage("%s needs a correction: bias, flat, badpixel or adaptbias", argv[0]);
	for (int i = first; i < argc; i++)
		check_correction(nuc, argv[i]);
	for (int i = first; i < argc; i++)
		nuc_set(nuc, argv[i], value);
	if (!strcmp(value, "on") && is_on(nuc, "flat") && !is_on(nuc, "bias"))
		print_warning("flat correction is on without bias correction: the manual says a "
			      "flat should always go with a bias");
	return EXIT_OK;
}

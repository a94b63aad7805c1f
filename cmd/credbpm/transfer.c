/* credbpm download, upload, restore-factory, enable, disable: the maps in
 * the camera, moved with libcred's transfer engine (size and MD5 checked
 * both ways; an upload is read back). */
#include "credbpm.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_FORCE = OPT_TOOL_BASE, OPT_FACTORY };

/* What the answer timeout must also cover for a raw upload: the bytes may
 * wait in buffers while the camera reads them at its serial line rate. */
#define LINE_BYTES_PER_S (115200 / 10)
#define RAW_ANSWER_MS 30000

struct dl_args {
	const char *output;
	enum map_format fmt;
	bool force, factory;
};

static const struct option dl_long[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "format", required_argument, NULL, 'f' },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "factory", no_argument, NULL, OPT_FACTORY },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts dl_opts = {
	.shortopts = "o:f:",
	.longopts = dl_long,
	.common = COMMON_JSON | COMMON_YES,
	.print_help = credbpm_help,
};

static int dl_option(int opt, const char *arg, void *user)
{
	struct dl_args *a = user;

	switch (opt) {
	case 'o': a->output = arg; break;
	case 'f': a->fmt = map_format_parse(arg); break;
	case OPT_FORCE: a->force = true; break;
	case OPT_FACTORY: a->factory = true; break;
	default: return -1;
	}
	return 0;
}

static struct cred_bpm *download(struct config *cfg, bool factory)
{
	struct cred_bpm *map = NULL;
	struct cred_camera *cam = bpm_camera(cfg);
	int err;

	catch_stop_signals(false);
	cancel_library_on_stop();
	err = cred_bpm_camera_download(cam, factory, &map);
	restore_stop_signals();
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("download of the %s bad pixel map interrupted (SIG%s): nothing was written",
				factory ? "factory" : "user", sigabbrev_np(stop_signal) ?: "?");
	if (err < 0)
		die_cred(err, "cannot download the %s bad pixel map (nothing was written)",
			 factory ? "factory" : "user");
	return map;
}

int cmd_download(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	struct dl_args a = { .output = "-" };
	int first = bpm_parse(cfg, argc, argv, &dl_opts, dl_option, &a);
	struct cred_bpm *map;
	const uint8_t *bits;
	char md5[CRED_MD5_HEX_SIZE];
	size_t len;

	if (first != argc)
		die_usage("download takes no arguments (the file is -o FILE)");
	map = download(cfg, a.factory);
	map_write(map, a.output, a.fmt, a.force, NULL);
	bits = cred_bpm_bytes(map, &len);
	cred_md5_buffer(bits, len, md5);
	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: %s map: %zu bad pixels (%zu bytes, MD5 %s, checked)\n",
			get_prog_name(), a.factory ? "factory" : "user", cred_bpm_count(map), len, md5);
	cred_bpm_free(map);
	return EXIT_OK;
}

/* Send map as the camera's user map and make sure it reads back the same. */
static void upload(struct config *cfg, const struct cred_bpm *map, const char *what)
{
	struct cred_camera *cam = bpm_camera(cfg);
	size_t len, sent = 0;
	struct cred_transfer_options o = { .cancel = &stop_signal, .sent = &sent };
	char md5[CRED_MD5_HEX_SIZE];
	const uint8_t *bits;
	int err;

	bits = cred_bpm_bytes(map, &len);
	if (cred_bpm_check_size(len, cred_camera_model(cam)->id) < 0)
		die("%s: %s (nothing sent)", what, cred_last_error());
	o.answer_timeout_ms = (cfg->opts.timeout_ms ? cfg->opts.timeout_ms : RAW_ANSWER_MS) +
			      (int)(len * 1000 / LINE_BYTES_PER_S);
	catch_stop_signals(false);
	cancel_library_on_stop(); /* the wait for the camera's verdict ends too */
	err = cred_transfer_upload(cred_camera_cli(cam), CRED_TRANSFER_RAW, "userbadpixel", NULL,
				   bits, len, &o, NULL);
	restore_stop_signals();
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_upload_interrupted(what, sent, len);
	if (err == CRED_ERR_DATA)
		die_cred(err, "%s: the camera took the map but reads back another one; check it "
			 "with 'credbpm download' and upload again", what);
	if (err < 0)
		die_cred(err, "%s: upload of the user bad pixel map failed", what);
	cred_md5_buffer(bits, len, md5);
	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: %s: uploaded as the user map, %zu bad pixels (%zu bytes, MD5 %s, "
			"read back)\n", get_prog_name(), what, cred_bpm_count(map), len, md5);
}

static bool confirm(struct config *cfg, const char *what, const struct cred_bpm *map)
{
	if (!cfg->opts.yes && !cfg->opts.quiet)
		fprintf(stderr, "%s: this replaces the camera's user bad pixel map with %s "
			"(%zu bad pixels)\n", get_prog_name(), what, cred_bpm_count(map));
	return ask_yes_no(&cfg->opts, "Continue? [y/N] ");
}

int cmd_upload(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);
	/* static: while the camera is opened and the map sent (both exit on
	 * failure) the map stays reachable, not leaked (LeakSanitizer) */
	static struct cred_bpm *map;
	struct cred_camera *cam;
	int w, h;

	if (first + 1 != argc)
		die_usage("upload needs one FILE");
	/* the file is checked before the camera is opened, then against its model */
	map = map_read(cfg, argv[first], FMT_AUTO);
	cam = bpm_camera(cfg);
	w = cred_bpm_width(map);
	h = cred_bpm_height(map);
	if (cred_bpm_check_size(cred_bpm_size_for(w, h), cred_camera_model(cam)->id) < 0) {
		cred_bpm_free(map);
		die("'%s' is a %dx%d map, not one for this %s (nothing sent)", argv[first], w, h,
		    cred_camera_model(cam)->name);
	}
	if (!confirm(cfg, argv[first], map)) {
		cred_bpm_free(map);
		print_error("nothing sent");
		return EXIT_REFUSED;
	}
	upload(cfg, map, argv[first]);
	cred_bpm_free(map);
	map = NULL;
	return EXIT_OK;
}

/* The manual's way: read the factory map and store it as the user map. */
int cmd_restore_factory(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);
	struct cred_bpm *map;

	if (first != argc)
		die_usage("restore-factory takes no arguments");
	map = download(cfg, true);
	if (!confirm(cfg, "the factory map", map)) {
		cred_bpm_free(map);
		print_error("nothing sent");
		return EXIT_REFUSED;
	}
	upload(cfg, map, "factory map");
	cred_bpm_free(map);
	return EXIT_OK;
}

int cmd_switch(int argc, char **argv, void *user)
{
	struct config *cfg = user;
	int first = bpm_parse(cfg, argc, argv, NULL, NULL, NULL);
	const char *value = strcmp(argv[0], "enable") ? "off" : "on";
	char *readback = NULL;
	int err;

	if (first != argc)
		die_usage("%s takes no arguments", argv[0]);
	err = cred_camera_set(bpm_camera(cfg), "badpixel", value, &readback);
	if (err < 0)
		die_cred(err == CRED_ERR_ARG ? CRED_ERR_FAIL : err, "cannot set badpixel %s", value);
	if (!cfg->opts.quiet)
		fprintf(stderr, "%s: bad pixel correction %s\n", get_prog_name(),
			readback ? readback : value);
	free(readback);
	return EXIT_OK;
}

/* credfw testpattern upload FRAMES...|on|off|status (C-RED One): the 32
 * images of the test pattern mode, built into a tar.gz from frame files
 * (FITS, the pipe stream, raw full-sensor frames) and fetched by the
 * camera from our one-shot HTTP server. */
#include "credfw.h"

#include <stdlib.h>
#include <string.h>

static int handle(int opt, const char *arg, void *user)
{
	return fw_common_option(user, opt, arg);
}

static int upload(struct config *cfg, char **paths, int n)
{
	struct cred_frame_format hint;
	struct cred_frame_reader *r;
	struct cred_transfer_options o;
	struct fw_progress p;
	size_t len, frames;
	void *tgz;
	int err;

	fw_need_model(cfg, CRED_MODEL_CREDONE, "test patterns");
	cred_frame_format_init(&hint, CRED_MODEL_CREDONE);
	hint.tags = CRED_TAGS_NONE; /* raw images are pixels only */
	err = cred_frame_reader_open_list((const char *const *)paths, (size_t)n, &hint, &r);
	if (err == CRED_ERR_IO || err == CRED_ERR_DATA)
		die("%s", cred_last_error()); /* a local file: a failed check, not a lost camera */
	if (err < 0)
		die_cred(err, "cannot read the frames");
	err = cred_testpattern_build(r, CRED_MODEL_CREDONE, &tgz, &len, &frames);
	cred_frame_reader_close(r);
	if (err == CRED_ERR_ARG)
		die_code(EXIT_USAGE, "%s", cred_last_error());
	if (err < 0)
		die_cred(err, "cannot build the test pattern");
	if (frames < CRED_TESTPATTERN_IMAGES && !cfg->opts.quiet)
		fprintf(stderr, "%s: %zu frames repeated in order to make %d images\n",
			get_prog_name(), frames, CRED_TESTPATTERN_IMAGES);
	o = fw_transfer_options(cfg, &p, "test pattern", len);
	err = cred_testpattern_upload(cfg->cam, tgz, len, &o);
	progress_end(&p.bar);
	free(tgz);
	if (err < 0)
		fw_die_transfer(err, "test pattern upload", &p);
	printf("test pattern: %d images from %zu frames (%zu bytes) sent\n", CRED_TESTPATTERN_IMAGES,
	       frames, len);
	return EXIT_OK;
}

static int status(struct config *cfg)
{
	char *value = NULL;
	int r;

	fw_need_model(cfg, CRED_MODEL_CREDONE, "test patterns");
	if ((r = cred_camera_get(cfg->cam, "testpattern", &value)) < 0)
		die_cred(r, "cannot read the test pattern mode");
	if (cfg->opts.json)
		print_json(json_pack("{s:s}", "testpattern", value));
	else
		printf("%s\n", value);
	free(value);
	return EXIT_OK;
}

static int set(struct config *cfg, const char *value)
{
	char *back = NULL;
	int r;

	fw_need_model(cfg, CRED_MODEL_CREDONE, "test patterns");
	if ((r = cred_camera_set(cfg->cam, "testpattern", value, &back)) < 0)
		die_cred(r, "cannot switch the test pattern %s", value);
	printf("testpattern: %s\n", back ? back : value);
	free(back);
	return EXIT_OK;
}

int cmd_testpattern(int argc, char **argv, void *user)
{
	static const struct option longs[] = {
		{ "http-host", required_argument, NULL, OPT_HTTP_HOST },
		{ "http-port", required_argument, NULL, OPT_HTTP_PORT },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = { "", longs, COMMON_JSON, credfw_help };
	struct config *cfg = user;
	int first = parse_subcommand_opts(argc, argv, &t, &cfg->opts, handle, cfg);
	const char *action = first < argc ? argv[first] : NULL;
	int nargs = argc - first - 1;

	if (!action)
		die_usage("'testpattern' needs an action: upload, on, off or status");
	if (!strcmp(action, "upload")) {
		if (nargs < 1)
			die_usage("'testpattern upload' needs frame files (- for standard input)");
		return upload(cfg, argv + first + 1, nargs);
	}
	if (nargs)
		die_usage("'testpattern %s' takes no arguments", action);
	if (!strcmp(action, "status"))
		return status(cfg);
	if (!strcmp(action, "on") || !strcmp(action, "off"))
		return set(cfg, action);
	die_usage("unknown testpattern action '%s' (upload, on, off, status)", action);
}

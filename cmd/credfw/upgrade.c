/* credfw upgrade FILE: show and check the release, check the camera may
 * take it, serve it once over HTTP to `exec upgradefirmware URL`, follow
 * the reboot, print the old and new versions. */
#include "credfw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FIRMWARE_MAX (256u << 20)

struct upgrade {
	struct config *cfg;
	bool dry_run, serial;
};

static int handle(int opt, const char *arg, void *user)
{
	struct upgrade *u = user;

	if (opt == 'n' || opt == OPT_DRY_RUN) {
		u->dry_run = true;
		return 0;
	}
	if (opt == OPT_SERIAL) {
		u->serial = true;
		return 0;
	}
	return fw_common_option(u->cfg, opt, arg);
}

static int show_member(const struct cred_archive_member *m, void *user)
{
	if (!strcmp(m->type, "file"))
		printf("  %-40s %llu bytes\n", m->path, (unsigned long long)m->size);
	else
		printf("  %-40s %s%s%s\n", m->path, m->type, m->link ? " -> " : "", m->link ? m->link : "");
	return 0;
}

/* Size, MD5 and, for an archive, its members, checked to the last byte. */
static void show_file(const char *path, const void *data, size_t len)
{
	char md5[CRED_MD5_HEX_SIZE];
	size_t n;
	int r;

	cred_md5_buffer(data, len, md5);
	printf("%s: %zu bytes, MD5 %s\n", path, len, md5);
	if (!cred_archive_detect(data, len)) {
		printf("  (not an archive)\n");
		return;
	}
	if ((r = cred_archive_check(data, len, show_member, NULL, &n)) < 0)
		die("'%s' is a damaged archive: %s; the camera would reject it: get the release "
		    "again", path, cred_last_error());
}

static void check_camera(struct config *cfg)
{
	char *state = NULL;
	int r = cred_firmware_check_ready(fw_camera(cfg), &state);

	if (r == CRED_ERR_FAIL)
		die("cannot upgrade now: %s", cred_last_error());
	if (r < 0)
		die_cred(r, "cannot read the camera's status");
	free(state);
}

static void upload_failed(int r, const char *old, bool serial)
{
	if (r == CRED_ERR_FAIL)
		die("%s; it still runs firmware %s: check the file%s", cred_last_error(), old,
		    serial ? "" : ", and that the camera can reach this computer (--http-host)");
	if (r == CRED_ERR_TIMEOUT)
		die_code(EXIT_NO_ANSWER, "%s; the camera may still be installing: do not switch it "
			 "off; check with 'credctl status' and 'credfw version' in a few minutes",
			 cred_last_error());
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("upgrade interrupted before the camera answered: check with "
				"'credfw version' which firmware it runs");
	fw_die_transfer(r, "firmware upgrade", NULL);
}

int cmd_upgrade(int argc, char **argv, void *user)
{
	static const struct option longs[] = {
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "serial", no_argument, NULL, OPT_SERIAL },
		{ "http-host", required_argument, NULL, OPT_HTTP_HOST },
		{ "http-port", required_argument, NULL, OPT_HTTP_PORT },
		{ "boot-timeout", required_argument, NULL, OPT_BOOT_TIMEOUT },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = { "n", longs, COMMON_YES, credfw_help };
	struct config *cfg = user;
	struct upgrade u = { .cfg = cfg };
	struct cred_versions before, after;
	struct cred_upgrade_options uo = { 0 };
	struct cred_transfer_options to;
	struct fw_progress p;
	const char *model;
	char question[256];
	size_t len;
	void *data;
	int first = parse_subcommand_opts(argc, argv, &t, &cfg->opts, handle, &u), r;

	if (argc - first != 1)
		die_usage("'upgrade' takes one firmware file");
	data = fw_read_file(argv[first], FIRMWARE_MAX, &len);
	show_file(argv[first], data, len);
	if ((r = cred_firmware_versions(fw_camera(cfg), &before)) < 0)
		die_cred(r, "cannot read the camera's versions");
	check_camera(cfg);
	model = cred_camera_model(cfg->cam)->name;
	if (u.serial && cred_camera_model(cfg->cam)->id != CRED_MODEL_CRED3)
		die("the %s has no exec uploadfirmware: upgrade without --serial (by URL)", model);
	printf("camera: %s, firmware %s\n", model, before.firmware[0] ? before.firmware : "unknown");
	if (u.dry_run) {
		free(data);
		return EXIT_OK;
	}
	snprintf(question, sizeof(question), "Install '%s' on the %s? It reboots when done. "
		 "Continue? [y/N] ", argv[first], model);
	if (!ask_yes_no(&cfg->opts, question))
		die("nothing done");
	to = fw_transfer_options(cfg, &p, u.serial ? "XMODEM" : "camera fetching", len);
	uo.serial = u.serial;
	uo.answer_timeout_ms = cfg->opts.timeout_ms; /* -t; 0: the library's 10 minutes */
	uo.http_host = to.http_host;
	uo.http_port = to.http_port;
	uo.cancel = to.cancel;
	uo.progress = to.progress;
	uo.progress_user = to.progress_user;
	r = cred_firmware_upgrade(cfg->cam, data, len, &uo, NULL);
	progress_end(&p.bar);
	free(data);
	if (r < 0)
		upload_failed(r, before.firmware[0] ? before.firmware : "as before", u.serial);
	fw_follow_boot(cfg, "upgrade");
	if ((r = cred_firmware_versions(cfg->cam, &after)) < 0)
		die_cred(r, "the camera is back but its versions cannot be read");
	printf("firmware: %s -> %s\n", before.firmware[0] ? before.firmware : "unknown",
	       after.firmware[0] ? after.firmware : "unknown");
	if (!strcmp(before.firmware, after.firmware))
		print_warning("the camera reports the same firmware version as before");
	return EXIT_OK;
}

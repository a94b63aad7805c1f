/* credfw: firmware upgrades, licenses, logs and test patterns of C-RED
 * cameras. Main options, dispatch to the subcommands (the other files of
 * cmd/credfw/) and the helpers they share. */
#include "credfw.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>


static const struct subcommand subcommands[] = {
	{ "version", cmd_version },
	{ "upgrade", cmd_upgrade },
	{ "license", cmd_license },
	{ "logs", cmd_logs },
	{ "testpattern", cmd_testpattern },
};

void credfw_help(void)
{
	printf("Usage: %s [OPTIONS] COMMAND [ARGS...]\n"
	       "Firmware upgrades, licenses, logs and test patterns of a C-RED camera.\n"
	       "\n"
	       "Commands:\n"
	       "  version                  every version, the feature bits decoded, the licenses\n"
	       "  upgrade FILE             install a firmware release (the camera fetches it by\n"
	       "                           URL from this computer and reboots)\n"
	       "  license list             the license files and whether each is enabled\n"
	       "  license install FILE     upload a license file (enabled at the next boot)\n"
	       "  license enable NAME      enable a license file (at the next boot)\n"
	       "  license disable NAME     disable a license file (at the next boot)\n"
	       "  license remove NAME      delete a license file (at the next boot)\n"
	       "  logs -o DIR              fetch the camera's logs and unpack them into DIR\n"
	       "  testpattern upload FRAMES...\n"
	       "                           send up to 32 images for the test pattern (C-RED One)\n"
	       "  testpattern on|off|status\n"
	       "                           switch the test pattern mode, or show it\n"
	       "\n"
	       "Upgrade options:\n"
	       "  -n, --dry-run            check the file and the camera, change nothing\n"
	       "      --serial             send the file by XMODEM on the camera's line (exec\n"
	       "                           uploadfirmware, C-RED 3) instead of by URL\n"
	       "      --boot-timeout=SECONDS\n"
	       "                           how long the camera may take to come back (default 600)\n"
	       "\n"
	       "License options:\n"
	       "      --name=NAME          install: the name on the camera (default: the file's)\n"
	       "      --xmodem             install: XMODEM (xsendfile) instead of raw sendfile\n"
	       "      --reboot             reboot the camera afterwards, so the change takes\n"
	       "                           effect (asks first; -y does not ask)\n"
	       "\n"
	       "Logs options:\n"
	       "  -o, --output=DIR         the directory to unpack into (created if missing)\n"
	       "      --from=WHEN          only the logs since WHEN (YYYY-MM-DD[THH:MM:SS])\n"
	       "      --keep-archive       also keep the archive as downloaded, in DIR\n"
	       "      --max-size=BYTES     largest file and total size to unpack (default: 256 MiB\n"
	       "                           per file, 1 GiB in all)\n"
	       "      --force              replace a kept archive of the same name\n"
	       "\n"
	       "File serving options (upgrade, testpattern upload):\n"
	       "      --http-host=ADDR     numeric address of this computer that the camera can\n"
	       "                           reach (default: the address that reaches a tcp: camera)\n"
	       "      --http-port=N        TCP port to serve from (default: any free port)\n"
	       "\n",
	       get_prog_name());
	print_common_help(COMMON_JSON | COMMON_YES);
	printf("  -h, --help             show this help and exit\n"
	       "  -V, --version          show the version and exit\n"
	       "\n"
	       "Exit status: 0 done, 1 refused or failed, 2 usage error, 3 no answer;\n"
	       "interrupted: 128 + the signal (130 for Ctrl-C).\n");
}

void fw_catch_signals(void)
{
	catch_stop_signals(false);
	cancel_library_on_stop();
}

struct cred_camera *fw_camera(struct config *cfg)
{
	if (!cfg->cam) {
		cfg->cam = open_camera(&cfg->opts);
		if (cfg->opts.timeout_ms)
			cred_cli_set_timeout(cred_camera_cli(cfg->cam), cfg->opts.timeout_ms);
	}
	return cfg->cam;
}

void fw_need_model(struct config *cfg, enum cred_model_id id, const char *what)
{
	const struct cred_model *m = cred_camera_model(fw_camera(cfg));

	if (m->id != id)
		die("the %s has no %s", m->name, what);
}

void *fw_read_file(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	void *data;

	if (!f)
		die_perror("cannot open '%s'", path);
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode))
		die("cannot read '%s': not a regular file", path);
	if ((size_t)st.st_size > max)
		die("'%s' is %lld bytes, more than %zu: not a file for the camera", path,
		    (long long)st.st_size, max);
	data = malloc(st.st_size ? (size_t)st.st_size : 1);
	if (!data)
		die("out of memory reading '%s'", path);
	*len = fread(data, 1, (size_t)st.st_size, f);
	if (ferror(f) || *len != (size_t)st.st_size)
		die_perror("cannot read '%s'", path);
	fclose(f);
	return data;
}

int fw_common_option(struct config *cfg, int opt, const char *arg)
{
	switch (opt) {
	case OPT_HTTP_HOST:
		cfg->http_host = arg;
		return 0;
	case OPT_HTTP_PORT:
		cfg->http_port = (int)get_long_arg("HTTP port", arg, 1, 65535);
		return 0;
	case OPT_BOOT_TIMEOUT:
		cfg->boot_timeout_ms = get_seconds_arg("boot timeout", arg, 1, 86400);
		return 0;
	default:
		return -1;
	}
}

static void on_progress(size_t done, size_t total, void *user)
{
	struct fw_progress *p = user;

	progress_update(&p->bar, done, p->label);
}

struct cred_transfer_options fw_transfer_options(struct config *cfg, struct fw_progress *p,
						 const char *label, size_t total)
{
	struct cred_transfer_options o = {
		.http_host = cfg->http_host,
		.http_port = cfg->http_port,
		.cancel = &stop_signal,
		.progress = on_progress,
		.progress_user = p,
		.sent = &p->sent,
	};

	p->label = label;
	p->sent = 0;
	p->total = total;
	progress_start(&p->bar, &cfg->opts, total);
	fw_catch_signals();
	return o;
}

void fw_die_transfer(int err, const char *what, const struct fw_progress *p)
{
	if (err == CRED_ERR_ARG && strstr(cred_last_error(), "not a network connection"))
		die_code(EXIT_USAGE, "%s: %s (--http-host)", what, cred_last_error());
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR && p)
		die_upload_interrupted(what, p->sent, p->total);
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("%s interrupted: the camera did not get the file", what);
	die_cred(err, "%s", what);
}

int main(int argc, char **argv)
{
	static const struct tool_opts main_opts = { "+", NULL, COMMON_JSON | COMMON_YES, credfw_help };
	struct config cfg = { .opts = { 0 } };
	int opt, status;
	const char *command;

	set_prog_name(argv[0]);
	ignore_file_size_signal();
	while ((opt = common_getopt(argc, argv, &main_opts, &cfg.opts)) != -1)
		die_usage("unexpected option");
	command = optind < argc ? argv[optind] : "";
	status = run_subcommand(subcommands, ARRAY_SIZE(subcommands), argc - optind, argv + optind,
				&cfg);
	json_finish(command, status);
	cred_camera_close(cfg.cam);
	if (fflush(stdout) != 0)
		die_perror("cannot write to standard output");
	return status;
}

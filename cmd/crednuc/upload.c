/* crednuc upload KIND FILE: send a correction file to the camera (raw
 * sendfile, XMODEM or a URL the camera fetches), after checking it fits
 * the camera's window, and make sure the camera took it. */
#include "crednuc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { OPT_XMODEM = OPT_TOOL_BASE, OPT_1K, OPT_URL, OPT_HTTP_PORT, OPT_NO_CHECK, OPT_ENABLE };

/* What the answer timeout must also cover for raw uploads: the bytes may
 * wait in buffers (a TCP link to a serial camera) while the camera reads
 * them at its line rate. */
#define LINE_BYTES_PER_S (115200 / 10)
#define RAW_ANSWER_MS 30000

struct upload_args {
	enum cred_transfer_method method;
	bool k1;
	bool url;
	const char *http_host;
	int http_port;
	bool no_check, enable;
};

static const struct option upload_long[] = {
	{ "xmodem", no_argument, NULL, OPT_XMODEM },
	{ "1k", no_argument, NULL, OPT_1K },
	{ "url", optional_argument, NULL, OPT_URL },
	{ "http-port", required_argument, NULL, OPT_HTTP_PORT },
	{ "no-check", no_argument, NULL, OPT_NO_CHECK },
	{ "enable", no_argument, NULL, OPT_ENABLE },
	{ NULL, 0, NULL, 0 },
};

static const struct tool_opts upload_opts = {
	.longopts = upload_long,
	.print_help = crednuc_help,
};

static int upload_option(int opt, const char *arg, void *user)
{
	struct upload_args *a = user;

	switch (opt) {
	case OPT_XMODEM: a->method = CRED_TRANSFER_XMODEM; break;
	case OPT_1K: a->k1 = true; break;
	case OPT_URL:
		a->url = true;
		a->http_host = arg;
		break;
	case OPT_HTTP_PORT: a->http_port = (int)get_long_arg("HTTP port", arg, 1, 65535); break;
	case OPT_NO_CHECK: a->no_check = true; break;
	case OPT_ENABLE: a->enable = true; break;
	default: return -1;
	}
	return 0;
}

static void check_args(struct upload_args *a)
{
	if (a->url && a->method == CRED_TRANSFER_XMODEM)
		die_usage("--url and --xmodem are two different ways: choose one");
	if (a->k1 && a->method != CRED_TRANSFER_XMODEM)
		die_usage("--1k is an XMODEM block size: add --xmodem");
	if (a->http_port && !a->url)
		die_usage("--http-port is for --url");
	if (a->http_host && !*a->http_host)
		die_usage("--url=ADDR needs an address");
	if (a->url)
		a->method = CRED_TRANSFER_URL;
}

/* The camera's command for this kind and method, as its table names it
 * ("xsendfile bias", "getflat_hdr_c1"): the C-RED One has no XMODEM. */
static void check_method(const struct cred_model *model, const char *kind,
			 enum cred_transfer_method m)
{
	const char *const *cmds = cred_model_commands(model->id);
	char want[64];
	size_t n;

	if (m == CRED_TRANSFER_URL)
		snprintf(want, sizeof(want), "get%s <", kind);
	else
		snprintf(want, sizeof(want), "%s %s <", m == CRED_TRANSFER_XMODEM ? "xsendfile" :
			 "sendfile", kind);
	n = strlen(want);
	for (; cmds && *cmds; cmds++)
		if (!strncmp(*cmds, want, n))
			return;
	want[n - 2] = '\0';
	die("the %s has no '%s' command: upload it %s", model->name, want,
	    m == CRED_TRANSFER_RAW ? "another way" : "by sendfile (without --xmodem or --url)");
}

/* The file must suit the camera as it is now set. */
static void check_file(struct nuc *nuc, const char *path, const char *kind, const void *data,
		       size_t len)
{
	struct target t;

	resolve_target(nuc, NULL, NULL, &t);
	if (cred_calib_validate(t.model, kind, t.width, t.height, data, len, NULL) < 0)
		die("%s: %s (nothing sent; --no-check sends it anyway)", path, cred_last_error());
	if (!strncmp(kind, "bias_hdr", 8) || !strncmp(kind, "flat_hdr", 8)) {
		if (!t.hdr)
			print_warning("the camera is not in HDR mode: %s applies only in HDR", kind);
	}
}

struct upload_progress {
	struct progress bar;
	const char *label;
};

static void on_progress(size_t done, size_t total, void *user)
{
	struct upload_progress *p = user;

	p->bar.total = total;
	progress_update(&p->bar, done, p->label);
}

static const char *method_name(enum cred_transfer_method m, bool k1)
{
	if (m == CRED_TRANSFER_XMODEM)
		return k1 ? "XMODEM-1K" : "XMODEM";
	return m == CRED_TRANSFER_URL ? "URL" : "sendfile";
}

static void transfer(struct nuc *nuc, const struct upload_args *a, const char *path,
		     const char *kind, const void *data, size_t len)
{
	struct upload_progress p = { .label = path };
	struct cred_transfer_options o = {
		.xmodem_block_size = a->k1 ? 1024 : 128,
		.http_host = a->http_host,
		.http_port = a->http_port,
		.progress = on_progress,
		.progress_user = &p,
	};
	char md5[CRED_MD5_HEX_SIZE];
	double start = cred_now_s();
	int err;

	if (a->method == CRED_TRANSFER_RAW)
		o.answer_timeout_ms = (nuc->opts.timeout_ms ? nuc->opts.timeout_ms : RAW_ANSWER_MS) +
				      (int)(len * 1000 / LINE_BYTES_PER_S);
	else if (nuc->opts.timeout_ms)
		o.answer_timeout_ms = nuc->opts.timeout_ms;
	progress_start(&p.bar, &nuc->opts, len);
	catch_stop_signals(false);
	cancel_library_on_stop();
	err = cred_transfer_upload(cred_camera_cli(nuc_camera(nuc)), a->method, kind, NULL, data,
				   len, &o, NULL);
	restore_stop_signals();
	progress_end(&p.bar);
	if (err == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("%s: upload interrupted; the camera's interpreter is back at its prompt",
				path);
	if (err < 0)
		die_cred(err, "%s: upload as %s by %s failed", path, kind, method_name(a->method, a->k1));
	cred_md5_buffer(data, len, md5);
	if (!nuc->opts.quiet)
		fprintf(stderr, "%s: %s: uploaded as %s by %s (%zu bytes, MD5 %s, %.1f s)\n",
			get_prog_name(), path, kind, method_name(a->method, a->k1), len, md5,
			cred_now_s() - start);
}

int cmd_upload(int argc, char **argv, void *user)
{
	struct nuc *nuc = user;
	struct upload_args a = { .method = CRED_TRANSFER_RAW };
	const char *kind, *path;
	size_t len;
	void *data;
	int first = parse_subcommand_opts(argc, argv, &upload_opts, &nuc->opts, upload_option, &a);

	check_args(&a);
	if (first + 2 != argc)
		die_usage("upload needs KIND and FILE");
	kind = argv[first];
	path = argv[first + 1];
	find_kind(NULL, kind); /* a correction kind at all (usage error if not) */
	data = read_whole_file(path, NUC_FILE_MAX, &len);
	find_kind(cred_camera_model(nuc_camera(nuc)), kind);
	check_method(cred_camera_model(nuc_camera(nuc)), kind, a.method);
	if (!a.no_check)
		check_file(nuc, path, kind, data, len);
	transfer(nuc, &a, path, kind, data, len);
	if (a.enable)
		nuc_set(nuc, strncmp(kind, "bias", 4) ? "flat" : "bias", "on");
	free(data);
	return EXIT_OK;
}

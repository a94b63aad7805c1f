/* credfw logs [--from WHEN] -o DIR: the camera gathers its logs and serves
 * them over HTTP (exec logs); we fetch the archive and unpack it safely. */
#include "credfw.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct logs {
	struct config *cfg;
	const char *dir, *from;
	bool keep, force;
	uint64_t max_size;
};

/* BYTES with an optional k, M or G suffix (powers of 1024). */
static uint64_t parse_size(const char *arg)
{
	char num[32];
	size_t n = strlen(arg);
	int shift = 0;
	long v;

	if (n && n < sizeof(num) && strchr("kKmMgG", arg[n - 1])) {
		shift = tolower((unsigned char)arg[n - 1]) == 'k' ? 10 :
			tolower((unsigned char)arg[n - 1]) == 'm' ? 20 : 30;
		n--;
	}
	snprintf(num, sizeof(num), "%.*s", (int)n, arg);
	if (n >= sizeof(num) || !parse_long(num, 1, 1L << 40 >> shift, &v))
		die_usage("invalid size '%s': a number of bytes from 1, optionally with k, M or G",
			  arg);
	return (uint64_t)v << shift;
}

static int handle(int opt, const char *arg, void *user)
{
	struct logs *l = user;

	switch (opt) {
	case 'o':
		l->dir = arg;
		return 0;
	case OPT_FROM:
		l->from = arg;
		return 0;
	case OPT_KEEP:
		l->keep = true;
		return 0;
	case OPT_FORCE:
		l->force = true;
		return 0;
	case OPT_MAX_SIZE:
		l->max_size = parse_size(arg);
		return 0;
	default:
		return -1;
	}
}

/* DIR, created when missing; true when this run created it. */
static bool make_dir(const char *dir)
{
	struct stat st;

	if (mkdir(dir, 0755) == 0)
		return true;
	if (errno != EEXIST)
		die_perror("cannot create directory '%s'", dir);
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		die("'%s' exists and is not a directory", dir);
	return false;
}

/* The archive's name in DIR: the URL's last component when it is a plain
 * file name, else logs.tar.gz. */
static char *kept_name(const char *dir, const char *url)
{
	const char *base = strrchr(url, '/');
	char *path;
	bool plain = base && base[1] && base[1] != '.';

	for (const char *p = base ? base + 1 : ""; plain && *p; p++)
		plain = isalnum((unsigned char)*p) || strchr("._-", *p);
	if (asprintf(&path, "%s/%s", dir, plain ? base + 1 : "logs.tar.gz") < 0)
		die("out of memory");
	return path;
}

static void keep_archive(const struct logs *l, const char *url, const void *data, size_t len)
{
	char *path = kept_name(l->dir, url);
	struct out_file *of = out_file_open(path, l->force);

	if (fwrite(data, 1, len, out_file_stream(of)) != len)
		die_perror("cannot write '%s'", path);
	out_file_commit(of);
	if (!l->cfg->opts.quiet)
		fprintf(stderr, "%s: archive kept as '%s'\n", get_prog_name(), path);
	free(path);
}

static void *fetch(struct config *cfg, const char *url, uint64_t max, size_t *len)
{
	struct fw_progress p;
	struct cred_transfer_options o = fw_transfer_options(cfg, &p, "logs", 0);
	void *data;
	int r = cred_http_fetch(url, max, 0, o.cancel, o.progress, o.progress_user, &data, len);

	progress_end(&p.bar);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("download of the logs interrupted");
	if (r < 0)
		die_code(r == CRED_ERR_DATA ? EXIT_REFUSED : EXIT_NO_ANSWER, "%s; the camera "
			 "serves its logs at that URL: check that this computer can reach it",
			 cred_last_error());
	return data;
}

int cmd_logs(int argc, char **argv, void *user)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "keep-archive", no_argument, NULL, OPT_KEEP },
		{ "max-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ NULL, 0, NULL, 0 },
	};
	static const struct tool_opts t = { "o:", longs, 0, credfw_help };
	struct config *cfg = user;
	struct logs l = { .cfg = cfg };
	struct cred_extract_limits lim = { 0 };
	char *url = NULL;
	size_t len, n;
	void *data;
	bool made;
	int r;

	if (parse_subcommand_opts(argc, argv, &t, &cfg->opts, handle, &l) != argc)
		die_usage("'logs' takes no arguments (the directory goes with -o)");
	if (!l.dir)
		die_usage("'logs' needs the directory to unpack into: -o DIR");
	lim.max_member = lim.max_total = l.max_size;
	/* -t bounds the camera's answer too (0: the library's 2 minutes);
	 * Ctrl-C during that wait is an interrupted run like any other */
	fw_catch_signals();
	r = cred_logs_request(fw_camera(cfg), l.from, cfg->opts.timeout_ms, &url);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("interrupted while the camera gathered its logs: nothing was written");
	if (r < 0)
		die_cred(r, "the camera did not gather its logs");
	if (cfg->opts.verbose)
		fprintf(stderr, "%s: fetching %s\n", get_prog_name(), url);
	data = fetch(cfg, url, l.max_size ? l.max_size : 0, &len);
	made = make_dir(l.dir);
	r = cred_archive_extract(data, len, l.dir, &lim, &n);
	if (r < 0 && made && !l.keep)
		rmdir(l.dir); /* nothing was unpacked: no empty folder of ours either */
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		die_interrupted("interrupted while unpacking the logs into '%s': nothing was unpacked",
				l.dir);
	if (l.keep)
		keep_archive(&l, url, data, len);
	if (r == CRED_ERR_DATA)
		die("%s; nothing was unpacked", cred_last_error());
	if (r < 0) /* a write here (a full disk, a name taken): ours, not the camera's */
		die_code(EXIT_REFUSED, "cannot unpack the logs into '%s': %s%s; nothing was unpacked", l.dir,
			 cred_last_error(), r == CRED_ERR_IO ? errno_advice(cred_last_errno()) : "");
	printf("%s: %zu files\n", l.dir, n);
	free(data);
	free(url);
	return EXIT_OK;
}

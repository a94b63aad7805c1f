/* Shared command-line plumbing for every credtools binary (see
 * common.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog_name = "credtools";
static bool quiet;
static int usage_exit = EXIT_USAGE;

/* ---- program name and messages ----------------------------------------- */

void set_prog_name(const char *argv0)
{
	const char *slash;

	if (!argv0 || !*argv0)
		return;
	slash = strrchr(argv0, '/');
	prog_name = slash ? slash + 1 : argv0;
}

const char *get_prog_name(void)
{
	return prog_name;
}

static void vprint_msg(const char *kind, const char *fmt, va_list ap)
{
	/* One fprintf per part is fine: stderr is unbuffered, and the lines
	 * are short. Flush stdout first so data and messages keep their
	 * order on a shared terminal. */
	fflush(stdout);
	fprintf(stderr, "%s: %s", prog_name, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
}

void print_warning(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vprint_msg("warning: ", fmt, ap);
	va_end(ap);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	exit(EXIT_REFUSED);
}

void die_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	exit(code);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
	exit(usage_exit);
}

void set_usage_exit(int code)
{
	usage_exit = code;
}

void die_perror(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(saved));
	exit(EXIT_REFUSED);
}

int exit_code_for(int err)
{
	switch (err) {
	case CRED_OK:
		return EXIT_OK;
	case CRED_ERR_ARG:
		return EXIT_USAGE;
	case CRED_ERR_TIMEOUT:
	case CRED_ERR_IO:
	case CRED_ERR_BUSY:
	case CRED_ERR_PROTO:
		return EXIT_NO_ANSWER;
	default: /* FAIL, DATA, SUPP, MEM */
		return EXIT_REFUSED;
	}
}

void die_cred(int err, const char *fmt, ...)
{
	const char *msg = cred_last_error();
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (msg && *msg)
		fprintf(stderr, ": %s\n", msg);
	else
		fprintf(stderr, ": %s\n", cred_strerror(err));
	exit(exit_code_for(err));
}

/* ---- strict number parsing ----------------------------------------------- */

/* Plain decimal notation only: strtod would also take "inf", "nan", hex
 * floats and leading blanks, none of which a user means as a number. */
static bool looks_decimal(const char *s)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return false;
	return true;
}

/* "0x1F"/"0X1f" (and with a minus sign): hexadecimal digits after the
 * prefix, nothing else. */
static bool looks_hex(const char *s)
{
	if (*s == '-')
		s++;
	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || !s[2])
		return false;
	return s[2 + strspn(s + 2, "0123456789abcdefABCDEF")] == '\0';
}

bool parse_long(const char *s, long min, long max, long *out)
{
	int base = 10;
	char *end;
	long v;

	if (!s)
		return false;
	if (looks_hex(s))
		base = 16; /* USB IDs and requests are hex by habit */
	else if (!looks_decimal(s) || strpbrk(s, ".eE"))
		return false;
	/* Base 10, not 0: "010" is ten, as a user means it, not octal 8. */
	errno = 0;
	v = strtol(s, &end, base);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !looks_decimal(s))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_seconds(const char *s, double min_s, double max_s, int *out_ms)
{
	double v;

	if (max_s > INT32_MAX / 1000.0)
		max_s = INT32_MAX / 1000.0;
	if (!parse_double(s, min_s, max_s, &v))
		return false;
	*out_ms = (int)ceil(v * 1000.0);
	return true;
}

long get_long_arg(const char *what, const char *s, long min, long max)
{
	long v;

	if (!parse_long(s, min, max, &v))
		die_usage("invalid %s '%s': must be an integer within %ld-%ld", what, s, min, max);
	return v;
}

double get_double_arg(const char *what, const char *s, double min, double max)
{
	double v;

	if (!parse_double(s, min, max, &v))
		die_usage("invalid %s '%s': must be a number within %g-%g", what, s, min, max);
	return v;
}

int get_seconds_arg(const char *what, const char *s, double min_s, double max_s)
{
	int ms;

	if (!parse_seconds(s, min_s, max_s, &ms))
		die_usage("invalid %s '%s': must be a number of seconds within %g-%g",
			  what, s, min_s, max_s);
	return ms;
}

/* ---- common options -------------------------------------------------------- */

#define MAX_TIMEOUT_S 86400.0

static const struct option common_long[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "timeout", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "wait-lock", optional_argument, NULL, OPT_WAIT_LOCK },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
static const struct option json_long = { "json", no_argument, NULL, OPT_JSON };
static const struct option yes_long = { "yes", no_argument, NULL, 'y' };

#define N_COMMON (sizeof(common_long) / sizeof(common_long[0]))

/* Merge the tool's options with the common ones. Built once per tool_opts:
 * a tool parses its main options and perhaps a subcommand's, so two
 * different tables can be alive; cache the last one only. */
struct merged {
	const struct tool_opts *from;
	struct option *longopts;
	char *shortopts;
};

static size_t count_long(const struct option *o)
{
	size_t n = 0;

	while (o && o[n].name)
		n++;
	return n;
}

static void merge_opts(const struct tool_opts *t, struct merged *m)
{
	size_t nt = count_long(t->longopts), n = 0;
	const char *ts = t->shortopts ? t->shortopts : "";
	bool stop = ts[0] == '+';

	free(m->longopts);
	free(m->shortopts);
	m->longopts = calloc(nt + N_COMMON + 3, sizeof(*m->longopts));
	m->shortopts = malloc(strlen(ts) + 32);
	if (!m->longopts || !m->shortopts)
		die("out of memory");
	for (size_t i = 0; i < nt; i++)
		m->longopts[n++] = t->longopts[i];
	for (size_t i = 0; i < N_COMMON; i++)
		m->longopts[n++] = common_long[i];
	if (t->common & COMMON_JSON)
		m->longopts[n++] = json_long;
	if (t->common & COMMON_YES)
		m->longopts[n++] = yes_long;
	/* ':' first: report a missing argument as ':' rather than '?'. */
	sprintf(m->shortopts, "%s:%sp:m:t:vqhV%s", stop ? "+" : "", ts + stop,
		(t->common & COMMON_YES) ? "y" : "");
	m->from = t;
}

static void set_model(struct common_opts *c, const char *arg)
{
	c->model = cred_model_by_key(arg);
	if (!c->model)
		die_usage("unknown model '%s': use cred3 or credone", arg);
}

static void set_wait_lock(struct common_opts *c, const char *arg)
{
	c->lock_wait_ms = arg ? get_seconds_arg("lock wait", arg, 0, MAX_TIMEOUT_S) : -1;
}

static void bad_option(int argc, char **argv, int opt)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";

	if (opt == ':')
		die_usage("option '%s' needs an argument", arg);
	if (optopt && optopt < 0x100)
		die_usage("unknown option '-%c'", optopt);
	die_usage("unknown option '%s'", arg);
}

/* Returns true when opt was a common option (handled). */
static bool handle_common(int opt, const struct tool_opts *t, struct common_opts *c)
{
	switch (opt) {
	case 'p': c->port = optarg; return true;
	case 'm': set_model(c, optarg); return true;
	case 't':
		c->timeout_ms = get_seconds_arg("timeout", optarg,
						(t->common & COMMON_TIMEOUT_ZERO) ? 0 : 0.001, MAX_TIMEOUT_S);
		c->timeout_set = true;
		return true;
	case 'v': c->verbose++; return true;
	case 'q': c->quiet = quiet = true; return true;
	case 'y': c->yes = true; return true;
	case OPT_JSON: c->json = true; return true;
	case OPT_WAIT_LOCK: set_wait_lock(c, optarg); return true;
	case 'h': t->print_help(); exit(EXIT_OK);
	case 'V': print_version(); exit(EXIT_OK);
	default: return false;
	}
}

int common_getopt(int argc, char **argv, const struct tool_opts *t, struct common_opts *c)
{
	static struct merged m;
	int opt;

	if (m.from != t)
		merge_opts(t, &m);
	opterr = 0; /* our own messages, in our own format */
	for (;;) {
		opt = getopt_long(argc, argv, m.shortopts, m.longopts, NULL);
		if (opt == -1) {
			common_apply(c);
			return -1;
		}
		if (opt == '?' || opt == ':')
			bad_option(argc, argv, opt);
		if (!handle_common(opt, t, c))
			return opt;
	}
}

/* ---- subcommands ---------------------------------------------------------- */

const struct subcommand *find_subcommand(const struct subcommand *table, size_t n,
					 const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

int run_subcommand(const struct subcommand *table, size_t n, int argc, char **argv, void *user)
{
	const struct subcommand *sub;

	if (argc < 1)
		die_usage("no command given");
	sub = find_subcommand(table, n, argv[0]);
	if (!sub)
		die_usage("unknown command '%s'", argv[0]);
	return sub->run(argc, argv, user);
}

int parse_subcommand_opts(int argc, char **argv, const struct tool_opts *t, struct common_opts *c,
			  int (*handle)(int opt, const char *arg, void *user), void *user)
{
	int opt;

	optind = 0; /* full reset: a new argument vector */
	while ((opt = common_getopt(argc, argv, t, c)) != -1)
		if (!handle || handle(opt, optarg, user) < 0)
			die_usage("unexpected option for '%s'", argv[0]);
	return optind;
}

void print_common_help(unsigned common)
{
	printf("Common options:\n"
	       "  -p, --port=PORT        camera port: a device path, serial:PATH, tcp:HOST[:PORT],\n"
	       "                         clser:LIBRARY[#INDEX] or auto (default: $CRED_PORT, else auto)\n"
	       "  -m, --model=MODEL      camera model, cred3 or credone (default: ask the camera)\n"
	       "  -t, --timeout=SECONDS  answer timeout (default: 2 s, longer for slow commands)\n"
	       "      --wait-lock[=SECONDS]\n"
	       "                         wait for a port another process holds (default: fail at once)\n"
	       "  -v, --verbose          more messages; twice: trace every byte on the wire\n"
	       "  -q, --quiet            only errors on stderr\n");
	if (common & COMMON_JSON)
		printf("      --json             print data as JSON\n");
	if (common & COMMON_YES)
		printf("  -y, --yes              do not ask before risky steps\n");
	printf("  -h, --help             show this help and exit\n"
	       "  -V, --version          show the tool and library versions and exit\n");
}

void print_version(void)
{
	printf("%s (credtools) %s\n", prog_name, CRED_VERSION);
	printf("libcred %s\n", cred_version());
}

void common_apply(const struct common_opts *c)
{
	quiet = c->quiet;
	/* libcred reads CRED_DEBUG once, at its first trace: set it before
	 * anything is opened. */
	if (c->verbose >= 2)
		setenv("CRED_DEBUG", "1", 1);
}

bool common_verbose_ok(void)
{
	return !quiet;
}

/* ---- asking the user ------------------------------------------------------- */

bool ask_yes_no(const struct common_opts *c, const char *question)
{
	char line[64];

	if (c->yes)
		return true;
	if (!isatty(STDIN_FILENO))
		die_code(EXIT_USAGE, "standard input is not a terminal, cannot ask '%s': use -y to confirm",
			 question);
	fputs(question, stderr);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	line[strcspn(line, "\r\n")] = '\0';
	return !strcasecmp(line, "y") || !strcasecmp(line, "yes");
}

/* ---- progress line ---------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void format_duration(char *buf, size_t len, double s)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

void progress_start(struct progress *p, const struct common_opts *c, unsigned long long total)
{
	memset(p, 0, sizeof(*p));
	p->enabled = isatty(STDERR_FILENO) && !(c && c->quiet);
	p->start = now_s();
	p->last_draw = -1;
	p->total = total;
}

static void progress_draw(struct progress *p, const char *text)
{
	int n = fprintf(stderr, "\r%s", text) - 1;

	/* Blank what a longer previous line left behind. */
	if (n < p->width)
		fprintf(stderr, "%*s\r%s", p->width - n, "", text);
	p->width = n;
}

void progress_update(struct progress *p, unsigned long long done, const char *label)
{
	double t = now_s(), elapsed = t - p->start;
	char el[32], eta[32], line[256];

	if (!p->enabled || (p->last_draw >= 0 && t - p->last_draw < 0.1))
		return;
	p->last_draw = t;
	format_duration(el, sizeof(el), elapsed);
	if (p->total == 0) {
		snprintf(line, sizeof(line), "%s  %s", label ? label : "", el);
	} else {
		double frac = done > p->total ? 1.0 : (double)done / p->total;

		if (frac > 0)
			format_duration(eta, sizeof(eta), elapsed / frac - elapsed);
		else
			snprintf(eta, sizeof(eta), "--:--");
		snprintf(line, sizeof(line), "%s %3d%%  %s  ETA %s", label ? label : "",
			 (int)(frac * 100), el, eta);
	}
	progress_draw(p, line);
}

void progress_end(struct progress *p)
{
	if (!p->enabled || p->width == 0)
		return;
	fprintf(stderr, "\r%*s\r", p->width, "");
	p->width = 0;
}

/* ---- cleanup registry ----------------------------------------------------- */

/* Fixed slots so the signal handler never touches malloc. */
#define MAX_CLEANUP 32
static char *volatile cleanup_paths[MAX_CLEANUP];
static bool cleanup_installed;

static void cleanup_run(void)
{
	for (int i = 0; i < MAX_CLEANUP; i++)
		if (cleanup_paths[i])
			unlink(cleanup_paths[i]);
}

static void cleanup_signal(int sig)
{
	cleanup_run();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = cleanup_signal };

	if (cleanup_installed)
		return;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(cleanup_run);
	cleanup_installed = true;
}

/* Block the fatal signals while a slot changes, so the handler never sees
 * a half-freed path. */
static void block_signals(bool block, sigset_t *old)
{
	sigset_t set;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

void cleanup_add(const char *path)
{
	char *copy = strdup(path);
	sigset_t old;

	if (!copy)
		die("out of memory");
	cleanup_install();
	block_signals(true, &old);
	for (int i = 0; i < MAX_CLEANUP; i++) {
		if (!cleanup_paths[i]) {
			cleanup_paths[i] = copy;
			block_signals(false, &old);
			return;
		}
	}
	block_signals(false, &old);
	free(copy);
	die("too many temporary files");
}

void cleanup_forget(const char *path)
{
	sigset_t old;

	block_signals(true, &old);
	for (int i = 0; i < MAX_CLEANUP; i++) {
		char *p = cleanup_paths[i];

		if (p && !strcmp(p, path)) {
			cleanup_paths[i] = NULL;
			free(p);
			break;
		}
	}
	block_signals(false, &old);
}

/* ---- atomic output files ---------------------------------------------------- */

struct out_file {
	char *path;
	char *tmp;   /* NULL for standard output */
	FILE *fp;
	bool force;
};

static char *temp_name_for(const char *path)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;

	if (dcopy && bcopy &&
	    asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy)) < 0)
		tmp = NULL;
	free(dcopy);
	free(bcopy);
	if (!tmp)
		die("out of memory");
	return tmp;
}

/* mkstemp makes 0600 files; give the final file the mode any new file
 * would get. */
static void set_default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

static void refuse_overwrite(const char *path)
{
	die("'%s' already exists (use --force to overwrite it)", path);
}

struct out_file *out_file_open(const char *path, bool force)
{
	struct out_file *of = calloc(1, sizeof(*of));
	struct stat st;
	int fd;

	if (!of || !(of->path = strdup(path)))
		die("out of memory");
	of->force = force;
	if (!strcmp(path, "-")) {
		of->fp = stdout;
		return of;
	}
	if (!force && lstat(path, &st) == 0)
		refuse_overwrite(path);
	of->tmp = temp_name_for(path);
	fd = mkstemp(of->tmp);
	if (fd < 0)
		die_perror("cannot create a temporary file for '%s'", path);
	cleanup_add(of->tmp);
	set_default_mode(fd);
	of->fp = fdopen(fd, "w");
	if (!of->fp)
		die_perror("cannot open '%s'", of->tmp);
	return of;
}

FILE *out_file_stream(struct out_file *of)
{
	return of->fp;
}

static void out_file_free(struct out_file *of)
{
	if (of->tmp)
		cleanup_forget(of->tmp);
	free(of->tmp);
	free(of->path);
	free(of);
}

/* Without --force the final rename must not replace a file that appeared
 * meanwhile; RENAME_NOREPLACE makes that check and the rename one step. */
static int rename_into_place(const struct out_file *of)
{
	if (of->force)
		return rename(of->tmp, of->path);
	if (renameat2(AT_FDCWD, of->tmp, AT_FDCWD, of->path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without renameat2 flags: link fails on an existing name. */
	if (link(of->tmp, of->path) < 0)
		return -1;
	unlink(of->tmp);
	return 0;
}

void out_file_commit(struct out_file *of)
{
	bool failed;

	if (!of->tmp) {
		if (fflush(of->fp) != 0 || ferror(of->fp))
			die_perror("cannot write to standard output");
		out_file_free(of);
		return;
	}
	failed = fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)) < 0;
	failed |= fclose(of->fp) != 0;
	of->fp = NULL;
	if (failed) {
		unlink(of->tmp);
		die_perror("cannot write '%s'", of->path);
	}
	if (rename_into_place(of) < 0) {
		int saved = errno;

		unlink(of->tmp);
		if (saved == EEXIST)
			refuse_overwrite(of->path);
		errno = saved;
		die_perror("cannot rename '%s' to '%s'", of->tmp, of->path);
	}
	out_file_free(of);
}

void out_file_abort(struct out_file *of)
{
	if (!of)
		return;
	if (of->tmp) {
		if (of->fp)
			fclose(of->fp);
		unlink(of->tmp);
	}
	out_file_free(of);
}

/* ---- camera ------------------------------------------------------------------ */

const char *effective_port(const struct common_opts *c)
{
	const char *env = getenv("CRED_PORT");

	if (c->port)
		return c->port;
	return env && *env ? env : "auto";
}

/* What the user can do about a failed open. */
static const char *open_hint(int err, const char *port)
{
	int e = cred_last_errno();
	bool said_p = strstr(cred_last_error(), "-p ") != NULL;

	switch (err) {
	case CRED_ERR_BUSY:
		return "use --wait-lock to wait for it";
	case CRED_ERR_SUPP:
		if (strcmp(port, "auto"))
			return NULL;
		/* The library may already advise -p; add only the rest. */
		return said_p ? "or set CRED_PORT" : "use -p PORT or set CRED_PORT";
	case CRED_ERR_TIMEOUT:
		return "check the camera is powered and the port is the right one";
	case CRED_ERR_ARG:
		return "see credtools(7) for the port syntax";
	case CRED_ERR_IO:
		if (e == EACCES || e == EPERM)
			return "check the device permissions (the dialout group?)";
		if (e == ENOENT && !strcmp(port, "auto"))
			return "use -p PORT or set CRED_PORT";
		return NULL;
	default:
		return NULL;
	}
}

static void NORETURN die_open(int err, const char *port)
{
	const char *msg = cred_last_error();
	const char *hint = open_hint(err, port);
	int code = err == CRED_ERR_ARG ? EXIT_USAGE : EXIT_NO_ANSWER;

	if (!msg || !*msg)
		msg = cred_strerror(err);
	fflush(stdout);
	/* The library usually names the port; say which one when it did not. */
	if (strstr(msg, port))
		fprintf(stderr, "%s: %s", prog_name, msg);
	else
		fprintf(stderr, "%s: cannot open '%s': %s", prog_name, port, msg);
	if (hint)
		fprintf(stderr, " (%s)", hint);
	fputc('\n', stderr);
	exit(code);
}

struct cred_camera *open_camera(const struct common_opts *c)
{
	struct cred_camera_options o = {
		.port = c->port,
		.model = c->model ? c->model->id : CRED_MODEL_UNKNOWN,
		.timeout_ms = c->timeout_ms,
		.lock_wait_ms = c->lock_wait_ms,
	};
	struct cred_camera *cam = NULL;
	int err = cred_camera_open(&o, &cam);

	if (err < 0)
		die_open(err, effective_port(c));
	if (c->verbose)
		fprintf(stderr, "%s: %s on '%s', firmware %s\n", prog_name,
			cred_camera_model(cam)->name, effective_port(c),
			*cred_camera_firmware(cam) ? cred_camera_firmware(cam) : "unknown");
	return cam;
}

/* ---- JSON output ------------------------------------------------------------- */

void print_json(json_t *root)
{
	if (!root)
		die("out of memory");
	if (json_dumpf(root, stdout, JSON_INDENT(2)) < 0)
		die_perror("cannot write JSON");
	putchar('\n');
	json_decref(root);
}

json_t *json_from_answer(const char *text)
{
	long l;
	double d;

	/* Hex answers (feature masks, ids) keep the camera's spelling. */
	if (looks_hex(text))
		return json_text(text);
	if (parse_long(text, LONG_MIN, LONG_MAX, &l))
		return json_integer(l);
	if (parse_double(text, -HUGE_VAL, HUGE_VAL, &d))
		return json_real(d);
	return json_text(text);
}

json_t *json_text(const char *text)
{
	json_t *s = json_string(text);
	char *copy;

	if (s)
		return s;
	/* Not UTF-8 (a camera may send Latin-1 degree signs): keep the ASCII
	 * and mark the rest, rather than losing the whole answer. */
	copy = strdup(text);
	if (!copy)
		die("out of memory");
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p >= 0x80)
			*p = '?';
	s = json_string(copy);
	free(copy);
	return s;
}

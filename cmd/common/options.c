/* The common options every tool takes (-p -m -t -v -q --json -y
 * --wait-lock -h -V), merged with the tool's own for getopt_long. */
#include "common.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TIMEOUT_S 86400.0

static const struct option common_long[] = {
	{ "port", required_argument, NULL, 'p' },
	{ "model", required_argument, NULL, 'm' },
	{ "timeout", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "wait-lock", optional_argument, NULL, OPT_WAIT_LOCK },
	{ "deadline", required_argument, NULL, OPT_DEADLINE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
};
static const struct option json_long = { "json", no_argument, NULL, OPT_JSON };
static const struct option yes_long = { "yes", no_argument, NULL, 'y' };

#define N_COMMON ARRAY_SIZE(common_long)

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
	c->lock_wait_set = true;
}

int lock_wait(const struct common_opts *c)
{
	return c->lock_wait_set ? c->lock_wait_ms : DEFAULT_LOCK_WAIT_MS;
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
	case 'q': c->quiet = true; set_quiet(true); return true;
	case 'y': c->yes = true; return true;
	case OPT_JSON: c->json = true; set_json_errors(true); return true;
	case OPT_WAIT_LOCK: set_wait_lock(c, optarg); return true;
	case OPT_DEADLINE:
		c->deadline_ms = get_seconds_arg("deadline", optarg, 0.001, MAX_TIMEOUT_S);
		return true;
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

void print_common_help(unsigned common)
{
	printf("Common options:\n"
	       "  -p, --port=PORT        camera port: a device path, serial:PATH, tcp:HOST[:PORT],\n"
	       "                         clser:LIBRARY[#INDEX] or auto (default: $CRED_PORT, else auto)\n"
	       "  -m, --model=MODEL      camera model, cred3 or credone (default: ask the camera)\n"
	       "  -t, --timeout=SECONDS  how long one answer may take, wherever -t is written\n"
	       "                         (default: 2 s, longer for slow commands)\n"
	       "      --deadline=SECONDS limit of the whole run, waits included (exit status 3)\n"
	       "      --wait-lock[=SECONDS]\n"
	       "                         wait for a port another process is using, for ever or\n"
	       "                         SECONDS (default: 5; 0: fail at once)\n"
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
	printf("%s (credtools) %s\n", get_prog_name(), CRED_VERSION);
	printf("libcred %s\n", cred_version());
}

void common_apply(const struct common_opts *c)
{
	set_quiet(c->quiet);
	/* libcred reads CRED_DEBUG once, at its first trace: set it before
	 * anything is opened. */
	if (c->verbose >= 2)
		setenv("CRED_DEBUG", "1", 1);
	if (c->deadline_ms > 0)
		deadline_arm(c->deadline_ms);
}

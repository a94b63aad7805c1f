/* Messages and exit statuses: every tool reports errors the same way
 * ("PROG: cannot open 'x': why", see common.h). */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

static const char *prog_name = "credtools";
static bool quiet;
static int usage_exit = EXIT_USAGE;
static bool json_errors;

void set_json_errors(bool on)
{
	json_errors = on;
}

bool json_errors_on(void)
{
	return json_errors;
}

/* Exit with code, or with 3 and a word about it when the deadline ended
 * the run (the error was then its consequence: a cancelled wait). */
static void NORETURN exit_tool(int code)
{
	if (deadline_passed()) {
		if (!deadline_reported())
			fprintf(stderr, "%s: %s\n", prog_name, deadline_message());
		exit(EXIT_NO_ANSWER);
	}
	exit(code);
}

/* The end of every die*(): with --json the error also goes to stdout as
 * the one error object of credtools-json(7), for scripts. */
static void NORETURN finish(int code, const char *fmt, va_list ap, const char *tail)
{
	char msg[1024];
	size_t n;

	if (deadline_passed())
		code = EXIT_NO_ANSWER; /* the status exit_tool() gives: the object says it too */
	if (json_errors) {
		n = (size_t)vsnprintf(msg, sizeof(msg), fmt, ap);
		if (tail && n < sizeof(msg))
			snprintf(msg + n, sizeof(msg) - n, ": %s", tail);
		json_errors = false; /* an error while writing it must not recurse */
		print_json_error(msg, code);
	}
	exit_tool(code);
}

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
	va_start(ap, fmt);
	finish(EXIT_REFUSED, fmt, ap, NULL);
}

void die_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	finish(code, fmt, ap, NULL);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
	va_start(ap, fmt);
	finish(usage_exit, fmt, ap, NULL);
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
	fprintf(stderr, ": %s%s\n", strerror(saved), errno_advice(saved));
	va_start(ap, fmt);
	finish(EXIT_REFUSED, fmt, ap, strerror(saved));
}

const char *errno_advice(int err)
{
	static char buf[160];
	struct rlimit rl;

	switch (err) {
	case ENOSPC:
	case EDQUOT:
		return " (free some space there, or write the file elsewhere)";
	case EFBIG:
		if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
			snprintf(buf, sizeof(buf), " (the file size limit, ulimit -f, is %llu bytes: "
				 "raise it or write less)", (unsigned long long)rl.rlim_cur);
			return buf;
		}
		return " (larger than the file system allows: write less)";
	default:
		return "";
	}
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
	if (!msg || !*msg)
		msg = cred_strerror(err);
	fprintf(stderr, ": %s%s\n", msg, err == CRED_ERR_IO ? errno_advice(cred_last_errno()) : "");
	va_start(ap, fmt);
	finish(exit_code_for(err), fmt, ap, msg);
}

void set_quiet(bool q)
{
	quiet = q;
}

bool common_verbose_ok(void)
{
	return !quiet;
}

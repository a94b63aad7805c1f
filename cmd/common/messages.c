/* Messages and exit statuses: every tool reports errors the same way
 * ("PROG: cannot open 'x': why", see common.h). */
#include "common.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *prog_name = "credtools";
static bool quiet;
static int usage_exit = EXIT_USAGE;

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

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	exit_tool(EXIT_REFUSED);
}

void die_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_msg("", fmt, ap);
	va_end(ap);
	exit_tool(code);
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
	exit_tool(EXIT_REFUSED);
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
	exit_tool(exit_code_for(err));
}

void set_quiet(bool q)
{
	quiet = q;
}

bool common_verbose_ok(void)
{
	return !quiet;
}

/* credgrab's messages, exit statuses and strict number parsing, in the
 * credtools style ("credgrab: cannot open 'x': No such file or directory"). */
#include "credgrab.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "credgrab";

void set_prog_name(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		prog = slash ? slash + 1 : argv0;
}

static void vmessage(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s", prog, prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void print_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void print_warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void die_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	exit(code);
}

void die_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
	exit(EXIT_USAGE);
}

int exit_code_for(int err)
{
	switch (err) {
	case CRED_OK: return EXIT_DONE;
	case CRED_ERR_ARG: return EXIT_USAGE;
	case CRED_ERR_FAIL:
	case CRED_ERR_DATA:
	case CRED_ERR_SUPP:
	case CRED_ERR_MEM: return EXIT_CHECK;
	default: return EXIT_NO_ANSWER;
	}
}

bool parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || strchr(" \t\n+", *s))
		return false;
	errno = 0;
	v = strtol(s, &end, 0);
	if (*end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool parse_double(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	if (!s || !*s || strchr(" \t\n+", *s) || strpbrk(s, "xXnNiI"))
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (*end || errno || !isfinite(v) || v < min || v > max)
		return false;
	*out = v;
	return true;
}

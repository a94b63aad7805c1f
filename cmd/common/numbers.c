/* Strict number parsing for options and camera answers (see common.h). */
#include "common.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
bool looks_hex(const char *s)
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

double get_quantity_arg(const char *what, const char *s, const char *unit, double min, double max)
{
	double v;

	if (cred_unit_parse(s, unit, &v) < 0)
		die_usage("invalid %s '%s': %s", what, s, cred_last_error());
	if (v < min || v > max)
		die_usage("invalid %s '%s': must be within %g-%g %s", what, s, min, max, unit);
	return v;
}

char *format_pressure(char *buf, size_t size, double mbar)
{
	char mant[16];
	int exp10;

	snprintf(buf, size, "%.1e", mbar);
	if (sscanf(buf, "%15[^e]e%d", mant, &exp10) != 2)
		return buf; /* nan, inf */
	if (strlen(mant) > 2 && !strcmp(mant + strlen(mant) - 2, ".0"))
		mant[strlen(mant) - 2] = '\0';
	if (exp10)
		snprintf(buf, size, "%se%d", mant, exp10);
	else
		snprintf(buf, size, "%s", mant);
	return buf;
}

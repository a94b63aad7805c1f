/* Typed parameters: lookup in the model tables and validation of values
 * before anything is sent to a camera. */
#include "model-impl.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t cred_param_count(enum cred_model_id model)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	return t ? t->param_count : 0;
}

const struct cred_param *cred_param_at(enum cred_model_id model, size_t i)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	return t && i < t->param_count ? &t->params[i] : NULL;
}

const struct cred_param *cred_param_find(enum cred_model_id model, const char *name)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	if (!t || !name)
		return NULL;
	for (size_t i = 0; i < t->param_count; i++)
		if (strcasecmp(t->params[i].name, name) == 0)
			return &t->params[i];
	return NULL;
}

int cred_param_writable(const struct cred_param *param)
{
	return param && param->set_cmd && !(param->flags & CRED_PARAM_READONLY);
}

enum cred_model_id cred_param_model(const struct cred_param *param)
{
	static const enum cred_model_id ids[] = { CRED_MODEL_CRED3, CRED_MODEL_CREDONE };

	for (size_t k = 0; k < CRED_ARRAY_SIZE(ids); k++) {
		const struct cred_model_tables *t = cred_model_tables(ids[k]);

		for (size_t i = 0; i < t->param_count; i++)
			if (&t->params[i] == param)
				return ids[k];
	}
	return CRED_MODEL_UNKNOWN;
}

int cred_param_is_setting(const struct cred_param *param)
{
	return param && param->get_cmd && param->set_cmd &&
	       !(param->flags & (CRED_PARAM_READONLY | CRED_PARAM_REBOOT | CRED_PARAM_SESSION));
}

static const char *newer(const char *a, const char *b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return cred_version_compare(a, b) >= 0 ? a : b;
}

const char *cred_param_firmware(const struct cred_param *param, const char *value)
{
	const char *need = param->min_firmware;

	if (!value)
		return need;
	need = newer(need, param->set_firmware);
	if (param->choices && param->choice_firmware)
		for (size_t i = 0; param->choices[i]; i++)
			if (strcasecmp(param->choices[i], value) == 0)
				need = newer(need, param->choice_firmware[i]);
	return need;
}

/* Digits with an optional sign; for doubles also a fraction and an
 * exponent. Returns the length of the longest such prefix, 0 if none. */
static size_t number_syntax(const char *s, int real)
{
	const char *p = s;
	size_t int_digits, frac_digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	int_digits = strspn(p, "0123456789");
	p += int_digits;
	if (real && *p == '.') {
		frac_digits = strspn(p + 1, "0123456789");
		p += 1 + frac_digits;
	}
	if (int_digits + frac_digits == 0)
		return 0;
	if (real && (*p == 'e' || *p == 'E')) {
		const char *e = p + 1;

		if (*e == '+' || *e == '-')
			e++;
		if (isdigit((unsigned char)*e))
			p = e + strspn(e, "0123456789");
	}
	return (size_t)(p - s);
}

int cred_parse_double(const char *s, double *out)
{
	double v;

	*out = 0;
	if (!s || !*s || number_syntax(s, 1) != strlen(s))
		return -1;
	errno = 0;
	v = strtod(s, NULL);
	/* Overflow gives inf; underflow to a tiny or zero value is harmless. */
	if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1))
		return -2;
	*out = v;
	return 0;
}

int cred_parse_long(const char *s, long *out)
{
	long v;

	*out = 0;
	if (!s || !*s || number_syntax(s, 0) != strlen(s))
		return -1;
	errno = 0;
	v = strtol(s, NULL, 10);
	if (errno == ERANGE)
		return -2;
	*out = v;
	return 0;
}

/* A number for a message: exact enough that the bound shown is the bound
 * applied (602.673549, 1.65e-07), without trailing noise. */
static const char *fmt_num(char *buf, size_t len, double v)
{
	snprintf(buf, len, "%.12g", v);
	return buf;
}

/* The range part of a message, e.g. "between 0.0001 and 600". */
static void range_text(char *buf, size_t len, double lo, double hi)
{
	char a[32], b[32];

	if (isfinite(lo) && isfinite(hi))
		snprintf(buf, len, "between %s and %s", fmt_num(a, sizeof(a), lo),
			 fmt_num(b, sizeof(b), hi));
	else if (isfinite(lo))
		snprintf(buf, len, "at least %s", fmt_num(a, sizeof(a), lo));
	else
		snprintf(buf, len, "at most %s", fmt_num(b, sizeof(b), hi));
}

/* Bounds come from the camera as decimal text: allow for the last digit
 * of a double when comparing against them. */
static int below(double v, double lo) { return isfinite(lo) && v < lo - fabs(lo) * 1e-12; }
static int above(double v, double hi) { return isfinite(hi) && v > hi + fabs(hi) * 1e-12; }

/* Granularity is absolute (whole clock ticks, whole gain steps): the value
 * must be k * step. */
static int check_step(const struct cred_param *p, const char *value, double v, double step)
{
	double k = v / step;
	char st[32], down[32], up[32];

	/* Within a millionth of a step counts as on the grid: the values
	 * are decimal renderings of binary fractions. */
	if (fabs(k - floor(k + 0.5)) <= 1e-6)
		return CRED_OK;
	return cred_fail(CRED_ERR_ARG, "%s must be a multiple of %s (got %s; nearest: %s or %s)",
			 p->name, fmt_num(st, sizeof(st), step), value,
			 fmt_num(down, sizeof(down), floor(k) * step),
			 fmt_num(up, sizeof(up), ceil(k) * step));
}

static int check_number(const struct cred_param *p, const char *value, double lo, double hi,
			double step)
{
	char range[96];
	double v;
	int r;

	if (p->type == CRED_PARAM_INT) {
		long l;

		r = cred_parse_long(value, &l);
		v = (double)l;
		if (r == -1)
			return cred_fail(CRED_ERR_ARG, "%s must be an integer (got '%s')", p->name, value);
	} else {
		r = cred_parse_double(value, &v);
		if (r == -1)
			return cred_fail(CRED_ERR_ARG, "%s must be a number (got '%s')", p->name, value);
	}
	if (r == -2 || below(v, lo) || above(v, hi)) {
		if (!isfinite(lo) && !isfinite(hi))
			return cred_fail(CRED_ERR_ARG, "%s is out of range (got %s)", p->name, value);
		range_text(range, sizeof(range), lo, hi);
		return cred_fail(CRED_ERR_ARG, "%s must be %s (got %s)", p->name, range, value);
	}
	if (step > 0)
		return check_step(p, value, v, step);
	return CRED_OK;
}

static int check_choice(const struct cred_param *p, const char *value)
{
	char list[256] = "";
	size_t n = 0;

	for (size_t i = 0; p->choices && p->choices[i]; i++) {
		if (strcasecmp(p->choices[i], value) == 0)
			return CRED_OK;
		n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s",
				      i ? ", " : "", p->choices[i]);
	}
	return cred_fail(CRED_ERR_ARG, "%s must be one of %s (got '%s')", p->name, list, value);
}

static int check_text(const struct cred_param *p, const char *value)
{
	unsigned char addr[4];

	/* A line break would end the command early and start another one. */
	for (const char *s = value; *s; s++)
		if (iscntrl((unsigned char)*s))
			return cred_fail(CRED_ERR_ARG, "%s must not contain control characters", p->name);
	/* The interpreter splits its line on blanks: a second word would be
	 * dropped or taken for another argument. */
	if (p->type != CRED_PARAM_CROP && strpbrk(value, " \t"))
		return cred_fail(CRED_ERR_ARG, "%s must be a single word (got '%s')", p->name, value);
	switch (p->type) {
	case CRED_PARAM_SWITCH:
		if (strcasecmp(value, "on") && strcasecmp(value, "off"))
			return cred_fail(CRED_ERR_ARG, "%s must be on or off (got '%s')", p->name, value);
		return CRED_OK;
	case CRED_PARAM_CHOICE:
		return check_choice(p, value);
	case CRED_PARAM_IPV4:
		if (inet_pton(AF_INET, value, addr) != 1)
			return cred_fail(CRED_ERR_ARG,
					 "%s must be an IPv4 address like 192.168.1.10 (got '%s')",
					 p->name, value);
		return CRED_OK;
	case CRED_PARAM_CROP:
		return cred_crop_check(cred_param_model(p),
				       strstr(p->name, "rows") ? "rows" : "columns", value, NULL);
	default:
		return CRED_OK;
	}
}

int cred_param_check_step(const struct cred_param *param, const char *value,
			  double lo, double hi, double step)
{
	cred_clear_error();
	if (!param || !value)
		return cred_fail(CRED_ERR_ARG, "no parameter or value");
	if (!param->set_cmd)
		return cred_fail(CRED_ERR_ARG, "%s is read-only", param->name);
	if (!*value)
		return cred_fail(CRED_ERR_ARG, "%s needs a value", param->name);
	if (!isfinite(lo))
		lo = param->min;
	if (!isfinite(hi))
		hi = param->max;
	if (param->type == CRED_PARAM_NUMBER || param->type == CRED_PARAM_INT)
		return check_number(param, value, lo, hi, step);
	return check_text(param, value);
}

int cred_param_check(const struct cred_param *param, const char *value, double lo, double hi)
{
	return cred_param_check_step(param, value, lo, hi, param ? param->step : 0);
}

/* ---- strict answers ------------------------------------------------------- */

/* The range a value read back must fall in: the physical one where the
 * table gives it, else the settable one. */
static void read_range(const struct cred_param *p, double *lo, double *hi)
{
	if (p->flags & CRED_PARAM_READ_RANGE) {
		*lo = p->read_min;
		*hi = p->read_max;
	} else {
		*lo = p->min;
		*hi = p->max;
	}
}

static int expected_number(const struct cred_param *p, const char *answer)
{
	const char *what = p->type == CRED_PARAM_INT ? "an integer" : "a number";
	char range[96];
	double v, lo, hi;
	long l;
	int r;

	if (p->type == CRED_PARAM_INT) {
		r = cred_parse_long(answer, &l);
		v = (double)l;
	} else {
		r = cred_parse_double(answer, &v);
	}
	read_range(p, &lo, &hi);
	if (r == 0 && !below(v, lo) && !above(v, hi))
		return CRED_OK;
	if (!isfinite(lo) && !isfinite(hi))
		return cred_fail(CRED_ERR_PROTO, "expected %s", what);
	range_text(range, sizeof(range), lo, hi);
	return cred_fail(CRED_ERR_PROTO, "expected %s %s", what, range);
}

/* "on", "off", or either followed by ":" and a window ("on:c0-c1:r0-r1"). */
static int expected_switch(const char *answer)
{
	size_t n = strspn(answer, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
	const char *rest = answer + n;

	if (((n == 2 && !strncasecmp(answer, "on", 2)) || (n == 3 && !strncasecmp(answer, "off", 3))) &&
	    (!*rest || (*rest == ':' && rest[1] &&
			strspn(rest + 1, "0123456789abcdefghijklmnopqrstuvwxyz,:-") == strlen(rest + 1))))
		return CRED_OK;
	return cred_fail(CRED_ERR_PROTO, "expected on or off");
}

static int is_enable_disable(const char *const *choices)
{
	return choices && choices[0] && choices[1] && !choices[2] &&
	       !strcasecmp(choices[0], "enable") && !strcasecmp(choices[1], "disable");
}

static int expected_choice(const struct cred_param *p, const char *answer)
{
	char list[256] = "";
	size_t n = 0;

	for (size_t i = 0; p->choices && p->choices[i]; i++) {
		if (!strcasecmp(p->choices[i], answer))
			return CRED_OK;
		n += (size_t)snprintf(list + n, n < sizeof(list) ? sizeof(list) - n : 0, "%s%s",
				      i ? ", " : "", p->choices[i]);
	}
	/* Telnet and remote maintenance are set with enable/disable and read
	 * as on/off (the manuals give no read form; the field answers so). */
	if (is_enable_disable(p->choices) && (!strcasecmp(answer, "on") || !strcasecmp(answer, "off")))
		return CRED_OK;
	return cred_fail(CRED_ERR_PROTO, "expected one of %s", list);
}

static int expected_crop(const struct cred_param *p, const char *answer)
{
	char why[256];

	if (cred_crop_check(cred_param_model(p), strstr(p->name, "rows") ? "rows" : "columns",
			    answer, NULL) == CRED_OK)
		return CRED_OK;
	snprintf(why, sizeof(why), "%s", cred_last_error());
	return cred_fail(CRED_ERR_PROTO, "%s", why);
}

int cred_param_check_answer(const struct cred_param *param, const char *answer)
{
	unsigned char addr[4];

	cred_clear_error();
	if (!param || !answer)
		return cred_fail(CRED_ERR_ARG, "no parameter or answer");
	if (!*answer)
		return cred_fail(CRED_ERR_PROTO, "expected a value, got nothing");
	switch (param->type) {
	case CRED_PARAM_NUMBER:
	case CRED_PARAM_INT:
		return expected_number(param, answer);
	case CRED_PARAM_SWITCH:
		return expected_switch(answer);
	case CRED_PARAM_CHOICE:
		return expected_choice(param, answer);
	case CRED_PARAM_CROP:
		return expected_crop(param, answer);
	case CRED_PARAM_IPV4:
		if (inet_pton(AF_INET, answer, addr) == 1)
			return CRED_OK;
		return cred_fail(CRED_ERR_PROTO, "expected an IPv4 address");
	default:
		return CRED_OK;
	}
}

/* ---- units -------------------------------------------------------------------- */

/* The units a value may carry, per base unit of the table: the value in
 * the base unit is number * mul / div (dividing keeps 5ms exactly 0.005). */
struct unit {
	const char *base, *word;
	double mul, div;
};

static const struct unit units[] = {
	{ "s", "s", 1, 1 },       { "s", "ms", 1, 1e3 },   { "s", "us", 1, 1e6 },
	{ "s", "\xc2\xb5s", 1, 1e6 }, { "s", "ns", 1, 1e9 },
	{ "Hz", "Hz", 1, 1 },     { "Hz", "kHz", 1e3, 1 },
	{ "mbar", "mbar", 1, 1 }, { "mbar", "Pa", 1, 100 }, { "mbar", "bar", 1e3, 1 },
	{ "V", "V", 1, 1 },       { "V", "mV", 1, 1e3 },
	{ "C", "C", 1, 1 },       { "K", "K", 1, 1 },
};

/* The accepted spellings for a base unit: "s, ms, us, ns". */
static void unit_words(const char *base, char *buf, size_t len)
{
	size_t n = 0;

	snprintf(buf, len, "%s", base);
	for (size_t i = 0; i < CRED_ARRAY_SIZE(units); i++)
		if (!strcmp(units[i].base, base) && units[i].word[0] != '\xc2' && n < len) {
			if (n == 0)
				buf[0] = '\0';
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", units[i].word);
		}
}

/* The shortest decimal text that reads back to v, in plain digits from
 * 1e-4 to 1e15 (2000, not 2e+03: the camera's own style). */
static void shortest(double v, char *out, size_t len)
{
	int plain = fabs(v) >= 1e-4 && fabs(v) < 1e15;

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(out, len, "%.*g", prec, v);
		if (plain && strchr(out, 'e'))
			continue;
		if (strtod(out, NULL) == v)
			return;
	}
}

int cred_unit_parse(const char *text, const char *unit, double *value)
{
	size_t n;
	char num[64], words[64];
	const char *suffix;
	double v;

	*value = 0;
	cred_clear_error();
	if (!text || !unit)
		return cred_fail(CRED_ERR_ARG, "no value or unit");
	n = number_syntax(text, 1);
	if (n == 0 || n >= sizeof(num))
		return cred_fail(CRED_ERR_ARG, "not a number");
	memcpy(num, text, n);
	num[n] = '\0';
	if (cred_parse_double(num, &v) < 0)
		return cred_fail(CRED_ERR_ARG, "out of range");
	suffix = text + n;
	if (*suffix == ' ')
		suffix++;
	if (!*suffix) {
		*value = v;
		return CRED_OK;
	}
	if (*unit && !strcmp(suffix, unit)) { /* "50%", "100ADU" */
		*value = v;
		return CRED_OK;
	}
	for (size_t i = 0; i < CRED_ARRAY_SIZE(units); i++)
		if (!strcmp(units[i].base, unit) && !strcmp(units[i].word, suffix)) {
			*value = v * units[i].mul / units[i].div;
			return CRED_OK;
		}
	unit_words(unit, words, sizeof(words));
	if (!*words)
		return cred_fail(CRED_ERR_ARG, "takes no unit");
	return cred_fail(CRED_ERR_ARG, "unknown unit '%s' (expected %s)", suffix, words);
}

int cred_param_normalize(const struct cred_param *param, const char *value, char *out, size_t len)
{
	char words[64];
	double v;
	const char *unit;

	cred_clear_error();
	if (!param || !value || !out || len == 0)
		return cred_fail(CRED_ERR_ARG, "no parameter or value");
	unit = param->unit ? param->unit : "";
	/* Only numbers have units; a value that is already a bare number
	 * goes through as typed (the checks quote it back). */
	if ((param->type != CRED_PARAM_NUMBER && param->type != CRED_PARAM_INT) ||
	    number_syntax(value, 1) == strlen(value) || !*value) {
		if (strlen(value) >= len)
			return cred_fail(CRED_ERR_ARG, "%s: value too long", param->name);
		snprintf(out, len, "%s", value);
		return CRED_OK;
	}
	if (cred_unit_parse(value, unit, &v) < 0) {
		unit_words(unit, words, sizeof(words));
		if (!*words)
			return cred_fail(CRED_ERR_ARG, "%s must be a number without a unit (got '%s')",
					 param->name, value);
		return cred_fail(CRED_ERR_ARG, "%s must be a number in %s, or with a unit: %s (got '%s')",
				 param->name, unit, words, value);
	}
	shortest(v, out, len);
	return CRED_OK;
}

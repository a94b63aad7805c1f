/* Answers under construction (see answer.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "variants.h"

void answer_init(struct answer *a)
{
	memset(a, 0, sizeof(*a));
}

void answer_free(struct answer *a)
{
	free(a->buf);
	answer_init(a);
}

void answer_bytes(struct answer *a, const void *data, size_t len)
{
	if (a->len + len + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 256;
		char *p;

		while (a->len + len + 1 > cap)
			cap *= 2;
		p = realloc(a->buf, cap);
		if (!p)
			abort(); /* a simulator without memory cannot do anything useful */
		a->buf = p;
		a->cap = cap;
	}
	memcpy(a->buf + a->len, data, len);
	a->len += len;
	a->buf[a->len] = '\0';
}

static void vline(struct answer *a, const char *fmt, va_list ap)
{
	char tmp[1024];
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	if (a->lines++)
		answer_bytes(a, "\r\n", 2);
	answer_bytes(a, tmp, n);
}

void answer_line(struct answer *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(a, fmt, ap);
	va_end(ap);
}

void answer_ok(struct answer *a)
{
	answer_line(a, variant_on(VARIANT_RESULT_NOSPACE) ? "Result:OK" : "Result: OK");
}

void answer_error(struct answer *a, const char *fmt, ...)
{
	char tmp[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	answer_line(a, "Error: %s", tmp);
	a->failed = true;
}

void answer_syntax(struct answer *a, const char *token)
{
	const char *words = variant_on(VARIANT_SYNTAX_LOWER) ? "syntax error" :
			    variant_on(VARIANT_SYNTAX_UPPER) ? "SYNTAX ERROR" : "Syntax error";

	answer_line(a, "%s next to '%s'", words, token);
	a->failed = true;
}

void answer_value(struct answer *a, bool raw, const char *label, const char *fmt, ...)
{
	char tmp[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (raw)
		answer_line(a, "%s", tmp);
	else
		answer_line(a, "%s: %s", label, tmp);
}

const char *fmt_real(char *buf, size_t size, double v)
{
	snprintf(buf, size, "%.9g", v);
	return buf;
}

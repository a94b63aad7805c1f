/* JSON output helpers (see common.h).
 *
 * Output goes through our own small writer rather than json_dumpf: jansson
 * formats every real with one fixed precision (17 digits by default, so
 * 52.3 prints as 52.299999999999997; fewer digits lose other values).
 * Here each real gets the fewest digits that read back to the same double,
 * and the rest (strings, integers, literals) is still jansson's. */
#include "common.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---------------------------------------------------------------- */

struct jbuf {
	char *s;
	size_t len, cap;
};

static void put(struct jbuf *b, const char *text, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (b->len + n + 1 > cap)
			cap *= 2;
		if (!(b->s = realloc(b->s, cap)))
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->s + b->len, text, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void puts_(struct jbuf *b, const char *text)
{
	put(b, text, strlen(text));
}

void json_format_real(double v, char *buf, size_t len)
{
	/* JSON has no NaN or infinity; callers never produce them, but a
	 * null beats invalid output. */
	if (!isfinite(v)) {
		snprintf(buf, len, "null");
		return;
	}
	/* Plain digits between 1e-4 and 1e15 (600, not 6e+02), as %g
	 * itself would write them with enough precision. */
	bool plain = fabs(v) >= 1e-4 && fabs(v) < 1e15;

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (plain && strchr(buf, 'e'))
			continue;
		if (strtod(buf, NULL) == v)
			break;
	}
	/* Keep it a real for readers that tell 1 from 1.0. */
	if (!strpbrk(buf, ".eE"))
		strncat(buf, ".0", len - strlen(buf) - 1);
}

static void newline(struct jbuf *b, int indent, int depth)
{
	if (indent <= 0)
		return;
	put(b, "\n", 1);
	for (int i = 0; i < indent * depth; i++)
		put(b, " ", 1);
}

static void write_value(struct jbuf *b, json_t *v, int indent, int depth);

static void write_scalar(struct jbuf *b, json_t *v)
{
	char *text = json_dumps(v, JSON_ENCODE_ANY);

	if (!text)
		die("out of memory");
	puts_(b, text);
	free(text);
}

static void write_key(struct jbuf *b, const char *key, int indent)
{
	json_t *k = json_string(key);

	if (!k)
		k = json_text(key);
	write_scalar(b, k);
	json_decref(k);
	puts_(b, indent > 0 ? ": " : ":");
}

static void write_object(struct jbuf *b, json_t *v, int indent, int depth)
{
	const char *key;
	json_t *item;
	bool first = true;

	if (json_object_size(v) == 0) {
		puts_(b, "{}");
		return;
	}
	puts_(b, "{");
	json_object_foreach(v, key, item) {
		if (!first)
			puts_(b, ",");
		first = false;
		newline(b, indent, depth + 1);
		write_key(b, key, indent);
		write_value(b, item, indent, depth + 1);
	}
	newline(b, indent, depth);
	puts_(b, "}");
}

static void write_array(struct jbuf *b, json_t *v, int indent, int depth)
{
	size_t i;
	json_t *item;

	if (json_array_size(v) == 0) {
		puts_(b, "[]");
		return;
	}
	puts_(b, "[");
	json_array_foreach(v, i, item) {
		if (i)
			puts_(b, ",");
		newline(b, indent, depth + 1);
		write_value(b, item, indent, depth + 1);
	}
	newline(b, indent, depth);
	puts_(b, "]");
}

static void write_value(struct jbuf *b, json_t *v, int indent, int depth)
{
	char num[40];

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		write_object(b, v, indent, depth);
		break;
	case JSON_ARRAY:
		write_array(b, v, indent, depth);
		break;
	case JSON_REAL:
		json_format_real(json_real_value(v), num, sizeof(num));
		puts_(b, num);
		break;
	default:
		write_scalar(b, v);
	}
}

char *json_encode(json_t *root, int indent)
{
	struct jbuf b = { 0 };

	if (!root)
		die("out of memory");
	write_value(&b, root, indent, 0);
	puts_(&b, "\n");
	return b.s;
}

/* Whether a JSON value went to stdout (json_finish). */
static bool printed;

void print_json_to(FILE *out, json_t *root, int indent)
{
	char *text = json_encode(root, indent);

	if (out == stdout)
		printed = true;
	if (fputs(text, out) == EOF || fflush(out) == EOF)
		die_perror("cannot write JSON");
	free(text);
	json_decref(root);
}

void print_json(json_t *root)
{
	print_json_to(stdout, root, 2);
}

/* ---- values ------------------------------------------------------------------ */

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

void json_set_model(json_t *obj, const struct cred_model *m)
{
	json_object_set_new(obj, "model", json_string(m ? m->key : "unknown"));
	json_object_set_new(obj, "model_name", json_string(m ? m->name : "unknown"));
}

static const char *exit_kind(int code)
{
	switch (code) {
	case EXIT_USAGE:
		return "usage";
	case EXIT_NO_ANSWER:
		return "no_answer";
	default:
		if (code > EXIT_SIGNAL_BASE)
			return "interrupted";
		return "refused";
	}
}

void print_json_error(const char *message, int code)
{
	json_t *e = json_pack("{s:s, s:o, s:i, s:s}", "program", get_prog_name(), "message",
			      json_text(message), "exit_status", code, "kind", exit_kind(code));

	print_json(json_pack("{s:o}", "error", e));
}

json_t *json_param_value(const struct cred_model *m, const char *name, const char *text)
{
	const struct cred_param *p = m ? cred_param_find(m->id, name) : NULL;
	long l;
	double d;

	if (!p)
		return json_from_answer(text);
	/* The type follows the parameter, not the digits the camera happened
	 * to send: fps is a real even when it reads "600". */
	if (p->type == CRED_PARAM_NUMBER && parse_double(text, -HUGE_VAL, HUGE_VAL, &d))
		return json_real(d);
	if (p->type == CRED_PARAM_INT && parse_long(text, LONG_MIN, LONG_MAX, &l))
		return json_integer(l);
	return json_text(text);
}

void json_finish(const char *command, int status)
{
	char msg[256];

	if (!json_errors_on() || printed)
		return;
	if (status == EXIT_OK) {
		print_json(json_pack("{s:s, s:s, s:i}", "program", get_prog_name(), "command", command,
				     "exit_status", 0));
		return;
	}
	snprintf(msg, sizeof(msg), "'%s' ended with exit status %d (the messages are on standard error)",
		 command, status);
	print_json_error(msg, status);
}

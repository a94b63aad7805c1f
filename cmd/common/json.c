/* JSON output helpers (see common.h). */
#include "common.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Command table matching (see cmdtab.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "camera.h"
#include "cmdtab.h"

#define MAX_WORDS 12

/* Word i of a pattern into buf; false past the end. */
static bool pattern_word(const char *pattern, int i, char *buf, size_t size)
{
	const char *p = pattern;

	for (;;) {
		size_t n;

		p += strspn(p, " ");
		if (!*p)
			return false;
		n = strcspn(p, " ");
		if (!i--) {
			snprintf(buf, size, "%.*s", (int)n, p);
			return true;
		}
		p += n;
	}
}

static int pattern_len(const char *pattern)
{
	char w[64];
	int n = 0;

	while (pattern_word(pattern, n, w, sizeof(w)))
		n++;
	return n;
}

/* A last word "<name...>" takes the rest of the line. */
static bool has_rest(const char *pattern)
{
	size_t n = strlen(pattern);

	return n > 4 && !strcmp(pattern + n - 4, "...>");
}

/* Word i of a row, the rest argument standing for every later position. */
static bool row_word(const char *pattern, int i, char *buf, size_t size)
{
	int n;

	if (pattern_word(pattern, i, buf, size))
		return true;
	n = pattern_len(pattern);
	return has_rest(pattern) && n && pattern_word(pattern, n - 1, buf, size);
}

static bool is_arg(const char *word)
{
	return word[0] == '<';
}

static bool is_prefix(const char *tok, const char *word)
{
	return !strncmp(tok, word, strlen(tok));
}

/* Narrow alive[] to the rows accepting tok at position i: an exact keyword
 * wins, then a unique keyword prefix, then an argument. */
static bool narrow(const struct cmd_table *t, bool *alive, int i, const char *tok)
{
	char w[64], prefix_word[64] = "";
	bool exact = false, prefix = false, ambiguous = false, arg = false;

	for (size_t r = 0; r < t->count; r++) {
		if (!alive[r] || !row_word(t->rows[r].pattern, i, w, sizeof(w)))
			continue;
		if (is_arg(w))
			arg = true;
		else if (!strcmp(w, tok))
			exact = true;
		else if (is_prefix(tok, w)) {
			if (prefix && strcmp(w, prefix_word))
				ambiguous = true;
			prefix = true;
			snprintf(prefix_word, sizeof(prefix_word), "%s", w);
		}
	}
	if (!exact && (ambiguous || (!prefix && !arg)))
		return false;
	for (size_t r = 0; r < t->count; r++) {
		bool keep;

		if (!alive[r])
			continue;
		if (!row_word(t->rows[r].pattern, i, w, sizeof(w)))
			keep = false;
		else if (exact)
			keep = !is_arg(w) && !strcmp(w, tok);
		else if (prefix)
			keep = !is_arg(w) && !strcmp(w, prefix_word);
		else
			keep = is_arg(w);
		alive[r] = keep;
	}
	return true;
}

const struct cmd_row *cmdtab_match(const struct cmd_table *t, const char *firmware,
				   char **tok, int ntok, char **args, int *nargs,
				   const char **bad)
{
	bool *alive = calloc(t->count, sizeof(bool));
	const struct cmd_row *found = NULL;

	*bad = ntok ? tok[0] : "";
	if (!alive || !ntok || ntok > MAX_WORDS) {
		free(alive);
		return NULL;
	}
	for (size_t r = 0; r < t->count; r++)
		alive[r] = !t->rows[r].fw || fw_compare(firmware, t->rows[r].fw) >= 0;
	for (int i = 0; i < ntok; i++) {
		if (!narrow(t, alive, i, tok[i])) {
			*bad = tok[i];
			free(alive);
			return NULL;
		}
	}
	for (size_t r = 0; r < t->count && !found; r++) {
		int len = pattern_len(t->rows[r].pattern);

		if (alive[r] && (len == ntok || (has_rest(t->rows[r].pattern) && ntok >= len)))
			found = &t->rows[r];
	}
	free(alive);
	if (!found) {
		*bad = tok[ntok - 1]; /* a command cut short */
		return NULL;
	}
	*nargs = 0;
	for (int i = 0; i < ntok; i++) {
		char w[64];

		if (pattern_word(found->pattern, i, w, sizeof(w)) && is_arg(w) && *nargs < MAX_ARGS)
			args[(*nargs)++] = tok[i];
	}
	return found;
}

const char *cmdtab_last_word(const struct cmd_row *row, char *buf, size_t size)
{
	int n = pattern_len(row->pattern);

	if (!n || !pattern_word(row->pattern, n - 1, buf, size))
		buf[0] = '\0';
	return buf;
}

void cmdtab_help(const struct cmd_table *t, const char *firmware, struct answer *ans)
{
	for (size_t r = 0; r < t->count; r++) {
		const struct cmd_row *row = &t->rows[r];

		if (row->fw && fw_compare(firmware, row->fw) < 0)
			continue;
		answer_line(ans, "%-44s %s", row->pattern, row->help);
	}
}

const char *cmd_kind_name(enum cmd_kind k)
{
	static const char *const names[] = { "get", "set", "other", "exec", "sim" };

	return names[k];
}

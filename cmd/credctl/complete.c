/* Word completion for credctl shell from the model's command table
 * (cred_model_commands: "set fps <fpsValue>", "temperatures snake", ...). */
#include "credctl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_WORDS 16

/* Split a copy of s into words; returns the count. */
static int split_words(char *s, char **words, int max)
{
	int n = 0;

	for (char *save = NULL, *w = strtok_r(s, " \t", &save); w && n < max;
	     w = strtok_r(NULL, " \t", &save))
		words[n++] = w;
	return n;
}

static bool prefix_matches(char **cmd, int ncmd, char **typed, int ntyped)
{
	if (ncmd < ntyped)
		return false;
	for (int i = 0; i < ntyped; i++)
		if (strcasecmp(cmd[i], typed[i]))
			return false;
	return true;
}

struct candidates {
	char **v;
	size_t n, cap;
};

static void add_candidate(struct candidates *c, const char *word)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i], word))
			return;
	if (c->n + 2 > c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (!c->v)
			die("out of memory");
	}
	c->v[c->n++] = strdup(word);
	c->v[c->n] = NULL;
}

/* The next word of one table command, if the typed words lead to it. A
 * complete command may also take the "raw" suffix; placeholders such as
 * <fpsValue> are the user's to type. */
static void consider(struct candidates *c, const char *command, char **typed, int ntyped,
		     const char *word)
{
	char *copy = strdup(command), *cmd[MAX_WORDS];
	int ncmd;

	if (!copy)
		die("out of memory");
	ncmd = split_words(copy, cmd, MAX_WORDS);
	if (prefix_matches(cmd, ncmd, typed, ntyped)) {
		const char *next = ncmd > ntyped ? cmd[ntyped] : "raw";

		if (next[0] != '<' && !strncasecmp(next, word, strlen(word)))
			add_candidate(c, next);
	}
	free(copy);
}

char **complete_command(enum cred_model_id model, const char *line, int start, const char *word)
{
	const char *const *commands = cred_model_commands(model);
	struct candidates c = { 0 };
	char *head = strndup(line, start), *typed[MAX_WORDS];
	int ntyped;

	if (!head)
		die("out of memory");
	ntyped = split_words(head, typed, MAX_WORDS);
	for (size_t i = 0; commands && commands[i]; i++)
		consider(&c, commands[i], typed, ntyped, word);
	free(head);
	return c.v;
}

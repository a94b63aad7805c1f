/* Word completion for credctl shell: credctl's own subcommands and their
 * arguments (parameter names, states, ...), and camera commands from the
 * model's command table (cred_model_commands: "set fps <fpsValue>",
 * "temperatures snake", ...), after "raw" or as the first word. */
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

static char **camera_words(enum cred_model_id model, const char *line, int start,
			   const char *word);

/* Parameter names of the model: readable ones for get, settable ones for
 * set (the table says which). */
static void param_names(struct candidates *c, enum cred_model_id model, bool for_set,
			const char *word)
{
	for (size_t i = 0; i < cred_param_count(model); i++) {
		const struct cred_param *p = cred_param_at(model, i);

		if ((for_set ? cred_param_writable(p) : p->get_cmd != NULL) &&
		    !strncasecmp(p->name, word, strlen(word)))
			add_candidate(c, p->name);
	}
}

/* The value of a set: on/off or the parameter's choices. */
static void param_values(struct candidates *c, enum cred_model_id model, const char *name,
			 const char *word)
{
	static const char *const on_off[] = { "on", "off", NULL };
	const struct cred_param *p = cred_param_find(model, name);
	const char *const *v = !p ? NULL : p->type == CRED_PARAM_SWITCH ? on_off
			     : p->type == CRED_PARAM_CHOICE ? p->choices : NULL;

	for (; v && *v; v++)
		if (!strncasecmp(*v, word, strlen(word)))
			add_candidate(c, *v);
}

static void words_from(struct candidates *c, const char *const *list, const char *word)
{
	for (; *list; list++)
		if (!strncmp(*list, word, strlen(word)))
			add_candidate(c, *list);
}

/* Arguments of credctl's subcommands (typed[0]); nargs already typed. */
static void subcommand_args(struct candidates *c, enum cred_model_id model, char **typed,
			    int ntyped, const char *word)
{
	static const char *const checks[] = { "vacuum", "temps", "status", "all", NULL };
	static const char *const presets[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
					       "reload", "save", "restore-factory", NULL };
	static const char *const cooling[] = { "on", "off", "wait", NULL };
	static const char *const getter[] = { "status", "regenerate", NULL };
	const char *sub = typed[0];
	int nargs = ntyped - 1;

	if (!strcmp(sub, "get"))
		param_names(c, model, false, word);
	else if (!strcmp(sub, "set") && nargs % 2 == 0)
		param_names(c, model, true, word);
	else if (!strcmp(sub, "set"))
		param_values(c, model, typed[ntyped - 1], word);
	else if (!strcmp(sub, "wait"))
		words_from(c, known_states, word);
	else if (!strcmp(sub, "check") && nargs == 0)
		words_from(c, checks, word);
	else if (!strcmp(sub, "preset") && nargs == 0)
		words_from(c, presets, word);
	else if (!strcmp(sub, "cooling") && nargs == 0)
		words_from(c, cooling, word);
	else if (!strcmp(sub, "getter") && nargs == 0)
		words_from(c, getter, word);
}

char **complete_shell(enum cred_model_id model, const char *line, int start, const char *word)
{
	struct candidates c = { 0 };
	char *head = strndup(line, start), *typed[MAX_WORDS], **cam;
	int ntyped;

	if (!head)
		die("out of memory");
	ntyped = split_words(head, typed, MAX_WORDS);
	if (ntyped > 0 && !strcmp(typed[0], "raw")) {
		/* the camera's own words after "raw" */
		size_t skip = (size_t)(strstr(line, "raw") - line) + 3;

		while (line[skip] == ' ' || line[skip] == '\t')
			skip++;
		free(head);
		return camera_words(model, line + skip, start - (int)skip, word);
	}
	if (ntyped > 0 && shell_subcommand(typed[0])) {
		subcommand_args(&c, model, typed, ntyped, word);
		free(head);
		return c.v;
	}
	if (ntyped == 0) {
		words_from(&c, shell_words, word);
		for (size_t i = 0; shell_subcommand_name(i); i++)
			if (!strncmp(shell_subcommand_name(i), word, strlen(word)))
				add_candidate(&c, shell_subcommand_name(i));
	}
	cam = camera_words(model, line, start, word);
	for (size_t i = 0; cam && cam[i]; i++) {
		add_candidate(&c, cam[i]);
		free(cam[i]);
	}
	free(cam);
	free(head);
	return c.v;
}

char **complete_command(enum cred_model_id model, const char *line, int start, const char *word)
{
	return camera_words(model, line, start, word);
}

static char **camera_words(enum cred_model_id model, const char *line, int start,
			   const char *word)
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

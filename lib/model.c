/* Model lookup: by id, by the user's -m key, and from the camera's own
 * `cameratype` answer; the per-model command tables. */
#include "model-impl.h"

#include "words-impl.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

const struct cred_model_tables *cred_model_tables(enum cred_model_id id)
{
	switch (id) {
	case CRED_MODEL_CRED3: return &cred_cred3_tables;
	case CRED_MODEL_CREDONE: return &cred_credone_tables;
	default: return NULL;
	}
}

const struct cred_model *cred_model_get(enum cred_model_id id)
{
	const struct cred_model_tables *t = cred_model_tables(id);

	return t ? t->model : NULL;
}

/* After a "c-red"/"cred" prefix (already consumed), which model does the
 * text name? Blanks, '-' and '_' may separate the prefix from the number;
 * the number must end there ("C-RED 3 640x512" is a C-RED 3, "C-RED 30"
 * is nothing we know). */
static enum cred_model_id model_after_prefix(const char *s)
{
	while (*s == ' ' || *s == '-' || *s == '_' || *s == '\t')
		s++;
	if (strncasecmp(s, "one", 3) == 0 && !isalnum((unsigned char)s[3]))
		return CRED_MODEL_CREDONE;
	if ((*s == '1' || *s == '3') && !isalnum((unsigned char)s[1]))
		return *s == '1' ? CRED_MODEL_CREDONE : CRED_MODEL_CRED3;
	return CRED_MODEL_UNKNOWN;
}

/* The model named at the start of s ("c-red 3", "CRED ONE", "credone"),
 * or UNKNOWN. */
static enum cred_model_id model_named_at(const char *s)
{
	if (strncasecmp(s, "c-red", 5) == 0 || strncasecmp(s, "c red", 5) == 0 ||
	    strncasecmp(s, "c_red", 5) == 0)
		return model_after_prefix(s + 5);
	if (strncasecmp(s, "cred", 4) == 0)
		return model_after_prefix(s + 4);
	return CRED_MODEL_UNKNOWN;
}

enum cred_model_id cred_model_from_cameratype(const char *answer)
{
	if (!answer)
		return CRED_MODEL_UNKNOWN;
	/* The first model name that starts a word wins, wherever it is in a
	 * possibly multi-line answer ("Camera: C-RED 3\r\nSerial: ..."). */
	for (const char *s = answer; *s; s++) {
		enum cred_model_id id;

		if (s > answer && isalnum((unsigned char)s[-1]))
			continue;
		id = model_named_at(s);
		if (id != CRED_MODEL_UNKNOWN)
			return id;
	}
	return CRED_MODEL_UNKNOWN;
}

const struct cred_model *cred_model_by_key(const char *key)
{
	static const struct { const char *word; enum cred_model_id id; } keys[] = {
		{ "cred3", CRED_MODEL_CRED3 },     { "3", CRED_MODEL_CRED3 },
		{ "credone", CRED_MODEL_CREDONE }, { "one", CRED_MODEL_CREDONE },
		{ "cred1", CRED_MODEL_CREDONE },   { "1", CRED_MODEL_CREDONE },
	};
	char word[16];
	size_t n = 0;

	if (!key)
		return NULL;
	/* "C-RED 3", "c-red3", "CRED_ONE" all fold to one word. */
	for (const char *s = key; *s; s++) {
		if (*s == ' ' || *s == '-' || *s == '_')
			continue;
		if (n + 1 >= sizeof(word))
			return NULL;
		word[n++] = (char)tolower((unsigned char)*s);
	}
	word[n] = '\0';
	for (size_t i = 0; i < CRED_ARRAY_SIZE(keys); i++)
		if (strcmp(word, keys[i].word) == 0)
			return cred_model_get(keys[i].id);
	return NULL;
}

static pthread_once_t text_once = PTHREAD_ONCE_INIT;

static void fill_text(const struct cred_model_tables *t)
{
	size_t i;

	for (i = 0; t->commands[i].text; i++)
		t->command_text[i] = t->commands[i].text;
	t->command_text[i] = NULL;
}

static void fill_all_text(void)
{
	fill_text(&cred_cred3_tables);
	fill_text(&cred_credone_tables);
}

const char *const *cred_model_commands(enum cred_model_id model)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	if (!t)
		return NULL;
	pthread_once(&text_once, fill_all_text);
	return (const char *const *)t->command_text;
}

/* Is command an instance of the table text row? */
static int command_matches(const char *row, const char *command)
{
	for (;;) {
		size_t rn, cn;

		row = cred_skip_blanks(row);
		command = cred_skip_blanks(command);
		if (!*row || !*command)
			return !*row && !*command;
		rn = cred_word_length(row);
		cn = cred_word_length(command);
		if (row[0] == '<' && row[rn - 1] == '>') {
			if (!*cred_skip_blanks(row + rn))
				return 1; /* the last placeholder takes the rest */
		} else if (rn != cn || strncasecmp(row, command, rn) != 0) {
			return 0;
		}
		row += rn;
		command += cn;
	}
}

const struct cred_command *cred_model_command_find(enum cred_model_id model, const char *command)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	if (!t || !command)
		return NULL;
	for (size_t k = 0; t->commands[k].text; k++)
		if (command_matches(t->commands[k].text, command))
			return &t->commands[k];
	return NULL;
}

const struct cred_command *cred_model_command_at(enum cred_model_id model, size_t i)
{
	const struct cred_model_tables *t = cred_model_tables(model);

	if (!t)
		return NULL;
	for (size_t k = 0; t->commands[k].text; k++)
		if (k == i)
			return &t->commands[k];
	return NULL;
}

/* Internal: walking the blank-separated words of a command line, shared by
 * the command tables (model.c) and the answer and pattern rules
 * (cli-parse.c). Not installed. */
#ifndef CRED_WORDS_IMPL_H
#define CRED_WORDS_IMPL_H

#include <stddef.h>

/* s past any spaces and tabs. */
static inline const char *cred_skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Length of the word at s (up to a space, a tab or the end). */
static inline size_t cred_word_length(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	return n;
}

#endif

/* Pure text classification for the command-line interpreter client: which
 * answers are rejections, which commands only read, which lines are events
 * or garbage, and how long each command may take. No I/O here. */
#include "cli-impl.h"

#include "words-impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- command tables ------------------------------------------------- */

/* Non-zero if command begins with the words of pattern, compared without
 * case. A pattern word ending in '*' matches any word it begins
 * ("getbias*" matches "getbias_hdr_c1"). */
static int match_words(const char *command, const char *pattern)
{
	for (;;) {
		size_t pn, cn, need;
		int star;

		pattern = cred_skip_blanks(pattern);
		command = cred_skip_blanks(command);
		if (!*pattern)
			return 1;
		pn = cred_word_length(pattern);
		cn = cred_word_length(command);
		star = pattern[pn - 1] == '*';
		need = star ? pn - 1 : pn;
		if (star ? cn < need : cn != need)
			return 0;
		if (strncasecmp(pattern, command, need) != 0)
			return 0;
		pattern += pn;
		command += cn;
	}
}

static int match_any(const char *command, const char *const *patterns)
{
	for (; *patterns; patterns++)
		if (match_words(command, *patterns))
			return 1;
	return 0;
}

/* Commands of either manual that change the camera's state, so must never
 * be sent twice. Everything else (the get commands, help, recvfile, ...)
 * only reads. Bare "preset" is here on purpose: the C-RED 3 command table
 * calls it "get current preset id" but the prose says it reloads the
 * current preset, so we do not risk it. */
static const char *const state_changing[] = {
	"set", "exec", "save", "continue", "shutdown", "reboot", "restorefactory",
	"sendfile", "xsendfile", "getbias*", "getflat*", "gettestpattern",
	"swtrig", "swtrigabort", "buildnuc", "remotemaintenance enable", "remotemaintenance disable",
	"preset", NULL
};
static const char *const read_only_exceptions[] = { "buildnuc progress", NULL };

int cred_cli_is_read_only(const char *command)
{
	if (!command)
		return 0;
	if (match_any(command, read_only_exceptions))
		return 1;
	return !match_any(command, state_changing);
}

/* ---- the command's row: timeout and late tails ---------------------- */

/* The row of command in model's table, or, for an unknown model, the
 * first in any model's table. A trailing " raw" (the plain form of a
 * read) is the same command. */
static const struct cred_command *row_in(enum cred_model_id model, const char *command)
{
	const struct cred_command *row = cred_model_command_find(model, command);
	size_t n = strlen(command);

	while (n && (command[n - 1] == ' ' || command[n - 1] == '\t'))
		n--;
	if (!row && n > 4 && strncasecmp(command + n - 4, " raw", 4) == 0) {
		char *plain = strndup(command, n - 4);

		if (plain)
			row = cred_model_command_find(model, plain);
		free(plain);
	}
	return row;
}

static const struct cred_command *row_of(enum cred_model_id model, const char *command)
{
	const struct cred_command *row = NULL;

	if (!command)
		return NULL;
	if (model != CRED_MODEL_UNKNOWN)
		return row_in(model, command);
	for (int id = CRED_MODEL_UNKNOWN + 1; !row && cred_model_get((enum cred_model_id)id); id++)
		row = row_in((enum cred_model_id)id, command);
	return row;
}

int cred_cli_default_timeout(enum cred_model_id model, const char *command, int base_ms)
{
	const struct cred_command *row = row_of(model, command);

	return row && row->timeout_ms > base_ms ? row->timeout_ms : base_ms;
}

int cred_cli_grace_ms(enum cred_model_id model, const char *command)
{
	const struct cred_command *row = row_of(model, command);

	return row && row->late_tail ? CLI_GRACE_TAIL_MS : CLI_GRACE_MS;
}

int cred_cli_is_tail_of(const char *text, const char *earlier)
{
	size_t n, m;

	if (!text || !earlier)
		return 0;
	n = strlen(text);
	m = strlen(earlier);
	return n >= CLI_TAIL_MIN && n < m && memcmp(earlier + m - n, text, n) == 0;
}

/* ---- lines ---------------------------------------------------------- */

int cred_cli_is_blank(const char *s)
{
	for (; s && *s; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

static int blank_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return 0;
	return 1;
}

int cred_cli_is_event_line(const char *line)
{
	return strncasecmp(line, "event", 5) == 0 &&
	       (line[5] == ':' || line[5] == ' ' || line[5] == '\t');
}

/* Length of the UTF-8 sequence lead byte c announces, 0 if c cannot lead. */
static size_t utf8_length(unsigned char c)
{
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

/* The interpreter speaks ASCII; we tolerate valid UTF-8 in case a firmware
 * prints a degree sign, but line noise (control bytes, stray high bytes)
 * marks an answer as garbled. */
int cred_cli_has_garbage(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f)
				return 1;
			i++;
			continue;
		}
		n = utf8_length(c);
		if (!n || i + n > len)
			return 1;
		for (size_t k = 1; k < n; k++)
			if ((p[i + k] & 0xc0) != 0x80)
				return 1;
		i += n;
	}
	return 0;
}

char *cred_cli_escape(const char *s, size_t len, size_t max)
{
	size_t n = len < max ? len : max;
	char *out = malloc(n * 4 + 4);
	char *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r')
			o += sprintf(o, "\\r");
		else if (c == '\n')
			o += sprintf(o, "\\n");
		else if (c == '\\')
			o += sprintf(o, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else
			*o++ = (char)c;
	}
	if (n < len)
		o += sprintf(o, "...");
	*o = '\0';
	return out;
}

/* ---- rejections ----------------------------------------------------- */

/* Words that signal a rejection. Whole words only (letters, digits, '-'
 * and '_' make a word), so "terror", "fail-safe" or "bias_error_count" do
 * not count, while "Compute bias image....Failed" does. */
static const char *const signal_words[] = {
	"error", "errors", "fail", "fails", "failed", "failure", "failures", "failing", NULL
};
/* Labels that report a past condition rather than the fate of this
 * command: "Last status change reason: cooling failure" is a value. */
static const char *const descriptive_words[] = {
	"reason", "cause", "status", "state", "last", "previous", "history", "log", NULL
};
/* Values that say "no error": "Errors: 0", "Last error: none". */
static const char *const negative_values[] = { "none", "no", "ok", "off", "false", "n/a", "-", NULL };
/* Values of "Result:" that mean success; any other result is a refusal. */
static const char *const success_values[] = { "ok", "done", "success", NULL };

static int is_word_char(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

static int in_list(const char *w, size_t n, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(w, *list, n) == 0)
			return 1;
	return 0;
}

/* Non-zero if [s, s+len) holds a word of list; first_only: only its first
 * word is looked at. */
static int has_word(const char *s, size_t len, const char *const *list, int first_only)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && !is_word_char((unsigned char)s[i]))
			i++;
		start = i;
		while (i < len && is_word_char((unsigned char)s[i]))
			i++;
		if (i == start)
			break;
		if (in_list(s + start, i - start, list))
			return 1;
		if (first_only)
			return 0;
	}
	return 0;
}

static void trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

static int value_in(const char *v, size_t len, const char *const *list)
{
	trim(&v, &len);
	return in_list(v, len, list);
}

static int is_negative(const char *v, size_t len)
{
	char tmp[64], *end;

	trim(&v, &len);
	if (len == 0 || value_in(v, len, negative_values))
		return 1;
	if (len >= sizeof(tmp))
		return 0;
	memcpy(tmp, v, len);
	tmp[len] = '\0';
	return strtod(tmp, &end) == 0 && *end == '\0' && end != tmp;
}

static int is_success(const char *v, size_t len)
{
	size_t n = 0;

	trim(&v, &len);
	while (n < len && is_word_char((unsigned char)v[n]))
		n++;
	return in_list(v, n, success_values);
}

/* A "label: value" line: judge by where the signal word sits. */
static int labelled_is_rejection(const char *label, size_t llen, const char *value, size_t vlen)
{
	const char *l = label;

	trim(&l, &llen);
	if (llen == 6 && strncasecmp(l, "result", 6) == 0)
		return !is_success(value, vlen);
	if (has_word(l, llen, signal_words, 1))          /* "Error: ...", "Failed: ..." */
		return !is_negative(value, vlen);
	if (has_word(l, llen, descriptive_words, 0))     /* "Last status change reason: ..." */
		return 0;
	if (has_word(l, llen, signal_words, 0))          /* "set cropping failed: ..." */
		return !is_negative(value, vlen);
	return has_word(value, vlen, signal_words, 0);   /* "Frames per second: error" */
}

/* strict: judge the whole line; otherwise (lines inside a long listing such
 * as `help`, whose descriptions may say "...was in error") only a line that
 * opens with "Syntax error" or a signal word is judged. */
static int line_is_rejection(const char *line, size_t len, int strict)
{
	const char *colon;

	trim(&line, &len);
	if (len == 0)
		return 0;
	if (len >= 12 && strncasecmp(line, "syntax error", 12) == 0)
		return 1;
	if (!strict && !has_word(line, len, signal_words, 1))
		return 0;
	colon = memchr(line, ':', len);
	if (colon && colon > line)
		return labelled_is_rejection(line, (size_t)(colon - line), colon + 1,
					     len - (size_t)(colon - line) - 1);
	return has_word(line, len, signal_words, 0);
}

/* The camera refuses a command at once (first line) or after starting it
 * (last line: "Compute bias image....Failed"); lines in between are data
 * unless they open with an error word. */
int cred_cli_is_rejection(const char *answer)
{
	const char *p, *first = NULL, *last = NULL;
	size_t first_len = 0, last_len = 0;

	if (!answer)
		return 0;
	for (p = answer; *p;) {
		size_t n = strcspn(p, "\n");

		if (n && !blank_n(p, n)) {
			if (!first) {
				first = p;
				first_len = n;
			} else if (line_is_rejection(p, n, 0)) {
				return 1;
			}
			last = p;
			last_len = n;
		}
		p += n;
		if (*p)
			p++;
	}
	return (first && line_is_rejection(first, first_len, 1)) ||
	       (last && line_is_rejection(last, last_len, 1));
}

/* credctl shell: an interactive session with the camera (libedit line
 * editing, history in ~/.credctl_history, completion of the model's
 * commands, events shown as they arrive), or, when stdin is not a
 * terminal, one command per input line for scripts. */
#include "credctl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <editline/readline.h>

#define HISTORY_FILE ".credctl_history"
#define HISTORY_MAX 1000
#define PROMPT "credctl> "

struct shell {
	struct ctl *ctl;
	int status; /* worst exit status so far */
	bool at_prompt; /* readline is editing a line */
	bool redraw;    /* an event was printed over the prompt */
	char *history; /* NULL: no $HOME, no history file */
};

static struct shell *sh; /* libedit callbacks carry no user pointer */

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return s;
}

/* --json: one compact object per command and line (JSON Lines), so a
 * script can match every answer to its command. */
static void print_json_line(const char *command, int err, const char *answer)
{
	json_t *o = json_object();

	json_object_set_new(o, "command", json_text(command));
	json_object_set_new(o, "status", json_integer(exit_code_for(err)));
	if (err == CRED_OK)
		json_object_set_new(o, "answer", json_text(answer ? answer : ""));
	else
		json_object_set_new(o, "error", json_text(cred_last_error()));
	if (json_dumpf(o, stdout, JSON_COMPACT) < 0)
		die_perror("cannot write JSON");
	putchar('\n');
	json_decref(o);
}

/* Send one command line; rejections and timeouts are reported and the
 * session goes on, a lost link ends it. */
static void run_line(struct shell *s, const char *line)
{
	char *answer = NULL;
	int err = cred_cli_command(ctl_cli(s->ctl), line, 0, &answer);

	if (err < 0 && err != CRED_ERR_FAIL && err != CRED_ERR_TIMEOUT && err != CRED_ERR_ARG &&
	    err != CRED_ERR_PROTO)
		die_cred(err, "'%s'", line);
	if (s->ctl->opts.json)
		print_json_line(line, err, answer);
	else if (err == CRED_OK)
		print_answer(answer);
	else if (err == CRED_ERR_FAIL)
		print_error("camera rejected '%s': %s", line, cred_last_error());
	else
		print_error("'%s': %s", line, cred_last_error());
	if (exit_code_for(err) > s->status)
		s->status = exit_code_for(err);
	free(answer);
	fflush(stdout);
}

/* Collapse runs of blanks to one space: the camera's parser takes words
 * separated by single spaces, and completion leaves a space behind. */
static void squeeze_blanks(char *s)
{
	char *out = s;

	for (char *p = s; *p; p++) {
		if (*p == '\t')
			*p = ' ';
		if (*p == ' ' && out > s && out[-1] == ' ')
			continue;
		*out++ = *p;
	}
	*out = '\0';
}

/* Returns false when the line ends the session. */
static bool handle_line(struct shell *s, char *raw)
{
	char *line = trim(raw);

	if (!*line || *line == '#')
		return true;
	squeeze_blanks(line);
	if (!strcmp(line, "quit") || !strcmp(line, "exit"))
		return false;
	run_line(s, line);
	return true;
}

/* ---- scripts: stdin is not a terminal ---------------------------------------- */

static int run_script(struct shell *s)
{
	char *buf = NULL;
	size_t cap = 0;

	while (getline(&buf, &cap, stdin) >= 0)
		if (!handle_line(s, buf))
			break;
	free(buf);
	return s->status;
}

/* ---- interactive --------------------------------------------------------------- */

static char *complete_generator(const char *word, int state)
{
	static char **matches;
	static size_t next;

	if (state == 0) {
		for (size_t i = 0; matches && matches[i]; i++)
			free(matches[i]);
		free(matches);
		matches = complete_command(ctl_model(sh->ctl)->id, rl_line_buffer,
					   rl_point - (int)strlen(word), word);
		next = 0;
	}
	if (!matches || !matches[next])
		return NULL;
	return strdup(matches[next++]);
}

static char **complete(const char *word, int start, int end)
{
	rl_attempted_completion_over = 1; /* no file name completion */
	return rl_completion_matches(word, complete_generator);
}

/* Events: above the prompt while the user edits a line (then the line is
 * redrawn), in the flow of answers otherwise. */
static void on_event(const char *line, void *user)
{
	struct shell *s = user;

	if (s->ctl->opts.json) {
		json_t *o = json_pack("{s:o}", "event", json_text(line));

		json_dumpf(o, stdout, JSON_COMPACT);
		putchar('\n');
		json_decref(o);
	} else if (s->at_prompt) {
		printf("\r\033[K%s\n", line);
		s->redraw = true;
	} else {
		printf("%s\n", line);
	}
	fflush(stdout);
}

/* libedit reads keys through this: wait for a key, and meanwhile show the
 * events the camera sends between commands as they arrive. */
static int shell_getc(FILE *in)
{
	struct pollfd pfd = { .fd = fileno(in), .events = POLLIN };
	unsigned char c;

	for (;;) {
		int r = poll(&pfd, 1, 100);

		if (r < 0 && errno != EINTR)
			return EOF;
		if (r > 0) {
			ssize_t n = read(pfd.fd, &c, 1);

			if (n == 1)
				return c;
			if (n == 0 || errno != EINTR)
				return EOF;
			continue;
		}
		r = cred_cli_poll_events(ctl_cli(sh->ctl), 0);
		if (r < 0)
			die_cred(r, "lost the camera");
		if (sh->redraw) {
			sh->redraw = false;
			rl_forced_update_display();
		}
	}
}

static void load_history(struct shell *s)
{
	const char *home = getenv("HOME");

	using_history();
	stifle_history(HISTORY_MAX);
	if (!home || !*home || asprintf(&s->history, "%s/%s", home, HISTORY_FILE) < 0) {
		s->history = NULL;
		return;
	}
	read_history(s->history);
}

static void save_history(struct shell *s)
{
	if (s->history && write_history(s->history) != 0)
		print_warning("cannot write '%s': %s", s->history, strerror(errno));
	free(s->history);
}

static int run_interactive(struct shell *s)
{
	const struct cred_model *m = ctl_model(s->ctl);
	char *line;

	if (!s->ctl->opts.quiet)
		fprintf(stderr, "%s on '%s'. Camera commands as in its manual ('help' lists them),\n"
			"Tab completes, 'quit' or Ctrl-D leaves.\n", m->name, effective_port(&s->ctl->opts));
	/* Before anything else of libedit's: its first call (even
	 * using_history) initialises it and takes the hooks as they are. */
	rl_readline_name = "credctl";
	rl_attempted_completion_function = complete;
	rl_getc_function = shell_getc;
	load_history(s);
	for (;;) {
		s->at_prompt = true;
		line = readline(PROMPT);
		s->at_prompt = false;
		if (!line) {
			putchar('\n');
			break;
		}
		squeeze_blanks(line);
		if (*trim(line))
			add_history(trim(line));
		if (!handle_line(s, line)) {
			free(line);
			break;
		}
		free(line);
	}
	save_history(s);
	/* The user saw every refusal; only a lost camera makes it fail. */
	return EXIT_OK;
}

int cmd_shell(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	struct shell s = { .ctl = ctl };

	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("shell takes no arguments");
	sh = &s;
	cred_cli_set_event_handler(ctl_cli(ctl), on_event, &s);
	if (!isatty(STDIN_FILENO))
		return run_script(&s);
	return run_interactive(&s);
}

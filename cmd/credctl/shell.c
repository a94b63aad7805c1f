/* credctl shell: an interactive session with the camera (libedit line
 * editing, history in ~/.credctl_history, completion, events shown as they
 * arrive), or, when stdin is not a terminal, one command per input line
 * for scripts.
 *
 * A line whose first word is one of credctl's subcommands (get, set,
 * status, check, wait, ...) runs that subcommand, in a child process so
 * that its exit (an error, Ctrl-C) ends only that command; "raw WORDS"
 * sends WORDS to the camera as they are (the way to reach a camera
 * command that shares a subcommand's name: "raw status", "raw set fps
 * 100"); any other line goes to the camera unchanged.
 *
 * Ctrl-C clears the line being edited, or interrupts the command that
 * runs; Ctrl-D, quit or exit leave. History is written on every way out:
 * the end of input, quit, SIGTERM or SIGHUP, a lost camera. The port is
 * locked per command, never while the shell waits at its prompt. */
#include "credctl.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <editline/readline.h>

#define HISTORY_FILE ".credctl_history"
#define HISTORY_MAX 1000
#define PROMPT "credctl> "

const char *const shell_words[] = { "raw", "quit", "exit", NULL };

struct shell {
	struct ctl *ctl;
	int status; /* worst exit status so far */
	bool at_prompt; /* readline is editing a line */
	bool redraw;    /* an event was printed over the prompt */
	bool leave;     /* SIGTERM or SIGHUP came: end the session */
	char *history; /* NULL: no $HOME, no history file */
	pid_t pid;     /* the shell's own process (not a subcommand's child) */
	FILE *out;     /* where answers and events go (stdout) */
};

static struct shell *sh; /* libedit callbacks and atexit carry no user pointer */

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
static void run_line(struct shell *s, const char *line, bool suggest)
{
	char *answer = NULL;
	int err = cred_cli_command(ctl_cli(s->ctl), line, 0, &answer);

	if (err < 0 && stop_signal) { /* Ctrl-C: this command only */
		print_error("'%s': interrupted", line);
		s->leave = take_stop_signal() != SIGINT;
		if (exit_code_for(err) > s->status)
			s->status = exit_code_for(err);
		return;
	}
	if (err < 0 && err != CRED_ERR_FAIL && err != CRED_ERR_BUSY && err != CRED_ERR_TIMEOUT &&
	    err != CRED_ERR_ARG && err != CRED_ERR_PROTO)
		die_cred(err, "'%s'", line);
	if (s->ctl->opts.json)
		print_json_line(line, err, answer);
	else if (err == CRED_OK)
		print_answer(answer);
	else if (err == CRED_ERR_FAIL)
		print_error("camera rejected '%s': %s", line, cred_last_error());
	else
		print_error("'%s': %s", line, cred_last_error());
	if (err == CRED_ERR_FAIL && suggest)
		ctl_suggest(line);
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

/* ---- credctl's subcommands ------------------------------------------------- */

#define MAX_ARGS 64

/* Words of line (changed in place) into argv; false when too many. */
static bool split_line(char *line, char **argv, int *argc)
{
	*argc = 0;
	for (char *save = NULL, *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (*argc == MAX_ARGS)
			return false;
		argv[(*argc)++] = w;
	}
	argv[*argc] = NULL;
	return true;
}

/* A stop signal that reached the shell while a child ran. Ctrl-C went to
 * the child as well (same process group) and is its business; SIGTERM or
 * SIGHUP, sent to the shell alone, is passed on to the child (pid > 0)
 * and ends the session after it, however late it came (forgetting one
 * that came as the child ended left the shell running). */
static void child_signal(struct shell *s, pid_t pid)
{
	int sig = take_stop_signal();

	if (sig && sig != SIGINT) {
		if (pid > 0)
			kill(pid, sig);
		s->leave = true;
	}
}

/* Wait for the child; returns its exit status. */
static int wait_child(struct shell *s, pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			return EXIT_NO_ANSWER;
		child_signal(s, pid);
	}
	child_signal(s, 0);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* Everything the child wrote to fd, as a string (malloc'd). */
static char *read_all(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		die("out of memory");
	for (;;) {
		if (len + 1 >= cap && !(buf = realloc(buf, cap *= 2)))
			die("out of memory");
		n = read(fd, buf + len, cap - len - 1);
		if (n > 0)
			len += (size_t)n;
		else if (n == 0 || errno != EINTR)
			break;
	}
	buf[len] = '\0';
	return buf;
}

/* --json: the subcommand's own JSON (or its text) inside one object per
 * line, like the camera's answers. */
static void print_json_result(struct shell *s, const char *line, int status, const char *text)
{
	json_t *o = json_object(), *result = json_loads(text, JSON_DECODE_ANY, NULL);

	json_object_set_new(o, "command", json_text(line));
	json_object_set_new(o, "status", json_integer(status));
	if (result)
		json_object_set_new(o, "result", result);
	else if (*text)
		json_object_set_new(o, "output", json_text(text));
	if (json_dumpf(o, s->out, JSON_COMPACT) < 0)
		die_perror("cannot write JSON");
	fputc('\n', s->out);
	json_decref(o);
}

static void NORETURN run_child(struct shell *s, const struct subcommand *sub, int argc,
			       char **argv, int json_fd)
{
	if (json_fd >= 0) {
		/* events keep going to the real output, not into the result */
		int keep = dup(STDOUT_FILENO);
		FILE *f = keep >= 0 ? fdopen(keep, "w") : NULL;

		if (f)
			s->out = f;
		if (dup2(json_fd, STDOUT_FILENO) < 0)
			die_perror("cannot redirect the output");
		close(json_fd);
	}
	optind = 0;
	exit(sub->run(argc, argv, s->ctl));
}

/* A subcommand line, run in a child that shares the camera connection
 * (the port is locked per exchange, so the child takes its turns like
 * any other process). */
static void run_subcommand_line(struct shell *s, const struct subcommand *sub, char *line)
{
	char *copy = strdup(line), *argv[MAX_ARGS + 1], *text = NULL;
	int argc, fds[2] = { -1, -1 }, status;
	pid_t pid;

	if (!copy || !split_line(copy, argv, &argc))
		die("out of memory or too many words");
	ctl_camera(s->ctl); /* opened once, here, not in every child */
	if (s->ctl->opts.json && pipe(fds) < 0)
		die_perror("cannot make a pipe");
	fflush(s->out);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		die_perror("cannot fork");
	if (pid == 0) {
		if (fds[0] >= 0)
			close(fds[0]);
		run_child(s, sub, argc, argv, fds[1]);
	}
	if (fds[1] >= 0) {
		close(fds[1]);
		text = read_all(fds[0]);
		close(fds[0]);
	}
	status = wait_child(s, pid);
	if (text)
		print_json_result(s, line, status, text);
	if (status > s->status)
		s->status = status;
	free(text);
	free(copy);
}

/* Returns false when the line ends the session. */
static bool handle_line(struct shell *s, char *raw)
{
	char *line = trim(raw), word[32];
	const struct subcommand *sub;

	if (!*line || *line == '#')
		return !s->leave;
	squeeze_blanks(line);
	if (!strcmp(line, "quit") || !strcmp(line, "exit"))
		return false;
	snprintf(word, sizeof(word), "%.*s", (int)strcspn(line, " "), line);
	if (!strcmp(word, "raw")) {
		if (!line[3])
			print_error("raw needs a camera command (raw status, raw set fps 100)");
		else
			run_line(s, line + 4, false);
	} else if (!strcmp(word, "shell")) {
		print_error("already in the shell");
	} else if ((sub = shell_subcommand(word))) {
		run_subcommand_line(s, sub, line);
	} else {
		run_line(s, line, true);
	}
	return !s->leave;
}

/* ---- scripts: stdin is not a terminal ---------------------------------------- */

static int run_script(struct shell *s)
{
	char *buf = NULL;
	size_t cap = 0;

	/* A signal ends the input (getline fails with EINTR): the session
	 * ends as at the end of the script. */
	while (!stop_signal && getline(&buf, &cap, stdin) >= 0)
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
		matches = complete_shell(ctl_model(sh->ctl)->id, rl_line_buffer,
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

		json_dumpf(o, s->out, JSON_COMPACT);
		fputc('\n', s->out);
		json_decref(o);
	} else if (s->at_prompt) {
		fprintf(s->out, "\r\033[K%s\n", line);
		s->redraw = true;
	} else {
		fprintf(s->out, "%s\n", line);
	}
	fflush(s->out);
}

/* libedit reads keys through this: wait for a key, and meanwhile show the
 * events the camera sends between commands as they arrive. */
static int shell_getc(FILE *in)
{
	struct pollfd pfd = { .fd = fileno(in), .events = POLLIN };
	unsigned char c;

	for (;;) {
		int r = poll(&pfd, 1, 100);

		/* whether or not the signal came during the poll itself */
		if (take_ctrl_c()) {
			/* Ctrl-C (and nothing else meanwhile): the line is
			 * dropped, a fresh prompt shown */
			fputs("^C\n", stdout);
			rl_forced_update_display();
			return 0x15; /* Ctrl-U: libedit's kill-line empties it */
		}
		if (stop_signal) /* SIGTERM, SIGHUP: leave, saving history */
			return EOF;
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

/* At exit, however the session ends (never in a subcommand's child). */
static void save_history(void)
{
	struct shell *s = sh;

	if (!s || !s->history || getpid() != s->pid)
		return;
	if (write_history(s->history) != 0)
		print_warning("cannot write '%s': %s", s->history, strerror(errno));
	free(s->history);
	s->history = NULL;
}

static int run_interactive(struct shell *s)
{
	const struct cred_model *m = ctl_model(s->ctl);
	char *line;

	if (!s->ctl->opts.quiet)
		fprintf(stderr, "%s on '%s'. credctl commands (get, set, status, check, wait, ...)\n"
			"and camera commands as in its manual ('help' lists them; 'raw COMMAND'\n"
			"for one named like a credctl command). Tab completes, Ctrl-C clears the\n"
			"line or stops a command, 'quit' or Ctrl-D leaves.\n",
			m->name, effective_port(&s->ctl->opts));
	/* Before anything else of libedit's: its first call (even
	 * using_history) initialises it and takes the hooks as they are.
	 * libedit's own signal handling is off: it would send the signal on
	 * to the whole process group; ours only sets stop_signal. */
	rl_catch_signals = 0;
	rl_readline_name = "credctl";
	rl_attempted_completion_function = complete;
	rl_getc_function = shell_getc;
	load_history(s);
	atexit(save_history);
	for (;;) {
		s->at_prompt = true;
		line = readline(PROMPT);
		s->at_prompt = false;
		if (!line) {
			putchar('\n');
			break;
		}
		if (stop_signal) { /* a signal came as the line was finished */
			free(line);
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
	save_history();
	/* The user saw every refusal; only a lost camera makes it fail. */
	return EXIT_OK;
}

int cmd_shell(int argc, char **argv, void *user)
{
	struct ctl *ctl = user;
	static struct shell s; /* atexit's save_history reads it */

	s.ctl = ctl;
	s.pid = getpid();
	s.out = stdout;
	if (parse_subcommand_opts(argc, argv, &ctl_no_opts, &ctl->opts, NULL, NULL) < argc)
		die_usage("shell takes no arguments");
	sh = &s;
	cred_cli_set_event_handler(ctl_cli(ctl), on_event, &s);
	/* Ctrl-C stops the command that runs (libcred's waits end), not the
	 * session; SIGTERM and SIGHUP end the session cleanly. */
	catch_stop_signals(true);
	cancel_library_on_stop();
	if (!isatty(STDIN_FILENO))
		return run_script(&s);
	return run_interactive(&s);
}

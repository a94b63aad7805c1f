/* The command-line interpreter client: one command at a time over a port,
 * with the camera's events kept apart and a recovery policy for a line
 * that is out of step.
 *
 * Keeping command and answer in step (the field notes' double prompts and
 * late tails):
 *  - Before sending, whatever is pending is read and sorted (events to the
 *    handler, the rest dropped): nothing that arrived earlier can be taken
 *    for the new answer (cred_cli_drain_idle).
 *  - The answer is the first non-empty text closed by a prompt; a bare
 *    prompt in front of it is a stale extra prompt and is skipped. After
 *    the answer we listen for a short grace period (longer after commands
 *    known for tails), so a tail is caught with the command it belongs to
 *    (cli-read.c).
 *  - An answer looks inconsistent when it holds line noise (control bytes,
 *    bad UTF-8), when more text followed it (a tail: ours or the previous
 *    command's, which cannot be told apart), or when no prompt came. Then
 *    we resynchronise: wait until the line has been quiet for 100 ms, send
 *    a bare "\n" and read to a fresh prompt.
 *  - A read-only command is then sent once more; a command that changes
 *    state never is. For such a command a tail leaves the first answer
 *    standing (but a rejection anywhere in the window counts); line noise
 *    gives CRED_ERR_PROTO, since we cannot tell whether it took effect; a
 *    missing prompt gives CRED_ERR_TIMEOUT without resynchronising (the
 *    next command's drain will clean up, and a dead camera is not made to
 *    wait twice).
 * Known limit: a tail from the previous command that arrives only after
 * the next command was sent and outruns its answer is taken for that
 * answer if the next command changes state; callers read settings back. */
#include "cancel-impl.h"
#include "cli-impl.h"
#include "clock-impl.h"
#include "port-impl.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int cred_cli_new(struct cred_port *port, struct cred_cli **out)
{
	struct cred_cli *cli;

	*out = NULL;
	cred_clear_error();
	if (!port)
		return cred_fail(CRED_ERR_ARG, "no port");
	cli = calloc(1, sizeof(*cli));
	if (!cli) {
		cred_port_close(port);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	cli->port = port;
	cli->timeout_ms = 2000;
	*out = cli;
	return CRED_OK;
}

void cred_cli_free(struct cred_cli *cli)
{
	if (!cli)
		return;
	cred_port_close(cli->port);
	for (size_t i = 0; i < cli->nevents; i++)
		free(cli->events[i]);
	free(cli->events);
	cred_cli_buf_free(&cli->in);
	free(cli->command);
	for (size_t i = 0; i < CLI_RECENT_MAX; i++)
		free(cli->recent[i].text);
	free(cli);
}

struct cred_port *cred_cli_port(struct cred_cli *cli)
{
	return cli->port;
}

void cred_cli_set_model(struct cred_cli *cli, enum cred_model_id model)
{
	cli->model = model;
}

void cred_cli_set_timeout(struct cred_cli *cli, int timeout_ms)
{
	cli->timeout_ms = timeout_ms > 0 ? timeout_ms : 2000;
}

/* ---- events --------------------------------------------------------- */

static void queue_event(struct cred_cli *cli, const char *line)
{
	char *copy = strdup(line);
	char **v;

	if (!copy)
		return;
	if (cli->nevents == CLI_EVENT_QUEUE_MAX) {
		cred_debug("%s: event queue full, dropped \"%s\"", cred_port_name(cli->port),
			   cli->events[0]);
		free(cli->events[0]);
		memmove(cli->events, cli->events + 1, (cli->nevents - 1) * sizeof(*cli->events));
		cli->nevents--;
	}
	v = realloc(cli->events, (cli->nevents + 1) * sizeof(*v));
	if (!v) {
		free(copy);
		return;
	}
	cli->events = v;
	cli->events[cli->nevents++] = copy;
}

void cred_cli_dispatch_event(struct cred_cli *cli, const char *line)
{
	cred_debug("%s: event \"%s\"", cred_port_name(cli->port), line);
	if (cli->event_fn)
		cli->event_fn(line, cli->event_user);
	else
		queue_event(cli, line);
}

int cred_cli_next_event(struct cred_cli *cli, char **event)
{
	*event = NULL;
	if (!cli || !cli->nevents)
		return 0;
	*event = cli->events[0];
	memmove(cli->events, cli->events + 1, (cli->nevents - 1) * sizeof(*cli->events));
	cli->nevents--;
	return 1;
}

void cred_cli_set_event_handler(struct cred_cli *cli, cred_event_fn fn, void *user)
{
	char *event;

	cli->event_fn = fn;
	cli->event_user = user;
	/* What was queued meanwhile goes to the new handler, oldest first. */
	while (fn && cred_cli_next_event(cli, &event)) {
		fn(event, user);
		free(event);
	}
}

#define POLL_BUSY_MS 50 /* another process's exchange: look again this soon */

/* Wait up to timeout_ms for the line to have something to read, without
 * reading it (it may be another process's answer). 1 ready, 0 not. */
static int line_ready(struct cred_cli *cli, int timeout_ms)
{
	struct pollfd pfd = { .fd = cred_port_fd(cli->port), .events = POLLIN };
	int r;

	if (pfd.fd < 0 || cli->in.len)
		return 1; /* no descriptor to watch (clser): try the lock */
	r = poll(&pfd, 1, cred_cancel_slice(timeout_ms));
	return r > 0 || (r < 0 && errno != EINTR);
}

/* Between exchanges the port is not ours: we read what came in only once
 * we hold the lock, and never wait for it (the holder reads the events
 * that come during its exchange). */
static int poll_unheld(struct cred_cli *cli, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);

	for (;;) {
		int left = cred_ms_left(deadline, timeout_ms), r;

		if (timeout_ms != 0 && cred_cancel_requested())
			return cred_fail_cancelled("'%s': waiting for events", cred_port_name(cli->port));
		if (line_ready(cli, left)) {
			r = cred_port_hold_wait(cli->port, 0);
			if (r == CRED_OK) {
				r = cred_cli_poll_idle(cli, 0);
				cred_port_release(cli->port);
				return r;
			}
			cred_clear_error();
			if (r != CRED_ERR_BUSY)
				return r;
			left = cred_ms_left(deadline, timeout_ms);
			if (left > 0)
				usleep((useconds_t)(left < POLL_BUSY_MS ? left : POLL_BUSY_MS) * 1000);
		}
		if (cred_ms_left(deadline, timeout_ms) == 0)
			return 0;
	}
}

int cred_cli_poll_events(struct cred_cli *cli, int timeout_ms)
{
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if (!cred_port_held(cli->port))
		return poll_unheld(cli, timeout_ms);
	return cred_cli_poll_idle(cli, timeout_ms);
}

/* ---- sending -------------------------------------------------------- */

/* The exchange cred_cli_send opened is over: let the port go. */
static void end_exchange(struct cred_cli *cli)
{
	if (cli->exchange) {
		cli->exchange = 0;
		cred_port_release(cli->port);
	}
}

/* One line of printable ASCII: a CR or LF inside would send two commands. */
static int check_command(const char *command)
{
	if (!command)
		return cred_fail(CRED_ERR_ARG, "no command");
	for (const char *p = command; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\r' || c == '\n')
			return cred_fail(CRED_ERR_ARG, "command contains a line break");
		if ((c < 0x20 && c != '\t') || c >= 0x7f)
			return cred_fail(CRED_ERR_ARG, "command contains a character that is not printable ASCII");
	}
	return CRED_OK;
}

int cred_cli_send(struct cred_cli *cli, const char *command)
{
	size_t n;
	char *line;
	int r;

	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if ((r = check_command(command)) < 0)
		return r;
	/* Nothing new starts on the camera once the tool was told to stop. */
	if (cred_cancel_requested())
		return cred_fail_cancelled("'%s'", command);
	/* The exchange starts here: the lock is kept until the answer has
	 * been read (cred_cli_read_answer), so raw bytes in between are ours. */
	if (!cli->exchange) {
		if ((r = cred_port_hold(cli->port)) < 0)
			return r;
		cli->exchange = 1;
	}
	if ((r = cred_cli_drain_idle(cli)) < 0) {
		end_exchange(cli);
		return r;
	}
	n = strlen(command);
	line = malloc(n + 2);
	if (!line) {
		end_exchange(cli);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	memcpy(line, command, n);
	line[n] = '\n';
	line[n + 1] = '\0';
	/* The answer is judged by the command it belongs to (its timeout and
	 * grace period): no command record, nothing sent. */
	free(cli->command);
	cli->command = strdup(command);
	if (!cli->command) {
		free(line);
		end_exchange(cli);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	r = cred_port_write(cli->port, line, n + 1, cli->timeout_ms);
	free(line);
	if (r < 0)
		end_exchange(cli);
	return r;
}

/* ---- resynchronising ------------------------------------------------ */

static int resync(struct cred_cli *cli)
{
	const char *port = cred_port_name(cli->port);
	struct cli_window w;
	int r;

	cred_debug("%s: resynchronising", port);
	if ((r = cred_cli_wait_quiet(cli, CLI_QUIET_MS, cli->timeout_ms)) < 0)
		return r;
	free(cli->command);
	cli->command = NULL;
	if ((r = cred_port_write(cli->port, "\n", 1, cli->timeout_ms)) < 0)
		return r;
	r = cred_cli_read_window(cli, cred_deadline(cli->timeout_ms), CLI_GRACE_MS, 0, &w);
	if (r == CRED_ERR_TIMEOUT)
		return cred_fail(CRED_ERR_TIMEOUT, "'%s': no prompt within %d ms after resynchronising",
				 port, cli->timeout_ms);
	if (r < 0)
		return r;
	if (!cred_cli_is_blank(w.answer) || w.tail)
		cred_debug("%s: discarded text found while resynchronising", port);
	cred_cli_window_free(&w);
	cred_debug("%s: back at the prompt", port);
	return CRED_OK;
}

int cred_cli_resync(struct cred_cli *cli)
{
	int r;

	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if ((r = cred_port_hold(cli->port)) < 0)
		return r;
	r = resync(cli);
	cred_port_release(cli->port);
	return r;
}

/* ---- answers -------------------------------------------------------- */

/* Record text (the camera's words) as the failure message, lines joined
 * by "; " so it reads on one line. */
static int fail_with_text(const char *text)
{
	char msg[1024];
	size_t o = 0;

	for (const char *p = text; *p && o + 3 < sizeof(msg); p++) {
		if (*p != '\n') {
			msg[o++] = *p;
		} else if (o && p[1]) {
			msg[o++] = ';';
			msg[o++] = ' ';
		}
	}
	msg[o] = '\0';
	return cred_fail(CRED_ERR_FAIL, "%s", msg);
}

/* The verdict on a consistent answer: rejected or handed over. For a
 * command that changes state a rejection in the tail counts too: saying
 * "refused" when it was not costs a read-back, the reverse costs data. */
static int finish(const char *command, struct cli_window *w, char **answer)
{
	const char *bad = NULL;
	int r = CRED_OK;

	if (cred_cli_is_rejection(w->answer))
		bad = w->answer;
	else if (w->tail && !cred_cli_is_read_only(command) && cred_cli_is_rejection(w->tail))
		bad = w->tail;
	if (bad) {
		r = fail_with_text(bad);
	} else {
		cred_clear_error(); /* a recovered resync leaves no message */
		*answer = w->answer;
		w->answer = NULL;
	}
	cred_cli_window_free(w);
	return r;
}

static int garbled(struct cred_cli *cli, const char *command, struct cli_window *w)
{
	char *shown = cred_cli_escape(w->answer, strlen(w->answer), 120);
	int r = cred_fail(CRED_ERR_PROTO, "garbled answer to '%s' from '%s'%s: \"%s\"", command,
			  cred_port_name(cli->port),
			  cred_cli_is_read_only(command) ? "" : " (it may have taken effect)",
			  shown ? shown : "");

	free(shown);
	cred_cli_window_free(w);
	return r;
}

static int no_answer(struct cred_cli *cli, const char *command, int timeout_ms, int tries)
{
	return cred_fail(CRED_ERR_TIMEOUT, "no answer to '%s' from '%s' within %d ms%s",
			 command, cred_port_name(cli->port), timeout_ms,
			 tries > 1 ? " (tried twice)" : "");
}

/* Debug trace of what made an answer look inconsistent. */
static void trace_trouble(struct cred_cli *cli, const char *command, int r,
			  const struct cli_window *w)
{
	char *tail;

	if (!cred_debug_enabled())
		return;
	if (r || w->garbage) {
		cred_debug("%s: %s to '%s'", cred_port_name(cli->port),
			   r ? "no answer" : "garbled answer", command);
		return;
	}
	tail = cred_cli_escape(w->tail, strlen(w->tail), 200);
	cred_debug("%s: text after the answer to '%s': \"%s\"", cred_port_name(cli->port),
		   command, tail ? tail : "");
	free(tail);
}

/* ---- the late-tail guard --------------------------------------------- */

/* Keep a clean answer for a while: a late tail repeats the end of one. */
static void remember(struct cred_cli *cli, const struct cli_window *w)
{
	struct cli_recent *slot = &cli->recent[cli->recent_next];
	char *copy;

	if (w->garbage || w->stale || !w->answer[0] || !(copy = strdup(w->answer)))
		return;
	free(slot->text);
	slot->text = copy;
	slot->at_ms = cred_now_ms();
	cli->recent_next = (cli->recent_next + 1) % CLI_RECENT_MAX;
}

int cred_cli_recent_tail(struct cred_cli *cli, const char *text)
{
	long long since = cred_now_ms() - CLI_RECENT_MS;

	for (size_t i = 0; i < CLI_RECENT_MAX; i++)
		if (cli->recent[i].text && cli->recent[i].at_ms >= since &&
		    cred_cli_is_tail_of(text, cli->recent[i].text))
			return 1;
	return 0;
}

/* Non-zero if text repeats a recent answer whole. */
static int recent_answer(struct cred_cli *cli, const char *text)
{
	long long since = cred_now_ms() - CLI_RECENT_MS;

	for (size_t i = 0; i < CLI_RECENT_MAX; i++)
		if (cli->recent[i].text && cli->recent[i].at_ms >= since &&
		    !strcmp(text, cli->recent[i].text))
			return 1;
	return 0;
}

/* The guard for every command: an answer that repeats the end of a recent
 * answer and is followed by one whole other answer was that answer's late
 * tail, arrived after this command was sent: the answer is what followed
 * (cli-read.c listened long enough for it). */
static void drop_late_tail(struct cred_cli *cli, struct cli_window *w)
{
	char *shown;

	if (!w->stale || !w->tail || !w->tail_whole)
		return;
	shown = cred_cli_escape(w->answer, strlen(w->answer), 80);
	cred_debug("%s: \"%s\" was the late tail of an earlier answer", cred_port_name(cli->port),
		   shown ? shown : "");
	free(shown);
	free(w->answer);
	w->answer = w->tail;
	w->tail = NULL;
	w->stale = 0;
}

/* Lines after the answer that do not repeat part of it or of a recent
 * answer are not a late tail: an event of a firmware that does not start its
 * event lines with "event" (a field note: events come "at any time" and
 * must be reported), or a tail of an earlier command. Either way they are
 * handed to the event handler rather than dropped. */
static void tail_events(struct cred_cli *cli, const struct cli_window *w)
{
	char *copy, *save = NULL;

	if (!w->tail || w->garbage || !(copy = strdup(w->tail)))
		return;
	for (char *line = strtok_r(copy, "\r\n", &save); line; line = strtok_r(NULL, "\r\n", &save))
		if (!cred_cli_is_blank(line) && !strstr(w->answer, line) &&
		    !cred_cli_recent_tail(cli, line) && !recent_answer(cli, line))
			cred_cli_dispatch_event(cli, line);
	free(copy);
}

static int read_window(struct cred_cli *cli, const char *command, int timeout_ms,
		       struct cli_window *w)
{
	int r = cred_cli_read_window(cli, cred_deadline(timeout_ms),
				     cred_cli_grace_ms(cli->model, command),
				     !cred_cli_is_blank(command), w);

	if (r == CRED_OK) {
		drop_late_tail(cli, w);
		tail_events(cli, w);
		remember(cli, w);
	}
	return r;
}

static int read_answer_held(struct cred_cli *cli, int timeout_ms, char **answer);

int cred_cli_read_answer(struct cred_cli *cli, int timeout_ms, char **answer)
{
	int r;

	*answer = NULL;
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if (!cli->exchange) { /* no cred_cli_send before: an exchange of its own */
		if ((r = cred_port_hold(cli->port)) < 0)
			return r;
		cli->exchange = 1;
	}
	r = read_answer_held(cli, timeout_ms, answer);
	end_exchange(cli);
	return r;
}

static int read_answer_held(struct cred_cli *cli, int timeout_ms, char **answer)
{
	struct cli_window w;
	char *command;
	int tmo, r;

	command = strdup(cli->command ? cli->command : "");
	if (!command)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	tmo = timeout_ms > 0 ? timeout_ms : cred_cli_default_timeout(cli->model, command, cli->timeout_ms);
	r = read_window(cli, command, tmo, &w);
	if (r == CRED_ERR_TIMEOUT)
		r = no_answer(cli, command, tmo, 1);
	else if (r == CRED_OK && (w.garbage || w.tail)) {
		trace_trouble(cli, command, r, &w);
		(void)resync(cli);
		r = w.garbage ? garbled(cli, command, &w) : finish(command, &w, answer);
	} else if (r == CRED_OK) {
		r = finish(command, &w, answer);
	}
	free(command);
	return r;
}

static int command_held(struct cred_cli *cli, const char *command, int timeout_ms, char **answer);

/* One exchange: the port's lock is held from the send to the end of the
 * answer, a resend and a resynchronisation included. */
int cred_cli_command(struct cred_cli *cli, const char *command, int timeout_ms, char **answer)
{
	int r;

	*answer = NULL;
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if (check_command(command) < 0)
		return CRED_ERR_ARG;
	if ((r = cred_port_hold(cli->port)) < 0)
		return r;
	r = command_held(cli, command, timeout_ms, answer);
	end_exchange(cli);
	cred_port_release(cli->port);
	return r;
}

static int command_held(struct cred_cli *cli, const char *command, int timeout_ms, char **answer)
{
	int tmo, may_retry;

	tmo = timeout_ms > 0 ? timeout_ms : cred_cli_default_timeout(cli->model, command, cli->timeout_ms);
	may_retry = cred_cli_is_read_only(command);
	for (int attempt = 1;; attempt++) {
		struct cli_window w = { 0 };
		int retry = may_retry && attempt == 1, rs;
		int r = cred_cli_send(cli, command);

		if (r == CRED_OK)
			r = read_window(cli, command, tmo, &w);
		if (r == CRED_OK && !w.garbage && !w.tail)
			return finish(command, &w, answer);
		if (r != CRED_OK && r != CRED_ERR_TIMEOUT)
			return r;
		trace_trouble(cli, command, r, &w);
		if (r == CRED_ERR_TIMEOUT && !retry)
			return no_answer(cli, command, tmo, attempt);
		rs = resync(cli);
		if (rs == CRED_OK && retry) {
			cred_debug("%s: sending '%s' again", cred_port_name(cli->port), command);
			cred_cli_window_free(&w);
			continue;
		}
		if (rs != CRED_OK && rs != CRED_ERR_TIMEOUT) { /* link lost while resynchronising */
			cred_cli_window_free(&w);
			return rs;
		}
		if (r == CRED_ERR_TIMEOUT)
			return no_answer(cli, command, tmo, attempt);
		return w.garbage ? garbled(cli, command, &w) : finish(command, &w, answer);
	}
}

int cred_cli_commandf(struct cred_cli *cli, int timeout_ms, char **answer, const char *fmt, ...)
{
	va_list ap;
	char *command;
	int n, r;

	*answer = NULL;
	va_start(ap, fmt);
	n = vasprintf(&command, fmt, ap);
	va_end(ap);
	if (n < 0)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	r = cred_cli_command(cli, command, timeout_ms, answer);
	free(command);
	return r;
}

static int ends_with_raw(const char *command)
{
	size_t n = strlen(command);

	while (n && (command[n - 1] == ' ' || command[n - 1] == '\t'))
		n--;
	return n >= 4 && strncasecmp(command + n - 4, " raw", 4) == 0;
}

int cred_cli_raw(struct cred_cli *cli, const char *command, int timeout_ms, char **value)
{
	char *answer, *start, *end;
	int r;

	*value = NULL;
	if (!command)
		return cred_fail(CRED_ERR_ARG, "no command");
	if (ends_with_raw(command))
		r = cred_cli_command(cli, command, timeout_ms, &answer);
	else
		r = cred_cli_commandf(cli, timeout_ms, &answer, "%s raw", command);
	if (r < 0)
		return r;
	for (start = answer; *start == ' ' || *start == '\t'; start++)
		;
	end = start + strlen(start);
	while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	memmove(answer, start, (size_t)(end - start));
	answer[end - start] = '\0';
	*value = answer;
	return CRED_OK;
}

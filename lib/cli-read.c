/* Reading what the camera sends and telling its parts apart.
 *
 * The input is cut into units: a complete line (ended by "\n", with any
 * "\r" around it removed, so "\r\n", "\n", "\r\r\n" and "\n\r" all work)
 * or the text in front of a prompt "fli-cli>". Event lines (cli-parse.c)
 * are handed to the event handler wherever they turn up.
 *
 * The answer window of a command, read by cred_cli_read_window:
 *  1. Up to the first prompt that closes a non-empty segment, with a
 *     deadline for the whole answer (not per byte). An empty segment in
 *     front of it is an extra prompt left over from the previous command
 *     (the "double prompt" of the field notes) and is skipped, so it is
 *     never taken for this command's (empty) answer. If only empty
 *     segments arrive before the deadline, the answer is empty.
 *  2. Then a grace period: we keep listening while bytes keep coming with
 *     gaps shorter than the grace time (20 ms; 300 ms after commands known
 *     for late tails), at most CLI_WINDOW_CAP_MS. A further bare prompt
 *     is discarded; further text is the "tail", reported to the caller,
 *     who resynchronises (cli.c) because it cannot know whose text that
 *     was. 20 ms is about 230 characters at 115200 baud: long enough for a
 *     prompt that follows its answer in the camera's next write, short
 *     enough that a tool running fifty commands loses one second at most.
 *
 * Between commands (cred_cli_drain_idle, run by cred_cli_send before every
 * command) whatever is pending is read and sorted: events to the handler,
 * unsolicited error messages (lines that read like a rejection) also to
 * the handler, prompts and stale text dropped with a debug trace. A line
 * still arriving is given CLI_PARTIAL_WAIT_MS to finish, so its end is not
 * read as the start of the next answer. */
#include "cli-impl.h"
#include "clock-impl.h"

#include <stdlib.h>
#include <string.h>

/* Milliseconds left until deadline, 0 once it has passed. */
static int ms_until(long long deadline)
{
	return cred_ms_left(deadline, 0);
}

/* ---- byte buffer ---------------------------------------------------- */

static int cli_buf_append(struct cli_buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + len + 1)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p)
			return cred_fail(CRED_ERR_MEM, "out of memory");
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return CRED_OK;
}

void cred_cli_buf_free(struct cli_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static void buf_consume(struct cli_buf *b, size_t n)
{
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* Read what the port has (waiting up to timeout_ms) into cli->in. */
static int read_some(struct cred_cli *cli, int timeout_ms)
{
	char buf[4096];
	int n = cred_port_read(cli->port, buf, sizeof(buf), timeout_ms);

	if (n > 0) {
		int r = cli_buf_append(&cli->in, buf, (size_t)n);
		if (r < 0)
			return r;
	}
	return n;
}

/* ---- units ---------------------------------------------------------- */

enum unit_kind { UNIT_NONE, UNIT_LINE, UNIT_PROMPT };

struct unit {
	int kind;    /* enum unit_kind */
	char *text;  /* malloc'd, "\r" stripped at both ends */
	int garbage; /* the raw bytes held control bytes or bad UTF-8 */
};

/* Cut the next unit off cli->in. flush: a trailing partial line counts as
 * a line. Returns the kind, UNIT_NONE when more bytes are needed, or
 * CRED_ERR_MEM. */
static int take_unit(struct cli_buf *in, int flush, struct unit *u)
{
	const size_t plen = strlen(CRED_PROMPT);
	const char *nl, *pr;
	size_t start = 0, end, skip;
	int kind;

	u->text = NULL;
	u->kind = UNIT_NONE;
	if (in->len == 0)
		return UNIT_NONE;
	nl = memchr(in->data, '\n', in->len);
	pr = memmem(in->data, in->len, CRED_PROMPT, plen);
	if (pr && (!nl || pr < nl)) {
		kind = UNIT_PROMPT;
		end = (size_t)(pr - in->data);
		skip = end + plen;
	} else if (nl) {
		kind = UNIT_LINE;
		end = (size_t)(nl - in->data);
		skip = end + 1;
	} else if (flush) {
		kind = UNIT_LINE;
		end = skip = in->len;
	} else {
		return UNIT_NONE;
	}
	u->garbage = cred_cli_has_garbage(in->data, end);
	while (start < end && in->data[start] == '\r')
		start++;
	while (end > start && in->data[end - 1] == '\r')
		end--;
	u->text = strndup(in->data + start, end - start);
	if (!u->text)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	buf_consume(in, skip);
	u->kind = kind;
	return kind;
}

/* ---- segments: the lines between two prompts ------------------------ */

struct segment {
	struct cli_buf text;
	int lines;
	int garbage;
	int open; /* lines added since the last prompt */
};

static int segment_add(struct segment *s, const struct unit *u)
{
	int r;

	s->garbage |= u->garbage;
	s->open = 1;
	if (s->lines++ && (r = cli_buf_append(&s->text, "\n", 1)) < 0)
		return r;
	return cli_buf_append(&s->text, u->text, strlen(u->text));
}

static int segment_blank(const struct segment *s)
{
	return !s->garbage && cred_cli_is_blank(s->text.data);
}

static void segment_reset(struct segment *s)
{
	s->text.len = 0;
	if (s->text.data)
		s->text.data[0] = '\0';
	s->lines = s->garbage = s->open = 0;
}

/* The segment's text without surrounding CR/LF, malloc'd; resets it. */
static char *segment_take(struct segment *s)
{
	const char *p = s->text.data ? s->text.data : "";
	size_t n = strlen(p);
	char *out;

	while (*p == '\n' || *p == '\r') {
		p++;
		n--;
	}
	while (n && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	out = strndup(p, n);
	segment_reset(s);
	if (!out)
		cred_fail(CRED_ERR_MEM, "out of memory");
	return out;
}

/* ---- the answer window ---------------------------------------------- */

void cred_cli_window_free(struct cli_window *w)
{
	free(w->answer);
	free(w->tail);
	w->answer = w->tail = NULL;
}

/* Phase 1: one unit towards the answer. Returns 1 when the answer is
 * complete, 0 to go on, or an error. */
static int answer_unit(struct cred_cli *cli, struct segment *seg, const struct unit *u,
		       int want_text, struct cli_window *w)
{
	int r;

	if (u->kind == UNIT_LINE && cred_cli_is_event_line(u->text)) {
		cred_cli_dispatch_event(cli, u->text);
		return 0;
	}
	if (u->kind == UNIT_LINE || u->text[0] || u->garbage)
		if ((r = segment_add(seg, u)) < 0)
			return r;
	if (u->kind == UNIT_LINE)
		return 0;
	w->prompts++;
	if (want_text && segment_blank(seg)) {
		cred_debug("%s: skipped a stale prompt", cred_port_name(cli->port));
		segment_reset(seg);
		return 0;
	}
	w->garbage = seg->garbage;
	w->answer = segment_take(seg);
	if (!w->answer)
		return CRED_ERR_MEM;
	w->stale = !w->garbage && strlen(w->answer) >= CLI_STALE_MIN &&
		   cred_cli_recent_tail(cli, w->answer);
	return 1;
}

/* Phase 1: read up to the prompt that closes the answer. */
static int read_answer(struct cred_cli *cli, long long deadline, int want_text,
		       struct segment *seg, struct cli_window *w)
{
	for (;;) {
		struct unit u;
		int k, r = 0;

		while ((k = take_unit(&cli->in, 0, &u)) > 0) {
			r = answer_unit(cli, seg, &u, want_text, w);
			free(u.text);
			if (r)
				return r < 0 ? r : CRED_OK;
		}
		if (k < 0)
			return k;
		if (ms_until(deadline) == 0) {
			if (!w->prompts)
				return cred_fail(CRED_ERR_TIMEOUT, "'%s': no prompt in time",
						 cred_port_name(cli->port));
			/* Only empty answers came: the command answers nothing. */
			w->answer = strdup("");
			return w->answer ? CRED_OK : cred_fail(CRED_ERR_MEM, "out of memory");
		}
		r = read_some(cli, ms_until(deadline));
		if (r < 0)
			return r;
	}
}

/* Phase 2: what follows the answer. cur is the text since the last
 * prompt; kept the texts that count as the tail. */
struct tail_state {
	struct segment cur, kept;
	char *last;  /* the text the last prompt closed (kept or answer) */
	int closed;  /* texts kept, each closed by a prompt */
};

/* Is text, just closed by a prompt, a late tail (of this answer, of the
 * text before it, or of a recent answer)? Then it is not a second answer:
 * the late-tail guard drops it. */
static int is_late_tail(struct cred_cli *cli, const struct cli_window *w, const char *last,
			const char *text)
{
	return cred_cli_is_tail_of(text, w->answer) || cred_cli_is_tail_of(text, last) ||
	       cred_cli_recent_tail(cli, text);
}

/* A prompt closed cur: keep its text as tail, or drop it as a late tail. */
static int close_text(struct cred_cli *cli, struct tail_state *t, struct cli_window *w)
{
	int garbage = t->cur.garbage;
	struct unit u = { .kind = UNIT_LINE, .garbage = garbage };
	char *text = segment_take(&t->cur);
	int r = CRED_OK;

	if (!text)
		return CRED_ERR_MEM;
	if (!garbage && is_late_tail(cli, w, t->last, text)) {
		cred_debug("%s: dropped a late tail \"%s\"", cred_port_name(cli->port), text);
		free(text);
		return CRED_OK;
	}
	u.text = text;
	if ((r = segment_add(&t->kept, &u)) == CRED_OK)
		t->closed++;
	free(t->last);
	t->last = text;
	return r;
}

/* Phase 2: one unit after the answer. */
static int tail_unit(struct cred_cli *cli, struct tail_state *t, const struct unit *u,
		     struct cli_window *w)
{
	if (u->kind == UNIT_LINE && cred_cli_is_event_line(u->text)) {
		cred_cli_dispatch_event(cli, u->text);
		return 0;
	}
	if (u->garbage || !cred_cli_is_blank(u->text)) {
		int r = segment_add(&t->cur, u);
		if (r < 0)
			return r;
	} else if (u->kind == UNIT_PROMPT && !t->cur.open) {
		cred_debug("%s: discarded an extra prompt", cred_port_name(cli->port));
	}
	if (u->kind != UNIT_PROMPT)
		return 0;
	w->prompts++;
	return t->cur.open ? close_text(cli, t, w) : 0;
}

/* Phase 2: listen for a tail until the line is quiet for grace_ms. A lost
 * link here is not this answer's failure: it shows at the next command. */
static int read_tail(struct cred_cli *cli, int grace_ms, struct cli_window *w)
{
	long long cap = cred_now_ms() + CLI_WINDOW_CAP_MS;
	struct tail_state t = { .last = strdup(w->answer) };
	int r = t.last ? 0 : CRED_ERR_MEM;

	while (r == 0) {
		struct unit u;
		int k, left;

		while ((k = take_unit(&cli->in, 0, &u)) > 0) {
			r = tail_unit(cli, &t, &u, w);
			free(u.text);
			if (r < 0)
				goto out;
		}
		if ((r = k) < 0)
			goto out;
		left = ms_until(cap);
		if (left == 0 || read_some(cli, left < grace_ms ? left : grace_ms) <= 0)
			break;
	}
	/* Lines no prompt closed yet are tail too, and make it not whole. */
	if (t.cur.lines) {
		struct unit u = { .kind = UNIT_LINE, .garbage = t.cur.garbage };

		if (!(u.text = segment_take(&t.cur)) || (r = segment_add(&t.kept, &u)) < 0)
			r = CRED_ERR_MEM;
		free(u.text);
		t.closed = -1;
	}
	if (r >= 0 && t.kept.lines) {
		w->tail_whole = t.closed == 1 && !t.kept.garbage;
		w->tail = segment_take(&t.kept);
		if (!w->tail)
			r = CRED_ERR_MEM;
	}
out:
	cred_cli_buf_free(&t.cur.text);
	cred_cli_buf_free(&t.kept.text);
	free(t.last);
	return r < 0 ? r : CRED_OK;
}

int cred_cli_read_window(struct cred_cli *cli, long long deadline, int grace_ms, int want_text,
		    struct cli_window *w)
{
	struct segment seg = { 0 };
	int r;

	memset(w, 0, sizeof(*w));
	r = read_answer(cli, deadline, want_text, &seg, w);
	/* An answer that may be an earlier one's late tail: listen as long
	 * as after a command known for tails, for the real answer. */
	if (r == CRED_OK && w->stale && grace_ms < CLI_GRACE_TAIL_MS)
		grace_ms = CLI_GRACE_TAIL_MS;
	if (r == CRED_OK)
		r = read_tail(cli, grace_ms, w);
	cred_cli_buf_free(&seg.text);
	if (r < 0)
		cred_cli_window_free(w);
	return r;
}

/* ---- between commands ----------------------------------------------- */

/* One line that arrived while no command was outstanding. Returns 1 if it
 * was dispatched as an event. */
static int idle_line(struct cred_cli *cli, const struct unit *u)
{
	const char *port = cred_port_name(cli->port);
	char *shown;

	if (!u->garbage && cred_cli_is_blank(u->text))
		return 0;
	if (cred_cli_is_event_line(u->text)) {
		cred_cli_dispatch_event(cli, u->text);
		return 1;
	}
	/* "the camera sends unsolicited event/error messages": an error
	 * message nobody asked for is reported, not thrown away. */
	if (!u->garbage && cred_cli_is_rejection(u->text)) {
		cred_debug("%s: unsolicited message taken as an event", port);
		cred_cli_dispatch_event(cli, u->text);
		return 1;
	}
	shown = cred_cli_escape(u->text, strlen(u->text), 200);
	cred_debug("%s: discarded stale input \"%s\"", port, shown ? shown : "");
	free(shown);
	return 0;
}

/* Sort every complete unit pending in cli->in (all of it with flush).
 * Returns the number of events dispatched or an error. */
static int idle_units(struct cred_cli *cli, int flush)
{
	struct unit u;
	int k, events = 0;

	while ((k = take_unit(&cli->in, flush, &u)) > 0) {
		if (u.kind == UNIT_LINE || u.text[0] || u.garbage)
			events += idle_line(cli, &u);
		else
			cred_debug("%s: discarded a stale prompt", cred_port_name(cli->port));
		free(u.text);
	}
	return k < 0 ? k : events;
}

static int ends_line(const struct cli_buf *in)
{
	return in->len == 0 || in->data[in->len - 1] == '\n';
}

int cred_cli_drain_idle(struct cred_cli *cli)
{
	long long cap = cred_now_ms() + CLI_DRAIN_CAP_MS;
	long long partial_end;
	int r;

	do
		r = read_some(cli, 0);
	while (r > 0 && ms_until(cap) > 0);
	if (r < 0)
		return r;
	if ((r = idle_units(cli, 0)) < 0)
		return r;
	/* Half a line (or half a prompt) is still coming in. */
	partial_end = cred_now_ms() + CLI_PARTIAL_WAIT_MS;
	while (!ends_line(&cli->in) && ms_until(partial_end) > 0) {
		if ((r = read_some(cli, ms_until(partial_end))) <= 0)
			break;
		if ((r = idle_units(cli, 0)) < 0)
			return r;
	}
	if (r < 0)
		return r;
	r = idle_units(cli, 1);
	return r < 0 ? r : CRED_OK;
}

int cred_cli_wait_quiet(struct cred_cli *cli, int quiet_ms, int cap_ms)
{
	long long cap = cred_now_ms() + cap_ms;
	int r;

	for (;;) {
		int left = ms_until(cap);

		if (left == 0)
			break;
		r = read_some(cli, left < quiet_ms ? left : quiet_ms);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if ((r = idle_units(cli, 0)) < 0)
			return r;
	}
	r = idle_units(cli, 1);
	return r < 0 ? r : CRED_OK;
}

int cred_cli_poll_idle(struct cred_cli *cli, int timeout_ms)
{
	long long deadline = cred_deadline(timeout_ms);

	for (;;) {
		int left, r = idle_units(cli, 0);

		if (r != 0)
			return r;
		left = ms_until(deadline);
		r = read_some(cli, left);
		if (r < 0)
			return r;
		if (r == 0 && left == 0)
			return 0;
	}
}

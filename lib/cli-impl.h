/* Internal to the command-line interpreter client: shared by cli.c (the
 * client object and its retry policy), cli-read.c (reading and splitting
 * what the camera sends) and cli-parse.c (pure text classification).
 * Nothing here is exported. */
#ifndef CRED_CLI_IMPL_H
#define CRED_CLI_IMPL_H

#include <stddef.h>
#include "cred-cli.h"
#include "cred-model.h"
#include "error-impl.h"

/* Timing, in milliseconds. The reasons are in cli-read.c. */
#define CLI_GRACE_MS        20   /* quiet time that closes an answer's window */
#define CLI_GRACE_TAIL_MS   300  /* ... after commands known for late tails */
#define CLI_WINDOW_CAP_MS   1000 /* longest we listen for a tail */
#define CLI_QUIET_MS        100  /* resync: the line must be quiet this long */
#define CLI_DRAIN_CAP_MS    500  /* longest a pre-send drain may read */
#define CLI_PARTIAL_WAIT_MS 50   /* drain: time for a half-received line */
#define CLI_EVENT_QUEUE_MAX 256  /* queued events kept when nobody fetches */
#define CLI_RECENT_MAX      32   /* answers the late-tail guard remembers ... */
#define CLI_RECENT_MS       2000 /* ... for this long */
#define CLI_TAIL_MIN        1    /* shortest text taken for a late tail */
#define CLI_STALE_MIN       2    /* shortest answer suspected of being one: a
				  * one-character answer ("0" after "600") is
				  * too often a real one to wait for more */

/* An answer, kept a while by the late-tail guard (cli.c). */
struct cli_recent {
	char *text;      /* malloc'd, or NULL */
	long long at_ms; /* when it came */
};

/* A growable byte buffer (may hold NULs). */
struct cli_buf {
	char *data;
	size_t len, cap;
};

struct cred_cli {
	struct cred_port *port;
	int timeout_ms;          /* default for ordinary commands */
	enum cred_model_id model; /* whose command table gives timeouts */
	cred_event_fn event_fn;  /* NULL: queue events */
	void *event_user;
	char **events;           /* FIFO of queued events, oldest first */
	size_t nevents;
	struct cli_buf in;       /* bytes read but not yet parsed */
	char *command;           /* last command sent, for messages and grace */
	struct cli_recent recent[CLI_RECENT_MAX]; /* the last answers, for the late-tail guard */
	size_t recent_next;      /* slot the next answer goes to */
	int exchange;            /* cred_cli_send took the port's lock for the
				  * answer: cred_cli_read_answer lets it go */
};

/* What came back for one command: the answer (first non-empty text ended
 * by a prompt) and what else arrived in the same window. */
struct cli_window {
	char *answer;   /* malloc'd, lines joined by "\n", CR/LF trimmed */
	char *tail;     /* malloc'd text that followed the answer, or NULL */
	int garbage;    /* the answer holds control bytes or invalid UTF-8 */
	int prompts;    /* prompts seen (more than one: double prompt) */
	int stale;      /* the answer repeats the end of a recent answer: it
			 * may be that answer's late tail */
	int tail_whole; /* the tail is one text closed by one prompt */
};

/* cli-read.c: release a buffer's memory */
void cred_cli_buf_free(struct cli_buf *b);

/* cli-read.c */
/* Read the answer window of a command sent just before. want_text: skip
 * empty segments (stale prompts) until a non-empty one or the deadline.
 * Returns CRED_OK (w filled), CRED_ERR_TIMEOUT (no prompt before the
 * deadline), CRED_ERR_IO, CRED_ERR_MEM. */
int cred_cli_read_window(struct cred_cli *cli, long long deadline, int grace_ms, int want_text,
		    struct cli_window *w);
void cred_cli_window_free(struct cli_window *w);
/* Read and dispatch whatever is pending while no command is outstanding:
 * event lines go to the handler, the rest is traced and dropped. */
int cred_cli_drain_idle(struct cred_cli *cli);
/* Like cred_cli_drain_idle, but keep reading until the line has been quiet for
 * quiet_ms (at most cap_ms in all). */
int cred_cli_wait_quiet(struct cred_cli *cli, int quiet_ms, int cap_ms);
/* Wait up to timeout_ms for idle input; returns events dispatched (>= 0)
 * or an error. */
int cred_cli_poll_idle(struct cred_cli *cli, int timeout_ms);

/* cli.c */
void cred_cli_dispatch_event(struct cred_cli *cli, const char *line);
/* Non-zero if text may be the late tail of an answer of the last
 * CLI_RECENT_MS (cred_cli_is_tail_of one of them). */
int cred_cli_recent_tail(struct cred_cli *cli, const char *text);

/* cli-parse.c: pure functions on text */
int cred_cli_is_blank(const char *s);
/* A line of the unsolicited-event contract: "event" in any case, then ':'
 * or a space. */
int cred_cli_is_event_line(const char *line);
/* Non-zero if the bytes hold control characters other than tab/CR/LF, or
 * are not valid UTF-8. */
int cred_cli_has_garbage(const char *s, size_t len);
/* Answer timeout for command: base_ms, or the timeout of its row in the
 * model's command table when that is longer (model unknown: the first row
 * of any model that matches). */
int cred_cli_default_timeout(enum cred_model_id model, const char *command, int base_ms);
/* Non-zero if text may be a late tail of earlier, an answer that came
 * before: text is a proper end of it, at least CLI_TAIL_MIN characters
 * long ("00" of "600", "ium" of "medium"). A late tail repeats the end of
 * an answer (field notes, credsim's late-tail), so an answer that does
 * would be taken for another command's if nothing else came. */
int cred_cli_is_tail_of(const char *text, const char *earlier);
/* Quiet time that closes the answer window of command: longer when its
 * row says the command is known for late tails. */
int cred_cli_grace_ms(enum cred_model_id model, const char *command);
/* Copy of s with C escapes for non-printable bytes, at most max chars of
 * input (for messages and traces). malloc'd; NULL on ENOMEM. */
char *cred_cli_escape(const char *s, size_t len, size_t max);

#endif

/* The camera's command-line interpreter protocol ("fli-cli>").
 *
 * A command is ASCII ending in "\n"; every answer ends with "\r\nfli-cli>".
 * The client classifies rejections ("Syntax error next to ...", lines with
 * "Error"/"error"/"fail"), separates unsolicited event lines from answers
 * (lines starting "event" in any case followed by ':' or a space, wherever
 * they arrive; while no command is outstanding also lines that read like an
 * error message), survives double prompts and late tails (stale input is
 * drained before each command, a short grace period after each answer
 * catches its tail, and an inconsistent answer leads to resynchronising on
 * a fresh prompt), and never resends a command that changes state. The
 * late-tail guard works for every command: text after an answer that only
 * repeats the end of it or of an answer of the last 2 s is dropped; an
 * answer that repeats the end of a recent answer makes the client listen
 * 300 ms more, and when one whole answer follows, that one is the answer.
 * The form of each value is checked one level up (cred_camera_get). */
#ifndef CRED_CLI_H
#define CRED_CLI_H

#include "cred-port.h"
#include "cred-model.h"

#define CRED_PROMPT "fli-cli>"

struct cred_cli;

typedef void (*cred_event_fn)(const char *event_line, void *user);

/* Create a client on port; the client owns the port from then on (also on
 * failure). */
CRED_API int cred_cli_new(struct cred_port *port, struct cred_cli **out);
/* Free the client and close its port. NULL is ignored. */
CRED_API void cred_cli_free(struct cred_cli *cli);
/* The client's port, for raw bytes between a command and its answer
 * (owned by cli: do not close it). */
CRED_API struct cred_port *cred_cli_port(struct cred_cli *cli);

/* Events are queued when no handler is set; the handler is called from
 * within cred_cli_* calls, never from another thread, with the whole line
 * ("event: status changed to operational", CR/LF removed); it must not call
 * cred_cli_* on the same client. Setting a handler hands it the events
 * queued so far. Besides "event" lines, a line that reads like an error
 * message and arrives while no command is outstanding is reported as an
 * event too (the camera's unsolicited error messages). */
CRED_API void cred_cli_set_event_handler(struct cred_cli *cli, cred_event_fn fn, void *user);

/* Take the oldest queued event: returns 1 and *event (malloc'd, free it),
 * or 0 and NULL when none is queued. The queue keeps the newest 256. */
CRED_API int cred_cli_next_event(struct cred_cli *cli, char **event);

/* Wait up to timeout_ms (0: only what has already arrived) for input while
 * no command is outstanding, dispatching event lines as above; stale
 * non-event text is dropped. Returns the number of events dispatched (0 if
 * none came in time), CRED_ERR_IO (link lost) or CRED_ERR_MEM. For tools
 * that watch events between commands. */
CRED_API int cred_cli_poll_events(struct cred_cli *cli, int timeout_ms);

/* The model whose command table (cred_model_command_find) gives each
 * command's own answer timeout and whether it is known for late tails.
 * cred_camera_new sets it; with CRED_MODEL_UNKNOWN (the initial value) the
 * first matching row of any model counts. */
CRED_API void cred_cli_set_model(struct cred_cli *cli, enum cred_model_id model);

/* Default answer timeout in ms for ordinary commands (initially 2000; 0 or
 * less restores 2000). It covers the whole answer, not each byte. Known
 * slow commands get at least the timeout of their row in the command
 * table (struct cred_command.timeout_ms): shutdown, continue, set
 * cropping/mode/hdr/tuning/cooling/standby/password 5 s; save, set preset,
 * set ip, buildnuc (not progress) 10 s; reboot, restorefactory 15 s;
 * sendfile 30 s; exec 30 s (exec logs 60 s, exec buildbias/buildflat 120 s,
 * exec upgradefirmware/uploadfirmware 10 min); getbias, getflat,
 * gettestpattern and xsendfile 60 s. A command that is in no row gets the
 * default. */
CRED_API void cred_cli_set_timeout(struct cred_cli *cli, int timeout_ms);

/* Send command (one line of printable ASCII, without the "\n") and return
 * its answer: *answer is a malloc'd string with the prompt and surrounding
 * CR/LF removed and lines joined by "\n" (free it). Event lines are taken
 * out of the answer and dispatched. timeout_ms 0 means the default for this
 * command. Returns CRED_OK; CRED_ERR_FAIL when the camera rejected the
 * command (the camera's text, lines joined by "; ", is cred_last_error(),
 * *answer NULL); CRED_ERR_TIMEOUT when no prompt came (the message names
 * the command and the timeout); CRED_ERR_PROTO when the answer was garbled
 * by line noise; CRED_ERR_IO (link lost); CRED_ERR_ARG (a line break or
 * non-ASCII byte in command). When the answer is missing, garbled or
 * followed by more text, the client resynchronises and sends a read-only
 * command (cred_cli_is_read_only) once more; a command that changes state
 * is never sent twice. A command that answers nothing at all costs its
 * full timeout, since a bare prompt may be a stale one. Binary answers
 * (recvfile ... content) need cred_cli_send and cred_port_read instead. */
CRED_API int cred_cli_command(struct cred_cli *cli, const char *command, int timeout_ms, char **answer);

/* printf-style cred_cli_command. */
CRED_API int cred_cli_commandf(struct cred_cli *cli, int timeout_ms, char **answer, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* cred_cli_command(cli, "<command> raw") with the value trimmed. */
CRED_API int cred_cli_raw(struct cred_cli *cli, const char *command, int timeout_ms, char **value);

/* Lower-level halves of cred_cli_command, for transfers that put raw bytes
 * on the line between a command and its answer. cred_cli_send reads and
 * sorts what is pending (events dispatched, stale text dropped), then
 * writes the command and "\n"; on return the client holds no buffered
 * input, so the caller may read or write raw bytes on cred_cli_port().
 * cred_cli_read_answer reads up to the next prompt and classifies the
 * answer like cred_cli_command (timeout_ms 0: the default for the last
 * command sent), but never sends anything again except a resynchronising
 * "\n" after a garbled or doubled answer. */
CRED_API int cred_cli_send(struct cred_cli *cli, const char *command);
CRED_API int cred_cli_read_answer(struct cred_cli *cli, int timeout_ms, char **answer);

/* Wait for the line to go quiet, send a bare "\n" and read to a fresh
 * prompt. Returns CRED_OK or CRED_ERR_TIMEOUT (nobody is answering). */
CRED_API int cred_cli_resync(struct cred_cli *cli);

/* Pure parsers, exposed for tests and tools. */
/* Non-zero if answer text is a rejection by the camera: a line starting
 * "Syntax error", "Result:" with anything but OK/done, or the whole words
 * error/errors/fail/failed/failure (any case) in the first or last line,
 * except where they only describe a value ("Last status change reason:
 * cooling failure", "Errors: 0"). Lines in between of a long answer (help)
 * count only when they open with such a word. */
CRED_API int cred_cli_is_rejection(const char *answer);
/* Non-zero if the command only reads (safe to resend after a timeout):
 * anything but set, exec, save, continue, shutdown, reboot,
 * restorefactory, sendfile, xsendfile, getbias*, getflat*, gettestpattern,
 * swtrig, swtrigabort, buildnuc (except buildnuc progress), remotemaintenance
 * enable/disable and preset, compared by whole words without case. */
CRED_API int cred_cli_is_read_only(const char *command);

#endif

/* The camera's command-line interpreter protocol ("fli-cli>").
 *
 * A command is ASCII ending in "\n"; every answer ends with "\r\nfli-cli>".
 * The client classifies rejections ("Syntax error next to ...", lines with
 * "Error"/"error"/"fail"), separates unsolicited event lines from answers
 * (lines starting "event" in any case, or anything that arrives while no
 * command is outstanding), survives double prompts and late tails by
 * resynchronising on a fresh prompt, and never resends a command that
 * changes state. */
#ifndef CRED_CLI_H
#define CRED_CLI_H

#include "cred-port.h"

#define CRED_PROMPT "fli-cli>"

struct cred_cli;

typedef void (*cred_event_fn)(const char *event_line, void *user);

/* Create a client on port; the client owns the port from then on (also on
 * failure). */
CRED_API int cred_cli_new(struct cred_port *port, struct cred_cli **out);
/* Free the client and close its port. NULL is ignored. */
CRED_API void cred_cli_free(struct cred_cli *cli);
CRED_API struct cred_port *cred_cli_port(struct cred_cli *cli);

/* Events are queued when no handler is set; the handler is called from
 * within cred_cli_* calls, never from another thread. */
CRED_API void cred_cli_set_event_handler(struct cred_cli *cli, cred_event_fn fn, void *user);

/* Default answer timeout in ms for ordinary commands (initially 2000).
 * Known slow commands (shutdown, reboot, exec ..., buildnuc, save,
 * restorefactory, set preset ...) get longer defaults of their own. */
CRED_API void cred_cli_set_timeout(struct cred_cli *cli, int timeout_ms);

/* Send command and return its answer: *answer is a malloc'd string with
 * the prompt and surrounding CR/LF removed (free it). timeout_ms 0 means
 * the default for this command. Returns CRED_OK; CRED_ERR_FAIL when the
 * camera rejected the command (the camera's text is cred_last_error(),
 * *answer NULL); CRED_ERR_TIMEOUT (read-only commands are retried once
 * after resynchronising, others never); CRED_ERR_IO. */
CRED_API int cred_cli_command(struct cred_cli *cli, const char *command, int timeout_ms, char **answer);

/* printf-style cred_cli_command. */
CRED_API int cred_cli_commandf(struct cred_cli *cli, int timeout_ms, char **answer, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* cred_cli_command(cli, "<command> raw") with the value trimmed. */
CRED_API int cred_cli_raw(struct cred_cli *cli, const char *command, int timeout_ms, char **value);

/* Lower-level halves of cred_cli_command, for transfers that put raw bytes
 * on the line between a command and its answer: send one command line
 * (after discarding stale input), then read up to the next prompt. */
CRED_API int cred_cli_send(struct cred_cli *cli, const char *command);
CRED_API int cred_cli_read_answer(struct cred_cli *cli, int timeout_ms, char **answer);

/* Wait for the line to go quiet, send a bare "\n" and read to a fresh
 * prompt. Returns CRED_OK or CRED_ERR_TIMEOUT (nobody is answering). */
CRED_API int cred_cli_resync(struct cred_cli *cli);

/* Pure parsers, exposed for tests and tools. */
/* Non-zero if answer text is a rejection by the camera. */
CRED_API int cred_cli_is_rejection(const char *answer);
/* Non-zero if the command only reads (safe to resend after a timeout). */
CRED_API int cred_cli_is_read_only(const char *command);

#endif

/* What the transfer flows share (progress and cancel also with XMODEM and
 * the HTTP server): progress and cancel, keeping the
 * transfer's error across the final resync, and reading the camera's
 * verdict. */
#include "cancel-impl.h"
#include "transfer-impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int cred_xfer_cancelled(const struct xfer *x)
{
	return (x->o.cancel && *x->o.cancel) || cred_cancel_requested();
}

int cred_xfer_fail_cancelled(const char *what)
{
	return cred_fail_cancelled("%s", what);
}

int cred_xfer_progress_due(long long *last, size_t done, size_t total)
{
	long long t = cred_now_ms();

	if (done < total && t - *last < PROGRESS_MS)
		return 0;
	*last = t;
	return 1;
}

void cred_xfer_progress(struct xfer *x, size_t done, size_t total)
{
	if (x->o.progress && cred_xfer_progress_due(&x->last_progress, done, total))
		x->o.progress(done, total, x->o.progress_user);
}

/* ---- keeping the transfer's error across the resync ------------------- */

void cred_xfer_save_error(struct xfer_saved_error *s, int code)
{
	s->code = code;
	s->err = cred_last_errno();
	snprintf(s->msg, sizeof(s->msg), "%s", cred_last_error());
}

/* Put the saved message back exactly, errno included (cred_fail_errno
 * appends ": strerror(errno)" again, so that part is cut first). */
int cred_xfer_restore_error(const struct xfer_saved_error *s)
{
	if (s->err) {
		const char *e = strerror(s->err);
		size_t n = strlen(s->msg), m = strlen(e);

		if (n >= m + 2 && strcmp(s->msg + n - m, e) == 0) {
			errno = s->err;
			return cred_fail_errno("%.*s", (int)(n - m - 2), s->msg);
		}
	}
	return cred_fail(s->code, "%s", s->msg);
}

/* Resynchronise and return the transfer's result r. */
int cred_xfer_finish(struct xfer *x, int r)
{
	struct xfer_saved_error s;
	int rs;

	if (x->left_waiting)
		return r; /* cancelled mid-file: the camera is not at its prompt */
	cred_xfer_save_error(&s, r);
	cred_cancel_hold(); /* back to the prompt even after a cancel */
	rs = cred_cli_resync(x->cli);
	cred_cancel_release();
	if (r < 0) {
		if (rs < 0)
			cred_debug("transfer: resync after failure: %s", cred_last_error());
		return cred_xfer_restore_error(&s);
	}
	if (rs < 0) {
		snprintf(s.msg, sizeof(s.msg), "%s", cred_last_error());
		return cred_fail(rs, "the transfer went through, but the interpreter did not "
				 "answer afterwards: %s", s.msg);
	}
	cred_clear_error();
	return CRED_OK;
}

/* ---- answers ---------------------------------------------------------- */

/* Words that mean the camera did not take the file, beyond what
 * cred_cli_is_rejection() knows. */
int cred_xfer_says_refused(const char *answer)
{
	static const char *const words[] = { "mismatch", "invalid", "timeout", "timed out", "abort" };

	if (cred_cli_is_rejection(answer))
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(answer, words[i]))
			return 1;
	return 0;
}

int cred_xfer_fail_refused(const struct xfer *x, const char *text)
{
	char copy[900];

	/* text may be cred_last_error() itself: copy before reusing it */
	snprintf(copy, sizeof(copy), "%s", text);
	return cred_fail(CRED_ERR_FAIL, "the camera refused the %s file: %s", x->kind_name, copy);
}

/* Read and judge the camera's answer to the command just sent. *answer
 * keeps it on success. */
int cred_xfer_read_verdict(struct xfer *x, int timeout_ms, char **answer)
{
	int r = cred_cli_read_answer(x->cli, timeout_ms, answer);

	if (r == CRED_ERR_FAIL)
		return cred_xfer_fail_refused(x, cred_last_error());
	if (r < 0)
		return r;
	if (cred_xfer_says_refused(*answer)) {
		r = cred_xfer_fail_refused(x, *answer);
		free(*answer);
		*answer = NULL;
	}
	return r;
}

/* Text read straight from the port up to a prompt: strip the prompt and
 * surrounding CR/LF in place. */
char *cred_xfer_answer_text(char *buf)
{
	char *p = strstr(buf, CRED_PROMPT), *end;

	if (p)
		*p = '\0';
	while (*buf == '\r' || *buf == '\n')
		buf++;
	end = buf + strlen(buf);
	while (end > buf && (end[-1] == '\r' || end[-1] == '\n'))
		*--end = '\0';
	return buf;
}

/* Read from the port into buf (NUL-terminated, at most size-1 bytes) until
 * a prompt is in it, silence of quiet_ms after the first byte, or
 * first_ms with nothing at all. Returns the byte count or an error. */
int cred_xfer_read_until_prompt(struct xfer *x, char *buf, size_t size, int first_ms, int quiet_ms)
{
	size_t len = 0;

	buf[0] = '\0';
	while (len + 1 < size && !strstr(buf, CRED_PROMPT)) {
		int n = cred_port_read(x->port, buf + len, size - 1 - len, len ? quiet_ms : first_ms);

		if (n <= 0)
			return n < 0 ? n : (int)len;
		len += (size_t)n;
		buf[len] = '\0';
		/* NULs would hide the prompt from strstr: make them visible */
		for (size_t i = len - (size_t)n; i < len; i++)
			if (buf[i] == '\0')
				buf[i] = '?';
	}
	return (int)len;
}

/* The camera now waits for bytes that will not come: let it time out and
 * say so, so its interpreter is back before we resynchronise. */
void cred_xfer_abandon(struct xfer *x)
{
	char *ignored = NULL;
	struct xfer_saved_error s;

	cred_xfer_save_error(&s, CRED_ERR_FAIL);
	cred_cancel_hold(); /* a clean-up: it runs after a cancel too */
	if (cred_cli_read_answer(x->cli, ABANDON_MS, &ignored) == CRED_OK)
		cred_debug("transfer: camera after abandon: %s", ignored);
	cred_cancel_release();
	free(ignored);
	cred_xfer_restore_error(&s);
}

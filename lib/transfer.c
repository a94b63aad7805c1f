/* File transfers over the protocol client: the kinds, and uploads by
 * sendfile (raw) and xsendfile (XMODEM). URL uploads are in transfer-url.c,
 * downloads in transfer-recv.c; the wire assumptions are spelled out in
 * cred-transfer.h.
 *
 * Every transfer ends with cred_cli_resync(), so the interpreter is at a
 * fresh prompt whatever happened; the error reported is the transfer's. */
#include "cancel-impl.h"
#include "transfer-impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M_RAW (1u << CRED_TRANSFER_RAW)
#define M_XMODEM (1u << CRED_TRANSFER_XMODEM)
#define M_URL (1u << CRED_TRANSFER_URL)

/* Longest a piece of raw data may take to leave. */
#define WRITE_TIMEOUT_MS 10000
/* After sendfile, this long to see whether the camera answers at once
 * (a refusal) before raw bytes are sent that the interpreter would
 * otherwise take for commands. */
#define REFUSAL_WINDOW_MS 300

static const struct kind kinds[] = {
	{ "bias", M_RAW | M_XMODEM | M_URL, "getbias", 0, 0 },
	{ "bias_hdr_c1", M_RAW | M_XMODEM | M_URL, "getbias_hdr_c1", 0, 0 },
	{ "bias_hdr_c2", M_RAW | M_XMODEM | M_URL, "getbias_hdr_c2", 0, 0 },
	{ "flat", M_RAW | M_XMODEM | M_URL, "getflat", 0, 0 },
	{ "flat_hdr_c1", M_RAW | M_XMODEM | M_URL, "getflat_hdr_c1", 0, 0 },
	{ "flat_hdr_c2", M_RAW | M_XMODEM | M_URL, "getflat_hdr_c2", 0, 0 },
	{ "license", M_RAW | M_XMODEM, NULL, 1, 0 },
	{ "userbadpixel", M_RAW, NULL, 0, 1 },
	{ "testpattern", M_URL, "gettestpattern", 0, 0 },
	{ "firmware", M_URL, "exec upgradefirmware", 0, 0 },
};

static const char *const method_names[] = { "sendfile", "XMODEM", "URL" };

static const struct kind *find_kind(const char *name)
{
	for (size_t i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(name, kinds[i].name) == 0)
			return &kinds[i];
	return NULL;
}

int cred_transfer_supports(const char *kind, enum cred_transfer_method method)
{
	const struct kind *k = find_kind(kind);

	return k && (unsigned)method <= CRED_TRANSFER_URL && (k->methods & (1u << method));
}

/* Right after sendfile: an answer now means the camera refused the command
 * and is back at its prompt; the file must then not be sent. Text without
 * a prompt is taken for a notice and skipped. */
static int check_no_early_answer(struct xfer *x)
{
	char buf[1024];
	int n;

	if (cred_port_fd(x->port) < 0)
		return CRED_OK; /* cannot peek: trust the command */
	n = cred_xfer_read_until_prompt(x, buf, sizeof(buf), REFUSAL_WINDOW_MS, ANSWER_REST_MS);
	if (n <= 0)
		return n;
	cred_debug("transfer: camera said \"%s\" before the data", buf);
	if (!strstr(buf, CRED_PROMPT))
		return CRED_OK;
	if (cred_xfer_says_refused(cred_xfer_answer_text(buf)))
		return cred_xfer_fail_refused(x, cred_xfer_answer_text(buf));
	return cred_fail(CRED_ERR_PROTO, "the camera answered '%s' instead of waiting for the %s file",
			 cred_xfer_answer_text(buf), x->kind_name);
}

/* ---- uploads ---------------------------------------------------------- */

static int valid_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 64)
		return 0;
	for (; *name; name++)
		if (!isalnum((unsigned char)*name) && !strchr("._-", *name))
			return 0;
	return 1;
}

/* "sendfile KIND [NAME] SIZE MD5" or with xsendfile. */
static int transfer_command(struct xfer *x, const char *verb, const char *name, const void *data,
			    size_t len)
{
	char md5[CRED_MD5_HEX_SIZE], cmd[256];

	cred_md5_buffer(data, len, md5);
	snprintf(cmd, sizeof(cmd), "%s %s%s%s %zu %s", verb, x->kind_name, name ? " " : "",
		 name ? name : "", len, md5);
	return cred_cli_send(x->cli, cmd);
}

static int write_raw(struct xfer *x, const unsigned char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		int r;

		if (cred_xfer_cancelled(x))
			return cred_xfer_fail_cancelled("upload");
		r = cred_port_write(x->port, data + off, n, WRITE_TIMEOUT_MS);
		if (r < 0) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", cred_last_error());
			return cred_fail(r, "%s (after %zu of %zu bytes)", msg, off, len);
		}
		off += n;
		x->sent = off;
		cred_xfer_progress(x, off, len);
	}
	if (len == 0)
		cred_xfer_progress(x, 0, 0);
	return CRED_OK;
}

static int upload_raw(struct xfer *x, const char *name, const void *data, size_t len,
		      char **answer)
{
	int r = transfer_command(x, "sendfile", name, data, len);

	if (r == CRED_OK)
		r = check_no_early_answer(x);
	if (r < 0)
		return r;
	r = write_raw(x, data, len);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR) {
		/* Stopped by the user: do not sit out the camera's own wait
		 * for the rest (up to a minute at line rate); it rejects an
		 * incomplete file by itself. */
		x->left_waiting = 1;
		return r;
	}
	if (r < 0) {
		cred_xfer_abandon(x);
		return r;
	}
	r = cred_xfer_read_verdict(x, x->o.answer_timeout_ms, answer);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR)
		x->left_waiting = 1; /* the camera may still be reading what we sent */
	return r;
}

/* What the camera prints while the XMODEM sender waits for it to start:
 * kept, and a prompt in it means it answered instead. */
struct start_text {
	char buf[1024];
	size_t len;
};

static int watch_start_text(const unsigned char *bytes, size_t len, void *user)
{
	struct start_text *t = user;

	for (size_t i = 0; i < len && t->len + 1 < sizeof(t->buf); i++)
		t->buf[t->len++] = bytes[i] ? (char)bytes[i] : '?';
	t->buf[t->len] = '\0';
	return strstr(t->buf, CRED_PROMPT) != NULL;
}

/* After a failed XMODEM send: the camera's own verdict, added to our
 * message when it has one. */
static int xmodem_failed(struct xfer *x, int r)
{
	char said[512] = "", *camera = NULL;
	struct xfer_saved_error s;
	int rr;

	cred_xfer_save_error(&s, r);
	cred_cancel_hold(); /* the camera's verdict is read after a cancel too */
	rr = cred_cli_read_answer(x->cli, ABANDON_MS, &camera);
	cred_cancel_release();
	if (rr == CRED_ERR_FAIL)
		snprintf(said, sizeof(said), "%s", cred_last_error());
	else if (rr == CRED_OK && camera)
		snprintf(said, sizeof(said), "%s", camera);
	free(camera);
	if (!*said || s.err)
		return cred_xfer_restore_error(&s);
	return cred_fail(r, "%s (camera: %s)", s.msg, said);
}

/* XMODEM progress: what the camera acknowledged so far, then the caller's. */
static void xmodem_progress(size_t done, size_t total, void *user)
{
	struct xfer *x = user;

	x->sent = done;
	if (x->o.progress)
		x->o.progress(done, total, x->o.progress_user);
}

static int upload_xmodem(struct xfer *x, const char *name, const void *data, size_t len,
			 char **answer)
{
	struct start_text text = { .len = 0 };
	struct cred_xmodem_options xo = {
		.block_size = x->o.xmodem_block_size,
		.cancel = x->o.cancel,
		.progress = xmodem_progress,
		.progress_user = x,
		.on_text = watch_start_text,
		.text_user = &text,
	};
	int r = transfer_command(x, "xsendfile", name, data, len);

	if (r < 0)
		return r;
	r = cred_xmodem_send(x->port, data, len, &xo, NULL);
	if (r == CRED_ERR_FAIL && strstr(text.buf, CRED_PROMPT)) {
		const char *said = cred_xfer_answer_text(text.buf);

		if (cred_xfer_says_refused(said) || !*said)
			return cred_xfer_fail_refused(x, *said ? said : "no transfer started");
		return cred_fail(CRED_ERR_PROTO, "the camera answered '%s' instead of starting XMODEM",
				 said);
	}
	if (r < 0)
		return xmodem_failed(x, r);
	return cred_xfer_read_verdict(x, x->o.answer_timeout_ms, answer);
}

/* ---- uploads: entry point ------------------------------------------------ */

/* After an upload of userbadpixel: the camera's copy must be ours. */
static int check_readback(struct xfer *x, const void *data, size_t len)
{
	char ours[CRED_MD5_HEX_SIZE], theirs[CRED_MD5_HEX_SIZE];
	size_t size;
	int r = cred_xfer_remote_info(x, &size, theirs);

	if (r < 0)
		return r;
	cred_md5_buffer(data, len, ours);
	if (size != len || strcmp(ours, theirs) != 0)
		return cred_fail(CRED_ERR_DATA, "the camera accepted the %s file but reads back %zu "
				 "bytes with MD5 %s (sent %zu bytes, MD5 %s)", x->kind_name, size,
				 theirs, len, ours);
	return CRED_OK;
}

static int check_upload_args(const struct kind *k, const char *kind, enum cred_transfer_method m,
			     const char *name, const void *data, size_t len)
{
	if (!k)
		return cred_fail(CRED_ERR_ARG, "cannot upload '%s' (bias, flat, bias_hdr_c1, "
				 "bias_hdr_c2, flat_hdr_c1, flat_hdr_c2, license, userbadpixel, "
				 "testpattern, firmware)", kind ? kind : "");
	if ((unsigned)m > CRED_TRANSFER_URL)
		return cred_fail(CRED_ERR_ARG, "unknown transfer method %d", (int)m);
	if (!(k->methods & (1u << m)))
		return cred_fail(CRED_ERR_SUPP, "a %s file cannot be uploaded by %s", kind,
				 method_names[m]);
	if (k->named && !valid_name(name))
		return cred_fail(CRED_ERR_ARG, "a %s needs a name of 1 to 64 letters, digits, '.', "
				 "'_' or '-', not '%s'", kind, name ? name : "");
	if (!data && len)
		return cred_fail(CRED_ERR_ARG, "no data");
	return CRED_OK;
}

int cred_transfer_upload(struct cred_cli *cli, enum cred_transfer_method method, const char *kind,
			 const char *name, const void *data, size_t len,
			 const struct cred_transfer_options *opts, char **answer)
{
	struct xfer x = { .cli = cli, .kind = find_kind(kind), .kind_name = kind };
	char *ans = NULL;
	int r;

	if (answer)
		*answer = NULL;
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	r = check_upload_args(x.kind, kind, method, name, data, len);
	if (r < 0)
		return r;
	if (opts)
		x.o = *opts;
	x.port = cred_cli_port(cli);
	/* One exchange from the command to the read-back: no other process
	 * may use the line in between (cred-port.h). */
	if ((r = cred_port_hold(x.port)) < 0)
		return r;
	if (method == CRED_TRANSFER_RAW)
		r = upload_raw(&x, x.kind->named ? name : NULL, data, len, &ans);
	else if (method == CRED_TRANSFER_XMODEM)
		r = upload_xmodem(&x, x.kind->named ? name : NULL, data, len, &ans);
	else
		r = cred_xfer_upload_url(&x, name, data, len, &ans);
	if (r == CRED_OK && x.kind->readback)
		r = check_readback(&x, data, len);
	r = cred_xfer_finish(&x, r);
	if (opts && opts->sent)
		*opts->sent = x.sent;
	cred_port_release(x.port);
	if (r == CRED_OK && answer)
		*answer = ans;
	else
		free(ans);
	return r;
}

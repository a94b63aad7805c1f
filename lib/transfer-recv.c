/* Downloads: recvfile KIND size / md5sum / content, verified. */
#include "transfer-impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* recvfile content: longest silence between bytes. */
#define IDLE_MS 5000
/* The largest file a download takes: a bad-pixel map is a few hundred
 * KiB, and a size announced by the camera is allocated before any byte
 * comes, so a garbled "Size:" must not ask for terabytes. */
#define MAX_DOWNLOAD ((size_t)64 << 20)

static const char *const download_kinds[] = { "userbadpixel", "factbadpixel" };

static int find_download_kind(const char *kind)
{
	for (size_t i = 0; kind && i < sizeof(download_kinds) / sizeof(download_kinds[0]); i++)
		if (strcmp(kind, download_kinds[i]) == 0)
			return CRED_OK;
	return cred_fail(CRED_ERR_ARG, "cannot download '%s' (userbadpixel, factbadpixel)",
			 kind ? kind : "");
}

/* The last decimal number in an answer ("Size: 40960", "40960 bytes"). */
static int parse_size(const char *answer, size_t *size)
{
	const char *p = answer + strlen(answer), *end;
	unsigned long long v = 0;

	while (p > answer && !isdigit((unsigned char)p[-1]))
		p--;
	end = p;
	while (p > answer && isdigit((unsigned char)p[-1]))
		p--;
	if (p == end || end - p > 12)
		return CRED_ERR_PROTO;
	for (; p < end; p++)
		v = v * 10 + (unsigned)(*p - '0');
	*size = (size_t)v;
	return CRED_OK;
}

/* A run of exactly 32 hex digits, lowered. */
static int parse_md5(const char *answer, char md5[CRED_MD5_HEX_SIZE])
{
	for (const char *p = answer; *p; p++) {
		size_t n = 0;

		if (p > answer && isxdigit((unsigned char)p[-1]))
			continue;
		while (isxdigit((unsigned char)p[n]))
			n++;
		if (n == 32) {
			for (size_t i = 0; i < 32; i++)
				md5[i] = (char)tolower((unsigned char)p[i]);
			md5[32] = '\0';
			return CRED_OK;
		}
	}
	return CRED_ERR_PROTO;
}

static int ask(struct xfer *x, const char *what, char **answer)
{
	int r = cred_cli_commandf(x->cli, 0, answer, "recvfile %s %s", x->kind_name, what);

	if (r == CRED_ERR_FAIL) {
		char msg[900];

		snprintf(msg, sizeof(msg), "%s", cred_last_error());
		return cred_fail(CRED_ERR_FAIL, "recvfile %s %s: %s", x->kind_name, what, msg);
	}
	return r;
}

int cred_xfer_remote_info(struct xfer *x, size_t *size, char md5[CRED_MD5_HEX_SIZE])
{
	char *answer = NULL;
	int r = ask(x, "size", &answer);

	if (r == CRED_OK && parse_size(answer, size) < 0)
		r = cred_fail(CRED_ERR_PROTO, "recvfile %s size: no size in the answer '%s'",
			      x->kind_name, answer);
	free(answer);
	answer = NULL;
	if (r == CRED_OK)
		r = ask(x, "md5sum", &answer);
	if (r == CRED_OK && parse_md5(answer, md5) < 0)
		r = cred_fail(CRED_ERR_PROTO, "recvfile %s md5sum: no MD5 in the answer '%s'",
			      x->kind_name, answer);
	free(answer);
	return r;
}

int cred_transfer_remote_info(struct cred_cli *cli, const char *kind, size_t *size,
			      char md5[CRED_MD5_HEX_SIZE])
{
	struct xfer x = { .cli = cli, .kind_name = kind };
	int r;

	*size = 0;
	md5[0] = '\0';
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if ((r = find_download_kind(kind)) < 0)
		return r;
	x.port = cred_cli_port(cli);
	r = cred_xfer_remote_info(&x, size, md5);
	if (r < 0) {
		*size = 0;
		md5[0] = '\0';
	}
	return r;
}

/* Fewer bytes than announced came: if they end in a prompt, the camera
 * answered instead of sending the file; say what it said. */
static int short_content(struct xfer *x, unsigned char *buf, size_t got, size_t size)
{
	size_t from = got > 512 ? got - 512 : 0;
	char text[520];

	memcpy(text, buf + from, got - from);
	text[got - from] = '\0';
	for (size_t i = 0; i < got - from; i++)
		if (!text[i])
			text[i] = '?';
	if (got && strstr(text, CRED_PROMPT) && got < size) {
		const char *said = cred_xfer_answer_text(text);

		if (cred_cli_is_rejection(said))
			return cred_fail(CRED_ERR_FAIL, "recvfile %s content: %s", x->kind_name, said);
	}
	return cred_fail(CRED_ERR_TIMEOUT, "recvfile %s content: received %zu of %zu bytes",
			 x->kind_name, got, size);
}

static int read_content(struct xfer *x, unsigned char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		int n;

		if (cred_xfer_cancelled(x))
			return cred_xfer_fail_cancelled("download");
		n = cred_port_read(x->port, buf + got, size - got < CHUNK ? size - got : CHUNK, IDLE_MS);
		if (n < 0)
			return n;
		if (n == 0)
			return short_content(x, buf, got, size);
		got += (size_t)n;
		cred_xfer_progress(x, got, size);
	}
	if (size == 0)
		cred_xfer_progress(x, 0, 0);
	return CRED_OK;
}

/* After the bytes: "\r\nfli-cli>" and nothing else. (Read here rather than
 * with cred_cli_read_answer, which takes a bare prompt for a stale one.) */
static int read_trailer(struct xfer *x)
{
	char buf[256];
	int n = cred_xfer_read_until_prompt(x, buf, sizeof(buf), IDLE_MS, ANSWER_REST_MS);

	if (n < 0)
		return n;
	if (!strstr(buf, CRED_PROMPT))
		return cred_fail(CRED_ERR_PROTO, "recvfile %s content: no prompt after the %s",
				 x->kind_name, n ? "file" : "file (the camera went quiet)");
	if (*cred_xfer_answer_text(buf))
		return cred_fail(CRED_ERR_PROTO, "recvfile %s content: unexpected text after the file: '%s'",
				 x->kind_name, cred_xfer_answer_text(buf));
	return CRED_OK;
}

static int verify_content(struct xfer *x, const unsigned char *buf, size_t size,
			  const char md5[CRED_MD5_HEX_SIZE])
{
	char got[CRED_MD5_HEX_SIZE];

	cred_md5_buffer(buf, size, got);
	if (strcmp(got, md5) != 0)
		return cred_fail(CRED_ERR_DATA, "recvfile %s content: MD5 %s, but the camera "
				 "announced %s", x->kind_name, got, md5);
	return CRED_OK;
}

static int download(struct xfer *x, unsigned char **data, size_t *len)
{
	char md5[CRED_MD5_HEX_SIZE], cmd[64];
	size_t size;
	unsigned char *buf;
	int r = cred_xfer_remote_info(x, &size, md5);

	if (r < 0)
		return r;
	if (size > MAX_DOWNLOAD)
		return cred_fail(CRED_ERR_PROTO, "recvfile %s size: the camera announces %zu bytes, "
				 "more than a %s file can be (at most %zu)", x->kind_name, size,
				 x->kind_name, MAX_DOWNLOAD);
	if (!(buf = malloc(size ? size : 1)))
		return cred_fail(CRED_ERR_MEM, "out of memory for %zu bytes", size);
	snprintf(cmd, sizeof(cmd), "recvfile %s content", x->kind_name);
	r = cred_cli_send(x->cli, cmd);
	if (r == CRED_OK)
		r = read_content(x, buf, size);
	if (r == CRED_OK)
		r = verify_content(x, buf, size, md5);
	if (r == CRED_OK)
		r = read_trailer(x);
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR) {
		/* Stopped by the user: the rest may take as long as the whole
		 * file at line rate; it is not waited for (nor a resync tried
		 * through it). The next client skips it as stale data. */
		x->left_waiting = 1;
		free(buf);
		return r;
	}
	if (r < 0) {
		struct xfer_saved_error s;

		/* the rest of the file may still be coming: let it pass */
		cred_xfer_save_error(&s, r);
		cred_port_drain(x->port, 500, NULL);
		free(buf);
		return cred_xfer_restore_error(&s);
	}
	*data = buf;
	*len = size;
	return CRED_OK;
}

int cred_transfer_download(struct cred_cli *cli, const char *kind,
			   const struct cred_transfer_options *opts, void **data, size_t *len)
{
	struct xfer x = { .cli = cli, .kind_name = kind };
	unsigned char *buf = NULL;
	int r;

	*data = NULL;
	*len = 0;
	cred_clear_error();
	if (!cli)
		return cred_fail(CRED_ERR_ARG, "no client");
	if ((r = find_download_kind(kind)) < 0)
		return r;
	if (opts)
		x.o = *opts;
	x.port = cred_cli_port(cli);
	/* One exchange, the size and MD5 questions included (cred-port.h). */
	if ((r = cred_port_hold(x.port)) < 0)
		return r;
	r = download(&x, &buf, len);
	/* A size or MD5 answer cut on the line shows as a mismatch: the
	 * download only reads, so it is asked for once more (strict answers). */
	if (r == CRED_ERR_DATA && !cred_xfer_cancelled(&x))
		r = download(&x, &buf, len);
	r = cred_xfer_finish(&x, r);
	cred_port_release(x.port);
	if (r < 0) {
		free(buf);
		*len = 0;
		return r;
	}
	*data = buf;
	return CRED_OK;
}

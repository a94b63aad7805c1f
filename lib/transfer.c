/* File transfers over the protocol client: sendfile (raw), xsendfile
 * (XMODEM), get* URL (our one-shot HTTP server) and recvfile. The wire
 * assumptions are spelled out in cred-transfer.h.
 *
 * Every transfer ends with cred_cli_resync(), so the interpreter is at a
 * fresh prompt whatever happened; the error reported is the transfer's. */
#include "cred-transfer.h"
#include "port-impl.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#define M_RAW (1u << CRED_TRANSFER_RAW)
#define M_XMODEM (1u << CRED_TRANSFER_XMODEM)
#define M_URL (1u << CRED_TRANSFER_URL)

/* Raw data goes out in pieces this big, so progress and the cancel flag
 * are seen often (a piece takes 89 ms at 115200 baud). */
#define CHUNK 1024
/* Longest a piece may take to leave. */
#define WRITE_TIMEOUT_MS 10000
/* After sendfile, this long to see whether the camera answers at once
 * (a refusal) before raw bytes are sent that the interpreter would
 * otherwise take for commands. */
#define REFUSAL_WINDOW_MS 300
/* How long an answer may take to reach its prompt once it has started. */
#define ANSWER_REST_MS 1000
/* recvfile content: longest silence between bytes. */
#define IDLE_MS 5000
/* Waiting for the camera's verdict after giving up half way (it first
 * waits for the bytes that will not come). */
#define ABANDON_MS 30000
/* URL commands: default answer timeouts. */
#define URL_TIMEOUT_MS 60000
#define FIRMWARE_TIMEOUT_MS 600000
#define PROGRESS_MS 200

struct kind {
	const char *name;
	unsigned methods;
	const char *url_command; /* "getbias", "exec upgradefirmware" */
	int named;               /* the command takes a file name (license) */
	int readback;            /* verify with recvfile KIND md5sum afterwards */
};

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

static const char *const download_kinds[] = { "userbadpixel", "factbadpixel" };

static const char *const method_names[] = { "sendfile", "XMODEM", "URL" };

/* One transfer in progress. */
struct xfer {
	struct cred_cli *cli;
	struct cred_port *port;
	const struct kind *kind;
	const char *kind_name;
	struct cred_transfer_options o;
	long long last_progress;
};

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int cancelled(const struct xfer *x)
{
	return x->o.cancel && *x->o.cancel;
}

static int fail_cancelled(const char *what)
{
	errno = EINTR;
	return cred_fail_errno("%s interrupted", what);
}

static void progress(struct xfer *x, size_t done, size_t total)
{
	long long t = now_ms();

	if (!x->o.progress || (done < total && t - x->last_progress < PROGRESS_MS))
		return;
	x->last_progress = t;
	x->o.progress(done, total, x->o.progress_user);
}

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

/* ---- keeping the transfer's error across the resync ------------------- */

struct saved_error {
	int code, err;
	char msg[1024];
};

static void save_error(struct saved_error *s, int code)
{
	s->code = code;
	s->err = cred_last_errno();
	snprintf(s->msg, sizeof(s->msg), "%s", cred_last_error());
}

/* Put the saved message back exactly, errno included (cred_fail_errno
 * appends ": strerror(errno)" again, so that part is cut first). */
static int restore_error(const struct saved_error *s)
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
static int finish(struct xfer *x, int r)
{
	struct saved_error s;
	int rs;

	save_error(&s, r);
	rs = cred_cli_resync(x->cli);
	if (r < 0) {
		if (rs < 0)
			cred_debug("transfer: resync after failure: %s", cred_last_error());
		return restore_error(&s);
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
static int says_refused(const char *answer)
{
	static const char *const words[] = { "mismatch", "invalid", "timeout", "timed out", "abort" };

	if (cred_cli_is_rejection(answer))
		return 1;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasestr(answer, words[i]))
			return 1;
	return 0;
}

static int fail_refused(const struct xfer *x, const char *text)
{
	char copy[900];

	/* text may be cred_last_error() itself: copy before reusing it */
	snprintf(copy, sizeof(copy), "%s", text);
	return cred_fail(CRED_ERR_FAIL, "the camera refused the %s file: %s", x->kind_name, copy);
}

/* Read and judge the camera's answer to the command just sent. *answer
 * keeps it on success. */
static int read_verdict(struct xfer *x, int timeout_ms, char **answer)
{
	int r = cred_cli_read_answer(x->cli, timeout_ms, answer);

	if (r == CRED_ERR_FAIL)
		return fail_refused(x, cred_last_error());
	if (r < 0)
		return r;
	if (says_refused(*answer)) {
		r = fail_refused(x, *answer);
		free(*answer);
		*answer = NULL;
	}
	return r;
}

/* Text read straight from the port up to a prompt: strip the prompt and
 * surrounding CR/LF in place. */
static char *answer_text(char *buf)
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
static int read_until_prompt(struct xfer *x, char *buf, size_t size, int first_ms, int quiet_ms)
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

/* Right after sendfile: an answer now means the camera refused the command
 * and is back at its prompt; the file must then not be sent. Text without
 * a prompt is taken for a notice and skipped. */
static int check_no_early_answer(struct xfer *x)
{
	char buf[1024];
	int n;

	if (x->port->read_fd < 0)
		return CRED_OK; /* cannot peek: trust the command */
	n = read_until_prompt(x, buf, sizeof(buf), REFUSAL_WINDOW_MS, ANSWER_REST_MS);
	if (n <= 0)
		return n;
	cred_debug("transfer: camera said \"%s\" before the data", buf);
	if (!strstr(buf, CRED_PROMPT))
		return CRED_OK;
	if (says_refused(answer_text(buf)))
		return fail_refused(x, answer_text(buf));
	return cred_fail(CRED_ERR_PROTO, "the camera answered '%s' instead of waiting for the %s file",
			 answer_text(buf), x->kind_name);
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

/* The camera now waits for bytes that will not come: let it time out and
 * say so, so its interpreter is back before we resynchronise. */
static void abandon(struct xfer *x)
{
	char *ignored = NULL;
	struct saved_error s;

	save_error(&s, CRED_ERR_FAIL);
	if (cred_cli_read_answer(x->cli, ABANDON_MS, &ignored) == CRED_OK)
		cred_debug("transfer: camera after abandon: %s", ignored);
	free(ignored);
	restore_error(&s);
}

static int write_raw(struct xfer *x, const unsigned char *data, size_t len)
{
	for (size_t off = 0; off < len;) {
		size_t n = len - off < CHUNK ? len - off : CHUNK;
		int r;

		if (cancelled(x))
			return fail_cancelled("upload");
		r = cred_port_write(x->port, data + off, n, WRITE_TIMEOUT_MS);
		if (r < 0) {
			char msg[512];

			snprintf(msg, sizeof(msg), "%s", cred_last_error());
			return cred_fail(r, "%s (after %zu of %zu bytes)", msg, off, len);
		}
		off += n;
		progress(x, off, len);
	}
	if (len == 0)
		progress(x, 0, 0);
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
	if (r < 0) {
		abandon(x);
		return r;
	}
	return read_verdict(x, x->o.answer_timeout_ms, answer);
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
	struct saved_error s;
	int rr;

	save_error(&s, r);
	rr = cred_cli_read_answer(x->cli, ABANDON_MS, &camera);
	if (rr == CRED_ERR_FAIL)
		snprintf(said, sizeof(said), "%s", cred_last_error());
	else if (rr == CRED_OK && camera)
		snprintf(said, sizeof(said), "%s", camera);
	free(camera);
	if (!*said || s.err)
		return restore_error(&s);
	return cred_fail(r, "%s (camera: %s)", s.msg, said);
}

static int upload_xmodem(struct xfer *x, const char *name, const void *data, size_t len,
			 char **answer)
{
	struct start_text text = { .len = 0 };
	struct cred_xmodem_options xo = {
		.block_size = x->o.xmodem_block_size,
		.cancel = x->o.cancel,
		.progress = x->o.progress,
		.progress_user = x->o.progress_user,
		.on_text = watch_start_text,
		.text_user = &text,
	};
	int r = transfer_command(x, "xsendfile", name, data, len);

	if (r < 0)
		return r;
	r = cred_xmodem_send(x->port, data, len, &xo, NULL);
	if (r == CRED_ERR_FAIL && strstr(text.buf, CRED_PROMPT)) {
		const char *said = answer_text(text.buf);

		if (says_refused(said) || !*said)
			return fail_refused(x, *said ? said : "no transfer started");
		return cred_fail(CRED_ERR_PROTO, "the camera answered '%s' instead of starting XMODEM",
				 said);
	}
	if (r < 0)
		return xmodem_failed(x, r);
	return read_verdict(x, x->o.answer_timeout_ms, answer);
}

/* ---- URL uploads -------------------------------------------------------- */

/* The address of our end of a TCP connection to the camera: an address
 * the camera can reach us at. */
static int local_address(struct xfer *x, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const void *addr = NULL;

	if (x->port->read_fd >= 0 && getsockname(x->port->read_fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET) {
			addr = &((struct sockaddr_in *)&ss)->sin_addr;
		} else if (ss.ss_family == AF_INET6) {
			struct in6_addr *a6 = &((struct sockaddr_in6 *)&ss)->sin6_addr;

			if (IN6_IS_ADDR_V4MAPPED(a6)) {
				addr = &a6->s6_addr[12];
				ss.ss_family = AF_INET;
			} else {
				addr = a6;
			}
		}
	}
	if (!addr || !inet_ntop(ss.ss_family, addr, buf, (socklen_t)size))
		return cred_fail(CRED_ERR_ARG, "%s is not a network connection: say which address of "
				 "this computer the camera can fetch the file from",
				 cred_port_name(x->port));
	return CRED_OK;
}

/* Wait for the camera to start answering, reporting how much it fetched.
 * Returns CRED_OK (something arrived, or the port cannot be watched),
 * CRED_ERR_TIMEOUT, CRED_ERR_IO (EINTR when cancelled). */
static int wait_url_answer(struct xfer *x, struct cred_http *http, size_t len, long long deadline)
{
	size_t reported = (size_t)-1;

	while (x->port->read_fd >= 0) {
		struct pollfd pfd = { .fd = x->port->read_fd, .events = POLLIN };
		size_t done = cred_http_bytes_served(http);
		int r;

		if (done != reported) {
			progress(x, done, len);
			reported = done;
		}
		if (cancelled(x))
			return fail_cancelled("upload");
		if (now_ms() >= deadline)
			return cred_fail(CRED_ERR_TIMEOUT, "the camera did not answer within %d ms "
					 "(it fetched %zu of %zu bytes)", x->o.answer_timeout_ms,
					 done, len);
		r = poll(&pfd, 1, 100);
		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			return cred_fail_errno("%s: poll", cred_port_name(x->port));
	}
	return CRED_OK;
}

/* The camera said yes: check it really fetched every byte. */
static int check_fetched(struct xfer *x, struct cred_http *http, size_t len)
{
	/* Its answer can overtake our completion notice by a moment. */
	if (!cred_http_served(http) && cred_http_wait(http, 2000, NULL, NULL, NULL) < 0 &&
	    !cred_http_served(http))
		return cred_fail(CRED_ERR_DATA, "the camera accepted the %s file but fetched only "
				 "%zu of %zu bytes from %s", x->kind_name,
				 cred_http_bytes_served(http), len, cred_http_url(http));
	progress(x, len, len);
	return CRED_OK;
}

static int url_timeout(const struct xfer *x)
{
	if (x->o.answer_timeout_ms > 0)
		return x->o.answer_timeout_ms;
	return strcmp(x->kind->name, "firmware") == 0 ? FIRMWARE_TIMEOUT_MS : URL_TIMEOUT_MS;
}

static int upload_url(struct xfer *x, const char *name, const void *data, size_t len,
		      char **answer)
{
	char host[INET6_ADDRSTRLEN], cmd[512];
	struct cred_http_options ho = { .port = x->o.http_port, .filename = name ? name : x->kind_name };
	struct cred_http *http;
	long long deadline;
	int r;

	x->o.answer_timeout_ms = url_timeout(x);
	if (x->o.http_host)
		snprintf(host, sizeof(host), "%s", x->o.http_host);
	else if ((r = local_address(x, host, sizeof(host))) < 0)
		return r;
	ho.bind_address = ho.url_host = host;
	r = cred_http_new(data, len, &ho, &http);
	if (r < 0)
		return r;
	snprintf(cmd, sizeof(cmd), "%s %s", x->kind->url_command, cred_http_url(http));
	deadline = now_ms() + x->o.answer_timeout_ms;
	r = cred_cli_send(x->cli, cmd);
	if (r == CRED_OK)
		r = wait_url_answer(x, http, len, deadline);
	if (r == CRED_OK) {
		long long left = deadline - now_ms();

		r = read_verdict(x, left > ANSWER_REST_MS ? (int)left : ANSWER_REST_MS, answer);
	} else if (r == CRED_ERR_IO && cred_last_errno() == EINTR) {
		cred_http_wait(http, 0, NULL, NULL, NULL); /* stop serving: its fetch fails */
		abandon(x);
	}
	if (r == CRED_OK && (r = check_fetched(x, http, len)) < 0) {
		free(*answer);
		*answer = NULL;
	}
	cred_http_free(http);
	return r;
}

/* ---- uploads: entry point ------------------------------------------------ */

/* After an upload of userbadpixel: the camera's copy must be ours. */
static int remote_info(struct xfer *x, size_t *size, char md5[CRED_MD5_HEX_SIZE]);

static int check_readback(struct xfer *x, const void *data, size_t len)
{
	char ours[CRED_MD5_HEX_SIZE], theirs[CRED_MD5_HEX_SIZE];
	size_t size;
	int r = remote_info(x, &size, theirs);

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
	if (method == CRED_TRANSFER_RAW)
		r = upload_raw(&x, x.kind->named ? name : NULL, data, len, &ans);
	else if (method == CRED_TRANSFER_XMODEM)
		r = upload_xmodem(&x, x.kind->named ? name : NULL, data, len, &ans);
	else
		r = upload_url(&x, name, data, len, &ans);
	if (r == CRED_OK && x.kind->readback)
		r = check_readback(&x, data, len);
	r = finish(&x, r);
	if (r == CRED_OK && answer)
		*answer = ans;
	else
		free(ans);
	return r;
}

/* ---- downloads -------------------------------------------------------- */

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

static int remote_info(struct xfer *x, size_t *size, char md5[CRED_MD5_HEX_SIZE])
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
	r = remote_info(&x, size, md5);
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
		const char *said = answer_text(text);

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

		if (cancelled(x))
			return fail_cancelled("download");
		n = cred_port_read(x->port, buf + got, size - got < CHUNK ? size - got : CHUNK, IDLE_MS);
		if (n < 0)
			return n;
		if (n == 0)
			return short_content(x, buf, got, size);
		got += (size_t)n;
		progress(x, got, size);
	}
	if (size == 0)
		progress(x, 0, 0);
	return CRED_OK;
}

/* After the bytes: "\r\nfli-cli>" and nothing else. (Read here rather than
 * with cred_cli_read_answer, which takes a bare prompt for a stale one.) */
static int read_trailer(struct xfer *x)
{
	char buf[256];
	int n = read_until_prompt(x, buf, sizeof(buf), IDLE_MS, ANSWER_REST_MS);

	if (n < 0)
		return n;
	if (!strstr(buf, CRED_PROMPT))
		return cred_fail(CRED_ERR_PROTO, "recvfile %s content: no prompt after the %s",
				 x->kind_name, n ? "file" : "file (the camera went quiet)");
	if (*answer_text(buf))
		return cred_fail(CRED_ERR_PROTO, "recvfile %s content: unexpected text after the file: '%s'",
				 x->kind_name, answer_text(buf));
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
	int r = remote_info(x, &size, md5);

	if (r < 0)
		return r;
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
	if (r < 0) {
		struct saved_error s;

		/* the rest of the file may still be coming: let it pass */
		save_error(&s, r);
		cred_port_drain(x->port, 500, NULL);
		free(buf);
		return restore_error(&s);
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
	r = finish(&x, download(&x, &buf, len));
	if (r < 0) {
		free(buf);
		*len = 0;
		return r;
	}
	*data = buf;
	return CRED_OK;
}

/* sendfile / xsendfile / get* URL uploads and recvfile downloads through
 * the real protocol client, against a fake camera thread on the far end of
 * a socketpair (or a loopback TCP connection, for URLs). The fake keeps
 * the wire contract written in cred-transfer.h: raw bytes right after
 * sendfile, an XMODEM-CRC receiver after xsendfile, raw content followed
 * by "\r\nfli-cli>" for recvfile, an HTTP GET for get*. Knobs make it
 * misbehave the ways a camera or a line can. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred.h"
#include "test-helpers.h"


/* ---- the fake camera ------------------------------------------------------ */

struct file {
	char kind[32];
	unsigned char *data;
	size_t len;
};

struct cam {
	int fd;
	pthread_t thread;
	/* knobs */
	int corrupt_upload;        /* flip a received byte: the MD5 check fails */
	const char *upload_answer; /* answer to a good upload (default "Result: OK") */
	int refuse_command;        /* answer sendfile/xsendfile at once with an error */
	int silent_after_data;     /* never answer an upload */
	int idle_ms;               /* give up waiting for upload bytes (default 10 s) */
	const char *xmodem_preamble;
	int xmodem_cancel_at;      /* send CAN CAN instead of ACK for this block */
	int keep_old_bpm;          /* accept a userbadpixel upload but keep the old map */
	int content_flip;          /* recvfile content: one byte wrong */
	int content_header;        /* recvfile content: "\r\n" before the bytes */
	const char *content_refuse;/* recvfile content: answer this text instead */
	const char *size_answer;   /* recvfile size: answer this text instead */
	int url_no_fetch;          /* answer OK without fetching */
	const char *url_answer;    /* answer after the fetch (default "Result: OK") */
	/* state */
	struct file files[8];
	int nfiles;
	char log[64][600];
	int nlog;
	int blank_lines;           /* bare "\n": resynchronisations */
	size_t raw_received;
};

static struct file *file_get(struct cam *c, const char *kind)
{
	for (int i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].kind, kind) == 0)
			return &c->files[i];
	return NULL;
}

static void file_put(struct cam *c, const char *kind, const unsigned char *data, size_t len)
{
	struct file *f = file_get(c, kind);

	if (!f) {
		f = &c->files[c->nfiles++];
		snprintf(f->kind, sizeof(f->kind), "%s", kind);
	}
	free(f->data);
	f->data = malloc(len ? len : 1);
	memcpy(f->data, data, len);
	f->len = len;
}

/* Read exactly n bytes within idle_ms of silence; the count read. */
static size_t cam_read(struct cam *c, void *buf, size_t n, int idle_ms)
{
	size_t got = 0;

	while (got < n) {
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		ssize_t r;

		if (poll(&pfd, 1, idle_ms) <= 0)
			break;
		r = read(c->fd, (char *)buf + got, n - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

static void cam_write(struct cam *c, const void *buf, size_t n)
{
	if (write(c->fd, buf, n) != (ssize_t)n)
		return; /* the client went away: the test will say so */
}

static void answer(struct cam *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 16, fmt, ap);
	va_end(ap);
	memcpy(buf + n, "\r\nfli-cli>", 10);
	cam_write(c, buf, (size_t)n + 10);
}

/* A command line; 0 at end of input. */
static int read_line(struct cam *c, char *line, size_t size)
{
	size_t n = 0;
	char ch;

	for (;;) {
		if (cam_read(c, &ch, 1, 60000) != 1)
			return 0;
		if (ch == '\n')
			break;
		if (ch != '\r' && n + 1 < size)
			line[n++] = ch;
	}
	line[n] = '\0';
	return 1;
}

/* Judge received bytes like the camera: MD5, then store. */
static void accept_upload(struct cam *c, const char *kind, unsigned char *data, size_t len,
			  const char *md5)
{
	char got[CRED_MD5_HEX_SIZE];

	if (c->corrupt_upload && len)
		data[len / 2] ^= 0x40;
	cred_md5_buffer(data, len, got);
	if (strcmp(got, md5) != 0) {
		answer(c, "Error: sendfile %s: MD5 mismatch (expected %s, received %s)", kind, md5, got);
		return;
	}
	if (c->silent_after_data)
		return;
	if (!(c->keep_old_bpm && strcmp(kind, "userbadpixel") == 0))
		file_put(c, kind, data, len);
	answer(c, "%s", c->upload_answer ? c->upload_answer : "Result: OK");
}

/* "KIND [NAME] SIZE MD5" after the verb. */
static int parse_upload(const char *args, char *kind, size_t *size, char *md5)
{
	char a[33], b[33], d[33], e[33];
	int n = sscanf(args, "%32s %32s %32s %32s", a, b, d, e);

	if (n == 4 && strcmp(a, "license") == 0) {
		snprintf(kind, 64, "license:%s", b);
		*size = strtoul(d, NULL, 10);
		snprintf(md5, 33, "%s", e);
		return 0;
	}
	if (n != 3)
		return -1;
	snprintf(kind, 64, "%s", a);
	*size = strtoul(b, NULL, 10);
	snprintf(md5, 33, "%s", d);
	return 0;
}

static void do_sendfile(struct cam *c, const char *args)
{
	char kind[64], md5[33];
	size_t size, got;
	unsigned char *buf;

	if (parse_upload(args, kind, &size, md5) < 0 || c->refuse_command) {
		answer(c, "Error: invalid sendfile arguments");
		return;
	}
	buf = malloc(size ? size : 1);
	got = cam_read(c, buf, size, c->idle_ms ? c->idle_ms : 10000);
	c->raw_received += got;
	if (got < size)
		answer(c, "Error: sendfile %s: timeout, received %zu of %zu bytes", kind, got, size);
	else
		accept_upload(c, kind, buf, size, md5);
	free(buf);
}

/* An XMODEM-CRC receiver; returns the bytes received or NULL (answered). */
static unsigned char *xmodem_receive(struct cam *c, const char *kind, size_t *len)
{
	unsigned char *buf = malloc(1 << 21), b[1030], head;
	unsigned next = 1, blocks = 0;

	*len = 0;
	if (c->xmodem_preamble)
		cam_write(c, c->xmodem_preamble, strlen(c->xmodem_preamble));
	cam_write(c, "C", 1);
	while (cam_read(c, &head, 1, 10000) == 1) {
		size_t size = head == STX ? 1024 : 128;

		if (head == EOT) {
			cam_write(c, "\x06", 1);
			return buf;
		}
		if (head == CAN) {
			answer(c, "Error: xsendfile %s: cancelled by the sender", kind);
			free(buf);
			return NULL;
		}
		if ((head != SOH && head != STX) || cam_read(c, b, size + 4, 10000) != size + 4)
			break;
		if (crc16_ref(b + 2, size) != (unsigned)(b[2 + size] << 8 | b[3 + size])) {
			cam_write(c, "\x15", 1);
			continue;
		}
		if (++blocks == (unsigned)c->xmodem_cancel_at) {
			cam_write(c, "\x18\x18", 2);
			answer(c, "Error: xsendfile %s: transfer cancelled", kind);
			free(buf);
			return NULL;
		}
		if (b[0] == (next & 0xff)) {
			memcpy(buf + *len, b + 2, size);
			*len += size;
			next++;
		}
		cam_write(c, "\x06", 1);
	}
	answer(c, "Error: xsendfile %s: transfer failed", kind);
	free(buf);
	return NULL;
}

static void do_xsendfile(struct cam *c, const char *args)
{
	char kind[64], md5[33];
	size_t size, got;
	unsigned char *buf;

	if (parse_upload(args, kind, &size, md5) < 0 || c->refuse_command) {
		answer(c, "Error: Cannot receive: no space left for %s", args);
		return;
	}
	buf = xmodem_receive(c, kind, &got);
	if (!buf)
		return;
	c->raw_received += got;
	if (got < size)
		answer(c, "Error: xsendfile %s: short file", kind);
	else
		accept_upload(c, kind, buf, size, md5); /* the padding is cut off */
	free(buf);
}

static void do_recvfile(struct cam *c, const char *args)
{
	char kind[32], what[32];
	char md5[CRED_MD5_HEX_SIZE];
	struct file *f;

	if (sscanf(args, "%31s %31s", kind, what) != 2 || !(f = file_get(c, kind))) {
		answer(c, "Error: no such file");
		return;
	}
	if (strcmp(what, "size") == 0 && c->size_answer) {
		answer(c, "%s", c->size_answer);
	} else if (strcmp(what, "size") == 0) {
		answer(c, "Size: %zu", f->len);
	} else if (strcmp(what, "md5sum") == 0) {
		cred_md5_buffer(f->data, f->len, md5);
		for (char *p = md5; *p; p++)
			*p = (char)(*p >= 'a' ? *p - 32 : *p); /* upper case: the client lowers it */
		answer(c, "MD5: %s", md5);
	} else if (c->content_refuse) {
		answer(c, "%s", c->content_refuse);
	} else {
		unsigned char *copy = malloc(f->len + 1);

		memcpy(copy, f->data, f->len);
		if (c->content_flip && f->len)
			copy[f->len - 1] ^= 1;
		if (c->content_header)
			cam_write(c, "\r\n", 2);
		cam_write(c, copy, f->len);
		cam_write(c, "\r\nfli-cli>", 10);
		free(copy);
	}
}

/* GET a URL "http://127.0.0.1:PORT/PATH"; the body, or NULL. */
static unsigned char *http_fetch(const char *url, size_t *len)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	char path[256], req[400];
	size_t cap = 1 << 22, got = 0;
	unsigned char *buf, *body;
	int port, fd;
	ssize_t n;

	if (sscanf(url, "http://127.0.0.1:%d%255s", &port, path) != 2)
		return NULL;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return NULL;
	}
	snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", path);
	n = write(fd, req, strlen(req));
	buf = malloc(cap);
	while (n > 0 && got < cap && (n = read(fd, buf + got, cap - got)) > 0)
		got += (size_t)n;
	close(fd);
	body = memmem(buf, got, "\r\n\r\n", 4);
	if (!body || strncmp((char *)buf, "HTTP/1.1 200", 12) != 0) {
		free(buf);
		return NULL;
	}
	body += 4;
	*len = got - (size_t)(body - buf);
	memmove(buf, body, *len);
	return buf;
}

static void do_url(struct cam *c, const char *kind, const char *url)
{
	unsigned char *data;
	size_t len = 0;

	if (c->url_no_fetch) {
		answer(c, "Result: OK");
		return;
	}
	data = http_fetch(url, &len);
	if (!data) {
		answer(c, "Error: download of '%s' failed", url);
		return;
	}
	file_put(c, kind, data, len);
	free(data);
	answer(c, "%s", c->url_answer ? c->url_answer : "Result: OK");
}

static void handle(struct cam *c, const char *line)
{
	char url[300];

	if (c->nlog < 64)
		snprintf(c->log[c->nlog++], sizeof(c->log[0]), "%s", line);
	if (!*line) {
		c->blank_lines++;
		cam_write(c, "\r\nfli-cli>", 10);
	} else if (strncmp(line, "sendfile ", 9) == 0) {
		do_sendfile(c, line + 9);
	} else if (strncmp(line, "xsendfile ", 10) == 0) {
		do_xsendfile(c, line + 10);
	} else if (strncmp(line, "recvfile ", 9) == 0) {
		do_recvfile(c, line + 9);
	} else if (sscanf(line, "getbias %299s", url) == 1) {
		do_url(c, "bias", url);
	} else if (sscanf(line, "exec upgradefirmware %299s", url) == 1) {
		do_url(c, "firmware", url);
	} else if (strcmp(line, "fps raw") == 0) {
		answer(c, "600");
	} else {
		answer(c, "Syntax error next to '%s'", line);
	}
}

static void *cam_main(void *arg)
{
	struct cam *c = arg;
	char line[600];

	while (read_line(c, line, sizeof(line)))
		handle(c, line);
	return NULL;
}

/* ---- plumbing ------------------------------------------------------------- */

static struct cam *cam_new(void)
{
	struct cam *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	return c;
}

/* Our end in sv[0], the camera's in sv[1]: a socketpair, or a loopback TCP
 * connection (so the client's port has a network address). */
static void link_pair(int tcp, int sv[2])
{
	if (tcp)
		loopback_pair(sv);
	else
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

static struct cred_cli *cam_start(struct cam *c, int tcp)
{
	int sv[2];

	link_pair(tcp, sv);
	c->fd = sv[1];
	assert_int_equal(pthread_create(&c->thread, NULL, cam_main, c), 0);
	return client_on_fd(sv[0]);
}

static void cam_stop(struct cam *c, struct cred_cli *cli)
{
	cred_cli_free(cli);
	pthread_join(c->thread, NULL);
	close(c->fd);
	for (int i = 0; i < c->nfiles; i++)
		free(c->files[i].data);
	free(c);
}

/* The interpreter answers normally after whatever happened. */
static void assert_usable(struct cred_cli *cli)
{
	char *value = NULL;

	assert_int_equal(cred_cli_raw(cli, "fps", 0, &value), CRED_OK);
	assert_string_equal(value, "600");
	free(value);
}

static void assert_stored(struct cam *c, const char *kind, const unsigned char *data, size_t len)
{
	struct file *f = file_get(c, kind);

	assert_non_null(f);
	assert_int_equal(f->len, len);
	assert_memory_equal(f->data, data, len);
}

/* ---- raw uploads ----------------------------------------------------------- */

static void test_raw_bias(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	size_t len = 640 * 512 * 2;
	unsigned char *data = test_data(len, 1);
	struct progress_log log = { 0 };
	struct cred_transfer_options o = { .progress = log_progress, .progress_user = &log };
	char md5[CRED_MD5_HEX_SIZE], expect[128], *ans = NULL;

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "bias", NULL, data, len, &o, &ans),
			 CRED_OK);
	assert_string_equal(ans, "Result: OK");
	cred_md5_buffer(data, len, md5);
	snprintf(expect, sizeof(expect), "sendfile bias 655360 %s", md5);
	assert_string_equal(c->log[0], expect);
	assert_stored(c, "bias", data, len);
	assert_int_equal(log.last, len);
	assert_int_equal(log.total, len);
	assert_false(log.decreasing);
	assert_true(c->blank_lines >= 1);  /* resynchronised afterwards */
	assert_usable(cli);
	free(ans);
	free(data);
	cam_stop(c, cli);
}

static void test_raw_license(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(300, 2);
	char md5[CRED_MD5_HEX_SIZE], expect[128];

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "license", "hdr-2024.lic", data,
					      300, NULL, NULL), CRED_OK);
	cred_md5_buffer(data, 300, md5);
	snprintf(expect, sizeof(expect), "sendfile license hdr-2024.lic 300 %s", md5);
	assert_string_equal(c->log[0], expect);
	assert_stored(c, "license:hdr-2024.lic", data, 300);

	/* A name that would break the command line is refused before sending. */
	c->nlog = 0;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "license", "my file", data, 300,
					      NULL, NULL), CRED_ERR_ARG);
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "license", NULL, data, 300,
					      NULL, NULL), CRED_ERR_ARG);
	assert_int_equal(c->nlog, 0);
	free(data);
	cam_stop(c, cli);
}

static void test_raw_md5_mismatch(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(5000, 3);
	char *ans = (char *)"untouched";

	c->corrupt_upload = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "flat", NULL, data, 5000, NULL,
					      &ans), CRED_ERR_FAIL);
	assert_null(ans);
	assert_non_null(strstr(cred_last_error(), "refused the flat file"));
	assert_non_null(strstr(cred_last_error(), "MD5 mismatch"));
	assert_null(file_get(c, "flat"));
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

/* An answer that is not worded as an error but still says no. */
static void test_raw_soft_refusal(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(100, 4);

	c->upload_answer = "Checksum mismatch, file discarded";
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "bias", NULL, data, 100, NULL,
					      NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "Checksum mismatch"));
	free(data);
	cam_stop(c, cli);
}

/* A camera that refuses the command at once must not get the bytes. */
static void test_raw_refused_before_data(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(20000, 5);

	c->refuse_command = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "bias", NULL, data, 20000, NULL,
					      NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "invalid sendfile arguments"));
	assert_int_equal(c->raw_received, 0);
	c->refuse_command = 0;
	assert_usable(cli);
	/* Nothing but the command and resynchronising newlines reached it. */
	for (int i = 1; i < c->nlog; i++)
		assert_true(c->log[i][0] == '\0' || strcmp(c->log[i], "fps raw") == 0);
	free(data);
	cam_stop(c, cli);
}

static volatile sig_atomic_t cancel_flag;

/* Ctrl-C half way: EINTR at once, with how far it got; the camera's own
 * wait for the rest is not sat out, and the interpreter is usable once the
 * camera has given up (a resync then finds its prompt). */
static void test_raw_cancel(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	size_t len = 200000, sent = len + 1;
	unsigned char *data = test_data(len, 6);
	struct progress_log log = { .cancel_after_first = &cancel_flag };
	struct cred_transfer_options o = {
		.progress = log_progress, .progress_user = &log, .cancel = &cancel_flag,
		.sent = &sent,
	};

	cancel_flag = 0;
	c->idle_ms = 500;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "bias", NULL, data, len, &o, NULL),
			 CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	assert_non_null(strstr(cred_last_error(), "interrupted"));
	assert_true(sent > 0 && sent < len);
	assert_true(c->raw_received < len);
	assert_null(file_get(c, "bias"));
	assert_int_equal(cred_cli_resync(cli), CRED_OK);
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

static void test_raw_no_answer(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(1000, 7);
	struct cred_transfer_options o = { .answer_timeout_ms = 500 };

	c->silent_after_data = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "bias", NULL, data, 1000, &o, NULL),
			 CRED_ERR_TIMEOUT);
	c->silent_after_data = 0;
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

/* ---- XMODEM uploads -------------------------------------------------------- */

static void test_xmodem_bias(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	size_t len = 70001;
	unsigned char *data = test_data(len, 8);
	struct progress_log log = { 0 };
	struct cred_transfer_options o = {
		.xmodem_block_size = 1024, .progress = log_progress, .progress_user = &log,
	};
	char md5[CRED_MD5_HEX_SIZE], expect[128], *ans = NULL;

	c->xmodem_preamble = "Ready to receive the file by XMODEM\r\n";
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_XMODEM, "bias_hdr_c1", NULL, data, len,
					      &o, &ans), CRED_OK);
	assert_string_equal(ans, "Result: OK");
	cred_md5_buffer(data, len, md5);
	snprintf(expect, sizeof(expect), "xsendfile bias_hdr_c1 70001 %s", md5);
	assert_string_equal(c->log[0], expect);
	assert_stored(c, "bias_hdr_c1", data, len);
	assert_int_equal(log.last, len);
	assert_usable(cli);
	free(ans);
	free(data);
	cam_stop(c, cli);
}

static void test_xmodem_refused(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(1000, 9);

	c->refuse_command = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_XMODEM, "flat", NULL, data, 1000, NULL,
					      NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "no space left"));
	c->refuse_command = 0;
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

static void test_xmodem_cancelled_by_camera(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(5000, 10);

	c->xmodem_cancel_at = 3;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_XMODEM, "flat", NULL, data, 5000, NULL,
					      NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "cancelled"));
	assert_non_null(strstr(cred_last_error(), "camera: "));
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

/* ---- kinds and methods ------------------------------------------------------ */

static void test_kinds_and_methods(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);

	assert_true(cred_transfer_supports("bias", CRED_TRANSFER_RAW));
	assert_true(cred_transfer_supports("flat_hdr_c2", CRED_TRANSFER_URL));
	assert_true(cred_transfer_supports("license", CRED_TRANSFER_XMODEM));
	assert_false(cred_transfer_supports("license", CRED_TRANSFER_URL));
	assert_false(cred_transfer_supports("userbadpixel", CRED_TRANSFER_XMODEM));
	assert_true(cred_transfer_supports("firmware", CRED_TRANSFER_URL));
	assert_false(cred_transfer_supports("firmware", CRED_TRANSFER_RAW));
	assert_false(cred_transfer_supports("dark", CRED_TRANSFER_RAW));

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_XMODEM, "userbadpixel", NULL, "x", 1,
					      NULL, NULL), CRED_ERR_SUPP);
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "testpattern", NULL, "x", 1,
					      NULL, NULL), CRED_ERR_SUPP);
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "dark", NULL, "x", 1, NULL, NULL),
			 CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "'dark'"));
	assert_int_equal(c->nlog, 0);
	cam_stop(c, cli);
}

/* ---- the bad pixel map: upload with read-back, download ----------------- */

static void test_userbadpixel_round_trip(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	size_t len = 40960;
	unsigned char *map = test_data(len, 11), *back = NULL;
	struct progress_log log = { 0 };
	struct cred_transfer_options o = { .progress = log_progress, .progress_user = &log };
	char md5[CRED_MD5_HEX_SIZE], want[CRED_MD5_HEX_SIZE];
	size_t size = 0, back_len = 0;

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "userbadpixel", NULL, map, len,
					      NULL, NULL), CRED_OK);
	/* Read back after the upload, then compared. */
	assert_non_null(strstr(c->log[1], "recvfile userbadpixel size"));
	assert_non_null(strstr(c->log[2], "recvfile userbadpixel md5sum"));

	assert_int_equal(cred_transfer_remote_info(cli, "userbadpixel", &size, md5), CRED_OK);
	cred_md5_buffer(map, len, want);
	assert_int_equal(size, len);
	assert_string_equal(md5, want);  /* the camera's upper case, lowered */

	assert_int_equal(cred_transfer_download(cli, "userbadpixel", &o, (void **)&back, &back_len),
			 CRED_OK);
	assert_int_equal(back_len, len);
	assert_memory_equal(back, map, len);
	assert_int_equal(log.last, len);
	assert_usable(cli);
	free(back);
	free(map);
	cam_stop(c, cli);
}

static void test_userbadpixel_read_back_differs(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *old = test_data(40960, 12), *map = test_data(40960, 13);

	file_put(c, "userbadpixel", old, 40960);
	c->keep_old_bpm = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_RAW, "userbadpixel", NULL, map, 40960,
					      NULL, NULL), CRED_ERR_DATA);
	assert_non_null(strstr(cred_last_error(), "reads back"));
	free(old);
	free(map);
	cam_stop(c, cli);
}

/* A download from camera c (set up to misbehave, then stopped here),
 * holding a map of len bytes under kind: it must fail with err and a
 * message holding text, leave no output behind and the interpreter
 * usable, and never have sent a command containing unsent (may be NULL). */
static void download_fails(struct cam *c, const char *kind, size_t len, int err,
			   const char *text, const char *unsent)
{
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *map = test_data(len, (uint32_t)len);
	void *back = (void *)1;
	size_t got = 1;

	file_put(c, kind, map, len);
	assert_int_equal(cred_transfer_download(cli, kind, NULL, &back, &got), err);
	assert_non_null(strstr(cred_last_error(), text));
	assert_null(back);
	assert_int_equal(got, 0);
	assert_usable(cli);
	for (int i = 0; unsent && i < c->nlog; i++)
		assert_null(strstr(c->log[i], unsent));
	free(map);
	cam_stop(c, cli);
}

static void test_download_corrupt(void **state)
{
	struct cam *c = cam_new();

	c->content_flip = 1;
	download_fails(c, "factbadpixel", 40960, CRED_ERR_DATA, "MD5", NULL);
}

/* A camera that frames content differently (a line break first) is caught
 * by the MD5, and the line is clean afterwards. */
static void test_download_misframed(void **state)
{
	struct cam *c = cam_new();

	c->content_header = 1;
	download_fails(c, "userbadpixel", 4096, CRED_ERR_DATA, "MD5", NULL);
}

/* Content refused after size and md5sum answered: the camera's words. */
static void test_download_refused(void **state)
{
	struct cam *c = cam_new();

	c->content_refuse = "Error: the bad pixel map is being written";
	download_fails(c, "userbadpixel", 40960, CRED_ERR_FAIL, "being written", NULL);
}

/* A size no bad-pixel map can have (a garbled or lying answer) is refused
 * before anything is allocated for it, and the content never asked for. */
static void test_download_absurd_size(void **state)
{
	struct cam *c = cam_new();

	c->size_answer = "Size: 999999999999";
	download_fails(c, "userbadpixel", 4096, CRED_ERR_PROTO, "announces 999999999999 bytes",
		       "content");
}

static void test_download_kinds(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	void *back = NULL;
	size_t len = 0;
	char md5[CRED_MD5_HEX_SIZE];

	assert_int_equal(cred_transfer_download(cli, "bias", NULL, &back, &len), CRED_ERR_ARG);
	assert_int_equal(cred_transfer_remote_info(cli, "bias", &len, md5), CRED_ERR_ARG);
	/* No such file on the camera: its refusal. */
	assert_int_equal(cred_transfer_download(cli, "userbadpixel", NULL, &back, &len), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "no such file"));
	cam_stop(c, cli);
}

/* ---- URL uploads ----------------------------------------------------------- */

static void test_url_bias_over_tcp(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 1);
	size_t len = 655360;
	unsigned char *data = test_data(len, 17);
	struct progress_log log = { 0 };
	struct cred_transfer_options o = { .progress = log_progress, .progress_user = &log };
	char *ans = NULL;

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "bias", "bias.bin", data, len, &o,
					      &ans), CRED_OK);
	assert_string_equal(ans, "Result: OK");
	/* The local address of the connection went into the URL. */
	assert_int_equal(strncmp(c->log[0], "getbias http://127.0.0.1:", 25), 0);
	assert_non_null(strstr(c->log[0], "/bias.bin"));
	assert_stored(c, "bias", data, len);
	assert_int_equal(log.last, len);
	assert_usable(cli);
	free(ans);
	free(data);
	cam_stop(c, cli);
}

static void test_url_firmware(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 1);
	unsigned char *data = test_data(300000, 18);

	c->url_answer = "Firmware upgraded, reboot the camera";
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "firmware", "fw-3.2.bin", data,
					      300000, NULL, NULL), CRED_OK);
	assert_int_equal(strncmp(c->log[0], "exec upgradefirmware http://127.0.0.1:", 38), 0);
	assert_stored(c, "firmware", data, 300000);
	free(data);
	cam_stop(c, cli);
}

/* "OK" without fetching is not a success. */
static void test_url_not_fetched(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 1);
	unsigned char *data = test_data(1000, 19);

	c->url_no_fetch = 1;
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "bias", NULL, data, 1000, NULL,
					      NULL), CRED_ERR_DATA);
	assert_non_null(strstr(cred_last_error(), "fetched only 0 of 1000 bytes"));
	free(data);
	cam_stop(c, cli);
}

static void test_url_camera_fails(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 1);
	unsigned char *data = test_data(1000, 20);

	c->url_answer = "Error: cannot write the bias file";
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "bias", NULL, data, 1000, NULL,
					      NULL), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "cannot write"));
	assert_usable(cli);
	free(data);
	cam_stop(c, cli);
}

/* A serial-like link has no address to offer: the caller must give one. */
static void test_url_needs_host_off_network(void **state)
{
	struct cam *c = cam_new();
	struct cred_cli *cli = cam_start(c, 0);
	unsigned char *data = test_data(2000, 21);
	struct cred_transfer_options o = { 0 };

	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "bias", NULL, data, 2000, &o, NULL),
			 CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "not a network connection"));
	o.http_host = "127.0.0.1";
	assert_int_equal(cred_transfer_upload(cli, CRED_TRANSFER_URL, "bias", NULL, data, 2000, &o, NULL),
			 CRED_OK);
	assert_stored(c, "bias", data, 2000);
	free(data);
	cam_stop(c, cli);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_bias),
		cmocka_unit_test(test_raw_license),
		cmocka_unit_test(test_raw_md5_mismatch),
		cmocka_unit_test(test_raw_soft_refusal),
		cmocka_unit_test(test_raw_refused_before_data),
		cmocka_unit_test(test_raw_cancel),
		cmocka_unit_test(test_raw_no_answer),
		cmocka_unit_test(test_xmodem_bias),
		cmocka_unit_test(test_xmodem_refused),
		cmocka_unit_test(test_xmodem_cancelled_by_camera),
		cmocka_unit_test(test_kinds_and_methods),
		cmocka_unit_test(test_userbadpixel_round_trip),
		cmocka_unit_test(test_userbadpixel_read_back_differs),
		cmocka_unit_test(test_download_corrupt),
		cmocka_unit_test(test_download_misframed),
		cmocka_unit_test(test_download_refused),
		cmocka_unit_test(test_download_absurd_size),
		cmocka_unit_test(test_download_kinds),
		cmocka_unit_test(test_url_bias_over_tcp),
		cmocka_unit_test(test_url_firmware),
		cmocka_unit_test(test_url_not_fetched),
		cmocka_unit_test(test_url_camera_fails),
		cmocka_unit_test(test_url_needs_host_off_network),
	};

	signal(SIGPIPE, SIG_IGN);
	if (getenv("CRED_TEST_FILTER"))
		cmocka_set_test_filter(getenv("CRED_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}

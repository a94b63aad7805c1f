/* The one-shot HTTP server, fetched with plain socket GETs (no HTTP client
 * library): right bytes once, 404 elsewhere, shut down after one complete
 * GET or on timeout, a GET cut off half way not counted. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
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

#include "cred-transfer.h"
#include "test-helpers.h"

/* ---- a minimal HTTP client ------------------------------------------------ */

struct reply {
	int status;
	long content_length;   /* -1 if absent */
	unsigned char *body;
	size_t body_len;
};

static int connect_to(int family, int port)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	int r;

	assert_true(fd >= 0);
	if (family == AF_INET) {
		in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		r = connect(fd, (struct sockaddr *)&in, sizeof(in));
	} else {
		in6.sin6_addr = in6addr_loopback;
		r = connect(fd, (struct sockaddr *)&in6, sizeof(in6));
	}
	if (r < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Read into a growing buffer until EOF, or until body_limit bytes of body
 * (0: no limit) have come, then close. Generous per-read timeout. */
static void read_reply(int fd, struct reply *rep, size_t body_limit)
{
	size_t cap = 65536, len = 0;
	unsigned char *buf = malloc(cap);
	char *end = NULL;

	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;

		assert_true(poll(&pfd, 1, 30000) == 1);
		if (len == cap)
			buf = realloc(buf, cap *= 2);
		n = read(fd, buf + len, cap - len);
		assert_true(n >= 0);
		if (n == 0)
			break;
		len += (size_t)n;
		if (!end)
			end = memmem(buf, len, "\r\n\r\n", 4);
		if (end && body_limit && len - (size_t)((unsigned char *)end + 4 - buf) >= body_limit)
			break;
	}
	close(fd);
	end = memmem(buf, len, "\r\n\r\n", 4);
	assert_non_null(end);
	*end = '\0';
	assert_int_equal(sscanf((char *)buf, "HTTP/1.%*d %d", &rep->status), 1);
	const char *cl = strcasestr((char *)buf, "\r\nContent-Length:");
	rep->content_length = cl ? strtol(cl + 17, NULL, 10) : -1;
	rep->body_len = len - (size_t)((unsigned char *)end + 4 - buf);
	rep->body = malloc(rep->body_len + 1);
	memcpy(rep->body, end + 4, rep->body_len);
	free(buf);
}

static void request(int family, int port, const char *method, const char *path,
		    struct reply *rep, size_t body_limit)
{
	char req[512];
	int fd = connect_to(family, port);

	assert_true(fd >= 0);
	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: camera-side\r\nConnection: close\r\n\r\n",
		 method, path);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	read_reply(fd, rep, body_limit);
}

static void reply_free(struct reply *rep)
{
	free(rep->body);
	rep->body = NULL;
}

/* Port and path of a URL "http://HOST:PORT/PATH". */
static void split_url(const char *url, int *port, char *path, size_t size)
{
	const char *p = strstr(url, "://");
	const char *colon, *slash;

	assert_non_null(p);
	slash = strchr(p + 3, '/');
	assert_non_null(slash);
	colon = slash;
	while (colon > p && *colon != ':')
		colon--;
	*port = atoi(colon + 1);
	snprintf(path, size, "%s", slash);
}

static struct cred_http *serve(const void *data, size_t len, const char *name)
{
	struct cred_http_options o = { .bind_address = "127.0.0.1", .filename = name };
	struct cred_http *http;

	assert_int_equal(cred_http_new(data, len, &o, &http), CRED_OK);
	return http;
}

static void assert_not_listening(int port)
{
	assert_int_equal(connect_to(AF_INET, port), -1);
	assert_int_equal(errno, ECONNREFUSED);
}

/* ---- tests ------------------------------------------------------------- */

static void test_serve_once(void **state)
{
	size_t len = 300000;
	unsigned char *data = test_data(len, 1);
	struct cred_http *http = serve(data, len, "bias.bin");
	struct progress_log log = { 0 };
	const char *url = cred_http_url(http);
	char path[256], prefix[64];
	struct reply rep;
	int port;

	split_url(url, &port, path, sizeof(path));
	assert_int_equal(port, cred_http_port(http));
	assert_true(port > 0);
	snprintf(prefix, sizeof(prefix), "http://127.0.0.1:%d/", port);
	assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
	/* "/" + 32 lowercase hex digits + "/bias.bin" */
	assert_int_equal(strlen(path), 1 + 32 + 9);
	assert_int_equal(strspn(path + 1, "0123456789abcdef"), 32);
	assert_string_equal(path + 33, "/bias.bin");

	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.content_length, (long)len);
	assert_int_equal(rep.body_len, len);
	assert_memory_equal(rep.body, data, len);
	reply_free(&rep);

	assert_int_equal(cred_http_wait(http, 30000, log_progress, &log, NULL), CRED_OK);
	assert_true(cred_http_served(http));
	assert_int_equal(cred_http_bytes_served(http), len);
	assert_int_equal(log.last, len);
	assert_int_equal(log.total, len);
	assert_false(log.decreasing);
	assert_not_listening(port);
	cred_http_free(http);
	free(data);
}

static void test_tokens_differ(void **state)
{
	struct cred_http *a = serve("x", 1, NULL), *b = serve("x", 1, NULL);

	assert_string_not_equal(strchr(cred_http_url(a) + 7, '/'), strchr(cred_http_url(b) + 7, '/'));
	assert_non_null(strstr(cred_http_url(a), "/file"));
	cred_http_free(a);
	cred_http_free(b);
}

static void test_other_paths_and_methods(void **state)
{
	size_t len = 5000;
	unsigned char *data = test_data(len, 1);
	struct cred_http *http = serve(data, len, "flat.bin");
	char path[256], other[300];
	struct reply rep;
	int port;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", "/", &rep, 0);
	assert_int_equal(rep.status, 404);
	reply_free(&rep);
	snprintf(other, sizeof(other), "%.33s/bias.bin", path);  /* right token, wrong name */
	request(AF_INET, port, "GET", other, &rep, 0);
	assert_int_equal(rep.status, 404);
	reply_free(&rep);
	snprintf(other, sizeof(other), "/00000000000000000000000000000000%s", path + 33);
	request(AF_INET, port, "GET", other, &rep, 0);
	assert_int_equal(rep.status, 404);
	reply_free(&rep);
	request(AF_INET, port, "POST", path, &rep, 0);
	assert_int_equal(rep.status, 405);
	reply_free(&rep);
	request(AF_INET, port, "HEAD", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.content_length, (long)len);
	assert_int_equal(rep.body_len, 0);
	reply_free(&rep);

	/* None of that was the file being fetched. */
	assert_false(cred_http_served(http));
	assert_int_equal(cred_http_wait(http, 300, NULL, NULL, NULL), CRED_ERR_TIMEOUT);
	assert_not_listening(port);
	cred_http_free(http);
	free(data);
}

static void test_timeout(void **state)
{
	struct cred_http *http = serve("abc", 3, "x.bin");
	int port = cred_http_port(http);

	assert_int_equal(cred_http_wait(http, 300, NULL, NULL, NULL), CRED_ERR_TIMEOUT);
	assert_non_null(strstr(cred_last_error(), "nobody fetched"));
	assert_non_null(strstr(cred_last_error(), "0 of 3 bytes"));
	assert_false(cred_http_served(http));
	assert_not_listening(port);
	cred_http_free(http);
}

/* More than loopback socket buffers can hold, so a client that stops
 * reading early really leaves the server short. */
#define BIG (64u << 20)

static void test_cut_off_get_does_not_count(void **state)
{
	unsigned char *data = test_data(BIG, 1);
	struct cred_http *http = serve(data, BIG, "fw.bin");
	char path[256];
	struct reply rep;
	int port;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", path, &rep, 1000);
	assert_int_equal(rep.status, 200);
	reply_free(&rep);
	assert_int_equal(cred_http_wait(http, 1000, NULL, NULL, NULL), CRED_ERR_TIMEOUT);
	assert_false(cred_http_served(http));
	assert_true(cred_http_bytes_served(http) < BIG);
	cred_http_free(http);
	free(data);
}

/* ... but the client may try again. */
static void test_retry_after_cut_off(void **state)
{
	unsigned char *data = test_data(BIG, 1);
	struct cred_http *http = serve(data, BIG, "fw.bin");
	char path[256];
	struct reply rep;
	int port;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", path, &rep, 1000);
	reply_free(&rep);
	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.body_len, BIG);
	assert_memory_equal(rep.body, data, BIG);
	reply_free(&rep);
	assert_int_equal(cred_http_wait(http, 30000, NULL, NULL, NULL), CRED_OK);
	assert_not_listening(port);
	cred_http_free(http);
	free(data);
}

static void test_empty_file(void **state)
{
	struct cred_http *http = serve("", 0, "empty");
	char path[256];
	struct reply rep;
	int port;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.content_length, 0);
	reply_free(&rep);
	assert_int_equal(cred_http_wait(http, 30000, NULL, NULL, NULL), CRED_OK);
	cred_http_free(http);
}

static volatile sig_atomic_t cancel_flag;

static void test_cancel(void **state)
{
	struct cred_http *http = serve("abc", 3, NULL);
	int port = cred_http_port(http);

	cancel_flag = 1;
	assert_int_equal(cred_http_wait(http, 60000, NULL, NULL, &cancel_flag), CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	assert_not_listening(port);
	cred_http_free(http);
}

static void test_names_are_made_safe(void **state)
{
	struct cred_http *http = serve("x", 1, "my bias?#.bin");

	assert_non_null(strstr(cred_http_url(http), "/my_bias__.bin"));
	cred_http_free(http);
}

/* After one complete GET the path is gone (410), even before the server
 * has been shut down. */
static void test_served_path_gone(void **state)
{
	struct cred_http *http = serve("abc", 3, "x.bin");
	char path[256];
	struct reply rep;
	int port;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	reply_free(&rep);
	/* the completion is noted by the server thread: wait for it */
	assert_int_equal(cred_http_wait(http, 30000, NULL, NULL, NULL), CRED_OK);
	cred_http_free(http);

	http = serve("abc", 3, "x.bin");
	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET, port, "GET", path, &rep, 0);
	reply_free(&rep);
	while (!cred_http_served(http))
		usleep(1000);
	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 410);
	reply_free(&rep);
	cred_http_free(http);
}

/* "Every address" cannot go into the URL the camera fetches. */
static void test_wildcard_url_refused(void **state)
{
	struct cred_http_options o = { .url_host = "0.0.0.0", .bind_address = "0.0.0.0" };
	struct cred_http *http;

	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_ARG);
	assert_null(http);
	assert_non_null(strstr(cred_last_error(), "'0.0.0.0' cannot be the address"));
	o.url_host = o.bind_address = "::";
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_ARG);
	assert_non_null(strstr(cred_last_error(), "'::' cannot be the address"));
}

/* A flood of idle connections does not keep the camera's GET out. */
#define FLOOD 1100

static void test_idle_flood(void **state)
{
	size_t len = 100000;
	unsigned char *data = test_data(len, 3);
	struct cred_http *http = serve(data, len, "flat.bin");
	static int fds[FLOOD];
	char path[256];
	struct reply rep;
	int port, opened = 0;

	split_url(cred_http_url(http), &port, path, sizeof(path));
	for (int i = 0; i < FLOOD; i++) {
		fds[i] = connect_to(AF_INET, port);
		if (fds[i] < 0)
			break; /* this process's own descriptors ran out: flood enough */
		opened++;
	}
	assert_true(opened >= 1000);
	request(AF_INET, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.body_len, len);
	assert_memory_equal(rep.body, data, len);
	reply_free(&rep);
	for (int i = 0; i < opened; i++)
		close(fds[i]);
	assert_int_equal(cred_http_wait(http, 30000, NULL, NULL, NULL), CRED_OK);
	cred_http_free(http);
	free(data);
}

static void test_addresses(void **state)
{
	struct cred_http_options o = { 0 };
	struct cred_http *http;
	int fd;

	o.bind_address = "300.1.1.1";
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_ARG);
	assert_null(http);
	assert_non_null(strstr(cred_last_error(), "'300.1.1.1'"));

	o.bind_address = NULL;  /* all addresses: the URL needs a host */
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_ARG);
	o.url_host = "192.0.2.7";
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_OK);
	assert_int_equal(strncmp(cred_http_url(http), "http://192.0.2.7:", 17), 0);
	cred_http_free(http);

	o.bind_address = "127.0.0.1";
	o.url_host = NULL;
	o.port = 70000;
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_ARG);

	/* A port already taken. */
	fd = loopback_listen(&o.port);
	assert_int_equal(cred_http_new("x", 1, &o, &http), CRED_ERR_IO);
	assert_null(http);
	close(fd);
}

static void test_ipv6(void **state)
{
	struct cred_http_options o = { .bind_address = "::1", .filename = "b.bin" };
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct cred_http *http;
	char path[256];
	struct reply rep;
	int port, fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);

	/* Not every container has IPv6 loopback. */
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		if (fd >= 0)
			close(fd);
		skip();
	}
	close(fd);
	assert_int_equal(cred_http_new("hello", 5, &o, &http), CRED_OK);
	assert_int_equal(strncmp(cred_http_url(http), "http://[::1]:", 13), 0);
	split_url(cred_http_url(http), &port, path, sizeof(path));
	request(AF_INET6, port, "GET", path, &rep, 0);
	assert_int_equal(rep.status, 200);
	assert_int_equal(rep.body_len, 5);
	assert_memory_equal(rep.body, "hello", 5);
	reply_free(&rep);
	assert_int_equal(cred_http_wait(http, 30000, NULL, NULL, NULL), CRED_OK);
	cred_http_free(http);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serve_once),
		cmocka_unit_test(test_tokens_differ),
		cmocka_unit_test(test_other_paths_and_methods),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_cut_off_get_does_not_count),
		cmocka_unit_test(test_retry_after_cut_off),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_cancel),
		cmocka_unit_test(test_names_are_made_safe),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_served_path_gone),
		cmocka_unit_test(test_wildcard_url_refused),
		cmocka_unit_test(test_idle_flood),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* A one-shot HTTP server (libmicrohttpd) that hands one file to the camera
 * for its get* URL commands: one unguessable path, GET or HEAD only, shut
 * down once a GET has sent every byte, or on timeout. */
#include "cancel-impl.h"
#include "transfer-impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <nettle/base16.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>

#define TOKEN_BYTES 16
/* How often cred_http_wait wakes to report progress and look at *cancel. */
#define WAIT_SLICE_MS 100
/* A client silent this long is dropped (seconds). */
#define CONNECTION_TIMEOUT_S 30
/* Largest piece handed to libmicrohttpd at a time. */
#define READ_BLOCK 65536

struct cred_http {
	struct MHD_Daemon *daemon;
	const unsigned char *data;
	size_t len;
	char path[256];      /* "/TOKEN/FILENAME" */
	char *url;
	int port;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	size_t best;         /* most bytes handed out in one GET */
	int served;          /* a GET completed with every byte sent */
};

/* Per-request state, from the first call of the handler to completion. */
struct request {
	struct cred_http *http;
	int file_get;        /* a GET of our path */
	size_t handed;       /* body bytes given to libmicrohttpd */
};

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	if (!cred_debug_enabled())
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	cred_debug("http: %s", msg);
}

static ssize_t read_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct request *req = cls;
	struct cred_http *http = req->http;
	size_t n;

	if (pos >= http->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	n = http->len - (size_t)pos < max ? http->len - (size_t)pos : max;
	memcpy(buf, http->data + pos, n);
	pthread_mutex_lock(&http->lock);
	req->handed = (size_t)pos + n;
	if (req->file_get && req->handed > http->best)
		http->best = req->handed;
	pthread_cond_broadcast(&http->cond);
	pthread_mutex_unlock(&http->lock);
	return (ssize_t)n;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result r;

	if (!resp)
		return MHD_NO;
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	r = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static enum MHD_Result reply_file(struct MHD_Connection *conn, struct request *req)
{
	struct MHD_Response *resp = MHD_create_response_from_callback(
		req->http->len, READ_BLOCK, read_body, req, NULL);
	enum MHD_Result r;

	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/octet-stream");
	r = MHD_queue_response(conn, MHD_HTTP_OK, resp);
	MHD_destroy_response(resp);
	return r;
}

/* The file is handed out once: after a complete GET its path is gone. */
static int served_already(struct cred_http *http)
{
	int served;

	pthread_mutex_lock(&http->lock);
	served = http->served;
	pthread_mutex_unlock(&http->lock);
	return served;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **req_cls)
{
	struct cred_http *http = cls;
	struct request *req = *req_cls;
	int get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
	int head = strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;

	if (!req) {
		/* First call: headers only. Keep state for the completion. */
		req = calloc(1, sizeof(*req));
		if (!req)
			return MHD_NO;
		req->http = http;
		req->file_get = get && strcmp(url, http->path) == 0;
		*req_cls = req;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* a body we have no use for */
		return MHD_YES;
	}
	cred_debug("http: %s %s", method, url);
	if (!get && !head)
		return reply_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n");
	if (strcmp(url, http->path) != 0)
		return reply_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
	if (served_already(http))
		return reply_text(conn, MHD_HTTP_GONE, "already served\n");
	return reply_file(conn, req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct cred_http *http = cls;
	struct request *req = *req_cls;

	if (!req)
		return;
	pthread_mutex_lock(&http->lock);
	if (req->file_get && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK && req->handed == http->len)
		http->served = 1;
	pthread_cond_broadcast(&http->cond);
	pthread_mutex_unlock(&http->lock);
	cred_debug("http: request done (%s), %zu of %zu bytes",
		   toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "complete" : "cut off",
		   req->handed, http->len);
	free(req);
	*req_cls = NULL;
}

/* 32 hex digits from the kernel's random generator. */
static int make_token(char hex[2 * TOKEN_BYTES + 1])
{
	uint8_t raw[TOKEN_BYTES];
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return cred_fail_errno("cannot get random bytes");
		got += (size_t)n;
	}
	base16_encode_update(hex, sizeof(raw), raw);
	hex[2 * TOKEN_BYTES] = '\0';
	return CRED_OK;
}

/* The last URL component: the caller's name with anything outside
 * [A-Za-z0-9._-] replaced, so no fetcher has to decode it. */
static void safe_name(const char *name, char *out, size_t size)
{
	size_t i = 0;

	if (!name || !*name)
		name = "file";
	for (; name[i] && i + 1 < size; i++) {
		char c = name[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		out[i] = ok ? c : '_';
	}
	out[i] = '\0';
}

union addr {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

static int parse_address(const char *text, int port, union addr *a, int *wildcard)
{
	memset(a, 0, sizeof(*a));
	if (port < 0 || port > 65535)
		return cred_fail(CRED_ERR_ARG, "invalid TCP port %d", port);
	if (inet_pton(AF_INET, text, &a->in.sin_addr) == 1) {
		a->in.sin_family = AF_INET;
		a->in.sin_port = htons((uint16_t)port);
		*wildcard = a->in.sin_addr.s_addr == htonl(INADDR_ANY);
		return CRED_OK;
	}
	if (inet_pton(AF_INET6, text, &a->in6.sin6_addr) == 1) {
		a->in6.sin6_family = AF_INET6;
		a->in6.sin6_port = htons((uint16_t)port);
		*wildcard = IN6_IS_ADDR_UNSPECIFIED(&a->in6.sin6_addr);
		return CRED_OK;
	}
	return cred_fail(CRED_ERR_ARG, "'%s' is not a numeric IPv4 or IPv6 address", text);
}

static int is_wildcard(const char *host)
{
	union addr a;
	int wildcard = 0;

	return parse_address(host, 0, &a, &wildcard) == CRED_OK && wildcard;
}

/* Idle connections must not starve the camera's GET: the server polls with
 * epoll (no FD_SETSIZE ceiling), takes up to MAX_CONNECTIONS at once and
 * raises this process's soft limit on open files towards its hard limit
 * to hold them. Beyond that, new connections wait in the kernel's queue
 * until idle ones time out. */
#define MAX_CONNECTIONS 4000

static unsigned connection_limit(void)
{
	struct rlimit rl;
	rlim_t want = MAX_CONNECTIONS + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 64;
	if (rl.rlim_cur < want && rl.rlim_cur != RLIM_INFINITY) {
		rlim_t old = rl.rlim_cur;

		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			rl.rlim_cur = old;
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return MAX_CONNECTIONS;
	return rl.rlim_cur > 128 ? (unsigned)(rl.rlim_cur - 64) : 64;
}

static int start_daemon(struct cred_http *http, union addr *a)
{
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;

	if (a->sa.sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	http->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, http,
					MHD_OPTION_SOCK_ADDR, &a->sa,
					MHD_OPTION_NOTIFY_COMPLETED, on_completed, http,
					MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
					MHD_OPTION_CONNECTION_LIMIT, connection_limit(),
					MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
					MHD_OPTION_END);
	if (!http->daemon) {
		char text[INET6_ADDRSTRLEN] = "?";
		int port = ntohs(a->sa.sa_family == AF_INET6 ? a->in6.sin6_port : a->in.sin_port);

		inet_ntop(a->sa.sa_family, a->sa.sa_family == AF_INET6 ? (void *)&a->in6.sin6_addr
								       : (void *)&a->in.sin_addr,
			  text, sizeof(text));
		return cred_fail(CRED_ERR_IO, "cannot serve HTTP on %s port %d (address in use or "
				 "not on this computer?)", text, port);
	}
	info = MHD_get_daemon_info(http->daemon, MHD_DAEMON_INFO_BIND_PORT);
	http->port = info ? info->port : 0;
	return CRED_OK;
}

static int make_url(struct cred_http *http, const char *host)
{
	int v6 = strchr(host, ':') != NULL;

	if (asprintf(&http->url, "http://%s%s%s:%d%s", v6 ? "[" : "", host, v6 ? "]" : "",
		     http->port, http->path) < 0) {
		http->url = NULL;
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	return CRED_OK;
}

static void init_sync(struct cred_http *http)
{
	pthread_condattr_t attr;

	pthread_mutex_init(&http->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&http->cond, &attr);
	pthread_condattr_destroy(&attr);
}

static int setup(struct cred_http *http, const struct cred_http_options *o)
{
	const char *bind = o->bind_address ? o->bind_address : "0.0.0.0";
	char token[2 * TOKEN_BYTES + 1], name[128];
	union addr a;
	int wildcard = 0, r;

	r = parse_address(bind, o->port, &a, &wildcard);
	if (r < 0)
		return r;
	if (wildcard && (!o->url_host || !*o->url_host))
		return cred_fail(CRED_ERR_ARG, "listening on all addresses (%s): say which one the "
				 "camera should use in the URL", bind);
	if (o->url_host && strpbrk(o->url_host, "/ \t\r\n[]"))
		return cred_fail(CRED_ERR_ARG, "invalid URL host '%s'", o->url_host);
	if (o->url_host && is_wildcard(o->url_host))
		return cred_fail(CRED_ERR_ARG, "'%s' cannot be the address in the URL: it means "
				 "every address, and the camera needs the one of this computer "
				 "that it can reach", o->url_host);
	r = make_token(token);
	if (r < 0)
		return r;
	safe_name(o->filename, name, sizeof(name));
	snprintf(http->path, sizeof(http->path), "/%s/%s", token, name);
	r = start_daemon(http, &a);
	if (r < 0)
		return r;
	return make_url(http, o->url_host && *o->url_host ? o->url_host : bind);
}

int cred_http_new(const void *data, size_t len, const struct cred_http_options *opts,
		  struct cred_http **out)
{
	static const struct cred_http_options defaults;
	struct cred_http *http;
	int r;

	*out = NULL;
	cred_clear_error();
	if (!data && len)
		return cred_fail(CRED_ERR_ARG, "nothing to serve");
	http = calloc(1, sizeof(*http));
	if (!http)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	http->data = data;
	http->len = len;
	init_sync(http);
	r = setup(http, opts ? opts : &defaults);
	if (r < 0) {
		cred_http_free(http);
		return r;
	}
	cred_debug("http: serving %zu bytes at %s", len, http->url);
	*out = http;
	return CRED_OK;
}

const char *cred_http_url(const struct cred_http *http)
{
	return http->url;
}

int cred_http_port(const struct cred_http *http)
{
	return http->port;
}

size_t cred_http_bytes_served(const struct cred_http *http)
{
	struct cred_http *h = (struct cred_http *)http;
	size_t n;

	pthread_mutex_lock(&h->lock);
	n = h->best;
	pthread_mutex_unlock(&h->lock);
	return n;
}

int cred_http_served(const struct cred_http *http)
{
	struct cred_http *h = (struct cred_http *)http;
	int served;

	pthread_mutex_lock(&h->lock);
	served = h->served;
	pthread_mutex_unlock(&h->lock);
	return served;
}

static void stop(struct cred_http *http)
{
	if (http->daemon)
		MHD_stop_daemon(http->daemon);
	http->daemon = NULL;
}

/* Sleep on the condition variable for at most ms (caller holds the lock). */
static void wait_slice(struct cred_http *http, long long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_cond_timedwait(&http->cond, &http->lock, &ts);
}

int cred_http_wait(struct cred_http *http, int timeout_ms, cred_progress_fn progress,
		   void *progress_user, volatile sig_atomic_t *cancel)
{
	long long deadline = cred_now_ms() + timeout_ms;
	size_t reported = (size_t)-1, best;
	int served = 0, r = CRED_OK;

	cred_clear_error();
	for (;;) {
		long long left = timeout_ms < 0 ? WAIT_SLICE_MS : deadline - cred_now_ms();

		pthread_mutex_lock(&http->lock);
		if (!http->served && left > 0)
			wait_slice(http, left < WAIT_SLICE_MS ? left : WAIT_SLICE_MS);
		served = http->served;
		best = http->best;
		pthread_mutex_unlock(&http->lock);
		if (progress && (best != reported || served)) {
			progress(served ? http->len : best, http->len, progress_user);
			reported = best;
		}
		if (served)
			break;
		if ((cancel && *cancel) || cred_cancel_requested()) {
			r = cred_xfer_fail_cancelled("HTTP transfer");
			break;
		}
		if (timeout_ms >= 0 && cred_now_ms() >= deadline) {
			r = cred_fail(CRED_ERR_TIMEOUT,
				      "nobody fetched %s within %d ms (%zu of %zu bytes sent)",
				      http->url, timeout_ms, best, http->len);
			break;
		}
	}
	stop(http);
	return r;
}

void cred_http_free(struct cred_http *http)
{
	if (!http)
		return;
	stop(http);
	pthread_cond_destroy(&http->cond);
	pthread_mutex_destroy(&http->lock);
	free(http->url);
	free(http);
}

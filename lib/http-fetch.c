/* Downloads by URL (cred-logs.h), with libcurl's easy interface; the
 * progress callback also watches the caller's cancel flag. */
#include "cred-logs.h"
#include "error-impl.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MAX (1ull << 30)
#define DEFAULT_TIMEOUT_MS 300000
#define CONNECT_TIMEOUT_S 15L

struct fetch {
	unsigned char *p;
	size_t len, cap, max;
	int too_big;
	volatile sig_atomic_t *cancel;
	cred_progress_fn progress;
	void *user;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	struct fetch *f = user;
	size_t n = size * nmemb;

	if (f->len + n > f->max) {
		f->too_big = 1;
		return 0;
	}
	if (f->len + n > f->cap) {
		size_t cap = f->cap ? f->cap : 65536;
		unsigned char *p;

		while (cap < f->len + n)
			cap *= 2;
		if (!(p = realloc(f->p, cap)))
			return 0;
		f->p = p;
		f->cap = cap;
	}
	memcpy(f->p + f->len, ptr, n);
	f->len += n;
	return n;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct fetch *f = user;

	if (f->progress)
		f->progress((size_t)dlnow, (size_t)dltotal, f->user);
	return f->cancel && *f->cancel; /* non-zero aborts */
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static int setup(CURL *e, const char *url, struct fetch *f, int timeout_ms, char *err)
{
	return curl_easy_setopt(e, CURLOPT_URL, url) ||
	       curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	       curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
	       curl_easy_setopt(e, CURLOPT_WRITEDATA, f) ||
	       curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress) ||
	       curl_easy_setopt(e, CURLOPT_XFERINFODATA, f) ||
	       curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L) ||
	       curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err) ||
	       curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L) ||
	       curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
	       curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S) ||
	       curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
}

static int failure(CURLcode rc, const struct fetch *f, const char *url, const char *err)
{
	const char *why = err[0] ? err : curl_easy_strerror(rc);

	if (f->too_big)
		return cred_fail(CRED_ERR_DATA, "'%s' is larger than %zu bytes", url, f->max);
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		errno = EINTR;
		return cred_fail_errno("download of '%s' interrupted", url);
	}
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return cred_fail(CRED_ERR_TIMEOUT, "cannot download '%s': %s", url, why);
	errno = EIO;
	return cred_fail(CRED_ERR_IO, "cannot download '%s': %s", url, why);
}

int cred_http_fetch(const char *url, size_t max, int timeout_ms, volatile sig_atomic_t *cancel,
		    cred_progress_fn progress, void *user, void **data, size_t *len)
{
	struct fetch f = { .max = max ? max : DEFAULT_MAX, .cancel = cancel, .progress = progress,
			   .user = user };
	char err[CURL_ERROR_SIZE] = "";
	CURLcode rc;
	CURL *e;

	cred_clear_error();
	*data = NULL;
	*len = 0;
	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		return cred_fail(CRED_ERR_ARG, "'%s' is not an http:// URL", url ? url : "");
	pthread_once(&curl_once, curl_init);
	if (!(e = curl_easy_init()))
		return cred_fail(CRED_ERR_MEM, "cannot start a download");
	if (setup(e, url, &f, timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS, err)) {
		curl_easy_cleanup(e);
		return cred_fail(CRED_ERR_ARG, "invalid URL '%s'", url);
	}
	rc = curl_easy_perform(e);
	curl_easy_cleanup(e);
	if (rc != CURLE_OK) {
		free(f.p);
		return failure(rc, &f, url, err);
	}
	*data = f.p ? (void *)f.p : malloc(1);
	*len = f.len;
	return *data ? CRED_OK : cred_fail(CRED_ERR_MEM, "out of memory");
}

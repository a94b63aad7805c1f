/* The camera's URL commands (getbias URL, getflat_hdr_c1 URL,
 * gettestpattern URL, ...): it fetches the file with an HTTP GET (libcurl,
 * driven from the poll loop through the multi interface, so the simulator
 * keeps serving other links meanwhile), then checks and keeps it like any
 * received file. The link's interpreter waits for the answer; what the
 * client types meanwhile is read afterwards. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "camera.h"
#include "files.h"
#include "receiver.h"

#define TICK_MS 5                 /* how often the download is driven */
#define CONNECT_TIMEOUT_S 10L
#define FETCH_TIMEOUT_S 120L

struct url_receiver {
	struct receiver base;
	char kind[64];
	char command[32];
	char url[512];
	CURLM *multi;
	CURL *easy;
	char curl_err[CURL_ERROR_SIZE];
	uint8_t *data;
	size_t len, cap;
	bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	struct url_receiver *u = user;
	size_t n = size * nmemb;

	if (u->len + n > FILE_MAX) {
		u->too_big = true;
		return 0; /* stops the transfer */
	}
	if (u->len + n > u->cap) {
		size_t cap = u->cap ? u->cap : 65536;
		uint8_t *p;

		while (cap < u->len + n)
			cap *= 2;
		if (!(p = realloc(u->data, cap)))
			return 0;
		u->data = p;
		u->cap = cap;
	}
	memcpy(u->data + u->len, ptr, n);
	u->len += n;
	return n;
}

static size_t url_feed(struct receiver *rx, struct camera *cam, const uint8_t *data, size_t len,
		       struct answer *ans, bool *done)
{
	return 0; /* commands typed meanwhile wait for the answer */
}

static void fetched(struct url_receiver *u, struct camera *cam, CURLcode rc, struct answer *ans)
{
	char msg[256];

	if (rc != CURLE_OK)
		answer_error(ans, "%s: download of '%s' failed: %s", u->command, u->url,
			     u->too_big ? "file too large" : u->curl_err[0] ? u->curl_err :
			     curl_easy_strerror(rc));
	else if (file_accept(cam, u->kind, u->data, u->len, msg, sizeof(msg)))
		answer_error(ans, "%s: %s", u->command, msg);
	else
		answer_ok(ans);
}

static bool url_tick(struct receiver *rx, struct camera *cam, int64_t now, struct answer *ans)
{
	struct url_receiver *u = (struct url_receiver *)rx;
	CURLMsg *m;
	int running, left;

	if (u->base.fx.fetch_fail) {
		answer_error(ans, "%s: download of '%s' failed: connection refused", u->command, u->url);
		return true;
	}
	curl_multi_perform(u->multi, &running);
	while ((m = curl_multi_info_read(u->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			fetched(u, cam, m->data.result, ans);
			return true;
		}
	rx->deadline = now + TICK_MS;
	return false;
}

static void url_free(struct receiver *rx)
{
	struct url_receiver *u = (struct url_receiver *)rx;

	if (u->easy) {
		curl_multi_remove_handle(u->multi, u->easy);
		curl_easy_cleanup(u->easy);
	}
	if (u->multi)
		curl_multi_cleanup(u->multi);
	free(u->data);
	free(u);
}

static const struct receiver_ops url_ops = { url_feed, url_tick, url_free };

static bool curl_ready(void)
{
	static int state; /* 0 not tried, 1 ready, -1 failed */

	if (!state)
		state = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : -1;
	return state > 0;
}

static int setup(struct url_receiver *u)
{
	CURL *e = u->easy;

	return curl_easy_setopt(e, CURLOPT_URL, u->url) ||
	       curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") ||
	       curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) ||
	       curl_easy_setopt(e, CURLOPT_WRITEDATA, u) ||
	       curl_easy_setopt(e, CURLOPT_ERRORBUFFER, u->curl_err) ||
	       curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L) ||
	       curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) ||
	       curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, CONNECT_TIMEOUT_S) ||
	       curl_easy_setopt(e, CURLOPT_TIMEOUT, FETCH_TIMEOUT_S) ||
	       curl_multi_add_handle(u->multi, e);
}

struct receiver *url_receiver_new(const char *kind, const char *command, const char *url,
				  struct link *link, const struct xfer_effect *fx, int64_t now,
				  char *err, size_t errlen)
{
	struct url_receiver *u = calloc(1, sizeof(*u));
	struct xfer_effect urlfx;

	if (!u || !curl_ready() || !(u->multi = curl_multi_init()) || !(u->easy = curl_easy_init())) {
		snprintf(err, errlen, "%s: cannot start a download (out of memory)", command);
		if (u)
			url_free(&u->base);
		return NULL;
	}
	xfer_effect_none(&urlfx);
	urlfx.fetch_fail = fx && fx->fetch_fail; /* no serial line here */
	receiver_init(&u->base, &url_ops, link, &urlfx, TICK_MS, now);
	u->base.deadline = now; /* start at once */
	snprintf(u->kind, sizeof(u->kind), "%s", kind);
	snprintf(u->command, sizeof(u->command), "%s", command);
	snprintf(u->url, sizeof(u->url), "%s", url);
	if (strlen(url) >= sizeof(u->url) || setup(u)) {
		snprintf(err, errlen, "%s: invalid URL '%s'", command, url);
		url_free(&u->base);
		return NULL;
	}
	return &u->base;
}

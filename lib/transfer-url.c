/* Uploads by URL: our one-shot HTTP server hands the file to the camera,
 * which fetches it when told `getbias URL` (and the like). */
#include "transfer-impl.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Default answer timeouts. */
#define URL_TIMEOUT_MS 60000
#define FIRMWARE_TIMEOUT_MS 600000

/* The address of our end of a TCP connection to the camera: an address
 * the camera can reach us at. */
static int local_address(struct xfer *x, char *buf, size_t size)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	const void *addr = NULL;
	int fd = cred_port_fd(x->port);

	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
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
		return cred_fail(CRED_ERR_ARG, "'%s' is not a network connection: say which address of "
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
	int fd = cred_port_fd(x->port);

	while (fd >= 0) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		size_t done = cred_http_bytes_served(http);
		int r;

		if (done != reported) {
			x->sent = done;
			cred_xfer_progress(x, done, len);
			reported = done;
		}
		if (cred_xfer_cancelled(x))
			return cred_xfer_fail_cancelled("upload");
		if (cred_now_ms() >= deadline)
			return cred_fail(CRED_ERR_TIMEOUT, "the camera did not answer within %d ms "
					 "(it fetched %zu of %zu bytes)", x->o.answer_timeout_ms,
					 done, len);
		r = poll(&pfd, 1, 100);
		if (r > 0)
			break;
		if (r < 0 && errno != EINTR)
			return cred_fail_errno("'%s': poll", cred_port_name(x->port));
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
				 "%zu of %zu bytes from '%s'", x->kind_name,
				 cred_http_bytes_served(http), len, cred_http_url(http));
	x->sent = len;
	cred_xfer_progress(x, len, len);
	return CRED_OK;
}

static int url_timeout(const struct xfer *x)
{
	if (x->o.answer_timeout_ms > 0)
		return x->o.answer_timeout_ms;
	return strcmp(x->kind->name, "firmware") == 0 ? FIRMWARE_TIMEOUT_MS : URL_TIMEOUT_MS;
}

int cred_xfer_upload_url(struct xfer *x, const char *name, const void *data, size_t len,
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
	deadline = cred_now_ms() + x->o.answer_timeout_ms;
	r = cred_cli_send(x->cli, cmd);
	if (r == CRED_OK)
		r = wait_url_answer(x, http, len, deadline);
	if (r == CRED_OK) {
		long long left = deadline - cred_now_ms();

		r = cred_xfer_read_verdict(x, left > ANSWER_REST_MS ? (int)left : ANSWER_REST_MS, answer);
	}
	if (r == CRED_ERR_IO && cred_last_errno() == EINTR) {
		/* Stopped by the user: stop serving (a fetch under way fails)
		 * and do not wait for the camera's answer, which may take as
		 * long as its download; x->sent says what it fetched. */
		struct xfer_saved_error saved;

		cred_xfer_save_error(&saved, r);
		cred_http_wait(http, 0, NULL, NULL, NULL);
		x->sent = cred_http_bytes_served(http);
		x->left_waiting = 1;
		r = cred_xfer_restore_error(&saved);
	}
	if (r == CRED_OK && (r = check_fetched(x, http, len)) < 0) {
		free(*answer);
		*answer = NULL;
	}
	cred_http_free(http);
	return r;
}

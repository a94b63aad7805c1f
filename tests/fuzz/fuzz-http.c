/* Fuzz target: the one-shot HTTP server's request path (lib/http-serve.c
 * and the libmicrohttpd it drives): whatever a client sends, over a real
 * TCP connection to a fresh server on 127.0.0.1.
 *
 * Input: the bytes the client sends; every "@P@" in them is replaced by
 * the file's secret path (/TOKEN/bias.bin), which a fuzzer cannot guess,
 * so that the file itself is served too. The client then closes its
 * sending side and reads the answer until the server closes. */
#include "fuzz.h"
#include "cred-transfer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

static uint8_t file[3000];

/* The input with @P@ replaced by path; malloc'd, its length in *len. */
static char *expand(const uint8_t *data, size_t size, const char *path, size_t *len)
{
	size_t plen = strlen(path), n = 0;
	char *out = malloc(size * (plen + 1) / 3 + size + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < size;) {
		if (i + 3 <= size && memcmp(data + i, "@P@", 3) == 0) {
			memcpy(out + n, path, plen);
			n += plen;
			i += 3;
		} else {
			out[n++] = (char)data[i++];
		}
	}
	*len = n;
	return out;
}

/* Send req, then read the answer until the server closes, or is quiet:
 * 300 ms before the first byte, 20 ms after one (a kept-alive connection
 * waits for the next request). */
static void talk(int port, const char *req, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	char buf[4096];
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0) {
		size_t off = 0;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		while (off < len) {
			ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		shutdown(fd, SHUT_WR);
		int wait_ms = 300;

		while (poll(&p, 1, wait_ms) > 0 && read(fd, buf, sizeof(buf)) > 0)
			wait_ms = 20;
	}
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cred_http_options o = { .bind_address = "127.0.0.1", .filename = "bias.bin" };
	struct cred_http *http;
	const char *url, *path;
	char *req;
	size_t len;

	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)i;
	if (cred_http_new(file, sizeof(file), &o, &http) < 0)
		return 0;
	url = cred_http_url(http);
	path = strchr(url + strlen("http://"), '/');
	if (path && (req = expand(data, size, path, &len))) {
		talk(cred_http_port(http), req, len);
		free(req);
	}
	(void)cred_http_bytes_served(http);
	(void)cred_http_served(http);
	cred_http_free(http);
	return 0;
}

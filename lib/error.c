/* Error bookkeeping and debug tracing for libcred. */
#include "cred-error.h"
#include "error-impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread char last_message[1024];
static __thread int last_errno;

const char *cred_last_error(void) { return last_message; }
int cred_last_errno(void) { return last_errno; }
const char *cred_version(void) { return CRED_VERSION; }

const char *cred_strerror(int err)
{
	switch (err) {
	case CRED_OK: return "success";
	case CRED_ERR_ARG: return "invalid argument";
	case CRED_ERR_FAIL: return "rejected by the camera";
	case CRED_ERR_TIMEOUT: return "timeout";
	case CRED_ERR_IO: return "input/output error";
	case CRED_ERR_MEM: return "out of memory";
	case CRED_ERR_SUPP: return "not supported";
	case CRED_ERR_BUSY: return "port busy";
	case CRED_ERR_PROTO: return "protocol error";
	case CRED_ERR_DATA: return "bad data";
	default: return "unknown error";
	}
}

void cred_clear_error(void)
{
	last_message[0] = '\0';
	last_errno = 0;
}

int cred_fail(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_errno = 0;
	return err;
}

int cred_fail_errno(const char *fmt, ...)
{
	int saved = errno;
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	n = strlen(last_message);
	snprintf(last_message + n, sizeof(last_message) - n, ": %s", strerror(saved));
	last_errno = saved;
	errno = saved;
	return CRED_ERR_IO;
}

int cred_debug_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0) {
		const char *v = getenv("CRED_DEBUG");
		enabled = v && *v && strcmp(v, "0") != 0;
	}
	return enabled;
}

void cred_debug(const char *fmt, ...)
{
	va_list ap;

	if (!cred_debug_enabled())
		return;
	va_start(ap, fmt);
	fputs("cred: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

/* One line per chunk: direction, port, then the bytes with C escapes, so a
 * trace shows exactly what crossed the wire (\r, \n, binary). */
void cred_debug_bytes(const char *dir, const char *port, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	if (!cred_debug_enabled() || len == 0)
		return;
	fprintf(stderr, "cred: %s %s %zu \"", port, dir, len);
	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\r') fputs("\\r", stderr);
		else if (p[i] == '\n') fputs("\\n", stderr);
		else if (p[i] == '"' || p[i] == '\\') fprintf(stderr, "\\%c", p[i]);
		else if (isprint(p[i])) fputc(p[i], stderr);
		else fprintf(stderr, "\\x%02x", p[i]);
	}
	fputs("\"\n", stderr);
}

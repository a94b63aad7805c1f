/* exec logs and the URL in its answer (cred-logs.h). */
#include "camera-impl.h"
#include "cred-logs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS_TIMEOUT_MS 120000 /* the default: gathering the logs takes a while */

static int from_ok(const char *from)
{
	size_t n = strlen(from);

	if (n == 0 || n > 64)
		return 0;
	for (; *from; from++)
		if (!isgraph((unsigned char)*from))
			return 0;
	return 1;
}

/* The first http:// or https:// URL in text, malloc'd; NULL if none. */
static char *find_url(const char *text)
{
	const char *p = strstr(text, "http://"), *q = strstr(text, "https://");
	size_t n;

	if (!p || (q && q < p))
		p = q;
	if (!p)
		return NULL;
	for (n = 0; isgraph((unsigned char)p[n]) && !strchr("\"'<>", p[n]); n++)
		;
	while (n && strchr(".,;)", p[n - 1]))
		n--; /* end of a sentence, not of the URL */
	return strndup(p, n);
}

int cred_logs_request(struct cred_camera *cam, const char *from, int timeout_ms, char **url)
{
	char *answer = NULL;
	int r;

	if (timeout_ms <= 0)
		timeout_ms = LOGS_TIMEOUT_MS;
	cred_clear_error();
	*url = NULL;
	if (from && !from_ok(from))
		return cred_fail(CRED_ERR_ARG, "invalid start '%s' for the logs (one word of at most "
				 "64 printable characters)", from);
	if (from)
		r = cred_cli_commandf(cam->cli, timeout_ms, &answer, "exec logs %s", from);
	else
		r = cred_cli_command(cam->cli, "exec logs", timeout_ms, &answer);
	if (r < 0)
		return r;
	*url = find_url(answer);
	if (!*url)
		r = cred_fail(CRED_ERR_PROTO, "the camera's answer to exec logs holds no URL: '%s'",
			      answer);
	free(answer);
	return r;
}

/* A fake camera for the cred_camera_* tests: a thread on one end of a
 * socketpair answers "<cmd> raw" from a small table and "set <key> <value>"
 * by storing the value (then calling on_set, so a test can give it the
 * camera's habits), any other command from a key "=COMMAND", ends
 * every answer with "\r\nfli-cli>", and records
 * every command it receives. Static functions: include it once. */
#ifndef FAKE_CAMERA_H
#define FAKE_CAMERA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cred.h"
#include "test-helpers.h"

#define MAX_KEYS 64
#define MAX_LOG 256

struct fake {
	int fd;
	pthread_t thread;
	pthread_mutex_t lock;
	char key[MAX_KEYS][64];
	char value[MAX_KEYS][128];
	int nkeys;
	char *log[MAX_LOG];
	int nlog;
	/* Camera behaviour after a successful set (called with lock held). */
	void (*on_set)(struct fake *f, const char *key, const char *value);
	struct cred_cli *cli;    /* our end, until fake_camera() hands it over */
	int listen_fd;           /* TCP fakes: the listening socket, else -1 */
	int mute;                /* TCP fakes: accept, read, never answer */
	struct cred_camera *cam;
};

/* ---- the fake camera ------------------------------------------------ */

static int find_key(struct fake *f, const char *key)
{
	for (int i = 0; i < f->nkeys; i++)
		if (strcmp(f->key[i], key) == 0)
			return i;
	return -1;
}

/* Set a table entry (lock held). NULL removes it: the camera then rejects it. */
static void put(struct fake *f, const char *key, const char *value)
{
	int i = find_key(f, key);

	if (!value) {
		if (i >= 0)
			f->key[i][0] = '\0';
		return;
	}
	if (i < 0) {
		assert_true(f->nkeys < MAX_KEYS);
		i = f->nkeys++;
		snprintf(f->key[i], sizeof(f->key[i]), "%s", key);
	}
	snprintf(f->value[i], sizeof(f->value[i]), "%s", value);
}

static const char *get(struct fake *f, const char *key)
{
	int i = find_key(f, key);

	return i >= 0 ? f->value[i] : NULL;
}

/* "set <key> <value>" with the longest key of the table. */
static int match_set(struct fake *f, const char *line, const char **value)
{
	int best = -1;
	size_t best_len = 0;

	if (strncmp(line, "set ", 4) != 0)
		return -1;
	line += 4;
	for (int i = 0; i < f->nkeys; i++) {
		size_t n = strlen(f->key[i]);

		if (n && n > best_len && strncmp(line, f->key[i], n) == 0 && line[n] == ' ' && line[n + 1]) {
			best = i;
			best_len = n;
		}
	}
	if (best >= 0)
		*value = line + best_len + 1;
	return best;
}

static void answer_line(struct fake *f, const char *line, char *out, size_t len)
{
	size_t n = strlen(line);
	const char *value;
	int i;

	if (n == 0) {
		snprintf(out, len, "\r\n" CRED_PROMPT);
		return;
	}
	if (n > 4 && strcmp(line + n - 4, " raw") == 0) {
		char key[128];

		snprintf(key, sizeof(key), "%.*s", (int)(n - 4), line);
		value = get(f, key);
		if (value)
			snprintf(out, len, "%s\r\n" CRED_PROMPT, value);
		else
			snprintf(out, len, "Syntax error next to '%s'\r\n" CRED_PROMPT, key);
		return;
	}
	if ((i = match_set(f, line, &value)) >= 0) {
		char key[64];

		snprintf(key, sizeof(key), "%s", f->key[i]);
		put(f, key, value);
		if (f->on_set)
			f->on_set(f, key, value);
		snprintf(out, len, "Result: OK\r\n" CRED_PROMPT);
		return;
	}
	/* A key "=LINE" answers the whole command LINE verbatim ("\n" in the
	 * value becomes "\r\n"). */
	{
		char key[160];
		const char *v;
		size_t o = 0;

		snprintf(key, sizeof(key), "=%s", line);
		if ((v = get(f, key))) {
			for (; *v && o + 3 < len; v++) {
				if (*v == '\n')
					out[o++] = '\r';
				out[o++] = *v;
			}
			snprintf(out + o, len - o, "\r\n" CRED_PROMPT);
			return;
		}
	}
	snprintf(out, len, "Syntax error next to '%s'\r\n" CRED_PROMPT, line);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	char buf[1024], out[512];
	size_t have = 0;
	ssize_t n;

	while ((n = read(f->fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		char *line, *nl;

		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (nl > line && nl[-1] == '\r')
				nl[-1] = '\0';
			pthread_mutex_lock(&f->lock);
			if (f->nlog < MAX_LOG)
				f->log[f->nlog++] = strdup(line);
			answer_line(f, line, out, sizeof(out));
			pthread_mutex_unlock(&f->lock);
			if (write(f->fd, out, strlen(out)) < 0)
				return NULL;
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
	}
	return NULL;
}

/* ---- driving it ------------------------------------------------------ */

static struct fake *fake_start(const char *const (*table)[2], size_t n)
{
	struct fake *f = calloc(1, sizeof(*f));
	int sv[2];

	assert_non_null(f);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	f->fd = sv[1];
	f->listen_fd = -1;
	pthread_mutex_init(&f->lock, NULL);
	for (size_t i = 0; i < n; i++)
		put(f, table[i][0], table[i][1]);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_main, f), 0);
	f->cli = client_on_fd(sv[0]);
	return f;
}

static void *fake_accept_main(void *arg)
{
	struct fake *f = arg;
	char buf[256];

	f->fd = accept(f->listen_fd, NULL, NULL);
	if (f->fd < 0)
		return NULL;
	if (!f->mute)
		return fake_main(f);
	while (read(f->fd, buf, sizeof(buf)) > 0)
		;
	return NULL;
}

/* A fake reached as "tcp:127.0.0.1:PORT" (the port is chosen by the
 * system): for cred_camera_open. mute: it never answers. */
__attribute__((unused)) static struct fake *fake_start_tcp(const char *const (*table)[2], size_t n, int mute, char *spec,
				   size_t speclen)
{
	struct fake *f = calloc(1, sizeof(*f));
	int port;

	assert_non_null(f);
	f->fd = -1;
	f->mute = mute;
	f->listen_fd = loopback_listen(&port);
	snprintf(spec, speclen, "tcp:127.0.0.1:%d", port);
	pthread_mutex_init(&f->lock, NULL);
	for (size_t i = 0; i < n; i++)
		put(f, table[i][0], table[i][1]);
	assert_int_equal(pthread_create(&f->thread, NULL, fake_accept_main, f), 0);
	return f;
}

/* Make the camera on the fake's client; model UNKNOWN detects it. */
static int fake_camera(struct fake *f, enum cred_model_id model)
{
	struct cred_cli *cli = f->cli;

	f->cli = NULL; /* the camera owns it now, also on failure */
	return cred_camera_new(cli, model, &f->cam);
}

static void fake_stop(struct fake *f)
{
	/* Closing our end makes the fake read EOF. */
	cred_cli_free(f->cli);
	cred_camera_close(f->cam);
	pthread_join(f->thread, NULL);
	if (f->fd >= 0)
		close(f->fd);
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	for (int i = 0; i < f->nlog; i++)
		free(f->log[i]);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

static void fake_clear_log(struct fake *f)
{
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog; i++)
		free(f->log[i]);
	f->nlog = 0;
	pthread_mutex_unlock(&f->lock);
}

static void fake_put(struct fake *f, const char *key, const char *value)
{
	pthread_mutex_lock(&f->lock);
	put(f, key, value);
	pthread_mutex_unlock(&f->lock);
}

/* The commands received since the last clear, joined with " | ". */
static const char *fake_log(struct fake *f)
{
	static char joined[4096];
	size_t n = 0;

	joined[0] = '\0';
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog && n < sizeof(joined); i++)
		n += (size_t)snprintf(joined + n, sizeof(joined) - n, "%s%s", i ? " | " : "", f->log[i]);
	pthread_mutex_unlock(&f->lock);
	return joined;
}

/* Only the set commands, in order. */
__attribute__((unused)) static const char *fake_sets(struct fake *f)
{
	static char joined[2048];
	size_t n = 0;

	joined[0] = '\0';
	pthread_mutex_lock(&f->lock);
	for (int i = 0; i < f->nlog && n < sizeof(joined); i++)
		if (strncmp(f->log[i], "set ", 4) == 0)
			n += (size_t)snprintf(joined + n, sizeof(joined) - n, "%s%s", n ? " | " : "",
					      f->log[i]);
	pthread_mutex_unlock(&f->lock);
	return joined;
}

#define START(table) fake_start(table, sizeof(table) / sizeof(table[0]))

#endif

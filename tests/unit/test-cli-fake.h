/* A scripted fake camera for the CLI client tests: a thread on the far end
 * of a socketpair that reads command lines, checks them against a script
 * and writes scripted bytes back (whole, or one byte at a time, after a
 * delay, or only when the test says "go"). Every line it receives is
 * logged, also after the script has run out, so a test can prove that a
 * command was not sent twice. Included by test-cli*.c (header-only because
 * each unit test is linked on its own). */
#ifndef TEST_CLI_FAKE_H
#define TEST_CLI_FAKE_H

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cred-cli.h"
#include "test-helpers.h"

#define STEP_SPLIT  1u /* write the reply one byte at a time */
#define STEP_GO     2u /* wait for fake_go() before writing */
#define STEP_NOTIFY 4u /* post fake_wait() once written */
#define STEP_CLOSE  8u /* close the line after writing */

struct step {
	const char *expect;  /* line to read first, without "\n"; NULL: none */
	const char *reply;   /* bytes to write; NULL: none */
	size_t len;          /* reply length; 0: strlen(reply) */
	int delay_ms;        /* wait before writing */
	unsigned flags;
	size_t raw_in;       /* raw bytes to read after the line (logged as one entry) */
};

#define FAKE_LOG_MAX 64

struct fake {
	int fd;
	pthread_t thread;
	const struct step *steps;
	size_t nsteps;
	char log[FAKE_LOG_MAX][512];
	size_t nlog;
	char mismatch[600];
	sem_t go, done;
};

/* Bounded waits only: a broken test must fail, not hang. */
static int fake_sem_wait(sem_t *s, int seconds)
{
	struct timespec ts;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += seconds;
	while ((r = sem_timedwait(s, &ts)) < 0 && errno == EINTR)
		;
	return r;
}

static void fake_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Read one line (up to "\n", which is dropped) or n raw bytes when n > 0.
 * Returns the length, or -1 at end of file. */
static ssize_t fake_read(struct fake *f, char *buf, size_t size, size_t n)
{
	size_t got = 0;

	while (got + 1 < size) {
		ssize_t r = read(f->fd, buf + got, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		if (!n && buf[got] == '\n')
			break;
		got++;
		if (n && got == n)
			break;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

static void fake_log(struct fake *f, const char *line)
{
	if (f->nlog < FAKE_LOG_MAX)
		snprintf(f->log[f->nlog++], sizeof(f->log[0]), "%s", line);
}

static void fake_write(struct fake *f, const struct step *s)
{
	size_t len = s->len ? s->len : strlen(s->reply);

	if (!(s->flags & STEP_SPLIT)) {
		if (write(f->fd, s->reply, len) < 0)
			return;
		return;
	}
	for (size_t i = 0; i < len; i++) {
		if (write(f->fd, s->reply + i, 1) < 0)
			return;
		fake_sleep_ms(1);
	}
}

/* Play one step; returns -1 when the line is gone or closed. */
static int fake_step(struct fake *f, const struct step *s)
{
	char line[512];

	if (s->expect) {
		if (fake_read(f, line, sizeof(line), 0) < 0) {
			snprintf(f->mismatch, sizeof(f->mismatch), "line closed while waiting for '%s'",
				 s->expect);
			return -1;
		}
		fake_log(f, line);
		if (strcmp(line, s->expect) != 0 && !f->mismatch[0])
			snprintf(f->mismatch, sizeof(f->mismatch), "expected '%s', got '%s'",
				 s->expect, line);
	}
	if (s->raw_in) {
		if (fake_read(f, line, sizeof(line), s->raw_in) < 0)
			return -1;
		fake_log(f, line);
	}
	if ((s->flags & STEP_GO) && fake_sem_wait(&f->go, 10) < 0)
		return -1;
	if (s->delay_ms)
		fake_sleep_ms(s->delay_ms);
	if (s->reply)
		fake_write(f, s);
	if (s->flags & STEP_NOTIFY)
		sem_post(&f->done);
	if (s->flags & STEP_CLOSE) {
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	return 0;
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	char line[512];

	for (size_t i = 0; i < f->nsteps; i++)
		if (fake_step(f, &f->steps[i]) < 0)
			return NULL;
	/* Script done: log whatever else comes until the client hangs up. */
	while (fake_read(f, line, sizeof(line), 0) >= 0)
		fake_log(f, line);
	return NULL;
}

/* Start a fake camera playing steps and return a client connected to it. */
static struct cred_cli *fake_start(struct fake *f, const struct step *steps, size_t nsteps)
{
	struct cred_cli *cli;
	int sv[2];

	memset(f, 0, sizeof(*f));
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return NULL;
	f->fd = sv[1];
	f->steps = steps;
	f->nsteps = nsteps;
	sem_init(&f->go, 0, 0);
	sem_init(&f->done, 0, 0);
	cli = client_on_fd(sv[0]);
	if (pthread_create(&f->thread, NULL, fake_main, f) != 0) {
		cred_cli_free(cli);
		return NULL;
	}
	return cli;
}

static void fake_go(struct fake *f)
{
	sem_post(&f->go);
}

/* Wait (bounded) until a STEP_NOTIFY step has written its bytes. */
static int fake_wait(struct fake *f)
{
	return fake_sem_wait(&f->done, 10);
}

/* Hang up, let the fake finish, and return its first script mismatch
 * ("" when it saw exactly what it expected). */
static const char *fake_stop(struct fake *f, struct cred_cli *cli)
{
	cred_cli_free(cli);
	pthread_join(f->thread, NULL);
	if (f->fd >= 0)
		close(f->fd);
	sem_destroy(&f->go);
	sem_destroy(&f->done);
	return f->mismatch;
}

#endif

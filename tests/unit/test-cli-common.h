/* Helpers shared by the CLI client tests (header-only: each unit test is
 * linked on its own). */
#ifndef TEST_CLI_COMMON_H
#define TEST_CLI_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "test-cli-fake.h"

#define PROMPT "\r\nfli-cli>"
/* Script steps with designated initializers (the rest stays zero). */
#define ST(e, r)         { .expect = (e), .reply = (r) }
#define STF(e, r, fl)    { .expect = (e), .reply = (r), .flags = (fl) }
#define NSTEPS(a) (sizeof(a) / sizeof((a)[0]))

#define START(steps)                                                     \
	struct fake f;                                                   \
	struct cred_cli *cli = fake_start(&f, steps, NSTEPS(steps));     \
	assert_non_null(cli)

static void stop(struct fake *f, struct cred_cli *cli)
{
	const char *m = fake_stop(f, cli);

	if (*m)
		fail_msg("fake camera: %s", m);
}

static void expect_answer(struct cred_cli *cli, const char *command, const char *want)
{
	char *answer = NULL;
	int r = cred_cli_command(cli, command, 0, &answer);

	if (r != CRED_OK)
		fail_msg("'%s': %s (%s)", command, cred_strerror(r), cred_last_error());
	assert_non_null(answer);
	assert_string_equal(answer, want);
	free(answer);
}

/* command must fail with err; returns nothing, checks *answer stays NULL. */
static void expect_error(struct cred_cli *cli, const char *command, int timeout_ms, int err)
{
	char *answer = (char *)"untouched";
	int r = cred_cli_command(cli, command, timeout_ms, &answer);

	if (r != err)
		fail_msg("'%s': got %d (%s), wanted %d", command, r, cred_last_error(), err);
	assert_null(answer);
}

/* The fake camera received exactly these lines (NULL-terminated). */
static void assert_log(const struct fake *f, ...)
{
	va_list ap;
	size_t i = 0;
	const char *want;

	va_start(ap, f);
	while ((want = va_arg(ap, const char *))) {
		if (i >= f->nlog)
			fail_msg("camera received %zu lines, wanted more ('%s')", f->nlog, want);
		if (strcmp(f->log[i], want) != 0)
			fail_msg("camera line %zu: '%s', wanted '%s'", i, f->log[i], want);
		i++;
	}
	va_end(ap);
	if (i != f->nlog)
		fail_msg("camera received %zu lines, wanted %zu (extra: '%s')", f->nlog, i, f->log[i]);
}

struct events {
	char v[16][256];
	int n;
};

static void collect(const char *line, void *user)
{
	struct events *e = user;

	if (e->n < 16)
		snprintf(e->v[e->n++], sizeof(e->v[0]), "%s", line);
}

static int setup_signals(void **state)
{
	signal(SIGPIPE, SIG_IGN); /* a closed socket must give EPIPE, not kill us */
	return 0;
}

#endif

/* Temporary files removed at exit and on a fatal signal (see common.h). */
#include "common.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Fixed slots so the signal handler never touches malloc. */
#define MAX_CLEANUP 32
static char *volatile cleanup_paths[MAX_CLEANUP];
static bool cleanup_installed;

static void cleanup_run(void)
{
	for (int i = 0; i < MAX_CLEANUP; i++)
		if (cleanup_paths[i])
			unlink(cleanup_paths[i]);
}

void cleanup_run_now(void)
{
	cleanup_run();
}

static void cleanup_signal(int sig)
{
	cleanup_run();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_install(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = cleanup_signal };

	if (cleanup_installed)
		return;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
	atexit(cleanup_run);
	cleanup_installed = true;
}

/* Block the fatal signals while a slot changes, so the handler never sees
 * a half-freed path. */
static void block_signals(bool block, sigset_t *old)
{
	sigset_t set;

	if (!block) {
		sigprocmask(SIG_SETMASK, old, NULL);
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

void cleanup_add(const char *path)
{
	char *copy = strdup(path);
	sigset_t old;

	if (!copy)
		die("out of memory");
	cleanup_install();
	block_signals(true, &old);
	for (int i = 0; i < MAX_CLEANUP; i++) {
		if (!cleanup_paths[i]) {
			cleanup_paths[i] = copy;
			block_signals(false, &old);
			return;
		}
	}
	block_signals(false, &old);
	free(copy);
	die("too many temporary files");
}

void cleanup_forget(const char *path)
{
	sigset_t old;

	block_signals(true, &old);
	for (int i = 0; i < MAX_CLEANUP; i++) {
		char *p = cleanup_paths[i];

		if (p && !strcmp(p, path)) {
			cleanup_paths[i] = NULL;
			free(p);
			break;
		}
	}
	block_signals(false, &old);
}

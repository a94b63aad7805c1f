/* --deadline: one limit for the whole run (see common.h). -t stays what
 * it is everywhere, the time one answer may take. */
#include "common.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define GRACE_MS 1000 /* a tool that has not ended by then is ended */

static volatile sig_atomic_t passed;
static int limit_ms;
static double armed_at;
static char message[64];
static bool said;

static void set_timer(int ms)
{
	struct itimerval it = { .it_value = { ms / 1000, (ms % 1000) * 1000L } };

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Only async-signal-safe calls: the second expiry may come anywhere. */
static void on_alarm(int sig)
{
	if (!passed) {
		passed = 1;
		stop_signal = sig; /* loops stop, libcred's waits are cancelled */
		set_timer(GRACE_MS);
		return;
	}
	if (!said) {
		const char *prog = get_prog_name();

		if (write(STDERR_FILENO, prog, strlen(prog)) < 0 ||
		    write(STDERR_FILENO, ": ", 2) < 0 ||
		    write(STDERR_FILENO, message, strlen(message)) < 0 ||
		    write(STDERR_FILENO, "\n", 1) < 0) {
			/* nothing more can be said */
		}
	}
	cleanup_run_now();
	_exit(EXIT_NO_ANSWER);
}

/* A tool that ended on its own after the deadline (a clean stop, as on
 * Ctrl-C) still says why, and ends with status 3. */
static void at_exit(void)
{
	if (!passed)
		return;
	if (!said)
		fprintf(stderr, "%s: %s\n", get_prog_name(), deadline_message());
	fflush(NULL);
	cleanup_run_now();
	_exit(EXIT_NO_ANSWER);
}

void deadline_arm(int ms)
{
	struct sigaction sa;
	double now = cred_now_s();
	int left;

	if (ms <= 0 || ms == limit_ms)
		return;
	if (!limit_ms) {
		armed_at = now;
		atexit(at_exit);
	}
	limit_ms = ms;
	snprintf(message, sizeof(message), "deadline of %g s passed", ms / 1000.0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: blocked reads return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	cred_set_cancel_flag(&stop_signal);
	left = ms - (int)((now - armed_at) * 1000);
	set_timer(left > 0 ? left : 1);
}

bool deadline_passed(void)
{
	return passed;
}

const char *deadline_message(void)
{
	said = true;
	return message;
}

bool deadline_reported(void)
{
	return said;
}

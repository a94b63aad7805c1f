/* Ctrl-C and friends as a request to stop (see common.h). */
#include "common.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

volatile sig_atomic_t stop_signal;

static const int stop_sigs[] = { SIGINT, SIGTERM, SIGHUP };
/* What each signal did before (the output files' cleanup, say). */
static struct sigaction saved[ARRAY_SIZE(stop_sigs)];
static bool caught[ARRAY_SIZE(stop_sigs)];

static void on_stop_signal(int sig)
{
	if (sig != SIGINT || !stop_signal)
		stop_signal = sig;
}

bool take_ctrl_c(void)
{
	sig_atomic_t expected = SIGINT;

	return __atomic_compare_exchange_n(&stop_signal, &expected, 0, false, __ATOMIC_SEQ_CST,
					   __ATOMIC_SEQ_CST);
}

int take_stop_signal(void)
{
	/* one exchange: the handler runs before it or after it */
	return __atomic_exchange_n(&stop_signal, 0, __ATOMIC_SEQ_CST);
}

void catch_stop_signals(bool hup)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	/* No SA_RESTART: a blocked read() returns EINTR at once, so the
	 * loop around it sees the flag. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < ARRAY_SIZE(stop_sigs); i++) {
		if (caught[i] || (stop_sigs[i] == SIGHUP && !hup))
			continue;
		sigaction(stop_sigs[i], &sa, &saved[i]);
		caught[i] = true;
	}
}

void cancel_library_on_stop(void)
{
	cred_set_cancel_flag(&stop_signal);
}

void restore_stop_signals(void)
{
	cred_set_cancel_flag(NULL);
	for (size_t i = 0; i < ARRAY_SIZE(stop_sigs); i++) {
		if (!caught[i])
			continue;
		sigaction(stop_sigs[i], &saved[i], NULL);
		caught[i] = false;
	}
}

void ignore_file_size_signal(void)
{
	signal(SIGXFSZ, SIG_IGN);
}

int interrupted_status(int sig)
{
	return EXIT_SIGNAL_BASE + (sig > 0 ? sig : SIGINT);
}

void die_interrupted(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* through die_code: the JSON error object with --json, and exit 3
	 * when it was the deadline, not a signal, that stopped the run */
	die_code(interrupted_status(stop_signal), "%s", msg);
}

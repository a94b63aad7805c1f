/* The process-wide cancel flag (cred-cancel.h). Waits elsewhere in the
 * library look at it between slices of at most CRED_CANCEL_SLICE_MS. */
#include "cancel-impl.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

/* Written by the tool's main thread, read by every thread. */
static volatile sig_atomic_t *registered;
/* Clean-ups in progress in this thread (cred_cancel_hold). */
static __thread int held;

volatile sig_atomic_t *cred_set_cancel_flag(volatile sig_atomic_t *flag)
{
	return __atomic_exchange_n(&registered, flag, __ATOMIC_SEQ_CST);
}

int cred_cancelled(void)
{
	volatile sig_atomic_t *flag = __atomic_load_n(&registered, __ATOMIC_SEQ_CST);

	return flag && *flag;
}

int cred_cancel_requested(void)
{
	return !held && cred_cancelled();
}

int cred_cancel_slice(int left_ms)
{
	return left_ms < 0 || left_ms > CRED_CANCEL_SLICE_MS ? CRED_CANCEL_SLICE_MS : left_ms;
}

int cred_fail_cancelled(const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	errno = EINTR;
	return cred_fail_errno("%s interrupted", what);
}

void cred_cancel_hold(void)
{
	held++;
}

void cred_cancel_release(void)
{
	if (held > 0)
		held--;
}

/* Internal: how waits in libcred honour the cancel flag of cred-cancel.h.
 * Not installed. */
#ifndef CRED_CANCEL_IMPL_H
#define CRED_CANCEL_IMPL_H

#include "cred-cancel.h"
#include "error-impl.h"

/* Non-zero when the registered flag is set and this thread is not inside
 * a clean-up (cred_cancel_hold). */
int cred_cancel_requested(void);

/* The slice of a wait with left_ms to go (-1: no limit): at most
 * CRED_CANCEL_SLICE_MS. */
int cred_cancel_slice(int left_ms);

/* CRED_ERR_IO with errno EINTR: "<what> interrupted". */
int cred_fail_cancelled(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Clean-ups that must run after a cancellation (resynchronising with the
 * interpreter after a stopped transfer) ignore the flag between hold and
 * release, in this thread. They nest. */
void cred_cancel_hold(void);
void cred_cancel_release(void);

#endif

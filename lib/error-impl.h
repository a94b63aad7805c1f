/* Internal: how libcred records failures and traces, for every source file of
 * libcred (the internal headers include it). Not installed, not exported: the
 * public side is cred_last_error() and friends in cred-error.h. */
#ifndef CRED_ERROR_IMPL_H
#define CRED_ERROR_IMPL_H

#include <stddef.h>
#include "cred-error.h"

/* Record a failure and return err, so callers write
 * `return cred_fail(CRED_ERR_ARG, "bad port '%s'", spec);`. */
int cred_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like cred_fail with err CRED_ERR_IO, appending ": strerror(errno)" and
 * keeping errno. */
int cred_fail_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Forget the last failure (start of a public call). */
void cred_clear_error(void);
/* Debug trace to stderr when CRED_DEBUG is set in the environment. */
int cred_debug_enabled(void);
void cred_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Trace bytes on the wire ("<" read, ">" written) when CRED_DEBUG=1. */
void cred_debug_bytes(const char *dir, const char *port, const void *buf, size_t len);

#endif

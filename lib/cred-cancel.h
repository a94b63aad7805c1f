/* Cancellation: one process-wide flag, usually the one a tool's SIGINT and
 * SIGTERM handlers set.
 *
 * While the registered flag is non-zero, every call of libcred that waits
 * (a port read, a command's answer, a frame source, the frame reader on a
 * pipe, a transfer, the HTTP server, waiting for a port's lock) stops
 * within CRED_CANCEL_SLICE_MS (waits are cut into slices that long, and
 * the flag is looked at between them; a wait for a lock without a limit
 * blocks in the kernel and ends when the signal that set the flag
 * interrupts it, so install that handler without SA_RESTART) and fails
 * with CRED_ERR_IO,
 * cred_last_errno() EINTR and a message ending "interrupted". Reads that
 * do not wait (timeout 0) still hand over what has arrived. cred_cli_send
 * and cred_cli_command send nothing while the flag is set, so nothing new
 * is started on the camera after a cancellation. What the library must
 * still do to leave the camera usable after a transfer it stopped (send
 * the XMODEM cancel, wait for the interpreter's prompt) ignores the flag.
 *
 * A tool that needs the camera after a cancellation (to abort the build it
 * started, to put a setting back) first clears its flag or registers NULL;
 * a second signal can then stop that clean-up in turn.
 *
 * The flag is read from every thread; register it before starting any
 * thread that calls libcred. The per-call cancel flags of the transfer
 * options and cred_http_wait work as before, besides this one. */
#ifndef CRED_CANCEL_H
#define CRED_CANCEL_H

#include <signal.h>
#include "cred-error.h"

/* Longest time, in ms, a wait goes on after the flag was set. */
#define CRED_CANCEL_SLICE_MS 100

/* Register flag (NULL: none, the initial state). Returns the flag that
 * was registered before, so a caller can put it back. */
CRED_API volatile sig_atomic_t *cred_set_cancel_flag(volatile sig_atomic_t *flag);

/* Non-zero when a flag is registered and set. */
CRED_API int cred_cancelled(void);

#endif

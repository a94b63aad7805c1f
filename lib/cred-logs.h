/* The camera's logs: `exec logs [FROM]` makes the camera gather its logs
 * into an archive and serve it over HTTP; its answer holds the URL, which
 * cred_http_fetch downloads. cred_archive_extract (cred-archive.h) unpacks
 * it safely.
 *
 * Wire assumption: the answer holds one "http://" URL, anywhere in its
 * text ("Logs available at http://192.168.0.147:8080/logs.tar.gz"). */
#ifndef CRED_LOGS_H
#define CRED_LOGS_H

#include <signal.h>
#include <stddef.h>
#include "cred-camera.h"
#include "cred-transfer.h"

/* Send `exec logs` (from NULL) or `exec logs FROM` and return the URL of
 * the archive in *url (malloc'd). from is passed as the camera takes it
 * (one word of at most 64 printable characters). The answer is awaited
 * timeout_ms (0: 2 minutes, the camera gathers its logs first). Errors: CRED_ERR_ARG (bad
 * from), CRED_ERR_FAIL (the camera refused: its text), CRED_ERR_PROTO (no
 * URL in the answer: the answer is quoted), the client's. */
CRED_API int cred_logs_request(struct cred_camera *cam, const char *from, int timeout_ms,
			       char **url);

/* Download url (http:// or https://) with a GET: *data malloc'd (free it),
 * *len its size. The download fails once it passes max bytes (0: 1 GiB),
 * or after timeout_ms (0: 5 minutes) without finishing. progress (may be
 * NULL) hears bytes so far (total 0 while unknown). Errors: CRED_ERR_IO
 * (cannot connect, HTTP error status, cut off; EINTR when *cancel became
 * non-zero), CRED_ERR_TIMEOUT, CRED_ERR_DATA (over max), CRED_ERR_ARG (not
 * an http URL), CRED_ERR_MEM. */
CRED_API int cred_http_fetch(const char *url, size_t max, int timeout_ms,
			     volatile sig_atomic_t *cancel, cred_progress_fn progress, void *user,
			     void **data, size_t *len);

#endif

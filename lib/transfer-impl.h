/* Internal to the transfer object (transfer.c: uploads by sendfile and
 * XMODEM; transfer-url.c: uploads by URL; transfer-recv.c: recvfile;
 * transfer-util.c: what they share). The progress and cancel helpers also
 * serve xmodem.c and http-serve.c. Nothing here is exported. */
#ifndef CRED_TRANSFER_IMPL_H
#define CRED_TRANSFER_IMPL_H

#include "clock-impl.h"
#include "cred-transfer.h"
#include "error-impl.h"

/* Timing, in milliseconds, and sizes. */
#define CHUNK 1024              /* raw bytes per write or read, so progress and
				 * the cancel flag are seen often (89 ms at
				 * 115200 baud) */
#define ANSWER_REST_MS 1000     /* an answer that has started reaches its
				 * prompt within this */
#define ABANDON_MS 30000        /* the camera's verdict after we gave up half
				 * way (it first waits for the missing bytes) */
#define PROGRESS_MS 200         /* progress callbacks at most this often */

struct kind {
	const char *name;
	unsigned methods;
	const char *url_command; /* "getbias", "exec upgradefirmware" */
	int named;               /* the command takes a file name (license) */
	int readback;            /* verify with recvfile KIND md5sum afterwards */
};

/* One transfer in progress. */
struct xfer {
	struct cred_cli *cli;
	struct cred_port *port;
	const struct kind *kind;
	const char *kind_name;
	struct cred_transfer_options o;
	long long last_progress;
	size_t sent;      /* bytes of the file that left this computer */
	int left_waiting; /* cancelled while the camera reads the file: no resync */
};

/* Saved failure, to be put back after the resync overwrote it. */
struct xfer_saved_error {
	int code, err;
	char msg[1024];
};

int cred_xfer_cancelled(const struct xfer *x);
/* CRED_ERR_IO with errno EINTR: "<what> interrupted". */
int cred_xfer_fail_cancelled(const char *what);
/* Non-zero when a progress report is due: PROGRESS_MS after the last one
 * (at *last, monotonic ms, updated), and always the final one (done ==
 * total). */
int cred_xfer_progress_due(long long *last, size_t done, size_t total);
/* Throttled progress report (always passes done == total). */
void cred_xfer_progress(struct xfer *x, size_t done, size_t total);
void cred_xfer_save_error(struct xfer_saved_error *s, int code);
int cred_xfer_restore_error(const struct xfer_saved_error *s);
/* Resynchronise with the interpreter and return the transfer's result r. */
int cred_xfer_finish(struct xfer *x, int r);
/* Non-zero if an answer means the camera did not take the file. */
int cred_xfer_says_refused(const char *answer);
/* CRED_ERR_FAIL "the camera refused the KIND file: text". */
int cred_xfer_fail_refused(const struct xfer *x, const char *text);
/* Read and judge the answer to the command just sent (timeout_ms 0: the
 * client's default); *answer keeps it on success. */
int cred_xfer_read_verdict(struct xfer *x, int timeout_ms, char **answer);
/* Strip the prompt and surrounding CR/LF from text read off the port, in
 * place; returns the start of what is left. */
char *cred_xfer_answer_text(char *buf);
/* Read raw bytes into buf (NUL-terminated) until a prompt, quiet_ms of
 * silence after the first byte, or first_ms with nothing at all. Returns
 * the byte count or an error. */
int cred_xfer_read_until_prompt(struct xfer *x, char *buf, size_t size, int first_ms, int quiet_ms);
/* Let a camera that still waits for bytes time out and answer, so the
 * interpreter is back before resynchronising. Keeps the current error. */
void cred_xfer_abandon(struct xfer *x);
/* recvfile KIND size / md5sum (transfer-recv.c). */
int cred_xfer_remote_info(struct xfer *x, size_t *size, char md5[CRED_MD5_HEX_SIZE]);
/* The URL method (transfer-url.c). */
int cred_xfer_upload_url(struct xfer *x, const char *name, const void *data, size_t len, char **answer);

#endif

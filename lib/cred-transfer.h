/* File transfers between this computer and the camera.
 *
 * Four objects, one source file each:
 *   md5       (md5.c)        digests as the camera writes them
 *   xmodem    (xmodem.c)     an XMODEM sender on any struct cred_port
 *   http      (http-serve.c) a one-shot HTTP server for the get* URL commands
 *   transfer  (transfer.c)   sendfile / xsendfile / get*-by-URL uploads and
 *                            recvfile downloads over the protocol client
 *
 * Nothing here prints. Long operations report progress through a callback
 * (bytes done, total) that is always called from the caller's thread, and
 * stop when the caller's cancel flag (a sig_atomic_t a SIGINT handler may
 * set) becomes non-zero: they then return CRED_ERR_IO with errno EINTR
 * (cred_last_errno() == EINTR), after telling the other side to stop.
 *
 * Wire assumptions (the manuals do not spell these out; credsim follows them):
 *
 *   sendfile KIND [NAME] SIZE MD5   The camera prints nothing after the
 *       command line and reads exactly SIZE raw bytes. We listen 300 ms
 *       first: an answer ending in a prompt then means it refused the
 *       command, and the bytes are not sent (the interpreter would take
 *       them for commands); text without a prompt is skipped as a notice.
 *       When it has the bytes it checks the MD5 and answers with text
 *       ending in "\r\nfli-cli>" ("Result: OK" on credsim). The upload
 *       counts as accepted when that answer is not a rejection: not
 *       cred_cli_is_rejection() and none of "mismatch", "invalid",
 *       "timeout", "timed out", "abort" (any case). A bare prompt is no
 *       answer (cred_cli takes it for a stale one) and ends in a timeout.
 *       If we stop half way, the camera waits for the missing bytes until
 *       its own timeout; we wait for that verdict (up to 30 s) before
 *       resynchronising.
 *   xsendfile KIND [NAME] SIZE MD5  Same, with the bytes carried by XMODEM:
 *       the camera is the receiver and starts with NAK (checksum) or 'C'
 *       (CRC-16). Text before that is skipped, unless it ends in a prompt
 *       (a refusal). The 0x1A padding of the last block is the camera's to
 *       strip (it knows SIZE). Then an answer as for sendfile.
 *   recvfile KIND size|md5sum       An ordinary answer holding a decimal
 *       number (the last one in the answer is taken: "Size: 40960") or a
 *       run of 32 hex digits ("MD5: 0123...").
 *   recvfile KIND content           Exactly `size` raw bytes (no header, no
 *       escaping) starting with the first byte after the command line,
 *       followed by "\r\nfli-cli>" and nothing else. The content is only
 *       accepted when its length and MD5 match what `size` and `md5sum`
 *       said just before. If fewer bytes come and then 5 s of silence, the
 *       camera's text (when they end in a prompt) is reported.
 *   get* URL, exec upgradefirmware URL   The camera fetches the URL with an
 *       HTTP GET, then answers. Accepted when the answer is not a rejection
 *       (as for sendfile) AND our server handed out the whole file. */
#ifndef CRED_TRANSFER_H
#define CRED_TRANSFER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include "cred-cli.h"

/* Progress of a long transfer: done of total bytes. Called from the
 * caller's thread, at most a few times per second plus once at the end. */
typedef void (*cred_progress_fn)(size_t done, size_t total, void *user);

/* ---- MD5 (nettle) ------------------------------------------------------ */

/* 32 lowercase hex digits and a NUL. */
#define CRED_MD5_HEX_SIZE 33

/* MD5 of len bytes at buf, as lowercase hex, into hex. Cannot fail. */
CRED_API void cred_md5_buffer(const void *buf, size_t len, char hex[CRED_MD5_HEX_SIZE]);

/* MD5 of the file at path. Returns CRED_OK, or CRED_ERR_IO (cannot open or
 * read; message names the file), leaving hex "" on failure. */
CRED_API int cred_md5_file(const char *path, char hex[CRED_MD5_HEX_SIZE]);

/* ---- XMODEM sender ----------------------------------------------------- */

struct cred_xmodem_options {
	int block_size;       /* 128 (SOH blocks) or 1024 (STX, XMODEM-1K); 0: 128.
			       * 1024 is only used when the receiver asks for CRC
			       * ('C'); a checksum receiver (NAK) gets 128-byte
			       * blocks, as XMODEM-1K requires. A tail of at most
			       * 128 bytes always goes in a 128-byte block. */
	int max_retries;      /* resends of one block (or of EOT) before giving up; 0: 10 */
	int start_timeout_ms; /* wait for the receiver's first NAK or 'C'; 0: 60000 */
	int block_timeout_ms; /* wait for the answer to one block; 0: 10000 */
	volatile sig_atomic_t *cancel; /* may be NULL */
	cred_progress_fn progress;     /* may be NULL; called after each acknowledged block */
	void *progress_user;
	/* Bytes that came while waiting for the receiver to start (text it
	 * printed; a start byte followed at once by more text counts as text).
	 * Return non-zero to stop waiting: the send then fails with
	 * CRED_ERR_FAIL. May be NULL. */
	int (*on_text)(const unsigned char *bytes, size_t len, void *user);
	void *text_user;
};

/* What happened during a send (for tools' verbose output and tests). */
struct cred_xmodem_stats {
	int crc;          /* 1: CRC-16 mode, 0: checksum mode */
	int block_size;   /* block size used for full blocks */
	unsigned blocks;  /* blocks acknowledged */
	unsigned resends; /* blocks sent again after a NAK or a timeout */
};

/* Send len bytes (len may be 0) to an XMODEM receiver on port: wait for its
 * NAK or 'C', send numbered blocks (the last padded with 0x1A), resend on
 * NAK or silence, finish with EOT until acknowledged. opts and stats may be
 * NULL. Returns:
 *   CRED_OK
 *   CRED_ERR_TIMEOUT  the receiver never started, or went silent for
 *                     max_retries block timeouts (CAN CAN sent)
 *   CRED_ERR_FAIL     the receiver cancelled (it sent CAN CAN), or on_text
 *                     gave up waiting for it to start
 *   CRED_ERR_DATA     the receiver rejected one block max_retries times
 *                     in a row (a noisy line; CAN CAN sent)
 *   CRED_ERR_IO       port error, or EINTR when *cancel became non-zero
 *                     (CAN CAN sent)
 *   CRED_ERR_ARG      bad options */
CRED_API int cred_xmodem_send(struct cred_port *port, const void *data, size_t len,
			      const struct cred_xmodem_options *opts,
			      struct cred_xmodem_stats *stats);

/* ---- one-shot HTTP server (libmicrohttpd) ------------------------------ */

struct cred_http;

struct cred_http_options {
	const char *bind_address; /* numeric IPv4 or IPv6 address to listen on;
				   * NULL: all IPv4 addresses ("0.0.0.0") */
	const char *url_host;     /* host written in the URL; NULL: bind_address
				   * (then bind_address must not be a wildcard) */
	int port;                 /* TCP port; 0: a free port chosen by the system */
	const char *filename;     /* last URL component ("bias.bin"); NULL: "file" */
};

/* Start serving len bytes at data (not copied: keep them valid until
 * cred_http_free) at http://HOST:PORT/TOKEN/FILENAME, where TOKEN is 32
 * hex digits from the kernel's random generator, so only a client told
 * the URL can fetch it. GET and HEAD on that path only; any other path is
 * 404, any other method 405. The server runs in its own thread.
 * Errors: CRED_ERR_ARG (bad address, wildcard without url_host),
 * CRED_ERR_IO (cannot listen, e.g. port in use), CRED_ERR_MEM. */
CRED_API int cred_http_new(const void *data, size_t len, const struct cred_http_options *opts,
			   struct cred_http **out);

/* The URL to give to the camera. Owned by http. */
CRED_API const char *cred_http_url(const struct cred_http *http);

/* The TCP port actually listened on. */
CRED_API int cred_http_port(const struct cred_http *http);

/* Bytes handed to clients so far in the best (largest) GET, and whether a
 * GET has completed with every byte sent. Safe to call at any time. */
CRED_API size_t cred_http_bytes_served(const struct cred_http *http);
CRED_API int cred_http_served(const struct cred_http *http);

/* Wait until one GET of the file has completed (every byte written to the
 * client) or timeout_ms passes (-1: forever), reporting progress; then
 * shut the server down (it no longer listens). A GET cut off half way does
 * not count: the client may try again while time is left. Returns CRED_OK,
 * CRED_ERR_TIMEOUT (message says how many bytes were fetched), CRED_ERR_IO
 * with EINTR when *cancel became non-zero. cancel and progress may be NULL. */
CRED_API int cred_http_wait(struct cred_http *http, int timeout_ms, cred_progress_fn progress,
			    void *progress_user, volatile sig_atomic_t *cancel);

/* Shut down the server if it still runs and free everything. NULL ignored. */
CRED_API void cred_http_free(struct cred_http *http);

/* ---- transfers over the protocol client -------------------------------- */

enum cred_transfer_method {
	CRED_TRANSFER_RAW,    /* sendfile KIND [NAME] SIZE MD5, then the bytes */
	CRED_TRANSFER_XMODEM, /* xsendfile KIND [NAME] SIZE MD5, then XMODEM */
	CRED_TRANSFER_URL,    /* getKIND URL (or exec upgradefirmware URL) via cred_http */
};

/* Upload kinds and the methods each supports (from the command tables):
 *   bias flat bias_hdr_c1 bias_hdr_c2 flat_hdr_c1 flat_hdr_c2   raw xmodem url
 *   license (needs a name)                                      raw xmodem
 *   userbadpixel                                                raw
 *   testpattern (gettestpattern, a tar.gz of images)            url
 *   firmware (exec upgradefirmware)                             url
 * Download kinds: userbadpixel factbadpixel. */

struct cred_transfer_options {
	int answer_timeout_ms;  /* the camera's answer after the data (or after a
				 * URL command); 0: the client's default for the
				 * command (sendfile 30 s, xsendfile 60 s), 60 s for
				 * get* URL, 10 min for exec upgradefirmware */
	int xmodem_block_size;  /* 128 or 1024; 0: 128 */
	const char *http_host;  /* URL method: numeric address of this computer
				 * that the camera can reach (listened on and
				 * written in the URL). NULL: the local address of
				 * the connection when the port is a TCP socket;
				 * otherwise CRED_ERR_ARG */
	int http_port;          /* URL method: 0 = any free port */
	volatile sig_atomic_t *cancel; /* may be NULL */
	cred_progress_fn progress;     /* may be NULL */
	void *progress_user;
	/* Uploads: may be NULL. Gets how many bytes of the file left this
	 * computer (written to the port, or handed out by the HTTP server),
	 * also on failure: after a cancellation 0 means the camera got
	 * nothing, less than the size that it may hold part of the file
	 * (which it rejects: the size and MD5 cannot match), the whole size
	 * that it may have taken the file. */
	size_t *sent;
};

/* Non-zero if kind can be uploaded with method. */
CRED_API int cred_transfer_supports(const char *kind, enum cred_transfer_method method);

/* Upload len bytes as kind with method, and wait for the camera's
 * verdict. name: for "license" the license file name (1 to 64 of
 * [A-Za-z0-9._-]); for the URL method the last URL component (NULL: the
 * kind); otherwise ignored. opts may be NULL. For userbadpixel the map is read back (recvfile userbadpixel
 * md5sum) and compared. *answer (may be NULL) gets the camera's answer,
 * malloc'd. Always resynchronises with the interpreter afterwards, so it
 * is usable again whatever happened. Returns:
 *   CRED_OK           the camera accepted the file (and it read back right)
 *   CRED_ERR_FAIL     the camera rejected it (message: its text)
 *   CRED_ERR_SUPP     kind cannot be uploaded this way
 *   CRED_ERR_ARG      bad kind, missing name, no http host for URL
 *   CRED_ERR_DATA     read-back MD5 differs, or the camera answered without
 *                     fetching the whole URL
 *   CRED_ERR_TIMEOUT, CRED_ERR_IO (EINTR when cancelled), CRED_ERR_PROTO
 * A cancellation during a sendfile or URL upload (while the bytes go out,
 * or while the camera's verdict is awaited) returns within
 * CRED_CANCEL_SLICE_MS plus one chunk's write: the camera's own timeout
 * is not waited for and no resynchronisation is tried (a camera that
 * still waits for bytes would take it for file data); opts->sent says
 * how far it got. */
CRED_API int cred_transfer_upload(struct cred_cli *cli, enum cred_transfer_method method,
				  const char *kind, const char *name, const void *data, size_t len,
				  const struct cred_transfer_options *opts, char **answer);

/* Ask the camera the size and MD5 of a downloadable file (recvfile KIND
 * size, recvfile KIND md5sum). md5 gets lowercase hex. */
CRED_API int cred_transfer_remote_info(struct cred_cli *cli, const char *kind, size_t *size,
				       char md5[CRED_MD5_HEX_SIZE]);

/* Download a file (recvfile KIND content) and verify its size and MD5
 * against cred_transfer_remote_info. On success *data is malloc'd (free it)
 * and *len its size; on failure *data is NULL and *len 0. Resynchronises
 * afterwards. Returns CRED_OK, CRED_ERR_DATA (size or MD5 mismatch),
 * CRED_ERR_PROTO (no "\r\nfli-cli>" after the bytes, or an announced size
 * over 64 MiB, which no bad-pixel map has), CRED_ERR_FAIL,
 * CRED_ERR_TIMEOUT, CRED_ERR_IO, CRED_ERR_ARG (unknown kind). */
CRED_API int cred_transfer_download(struct cred_cli *cli, const char *kind,
				    const struct cred_transfer_options *opts, void **data, size_t *len);

#endif

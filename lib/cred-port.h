/* Byte-stream transports to a camera's command interpreter.
 *
 * Port specs (cred_port_open):
 *   /dev/ttyACM0, serial:PATH   serial line, 115200 8N1, no flow control
 *                               (libserialport; plain termios for ptys)
 *   tcp:HOST[:PORT]             the camera's telnet interface (default port 23)
 *   clser:LIBRARY[#INDEX]       a frame grabber's Camera Link serial library,
 *                               loaded at run time (clSerialInit & co.)
 *   auto                        the one C-RED found on USB
 *
 * A per-port lock that every credtools process respects keeps two
 * processes from interleaving on one line. It is held per exchange, not
 * per session: while opening the port, and from a command to the end of
 * its answer (cred_cli_command, cred_cli_send to cred_cli_read_answer), a
 * file transfer or whatever the caller brackets with cred_port_hold and
 * cred_port_release. Between exchanges the port stays open but unlocked,
 * so an idle shell or a long wait lets other processes (a cron check, an
 * acquisition's start) take their turn; the idle holder reads nothing
 * meanwhile (events are read between exchanges only while nobody else
 * holds the lock). Lock wait: cred_port_options.lock_wait_ms applies to
 * every exchange. */
#ifndef CRED_PORT_H
#define CRED_PORT_H

#include <stddef.h>
#include "cred-error.h"

struct cred_port;

struct cred_port_options {
	int lock_wait_ms; /* for the open and every exchange: 0 fail with
			   * CRED_ERR_BUSY at once if locked; -1 wait for ever;
			   * N wait up to N ms */
	int baud;         /* 0: 115200 */
};

/* The port spec an open of spec uses: spec itself when not NULL, else
 * $CRED_PORT when set and not empty, else "auto". When named is not NULL,
 * *named is 1 if the spec came from the caller or $CRED_PORT, 0 if it is
 * the "auto" fallback. The result points into spec, the environment or
 * static storage (not to be freed). */
CRED_API const char *cred_port_resolve(const char *spec, int *named);

/* Open the port named by spec (resolved by cred_port_resolve). opts may be
 * NULL for the defaults. On success *out is a new port (free with
 * cred_port_close). Errors: CRED_ERR_ARG (bad spec), CRED_ERR_IO (cannot
 * open; errno kept), CRED_ERR_BUSY (locked by pid N, in the message),
 * CRED_ERR_SUPP (auto found no camera or several: the message lists them). */
CRED_API int cred_port_open(const char *spec, const struct cred_port_options *opts,
			    struct cred_port **out);

/* Wrap two already-open descriptors (they are closed by cred_port_close).
 * No lock is taken. Used for pipes, sockets and tests. */
CRED_API int cred_port_from_fds(int read_fd, int write_fd, const char *name,
				struct cred_port **out);

/* Take the port's lock for a sequence of exchanges that no other process
 * may split (a read-check-write, a transfer and its verification).
 * Nests: the lock goes at the matching last cred_port_release. Waits
 * for another holder as the port's lock_wait_ms says. Returns CRED_OK,
 * CRED_ERR_BUSY ("port 'X' is in use by process N"), CRED_ERR_IO (a lock
 * file not ours to use; cancelled: EINTR). A port without a lock (from
 * cred_port_from_fds) always succeeds. */
CRED_API int cred_port_hold(struct cred_port *port);
/* Undo one cred_port_hold; at depth 0 the lock (and its file) goes. */
CRED_API void cred_port_release(struct cred_port *port);

/* Close and free; releases the lock. NULL is ignored. */
CRED_API void cred_port_close(struct cred_port *port);

/* The name to show users ("/dev/ttyACM0", "tcp:127.0.0.1:4000"). Owned by port. */
CRED_API const char *cred_port_name(const struct cred_port *port);

/* The descriptor the port reads from, for poll() and getsockname(); -1 when
 * the transport has none (a Camera Link serial library). Owned by port:
 * never close it, and read the port only through cred_port_read. */
CRED_API int cred_port_fd(const struct cred_port *port);

/* Reads and writes belong inside an exchange; outside one (no hold)
 * each call takes the lock for its own duration, so it never reads
 * another process's answer. */
/* Write all len bytes within timeout_ms (-1: no limit). Returns CRED_OK,
 * CRED_ERR_TIMEOUT or CRED_ERR_IO. Traced with CRED_DEBUG=1. */
CRED_API int cred_port_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms);

/* Read what is available, at most len bytes, waiting up to timeout_ms for
 * the first byte (0: do not wait). Returns the count read (>= 1), 0 when
 * nothing came in time, or a negative error (CRED_ERR_IO; a closed TCP
 * peer or vanished device is CRED_ERR_IO with message "connection lost"). */
CRED_API int cred_port_read(struct cred_port *port, void *buf, size_t len, int timeout_ms);

/* Read and discard until the line has been quiet for quiet_ms. *discarded
 * (may be NULL) gets the number of bytes thrown away. */
CRED_API int cred_port_drain(struct cred_port *port, int quiet_ms, size_t *discarded);

/* Change the line speed (serial and clser; CRED_ERR_SUPP elsewhere). */
CRED_API int cred_port_set_baud(struct cred_port *port, int baud);

/* Serial ports on this machine, for `credctl list`. */
struct cred_port_info {
	char *name;        /* /dev/ttyACM0 */
	char *description; /* USB product string or transport description */
	int usb_vid;       /* -1 if not USB */
	int usb_pid;
	char *usb_serial;  /* NULL if none */
	int is_cred;       /* VID/PID match a First Light camera */
};
/* Every serial port libserialport finds, sorted by name (/dev/ttyACM2
 * before /dev/ttyACM10). On success *list is an array of *count entries
 * (possibly 0) to free with cred_port_list_free; on failure NULL and 0.
 * Errors: CRED_ERR_IO (cannot enumerate), CRED_ERR_MEM. */
CRED_API int cred_port_list(struct cred_port_info **list, size_t *count);
/* Free a list from cred_port_list and the strings in it. NULL is ignored. */
CRED_API void cred_port_list_free(struct cred_port_info *list, size_t count);

/* USB IDs that identify a C-RED (field notes: 0x2FAF:0x0001). Overridable
 * with the environment variables CRED_USB_VID / CRED_USB_PID (hex). */
#define CRED_USB_VID 0x2faf
#define CRED_USB_PID 0x0001

#endif

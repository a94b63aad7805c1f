/* Internal: the transports behind cred_port_open, the port spec parser and
 * the per-port lock. Not installed; unit tests reach it because they link
 * libcred statically. */
#ifndef CRED_TRANSPORT_IMPL_H
#define CRED_TRANSPORT_IMPL_H

#include "clock-impl.h"
#include "port-impl.h"

enum port_kind { PORT_SERIAL, PORT_TCP, PORT_CLSER, PORT_AUTO };

/* A parsed port spec. Strings point into buf (owned by the struct). */
struct port_spec {
	enum port_kind kind;
	const char *path;    /* serial: device path; clser: library */
	const char *host;    /* tcp: host name or address, no brackets */
	int tcp_port;        /* tcp: 1-65535 */
	int index;           /* clser: serial port index */
	char buf[4096];
};

/* The port forms, for error messages. */
#define CRED_PORT_FORMS "a device path (/dev/ttyACM0), serial:PATH, tcp:HOST[:PORT], " \
			"clser:LIBRARY[#INDEX] or auto"

/* Parse spec (not NULL) into *out. CRED_ERR_ARG with a message listing the
 * accepted forms when it is not one of them. */
int cred_port_spec_parse(const char *spec, struct port_spec *out);

/* Transports. Each returns a new port in *out (no lock yet) or an error. */
int cred_port_open_serial(const char *path, int baud, struct cred_port **out);
int cred_port_open_tcp(const char *host, int tcp_port, struct cred_port **out);
int cred_port_open_clser(const char *library, int index, int baud, struct cred_port **out);

/* Serial only: "libserialport" or "termios", the code path the port took;
 * NULL for other transports. */
const char *cred_port_serial_method(const struct cred_port *port);

/* The USB IDs of a C-RED: CRED_USB_VID/CRED_USB_PID, or $CRED_USB_VID and
 * $CRED_USB_PID (hex) when set. Shared by the serial ports (port-list.c)
 * and the imaging interface (stream-usb.c). */
void cred_usb_ids(int *vid, int *pid);

/* The device path of the one C-RED found on USB (malloc'd) or
 * CRED_ERR_SUPP listing what was found. */
int cred_port_find_auto(char **path);

/* Take the exclusive lock for the port whose canonical name is key (a
 * resolved device path, tcp:HOST:PORT, clser:LIB#INDEX); shown names the
 * port in messages. wait_ms: 0 fail at once, -1 wait forever, N wait up to
 * N ms. On success *lock holds the lock until cred_port_unlock(), which
 * also removes the file; on failure lock->fd is -1. CRED_ERR_BUSY names
 * the holder's pid; CRED_ERR_IO a lock file that is not ours to use. */
int cred_port_lock(const char *key, const char *shown, int wait_ms, struct cred_port_lock *lock);
/* Remove the lock file and release the lock. Safe on a lock not held. */
void cred_port_unlock(struct cred_port_lock *lock);

/* The lock file used for key (malloc'd), for tests and messages. */
char *cred_port_lock_path(const char *key);

/* The device path with symlinks and relative parts resolved (real has
 * PATH_MAX bytes). -1 with errno on failure. */
int cred_port_resolve_path(const char *path, char *real);

/* termios speed constant for a baud rate; 0 if unsupported. */
unsigned int cred_port_baud_to_speed(int baud);

#endif

/* Where clients reach the simulated camera: a TCP listener and a pseudo
 * terminal with a stable symlink. */
#ifndef CREDSIM_ENDPOINTS_H
#define CREDSIM_ENDPOINTS_H

#include <limits.h>
#include <stddef.h>

/* Listen on "[HOST:]PORT" (NULL: 127.0.0.1:0, a free port). On success
 * returns the socket and writes "HOST:PORT" as bound into addr. On failure
 * returns -1 with a message in err. */
int tcp_listen(const char *spec, char *addr, size_t addrlen, char *err, size_t errlen);
/* Accept one client (non-blocking); name gets "tcp:HOST:PORT" of the peer. */
int tcp_accept(int lfd, char *name, size_t namelen);

struct pty {
	int master;
	int slave;              /* kept open: a client closing never gives EIO */
	char link[PATH_MAX];    /* the symlink clients open */
	char dir[PATH_MAX];     /* our temporary directory, "" if --pty LINK */
};

/* Open a raw pty and link to its slave: link_path, or else
 * $TMPDIR/credsim-PID/tty. 0, or -1 with a message in err. */
int pty_open(struct pty *p, const char *link_path, char *err, size_t errlen);
/* Remove the link and our directory, close both sides. */
void pty_close(struct pty *p);

#endif

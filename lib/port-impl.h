/* Internal: what every transport provides behind struct cred_port. */
#ifndef CRED_PORT_IMPL_H
#define CRED_PORT_IMPL_H

#include "cred-port.h"
#include "error-impl.h"

struct cred_port;

struct cred_port_ops {
	/* Same contract as cred_port_read/cred_port_write. */
	int (*read)(struct cred_port *port, void *buf, size_t len, int timeout_ms);
	int (*write)(struct cred_port *port, const void *buf, size_t len, int timeout_ms);
	int (*set_baud)(struct cred_port *port, int baud); /* NULL: unsupported */
	void (*close)(struct cred_port *port);             /* free priv, close fds */
};

/* A held port lock (port-lock.c). */
struct cred_port_lock {
	int fd;     /* -1: no lock held */
	char *path; /* the lock file, removed on release */
};

struct cred_port {
	const struct cred_port_ops *ops;
	char *name;
	int read_fd, write_fd; /* -1 when the transport has no descriptors */
	void *priv;            /* transport state */
	struct cred_port_lock lock; /* fd -1: no lock held */
};

/* Allocate a port with ops and name; fds set to -1. NULL on ENOMEM
 * (error recorded). */
struct cred_port *cred_port_alloc(const struct cred_port_ops *ops, const char *name);

/* CRED_ERR_IO "'NAME': connection lost": the far end closed, the device
 * vanished. */
int cred_port_lost(const char *name);

/* Descriptor-based read/write with poll(), for transports whose state is a
 * pair of fds (pipes, sockets, ttys). */
int cred_port_fd_read(struct cred_port *port, void *buf, size_t len, int timeout_ms);
int cred_port_fd_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms);
void cred_port_fd_close(struct cred_port *port);

#endif

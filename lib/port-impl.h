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
	/* Keep programs that do not know our lock off the line while we hold
	 * it (on: 1), let other credtools processes open it meanwhile (on:
	 * 0). NULL: nothing to do. */
	void (*exclusive)(struct cred_port *port, int on);
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
	/* The lock is held per exchange (cred_port_hold): NULL key for a port
	 * without a lock (cred_port_from_fds). */
	char *lock_key, *lock_shown;
	int lock_wait_ms;
	int holds;             /* nesting depth of cred_port_hold */
};

/* cred_port_hold with wait_ms instead of the port's lock wait (0: try
 * once, for a look at the line that must never make anyone wait). */
int cred_port_hold_wait(struct cred_port *port, int wait_ms);
/* Non-zero while this process holds the port's lock (or it has none). */
int cred_port_held(const struct cred_port *port);

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

/* The single-threaded poll loop: TCP listener, TCP clients, the pty master,
 * signals, the camera's timers and the optional child command. */
#ifndef CREDSIM_SERVER_H
#define CREDSIM_SERVER_H

#include <stdbool.h>
#include <sys/types.h>
#include "endpoints.h"
#include "sim.h"

struct server {
	struct sim *sim;
	int listen_fd;          /* -1 without TCP */
	struct pty pty;         /* master -1 without pty */
	int sigfd;
	pid_t child;            /* 0 when no COMMAND */
	int child_status;       /* exit status to return */
	bool quit;
};

/* Block the signals the loop handles and open its signalfd. */
int server_init(struct server *srv, struct sim *sim);
/* Serve until SIGINT/SIGTERM or, with a child, until it exits. */
void server_run(struct server *srv);
void server_close(struct server *srv);
/* Restore the signal mask and dispositions a child should start with. */
void server_child_signals(void);

#endif

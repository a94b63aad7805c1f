/* The poll loop (see server.h). */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "interp.h"
#include "link.h"
#include "server.h"
#include "variants.h"
#include "simclock.h"
#include "stream.h"

#define MAX_POLL 256
#define IDLE_MS 1000   /* longest sleep: the clock may be pushed by `sim advance` */

static sigset_t handled_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	return set;
}

int server_init(struct server *srv, struct sim *sim)
{
	sigset_t set = handled_signals();

	memset(srv, 0, sizeof(*srv));
	srv->sim = sim;
	srv->listen_fd = -1;
	srv->pty.master = srv->pty.slave = -1;
	signal(SIGPIPE, SIG_IGN);
	/* a ulimit -f is a write error for the file it cuts (the stream
	 * copy, a capture), not the camera's end */
	signal(SIGXFSZ, SIG_IGN);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -1;
	srv->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	return srv->sigfd < 0 ? -1 : 0;
}

void server_child_signals(void)
{
	sigset_t set = handled_signals();

	sigprocmask(SIG_UNBLOCK, &set, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGXFSZ, SIG_DFL);
}

void sim_broadcast_events(struct sim *sim)
{
	char *line;

	while ((line = camera_pop_event(sim->cam))) {
		char buf[600];
		int n = snprintf(buf, sizeof(buf), "%s%s\r\n",
				 variant_on(VARIANT_EVENT_BARE) ? "" : "event: ", line);

		for (struct link *l = sim->links; l; l = l->next)
			link_queue(l, buf, n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1, 0);
		free(line);
	}
}

static void reap_child(struct server *srv)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid != srv->child)
			continue;
		srv->child_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		srv->child = 0;
		srv->quit = true;
	}
}

static void handle_signals(struct server *srv)
{
	struct signalfd_siginfo si;

	while (read(srv->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			reap_child(srv);
		} else if (srv->child) {
			kill(srv->child, si.ssi_signo); /* the child decides; we wait for it */
		} else {
			srv->quit = true;
		}
	}
}

static void accept_clients(struct server *srv)
{
	char name[96];
	int fd;

	while ((fd = tcp_accept(srv->listen_fd, name, sizeof(name))) >= 0) {
		struct link *l = link_new(fd, name, false);

		if (!l) {
			close(fd);
			continue;
		}
		link_set_baud(l, srv->sim->baud);
		l->next = srv->sim->links;
		srv->sim->links = l;
		if (srv->sim->verbose)
			fprintf(stderr, "credsim: %s connected\n", name);
	}
}

static void read_link(struct server *srv, struct link *l)
{
	uint8_t buf[65536];
	int64_t now = cred_now_ms();
	size_t room = link_read_budget(l, now, sizeof(buf));
	ssize_t n;

	if (!room)
		return; /* the emulated line is busy: the bytes wait in the kernel */
	n = read(l->fd, buf, room);
	if (n > 0) {
		link_read_used(l, (size_t)n, now);
		interp_input(srv->sim, l, buf, (size_t)n);
	}
	else if (n == 0 || (errno != EAGAIN && errno != EINTR && errno != EIO))
		l->dead = !l->persistent;
}

static void drop_dead_links(struct server *srv)
{
	struct link **pp = &srv->sim->links;

	while (*pp) {
		struct link *l = *pp;

		if (!l->dead) {
			pp = &l->next;
			continue;
		}
		*pp = l->next;
		if (srv->sim->verbose)
			fprintf(stderr, "credsim: %s disconnected\n", l->name);
		link_free(l);
	}
}

/* Run timers and pending input; return the poll timeout in ms. */
static int service(struct server *srv)
{
	struct sim *sim = srv->sim;
	int64_t now = cred_now_ms(), next = now + IDLE_MS, t;
	double deadline;

	camera_advance(sim->cam, sim_now());
	sim_broadcast_events(sim);
	for (struct link *l = sim->links; l; l = l->next) {
		interp_poll(sim, l, now);
		if (link_flush(l, now))
			l->dead = !l->persistent;
		if ((t = link_next_time(l, now)) >= 0 && t < next)
			next = t;
	}
	drop_dead_links(srv);
	if (sim->frames && (t = frames_service(sim->frames, now)) >= 0 && now + t < next)
		next = now + t;
	deadline = camera_next_deadline(sim->cam);
	if (deadline < INFINITY && (t = now + real_ms_until(deadline)) < next)
		next = t;
	return next > now ? (int)(next - now) : 0;
}

void server_run(struct server *srv)
{
	struct pollfd pfd[MAX_POLL];
	struct link *polled[MAX_POLL];

	while (!srv->quit) {
		int timeout = service(srv), n = 0, base, fbase, nf = 0;
		int64_t now = cred_now_ms();

		pfd[n++] = (struct pollfd){ .fd = srv->sigfd, .events = POLLIN };
		if (srv->listen_fd >= 0)
			pfd[n++] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
		base = n;
		for (struct link *l = srv->sim->links; l && n < MAX_POLL; l = l->next) {
			polled[n] = l;
			pfd[n++] = (struct pollfd){ .fd = l->fd,
				.events = (link_read_budget(l, now, 1) ? POLLIN : 0) |
					  (link_wants_write(l, now) ? POLLOUT : 0) };
		}
		fbase = n;
		if (srv->sim->frames)
			n += nf = frames_poll_fds(srv->sim->frames, pfd + n, MAX_POLL - n);
		if (poll(pfd, n, timeout) < 0 && errno != EINTR)
			break;
		if (pfd[0].revents)
			handle_signals(srv);
		if (srv->listen_fd >= 0 && pfd[1].revents)
			accept_clients(srv);
		if (nf)
			frames_poll_done(srv->sim->frames, pfd + fbase, nf);
		for (int i = base; i < fbase; i++) {
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				read_link(srv, polled[i]);
			if (pfd[i].revents & POLLOUT && link_flush(polled[i], cred_now_ms()))
				polled[i]->dead = !polled[i]->persistent;
		}
	}
}

void server_close(struct server *srv)
{
	while (srv->sim->links) {
		struct link *l = srv->sim->links;

		srv->sim->links = l->next;
		link_free(l);
	}
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	pty_close(&srv->pty);
	if (srv->sigfd >= 0)
		close(srv->sigfd);
}

/* credsim: a simulated C-RED 3 / C-RED One camera (see credsim(1)). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "link.h"
#include "logs.h"
#include "options.h"
#include "server.h"
#include "simclock.h"
#include "stream.h"

static void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "credsim: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(1);
}

static struct camera *make_camera(const struct options *o)
{
	struct camera *cam = camera_new(o->model, o->firmware, o->seed);
	int st;

	if (!cam)
		die("%s", "out of memory");
	if (o->boot) {
		cam->state = ST_OFF;
		camera_power_on(cam, sim_now(), "power on");
	} else if (o->state) {
		if ((st = cam_state_parse(cam, o->state)) < 0) {
			fprintf(stderr, "credsim: no state '%s' on a %s\n"
				"Try 'credsim --help' for more information.\n", o->state, o->model->type);
			camera_free(cam);
			exit(2);
		}
		camera_force_state(cam, st, sim_now(), "started so by credsim --state");
	} else {
		/* already booted: operational, and cooled on a C-RED One */
		camera_force_state(cam, ST_OPERATIONAL, sim_now(), "boot completed");
	}
	return cam;
}

static void open_endpoints(struct server *srv, const struct options *o, char *tcp_addr, size_t size)
{
	char err[PATH_MAX + 128];

	tcp_addr[0] = '\0';
	if (!o->no_tcp && (srv->listen_fd = tcp_listen(o->tcp, tcp_addr, size, err, sizeof(err))) < 0)
		die("%s", err);
	if (!o->no_pty) {
		struct link *l;

		if (pty_open(&srv->pty, o->pty, err, sizeof(err))) {
			server_close(srv);
			die("%s", err);
		}
		if (!(l = link_new(srv->pty.master, srv->pty.link, true)))
			die("%s", "out of memory");
		link_set_baud(l, o->baud);
		srv->sim->links = l;
	}
}

/* The frame output: the socket and the faults on it. */
static void open_frames(struct server *srv, struct sim *sim, const struct options *o)
{
	struct frames_options fo = {
		.socket = !o->no_frames,
		.socket_path = o->frames,
		.copy_path = o->stream_copy,
		.unpaced = o->no_pacing,
		.seed = o->seed,
		.verbose = o->verbose,
		.usb_transfer_size = (size_t)o->usb_transfer_size,
		.usb_transfers = o->usb_transfers,
		.usb_flush = !o->usb_no_flush,
	};
	char err[PATH_MAX + 128];

	if (!(sim->frames = frames_new(sim->cam, &fo, err, sizeof(err)))) {
		server_close(srv);
		die("%s", err);
	}
	for (int i = 0; i < o->nframe_faults; i++)
		frames_fault_add(sim->frames, o->frame_faults[i], err, sizeof(err)); /* checked already */
}

static pid_t run_command(const struct options *o, const char *tcp_addr, const char *pty_link,
			 const char *frames)
{
	char port[PATH_MAX + 8];
	pid_t pid;

	if (o->export == EXPORT_PTY || !tcp_addr[0])
		snprintf(port, sizeof(port), "%s", pty_link);
	else
		snprintf(port, sizeof(port), "tcp:%s", tcp_addr);
	fflush(NULL);
	if ((pid = fork()) < 0)
		die("cannot start a process: %s", strerror(errno));
	if (pid)
		return pid;
	server_child_signals();
	setenv("CRED_PORT", port, 1);
	if (tcp_addr[0])
		setenv("CRED_SIM_TCP", tcp_addr, 1);
	else
		unsetenv("CRED_SIM_TCP");
	if (pty_link[0])
		setenv("CRED_SIM_PTY", pty_link, 1);
	else
		unsetenv("CRED_SIM_PTY");
	if (frames)
		setenv("CRED_SIM_FRAMES", frames, 1);
	else
		unsetenv("CRED_SIM_FRAMES");
	execvp(o->command[0], o->command);
	fprintf(stderr, "credsim: cannot run '%s': %s\n", o->command[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int main(int argc, char **argv)
{
	struct options o;
	struct sim sim = { 0 };
	struct server srv;
	char tcp_addr[300], err[300];

	options_parse(argc, argv, &o);
	simclock_init(o.time_scale);
	sim.cam = make_camera(&o);
	sim.table = o.model->id == SIM_CREDONE ? credone_commands() : cred3_commands();
	sim.rng = o.seed ? o.seed : 1;
	sim.verbose = o.verbose;
	for (int i = 0; i < o.nfaults; i++)
		if (faults_add(&sim.faults, o.faults[i], err, sizeof(err)))
			die("%s", err);
	for (int i = 0; i < o.nxfaults; i++)
		if (xfaults_add(&sim.xfaults, o.xfaults[i], err, sizeof(err)))
			die("%s", err);
	sim.baud = o.baud;
	if (server_init(&srv, &sim))
		die("cannot set up signal handling: %s", strerror(errno));
	open_endpoints(&srv, &o, tcp_addr, sizeof(tcp_addr));
	open_frames(&srv, &sim, &o);
	if (o.command) {
		srv.child = run_command(&o, tcp_addr, srv.pty.link, frames_socket_path(sim.frames));
	} else {
		if (tcp_addr[0])
			printf("tcp:%s\n", tcp_addr);
		if (srv.pty.link[0])
			printf("%s\n", srv.pty.link);
		if (frames_socket_path(sim.frames))
			printf("frames:%s\n", frames_socket_path(sim.frames));
		fflush(stdout);
	}
	server_run(&srv);
	/* first: the socket may sit in the pty's folder */
	frames_free(sim.frames);
	logs_server_free(sim.logs);
	server_close(&srv);
	camera_free(sim.cam);
	return o.command ? srv.child_status : 0;
}

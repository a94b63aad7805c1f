/* The simulator's frame socket (credsim(1)): "sim:SOCKET", or "sim" alone
 * for the socket in $CRED_SIM_FRAMES, which `credsim -- COMMAND` sets.
 * Bytes come as from any Unix socket (stream_unix_open); what differs is
 * the end: the simulator streams for as long as it runs, so the end of its
 * stream is a lost link (the simulated camera went away), not the end of
 * the data as with a file. */
#include "stream-impl.h"

#include <stdlib.h>
#include <string.h>

struct sim_stream {
	struct cred_stream inner;   /* the plain socket */
};

static int sim_read(struct cred_stream *s, const void **data, int timeout_ms)
{
	struct sim_stream *w = s->priv;
	int n = w->inner.ops->read(&w->inner, data, timeout_ms);

	if (n == 0)
		return cred_fail(CRED_ERR_IO, "'%s': connection lost (the simulator closed the "
				 "frame stream)", s->name);
	return n;
}

static void sim_close(struct cred_stream *s)
{
	struct sim_stream *w = s->priv;

	if (!w)
		return;
	if (w->inner.ops)
		w->inner.ops->close(&w->inner);
	free(w->inner.name);
	free(w);
}

static const struct stream_ops sim_ops = {
	.read = sim_read,
	.close = sim_close,
};

int stream_sim_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
{
	struct sim_stream *w;
	int err;

	if (!path || !*path) {
		path = getenv("CRED_SIM_FRAMES");
		if (!path || !*path)
			return cred_fail(CRED_ERR_ARG, "no simulator socket: give sim:SOCKET, or run "
					 "under credsim, which sets CRED_SIM_FRAMES");
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	err = stream_unix_open(&w->inner, path, o);
	if (!err && !(s->name = strdup(w->inner.name)))
		err = cred_fail(CRED_ERR_MEM, "out of memory");
	s->ops = &sim_ops;
	s->priv = w;
	if (err) {
		sim_close(s);
		s->priv = NULL;
	}
	return err;
}

/* The simulator's frame socket (credsim(1)): "sim:PATH", or "sim" alone
 * for the socket in $CRED_SIM_FRAMES, which `credsim -- COMMAND` sets, so
 * a program run under the simulator finds its camera stream without being
 * told. The bytes come as from any Unix socket (cred_stream_unix_open). */
#include "stream-impl.h"

#include <stdlib.h>

int cred_stream_sim_open(struct cred_stream *s, const char *path, const struct cred_stream_options *o)
{
	if (!path || !*path) {
		path = getenv("CRED_SIM_FRAMES");
		if (!path || !*path)
			return cred_fail(CRED_ERR_ARG, "no simulator socket: give sim:SOCKET, or run "
					 "under credsim, which sets CRED_SIM_FRAMES");
	}
	s->live = 1;   /* it sends at the camera's frame rate, reader or not */
	return cred_stream_unix_open(s, path, o);
}

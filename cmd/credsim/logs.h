/* The camera's logs (exec logs [FROM]): gathered into a tar.gz and served
 * over HTTP on 127.0.0.1 by a small libmicrohttpd server; the answer gives
 * the URL. `sim logs-archive PATH` makes it serve that file instead (tests
 * plant hostile archives this way); `sim logs-archive off` goes back. */
#ifndef CREDSIM_LOGS_H
#define CREDSIM_LOGS_H

struct interp_ctx;
struct logs_server;

void h_sim_logs_archive(struct interp_ctx *c);
/* Stop serving and free (NULL ignored). */
void logs_server_free(struct logs_server *s);

#endif

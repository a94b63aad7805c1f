/* exec logs (logs.h): plausible log files from the camera's own state,
 * packed with libarchive and served over HTTP with libmicrohttpd. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <archive.h>
#include <archive_entry.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cmds.h"
#include "files.h"
#include "logs.h"
#include "sim.h"

#define LOG_LINES 64

struct logs_server {
	struct MHD_Daemon *daemon;
	pthread_mutex_t lock;
	unsigned char *data;   /* what the URL serves */
	size_t len;
	unsigned char *planted; /* sim logs-archive PATH */
	size_t planted_len;
	unsigned serial;        /* the URL changes with every exec logs */
};

static enum MHD_Result serve(void *cls, struct MHD_Connection *conn, const char *url,
			     const char *method, const char *version, const char *upload,
			     size_t *upload_size, void **con_cls)
{
	struct logs_server *s = cls;
	struct MHD_Response *resp;
	enum MHD_Result r;
	unsigned status = MHD_HTTP_OK;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return MHD_NO;
	pthread_mutex_lock(&s->lock);
	if (!s->data || strncmp(url, "/logs-", 6)) {
		status = MHD_HTTP_NOT_FOUND;
		resp = MHD_create_response_from_buffer(0, "", MHD_RESPMEM_PERSISTENT);
	} else {
		resp = MHD_create_response_from_buffer(s->len, s->data, MHD_RESPMEM_MUST_COPY);
	}
	pthread_mutex_unlock(&s->lock);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "application/gzip");
	r = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return r;
}

static struct logs_server *server(struct sim *sim)
{
	struct logs_server *s = sim->logs;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

	if (s)
		return s;
	if (!(s = calloc(1, sizeof(*s))))
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	s->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, serve, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!s->daemon) {
		logs_server_free(s);
		return NULL;
	}
	return sim->logs = s;
}

void logs_server_free(struct logs_server *s)
{
	if (!s)
		return;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->lock);
	free(s->data);
	free(s->planted);
	free(s);
}

/* ---- the log files ------------------------------------------------------- */

struct buf {
	char *p;
	size_t len;
};

static void line(struct buf *b, const char *from, time_t t, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* One "YYYY-MM-DDTHH:MM:SS text" line, unless it is older than from. */
static void line(struct buf *b, const char *from, time_t t, const char *fmt, ...)
{
	char stamp[32], text[256], *p;
	struct tm tm;
	va_list ap;
	int n;

	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	if (from && strncmp(stamp, from, strlen(from)) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = snprintf(NULL, 0, "%s %s\n", stamp, text);
	if (!(p = realloc(b->p, b->len + n + 1)))
		return;
	b->p = p;
	snprintf(b->p + b->len, n + 1, "%s %s\n", stamp, text);
	b->len += n;
}

static void system_log(struct buf *b, const struct camera *cam, const char *from, time_t boot)
{
	line(b, from, boot, "kernel: Linux version 4.14.0-xilinx (fli@build) #1 SMP PREEMPT");
	line(b, from, boot + 2, "systemd[1]: Started FLI camera service.");
	line(b, from, boot + 3, "fli-camera[212]: %s firmware %s starting", cam->model->type,
	     cam->firmware);
	line(b, from, boot + 4, "fli-camera[212]: network address %s", cam->ip_active);
	for (int i = 0; i < cam->nlic; i++)
		line(b, from, boot + 5, "fli-camera[212]: license %s %s", cam->lic[i].name,
		     cam->lic[i].enabled ? "enabled" : "disabled");
}

static void camera_log(struct buf *b, const struct camera *cam, const char *from, time_t boot,
		       time_t now)
{
	line(b, from, boot + 5, "status: starting");
	line(b, from, boot + 20, "status: configuring");
	line(b, from, now, "status: %s (%s)", cam_state_name(cam->state), cam->reason);
	for (int i = 0; i < LOG_LINES; i++)
		line(b, from, boot + 30 + i * 60, "monitor: fps %.1f tint %.6f", cam->set.fps,
		     cam->set.tint);
}

static int add(struct archive *a, const char *name, const struct buf *b, time_t t)
{
	struct archive_entry *e = archive_entry_new();
	int ok;

	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, t, 0);
	archive_entry_set_size(e, (la_int64_t)b->len);
	ok = archive_write_header(a, e) == ARCHIVE_OK &&
	     (!b->len || archive_write_data(a, b->p, b->len) == (la_ssize_t)b->len);
	archive_entry_free(e);
	return ok ? 0 : -1;
}

static la_ssize_t grow(struct archive *a, void *user, const void *data, size_t n)
{
	struct buf *out = user;
	char *p = realloc(out->p, out->len + n);

	if (!p)
		return -1;
	memcpy(p + out->len, data, n);
	out->p = p;
	out->len += n;
	return (la_ssize_t)n;
}

/* The archive of the camera's logs since from (NULL: all). */
static int pack(const struct camera *cam, const char *from, double now, struct buf *out)
{
	time_t t = time(NULL), boot = t - (time_t)now;
	struct buf sys = { 0 }, cli = { 0 };
	struct archive *a = archive_write_new();
	int r = -1;

	system_log(&sys, cam, from, boot);
	camera_log(&cli, cam, from, boot, t);
	if (a && archive_write_set_format_ustar(a) == ARCHIVE_OK &&
	    archive_write_add_filter_gzip(a) == ARCHIVE_OK &&
	    archive_write_open(a, out, NULL, grow, NULL) == ARCHIVE_OK &&
	    !add(a, "logs/messages.log", &sys, t) && !add(a, "logs/camera.log", &cli, t))
		r = archive_write_close(a) == ARCHIVE_OK ? 0 : -1;
	archive_write_free(a);
	free(sys.p);
	free(cli.p);
	return r;
}

/* A start date as the camera takes it: YYYY-MM-DD, optionally followed by
 * THH, THH:MM or THH:MM:SS. */
static bool from_ok(const char *s)
{
	static const char form[] = "dddd-dd-ddTdd:dd:dd";
	size_t n = strlen(s);

	if (n != 10 && n != 13 && n != 16 && n != 19)
		return false;
	for (size_t i = 0; i < n; i++)
		if (form[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != form[i])
			return false;
	return true;
}

void h_logs(struct interp_ctx *c)
{
	const char *from = c->nargs ? c->args[0] : NULL;
	struct logs_server *s;
	struct buf b = { 0 };
	const union MHD_DaemonInfo *info;

	if (from && !from_ok(from)) {
		answer_error(c->ans, "invalid date '%s' (YYYY-MM-DD[THH:MM:SS])", from);
		return;
	}
	if (!(s = server(c->sim))) {
		answer_error(c->ans, "log collection failed: cannot start the http server");
		return;
	}
	if (!s->planted && pack(c->cam, from, c->now, &b)) {
		free(b.p);
		answer_error(c->ans, "log collection failed: out of memory");
		return;
	}
	pthread_mutex_lock(&s->lock);
	free(s->data);
	s->data = s->planted ? malloc(s->planted_len) : (unsigned char *)b.p;
	s->len = s->planted ? s->planted_len : b.len;
	if (s->planted && s->data)
		memcpy(s->data, s->planted, s->len);
	pthread_mutex_unlock(&s->lock);
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	c->ans->delay = 1.0; /* gathering takes a moment */
	answer_line(c->ans, "Logs available at http://127.0.0.1:%u/logs-%u.tar.gz",
		    info ? info->port : 0, ++s->serial);
}

void h_sim_logs_archive(struct interp_ctx *c)
{
	struct logs_server *s = server(c->sim);
	const char *path = c->args[0];
	FILE *f;
	unsigned char *data = NULL;
	size_t len = 0;

	if (!s) {
		answer_error(c->ans, "cannot start the http server");
		return;
	}
	if (strcmp(path, "off")) {
		if (!(f = fopen(path, "rb")) || !(data = malloc(FILE_MAX)) ||
		    (len = fread(data, 1, FILE_MAX, f)) == 0) {
			answer_error(c->ans, "cannot read '%s'", path);
			free(data);
			if (f)
				fclose(f);
			return;
		}
		fclose(f);
	}
	pthread_mutex_lock(&s->lock);
	free(s->planted);
	s->planted = data;
	s->planted_len = len;
	pthread_mutex_unlock(&s->lock);
	answer_ok(c->ans);
}

/* cred_port_open: parse the port spec, take the per-port lock, hand over to
 * the transport (port-serial.c, port-tcp.c, port-clser.c). */
#include "transport-impl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_TCP_PORT 23 /* the camera's telnet interface */

static int bad_spec(const char *spec, const char *why)
{
	return cred_fail(CRED_ERR_ARG, "invalid port '%s'%s%s: use " CRED_PORT_FORMS,
			 spec, why ? ": " : "", why ? why : "");
}

/* A whole decimal number in [min, max]; no sign, no blanks, no empty. */
static int parse_uint(const char *s, int min, int max, int *out)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	if (v < min)
		return -1;
	*out = (int)v;
	return 0;
}

/* HOST, HOST:PORT, [V6ADDR] or [V6ADDR]:PORT; an unbracketed address with
 * several colons is an IPv6 address on the default port. */
static int parse_tcp(const char *spec, char *rest, struct port_spec *out)
{
	char *colon = NULL;

	out->kind = PORT_TCP;
	out->tcp_port = DEFAULT_TCP_PORT;
	if (rest[0] == '[') {
		char *end = strchr(rest, ']');

		if (!end || end == rest + 1)
			return bad_spec(spec, "unterminated or empty [address]");
		*end = '\0';
		out->host = rest + 1;
		if (end[1] == ':')
			colon = end + 1;
		else if (end[1])
			return bad_spec(spec, "expected ':PORT' after ']'");
	} else {
		colon = strchr(rest, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL; /* bare IPv6 address */
		out->host = rest;
	}
	if (colon) {
		*colon = '\0';
		if (parse_uint(colon + 1, 1, 65535, &out->tcp_port) < 0)
			return bad_spec(spec, "the TCP port must be a number from 1 to 65535");
	}
	if (!*out->host)
		return bad_spec(spec, "no host");
	return CRED_OK;
}

static int parse_clser(const char *spec, char *rest, struct port_spec *out)
{
	char *hash = strrchr(rest, '#');

	out->kind = PORT_CLSER;
	out->index = 0;
	out->path = rest;
	if (hash) {
		*hash = '\0';
		if (parse_uint(hash + 1, 0, 1023, &out->index) < 0)
			return bad_spec(spec, "the serial port index must be a number from 0 to 1023");
	}
	if (!*rest)
		return bad_spec(spec, "no library");
	return CRED_OK;
}

int cred_port_spec_parse(const char *spec, struct port_spec *out)
{
	char *s = out->buf;

	memset(out, 0, sizeof(*out));
	if (strlen(spec) >= sizeof(out->buf))
		return cred_fail(CRED_ERR_ARG, "invalid port: longer than %zu characters",
				 sizeof(out->buf) - 1);
	strcpy(s, spec);
	if (!strcmp(s, "auto")) {
		out->kind = PORT_AUTO;
		return CRED_OK;
	}
	if (!strncmp(s, "tcp:", 4))
		return parse_tcp(spec, s + 4, out);
	if (!strncmp(s, "clser:", 6))
		return parse_clser(spec, s + 6, out);
	if (!strncmp(s, "serial:", 7))
		s += 7;
	else if (s[0] != '/' && strncmp(s, "./", 2) && strncmp(s, "../", 3))
		return bad_spec(spec, NULL);
	if (!*s)
		return bad_spec(spec, "no device path");
	out->kind = PORT_SERIAL;
	out->path = s;
	return CRED_OK;
}

int cred_port_resolve_path(const char *path, char *real)
{
	struct stat st;

	/* Resolve only when there is something to resolve: realpath() gains
	 * nothing on a plain /dev name, and umockdev's realpath wrapper
	 * crashes on the device nodes of its test beds. */
	if (path[0] == '/' && !strstr(path, "/.") && !strstr(path, "//") &&
	    strlen(path) < PATH_MAX && lstat(path, &st) == 0 && !S_ISLNK(st.st_mode)) {
		strcpy(real, path);
		return 0;
	}
	return realpath(path, real) ? 0 : -1;
}

/* The name the lock is taken on: the same device reached through a symlink
 * (/dev/serial/by-id/...) or a relative path must map to one lock. */
static int lock_key(const struct port_spec *ps, char *key, size_t size)
{
	char real[PATH_MAX];

	switch (ps->kind) {
	case PORT_SERIAL:
		if (cred_port_resolve_path(ps->path, real) < 0)
			return cred_fail_errno("cannot open '%s'", ps->path);
		snprintf(key, size, "%s", real);
		break;
	case PORT_TCP:
		snprintf(key, size, strchr(ps->host, ':') ? "tcp:[%s]:%d" : "tcp:%s:%d",
			 ps->host, ps->tcp_port);
		break;
	case PORT_CLSER:
		if (strchr(ps->path, '/') && realpath(ps->path, real))
			snprintf(key, size, "clser:%s#%d", real, ps->index);
		else
			snprintf(key, size, "clser:%s#%d", ps->path, ps->index);
		break;
	case PORT_AUTO:
		return cred_fail(CRED_ERR_ARG, "auto has no lock of its own");
	}
	return CRED_OK;
}

static int open_transport(const struct port_spec *ps, const struct cred_port_options *opts,
			  struct cred_port **out)
{
	switch (ps->kind) {
	case PORT_SERIAL:
		return cred_port_open_serial(ps->path, opts->baud, out);
	case PORT_TCP:
		return cred_port_open_tcp(ps->host, ps->tcp_port, out);
	case PORT_CLSER:
		return cred_port_open_clser(ps->path, ps->index, opts->baud, out);
	default:
		return cred_fail(CRED_ERR_ARG, "cannot open an unresolved auto port");
	}
}

/* auto becomes the serial spec of the one camera on USB. */
static int resolve_auto(struct port_spec *ps)
{
	char *path;
	int r = cred_port_find_auto(&path);

	if (r < 0)
		return r;
	cred_debug("auto: using '%s'", path);
	r = cred_port_spec_parse(path, ps);
	free(path);
	return r;
}

static int check_baud(int baud)
{
	if (baud < 0 || (baud > 0 && !cred_port_baud_to_speed(baud)))
		return cred_fail(CRED_ERR_ARG, "unsupported baud rate %d", baud);
	return CRED_OK;
}

static int open_spec(struct port_spec *ps, const struct cred_port_options *opts,
		     struct cred_port **out)
{
	char key[PATH_MAX + 64], shown[PATH_MAX + 64];
	struct cred_port_lock lock;
	int r;

	if (ps->kind == PORT_AUTO && (r = resolve_auto(ps)) < 0)
		return r;
	if ((r = lock_key(ps, key, sizeof(key))) < 0)
		return r;
	if (ps->kind == PORT_SERIAL)
		snprintf(shown, sizeof(shown), "%s", ps->path);
	else if (ps->kind == PORT_CLSER)
		snprintf(shown, sizeof(shown), "clser:%s#%d", ps->path, ps->index);
	else
		snprintf(shown, sizeof(shown), "%s", key);
	/* Opened under the lock: opening a serial line configures it, which
	 * must not happen in the middle of another process's exchange. */
	if ((r = cred_port_lock(key, shown, opts->lock_wait_ms, &lock)) < 0)
		return r;
	r = open_transport(ps, opts, out);
	if (r == CRED_OK && (!((*out)->lock_key = strdup(key)) ||
			     !((*out)->lock_shown = strdup(shown)))) {
		cred_port_close(*out);
		*out = NULL;
		r = cred_fail(CRED_ERR_MEM, "out of memory");
	}
	if (r == CRED_OK) {
		(*out)->lock_wait_ms = opts->lock_wait_ms;
		/* From here on the lock is taken per exchange (cred_port_hold). */
		if ((*out)->ops->exclusive)
			(*out)->ops->exclusive(*out, 0);
	}
	cred_port_unlock(&lock); /* no lock file left for a port that never opened */
	return r;
}

const char *cred_port_resolve(const char *spec, int *named)
{
	const char *env = getenv("CRED_PORT");

	if (!spec && env && *env)
		spec = env;
	if (named)
		*named = spec != NULL;
	return spec ? spec : "auto";
}

int cred_port_open(const char *spec, const struct cred_port_options *opts,
		   struct cred_port **out)
{
	static const struct cred_port_options defaults = { .lock_wait_ms = 0, .baud = 0 };
	struct port_spec *ps;
	int r;

	*out = NULL;
	cred_clear_error();
	if (!opts)
		opts = &defaults;
	spec = cred_port_resolve(spec, NULL);
	if ((r = check_baud(opts->baud)) < 0)
		return r;
	ps = malloc(sizeof(*ps));
	if (!ps)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	r = cred_port_spec_parse(spec, ps);
	if (r == CRED_OK)
		r = open_spec(ps, opts, out);
	free(ps);
	if (r == CRED_OK)
		cred_debug("opened '%s'", cred_port_name(*out));
	return r;
}

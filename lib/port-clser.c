/* clser:LIBRARY[#INDEX]: the serial line of a Camera Link frame grabber,
 * through the grabber vendor's implementation of the Camera Link serial
 * API (clSerialInit & co., Camera Link specification, "API functions"),
 * loaded at run time so libcred needs no vendor SDK to build.
 *
 * clSerialRead reads exactly the number of bytes asked for or times out,
 * while cred_port_read returns what is available: the first byte is read
 * alone (that is the wait), then clGetNumBytesAvail says how much more is
 * there; libraries without it are read one byte at a time until quiet. */
#include "transport-impl.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Camera Link serial API return codes */
#define CL_ERR_NO_ERR 0
#define CL_ERR_BUFFER_TOO_SMALL -10001
#define CL_ERR_MANU_DOES_NOT_EXIST -10002
#define CL_ERR_PORT_IN_USE -10003
#define CL_ERR_TIMEOUT -10004
#define CL_ERR_INVALID_INDEX -10005
#define CL_ERR_INVALID_REFERENCE -10006
#define CL_ERR_ERROR_NOT_FOUND -10007
#define CL_ERR_BAUD_RATE_NOT_SUPPORTED -10008
#define CL_ERR_OUT_OF_MEMORY -10009
#define CL_ERR_FUNCTION_NOT_FOUND -10099

#define LONG_WAIT_MS 1000 /* one step of an unbounded wait */
#define MORE_WAIT_MS 1    /* "is there more?" probe without clGetNumBytesAvail */

struct clser {
	void *dl;
	void *ref;
	int32_t (*init)(uint32_t index, void **ref);
	int32_t (*read)(void *ref, char *buf, uint32_t *size, uint32_t timeout_ms);
	int32_t (*write)(void *ref, char *buf, uint32_t *size, uint32_t timeout_ms);
	void (*close)(void *ref);
	int32_t (*num_ports)(uint32_t *n);                        /* optional */
	int32_t (*set_baud)(void *ref, uint32_t cl_baud);          /* optional */
	int32_t (*avail)(void *ref, uint32_t *n);                  /* optional */
	int32_t (*error_text)(int32_t code, char *text, uint32_t *size); /* optional */
};

static const struct { int32_t code; const char *text; } cl_errors[] = {
	{ CL_ERR_BUFFER_TOO_SMALL, "buffer too small" },
	{ CL_ERR_MANU_DOES_NOT_EXIST, "manufacturer does not exist" },
	{ CL_ERR_PORT_IN_USE, "port in use" },
	{ CL_ERR_TIMEOUT, "timeout" },
	{ CL_ERR_INVALID_INDEX, "invalid port index" },
	{ CL_ERR_INVALID_REFERENCE, "invalid port reference" },
	{ CL_ERR_ERROR_NOT_FOUND, "unknown error" },
	{ CL_ERR_BAUD_RATE_NOT_SUPPORTED, "baud rate not supported" },
	{ CL_ERR_OUT_OF_MEMORY, "out of memory" },
	{ CL_ERR_FUNCTION_NOT_FOUND, "function not implemented" },
};

/* The library's own text for code, else the standard meaning. */
static const char *cl_text(const struct clser *c, int32_t code, char *buf, uint32_t size)
{
	uint32_t n = size;

	if (c->error_text && c->error_text(code, buf, &n) == CL_ERR_NO_ERR && n > 0) {
		buf[size - 1] = '\0';
		return buf;
	}
	for (size_t i = 0; i < sizeof(cl_errors) / sizeof(cl_errors[0]); i++)
		if (cl_errors[i].code == code)
			return cl_errors[i].text;
	snprintf(buf, size, "error %d", (int)code);
	return buf;
}

static int cl_fail(struct cred_port *port, const char *what, int32_t code)
{
	char text[256];

	return cred_fail(CRED_ERR_IO, "'%s': %s: %s (error %d)", port->name, what,
			 cl_text(port->priv, code, text, sizeof(text)), (int)code);
}

static const struct { int baud; uint32_t cl; } cl_bauds[] = {
	{ 9600, 1 }, { 19200, 2 }, { 38400, 4 }, { 57600, 8 },
	{ 115200, 16 }, { 230400, 32 }, { 460800, 64 }, { 921600, 128 },
};

static uint32_t cl_baud(int baud)
{
	for (size_t i = 0; i < sizeof(cl_bauds) / sizeof(cl_bauds[0]); i++)
		if (cl_bauds[i].baud == baud)
			return cl_bauds[i].cl;
	return 0;
}

/* clSerialRead of size bytes: the count read, 0 on a timeout, or an error. */
static int read_bytes(struct cred_port *port, void *buf, uint32_t size, uint32_t timeout_ms)
{
	struct clser *c = port->priv;
	uint32_t n = size;
	int32_t r = c->read(c->ref, buf, &n, timeout_ms);

	if (r == CL_ERR_TIMEOUT)
		return 0;
	if (r != CL_ERR_NO_ERR)
		return cl_fail(port, "connection lost", r);
	return (int)(n < size ? n : size);
}

/* Bytes waiting, or -1 when the library cannot tell. */
static long bytes_waiting(struct cred_port *port)
{
	struct clser *c = port->priv;
	uint32_t n = 0;
	int32_t r;

	if (!c->avail)
		return -1;
	r = c->avail(c->ref, &n);
	if (r == CL_ERR_NO_ERR)
		return n;
	cred_debug("clser: clGetNumBytesAvail failed (%d); reading byte by byte", (int)r);
	c->avail = NULL;
	return -1;
}

/* Wait up to timeout_ms (-1: no limit) for one byte. */
static int read_first(struct cred_port *port, char *buf, int timeout_ms)
{
	int r;

	if (timeout_ms >= 0)
		return read_bytes(port, buf, 1, timeout_ms > 0 ? (uint32_t)timeout_ms : MORE_WAIT_MS);
	while ((r = read_bytes(port, buf, 1, LONG_WAIT_MS)) == 0)
		;
	return r;
}

/* After the first byte: whatever else is already there. A failure here
 * only ends the read; it shows again on the next one, and the bytes
 * already read are not lost. */
static int read_more(struct cred_port *port, char *buf, size_t len)
{
	size_t got = 0;
	long avail = -1;
	int r;

	while (got < len && (avail = bytes_waiting(port)) > 0) {
		uint32_t n = avail < (long)(len - got) ? (uint32_t)avail : (uint32_t)(len - got);

		if ((r = read_bytes(port, buf + got, n, LONG_WAIT_MS)) <= 0)
			return (int)got;
		got += (size_t)r;
	}
	if (avail >= 0) /* all that was waiting, or len */
		return (int)got;
	while (got < len && read_bytes(port, buf + got, 1, MORE_WAIT_MS) == 1)
		got++;
	return (int)got;
}

static int cl_read(struct cred_port *port, void *buf, size_t len, int timeout_ms)
{
	long avail = bytes_waiting(port);
	int r;

	if (len == 0)
		return 0;
	if (avail == 0 && timeout_ms == 0)
		return 0;
	if ((r = read_first(port, buf, timeout_ms)) <= 0)
		return r;
	return 1 + read_more(port, (char *)buf + 1, len - 1);
}

/* clSerialWrite steps of at most LONG_WAIT_MS until all is written or the
 * caller's timeout has passed. */
static int cl_write(struct cred_port *port, const void *buf, size_t len, int timeout_ms)
{
	struct clser *c = port->priv;
	const char *p = buf;
	long long deadline = cred_deadline(timeout_ms);

	while (len > 0) {
		int left = cred_ms_left(deadline, timeout_ms);
		uint32_t step = left < 0 || left > LONG_WAIT_MS ? LONG_WAIT_MS : left ? (uint32_t)left : 1;
		uint32_t want = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, n = want;
		/* the API's buffer is not const, but writing only reads it */
		int32_t r = c->write(c->ref, (char *)p, &n, step);

		if (r != CL_ERR_NO_ERR && r != CL_ERR_TIMEOUT)
			return cl_fail(port, "connection lost", r);
		/* on a timeout only a smaller count says something went out */
		if (n <= want && (r == CL_ERR_NO_ERR || n < want)) {
			p += n;
			len -= n;
		}
		if (len > 0 && timeout_ms >= 0 && cred_ms_left(deadline, timeout_ms) == 0)
			return cred_fail(CRED_ERR_TIMEOUT, "'%s': write timed out", port->name);
	}
	return CRED_OK;
}

static int cl_set_baud(struct cred_port *port, int baud)
{
	struct clser *c = port->priv;
	uint32_t code = cl_baud(baud);
	int32_t r;

	if (!code)
		return cred_fail(CRED_ERR_ARG, "'%s': unsupported baud rate %d (Camera Link: 9600, "
				 "19200, 38400, 57600, 115200, 230400, 460800, 921600)", port->name, baud);
	if (!c->set_baud)
		return cred_fail(CRED_ERR_SUPP, "'%s': the library cannot set the line speed "
				 "(no clSetBaudRate)", port->name);
	r = c->set_baud(c->ref, code);
	if (r == CL_ERR_BAUD_RATE_NOT_SUPPORTED)
		return cred_fail(CRED_ERR_SUPP, "'%s': the grabber does not support %d baud",
				 port->name, baud);
	if (r != CL_ERR_NO_ERR)
		return cl_fail(port, "cannot set the baud rate", r);
	return CRED_OK;
}

static void cl_close(struct cred_port *port)
{
	struct clser *c = port->priv;

	if (c->ref)
		c->close(c->ref);
	dlclose(c->dl);
	free(c);
}

static const struct cred_port_ops clser_ops = {
	.read = cl_read,
	.write = cl_write,
	.set_baud = cl_set_baud,
	.close = cl_close,
};

/* dlopen the library and look up the API; the port's priv on success. */
static int load(const char *library, const char *name, struct clser **out)
{
	struct clser *c = calloc(1, sizeof(*c));

	if (!c)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if (!(c->dl = dlopen(library, RTLD_NOW | RTLD_LOCAL))) {
		free(c);
		return cred_fail(CRED_ERR_IO, "cannot open '%s': %s", name, dlerror());
	}
	*(void **)&c->init = dlsym(c->dl, "clSerialInit");
	*(void **)&c->read = dlsym(c->dl, "clSerialRead");
	*(void **)&c->write = dlsym(c->dl, "clSerialWrite");
	*(void **)&c->close = dlsym(c->dl, "clSerialClose");
	*(void **)&c->num_ports = dlsym(c->dl, "clGetNumSerialPorts");
	*(void **)&c->set_baud = dlsym(c->dl, "clSetBaudRate");
	*(void **)&c->avail = dlsym(c->dl, "clGetNumBytesAvail");
	*(void **)&c->error_text = dlsym(c->dl, "clGetErrorText");
	if (!c->init || !c->read || !c->write || !c->close) {
		dlclose(c->dl);
		free(c);
		return cred_fail(CRED_ERR_SUPP, "cannot open '%s': '%s' is not a Camera Link "
				 "serial library (it lacks clSerialInit, clSerialRead, "
				 "clSerialWrite or clSerialClose)", name, library);
	}
	*out = c;
	return CRED_OK;
}

static int check_index(struct clser *c, int index, const char *name)
{
	uint32_t n = 0;

	if (!c->num_ports || c->num_ports(&n) != CL_ERR_NO_ERR)
		return CRED_OK; /* a version 1.0 library: clSerialInit will tell */
	if (n == 0)
		return cred_fail(CRED_ERR_IO, "cannot open '%s': the library finds no Camera Link "
				 "serial port", name);
	if ((uint32_t)index >= n)
		return cred_fail(CRED_ERR_ARG, n == 1 ?
				 "cannot open '%s': no serial port %d: the library has 1 port (index 0)" :
				 "cannot open '%s': no serial port %d: the library has %u ports (index 0 to %u)",
				 name, index, n, n - 1);
	return CRED_OK;
}

static int init_port(struct cred_port *port, int index, int baud)
{
	struct clser *c = port->priv;
	char text[256];
	int32_t r = c->init((uint32_t)index, &c->ref);

	if (r != CL_ERR_NO_ERR)
		c->ref = NULL;
	if (r == CL_ERR_PORT_IN_USE)
		return cred_fail(CRED_ERR_BUSY, "port '%s' is in use (%s)", port->name,
				 cl_text(c, r, text, sizeof(text)));
	if (r != CL_ERR_NO_ERR)
		return cred_fail(CRED_ERR_IO, "cannot open '%s': %s (error %d)", port->name,
				 cl_text(c, r, text, sizeof(text)), (int)r);
	if (!c->set_baud) {
		cred_debug("clser: no clSetBaudRate; the line keeps the grabber's speed");
		return CRED_OK;
	}
	return cl_set_baud(port, baud);
}

int cred_port_open_clser(const char *library, int index, int baud, struct cred_port **out)
{
	char name[4200];
	struct cred_port *port;
	struct clser *c = NULL;
	int r;

	snprintf(name, sizeof(name), "clser:%s#%d", library, index);
	if ((r = load(library, name, &c)) < 0)
		return r;
	if ((r = check_index(c, index, name)) < 0 ||
	    !(port = cred_port_alloc(&clser_ops, name))) {
		dlclose(c->dl);
		free(c);
		return r < 0 ? r : CRED_ERR_MEM;
	}
	port->priv = c;
	if ((r = init_port(port, index, baud ? baud : 115200)) < 0) {
		cred_port_close(port);
		return r;
	}
	cred_debug("clser: opened %s (%s)", name,
		   c->avail ? "clGetNumBytesAvail" : "byte by byte");
	*out = port;
	return CRED_OK;
}

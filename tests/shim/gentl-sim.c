/* A GenICam GenTL producer (a .cti) whose one Camera Link grabber serves
 * the simulator's frame stream, so credgrab's gentl: source is tested
 * without a grabber. It follows the GenTL C interface (GenTL 1.5/1.6):
 * the same function names and signatures, info commands, event model
 * (EVENT_NEW_BUFFER on the data stream, EventGetData) and GC_ERR_* codes.
 * Buffers are filled when the consumer waits for the event: the frame is
 * read from the socket straight into the oldest queued buffer.
 *
 * Environment:
 *   CRED_SIM_FRAMES            the simulator's frame socket (credsim sets it);
 *                              read from DSStartAcquisition on
 *   CRED_GENTL_SIM_GEOMETRY    WIDTHxHEIGHT of the 16-bit frames the grabber is
 *                              configured for (default 640x512)
 *   CRED_GENTL_SIM_INTERFACES  interfaces (default 1)
 *   CRED_GENTL_SIM_DEVICES     devices on each interface (default 1; 0: none)
 *   CRED_GENTL_SIM_SCRAMBLE   if set, the pixels of each tap pair change
 *                              places (swapped cables, the wrong tap order)
 *   CRED_GENTL_SIM_FAULTS      comma-separated KIND[:ARG]@N, N counting the
 *                              frames read from the socket from 0:
 *     underrun[:K]@N   K frames (1) from N are lost for want of a buffer:
 *                      STREAM_INFO_NUM_UNDERRUN counts them
 *     incomplete@N     frame N is delivered with BUFFER_INFO_IS_INCOMPLETE
 *                      set and only half of it filled
 *     timeout[:MS]@N   before frame N nothing comes for MS ms (1000)
 *     error@N          at frame N EventGetData fails with GC_ERR_IO and
 *                      GCGetLastError says "simulated grabber failure"
 * Built without GENTL_SIM_FULL (gentl-sim-minimal.c), the producer lacks
 * the optional functions (GCGetLastError, DSGetInfo, IFGetDeviceInfo,
 * EventKill), as some producers do. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "grabber-sim.h"

#ifndef GENTL_SIM_MINIMAL
#define GENTL_SIM_FULL 1
#endif

typedef int32_t GC_ERROR;
typedef uint8_t bool8_t;
typedef void *TL_HANDLE, *IF_HANDLE, *DEV_HANDLE, *DS_HANDLE, *BUFFER_HANDLE, *EVENTSRC_HANDLE,
	*EVENT_HANDLE, *PORT_HANDLE;
typedef int32_t INFO_DATATYPE, TL_INFO_CMD, INTERFACE_INFO_CMD, DEVICE_INFO_CMD, STREAM_INFO_CMD,
	BUFFER_INFO_CMD, EVENT_TYPE, DEVICE_ACCESS_FLAGS, ACQ_START_FLAGS, ACQ_STOP_FLAGS,
	ACQ_QUEUE_TYPE;

enum {
	GC_ERR_SUCCESS = 0, GC_ERR_ERROR = -1001, GC_ERR_NOT_INITIALIZED = -1002,
	GC_ERR_NOT_IMPLEMENTED = -1003, GC_ERR_RESOURCE_IN_USE = -1004, GC_ERR_ACCESS_DENIED = -1005,
	GC_ERR_INVALID_HANDLE = -1006, GC_ERR_INVALID_ID = -1007, GC_ERR_NO_DATA = -1008,
	GC_ERR_INVALID_PARAMETER = -1009, GC_ERR_IO = -1010, GC_ERR_TIMEOUT = -1011,
	GC_ERR_ABORT = -1012, GC_ERR_INVALID_BUFFER = -1013, GC_ERR_NOT_AVAILABLE = -1014,
	GC_ERR_BUFFER_TOO_SMALL = -1016, GC_ERR_INVALID_INDEX = -1017, GC_ERR_RESOURCE_EXHAUSTED = -1020,
	GC_ERR_BUSY = -1022,
};
enum {
	INFO_DATATYPE_STRING = 1, INFO_DATATYPE_INT32 = 5, INFO_DATATYPE_UINT32 = 6,
	INFO_DATATYPE_UINT64 = 8, INFO_DATATYPE_PTR = 10, INFO_DATATYPE_BOOL8 = 11,
	INFO_DATATYPE_SIZET = 12,
};
enum { TL_INFO_ID = 0, TL_INFO_VENDOR = 1, TL_INFO_MODEL = 2, TL_INFO_VERSION = 3, TL_INFO_TLTYPE = 4,
       TL_INFO_GENTL_VER_MAJOR = 9, TL_INFO_GENTL_VER_MINOR = 10 };
enum { INTERFACE_INFO_ID = 0, INTERFACE_INFO_DISPLAYNAME = 1, INTERFACE_INFO_TLTYPE = 2 };
enum { DEVICE_INFO_ID = 0, DEVICE_INFO_VENDOR = 1, DEVICE_INFO_MODEL = 2, DEVICE_INFO_TLTYPE = 3,
       DEVICE_INFO_DISPLAYNAME = 4, DEVICE_INFO_SERIAL_NUMBER = 7 };
enum { STREAM_INFO_ID = 0, STREAM_INFO_NUM_DELIVERED = 1, STREAM_INFO_NUM_UNDERRUN = 2,
       STREAM_INFO_NUM_ANNOUNCED = 3, STREAM_INFO_NUM_QUEUED = 4, STREAM_INFO_NUM_AWAIT_DELIVERY = 5,
       STREAM_INFO_PAYLOAD_SIZE = 7, STREAM_INFO_IS_GRABBING = 8 };
enum { BUFFER_INFO_BASE = 0, BUFFER_INFO_SIZE = 1, BUFFER_INFO_USER_PTR = 2,
       BUFFER_INFO_NEW_DATA = 4, BUFFER_INFO_IS_QUEUED = 5, BUFFER_INFO_IS_INCOMPLETE = 7,
       BUFFER_INFO_SIZE_FILLED = 9, BUFFER_INFO_WIDTH = 10, BUFFER_INFO_HEIGHT = 11,
       BUFFER_INFO_FRAMEID = 16 };
enum { EVENT_NEW_BUFFER = 1 };
enum { DEVICE_ACCESS_READONLY = 2, DEVICE_ACCESS_CONTROL = 3, DEVICE_ACCESS_EXCLUSIVE = 4 };
enum { ACQ_QUEUE_INPUT_TO_OUTPUT = 0, ACQ_QUEUE_OUTPUT_DISCARD = 1, ACQ_QUEUE_ALL_TO_INPUT = 2,
       ACQ_QUEUE_UNQUEUED_TO_INPUT = 3, ACQ_QUEUE_ALL_DISCARD = 4 };

#pragma pack(push, 1)
typedef struct S_EVENT_NEW_BUFFER {
	BUFFER_HANDLE BufferHandle;
	void *pUserPointer;
} EVENT_NEW_BUFFER_DATA;
#pragma pack(pop)

#define EXPORT __attribute__((visibility("default")))
#define GC_API EXPORT GC_ERROR
#define MAX_BUFFERS 256
#define MAX_IFACES 8
#define MAX_DEVICES 8
#define MAX_FAULTS 32

enum magic { M_TL = 0x544c, M_IF = 0x4946, M_DEV = 0x4445, M_DS = 0x4453, M_EV = 0x4556 };

struct buffer {
	void *mem, *user;
	size_t size, filled;
	int announced, queued, incomplete;
	uint64_t frameid;
};

struct fault { char kind[16]; long arg; uint64_t at; };

struct stream;
struct event { int magic, registered; struct stream *ds; };

struct stream {
	int magic, open, fd, grabbing;
	struct buffer b[MAX_BUFFERS];
	int pool[MAX_BUFFERS], head, count;     /* the input pool, oldest first */
	size_t payload;
	int width, height;
	uint64_t read_frames, delivered, underrun;
	struct event ev;
};

struct device { int magic, open; int iface, index; struct stream ds; };
struct iface { int magic, open, index; struct device dev[MAX_DEVICES]; };

static struct { int magic, open; } tl = { M_TL, 0 };
static struct iface ifaces[MAX_IFACES];
static int inited;
static struct fault faults[MAX_FAULTS];
static int nfaults;
static __thread GC_ERROR last_code;
static __thread char last_text[256];

static GC_ERROR fail(GC_ERROR code, const char *text)
{
	last_code = code;
	snprintf(last_text, sizeof(last_text), "%s", text);
	return code;
}

static int env_int(const char *name, int def, int max)
{
	const char *v = getenv(name);
	int n = v && *v ? atoi(v) : def;

	return n < 0 ? 0 : n > max ? max : n;
}

static int n_ifaces(void) { return env_int("CRED_GENTL_SIM_INTERFACES", 1, MAX_IFACES); }
static int n_devices(void) { return env_int("CRED_GENTL_SIM_DEVICES", 1, MAX_DEVICES); }

static void parse_faults(void)
{
	const char *v = getenv("CRED_GENTL_SIM_FAULTS");
	char *copy, *tok, *save = NULL;

	nfaults = 0;
	if (!v || !*v || !(copy = strdup(v)))
		return;
	for (tok = strtok_r(copy, ",", &save); tok && nfaults < MAX_FAULTS;
	     tok = strtok_r(NULL, ",", &save)) {
		struct fault *f = &faults[nfaults];
		char *at = strchr(tok, '@'), *colon = strchr(tok, ':');

		if (!at)
			continue;
		*at = '\0';
		f->at = strtoull(at + 1, NULL, 10);
		f->arg = colon && colon < at ? atol(colon + 1) : 0;
		if (colon && colon < at)
			*colon = '\0';
		snprintf(f->kind, sizeof(f->kind), "%s", tok);
		nfaults++;
	}
	free(copy);
}

/* The fault of kind at frame n, or NULL. */
static const struct fault *fault_at(const char *kind, uint64_t n)
{
	for (int i = 0; i < nfaults; i++)
		if (faults[i].at == n && strcmp(faults[i].kind, kind) == 0)
			return &faults[i];
	return NULL;
}

/* Answer an info query the GenTL way: size only when pBuffer is NULL. */
static GC_ERROR answer(INFO_DATATYPE type, const void *v, size_t n, INFO_DATATYPE *piType,
		       void *pBuffer, size_t *piSize)
{
	if (!piSize)
		return fail(GC_ERR_INVALID_PARAMETER, "piSize is NULL");
	if (piType)
		*piType = type;
	if (!pBuffer) {
		*piSize = n;
		return GC_ERR_SUCCESS;
	}
	if (*piSize < n) {
		*piSize = n;
		return fail(GC_ERR_BUFFER_TOO_SMALL, "buffer too small");
	}
	memcpy(pBuffer, v, n);
	*piSize = n;
	return GC_ERR_SUCCESS;
}

static GC_ERROR answer_string(const char *s, INFO_DATATYPE *t, void *b, size_t *n)
{
	return answer(INFO_DATATYPE_STRING, s, strlen(s) + 1, t, b, n);
}

#define NEED_INIT() do { if (!inited) return fail(GC_ERR_NOT_INITIALIZED, "GCInitLib was not called"); } while (0)

/* ---- library and system module ------------------------------------------------ */

GC_API GCInitLib(void)
{
	if (inited)
		return fail(GC_ERR_RESOURCE_IN_USE, "already initialised");
	inited = 1;
	parse_faults();
	return GC_ERR_SUCCESS;
}

GC_API GCCloseLib(void)
{
	NEED_INIT();
	inited = 0;
	return GC_ERR_SUCCESS;
}

#ifdef GENTL_SIM_FULL
GC_API GCGetLastError(GC_ERROR *piErrorCode, char *sErrText, size_t *piSize)
{
	if (!piErrorCode || !piSize)
		return GC_ERR_INVALID_PARAMETER;
	*piErrorCode = last_code;
	return answer(INFO_DATATYPE_STRING, last_text, strlen(last_text) + 1, NULL, sErrText, piSize);
}
#endif

GC_API GCGetInfo(TL_INFO_CMD iInfoCmd, INFO_DATATYPE *piType, void *pBuffer, size_t *piSize)
{
	uint32_t v;

	switch (iInfoCmd) {
	case TL_INFO_ID: return answer_string("credtools-gentl-sim", piType, pBuffer, piSize);
	case TL_INFO_VENDOR: return answer_string("credtools", piType, pBuffer, piSize);
	case TL_INFO_MODEL: return answer_string("GenTL stand-in", piType, pBuffer, piSize);
	case TL_INFO_VERSION: return answer_string("1.0", piType, pBuffer, piSize);
	case TL_INFO_TLTYPE: return answer_string("CL", piType, pBuffer, piSize);
	case TL_INFO_GENTL_VER_MAJOR: v = 1; return answer(INFO_DATATYPE_UINT32, &v, 4, piType, pBuffer, piSize);
	case TL_INFO_GENTL_VER_MINOR: v = 5; return answer(INFO_DATATYPE_UINT32, &v, 4, piType, pBuffer, piSize);
	default: return fail(GC_ERR_NOT_IMPLEMENTED, "info command not implemented");
	}
}

GC_API TLOpen(TL_HANDLE *phTL)
{
	NEED_INIT();
	if (!phTL)
		return fail(GC_ERR_INVALID_PARAMETER, "phTL is NULL");
	if (tl.open)
		return fail(GC_ERR_RESOURCE_IN_USE, "the system module is open");
	tl.open = 1;
	for (int i = 0; i < MAX_IFACES; i++) {
		ifaces[i].magic = M_IF;
		ifaces[i].index = i;
	}
	*phTL = &tl;
	return GC_ERR_SUCCESS;
}

#define CHECK(h, m) do { if (!(h) || *(int *)(h) != (m)) return fail(GC_ERR_INVALID_HANDLE, "invalid handle"); } while (0)

GC_API TLClose(TL_HANDLE hTL)
{
	CHECK(hTL, M_TL);
	tl.open = 0;
	return GC_ERR_SUCCESS;
}

GC_API TLUpdateInterfaceList(TL_HANDLE hTL, bool8_t *pbChanged, uint64_t iTimeout)
{
	CHECK(hTL, M_TL);
	if (pbChanged)
		*pbChanged = 0;
	return GC_ERR_SUCCESS;
}

GC_API TLGetNumInterfaces(TL_HANDLE hTL, uint32_t *piNumIfaces)
{
	CHECK(hTL, M_TL);
	if (!piNumIfaces)
		return fail(GC_ERR_INVALID_PARAMETER, "piNumIfaces is NULL");
	*piNumIfaces = (uint32_t)n_ifaces();
	return GC_ERR_SUCCESS;
}

static void iface_id(int i, char *buf, size_t n) { snprintf(buf, n, "CL%d", i); }
static void device_id(int i, int d, char *buf, size_t n) { snprintf(buf, n, "CL%d-cam%d", i, d); }

GC_API TLGetInterfaceID(TL_HANDLE hTL, uint32_t iIndex, char *sID, size_t *piSize)
{
	char id[32];

	CHECK(hTL, M_TL);
	if (iIndex >= (uint32_t)n_ifaces())
		return fail(GC_ERR_INVALID_INDEX, "no such interface");
	iface_id((int)iIndex, id, sizeof(id));
	return answer(INFO_DATATYPE_STRING, id, strlen(id) + 1, NULL, sID, piSize);
}

static int find_iface(const char *id)
{
	char want[32];

	for (int i = 0; id && i < n_ifaces(); i++) {
		iface_id(i, want, sizeof(want));
		if (strcmp(id, want) == 0)
			return i;
	}
	return -1;
}

GC_API TLGetInterfaceInfo(TL_HANDLE hTL, const char *sIfaceID, INTERFACE_INFO_CMD iInfoCmd,
			  INFO_DATATYPE *piType, void *pBuffer, size_t *piSize)
{
	CHECK(hTL, M_TL);
	if (find_iface(sIfaceID) < 0)
		return fail(GC_ERR_INVALID_ID, "no such interface");
	switch (iInfoCmd) {
	case INTERFACE_INFO_ID: return answer_string(sIfaceID, piType, pBuffer, piSize);
	case INTERFACE_INFO_DISPLAYNAME: return answer_string("Camera Link stand-in", piType, pBuffer, piSize);
	case INTERFACE_INFO_TLTYPE: return answer_string("CL", piType, pBuffer, piSize);
	default: return fail(GC_ERR_NOT_IMPLEMENTED, "info command not implemented");
	}
}

GC_API TLOpenInterface(TL_HANDLE hTL, const char *sIfaceID, IF_HANDLE *phIface)
{
	int i;

	CHECK(hTL, M_TL);
	if (!phIface)
		return fail(GC_ERR_INVALID_PARAMETER, "phIface is NULL");
	i = find_iface(sIfaceID);
	if (i < 0)
		return fail(GC_ERR_INVALID_ID, "no such interface");
	ifaces[i].open = 1;
	*phIface = &ifaces[i];
	return GC_ERR_SUCCESS;
}

/* ---- interface module ----------------------------------------------------------- */

GC_API IFClose(IF_HANDLE hIface)
{
	CHECK(hIface, M_IF);
	((struct iface *)hIface)->open = 0;
	return GC_ERR_SUCCESS;
}

GC_API IFUpdateDeviceList(IF_HANDLE hIface, bool8_t *pbChanged, uint64_t iTimeout)
{
	CHECK(hIface, M_IF);
	if (pbChanged)
		*pbChanged = 0;
	return GC_ERR_SUCCESS;
}

GC_API IFGetNumDevices(IF_HANDLE hIface, uint32_t *piNumDevices)
{
	CHECK(hIface, M_IF);
	if (!piNumDevices)
		return fail(GC_ERR_INVALID_PARAMETER, "piNumDevices is NULL");
	*piNumDevices = (uint32_t)n_devices();
	return GC_ERR_SUCCESS;
}

GC_API IFGetDeviceID(IF_HANDLE hIface, uint32_t iIndex, char *sIDeviceID, size_t *piSize)
{
	char id[32];

	CHECK(hIface, M_IF);
	if (iIndex >= (uint32_t)n_devices())
		return fail(GC_ERR_INVALID_INDEX, "no such device");
	device_id(((struct iface *)hIface)->index, (int)iIndex, id, sizeof(id));
	return answer(INFO_DATATYPE_STRING, id, strlen(id) + 1, NULL, sIDeviceID, piSize);
}

static int find_device(struct iface *f, const char *id)
{
	char want[32];

	for (int d = 0; id && d < n_devices(); d++) {
		device_id(f->index, d, want, sizeof(want));
		if (strcmp(id, want) == 0)
			return d;
	}
	return -1;
}

#ifdef GENTL_SIM_FULL
GC_API IFGetDeviceInfo(IF_HANDLE hIface, const char *sDeviceID, DEVICE_INFO_CMD iInfoCmd,
		       INFO_DATATYPE *piType, void *pBuffer, size_t *piSize)
{
	struct iface *f = hIface;
	char serial[32];
	int d;

	CHECK(hIface, M_IF);
	d = find_device(f, sDeviceID);
	if (d < 0)
		return fail(GC_ERR_INVALID_ID, "no such device");
	switch (iInfoCmd) {
	case DEVICE_INFO_ID: return answer_string(sDeviceID, piType, pBuffer, piSize);
	case DEVICE_INFO_VENDOR: return answer_string("First Light Imaging", piType, pBuffer, piSize);
	case DEVICE_INFO_MODEL: return answer_string("C-RED (stand-in)", piType, pBuffer, piSize);
	case DEVICE_INFO_TLTYPE: return answer_string("CL", piType, pBuffer, piSize);
	case DEVICE_INFO_DISPLAYNAME: return answer_string(sDeviceID, piType, pBuffer, piSize);
	case DEVICE_INFO_SERIAL_NUMBER:
		snprintf(serial, sizeof(serial), "SIM%d%02d", f->index, d);
		return answer_string(serial, piType, pBuffer, piSize);
	default: return fail(GC_ERR_NOT_IMPLEMENTED, "info command not implemented");
	}
}
#endif

static void geometry(int *w, int *h)
{
	const char *v = getenv("CRED_GENTL_SIM_GEOMETRY");

	*w = 640;
	*h = 512;
	if (v && *v && sscanf(v, "%dx%d", w, h) != 2) {
		*w = 640;
		*h = 512;
	}
}

GC_API IFOpenDevice(IF_HANDLE hIface, const char *sDeviceID, DEVICE_ACCESS_FLAGS iOpenFlags,
		    DEV_HANDLE *phDevice)
{
	struct iface *f = hIface;
	struct device *dev;
	int d;

	CHECK(hIface, M_IF);
	if (!phDevice)
		return fail(GC_ERR_INVALID_PARAMETER, "phDevice is NULL");
	d = find_device(f, sDeviceID);
	if (d < 0)
		return fail(GC_ERR_INVALID_ID, "no such device");
	if (iOpenFlags < DEVICE_ACCESS_READONLY || iOpenFlags > DEVICE_ACCESS_EXCLUSIVE)
		return fail(GC_ERR_INVALID_PARAMETER, "bad access flags");
	dev = &f->dev[d];
	if (dev->open)
		return fail(GC_ERR_RESOURCE_IN_USE, "the device is open");
	memset(dev, 0, sizeof(*dev));
	dev->magic = M_DEV;
	dev->open = 1;
	dev->iface = f->index;
	dev->index = d;
	*phDevice = dev;
	return GC_ERR_SUCCESS;
}

/* ---- device module ------------------------------------------------------------------ */

GC_API DevClose(DEV_HANDLE hDevice)
{
	CHECK(hDevice, M_DEV);
	((struct device *)hDevice)->open = 0;
	return GC_ERR_SUCCESS;
}

GC_API DevGetNumDataStreams(DEV_HANDLE hDevice, uint32_t *piNumDataStreams)
{
	CHECK(hDevice, M_DEV);
	if (!piNumDataStreams)
		return fail(GC_ERR_INVALID_PARAMETER, "piNumDataStreams is NULL");
	*piNumDataStreams = 1;
	return GC_ERR_SUCCESS;
}

GC_API DevGetDataStreamID(DEV_HANDLE hDevice, uint32_t iIndex, char *sDataStreamID, size_t *piSize)
{
	CHECK(hDevice, M_DEV);
	if (iIndex != 0)
		return fail(GC_ERR_INVALID_INDEX, "no such data stream");
	return answer(INFO_DATATYPE_STRING, "stream0", 8, NULL, sDataStreamID, piSize);
}

GC_API DevOpenDataStream(DEV_HANDLE hDevice, const char *sDataStreamID, DS_HANDLE *phDataStream)
{
	struct device *dev = hDevice;
	struct stream *ds;

	CHECK(hDevice, M_DEV);
	if (!phDataStream || !sDataStreamID)
		return fail(GC_ERR_INVALID_PARAMETER, "NULL parameter");
	if (strcmp(sDataStreamID, "stream0") != 0)
		return fail(GC_ERR_INVALID_ID, "no such data stream");
	ds = &dev->ds;
	if (ds->open)
		return fail(GC_ERR_RESOURCE_IN_USE, "the data stream is open");
	memset(ds, 0, sizeof(*ds));
	ds->magic = M_DS;
	ds->open = 1;
	ds->fd = -1;
	geometry(&ds->width, &ds->height);
	ds->payload = (size_t)ds->width * (size_t)ds->height * 2;
	*phDataStream = ds;
	return GC_ERR_SUCCESS;
}

/* ---- data stream module ------------------------------------------------------------------ */

static struct buffer *buffer_of(struct stream *ds, BUFFER_HANDLE h)
{
	struct buffer *b = h;

	if (b < ds->b || b >= ds->b + MAX_BUFFERS || !b->announced)
		return NULL;
	return b;
}

GC_API DSAnnounceBuffer(DS_HANDLE hDataStream, void *pBuffer, size_t iSize, void *pPrivate,
			BUFFER_HANDLE *phBuffer)
{
	struct stream *ds = hDataStream;

	CHECK(hDataStream, M_DS);
	if (!pBuffer || !phBuffer || iSize == 0)
		return fail(GC_ERR_INVALID_PARAMETER, "NULL buffer or size 0");
	for (int i = 0; i < MAX_BUFFERS; i++) {
		struct buffer *b = &ds->b[i];

		if (b->announced)
			continue;
		memset(b, 0, sizeof(*b));
		b->announced = 1;
		b->mem = pBuffer;
		b->size = iSize;
		b->user = pPrivate;
		*phBuffer = b;
		return GC_ERR_SUCCESS;
	}
	return fail(GC_ERR_RESOURCE_EXHAUSTED, "too many buffers");
}

GC_API DSRevokeBuffer(DS_HANDLE hDataStream, BUFFER_HANDLE hBuffer, void **pBuffer, void **pPrivate)
{
	struct stream *ds = hDataStream;
	struct buffer *b;

	CHECK(hDataStream, M_DS);
	b = buffer_of(ds, hBuffer);
	if (!b)
		return fail(GC_ERR_INVALID_HANDLE, "not an announced buffer");
	if (b->queued)
		return fail(GC_ERR_BUSY, "the buffer is queued");
	if (pBuffer)
		*pBuffer = b->mem;
	if (pPrivate)
		*pPrivate = b->user;
	b->announced = 0;
	return GC_ERR_SUCCESS;
}

GC_API DSQueueBuffer(DS_HANDLE hDataStream, BUFFER_HANDLE hBuffer)
{
	struct stream *ds = hDataStream;
	struct buffer *b;

	CHECK(hDataStream, M_DS);
	b = buffer_of(ds, hBuffer);
	if (!b)
		return fail(GC_ERR_INVALID_HANDLE, "not an announced buffer");
	if (b->queued)
		return fail(GC_ERR_INVALID_PARAMETER, "the buffer is queued already");
	b->queued = 1;
	b->filled = 0;
	ds->pool[(ds->head + ds->count) % MAX_BUFFERS] = (int)(b - ds->b);
	ds->count++;
	return GC_ERR_SUCCESS;
}

GC_API DSFlushQueue(DS_HANDLE hDataStream, ACQ_QUEUE_TYPE iOperation)
{
	struct stream *ds = hDataStream;

	CHECK(hDataStream, M_DS);
	if (iOperation != ACQ_QUEUE_ALL_DISCARD && iOperation != ACQ_QUEUE_OUTPUT_DISCARD)
		return fail(GC_ERR_NOT_IMPLEMENTED, "only ACQ_QUEUE_ALL_DISCARD and ACQ_QUEUE_OUTPUT_DISCARD");
	/* there is no output queue: buffers go to the consumer as they fill */
	if (iOperation == ACQ_QUEUE_ALL_DISCARD) {
		for (int i = 0; i < MAX_BUFFERS; i++)
			ds->b[i].queued = 0;
		ds->count = 0;
	}
	return GC_ERR_SUCCESS;
}

GC_API DSStartAcquisition(DS_HANDLE hDataStream, ACQ_START_FLAGS iStartFlags, uint64_t iNumToAcquire)
{
	struct stream *ds = hDataStream;

	CHECK(hDataStream, M_DS);
	if (ds->grabbing)
		return fail(GC_ERR_RESOURCE_IN_USE, "acquisition is running");
	if (ds->count == 0)
		return fail(GC_ERR_INVALID_BUFFER, "no buffer queued");
	ds->fd = connect_frames();
	if (ds->fd < 0)
		return fail(GC_ERR_IO, "no camera on the Camera Link cable (cannot reach $CRED_SIM_FRAMES)");
	ds->grabbing = 1;
	ds->delivered = ds->underrun = ds->read_frames = 0;
	return GC_ERR_SUCCESS;
}

GC_API DSStopAcquisition(DS_HANDLE hDataStream, ACQ_STOP_FLAGS iStopFlags)
{
	struct stream *ds = hDataStream;

	CHECK(hDataStream, M_DS);
	if (!ds->grabbing)
		return fail(GC_ERR_RESOURCE_IN_USE, "acquisition is not running");
	close(ds->fd);
	ds->fd = -1;
	ds->grabbing = 0;
	return GC_ERR_SUCCESS;
}

#ifdef GENTL_SIM_FULL
GC_API DSGetInfo(DS_HANDLE hDataStream, STREAM_INFO_CMD iInfoCmd, INFO_DATATYPE *piType,
		 void *pBuffer, size_t *piSize)
{
	struct stream *ds = hDataStream;
	size_t z;
	bool8_t b8;

	CHECK(hDataStream, M_DS);
	switch (iInfoCmd) {
	case STREAM_INFO_ID: return answer_string("stream0", piType, pBuffer, piSize);
	case STREAM_INFO_NUM_DELIVERED:
		return answer(INFO_DATATYPE_UINT64, &ds->delivered, 8, piType, pBuffer, piSize);
	case STREAM_INFO_NUM_UNDERRUN:
		return answer(INFO_DATATYPE_UINT64, &ds->underrun, 8, piType, pBuffer, piSize);
	case STREAM_INFO_NUM_QUEUED:
		z = (size_t)ds->count;
		return answer(INFO_DATATYPE_SIZET, &z, sizeof(z), piType, pBuffer, piSize);
	case STREAM_INFO_NUM_AWAIT_DELIVERY:
		z = 0;
		return answer(INFO_DATATYPE_SIZET, &z, sizeof(z), piType, pBuffer, piSize);
	case STREAM_INFO_PAYLOAD_SIZE:
		return answer(INFO_DATATYPE_SIZET, &ds->payload, sizeof(ds->payload), piType, pBuffer, piSize);
	case STREAM_INFO_IS_GRABBING:
		b8 = (bool8_t)ds->grabbing;
		return answer(INFO_DATATYPE_BOOL8, &b8, 1, piType, pBuffer, piSize);
	default: return fail(GC_ERR_NOT_IMPLEMENTED, "info command not implemented");
	}
}
#endif

GC_API DSGetBufferInfo(DS_HANDLE hDataStream, BUFFER_HANDLE hBuffer, BUFFER_INFO_CMD iInfoCmd,
		       INFO_DATATYPE *piType, void *pBuffer, size_t *piSize)
{
	struct stream *ds = hDataStream;
	struct buffer *b;
	bool8_t b8;
	size_t z;

	CHECK(hDataStream, M_DS);
	b = buffer_of(ds, hBuffer);
	if (!b)
		return fail(GC_ERR_INVALID_HANDLE, "not an announced buffer");
	switch (iInfoCmd) {
	case BUFFER_INFO_BASE: return answer(INFO_DATATYPE_PTR, &b->mem, sizeof(void *), piType, pBuffer, piSize);
	case BUFFER_INFO_SIZE: return answer(INFO_DATATYPE_SIZET, &b->size, sizeof(size_t), piType, pBuffer, piSize);
	case BUFFER_INFO_USER_PTR: return answer(INFO_DATATYPE_PTR, &b->user, sizeof(void *), piType, pBuffer, piSize);
	case BUFFER_INFO_IS_QUEUED:
		b8 = (bool8_t)b->queued;
		return answer(INFO_DATATYPE_BOOL8, &b8, 1, piType, pBuffer, piSize);
	case BUFFER_INFO_IS_INCOMPLETE:
		b8 = (bool8_t)b->incomplete;
		return answer(INFO_DATATYPE_BOOL8, &b8, 1, piType, pBuffer, piSize);
	case BUFFER_INFO_SIZE_FILLED:
		return answer(INFO_DATATYPE_SIZET, &b->filled, sizeof(size_t), piType, pBuffer, piSize);
	case BUFFER_INFO_WIDTH:
		z = (size_t)ds->width;
		return answer(INFO_DATATYPE_SIZET, &z, sizeof(z), piType, pBuffer, piSize);
	case BUFFER_INFO_HEIGHT:
		z = (size_t)ds->height;
		return answer(INFO_DATATYPE_SIZET, &z, sizeof(z), piType, pBuffer, piSize);
	case BUFFER_INFO_FRAMEID:
		return answer(INFO_DATATYPE_UINT64, &b->frameid, 8, piType, pBuffer, piSize);
	default: return fail(GC_ERR_NOT_IMPLEMENTED, "info command not implemented");
	}
}

GC_API DSClose(DS_HANDLE hDataStream)
{
	struct stream *ds = hDataStream;

	CHECK(hDataStream, M_DS);
	if (ds->grabbing)
		DSStopAcquisition(ds, 0);
	ds->open = 0;
	ds->magic = 0;
	return GC_ERR_SUCCESS;
}

/* ---- events ------------------------------------------------------------------------------ */

GC_API GCRegisterEvent(EVENTSRC_HANDLE hEventSrc, EVENT_TYPE iEventID, EVENT_HANDLE *phEvent)
{
	struct stream *ds = hEventSrc;

	CHECK(hEventSrc, M_DS);
	if (iEventID != EVENT_NEW_BUFFER)
		return fail(GC_ERR_NOT_IMPLEMENTED, "only EVENT_NEW_BUFFER");
	if (!phEvent)
		return fail(GC_ERR_INVALID_PARAMETER, "phEvent is NULL");
	if (ds->ev.registered)
		return fail(GC_ERR_RESOURCE_IN_USE, "already registered");
	ds->ev.magic = M_EV;
	ds->ev.registered = 1;
	ds->ev.ds = ds;
	*phEvent = &ds->ev;
	return GC_ERR_SUCCESS;
}

GC_API GCUnregisterEvent(EVENTSRC_HANDLE hEventSrc, EVENT_TYPE iEventID)
{
	struct stream *ds = hEventSrc;

	CHECK(hEventSrc, M_DS);
	if (iEventID != EVENT_NEW_BUFFER || !ds->ev.registered)
		return fail(GC_ERR_NOT_IMPLEMENTED, "not registered");
	ds->ev.registered = 0;
	ds->ev.magic = 0;
	return GC_ERR_SUCCESS;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Wait until the next frame starts, at most ms (-1: for ever). 1 when
 * it does, 0 on a timeout (or when the stream has ended). */
static int wait_frame(struct stream *ds, long long ms)
{
	struct pollfd pf = { .fd = ds->fd, .events = POLLIN };
	char c;
	int r = poll(&pf, 1, ms < 0 ? -1 : (int)ms);

	if (r <= 0)
		return 0;
	if (recv(ds->fd, &c, 1, MSG_PEEK) == 1)
		return 1;
	/* the camera stopped sending: a grabber just sees no frame */
	if (ms > 0)
		usleep((useconds_t)ms * 1000);
	return 0;
}

static GC_ERROR new_buffer(struct stream *ds, struct buffer *b, void *pBuffer, size_t *piSize)
{
	EVENT_NEW_BUFFER_DATA d = { b, b->user };

	if (*piSize < sizeof(d))
		return fail(GC_ERR_BUFFER_TOO_SMALL, "the event data needs more room");
	memcpy(pBuffer, &d, sizeof(d));
	*piSize = sizeof(d);
	ds->delivered++;
	return GC_ERR_SUCCESS;
}

/* Frame n arrives: lost, delivered into the oldest queued buffer, or
 * delivered incomplete. Returns 1 with a buffer, 0 when the frame was lost. */
static int take_frame(struct stream *ds, struct buffer **out)
{
	const struct fault *f;
	uint64_t n = ds->read_frames++;
	struct buffer *b;

	f = fault_at("underrun", n);
	if (f || ds->count == 0) {
		long k = f && f->arg > 0 ? f->arg : 1;

		for (long i = 0; i < k; i++)
			read_all(ds->fd, NULL, ds->payload);
		ds->read_frames += (uint64_t)k - 1;
		ds->underrun += (uint64_t)k;
		return 0;
	}
	b = &ds->b[ds->pool[ds->head]];
	ds->head = (ds->head + 1) % MAX_BUFFERS;
	ds->count--;
	b->queued = 0;
	b->frameid = n;
	b->filled = read_all(ds->fd, b->mem, b->size < ds->payload ? b->size : ds->payload);
	b->incomplete = b->filled < ds->payload;
	scramble("CRED_GENTL_SIM_SCRAMBLE", b->mem, b->filled);
	if (fault_at("incomplete", n)) {
		b->incomplete = 1;
		b->filled = ds->payload / 2;
	}
	*out = b;
	return 1;
}

GC_API EventGetData(EVENT_HANDLE hEvent, void *pBuffer, size_t *piSize, uint64_t iTimeout)
{
	struct stream *ds;
	long long end, left;
	const struct fault *f;
	struct buffer *b;

	CHECK(hEvent, M_EV);
	ds = ((struct event *)hEvent)->ds;
	if (!pBuffer || !piSize)
		return fail(GC_ERR_INVALID_PARAMETER, "NULL parameter");
	if (!ds->grabbing)
		return fail(GC_ERR_TIMEOUT, "acquisition is not running");
	end = iTimeout == UINT64_MAX ? -1 : now_ms() + (long long)iTimeout;
	for (;;) {
		left = end < 0 ? -1 : end - now_ms();
		if (end >= 0 && left < 0)
			left = 0;
		if ((f = fault_at("error", ds->read_frames)))
			return fail(GC_ERR_IO, "simulated grabber failure: the Camera Link link went down");
		if ((f = fault_at("timeout", ds->read_frames)) && f->arg >= 0) {
			long ms = f->arg ? f->arg : 1000;

			((struct fault *)f)->arg = -1; /* once */
			usleep((useconds_t)ms * 1000);
			return fail(GC_ERR_TIMEOUT, "no frame in time");
		}
		if (!wait_frame(ds, left))
			return fail(GC_ERR_TIMEOUT, "no frame in time");
		if (take_frame(ds, &b))
			return new_buffer(ds, b, pBuffer, piSize);
	}
}

GC_API EventFlush(EVENT_HANDLE hEvent)
{
	CHECK(hEvent, M_EV);
	return GC_ERR_SUCCESS;
}

#ifdef GENTL_SIM_FULL
GC_API EventKill(EVENT_HANDLE hEvent)
{
	CHECK(hEvent, M_EV);
	/* EventGetData never blocks past its timeout here: nothing to wake */
	return GC_ERR_SUCCESS;
}
#endif

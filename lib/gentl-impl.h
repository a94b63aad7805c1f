/* The part of the GenICam GenTL C interface (GenTL 1.5/1.6, "GenTL
 * Standard", EMVA) that credtools uses as a consumer, and the producer
 * (.cti) it loaded. Types and values are the standard's; the functions
 * are looked up with dlsym, so no GenTL header or SDK is needed.
 *
 * Functions a producer must have for acquisition (every producer does):
 *   GCInitLib GCCloseLib TLOpen TLClose TLUpdateInterfaceList
 *   TLGetNumInterfaces TLGetInterfaceID TLOpenInterface IFClose
 *   IFUpdateDeviceList IFGetNumDevices IFGetDeviceID IFOpenDevice DevClose
 *   DevGetNumDataStreams DevGetDataStreamID DevOpenDataStream DSClose
 *   DSAnnounceBuffer DSRevokeBuffer DSQueueBuffer DSFlushQueue
 *   DSStartAcquisition DSStopAcquisition DSGetBufferInfo GCRegisterEvent
 *   GCUnregisterEvent EventGetData
 * Used when present (a producer without them still loads):
 *   GCGetLastError (the producer's error text), DSGetInfo (payload size,
 *   lost-frame counter), IFGetDeviceInfo (vendor, model, serial in the
 *   list), EventKill (a quicker stop). Not internal symbols of libcred. */
#ifndef CRED_GENTL_IMPL_H
#define CRED_GENTL_IMPL_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t GC_ERROR;
typedef uint8_t bool8_t;
typedef void *TL_HANDLE, *IF_HANDLE, *DEV_HANDLE, *DS_HANDLE, *BUFFER_HANDLE, *EVENTSRC_HANDLE,
	*EVENT_HANDLE;
typedef int32_t INFO_DATATYPE, DEVICE_INFO_CMD, STREAM_INFO_CMD, BUFFER_INFO_CMD, EVENT_TYPE,
	DEVICE_ACCESS_FLAGS, ACQ_START_FLAGS, ACQ_STOP_FLAGS, ACQ_QUEUE_TYPE;

#define GC_ERR_SUCCESS 0
#define GC_ERR_NOT_IMPLEMENTED (-1003)
#define GC_ERR_TIMEOUT (-1011)
#define GC_ERR_ABORT (-1012)
#define GENTL_INFINITE 0xFFFFFFFFFFFFFFFFULL

#define DEVICE_INFO_VENDOR 1
#define DEVICE_INFO_MODEL 2
#define DEVICE_INFO_SERIAL_NUMBER 7
#define DEVICE_ACCESS_EXCLUSIVE 4
#define STREAM_INFO_NUM_UNDERRUN 2
#define STREAM_INFO_PAYLOAD_SIZE 7
#define BUFFER_INFO_BASE 0
#define BUFFER_INFO_IS_INCOMPLETE 7
#define BUFFER_INFO_SIZE_FILLED 9
#define EVENT_NEW_BUFFER 1
#define ACQ_START_FLAGS_DEFAULT 0
#define ACQ_STOP_FLAGS_KILL 1
#define ACQ_QUEUE_ALL_DISCARD 4

/* The data of an EVENT_NEW_BUFFER event (packed in the standard). */
#pragma pack(push, 1)
struct gentl_new_buffer {
	BUFFER_HANDLE buffer;
	void *user;
};
#pragma pack(pop)

struct gentl {
	void *dl;
	char *path;
	int inited;
	TL_HANDLE tl;
	GC_ERROR (*GCInitLib)(void);
	GC_ERROR (*GCCloseLib)(void);
	GC_ERROR (*GCGetLastError)(GC_ERROR *code, char *text, size_t *size); /* optional */
	GC_ERROR (*TLOpen)(TL_HANDLE *tl);
	GC_ERROR (*TLClose)(TL_HANDLE tl);
	GC_ERROR (*TLUpdateInterfaceList)(TL_HANDLE tl, bool8_t *changed, uint64_t timeout);
	GC_ERROR (*TLGetNumInterfaces)(TL_HANDLE tl, uint32_t *n);
	GC_ERROR (*TLGetInterfaceID)(TL_HANDLE tl, uint32_t i, char *id, size_t *size);
	GC_ERROR (*TLOpenInterface)(TL_HANDLE tl, const char *id, IF_HANDLE *iface);
	GC_ERROR (*IFClose)(IF_HANDLE iface);
	GC_ERROR (*IFUpdateDeviceList)(IF_HANDLE iface, bool8_t *changed, uint64_t timeout);
	GC_ERROR (*IFGetNumDevices)(IF_HANDLE iface, uint32_t *n);
	GC_ERROR (*IFGetDeviceID)(IF_HANDLE iface, uint32_t i, char *id, size_t *size);
	GC_ERROR (*IFGetDeviceInfo)(IF_HANDLE iface, const char *id, DEVICE_INFO_CMD cmd,
				    INFO_DATATYPE *type, void *buf, size_t *size); /* optional */
	GC_ERROR (*IFOpenDevice)(IF_HANDLE iface, const char *id, DEVICE_ACCESS_FLAGS flags,
				 DEV_HANDLE *dev);
	GC_ERROR (*DevClose)(DEV_HANDLE dev);
	GC_ERROR (*DevGetNumDataStreams)(DEV_HANDLE dev, uint32_t *n);
	GC_ERROR (*DevGetDataStreamID)(DEV_HANDLE dev, uint32_t i, char *id, size_t *size);
	GC_ERROR (*DevOpenDataStream)(DEV_HANDLE dev, const char *id, DS_HANDLE *ds);
	GC_ERROR (*DSClose)(DS_HANDLE ds);
	GC_ERROR (*DSAnnounceBuffer)(DS_HANDLE ds, void *buf, size_t size, void *user,
				     BUFFER_HANDLE *b);
	GC_ERROR (*DSRevokeBuffer)(DS_HANDLE ds, BUFFER_HANDLE b, void **buf, void **user);
	GC_ERROR (*DSQueueBuffer)(DS_HANDLE ds, BUFFER_HANDLE b);
	GC_ERROR (*DSFlushQueue)(DS_HANDLE ds, ACQ_QUEUE_TYPE op);
	GC_ERROR (*DSStartAcquisition)(DS_HANDLE ds, ACQ_START_FLAGS flags, uint64_t count);
	GC_ERROR (*DSStopAcquisition)(DS_HANDLE ds, ACQ_STOP_FLAGS flags);
	GC_ERROR (*DSGetInfo)(DS_HANDLE ds, STREAM_INFO_CMD cmd, INFO_DATATYPE *type, void *buf,
			      size_t *size); /* optional */
	GC_ERROR (*DSGetBufferInfo)(DS_HANDLE ds, BUFFER_HANDLE b, BUFFER_INFO_CMD cmd,
				    INFO_DATATYPE *type, void *buf, size_t *size);
	GC_ERROR (*GCRegisterEvent)(EVENTSRC_HANDLE src, EVENT_TYPE type, EVENT_HANDLE *ev);
	GC_ERROR (*GCUnregisterEvent)(EVENTSRC_HANDLE src, EVENT_TYPE type);
	GC_ERROR (*EventGetData)(EVENT_HANDLE ev, void *buf, size_t *size, uint64_t timeout);
	GC_ERROR (*EventKill)(EVENT_HANDLE ev); /* optional */
};

/* Load the producer named by spec (a path, or a file name found in
 * $GENICAM_GENTL64_PATH), initialise it and open its system module. */
int cred_gentl_load(struct gentl *g, const char *producer);
/* Close the system module and unload. */
void cred_gentl_unload(struct gentl *g);

/* A failure of call (code) with the producer's own error text:
 * CRED_ERR_TIMEOUT for GC_ERR_TIMEOUT, else CRED_ERR_IO. */
int cred_gentl_fail(struct gentl *g, const char *call, GC_ERROR code);

/* The ID of entry i of a list (TLGetInterfaceID, IFGetDeviceID,
 * DevGetDataStreamID) into buf. */
GC_ERROR cred_gentl_id(GC_ERROR (*get)(void *, uint32_t, char *, size_t *), void *h, uint32_t i,
		       char *buf, size_t size);

/* A string about device id of iface (vendor, model, serial), "" if unknown. */
void cred_gentl_device_info(struct gentl *g, IF_HANDLE iface, const char *id, DEVICE_INFO_CMD cmd,
			    char *buf, size_t size);

/* The .cti files in $GENICAM_GENTL64_PATH: count paths (malloc'd,
 * free each and the array). */
int cred_gentl_producers(char ***paths, size_t *count);

#endif

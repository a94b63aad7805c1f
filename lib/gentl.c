/* Loading a GenTL producer (.cti) and speaking its C interface: the
 * system module, error texts, IDs and device information. The data
 * stream is in stream-gentl.c, the listing in grabber-list.c. */
#include "gentl-impl.h"
#include "grabber-impl.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ENV_PATH "GENICAM_GENTL64_PATH"

static const char *gc_name(GC_ERROR code)
{
	static const char *const names[] = {
		"GC_ERR_ERROR", "GC_ERR_NOT_INITIALIZED", "GC_ERR_NOT_IMPLEMENTED",
		"GC_ERR_RESOURCE_IN_USE", "GC_ERR_ACCESS_DENIED", "GC_ERR_INVALID_HANDLE",
		"GC_ERR_INVALID_ID", "GC_ERR_NO_DATA", "GC_ERR_INVALID_PARAMETER", "GC_ERR_IO",
		"GC_ERR_TIMEOUT", "GC_ERR_ABORT", "GC_ERR_INVALID_BUFFER", "GC_ERR_NOT_AVAILABLE",
		"GC_ERR_INVALID_ADDRESS", "GC_ERR_BUFFER_TOO_SMALL", "GC_ERR_INVALID_INDEX",
		"GC_ERR_PARSING_CHUNK_DATA", "GC_ERR_INVALID_VALUE", "GC_ERR_RESOURCE_EXHAUSTED",
		"GC_ERR_OUT_OF_MEMORY", "GC_ERR_BUSY", "GC_ERR_AMBIGUOUS",
	};
	int i = -1001 - code;

	return i >= 0 && i < (int)(sizeof(names) / sizeof(names[0])) ? names[i] : "a producer error";
}

int cred_gentl_fail(struct gentl *g, const char *call, GC_ERROR code)
{
	char text[512] = "";
	size_t size = sizeof(text);
	GC_ERROR last;

	if (!g->GCGetLastError || g->GCGetLastError(&last, text, &size) != GC_ERR_SUCCESS)
		text[0] = '\0';
	text[sizeof(text) - 1] = '\0';
	if (!*text)
		return cred_fail(code == GC_ERR_TIMEOUT ? CRED_ERR_TIMEOUT : CRED_ERR_IO,
				 "GenTL producer '%s': %s failed with %s (%d)", g->path, call,
				 gc_name(code), (int)code);
	return cred_fail(code == GC_ERR_TIMEOUT ? CRED_ERR_TIMEOUT : CRED_ERR_IO,
			 "GenTL producer '%s': %s failed: %s (%s, %d)", g->path, call, text,
			 gc_name(code), (int)code);
}

GC_ERROR cred_gentl_id(GC_ERROR (*get)(void *, uint32_t, char *, size_t *), void *h, uint32_t i,
		       char *buf, size_t size)
{
	size_t n = size;
	GC_ERROR err = get(h, i, buf, &n);

	buf[size - 1] = '\0';
	if (err != GC_ERR_SUCCESS)
		buf[0] = '\0';
	return err;
}

void cred_gentl_device_info(struct gentl *g, IF_HANDLE iface, const char *id, DEVICE_INFO_CMD cmd,
			    char *buf, size_t size)
{
	INFO_DATATYPE type;
	size_t n = size;

	if (!g->IFGetDeviceInfo || g->IFGetDeviceInfo(iface, id, cmd, &type, buf, &n) != GC_ERR_SUCCESS)
		n = 0;
	buf[n < size ? n : size - 1] = '\0';
}

/* A bare file name is looked up in the folders of $GENICAM_GENTL64_PATH. */
static char *find_producer(const char *name)
{
	const char *path = getenv(ENV_PATH);
	char *copy, *dir, *save = NULL, *found = NULL;

	if (strchr(name, '/') || !path || !*path)
		return strdup(name);
	copy = strdup(path);
	for (dir = copy ? strtok_r(copy, ":", &save) : NULL; dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		if (asprintf(&found, "%s/%s", dir, name) < 0)
			found = NULL;
		else if (access(found, F_OK) != 0) {
			free(found);
			found = NULL;
		}
	}
	free(copy);
	return found ? found : strdup(name);
}

#define REQUIRED(name) { #name, offsetof(struct gentl, name), 1 }
#define OPTIONAL(name) { #name, offsetof(struct gentl, name), 0 }

static const struct { const char *name; size_t off; int required; } functions[] = {
	REQUIRED(GCInitLib), REQUIRED(GCCloseLib), OPTIONAL(GCGetLastError), REQUIRED(TLOpen),
	REQUIRED(TLClose), REQUIRED(TLUpdateInterfaceList), REQUIRED(TLGetNumInterfaces),
	REQUIRED(TLGetInterfaceID), REQUIRED(TLOpenInterface), REQUIRED(IFClose),
	REQUIRED(IFUpdateDeviceList), REQUIRED(IFGetNumDevices), REQUIRED(IFGetDeviceID),
	OPTIONAL(IFGetDeviceInfo), REQUIRED(IFOpenDevice), REQUIRED(DevClose),
	REQUIRED(DevGetNumDataStreams), REQUIRED(DevGetDataStreamID), REQUIRED(DevOpenDataStream),
	REQUIRED(DSClose), REQUIRED(DSAnnounceBuffer), REQUIRED(DSRevokeBuffer),
	REQUIRED(DSQueueBuffer), REQUIRED(DSFlushQueue), REQUIRED(DSStartAcquisition),
	REQUIRED(DSStopAcquisition), OPTIONAL(DSGetInfo), REQUIRED(DSGetBufferInfo),
	REQUIRED(GCRegisterEvent), REQUIRED(GCUnregisterEvent), REQUIRED(EventGetData),
	OPTIONAL(EventKill),
};

static int resolve(struct gentl *g)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++) {
		void *f = dlsym(g->dl, functions[i].name);

		if (!f && functions[i].required)
			return cred_fail(CRED_ERR_SUPP, "'%s' is not a GenTL producer: it lacks %s",
					 g->path, functions[i].name);
		memcpy((char *)g + functions[i].off, &f, sizeof(f));
	}
	return CRED_OK;
}

int cred_gentl_load(struct gentl *g, const char *producer)
{
	GC_ERROR e;
	int err;

	memset(g, 0, sizeof(*g));
	g->path = find_producer(producer);
	if (!g->path)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	g->dl = dlopen(g->path, RTLD_NOW | RTLD_LOCAL);
	if (!g->dl) {
		err = cred_fail(CRED_ERR_SUPP, "cannot load GenTL producer '%s': %s%s", g->path,
				dlerror(), strchr(producer, '/') ? "" : " (give its path, or the "
				"folder in " ENV_PATH ")");
		cred_gentl_unload(g);
		return err;
	}
	err = resolve(g);
	if (!err && (e = g->GCInitLib()) != GC_ERR_SUCCESS)
		err = cred_gentl_fail(g, "GCInitLib", e);
	if (!err)
		g->inited = 1;
	if (!err && (e = g->TLOpen(&g->tl)) != GC_ERR_SUCCESS)
		err = cred_gentl_fail(g, "TLOpen", e);
	if (err)
		cred_gentl_unload(g);
	return err;
}

void cred_gentl_unload(struct gentl *g)
{
	if (g->tl)
		g->TLClose(g->tl);
	if (g->inited)
		g->GCCloseLib();
	if (g->dl)
		dlclose(g->dl);
	free(g->path);
	memset(g, 0, sizeof(*g));
}

static int is_cti(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && strcmp(name + n - 4, ".cti") == 0;
}

int cred_gentl_producers(char ***paths, size_t *count)
{
	const char *path = getenv(ENV_PATH);
	char *copy, *dir, *save = NULL, **list = NULL;
	size_t n = 0;

	*paths = NULL;
	*count = 0;
	if (!path || !*path)
		return CRED_OK;
	copy = strdup(path);
	if (!copy)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char **more;

			if (!is_cti(e->d_name))
				continue;
			more = realloc(list, (n + 1) * sizeof(*list));
			if (!more)
				break;
			list = more;
			if (asprintf(&list[n], "%s/%s", dir, e->d_name) >= 0)
				n++;
		}
		if (d)
			closedir(d);
	}
	free(copy);
	*paths = list;
	*count = n;
	return CRED_OK;
}

/* ---- listing ------------------------------------------------------------------ */

static void list_device(struct cred_source_list_builder *b, struct gentl *g, IF_HANDLE iface,
			const char *ifid, const char *devid)
{
	char vendor[256], model[256], serial[256], *spec;

	cred_gentl_device_info(g, iface, devid, DEVICE_INFO_VENDOR, vendor, sizeof(vendor));
	cred_gentl_device_info(g, iface, devid, DEVICE_INFO_MODEL, model, sizeof(model));
	cred_gentl_device_info(g, iface, devid, DEVICE_INFO_SERIAL_NUMBER, serial, sizeof(serial));
	if (asprintf(&spec, "gentl:%s#%s/%s", g->path, ifid, devid) < 0)
		return;
	cred_source_add(b, "gentl", spec, vendor, model, serial, g->path);
	free(spec);
}

static void list_interface(struct cred_source_list_builder *b, struct gentl *g, const char *ifid)
{
	IF_HANDLE iface;
	char devid[512];
	uint32_t n = 0;

	if (g->TLOpenInterface(g->tl, ifid, &iface) != GC_ERR_SUCCESS)
		return;
	if (g->IFUpdateDeviceList(iface, NULL, 1000) == GC_ERR_SUCCESS &&
	    g->IFGetNumDevices(iface, &n) == GC_ERR_SUCCESS)
		for (uint32_t i = 0; i < n; i++)
			if (cred_gentl_id(g->IFGetDeviceID, iface, i, devid, sizeof(devid)) == GC_ERR_SUCCESS)
				list_device(b, g, iface, ifid, devid);
	g->IFClose(iface);
}

static void list_producer(struct cred_source_list_builder *b, const char *path)
{
	struct gentl g;
	char ifid[512];
	uint32_t n = 0;

	if (cred_gentl_load(&g, path) != CRED_OK) {
		cred_source_note(b, "GenTL: %s", cred_last_error());
		return;
	}
	if (g.TLUpdateInterfaceList(g.tl, NULL, 1000) == GC_ERR_SUCCESS &&
	    g.TLGetNumInterfaces(g.tl, &n) == GC_ERR_SUCCESS)
		for (uint32_t i = 0; i < n; i++)
			if (cred_gentl_id(g.TLGetInterfaceID, g.tl, i, ifid, sizeof(ifid)) == GC_ERR_SUCCESS)
				list_interface(b, &g, ifid);
	if (n == 0)
		cred_source_note(b, "GenTL: '%s' has no interface", path);
	cred_gentl_unload(&g);
}

void cred_gentl_list(struct cred_source_list_builder *b)
{
	char **paths;
	size_t n;

	if (cred_gentl_producers(&paths, &n) != CRED_OK)
		return;
	if (n == 0)
		cred_source_note(b, "GenTL: no producer (.cti) in $" ENV_PATH);
	for (size_t i = 0; i < n; i++) {
		list_producer(b, paths[i]);
		free(paths[i]);
	}
	free(paths);
}

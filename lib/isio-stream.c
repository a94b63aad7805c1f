/* ImageStreamIO stream files: where they live, their size from their
 * metadata, creating one, checking and reusing an existing one, removing
 * one. The layout (ImageStreamIO 2.00) is described in isio-layout-impl.h. */
#include "frame-impl.h"
#include "isio-stream-impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROUND8(x) (((x) + (size_t)7) & ~(size_t)7)

static size_t element_size(uint8_t datatype)
{
	return datatype == ISIO_DATATYPE_UINT16 || datatype == ISIO_DATATYPE_INT16 ? 2 : 0;
}

int cred_isio_layout(const struct isio_metadata *md, struct isio_map *m)
{
	size_t at = ROUND8(sizeof(*md)), sem = md->sem, slices = 0;
	uint64_t n = 1;

	memset(m, 0, sizeof(*m));
	if (md->naxis < 2 || md->naxis > 3 || !element_size(md->datatype) || md->CBsize)
		return -1;
	for (int i = 0; i < md->naxis; i++)
		n *= md->size[i];
	if (n == 0 || n != md->nelement || md->imdatamemsize != n * element_size(md->datatype))
		return -1;
	if ((md->imagetype & ISIO_TYPE_MASK) == (ISIO_CIRCULAR_BUFFER | ISIO_ZAXIS_TEMPORAL))
		slices = md->naxis == 3 ? md->size[2] : 0;
	m->data = at;
	at += ROUND8(md->imdatamemsize);
	m->kw = at;
	at += ROUND8(sizeof(struct isio_keyword) * md->NBkw);
	m->semfile = at;
	at += ROUND8(sizeof(sem_t) * sem);
	m->semlog = at;
	at += ROUND8(sizeof(sem_t));
	m->semread = at;
	at += ROUND8(sizeof(int32_t) * sem);
	m->semwrite = at;
	at += ROUND8(sizeof(int32_t) * sem);
	m->semctrl = at;
	at += ROUND8(sizeof(uint32_t) * sem);
	m->semstatus = at;
	at += ROUND8(sizeof(uint32_t) * sem);
	m->proctrace = at;
	at += ROUND8(sizeof(struct isio_proctrace) * md->NBproctrace);
	if (slices) {
		m->atimes = at;
		at += ROUND8(sizeof(struct isio_time) * slices);
		m->wtimes = at;
		at += ROUND8(sizeof(struct isio_time) * slices);
		m->cnts = at;
		at += ROUND8(sizeof(uint64_t) * slices);
	}
	m->total = at;
	return 0;
}

void cred_isio_now(struct isio_time *t)
{
	struct timespec ts;

	/* milk's CLOCK_ISIO: CLOCK_TAI where the system has it */
#ifdef CLOCK_TAI
	clock_gettime(CLOCK_TAI, &ts);
#else
	clock_gettime(CLOCK_REALTIME, &ts);
#endif
	t->sec = ts.tv_sec;
	t->nsec = ts.tv_nsec;
}

/* ---- names ------------------------------------------------------------------- */

static int valid_name(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	return n > 0 && n < ISIO_NAME_MAX && name[0] != '.' &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.") == n;
}

static int is_dir(const char *path)
{
	DIR *d = path && *path ? opendir(path) : NULL;

	if (!d)
		return 0;
	closedir(d);
	return 1;
}

/* The folder milk's readers look in, in milk's order. */
static const char *shm_dir(void)
{
	const char *env = getenv("MILK_SHM_DIR");

	if (is_dir(env))
		return env;
	if (is_dir(ISIO_DEFAULT_DIR))
		return ISIO_DEFAULT_DIR;
	return ISIO_FALLBACK_DIR;
}

int cred_isio_path(const char *name, char **path)
{
	*path = NULL;
	if (!valid_name(name))
		return cred_fail(CRED_ERR_ARG, "invalid stream name '%s': 1 to %d of A-Z a-z 0-9 _ - . "
				 "not starting with '.'", name ? name : "", ISIO_NAME_MAX - 1);
	if (asprintf(path, "%s/%s%s", shm_dir(), name, ISIO_SUFFIX) < 0) {
		*path = NULL;
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	return CRED_OK;
}

/* ---- an existing stream ---------------------------------------------------------- */

static int pid_alive(int32_t pid)
{
	return pid > 0 && pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM);
}

/* The live process that writes this stream, or 0. */
static int32_t live_owner(const struct isio_metadata *md)
{
	if (pid_alive(md->ownerPID))
		return md->ownerPID;
	if (pid_alive(md->creatorPID))
		return md->creatorPID;
	return 0;
}

static void describe(const struct isio_metadata *md, char *buf, size_t len)
{
	const char *type = md->datatype == ISIO_DATATYPE_UINT16 ? "uint16"
		: md->datatype == ISIO_DATATYPE_INT16 ? "int16" : "non-16-bit";

	if (md->naxis == 3)
		snprintf(buf, len, "%ux%u %s frames in %u slices", md->size[0], md->size[1], type,
			 md->size[2]);
	else
		snprintf(buf, len, "%ux%u %s frames", md->size[0], md->size[1], type);
}

/* Map an existing file: 0 when it is a whole ImageStreamIO 2.00 stream
 * this writer can hold, 1 when it is no 2.00 stream, 2 when it is one of
 * another kind (other pixel types, in GPU memory, a fast buffer) or
 * damaged, or an error. */
static int map_existing(struct isio_stream *s)
{
	struct stat st;

	if (fstat(s->fd, &st) < 0)
		return cred_fail_errno("cannot read '%s'", s->path);
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(struct isio_metadata))
		return 1;
	s->size = (size_t)st.st_size;
	s->base = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		return cred_fail_errno("cannot map '%s'", s->path);
	}
	s->md = (struct isio_metadata *)s->base;
	if (memcmp(s->md->version, ISIO_VERSION, sizeof(ISIO_VERSION)) != 0)
		return 1;
	if (s->md->shared != 1 || s->md->location != -1 || cred_isio_layout(s->md, &s->map) != 0 ||
	    s->map.total != s->size)
		return 2;
	return 0;
}

static int same_shape(const struct isio_metadata *a, const struct isio_metadata *want)
{
	if (a->naxis != want->naxis || a->datatype != want->datatype ||
	    (a->imagetype & ISIO_TYPE_MASK) != (want->imagetype & ISIO_TYPE_MASK))
		return 0;
	for (int i = 0; i < want->naxis; i++)
		if (a->size[i] != want->size[i])
			return 0;
	return a->NBkw >= want->NBkw && a->sem >= 1;
}

/* Decide about the stream at s->path (open in s->fd): 0 reuse it, 1
 * replace it (force), or an error. */
static int judge_existing(struct isio_stream *s, const char *name,
			  const struct isio_metadata *want, int force)
{
	char have[96], need[96];
	int32_t owner;
	int err = map_existing(s);

	if (err < 0)
		return err;
	describe(want, need, sizeof(need));
	if (err == 1) {
		if (force)
			return 1;
		return cred_fail(CRED_ERR_DATA, "'%s' exists but is not an ImageStreamIO %s stream "
				 "(use --force to replace it)", s->path, ISIO_VERSION);
	}
	owner = live_owner(s->md);
	if (owner && !force)
		return cred_fail(CRED_ERR_BUSY, "stream '%s' belongs to running process %d "
				 "(stop it, or use --force to write anyway)", name, (int)owner);
	if (err == 0 && same_shape(s->md, want))
		return 0;
	if (force)
		return 1;
	describe(s->md, have, sizeof(have));
	if (err == 2)
		return cred_fail(CRED_ERR_DATA, "stream '%s' holds %s in a form credgrab cannot write "
				 "(another pixel type, GPU memory, a fast buffer, or a damaged file; "
				 "use --force to replace it)", name, have);
	if (s->md->NBkw < want->NBkw && strcmp(have, need) == 0)
		return cred_fail(CRED_ERR_DATA, "stream '%s' has %u keyword slots, %u are needed "
				 "(use --force to replace it)", name, s->md->NBkw, want->NBkw);
	return cred_fail(CRED_ERR_DATA, "stream '%s' holds %s, not %s (use --force to replace it)",
			 name, have, need);
}

static void unmap(struct isio_stream *s)
{
	if (s->base)
		munmap(s->base, s->size);
	s->base = NULL;
	s->md = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* ---- a new stream ------------------------------------------------------------------ */

static void init_metadata(struct isio_stream *s, const char *name, const struct isio_metadata *want,
			  uint64_t inode)
{
	struct isio_metadata *md = s->md;
	struct isio_proctrace *pt = isio_at(s, s->map.proctrace);
	int32_t *readers = isio_at(s, s->map.semread), *writers = isio_at(s, s->map.semwrite);
	struct isio_keyword *kw = isio_at(s, s->map.kw);

	/* the file is all zero: set what is not */
	snprintf(md->name, sizeof(md->name), "%s", name);
	md->naxis = want->naxis;
	memcpy(md->size, want->size, sizeof(md->size));
	md->nelement = want->nelement;
	md->datatype = want->datatype;
	md->imagetype = want->imagetype;
	md->imdatamemsize = want->imdatamemsize;
	md->NBkw = want->NBkw;
	md->sem = want->sem;
	md->NBproctrace = want->NBproctrace;
	md->shared = 1;
	md->location = -1;
	md->inode = inode;
	md->creatorPID = getpid();
	cred_isio_now(&md->creationtime);
	md->lastaccesstime = md->creationtime;
	for (int i = 0; i < md->sem; i++) {
		sem_init((sem_t *)isio_at(s, s->map.semfile + i * sizeof(sem_t)), 1, 0);
		readers[i] = -1;
		writers[i] = -1;
	}
	sem_init((sem_t *)isio_at(s, s->map.semlog), 1, 0);
	for (int i = 0; i < md->NBproctrace; i++)
		pt[i].trigsemindex = -1;
	for (int i = 0; i < md->NBkw; i++)
		kw[i].type = 'N';
}

/* Build the stream under a temporary name next to s->path, then move it
 * into place (replacing the old one only when replace). Readers accept a
 * file only once its version is set, so a half-built file is never taken. */
static int create(struct isio_stream *s, const char *name, const struct isio_metadata *want,
		  int replace)
{
	struct cred_outfile *of;
	struct stat st;
	int err = cred_outfile_open(s->path, replace, &of);

	if (err)
		return err;
	cred_outfile_close_fd(of);
	s->size = s->map.total;
	s->fd = open(cred_outfile_tmp(of), O_RDWR | O_CLOEXEC);
	if (s->fd < 0 || ftruncate(s->fd, (off_t)s->size) < 0 || fstat(s->fd, &st) < 0) {
		err = cred_fail_errno("cannot create '%s'", s->path);
		cred_outfile_abort(of);
		return err;
	}
	s->base = mmap(NULL, s->size, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->base == MAP_FAILED) {
		s->base = NULL;
		err = cred_fail_errno("cannot map '%s'", s->path);
		cred_outfile_abort(of);
		return err;
	}
	s->md = (struct isio_metadata *)s->base;
	init_metadata(s, name, want, (uint64_t)st.st_ino);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	memcpy(s->md->version, ISIO_VERSION, sizeof(ISIO_VERSION));
	s->created = 1;
	return cred_outfile_commit(of);
}

int cred_isio_stream_open(const char *name, const struct isio_metadata *want, int force,
			  unsigned new_slots, struct isio_stream **out)
{
	struct isio_metadata fresh = *want;
	struct isio_stream *s;
	int err, replace = 0;

	*out = NULL;
	if (!ISIO_LAYOUT_OK)
		return cred_fail(CRED_ERR_SUPP, "ImageStreamIO streams need a 64-bit system");
	s = calloc(1, sizeof(*s));
	if (!s)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	s->fd = -1;
	err = cred_isio_path(name, &s->path);
	if (!err) {
		s->fd = open(s->path, O_RDWR | O_CLOEXEC);
		if (s->fd >= 0)
			err = replace = judge_existing(s, name, want, force);
		else if (errno != ENOENT)
			err = cred_fail_errno("cannot open '%s'", s->path);
	}
	if (err >= 0 && (s->fd < 0 || replace)) {
		unmap(s);
		if (fresh.NBkw < new_slots)
			fresh.NBkw = (uint16_t)new_slots;
		cred_isio_layout(&fresh, &s->map);
		err = create(s, name, &fresh, replace);
	}
	if (err < 0) {
		cred_isio_stream_release(s);
		return err;
	}
	s->md->ownerPID = getpid();
	s->md->write = 0;
	*out = s;
	return CRED_OK;
}

void cred_isio_stream_release(struct isio_stream *s)
{
	if (!s)
		return;
	if (s->md && s->md->ownerPID == getpid()) {
		s->md->write = 0;
		s->md->ownerPID = 0;
	}
	unmap(s);
	free(s->path);
	free(s);
}

/* ---- removing a stream --------------------------------------------------------------- */

int cred_isio_remove(const char *name, int force)
{
	struct isio_stream s = { .fd = -1 };
	int32_t owner;
	int err = cred_isio_path(name, &s.path);

	if (err)
		return err;
	s.fd = open(s.path, O_RDWR | O_CLOEXEC);
	if (s.fd < 0) {
		err = errno == ENOENT ? cred_fail(CRED_ERR_ARG, "no stream '%s' ('%s' does not exist)",
						  name, s.path)
			: cred_fail_errno("cannot open '%s'", s.path);
	} else if ((err = map_existing(&s)) == 1) {
		err = cred_fail(CRED_ERR_DATA, "'%s' is not an ImageStreamIO %s stream: left alone",
				s.path, ISIO_VERSION);
	} else if (err >= 0 && (owner = live_owner(s.md)) && !force) {
		err = cred_fail(CRED_ERR_BUSY, "stream '%s' belongs to running process %d "
				"(stop it, or use --force to remove it anyway)", name, (int)owner);
	} else if (err >= 0) {
		err = unlink(s.path) < 0 ? cred_fail_errno("cannot remove '%s'", s.path) : CRED_OK;
	}
	unmap(&s);
	free(s.path);
	return err;
}

/* One process per port: an flock(2) on a lock file named after the port.
 *
 * flock is released by the kernel when the holder exits or crashes, so a
 * lock is never stale; the holder's pid written into the file only serves
 * the "in use by process N" message.
 *
 * The holder removes the file when it lets go, so lock files do not pile
 * up. That is safe because whoever takes a lock checks, once it holds it,
 * that the file it locked is still the one under the name (same device and
 * inode); one that was removed meanwhile is dropped and the name opened
 * again. The lock folder may be a shared, sticky /tmp: the file is opened
 * without following links and must be a regular file, with one link, owned
 * by us or root; an existing file is never chmod-ed. */
#include "cancel-impl.h"
#include "transport-impl.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define LOCK_POLL_MS 50 /* how often a bounded wait retries the lock */

static const char *lock_dir(void)
{
	const char *dir = getenv("CRED_LOCK_DIR");

	if (dir && *dir)
		return dir;
	if (access("/run/lock", W_OK) == 0)
		return "/run/lock";
	return "/tmp";
}

#define NAME_KEEP 160 /* key characters kept in a lock file name */

/* FNV-1a: tells apart long keys that share their first NAME_KEEP bytes */
static unsigned long long key_hash(const char *key)
{
	unsigned long long h = 0xcbf29ce484222325ULL;

	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 0x100000001b3ULL;
	return h;
}

/* <dir>/cred-<key, every character outside [A-Za-z0-9.-] as '_'>.lock;
 * a long key (a deep library path) is cut and gets its hash appended so
 * the name stays within NAME_MAX. */
char *cred_port_lock_path(const char *key)
{
	const char *dir = lock_dir(), *k = key[0] == '/' ? key + 1 : key;
	size_t n = strlen(dir) + NAME_KEEP + 48, i;
	char *path = malloc(n), *p;

	if (!path)
		return NULL;
	p = path + snprintf(path, n, "%s/cred-", dir);
	for (i = 0; k[i] && i < NAME_KEEP; i++) {
		int ok = (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
			 (k[i] >= '0' && k[i] <= '9') || k[i] == '.' || k[i] == '-';
		*p++ = ok ? k[i] : '_';
	}
	if (k[i])
		p += sprintf(p, "-%016llx", key_hash(key));
	strcpy(p, ".lock");
	return path;
}

#define LOCK_GONE 1 /* lock_once: the file went away under us, try again */

/* The lock file as we may use it: a regular file with one link, owned by
 * us or root (anything else was planted: a link to a file of someone else
 * we must not write, or a file another user could swap). A file with no
 * link left was removed by its last holder after we opened it: LOCK_GONE. */
static int check_lock_file(int fd, const char *path)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return cred_fail_errno("cannot check the lock file '%s'", path);
	if (S_ISREG(st.st_mode) && st.st_nlink == 0)
		return LOCK_GONE;
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1 ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		errno = EPERM;
		return cred_fail(CRED_ERR_IO, "refusing the lock file '%s': not a regular file "
				 "of this user or root with one link (remove it, or set "
				 "CRED_LOCK_DIR to a folder of your own)", path);
	}
	return CRED_OK;
}

/* Open the lock file, creating it when it is not there. A new file is made
 * lockable by every user (0666 whatever the umask); an existing one is left
 * as it is. Another user's file in a sticky folder may refuse writing
 * (fs.protected_regular): flock works on a read-only descriptor too, we
 * just cannot record our pid then. -1 with errno on failure. */
static int open_lock_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0666);

	if (fd >= 0) {
		fchmod(fd, 0666);
		return fd;
	}
	if (errno != EEXIST)
		return -1;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
	return fd;
}

/* True when fd is still the file named path (not removed by its last
 * holder between our open and our flock). */
static bool still_named(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static void write_pid(int fd)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());

	/* Overwrite, then cut: a reader never finds the file empty. */
	if (pwrite(fd, buf, (size_t)n, 0) != n || ftruncate(fd, n) < 0)
		cred_debug("lock: could not record pid");
}

static long read_pid(int fd)
{
	char buf[32];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	char *end;
	long pid;

	if (n <= 0)
		return 0;
	buf[n] = '\0';
	pid = strtol(buf, &end, 10);
	return end != buf && pid > 0 ? pid : 0;
}

static int busy(int fd, const char *shown)
{
	long pid = read_pid(fd);

	close(fd);
	if (pid)
		return cred_fail(CRED_ERR_BUSY, "port '%s' is in use by process %ld", shown, pid);
	return cred_fail(CRED_ERR_BUSY, "port '%s' is in use by another process", shown);
}

/* Try the lock until it is ours or wait_ms runs out. 1 locked, 0 not, -1
 * error (errno), -2 cancelled. */
static int try_lock(int fd, int wait_ms)
{
	long long deadline = cred_deadline(wait_ms);

	/* Waiting for ever blocks in the kernel (the waiter shows in
	 * /proc/locks); the signal that sets the cancel flag interrupts it. */
	if (wait_ms < 0) {
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR)
				return -1;
			if (cred_cancel_requested())
				return -2;
		}
		return 1;
	}
	for (;;) {
		int left;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 1;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		left = cred_ms_left(deadline, wait_ms);
		if (left == 0)
			return 0;
		if (cred_cancel_requested())
			return -2;
		usleep((useconds_t)(left < LOCK_POLL_MS ? left : LOCK_POLL_MS) * 1000);
	}
}

/* Open, check and lock the file once: CRED_OK with *fd locked,
 * CRED_ERR_BUSY with *fd open for the holder's pid, LOCK_GONE, or an
 * error (*fd -1). */
static int lock_once(const char *path, const char *shown, int wait_ms, int *fd)
{
	int r;

	*fd = open_lock_file(path);
	if (*fd < 0) {
		if (errno == ENOENT)
			return LOCK_GONE;
		if (errno == ELOOP)
			return cred_fail(CRED_ERR_IO, "refusing the lock file '%s': it is a "
					 "symbolic link (remove it)", path);
		return cred_fail_errno("cannot create the lock file '%s' for '%s'", path, shown);
	}
	r = check_lock_file(*fd, path);
	if (r == CRED_OK) {
		int got = try_lock(*fd, wait_ms);

		if (got == 0)
			return CRED_ERR_BUSY;
		r = got == -2 ? cred_fail_cancelled("waiting for the lock of '%s'", shown)
		  : got < 0 ? cred_fail_errno("cannot lock '%s'", shown)
			    : still_named(*fd, path) ? CRED_OK : LOCK_GONE;
	}
	if (r != CRED_OK) {
		close(*fd);
		*fd = -1;
	}
	return r;
}

int cred_port_lock(const char *key, const char *shown, int wait_ms, struct cred_port_lock *lock)
{
	char *path = cred_port_lock_path(key);
	int fd, r;

	lock->fd = -1;
	lock->path = NULL;
	if (!path)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	cred_debug("lock: %s", path);
	while ((r = lock_once(path, shown, wait_ms, &fd)) == LOCK_GONE)
		;
	if (r != CRED_OK) {
		free(path);
		return r == CRED_ERR_BUSY ? busy(fd, shown) : r;
	}
	write_pid(fd);
	lock->fd = fd;
	lock->path = path;
	return CRED_OK;
}

void cred_port_unlock(struct cred_port_lock *lock)
{
	if (lock->fd < 0)
		return;
	/* Removed while still held, so nobody can be using it: a waiter that
	 * gets it next sees it gone and opens the name afresh. */
	if (still_named(lock->fd, lock->path))
		unlink(lock->path);
	close(lock->fd);
	free(lock->path);
	lock->fd = -1;
	lock->path = NULL;
}

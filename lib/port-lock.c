/* One process per port: an flock(2) on a lock file named after the port.
 *
 * flock is released by the kernel when the holder exits or crashes, so a
 * lock is never stale; the holder's pid written into the file only serves
 * the "in use by process N" message. The file is left in place on release:
 * removing it would race with a process that has just opened it. */
#include "cancel-impl.h"
#include "transport-impl.h"

#include <errno.h>
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

/* Open (creating) the lock file. Another user's file in a sticky directory
 * may refuse O_CREAT or writing (fs.protected_regular); flock works on a
 * read-only descriptor too, we just cannot record our pid then. */
static int open_lock_file(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);

	if (fd >= 0) {
		fchmod(fd, 0666); /* let other users lock it too; fails harmlessly if not ours */
		return fd;
	}
	if (errno != EACCES && errno != EPERM)
		return -1;
	fd = open(path, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	return fd;
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

	/* Polled, also when waiting forever, so the cancel flag is seen. */
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
		if (left < 0 || left > LOCK_POLL_MS)
			left = LOCK_POLL_MS;
		usleep((useconds_t)left * 1000);
	}
}

int cred_port_lock(const char *key, const char *shown, int wait_ms, int *lock_fd)
{
	char *path = cred_port_lock_path(key);
	int fd, r;

	*lock_fd = -1;
	if (!path)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	fd = open_lock_file(path);
	if (fd < 0) {
		r = cred_fail_errno("cannot create the lock file '%s' for '%s'", path, shown);
		free(path);
		return r;
	}
	cred_debug("lock: %s", path);
	free(path);
	r = try_lock(fd, wait_ms);
	if (r == -2) {
		close(fd);
		return cred_fail_cancelled("waiting for the lock of '%s'", shown);
	}
	if (r < 0) {
		r = cred_fail_errno("cannot lock '%s'", shown);
		close(fd);
		return r;
	}
	if (r == 0)
		return busy(fd, shown);
	write_pid(fd);
	*lock_fd = fd;
	return CRED_OK;
}

/* LD_PRELOAD shim that lets libserialport 0.1.1 open a pseudo-terminal, so
 * tests reach libcred's libserialport code path without hardware.
 *
 * libserialport refuses a pty for two reasons, both faked here:
 *  1. sp_get_port_by_name looks the device up in sysfs: it lstat()s
 *     /sys/class/tty/<name after /dev/> and reads that symlink to learn the
 *     transport. A pty has no such entry, so for /sys/class/tty/pts/N (when
 *     /dev/pts/N exists) the shim reports a symlink into the virtual tty
 *     class: a native (non-USB) port.
 *  2. sp_open reads the modem lines with TIOCMGET, and sp_set_config sets
 *     DTR/RTS with TIOCMBIS/TIOCMBIC; a pty answers ENOTTY. On a pty slave
 *     the shim answers from a simulated set of modem lines instead.
 * Everything else goes to the real C library.
 *
 * Use: LD_PRELOAD=$CRED_TEST_BUILD/tests/sp-pty-shim.so credctl -p /dev/pts/N ...
 * With SP_PTY_SHIM_DEBUG=1 it says on stderr what it faked. */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define SYS_PTS "/sys/class/tty/pts/"
#define LINK_TARGET "../../devices/virtual/tty/pts"

/* DTR and RTS as set by the program; CTS, DSR and CD always up, as on a
 * null-modem cable to a live peer. */
static int modem_lines = TIOCM_DTR | TIOCM_RTS | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;

static void note(const char *fmt, ...)
{
	const char *v = getenv("SP_PTY_SHIM_DEBUG");
	va_list ap;

	if (!v || !*v || !strcmp(v, "0"))
		return;
	fputs("sp-pty-shim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *real(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f) {
		fprintf(stderr, "sp-pty-shim: no %s in the C library\n", name);
		abort();
	}
	return f;
}

/* /sys/class/tty/pts/N whose /dev/pts/N exists */
static int is_fake_sysfs(const char *path)
{
	char dev[64];
	const char *n = path + strlen(SYS_PTS);

	if (strncmp(path, SYS_PTS, strlen(SYS_PTS)) || !*n || strchr(n, '/') || strlen(n) > 20)
		return 0;
	snprintf(dev, sizeof(dev), "/dev/pts/%s", n);
	return access(dev, F_OK) == 0;
}

static int fake_link_stat(const char *path, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFLNK | 0777;
	st->st_nlink = 1;
	st->st_size = (off_t)strlen(LINK_TARGET);
	note("lstat %s: a symlink", path);
	return 0;
}

/* libserialport 0.1.1 as built against glibc < 2.33 */
int __lxstat(int ver, const char *path, struct stat *st)
{
	static int (*next)(int, const char *, struct stat *);

	if (is_fake_sysfs(path))
		return fake_link_stat(path, st);
	if (!next)
		*(void **)&next = real("__lxstat");
	return next(ver, path, st);
}

/* libserialport built against glibc >= 2.33 */
int lstat(const char *path, struct stat *st)
{
	static int (*next)(const char *, struct stat *);

	if (is_fake_sysfs(path))
		return fake_link_stat(path, st);
	if (!next)
		*(void **)&next = real("lstat");
	return next(path, st);
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	static ssize_t (*next)(const char *, char *, size_t);
	size_t n = strlen(LINK_TARGET);

	if (is_fake_sysfs(path)) {
		note("readlink %s: %s", path, LINK_TARGET);
		if (n > size)
			n = size;
		memcpy(buf, LINK_TARGET, n);
		return (ssize_t)n;
	}
	if (!next)
		*(void **)&next = real("readlink");
	return next(path, buf, size);
}

static int is_pty_slave(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) &&
	       major(st.st_rdev) >= 136 && major(st.st_rdev) <= 143;
}

/* Modem-line ioctls a pty does not have; 1 if handled. */
static int fake_modem_ioctl(int fd, unsigned long request, int *arg)
{
	switch (request) {
	case TIOCMGET:
		*arg = modem_lines;
		break;
	case TIOCMSET:
		modem_lines = (*arg & (TIOCM_DTR | TIOCM_RTS)) | TIOCM_CTS | TIOCM_DSR | TIOCM_CD;
		break;
	case TIOCMBIS:
		modem_lines |= *arg & (TIOCM_DTR | TIOCM_RTS);
		break;
	case TIOCMBIC:
		modem_lines &= ~(*arg & (TIOCM_DTR | TIOCM_RTS));
		break;
	default:
		return 0;
	}
	note("ioctl %#lx on pty fd %d: faked", request, fd);
	return 1;
}

int ioctl(int fd, unsigned long request, ...)
{
	static int (*next)(int, unsigned long, ...);
	va_list ap;
	void *arg;
	int r, saved;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!next)
		*(void **)&next = real("ioctl");
	r = next(fd, request, arg);
	if (r == 0 || !arg)
		return r;
	saved = errno;
	if ((saved == ENOTTY || saved == EINVAL) && is_pty_slave(fd) &&
	    fake_modem_ioctl(fd, request, arg))
		return 0;
	errno = saved;
	return r;
}

/* LD_PRELOAD shim that holds a program's writes to files and pipes while a
 * file exists: a writer that pauses as long as a test wants, so the test
 * can fill credgrab's frame ring and interrupt it without timing anything.
 *
 * Use: touch HOLD; CRED_TEST_HOLD=HOLD LD_PRELOAD=.../hold-writes.so credgrab ...
 * then rm HOLD to let the writes through. write(), pwrite() and fwrite()
 * (cfitsio writes through stdio) to regular files and pipes wait; sockets
 * (the camera's command port) and terminals do not. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void hold(int fd)
{
	const char *path = getenv("CRED_TEST_HOLD");
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	struct stat st;

	if (!path || !*path || fd < 0 || fstat(fd, &st) < 0)
		return;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
		return;
	while (access(path, F_OK) == 0)
		nanosleep(&nap, NULL);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	hold(fd);
	return real(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off_t);

	if (!real)
		real = (ssize_t (*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	hold(fd);
	return real(fd, buf, n, off);
}

size_t fwrite(const void *buf, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(const void *, size_t, size_t, FILE *);

	if (!real)
		real = (size_t (*)(const void *, size_t, size_t, FILE *))dlsym(RTLD_NEXT, "fwrite");
	hold(fileno(f));
	return real(buf, size, n, f);
}

/* Output files written under a temporary name in the same folder and
 * renamed into place when complete, so an interrupted run never leaves
 * half a file under the name the user asked for (see cred-outfile.h). The
 * one place that decides when a file may be replaced. */
#include "frame-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Create tmpl (ending in XXXXXX, replaced by random letters) exclusively,
 * mode 0666 less the umask like any new file, close-on-exec. mkstemp()
 * would give 0600, and reading the umask to widen that means setting it,
 * which is process-wide and races with other threads creating files. */
static int create_unique(char *tmpl)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char *x = tmpl + strlen(tmpl) - 6;

	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[6];
		int fd;

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			return -1;
		for (int i = 0; i < 6; i++)
			x[i] = letters[r[i] % (sizeof(letters) - 1)];
		fd = open(tmpl, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

static char *temp_name(const char *path)
{
	char *copy = strdup(path), *dir, *out = NULL;

	if (!copy)
		return NULL;
	dir = dirname(copy);
	/* No part of the user's name in it: cfitsio and libpng get plain
	 * names, and a leftover is easy to recognise. */
	if (asprintf(&out, "%s/.credtools-%ld-XXXXXX", dir, (long)getpid()) < 0)
		out = NULL;
	free(copy);
	return out;
}

/* Anything under the name counts, a dangling symbolic link too. */
static int name_taken(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

int cred_outfile_open(const char *path, int overwrite, struct cred_outfile **out)
{
	struct cred_outfile *of;

	*out = NULL;
	if (!path || !*path)
		return cred_fail(CRED_ERR_ARG, "empty output file name");
	if (!overwrite && name_taken(path))
		return cred_fail(CRED_ERR_ARG, "'%s' exists (use --force to replace it)", path);
	of = calloc(1, sizeof(*of));
	if (!of || !(of->path = strdup(path)) || !(of->tmp = temp_name(path))) {
		if (of)
			free(of->path);
		free(of);
		return cred_fail(CRED_ERR_MEM, "out of memory");
	}
	of->overwrite = overwrite;
	of->fd = create_unique(of->tmp);
	if (of->fd < 0) {
		int err = cred_fail_errno("cannot create a file next to '%s'", path);

		free(of->tmp);
		free(of->path);
		free(of);
		return err;
	}
	*out = of;
	return CRED_OK;
}

int cred_outfile_close_fd(struct cred_outfile *of)
{
	int fd = of->fd;

	of->fd = -1;
	if (fd >= 0 && close(fd) < 0)
		return cred_fail_errno("cannot write '%s'", of->path);
	return CRED_OK;
}

static void outfile_free(struct cred_outfile *of)
{
	free(of->tmp);
	free(of->path);
	free(of);
}

/* Put tmp in place without replacing anything. RENAME_NOREPLACE makes
 * the check and the move one step; file systems without it take link(),
 * which fails on an existing name; those without hard links (vfat) get a
 * last look and a plain rename(). Returns 1 when the data was kept under
 * tmp because path appeared meanwhile. */
static int move_new(struct cred_outfile *of, int *err)
{
	int e;

	if (renameat2(AT_FDCWD, of->tmp, AT_FDCWD, of->path, RENAME_NOREPLACE) == 0)
		return 0;
	e = errno;
	if (e == EINVAL || e == ENOSYS) {
		if (link(of->tmp, of->path) == 0) {
			unlink(of->tmp);
			return 0;
		}
		e = errno;
		if (e == EPERM || e == ENOTSUP || e == EXDEV) {
			if (name_taken(of->path))
				e = EEXIST;
			else if (rename(of->tmp, of->path) == 0)
				return 0;
			else
				e = errno;
		}
	}
	if (e != EEXIST) {
		errno = e;
		*err = cred_fail_errno("cannot rename '%s' to '%s'", of->tmp, of->path);
		return 0;
	}
	*err = cred_fail(CRED_ERR_ARG, "'%s' appeared meanwhile; the data is kept in '%s'",
			 of->path, of->tmp);
	return 1;
}

int cred_outfile_commit(struct cred_outfile *of)
{
	int err = cred_outfile_close_fd(of), kept = 0;

	if (!err && of->overwrite) {
		if (rename(of->tmp, of->path) < 0)
			err = cred_fail_errno("cannot rename '%s' to '%s'", of->tmp, of->path);
	} else if (!err) {
		kept = move_new(of, &err);
	}
	if (err && !kept)
		unlink(of->tmp);
	outfile_free(of);
	return err;
}

int cred_outfile_fd(const struct cred_outfile *of)
{
	return of->fd;
}

const char *cred_outfile_path(const struct cred_outfile *of)
{
	return of->path;
}

const char *cred_outfile_tmp(const struct cred_outfile *of)
{
	return of->tmp;
}

void cred_outfile_abort(struct cred_outfile *of)
{
	if (!of)
		return;
	if (of->fd >= 0)
		close(of->fd);
	unlink(of->tmp);
	outfile_free(of);
}

int cred_write_failed(const char *path)
{
	if (!path)
		return cred_fail_errno("cannot write to standard output");
	return cred_fail_errno("cannot write '%s'", path);
}

int cred_write_all(int fd, const void *buf, size_t len, const char *path)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return cred_write_failed(path);
		}
		p += n;
		len -= (size_t)n;
	}
	return CRED_OK;
}

/* Atomic output files (see common.h). */
#include "common.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


struct out_file {
	char *path;
	char *tmp;   /* NULL for standard output */
	FILE *fp;
	bool force;
};

static char *temp_name_for(const char *path)
{
	char *dcopy = strdup(path), *bcopy = strdup(path), *tmp = NULL;

	if (dcopy && bcopy &&
	    asprintf(&tmp, "%s/.%s.XXXXXX", dirname(dcopy), basename(bcopy)) < 0)
		tmp = NULL;
	free(dcopy);
	free(bcopy);
	if (!tmp)
		die("out of memory");
	return tmp;
}

/* mkstemp makes 0600 files; give the final file the mode any new file
 * would get. */
static void set_default_mode(int fd)
{
	mode_t mask = umask(0);

	umask(mask);
	fchmod(fd, 0666 & ~mask);
}

static void refuse_overwrite(const char *path)
{
	die("'%s' already exists (use --force to overwrite it)", path);
}

struct out_file *out_file_open(const char *path, bool force)
{
	struct out_file *of = calloc(1, sizeof(*of));
	struct stat st;
	int fd;

	if (!of || !(of->path = strdup(path)))
		die("out of memory");
	of->force = force;
	if (!strcmp(path, "-")) {
		of->fp = stdout;
		return of;
	}
	if (!force && lstat(path, &st) == 0)
		refuse_overwrite(path);
	of->tmp = temp_name_for(path);
	fd = mkstemp(of->tmp);
	if (fd < 0)
		die_perror("cannot create a temporary file for '%s'", path);
	cleanup_add(of->tmp);
	set_default_mode(fd);
	of->fp = fdopen(fd, "w");
	if (!of->fp)
		die_perror("cannot open '%s'", of->tmp);
	return of;
}

FILE *out_file_stream(struct out_file *of)
{
	return of->fp;
}

static void out_file_free(struct out_file *of)
{
	if (of->tmp)
		cleanup_forget(of->tmp);
	free(of->tmp);
	free(of->path);
	free(of);
}

/* Without --force the final rename must not replace a file that appeared
 * meanwhile; RENAME_NOREPLACE makes that check and the rename one step. */
static int rename_into_place(const struct out_file *of)
{
	if (of->force)
		return rename(of->tmp, of->path);
	if (renameat2(AT_FDCWD, of->tmp, AT_FDCWD, of->path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	/* File systems without renameat2 flags: link fails on an existing name. */
	if (link(of->tmp, of->path) < 0)
		return -1;
	unlink(of->tmp);
	return 0;
}

void out_file_commit(struct out_file *of)
{
	bool failed;

	if (!of->tmp) {
		if (fflush(of->fp) != 0 || ferror(of->fp))
			die_perror("cannot write to standard output");
		out_file_free(of);
		return;
	}
	failed = fflush(of->fp) != 0 || ferror(of->fp) || fsync(fileno(of->fp)) < 0;
	failed |= fclose(of->fp) != 0;
	of->fp = NULL;
	if (failed) {
		unlink(of->tmp);
		die_perror("cannot write '%s'", of->path);
	}
	if (rename_into_place(of) < 0) {
		int saved = errno;

		unlink(of->tmp);
		if (saved == EEXIST)
			refuse_overwrite(of->path);
		errno = saved;
		die_perror("cannot rename '%s' to '%s'", of->tmp, of->path);
	}
	out_file_free(of);
}

void out_file_abort(struct out_file *of)
{
	if (!of)
		return;
	if (of->tmp) {
		if (of->fp)
			fclose(of->fp);
		unlink(of->tmp);
	}
	out_file_free(of);
}

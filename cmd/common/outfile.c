/* Atomic output files for the tools (see common.h): libcred's cred_outfile
 * (the temporary name, the move into place, the no-replace rule) wrapped
 * in a FILE, synced before the move, and removed on a fatal signal. */
#include "common.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct out_file {
	struct cred_outfile *of; /* NULL for standard output */
	char *path;
	char *tmp;               /* registered for cleanup */
	FILE *fp;
};

static struct out_file *out_file_new(const char *path)
{
	struct out_file *f = calloc(1, sizeof(*f));

	if (!f || !(f->path = strdup(path)))
		die("out of memory");
	return f;
}

static void out_file_free(struct out_file *f)
{
	if (f->tmp)
		cleanup_forget(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f);
}

struct out_file *out_file_open(const char *path, bool force)
{
	struct out_file *f = out_file_new(path);
	int err, fd;

	if (!strcmp(path, "-")) {
		f->fp = stdout;
		return f;
	}
	/* Every refusal here is the file's, not the usage's: exit 1. */
	err = cred_outfile_open(path, force, &f->of);
	if (err < 0)
		die("%s", cred_last_error());
	f->tmp = strdup(cred_outfile_tmp(f->of));
	if (!f->tmp)
		die("out of memory");
	cleanup_add(f->tmp);
	/* The FILE gets its own descriptor: cred_outfile closes the other. */
	fd = fcntl(cred_outfile_fd(f->of), F_DUPFD_CLOEXEC, 0);
	if (fd < 0 || !(f->fp = fdopen(fd, "w")))
		die_perror("cannot open '%s'", f->tmp);
	return f;
}

FILE *out_file_stream(struct out_file *f)
{
	return f->fp;
}

void out_file_commit(struct out_file *f)
{
	bool failed;

	if (!f->of) {
		if (fflush(f->fp) != 0 || ferror(f->fp))
			die_perror("cannot write to standard output");
		out_file_free(f);
		return;
	}
	failed = fflush(f->fp) != 0 || ferror(f->fp) || fsync(fileno(f->fp)) < 0;
	failed |= fclose(f->fp) != 0;
	f->fp = NULL;
	if (failed) {
		cred_outfile_abort(f->of);
		die_perror("cannot write '%s'", f->path);
	}
	/* Moved, removed, or kept on purpose (a name that appeared meanwhile):
	 * in every case no longer ours to clean up. */
	if (cred_outfile_commit(f->of) < 0) {
		cleanup_forget(f->tmp);
		die("%s", cred_last_error());
	}
	out_file_free(f);
}

void out_file_abort(struct out_file *f)
{
	if (!f)
		return;
	if (f->of) {
		if (f->fp)
			fclose(f->fp);
		cred_outfile_abort(f->of);
	}
	out_file_free(f);
}

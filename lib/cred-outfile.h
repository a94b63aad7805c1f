/* libcred output files: written under a temporary name in the same folder
 * and renamed into place when complete, so an interrupted run never leaves
 * half a file under the name the user asked for, and (unless overwrite)
 * never replaces a file. The frame writers use it; so do the tools for
 * every file they write (cmd/common's out_file is built on it). */
#ifndef CRED_OUTFILE_H
#define CRED_OUTFILE_H

#include "cred-error.h"

struct cred_outfile;

/* Create a temporary file next to path, mode 0666 less the umask, open
 * for writing (close-on-exec). Without overwrite a path that exists (even
 * as a dangling symbolic link) is refused up front: CRED_ERR_ARG, "'path'
 * exists (use --force to replace it)". Other errors: CRED_ERR_IO (cannot
 * create the file; errno kept), CRED_ERR_MEM. On success *out is the new
 * file, to be committed or aborted; on failure *out is NULL. */
CRED_API int cred_outfile_open(const char *path, int overwrite, struct cred_outfile **out);

/* The descriptor open on the temporary file (-1 once closed). Owned by of:
 * dup() it to wrap it in a FILE. */
CRED_API int cred_outfile_fd(const struct cred_outfile *of);
/* The final name, and the temporary one (for a cleanup on a signal).
 * Owned by of. */
CRED_API const char *cred_outfile_path(const struct cred_outfile *of);
CRED_API const char *cred_outfile_tmp(const struct cred_outfile *of);

/* Close the descriptor, keeping the file (e.g. before another library
 * writes the temporary file by name). */
CRED_API int cred_outfile_close_fd(struct cred_outfile *of);

/* Close the descriptor and move the file into place, then free of (also
 * on failure). The data is not synced to disk here: a caller that needs
 * that calls fsync() first. With overwrite the move replaces path; without,
 * it never does: a path that appeared meanwhile fails with CRED_ERR_ARG
 * ("'path' appeared meanwhile; the data is kept in 'TMP'") and the
 * temporary file is kept. Other failures remove it. */
CRED_API int cred_outfile_commit(struct cred_outfile *of);

/* Remove the temporary file and free of. NULL is ignored. */
CRED_API void cred_outfile_abort(struct cred_outfile *of);

#endif

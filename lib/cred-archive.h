/* Archives the camera sends or takes (tar, tar.gz and the other formats
 * libarchive reads): listing and checking them, and unpacking them safely
 * into a directory. */
#ifndef CRED_ARCHIVE_H
#define CRED_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include "cred-error.h"

/* One member, as the archive describes it. */
struct cred_archive_member {
	const char *path;     /* as stored ("logs/system.log") */
	const char *type;     /* "file", "directory", "symlink", "hardlink", "device",
			       * "fifo", "socket", "other" */
	const char *link;     /* link target, NULL unless symlink or hardlink */
	uint64_t size;        /* bytes of content (0 when not a file) */
};

/* Called once per member; return non-zero to stop (the call then returns
 * CRED_ERR_FAIL with the message left as the callback set it, or "stopped"). */
typedef int (*cred_archive_member_fn)(const struct cred_archive_member *m, void *user);

/* Non-zero if data looks like an archive libarchive can read (tar, tar.gz,
 * zip, cpio ...), not raw bytes. */
CRED_API int cred_archive_detect(const void *data, size_t len);

/* Read every member of the archive in data, content included, so damage
 * (a bad gzip CRC, a cut-off member) is found. fn (may be NULL) sees each
 * member. *count (may be NULL) gets the number of members. Errors:
 * CRED_ERR_DATA (not an archive, or damaged: libarchive's message). */
CRED_API int cred_archive_check(const void *data, size_t len, cred_archive_member_fn fn, void *user,
				size_t *count);

struct cred_extract_limits {
	uint64_t max_member;  /* bytes of one file; 0: 256 MiB */
	uint64_t max_total;   /* bytes of all files; 0: 1 GiB */
	size_t max_members;   /* 0: 100000 */
};

/* Unpack the archive in data under the existing directory dir, safely.
 * Every member is checked before anything is written, and one bad member
 * refuses the whole archive (CRED_ERR_DATA, the message names the member
 * and why): an absolute path, a ".." component, a symbolic or hard link
 * whose target is absolute or holds "..", a device, fifo or socket, a file
 * over max_member or a total over max_total, more than max_members
 * members. While writing, no path component is followed if it is a
 * symbolic link (O_NOFOLLOW), and no existing file is replaced (CRED_ERR_
 * FAIL naming it). Files keep the archive's permission bits without
 * set-id bits; each is written under a temporary name and renamed once
 * whole. Any failure while writing takes back everything this call made
 * (files, links, folders), so *written (may be NULL; the number of files
 * and links created) is 0 unless it succeeds. The cancel flag
 * (cred-cancel.h) stops it between members and blocks: CRED_ERR_IO with
 * errno EINTR. Errors also: CRED_ERR_IO (cannot open dir, cannot write). */
CRED_API int cred_archive_extract(const void *data, size_t len, const char *dir,
				  const struct cred_extract_limits *limits, size_t *written);

/* Build a gzip-compressed tar archive of n regular files (names[i],
 * contents[i] of sizes[i] bytes, mode 0644) in memory: *out is malloc'd
 * (free it), *out_len its size. Errors: CRED_ERR_MEM, CRED_ERR_ARG. */
CRED_API int cred_archive_build_tgz(const char *const *names, const void *const *contents,
				    const size_t *sizes, size_t n, void **out, size_t *out_len);

#endif

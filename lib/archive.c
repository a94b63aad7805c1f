/* Archives with libarchive (cred-archive.h): recognising, checking and
 * building them. Safe extraction is in archive-extract.c. */
#include "archive-impl.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>

const char *cred_archive_type_name(mode_t type)
{
	switch (type) {
	case AE_IFREG: return "file";
	case AE_IFDIR: return "directory";
	case AE_IFLNK: return "symlink";
	case AE_IFCHR:
	case AE_IFBLK: return "device";
	case AE_IFIFO: return "fifo";
	case AE_IFSOCK: return "socket";
	default: return "other";
	}
}

int cred_archive_open(const void *data, size_t len, struct archive **out)
{
	struct archive *a = archive_read_new();

	*out = NULL;
	if (!a)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK) {
		int r = cred_fail(CRED_ERR_DATA, "not an archive: %s", archive_error_string(a));

		archive_read_free(a);
		return r;
	}
	*out = a;
	return CRED_OK;
}

void cred_archive_describe(struct archive_entry *e, struct cred_archive_member *m)
{
	const char *hard = archive_entry_hardlink(e);

	m->path = archive_entry_pathname(e) ? archive_entry_pathname(e) : "";
	m->size = archive_entry_size_is_set(e) ? (uint64_t)archive_entry_size(e) : 0;
	m->link = NULL;
	if (hard) {
		m->type = "hardlink";
		m->link = hard;
	} else {
		m->type = cred_archive_type_name(archive_entry_filetype(e));
		if (archive_entry_filetype(e) == AE_IFLNK)
			m->link = archive_entry_symlink(e) ? archive_entry_symlink(e) : "";
	}
	if (strcmp(m->type, "file"))
		m->size = 0;
}

int cred_archive_detect(const void *data, size_t len)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	int ok;

	if (!a)
		return 0;
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	/* A known compression cut short fails at open with a message of its
	 * own ("truncated gzip input"): an archive, damaged. Nothing known at
	 * all is a format error. The raw format is not enabled, so a header
	 * read means a real archive. */
	if (archive_read_open_memory(a, data, len) != ARCHIVE_OK)
		ok = archive_errno(a) != EILSEQ; /* libarchive's "file format" errno */
	else
		ok = archive_read_next_header(a, &e) == ARCHIVE_OK || archive_filter_count(a) > 1;
	archive_read_free(a);
	return ok;
}

/* Read the member's content to the end (its checksums are verified). */
static int skip_content(struct archive *a, const char *path)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK)
		;
	if (r != ARCHIVE_EOF)
		return cred_fail(CRED_ERR_DATA, "damaged archive at '%s': %s", path,
				 archive_error_string(a));
	return CRED_OK;
}

int cred_archive_check(const void *data, size_t len, cred_archive_member_fn fn, void *user,
		       size_t *count)
{
	struct archive *a;
	struct archive_entry *e;
	struct cred_archive_member m;
	size_t n = 0;
	int r;

	cred_clear_error();
	if (count)
		*count = 0;
	if ((r = cred_archive_open(data, len, &a)) < 0)
		return r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		cred_archive_describe(e, &m);
		n++;
		if (fn && fn(&m, user)) {
			r = cred_last_error()[0] ? CRED_ERR_FAIL : cred_fail(CRED_ERR_FAIL, "stopped");
			goto out;
		}
		if ((r = skip_content(a, m.path)) < 0)
			goto out;
	}
	if (r != ARCHIVE_EOF)
		r = cred_fail(CRED_ERR_DATA, "damaged archive: %s", archive_error_string(a));
	else if (n == 0)
		r = cred_fail(CRED_ERR_DATA, "the archive is empty");
	else
		r = CRED_OK;
out:
	archive_read_free(a);
	if (count)
		*count = n;
	return r;
}

/* ---- building a tar.gz in memory ----------------------------------------- */

struct membuf {
	unsigned char *p;
	size_t len, cap;
};

static la_ssize_t mem_write(struct archive *a, void *user, const void *buf, size_t n)
{
	struct membuf *m = user;

	if (m->len + n > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 65536;
		unsigned char *p;

		while (cap < m->len + n)
			cap *= 2;
		if (!(p = realloc(m->p, cap))) {
			archive_set_error(a, ENOMEM, "out of memory");
			return -1;
		}
		m->p = p;
		m->cap = cap;
	}
	memcpy(m->p + m->len, buf, n);
	m->len += n;
	return (la_ssize_t)n;
}

static int add_file(struct archive *a, const char *name, const void *data, size_t size)
{
	struct archive_entry *e = archive_entry_new();
	int ok;

	if (!e)
		return -1;
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)size);
	ok = archive_write_header(a, e) == ARCHIVE_OK &&
	     archive_write_data(a, data, size) == (la_ssize_t)size;
	archive_entry_free(e);
	return ok ? 0 : -1;
}

int cred_archive_build_tgz(const char *const *names, const void *const *contents,
			   const size_t *sizes, size_t n, void **out, size_t *out_len)
{
	struct membuf m = { 0 };
	struct archive *a = archive_write_new();
	int r = CRED_OK;

	cred_clear_error();
	*out = NULL;
	*out_len = 0;
	if (!a)
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if (archive_write_set_format_ustar(a) != ARCHIVE_OK ||
	    archive_write_add_filter_gzip(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_open(a, &m, NULL, mem_write, NULL) != ARCHIVE_OK) {
		r = cred_fail(CRED_ERR_MEM, "cannot start an archive: %s", archive_error_string(a));
		goto out;
	}
	for (size_t i = 0; i < n && r == CRED_OK; i++)
		if (add_file(a, names[i], contents[i], sizes[i]) < 0)
			r = cred_fail(CRED_ERR_MEM, "cannot add '%s' to the archive: %s", names[i],
				      archive_error_string(a));
	if (archive_write_close(a) != ARCHIVE_OK && r == CRED_OK)
		r = cred_fail(CRED_ERR_MEM, "cannot finish the archive: %s", archive_error_string(a));
out:
	archive_write_free(a);
	if (r < 0) {
		free(m.p);
		return r;
	}
	*out = m.p;
	*out_len = m.len;
	return CRED_OK;
}

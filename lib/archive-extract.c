/* Safe unpacking of an archive under a directory (cred-archive.h). The
 * archive is read twice: first every member is checked and its real size
 * counted, and only a clean archive is then written, so a hostile one
 * leaves nothing behind. Each file is written under a temporary name and
 * renamed once whole, and a write that fails (a full disk) takes back
 * everything this extraction made: never a half-written file. */
#include "archive-impl.h"
#include "cancel-impl.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_MEMBER (256ull << 20)
#define DEFAULT_MAX_TOTAL (1ull << 30)
#define DEFAULT_MAX_MEMBERS 100000
#define MAX_DEPTH 64

/* Something the extraction created, relative to the directory. */
struct made {
	char *path;
	int is_dir;
};

struct extract {
	struct cred_extract_limits lim;
	uint64_t total;
	size_t members;
	int dirfd;
	size_t written;
	struct made *made; /* in the order made, to be taken back in reverse */
	size_t nmade, made_cap;
	unsigned tmp_seq;  /* for unique temporary names */
};

/* Note the first len bytes of path as made (a directory or not); a NUL
 * among them stands for a '/' (open_parent cuts the path as it goes). */
static int remember(struct extract *x, const char *path, size_t len, int is_dir)
{
	struct made *m;
	char *copy;

	if (x->nmade == x->made_cap) {
		size_t cap = x->made_cap ? 2 * x->made_cap : 16;

		if (!(m = realloc(x->made, cap * sizeof(*m))))
			return -1;
		x->made = m;
		x->made_cap = cap;
	}
	if (!(copy = malloc(len + 1)))
		return -1;
	for (size_t i = 0; i < len; i++)
		copy[i] = path[i] ? path[i] : '/';
	copy[len] = '\0';
	x->made[x->nmade].path = copy;
	x->made[x->nmade++].is_dir = is_dir;
	return 0;
}

/* The directory itself ("." or "./", as `tar -C dir .` stores it). */
static int is_top(const struct cred_archive_member *m)
{
	return !strcmp(m->type, "directory") && strspn(m->path, "./") == strlen(m->path) &&
	       !strstr(m->path, "..") && m->path[0] == '.';
}

/* Non-zero when a path stays below the directory: relative, no ".."
 * component, not empty once "./" components are dropped. */
static int path_inside(const char *path)
{
	const char *p = path;
	int parts = 0;

	if (!*p || *p == '/')
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		if (n && !(n == 1 && p[0] == '.'))
			parts++;
		p += n;
		p += strspn(p, "/");
	}
	return parts > 0 && parts <= MAX_DEPTH;
}

static int refuse(const char *path, const char *why)
{
	return cred_fail(CRED_ERR_DATA, "refused archive member '%s': %s", path, why);
}

/* Count a member's real content against the limits. */
static int count_content(struct extract *x, struct archive *a, const char *path)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	uint64_t mine = 0;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
		mine += size;
		x->total += size;
		if (mine > x->lim.max_member)
			return refuse(path, "larger than the limit for one file");
		if (x->total > x->lim.max_total)
			return refuse(path, "the archive unpacks to more than the total limit");
	}
	if (r != ARCHIVE_EOF)
		return cred_fail(CRED_ERR_DATA, "damaged archive at '%s': %s", path,
				 archive_error_string(a));
	return CRED_OK;
}

static int check_member(struct extract *x, struct archive *a, const struct cred_archive_member *m)
{
	if (++x->members > x->lim.max_members)
		return refuse(m->path, "too many members");
	if (is_top(m))
		return CRED_OK;
	if (!path_inside(m->path))
		return refuse(m->path, m->path[0] == '/' ? "absolute path" : "path leads out of the "
			      "directory");
	if (m->link && (!m->link[0] || !path_inside(m->link)))
		return refuse(m->path, "link leads out of the directory");
	if (!strcmp(m->type, "device") || !strcmp(m->type, "fifo") || !strcmp(m->type, "socket") ||
	    !strcmp(m->type, "other"))
		return refuse(m->path, m->type[0] == 'o' ? "not a file, directory or link" :
			      strcmp(m->type, "device") ? "special file" : "device file");
	if (m->size > x->lim.max_member)
		return refuse(m->path, "larger than the limit for one file");
	return count_content(x, a, m->path);
}

/* Open the directory holding path's last component, never following a
 * symbolic link; *leaf points at that component. With x, the directories
 * on the way are created as needed and remembered; without, none is. */
static int open_parent(int top, char *path, char **leaf, struct extract *x)
{
	int fd = dup(top);
	char *p = path;

	while (fd >= 0) {
		char *slash;
		int next, made;

		p += strspn(p, "/");
		while (p[0] == '.' && p[1] == '/')
			p += 2 + strspn(p + 2, "/");
		slash = strchr(p, '/');
		if (!slash || !slash[1 + strspn(slash + 1, "/")]) {
			if (slash)
				*slash = '\0';
			*leaf = p;
			return fd;
		}
		*slash = '\0';
		if (x && mkdirat(fd, p, 0755) == 0) {
			made = remember(x, path, (size_t)(slash - path), 1);
			if (made < 0)
				unlinkat(fd, p, AT_REMOVEDIR); /* it could not be taken back later */
		} else {
			made = x && errno != EEXIST ? -1 : 0;
		}
		next = made < 0 ? -1 : openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		p = slash + 1;
	}
	return -1;
}

/* Remove what this extraction made, the last made first (files before
 * the directories holding them); a directory not empty stays. */
static void take_back(struct extract *x)
{
	int saved = errno;

	while (x->nmade) {
		struct made *m = &x->made[--x->nmade];
		char *leaf;
		int parent = open_parent(x->dirfd, m->path, &leaf, NULL);

		if (parent >= 0) {
			unlinkat(parent, leaf, m->is_dir ? AT_REMOVEDIR : 0);
			close(parent);
		}
		free(m->path);
	}
	errno = saved;
}

static int write_content(struct archive *a, int fd)
{
	const void *buf;
	size_t size;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(a, &buf, &size, &off)) == ARCHIVE_OK) {
		if (cred_cancel_requested()) {
			errno = EINTR;
			return -1;
		}
		/* a short write is followed by the one that says why (errno) */
		for (size_t done = 0; done < size;) {
			ssize_t n = pwrite(fd, (const char *)buf + done, size - done,
					   off + (off_t)done);

			if (n <= 0) {
				if (n == 0)
					errno = EIO;
				return -1;
			}
			done += (size_t)n;
		}
	}
	if (r != ARCHIVE_EOF)
		errno = EIO; /* cannot happen: the first pass read it all */
	return r == ARCHIVE_EOF ? 0 : -1;
}

/* Put the whole file tmp under its name leaf, never replacing one:
 * RENAME_NOREPLACE, or link() where the file system lacks it. */
static int place(int dir, const char *tmp, const char *leaf)
{
	if (renameat2(dir, tmp, dir, leaf, RENAME_NOREPLACE) == 0)
		return 0;
	if ((errno != EINVAL && errno != ENOSYS) || linkat(dir, tmp, dir, leaf, 0) < 0)
		return -1;
	unlinkat(dir, tmp, 0);
	return 0;
}

/* A new temporary file in parent, ".credtools-PID-N.part" (a name the
 * tools' clean-ups know); the next N when one is taken (a run killed
 * before, under the same process id). */
static int open_temporary(struct extract *x, int parent, mode_t mode, char *tmp, size_t size)
{
	for (int tries = 0; tries < 1000; tries++) {
		int fd;

		snprintf(tmp, size, ".credtools-%ld-%u.part", (long)getpid(), x->tmp_seq++);
		fd = openat(parent, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EAGAIN;
	return -1;
}

/* A file, written under a temporary name and renamed once whole. */
static int make_file(struct extract *x, struct archive *a, struct archive_entry *e, int parent,
		     const char *leaf)
{
	char tmp[64];
	int fd, r, saved;

	fd = open_temporary(x, parent, (archive_entry_perm(e) & 0777) | 0600, tmp, sizeof(tmp));
	if (fd < 0)
		return -1;
	r = write_content(a, fd);
	if (close(fd) < 0)
		r = -1;
	if (r == 0 && place(parent, tmp, leaf) == 0)
		return 0;
	saved = errno;
	unlinkat(parent, tmp, 0);
	errno = saved;
	return -1;
}

static int make_hardlink(struct extract *x, int parent, const char *leaf, const char *target)
{
	char *t = strdup(target), *tleaf;
	int tfd, r = -1;

	if (!t)
		return -1;
	if ((tfd = open_parent(x->dirfd, t, &tleaf, NULL)) >= 0) {
		r = linkat(tfd, tleaf, parent, leaf, 0);
		close(tfd);
	}
	free(t);
	return r;
}

/* The member itself in parent: 0 made, 1 a directory already there (made
 * for an earlier member, or the user's: not ours to take back), -1 error. */
static int make_member(struct extract *x, struct archive *a, struct archive_entry *e,
		       const struct cred_archive_member *m, int parent, const char *leaf)
{
	if (!strcmp(m->type, "directory"))
		return mkdirat(parent, leaf, 0755) == 0 ? 0 : errno == EEXIST ? 1 : -1;
	if (!strcmp(m->type, "file"))
		return make_file(x, a, e, parent, leaf);
	if (!strcmp(m->type, "symlink"))
		return symlinkat(m->link, parent, leaf);
	return make_hardlink(x, parent, leaf, m->link);
}

/* One member under the directory; what it creates is remembered. */
static int write_member(struct extract *x, struct archive *a, struct archive_entry *e,
			const struct cred_archive_member *m)
{
	char *path, *leaf;
	int parent, r = -1, is_dir = !strcmp(m->type, "directory");

	if (is_top(m))
		return CRED_OK;
	if (!(path = strdup(m->path)))
		return cred_fail(CRED_ERR_MEM, "out of memory");
	if ((parent = open_parent(x->dirfd, path, &leaf, x)) >= 0) {
		r = make_member(x, a, e, m, parent, leaf);
		if (r == 0 && remember(x, m->path, strlen(m->path), is_dir) < 0) {
			/* out of memory: it could not be taken back later */
			unlinkat(parent, leaf, is_dir ? AT_REMOVEDIR : 0);
			errno = ENOMEM;
			r = -1;
		} else if (r == 0 && !is_dir) {
			x->written++;
		}
		close(parent);
	}
	if (r < 0) {
		r = errno == EEXIST ? cred_fail(CRED_ERR_FAIL, "cannot write '%s': it exists already",
						m->path)
				    : cred_fail_errno("cannot write '%s'", m->path);
	}
	free(path);
	return r < 0 ? r : CRED_OK;
}

/* One pass over the archive: check (dirfd < 0) or write. */
static int pass(struct extract *x, const void *data, size_t len, int writing)
{
	struct archive *a;
	struct archive_entry *e;
	struct cred_archive_member m;
	int r;

	if ((r = cred_archive_open(data, len, &a)) < 0)
		return r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		if (writing && cred_cancel_requested()) {
			r = cred_fail_cancelled("unpacking");
			goto out;
		}
		cred_archive_describe(e, &m);
		r = writing ? write_member(x, a, e, &m) : check_member(x, a, &m);
		if (r < 0)
			goto out;
	}
	r = r == ARCHIVE_EOF ? CRED_OK : cred_fail(CRED_ERR_DATA, "damaged archive: %s",
						   archive_error_string(a));
out:
	archive_read_free(a);
	return r;
}

int cred_archive_extract(const void *data, size_t len, const char *dir,
			 const struct cred_extract_limits *limits, size_t *written)
{
	struct extract x = { .dirfd = -1 };
	int r;

	cred_clear_error();
	if (written)
		*written = 0;
	if (limits)
		x.lim = *limits;
	if (!x.lim.max_member)
		x.lim.max_member = DEFAULT_MAX_MEMBER;
	if (!x.lim.max_total)
		x.lim.max_total = DEFAULT_MAX_TOTAL;
	if (!x.lim.max_members)
		x.lim.max_members = DEFAULT_MAX_MEMBERS;
	if ((r = pass(&x, data, len, 0)) < 0)
		return r;
	x.dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x.dirfd < 0)
		return cred_fail_errno("cannot open directory '%s'", dir);
	r = pass(&x, data, len, 1);
	if (r < 0) {
		take_back(&x); /* nothing half done: a failure leaves what was there */
		x.written = 0;
	}
	close(x.dirfd);
	for (size_t i = 0; i < x.nmade; i++)
		free(x.made[i].path);
	free(x.made);
	if (written)
		*written = x.written;
	return r;
}

/* Archives: building a tar.gz, recognising and checking archives, and
 * safe extraction: every hostile member refused before anything is
 * written, no symbolic link followed while writing (one planted in the
 * directory beforehand included), no file replaced, sizes bounded, and a
 * write that fails half way (a file size limit, a name taken) takes back
 * everything the extraction made. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred-archive.h"
#include "cred-cancel.h"
#include "cred-error.h"

/* ---- building archives with whatever members a test needs --------------- */

struct member {
	const char *path;
	mode_t type;      /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR; 0: hard link */
	const char *data; /* file content, or link target */
	size_t size;      /* 0: strlen(data) for files */
};

static void *make(const struct member *m, size_t n, size_t *len)
{
	struct archive *a = archive_write_new();
	size_t cap = 1 << 22, used = 0;
	char *buf = malloc(cap);

	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	assert_int_equal(archive_write_open_memory(a, buf, cap, &used), ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		size_t size = m[i].type == AE_IFREG ? (m[i].size ? m[i].size : strlen(m[i].data)) : 0;

		archive_entry_set_pathname(e, m[i].path);
		archive_entry_set_perm(e, 0644);
		if (m[i].type == 0) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, m[i].data);
		} else {
			archive_entry_set_filetype(e, m[i].type);
		}
		if (m[i].type == AE_IFLNK)
			archive_entry_set_symlink(e, m[i].data);
		archive_entry_set_size(e, (la_int64_t)size);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (size) {
			char *content = malloc(size);

			memset(content, 'z', size);
			if (!m[i].size)
				memcpy(content, m[i].data, size);
			assert_int_equal(archive_write_data(a, content, size), (la_ssize_t)size);
			free(content);
		}
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	*len = used;
	return buf;
}

/* A fresh directory "box" holding "out", the extraction target. */
static char box[64], out[96];

static int setup(void **state)
{
	snprintf(box, sizeof(box), "/tmp/cred-archive-XXXXXX");
	assert_non_null(mkdtemp(box));
	snprintf(out, sizeof(out), "%s/out", box);
	assert_int_equal(mkdir(out, 0755), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", box);
	return system(cmd);
}

/* Entries under box (recursively), as `find` counts them. */
static int entries(void)
{
	char cmd[160];
	FILE *p;
	int n = 0, c;

	snprintf(cmd, sizeof(cmd), "find '%s' -mindepth 1", box);
	p = popen(cmd, "r");
	while ((c = fgetc(p)) != EOF)
		n += c == '\n';
	pclose(p);
	return n;
}

static void refused(const struct member *m, size_t n, const char *member, const char *why,
		    const struct cred_extract_limits *lim)
{
	size_t len, written = 99;
	void *data = make(m, n, &len);
	char want[256];

	assert_int_equal(cred_archive_extract(data, len, out, lim, &written), CRED_ERR_DATA);
	snprintf(want, sizeof(want), "refused archive member '%s': %s", member, why);
	assert_string_equal(cred_last_error(), want);
	assert_int_equal(written, 0);
	assert_int_equal(entries(), 1); /* only "out": nothing written at all */
	free(data);
}

/* ---- tests ------------------------------------------------------------------ */

static void build_check_extract(void **state)
{
	const char *names[] = { "00", "01" };
	const void *contents[] = { "first", "second!" };
	size_t sizes[] = { 5, 7 }, len, n;
	void *tgz;
	char path[160], buf[16] = "";
	FILE *f;

	assert_int_equal(cred_archive_build_tgz(names, contents, sizes, 2, &tgz, &len), CRED_OK);
	assert_true(cred_archive_detect(tgz, len));
	assert_false(cred_archive_detect("just some bytes", 15));
	assert_int_equal(cred_archive_check(tgz, len, NULL, NULL, &n), CRED_OK);
	assert_int_equal(n, 2);
	/* cut short: still recognised as an archive, and damaged */
	assert_true(cred_archive_detect(tgz, 20));
	assert_int_equal(cred_archive_check(tgz, len - 30, NULL, NULL, NULL), CRED_ERR_DATA);
	assert_int_equal(cred_archive_extract(tgz, len, out, NULL, &n), CRED_OK);
	assert_int_equal(n, 2);
	snprintf(path, sizeof(path), "%s/01", out);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_int_equal(fread(buf, 1, sizeof(buf), f), 7);
	fclose(f);
	assert_string_equal(buf, "second!");
	/* no file is ever replaced */
	assert_int_equal(cred_archive_extract(tgz, len, out, NULL, &n), CRED_ERR_FAIL);
	assert_non_null(strstr(cred_last_error(), "'00': it exists already"));
	free(tgz);
}

static void nested_links_inside(void **state)
{
	const struct member m[] = {
		{ "./", AE_IFDIR, "", 0 }, /* as `tar -C dir .` writes */
		{ "./logs/", AE_IFDIR, "", 0 },
		{ "./logs/a.log", AE_IFREG, "alpha\n", 0 },
		{ "logs/link", AE_IFLNK, "a.log", 0 },
		{ "logs/sub/hard", 0, "logs/a.log", 0 },
	};
	size_t len, n;
	void *data = make(m, 5, &len);
	char path[160];
	struct stat st;

	assert_int_equal(cred_archive_extract(data, len, out, NULL, &n), CRED_OK);
	assert_int_equal(n, 3);
	snprintf(path, sizeof(path), "%s/logs/sub/hard", out);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_nlink, 2);
	snprintf(path, sizeof(path), "%s/logs/link", out);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	free(data);
}

static void hostile_members(void **state)
{
	struct cred_extract_limits small = { .max_member = 1000, .max_total = 1500 };
	const struct member fine = { "fine.log", AE_IFREG, "ok\n", 0 };

	refused((struct member[]){ fine, { "../evil", AE_IFREG, "x", 0 } }, 2, "../evil",
		"path leads out of the directory", NULL);
	refused((struct member[]){ fine, { "a/../../evil", AE_IFREG, "x", 0 } }, 2, "a/../../evil",
		"path leads out of the directory", NULL);
	refused((struct member[]){ fine, { "/tmp/evil", AE_IFREG, "x", 0 } }, 2, "/tmp/evil",
		"absolute path", NULL);
	refused((struct member[]){ fine, { "l", AE_IFLNK, "../x", 0 } }, 2, "l",
		"link leads out of the directory", NULL);
	refused((struct member[]){ fine, { "l", AE_IFLNK, "/etc", 0 } }, 2, "l",
		"link leads out of the directory", NULL);
	refused((struct member[]){ fine, { "h", 0, "../../etc/passwd", 0 } }, 2, "h",
		"link leads out of the directory", NULL);
	refused((struct member[]){ fine, { "null", AE_IFCHR, "", 0 } }, 2, "null", "device file", NULL);
	refused((struct member[]){ fine, { "p", AE_IFIFO, "", 0 } }, 2, "p", "special file", NULL);
	refused((struct member[]){ fine, { "big", AE_IFREG, "", 1001 } }, 2, "big",
		"larger than the limit for one file", &small);
	refused((struct member[]){ { "a", AE_IFREG, "", 900 }, { "b", AE_IFREG, "", 900 } }, 2, "b",
		"the archive unpacks to more than the total limit", &small);
	refused((struct member[]){ { "a/..", AE_IFREG, "x", 0 } }, 1, "a/..",
		"path leads out of the directory", NULL);
}

/* A link inside the archive, or one planted in the directory, is never
 * followed to write a later member. */
static void links_not_followed(void **state)
{
	const struct member through[] = {
		{ "sub", AE_IFLNK, "d", 0 },
		{ "d/", AE_IFDIR, "", 0 },
		{ "sub/x", AE_IFREG, "via the link", 0 },
	};
	const struct member planted[] = { { "out2/x", AE_IFREG, "escaped?", 0 } };
	char path[256], target[200];
	size_t len;
	void *data = make(through, 3, &len);

	assert_int_equal(cred_archive_extract(data, len, out, NULL, NULL), CRED_ERR_IO);
	assert_non_null(strstr(cred_last_error(), "cannot write 'sub/x'"));
	snprintf(path, sizeof(path), "%s/d/x", out);
	assert_int_equal(access(path, F_OK), -1);
	free(data);

	snprintf(target, sizeof(target), "%s/elsewhere", box);
	assert_int_equal(mkdir(target, 0755), 0);
	snprintf(path, sizeof(path), "%s/out2", out);
	assert_int_equal(symlink(target, path), 0);
	data = make(planted, 1, &len);
	assert_int_equal(cred_archive_extract(data, len, out, NULL, NULL), CRED_ERR_IO);
	snprintf(path, sizeof(path), "%s/x", target);
	assert_int_equal(access(path, F_OK), -1);
	free(data);
}

/* A write cut by a file size limit (as by a full disk) leaves nothing:
 * neither the member cut short nor those written whole before it. */
static void cut_write_takes_back(void **state)
{
	const struct member m[] = {
		{ "logs/", AE_IFDIR, "", 0 },
		{ "logs/a.log", AE_IFREG, "written whole first", 0 },
		{ "logs/deep/b.log", AE_IFREG, "", 300000 },
	};
	struct rlimit old, lim = { 65536, 65536 };
	size_t len, written = 99;
	void *data = make(m, 3, &len);
	int r;

	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim.rlim_max = old.rlim_max;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	r = cred_archive_extract(data, len, out, NULL, &written);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(r, CRED_ERR_IO);
	assert_string_equal(cred_last_error(), "cannot write 'logs/deep/b.log': File too large");
	assert_int_equal(written, 0);
	assert_int_equal(entries(), 1); /* only "out" */
	free(data);
}

/* A name taken in the directory stops the extraction; what was made
 * before it goes, what was there (a file, an empty folder the archive
 * names too) stays as it was. */
static void taken_name_takes_back(void **state)
{
	const struct member m[] = {
		{ "keep/", AE_IFDIR, "", 0 },
		{ "new/a", AE_IFREG, "new", 0 },
		{ "x.log", AE_IFREG, "from the archive", 0 },
	};
	char path[160], buf[16] = "";
	size_t len;
	void *data = make(m, 3, &len);
	FILE *f;

	snprintf(path, sizeof(path), "%s/keep", out);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/x.log", out);
	f = fopen(path, "w");
	fputs("mine", f);
	fclose(f);
	assert_int_equal(cred_archive_extract(data, len, out, NULL, NULL), CRED_ERR_FAIL);
	assert_string_equal(cred_last_error(), "cannot write 'x.log': it exists already");
	assert_int_equal(entries(), 3); /* "out", "out/keep" and "out/x.log" */
	f = fopen(path, "r");
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "mine");
	free(data);
}

/* The cancel flag (a Ctrl-C in a tool) stops the unpacking and takes back
 * what was made: EINTR, nothing left. */
static void cancel_takes_back(void **state)
{
	const struct member m[] = {
		{ "logs/a.log", AE_IFREG, "a", 0 },
		{ "logs/b.log", AE_IFREG, "b", 0 },
	};
	static volatile sig_atomic_t stop = 1;
	size_t len, written = 99;
	void *data = make(m, 2, &len);
	int r;

	cred_set_cancel_flag(&stop);
	r = cred_archive_extract(data, len, out, NULL, &written);
	cred_set_cancel_flag(NULL);
	assert_int_equal(r, CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EINTR);
	assert_int_equal(written, 0);
	assert_int_equal(entries(), 1); /* only "out" */
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(build_check_extract, setup, teardown),
		cmocka_unit_test_setup_teardown(nested_links_inside, setup, teardown),
		cmocka_unit_test_setup_teardown(hostile_members, setup, teardown),
		cmocka_unit_test_setup_teardown(links_not_followed, setup, teardown),
		cmocka_unit_test_setup_teardown(cut_write_takes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(taken_name_takes_back, setup, teardown),
		cmocka_unit_test_setup_teardown(cancel_takes_back, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

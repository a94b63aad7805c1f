/* Unit tests: the ImageStreamIO 2.00 layout (file sizes and offsets) and
 * the stream writer through the frame-writer API. The sizes are those
 * milk's own ImageStreamIO_createIm gives for the same streams (10
 * semaphores, 10 proc-trace entries, 160 keywords), noted by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred.h"
#include "isio-layout-impl.h"

static void shape(struct isio_metadata *md, uint32_t w, uint32_t h, uint32_t slices)
{
	memset(md, 0, sizeof(*md));
	md->naxis = slices ? 3 : 2;
	md->size[0] = w;
	md->size[1] = h;
	md->size[2] = slices;
	md->nelement = (uint64_t)w * h * (slices ? slices : 1);
	md->datatype = ISIO_DATATYPE_INT16;
	md->imagetype = slices ? ISIO_CIRCULAR_BUFFER | ISIO_ZAXIS_TEMPORAL : ISIO_MATH_DATA;
	md->imdatamemsize = md->nelement * 2;
	md->sem = ISIO_NB_SEMAPHORE;
	md->NBproctrace = ISIO_NB_PROCTRACE;
	md->NBkw = 160;
}

static void test_sizes_match_milk(void **state)
{
	struct isio_metadata md;
	struct isio_map m;

	shape(&md, 640, 512, 0);
	assert_int_equal(cred_isio_layout(&md, &m), 0);
	assert_int_equal(m.total, 677376);
	assert_int_equal(m.data, 384);
	assert_int_equal(m.kw, 384 + 640 * 512 * 2);
	assert_int_equal(m.atimes, 0);
	shape(&md, 640, 512, 4);
	assert_int_equal(cred_isio_layout(&md, &m), 0);
	assert_int_equal(m.total, 2643616);
	/* atime, writetime (16 bytes a slice each), then the counts */
	assert_int_equal(m.wtimes - m.atimes, 64);
	assert_int_equal(m.cnts - m.wtimes, 64);
	assert_int_equal(m.total - m.cnts, 32);
	shape(&md, 64, 16, 0);
	assert_int_equal(cred_isio_layout(&md, &m), 0);
	assert_int_equal(m.total, 24064);
}

/* Every area starts on 8 bytes, also after an odd number of pixels. */
static void test_rounding(void **state)
{
	struct isio_metadata md;
	struct isio_map m;

	shape(&md, 3, 3, 0);
	assert_int_equal(cred_isio_layout(&md, &m), 0);
	assert_int_equal(m.kw, 384 + 24);
	assert_int_equal(m.semfile % 8, 0);
	assert_int_equal(m.proctrace % 8, 0);
}

static void test_refuses_other_streams(void **state)
{
	struct isio_metadata md;
	struct isio_map m;

	shape(&md, 64, 16, 0);
	md.datatype = 9; /* float */
	assert_int_equal(cred_isio_layout(&md, &m), -1);
	shape(&md, 64, 16, 0);
	md.naxis = 1;
	assert_int_equal(cred_isio_layout(&md, &m), -1);
	shape(&md, 64, 16, 0);
	md.nelement = 5;
	assert_int_equal(cred_isio_layout(&md, &m), -1);
}

static void test_names(void **state)
{
	char *path = NULL;

	setenv("MILK_SHM_DIR", "/", 1);
	assert_int_equal(cred_isio_path("cam_1.a-b", &path), CRED_OK);
	assert_string_equal(path, "//cam_1.a-b.im.shm");
	free(path);
	assert_int_equal(cred_isio_path("a/b", &path), CRED_ERR_ARG);
	assert_null(path);
	assert_int_equal(cred_isio_path(".x", &path), CRED_ERR_ARG);
	assert_int_equal(cred_isio_path("", &path), CRED_ERR_ARG);
	assert_int_equal(cred_file_type_from_name("isio:cam"), CRED_FILE_ISIO);
	assert_int_equal(cred_file_type_parse("isio"), CRED_FILE_ISIO);
	assert_string_equal(cred_file_type_name(CRED_FILE_ISIO), "isio");
}

/* The keyword named name in the stream file at path (a copy). */
static struct isio_keyword find_kw(const char *path, const char *name)
{
	struct isio_keyword k = { .type = '?' };
	struct isio_metadata *md;
	struct isio_map m;
	struct stat st;
	int fd = open(path, O_RDONLY);
	void *p;

	assert_true(fd >= 0 && fstat(fd, &st) == 0);
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	md = p;
	assert_int_equal(cred_isio_layout(md, &m), 0);
	for (unsigned i = 0; i < md->NBkw; i++) {
		const struct isio_keyword *kw = (const void *)((const char *)p + m.kw) + i * sizeof(*kw);

		if (kw->type != 'N' && strcmp(kw->name, name) == 0)
			k = *kw;
	}
	munmap(p, (size_t)st.st_size);
	close(fd);
	return k;
}

/* Through the public API: keywords at open and changed later. */
static void test_writer_keywords(void **state)
{
	char dir[] = "/tmp/test-isio-XXXXXX";
	struct cred_keyword k[] = {
		{ "MODE", "globalresetcds", NULL, 0 }, { "GAIN", "20", "avalanche gain", 0 },
	};
	struct cred_writer_options o = { .type = CRED_FILE_ISIO, .keywords = k, .nkeywords = 2 };
	struct cred_frame_writer *w;
	struct cred_keyword tint = { "EXPTIME", "0.002", NULL, 0 };
	struct cred_keyword gain = { "GAIN", "30", NULL, 0 };
	struct isio_keyword kw;
	char *path;

	assert_non_null(mkdtemp(dir));
	setenv("MILK_SHM_DIR", dir, 1);
	cred_frame_format_init(&o.format, CRED_MODEL_CREDONE);
	assert_int_equal(cred_frame_writer_open("isio:kw", &o, &w), CRED_OK);
	assert_int_equal(cred_frame_writer_set_keyword(w, &tint), CRED_OK);
	assert_int_equal(cred_isio_path("kw", &path), CRED_OK);
	kw = find_kw(path, "MODE");
	assert_int_equal(kw.type, 'S');
	assert_string_equal(kw.value.valstr, "globalresetcds");
	kw = find_kw(path, "GAIN");
	assert_int_equal(kw.type, 'L');
	assert_int_equal(kw.value.numl, 20);
	assert_string_equal(kw.comment, "avalanche gain");
	assert_int_equal(kw.cnt, 1);
	assert_int_equal(cred_frame_writer_set_keyword(w, &gain), CRED_OK);
	kw = find_kw(path, "GAIN");
	assert_int_equal(kw.value.numl, 30);
	assert_int_equal(kw.cnt, 2);
	assert_string_equal(kw.comment, "avalanche gain");
	kw = find_kw(path, "EXPTIME");
	assert_int_equal(kw.type, 'D');
	assert_true(kw.value.numf == 0.002);
	free(path);
	cred_frame_writer_close(w);
	assert_int_equal(cred_isio_remove("kw", 0), CRED_OK);
	assert_int_equal(cred_isio_remove("kw", 0), CRED_ERR_ARG);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_match_milk),
		cmocka_unit_test(test_rounding),
		cmocka_unit_test(test_refuses_other_streams),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_writer_keywords),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

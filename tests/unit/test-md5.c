/* MD5 digests: the RFC 1321 test suite (appendix A.5), for buffers and for
 * files, and the failure path of an unreadable file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cred-transfer.h"

static const struct {
	const char *input;
	const char *digest;
} rfc1321[] = {
	{ "", "d41d8cd98f00b204e9800998ecf8427e" },
	{ "a", "0cc175b9c0f1b6a831c399e269772661" },
	{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
	{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
	{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
	{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
	  "d174ab98d277d9f5a5611c2c9f419d9f" },
	{ "1234567890123456789012345678901234567890"
	  "1234567890123456789012345678901234567890",
	  "57edf4a22be3c955ac49da2e2107b67a" },
};

static void test_buffer_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
		char hex[CRED_MD5_HEX_SIZE];

		memset(hex, 'x', sizeof(hex));
		cred_md5_buffer(rfc1321[i].input, strlen(rfc1321[i].input), hex);
		assert_string_equal(hex, rfc1321[i].digest);
	}
}

static char *write_temp(const void *data, size_t len)
{
	char *path = strdup("/tmp/test-md5-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_file_vectors(void **state)
{
	for (size_t i = 0; i < sizeof(rfc1321) / sizeof(rfc1321[0]); i++) {
		char *path = write_temp(rfc1321[i].input, strlen(rfc1321[i].input));
		char hex[CRED_MD5_HEX_SIZE];

		assert_int_equal(cred_md5_file(path, hex), CRED_OK);
		assert_string_equal(hex, rfc1321[i].digest);
		unlink(path);
		free(path);
	}
}

/* A file larger than the read buffer, so several reads feed one digest:
 * it must agree with the digest of the same bytes in memory. */
static void test_file_matches_buffer(void **state)
{
	size_t len = 655360 + 77;
	unsigned char *data = malloc(len);
	char a[CRED_MD5_HEX_SIZE], b[CRED_MD5_HEX_SIZE];
	char *path;

	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 7 + (i >> 9));
	path = write_temp(data, len);
	cred_md5_buffer(data, len, a);
	assert_int_equal(cred_md5_file(path, b), CRED_OK);
	assert_string_equal(a, b);
	unlink(path);
	free(path);
	free(data);
}

static void test_missing_file(void **state)
{
	char hex[CRED_MD5_HEX_SIZE] = "garbage";

	assert_int_equal(cred_md5_file("/nonexistent/credtools-md5", hex), CRED_ERR_IO);
	assert_string_equal(hex, "");
	assert_int_equal(cred_last_errno(), ENOENT);
	assert_non_null(strstr(cred_last_error(), "'/nonexistent/credtools-md5'"));
}

static void test_directory_is_an_error(void **state)
{
	char hex[CRED_MD5_HEX_SIZE];

	assert_int_equal(cred_md5_file("/", hex), CRED_ERR_IO);
	assert_int_equal(cred_last_errno(), EISDIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buffer_vectors),
		cmocka_unit_test(test_file_vectors),
		cmocka_unit_test(test_file_matches_buffer),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_directory_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

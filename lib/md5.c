/* MD5 digests in the form the camera's sendfile/recvfile commands use:
 * 32 lowercase hex digits. The hashing and hex encoding are nettle's. */
#include "cred-transfer.h"
#include "error-impl.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/base16.h>
#include <nettle/md5.h>
#include <string.h>
#include <unistd.h>

static void digest_to_hex(struct md5_ctx *ctx, char hex[CRED_MD5_HEX_SIZE])
{
	uint8_t digest[MD5_DIGEST_SIZE];

	md5_digest(ctx, sizeof(digest), digest);
	base16_encode_update(hex, sizeof(digest), digest);
	hex[BASE16_ENCODE_LENGTH(MD5_DIGEST_SIZE)] = '\0';
}

void cred_md5_buffer(const void *buf, size_t len, char hex[CRED_MD5_HEX_SIZE])
{
	struct md5_ctx ctx;

	md5_init(&ctx);
	md5_update(&ctx, len, buf);
	digest_to_hex(&ctx, hex);
}

int cred_md5_file(const char *path, char hex[CRED_MD5_HEX_SIZE])
{
	uint8_t buf[65536];
	struct md5_ctx ctx;
	ssize_t n;
	int fd;

	cred_clear_error();
	hex[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cred_fail_errno("cannot open '%s'", path);
	md5_init(&ctx);
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int r = cred_fail_errno("cannot read '%s'", path);

			close(fd);
			return r;
		}
		md5_update(&ctx, (size_t)n, buf);
	}
	close(fd);
	digest_to_hex(&ctx, hex);
	return CRED_OK;
}

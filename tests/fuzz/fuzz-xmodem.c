/* Fuzz target: the XMODEM sender's receive side (lib/xmodem.c): what it
 * does with the bytes a receiver sends back (start bytes 'C' and NAK,
 * ACK, NAK, CAN, text and noise between them), in CRC and checksum mode,
 * 128 and 1024-byte blocks.
 *
 * Input: byte 0: block size (bit 0: 1024), max_retries (bits 1-2: 1-4),
 * whether text before the start stops the wait (bit 3); byte 1: file
 * size in 64-byte steps (0-16,320 bytes); byte 2: read size (1-16); then
 * the receiver's bytes, cut at "\xfe\xfe" into one segment per write of
 * the sender (the first segment is there before it writes anything). */
#include "fuzz.h"
#include "cred-transfer.h"

static int on_text(const unsigned char *bytes, size_t len, void *user)
{
	size_t *seen = user;

	*seen += len;
	return *seen > 256;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t file[255 * 64];
	struct cred_xmodem_options o = { 0 };
	struct cred_xmodem_stats st;
	struct fuzz_port f;
	struct cred_port *port;
	size_t seen = 0, len;

	if (size < 3)
		return 0;
	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 31 + 7);
	o.block_size = data[0] & 1 ? 1024 : 128;
	o.max_retries = 1 + ((data[0] >> 1) & 3);
	o.start_timeout_ms = 1000;
	o.block_timeout_ms = 1000;
	if (data[0] & 8) {
		o.on_text = on_text;
		o.text_user = &seen;
	}
	len = (size_t)data[1] * 64;
	if (!(port = fuzz_port_new(&f, data + 3, size - 3, (data[2] & 15) + 1, "\xfe\xfe")))
		return 0;
	(void)cred_xmodem_send(port, file, len, &o, &st);
	cred_port_close(port);
	fuzz_port_free(&f);
	return 0;
}

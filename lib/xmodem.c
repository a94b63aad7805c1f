/* XMODEM sender (checksum, CRC-16 and 1K blocks) on a struct cred_port.
 *
 * The receiver drives the pace: it asks for checksum (NAK) or CRC ('C')
 * mode, then answers each block with ACK or NAK. The sender is a plain
 * stop-and-wait loop; speed comes from writing each block with one call
 * and reading answers without delay, like lrzsz's sx. */
#include "cancel-impl.h"
#include "transfer-impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SOH 0x01
#define STX 0x02
#define EOT 0x04
#define ACK 0x06
#define NAK 0x15
#define CAN 0x18
#define CPMEOF 0x1a

/* Longest time spent in one read, so a cancel flag set by a signal
 * handler is seen quickly even though the port restarts poll on EINTR. */
#define SLICE_MS 100
/* How long a lone CAN waits for its partner before it is taken as noise. */
#define CAN_PAIR_MS 1000
/* After the start byte, wait for the line to be quiet this long before
 * the first block: receivers often purge their input right after asking
 * (lrzsz's rx does), and on a fast link a block sent at once is lost. The
 * wait also swallows repeated start bytes. Bounded by SETTLE_MAX_MS. */
#define SETTLE_MS 10
#define SETTLE_MAX_MS 1000

enum answer { ANS_ACK, ANS_NAK, ANS_TIMEOUT };

struct xm {
	struct cred_port *port;
	struct cred_xmodem_options o;
	struct cred_xmodem_stats st;
	/* One byte at a time: after the receiver's last word (its final ACK,
	 * CAN CAN) the bytes that follow are the camera's answer, which must be
	 * left on the line for the protocol client. A put-back byte lives here. */
	unsigned char in[1];
	int in_pos, in_len;
	long long last_progress;
	unsigned char block[3 + 1024 + 2];
};

static int cancelled(const struct xm *x)
{
	return (x->o.cancel && *x->o.cancel) || cred_cancel_requested();
}

static int fail_cancelled(void)
{
	return cred_xfer_fail_cancelled("XMODEM transfer");
}

/* CRC-16/XMODEM (polynomial 0x1021, initial value 0), a byte at a time
 * without a table: a few shifts per byte cost nothing next to the line. */
static unsigned crc16(const unsigned char *p, size_t n)
{
	unsigned crc = 0;

	while (n--) {
		crc = ((crc >> 8) | (crc << 8)) & 0xffff;
		crc ^= *p++;
		crc ^= (crc & 0xff) >> 4;
		crc ^= (crc << 12) & 0xffff;
		crc ^= (crc & 0xff) << 5;
	}
	return crc;
}

static unsigned sum8(const unsigned char *p, size_t n)
{
	unsigned s = 0;

	while (n--)
		s += *p++;
	return s & 0xff;
}

/* Next byte from the receiver: 1 got one, 0 none within timeout_ms,
 * negative on error or cancel. */
static int next_byte(struct xm *x, int timeout_ms, unsigned char *c)
{
	long long deadline = cred_now_ms() + timeout_ms;

	while (x->in_pos == x->in_len) {
		long long left = deadline - cred_now_ms();
		int n;

		if (cancelled(x))
			return fail_cancelled();
		if (left <= 0)
			return 0;
		n = cred_port_read(x->port, x->in, sizeof(x->in), left < SLICE_MS ? (int)left : SLICE_MS);
		if (n < 0)
			return n;
		x->in_pos = 0;
		x->in_len = n;
	}
	*c = x->in[x->in_pos++];
	return 1;
}

/* Forget answers already queued: after a NAK, further NAKs in the queue
 * are stale, and resending once per stale NAK is how NAK storms grow. */
static int drop_pending(struct xm *x)
{
	unsigned char buf[256];
	int n;

	x->in_pos = x->in_len = 0;
	while ((n = cred_port_read(x->port, buf, sizeof(buf), 0)) > 0)
		;
	return n;
}

/* After a CAN: 1 if a second CAN follows (the receiver cancelled). A
 * different byte is put back to be read as usual. */
static int second_can(struct xm *x)
{
	unsigned char c;
	int r = next_byte(x, CAN_PAIR_MS, &c);

	if (r <= 0)
		return r;
	if (c == CAN)
		return 1;
	x->in_pos--;
	return 0;
}

static int fail_receiver_cancelled(void)
{
	return cred_fail(CRED_ERR_FAIL, "the receiver cancelled the XMODEM transfer");
}

/* Tell the receiver to give up: consecutive CANs (two suffice; a third
 * covers one swallowed as the end of a damaged block). Best effort: the
 * error being reported stays the one that made us give up. */
static void send_abort(struct xm *x, int err)
{
	static const unsigned char cans[] = { CAN, CAN, CAN };
	int saved_errno = cred_last_errno();
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", cred_last_error());
	if (cred_port_write(x->port, cans, sizeof(cans), 1000) == CRED_OK)
		return;
	if (saved_errno == EINTR) {
		fail_cancelled();
		return;
	}
	cred_fail(err, "%s", msg);
}

/* Text that came instead of a start byte: hand it to the caller, who may
 * recognise an answer (a refusal) and give up waiting. */
static int pass_text(struct xm *x, const unsigned char *bytes, size_t len)
{
	if (x->o.on_text && x->o.on_text(bytes, len, x->o.text_user))
		return cred_fail(CRED_ERR_FAIL, "the XMODEM receiver answered instead of starting");
	return CRED_OK;
}

/* Let the receiver finish asking: see SETTLE_MS. Returns 1 when the start
 * byte stands, 0 when other text followed it at once, so it was a letter
 * of a message ("Error: Cannot ...") and has been passed on as text with
 * what followed. */
static int settle(struct xm *x, unsigned char start)
{
	long long deadline = cred_now_ms() + SETTLE_MAX_MS;
	unsigned char c;
	int r;

	while (cred_now_ms() < deadline && (r = next_byte(x, SETTLE_MS, &c)) != 0) {
		unsigned char text[2] = { start, c };

		if (r < 0)
			return r;
		if (c == CAN && (r = second_can(x)) != 0)
			return r < 0 ? r : fail_receiver_cancelled();
		if (c != start && c != CAN) {
			r = pass_text(x, text, 2);
			return r < 0 ? r : 0;
		}
	}
	return 1;
}

/* Wait for NAK (checksum) or 'C' (CRC); anything else is text, such as a
 * message the receiver printed first. */
static int wait_start(struct xm *x)
{
	long long deadline = cred_now_ms() + x->o.start_timeout_ms;

	for (;;) {
		long long left = deadline - cred_now_ms();
		unsigned char c;
		int r;

		if (left <= 0)
			return cred_fail(CRED_ERR_TIMEOUT,
					 "the XMODEM receiver did not start within %d ms",
					 x->o.start_timeout_ms);
		r = next_byte(x, (int)left, &c);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (c == NAK || c == 'C') {
			r = settle(x, c);
			if (r != 0) {
				x->st.crc = c == 'C';
				return r < 0 ? r : CRED_OK;
			}
		} else if (c == CAN) {
			if ((r = second_can(x)) != 0)
				return r < 0 ? r : fail_receiver_cancelled();
		} else if ((r = pass_text(x, &c, 1)) < 0) {
			return r;
		}
	}
}

/* The receiver's verdict on what was just sent. While the first block is
 * unanswered, a new start byte means the receiver never saw it (it was
 * purged or lost) and counts as a NAK; later, and for other stray bytes
 * (line noise, a lone CAN), they are skipped. */
static int wait_answer(struct xm *x, int first, enum answer *ans)
{
	long long deadline = cred_now_ms() + x->o.block_timeout_ms;

	for (;;) {
		long long left = deadline - cred_now_ms();
		unsigned char c;
		int r;

		if (left <= 0) {
			*ans = ANS_TIMEOUT;
			return CRED_OK;
		}
		r = next_byte(x, (int)left, &c);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (c == ACK || c == NAK || (first && c == 'C' && x->st.crc)) {
			*ans = c == ACK ? ANS_ACK : ANS_NAK;
			return CRED_OK;
		}
		if (c == CAN && (r = second_can(x)) != 0)
			return r < 0 ? r : fail_receiver_cancelled();
	}
}

/* Send what is in x->block (len bytes) until acknowledged. what names it
 * in messages ("block 12", "end of transfer"); first: it is block 1. */
static int send_until_acked(struct xm *x, size_t len, const char *what, int first)
{
	enum answer ans = ANS_TIMEOUT;
	int r;

	for (int tries = 0; tries <= x->o.max_retries; tries++) {
		if (tries > 0)
			x->st.resends++;
		if (cancelled(x))
			return fail_cancelled();
		r = cred_port_write(x->port, x->block, len, x->o.block_timeout_ms);
		if (r < 0)
			return r;
		r = wait_answer(x, first, &ans);
		if (r < 0)
			return r;
		if (ans == ANS_ACK)
			return CRED_OK;
		if (ans == ANS_NAK && (r = drop_pending(x)) < 0)
			return r;
	}
	if (ans == ANS_NAK)
		return cred_fail(CRED_ERR_DATA, "XMODEM %s rejected %d times by the receiver",
				 what, x->o.max_retries + 1);
	return cred_fail(CRED_ERR_TIMEOUT, "XMODEM %s: no answer from the receiver after %d tries",
			 what, x->o.max_retries + 1);
}

/* Lay out block number blkno holding n data bytes in a block of size
 * bytes: header, data, 0x1A padding, CRC or checksum. Returns its length. */
static size_t build_block(struct xm *x, unsigned blkno, const unsigned char *data, size_t n,
			  size_t size)
{
	unsigned char *b = x->block;

	b[0] = size == 1024 ? STX : SOH;
	b[1] = (unsigned char)blkno;
	b[2] = (unsigned char)~blkno;
	memcpy(b + 3, data, n);
	memset(b + 3 + n, CPMEOF, size - n);
	if (!x->st.crc) {
		b[3 + size] = (unsigned char)sum8(b + 3, size);
		return size + 4;
	}
	unsigned crc = crc16(b + 3, size);
	b[3 + size] = (unsigned char)(crc >> 8);
	b[4 + size] = (unsigned char)crc;
	return size + 5;
}

static void report_progress(struct xm *x, size_t done, size_t total)
{
	if (x->o.progress && cred_xfer_progress_due(&x->last_progress, done, total))
		x->o.progress(done, total, x->o.progress_user);
}

static int send_blocks(struct xm *x, const unsigned char *data, size_t len)
{
	size_t off = 0;
	unsigned blkno = 1;
	char what[32];

	x->st.block_size = x->o.block_size == 1024 && x->st.crc ? 1024 : 128;
	while (off < len) {
		size_t left = len - off;
		size_t size = left <= 128 ? 128 : (size_t)x->st.block_size;
		size_t n = left < size ? left : size;
		size_t blen = build_block(x, blkno, data + off, n, size);
		int r;

		snprintf(what, sizeof(what), "block %u", x->st.blocks + 1);
		r = send_until_acked(x, blen, what, x->st.blocks == 0);
		if (r < 0)
			return r;
		off += n;
		blkno++;
		x->st.blocks++;
		report_progress(x, off, len);
	}
	return CRED_OK;
}

static int fill_options(struct xm *x, const struct cred_xmodem_options *opts)
{
	if (opts)
		x->o = *opts;
	if (x->o.block_size == 0)
		x->o.block_size = 128;
	if (x->o.block_size != 128 && x->o.block_size != 1024)
		return cred_fail(CRED_ERR_ARG, "XMODEM block size must be 128 or 1024, not %d",
				 x->o.block_size);
	if (x->o.max_retries < 0 || x->o.start_timeout_ms < 0 || x->o.block_timeout_ms < 0)
		return cred_fail(CRED_ERR_ARG, "XMODEM retries and timeouts must not be negative");
	if (x->o.max_retries == 0)
		x->o.max_retries = 10;
	if (x->o.start_timeout_ms == 0)
		x->o.start_timeout_ms = 60000;
	if (x->o.block_timeout_ms == 0)
		x->o.block_timeout_ms = 10000;
	return CRED_OK;
}

static int transfer(struct xm *x, const void *data, size_t len)
{
	int r = wait_start(x);

	if (r < 0)
		return r;
	r = send_blocks(x, data, len);
	if (r < 0)
		return r;
	x->block[0] = EOT;
	r = send_until_acked(x, 1, "end of transfer", 0);
	if (r == CRED_OK && len == 0)
		report_progress(x, 0, 0);
	return r;
}

int cred_xmodem_send(struct cred_port *port, const void *data, size_t len,
		     const struct cred_xmodem_options *opts, struct cred_xmodem_stats *stats)
{
	struct xm x = { .port = port };
	int r;

	cred_clear_error();
	if (stats)
		memset(stats, 0, sizeof(*stats));
	if (!port || (!data && len))
		return cred_fail(CRED_ERR_ARG, "XMODEM: no port or no data");
	r = fill_options(&x, opts);
	if (r == CRED_OK)
		r = transfer(&x, data, len);
	/* A receiver that cancelled needs no CANs, nor does a dead port. */
	if (r == CRED_ERR_TIMEOUT || r == CRED_ERR_DATA ||
	    (r == CRED_ERR_IO && cred_last_errno() == EINTR))
		send_abort(&x, r);
	if (stats)
		*stats = x.st;
	return r;
}

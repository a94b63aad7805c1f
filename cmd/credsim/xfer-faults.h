/* Transfer faults: what goes wrong while a file travels to the camera
 * (--transfer-fault, `sim transfer-fault`). SPEC is KIND[:ARG][@N]:
 *
 *   corrupt[:OFFSET]  the line flips the low bit of the transfer's byte at
 *                     OFFSET (200), counted from the first byte after the
 *                     command: file bytes for sendfile, XMODEM blocks
 *                     (headers included) for xsendfile
 *   lose[:OFFSET]     the line loses that byte
 *   cut[:OFFSET]      the line goes dead from that byte to the end of the
 *                     transfer (nothing more reaches the camera)
 *   nak[:COUNT]       XMODEM: the receiver refuses every block COUNT times
 *                     (3) before it takes it (a NAK storm)
 *   cancel[:BLOCK]    XMODEM: the receiver cancels (CAN CAN) when block
 *                     BLOCK (1) arrives
 *   checksum          XMODEM: the receiver asks for the 8-bit checksum
 *                     (NAK) rather than CRC-16 ('C')
 *   fetch-fail        URL commands: the download fails
 *   discard           the camera checks the file and answers OK, but keeps
 *                     the file it had (a read-back then differs)
 *
 * corrupt, lose and cut also act on what the camera sends back for
 * `recvfile KIND content` (counted from its first byte).
 *
 * @N limits a fault to the Nth transfer from the time it was added. */
#ifndef CREDSIM_XFER_FAULTS_H
#define CREDSIM_XFER_FAULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xfault_kind { XF_CORRUPT, XF_LOSE, XF_CUT, XF_NAK, XF_CANCEL, XF_CHECKSUM, XF_FETCH_FAIL,
		   XF_DISCARD, XF_KINDS };

struct xfault {
	enum xfault_kind kind;
	long arg;
	long nth;    /* 0: every transfer */
	long seen;
	long fired;
};

#define MAX_XFAULTS 16

struct xfault_list {
	struct xfault f[MAX_XFAULTS];
	int n;
};

/* What happens to one transfer (offsets -1 when not at all). */
struct xfer_effect {
	int64_t corrupt_at, lose_at, cut_at;
	long nak_count;
	long cancel_block;  /* 0: none */
	bool checksum;
	bool fetch_fail;
	bool discard;
};

int xfault_parse(const char *spec, struct xfault *f, char *err, size_t size);
int xfaults_add(struct xfault_list *fl, const char *spec, char *err, size_t size);
void xfaults_clear(struct xfault_list *fl);
const char *xfault_describe(const struct xfault *f, char *buf, size_t size);
/* A transfer starts: count it against every fault and fill eff. */
void xfaults_match(struct xfault_list *fl, struct xfer_effect *eff);
/* No fault at all. */
void xfer_effect_none(struct xfer_effect *eff);

/* The line between the sender and the camera: apply eff to len bytes at
 * buf that are bytes pos, pos+1, ... of the transfer. Bytes may be
 * changed or removed in place; returns the new length. */
size_t xfer_line_filter(const struct xfer_effect *eff, uint64_t pos, uint8_t *buf, size_t len);

#endif

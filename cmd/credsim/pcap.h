/* The frame stream as a USB camera sends it, for umockdev: a device
 * description (umockdev-run -d) and a usbmon capture (pcap, link type 220,
 * umockdev-run -p SYSFS=FILE) of what the host sees while credgrab streams:
 *
 *   a stale-data flush that comes back empty (unless the host runs with
 *   --usb-flush 0), the vendor start request (bmRequestType 0x40, bRequest
 *   1, wIndex 0: interface 0), bulk IN transfers of the host's transfer
 *   size on endpoint 0x81, the number the host keeps in flight submitted at
 *   once, each completed with the next bytes of the stream and submitted
 *   again, then the stop request (bRequest 2).
 *
 * umockdev replays it in order and matches every transfer the host submits
 * by type, endpoint and length: the host's transfer size must be the
 * recorded one, and it must keep at least as many in flight. libpcap
 * reads at most 256 KiB per record, so with larger transfers each one
 * completes with PCAP_MAX_DATA bytes (a short transfer; chunking carries no
 * meaning in the stream). Frame faults shape the recording
 * (stream-faults.h): short transfers, endpoint stalls, the device gone. */
#ifndef CREDSIM_PCAP_H
#define CREDSIM_PCAP_H

#include <stddef.h>
#include "camera.h"
#include "stream.h"

#define USB_BUS 2
#define USB_DEV 5
#define USB_SYSFS "/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1"
#define PCAP_MAX_DATA (255u * 1024)

/* Record up to nframes frames of the camera's present stream into path (a
 * new file, written under a temporary name). Returns the frames recorded,
 * with a summary in msg, or -1 with the reason in msg. */
long usb_record(struct frames *f, const char *path, long nframes, char *msg, size_t msglen);

/* Write the umockdev description of the camera as a USB device: the
 * imaging interface and the CDC-ACM serial port (/dev/ttyACM0) of one
 * composite device at USB_SYSFS, bus USB_BUS, address USB_DEV. 0, or -1
 * with the reason in msg. */
int usb_describe(const struct camera *cam, const char *path, char *msg, size_t msglen);

/* Create path for writing under a temporary name / move it into place. */
FILE *out_create(const char *path, char *tmp, size_t tmplen, char *msg, size_t msglen);
int out_commit(FILE *fp, const char *tmp, const char *path, char *msg, size_t msglen);

#endif

/* The camera as umockdev sees a USB device (see pcap.h): the composite
 * device of a C-RED 3 USB, its vendor imaging interface (bulk IN 0x81) and
 * the CDC-ACM pair behind /dev/ttyACM0, in umockdev's text format (P: the
 * sysfs path, N: the device node, E: udev properties, A: attributes, H:
 * binary attributes in hex). */
#include <stdio.h>
#include <string.h>
#include "cred-port.h"
#include "pcap.h"

/* Device and configuration descriptors, as the kernel's `descriptors`
 * attribute holds them. USB 3: SuperSpeed endpoint companions follow the
 * endpoints. */
static const uint8_t descriptors[] = {
	/* device: USB 3.0, class from the interface association, 512-byte
	 * ep0, VID, PID, release 1.00, strings 1-3, one configuration */
	18, 1, 0x00, 0x03, 0xEF, 0x02, 0x01, 9,
	CRED_USB_VID & 0xff, CRED_USB_VID >> 8, CRED_USB_PID & 0xff, CRED_USB_PID >> 8,
	0x00, 0x01, 1, 2, 3, 1,
	/* configuration: 115 bytes (checked below), 3 interfaces, self powered */
	9, 2, 115, 0, 3, 1, 0, 0xC0, 0x32,
	/* interface 0: the imaging interface (vendor class), bulk IN 0x81 */
	9, 4, 0, 0, 1, 0xFF, 0x00, 0x00, 0,
	7, 5, 0x81, 2, 0x00, 0x04, 0,
	6, 0x30, 15, 0, 0, 0,
	/* interface association: interfaces 1-2, the serial port */
	8, 11, 1, 2, 2, 2, 1, 0,
	/* interface 1: CDC ACM communication, interrupt IN 0x83 */
	9, 4, 1, 0, 1, 2, 2, 1, 0,
	5, 0x24, 0x00, 0x10, 0x01,          /* header, CDC 1.10 */
	5, 0x24, 0x01, 0x00, 2,             /* call management, data interface 2 */
	4, 0x24, 0x02, 0x02,                /* ACM: line coding and state */
	5, 0x24, 0x06, 1, 2,                /* union: 1 controls 2 */
	7, 5, 0x83, 3, 10, 0, 9,
	6, 0x30, 0, 0, 10, 0,
	/* interface 2: CDC data, bulk IN 0x82 and OUT 0x02 */
	9, 4, 2, 0, 2, 0x0A, 0x00, 0x00, 0,
	7, 5, 0x82, 2, 0x00, 0x04, 0,
	6, 0x30, 0, 0, 0, 0,
	7, 5, 0x02, 2, 0x00, 0x04, 0,
	6, 0x30, 0, 0, 0, 0,
};

_Static_assert(sizeof(descriptors) - 18 == 115, "wTotalLength of the configuration");

static void hex(FILE *fp, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(fp, "%02X", p[i]);
	fputc('\n', fp);
}

static void device(FILE *fp, const struct camera *cam)
{
	const char *dev = USB_SYSFS + 4; /* umockdev paths start at /devices */

	fprintf(fp, "P: %s\nN: bus/usb/%03d/%03d=", dev, USB_BUS, USB_DEV);
	hex(fp, descriptors, sizeof(descriptors));
	fprintf(fp, "E: DEVNAME=/dev/bus/usb/%03d/%03d\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
		"E: PRODUCT=%x/%x/100\nE: TYPE=239/2/1\nE: BUSNUM=%03d\nE: DEVNUM=%03d\n"
		"E: MAJOR=189\nE: MINOR=%d\nE: SUBSYSTEM=usb\nE: ID_VENDOR_ID=%04x\n"
		"E: ID_MODEL_ID=%04x\nE: ID_SERIAL_SHORT=%s\nE: ID_BUS=usb\n",
		USB_BUS, USB_DEV, CRED_USB_VID, CRED_USB_PID, USB_BUS, USB_DEV,
		(USB_BUS - 1) * 128 + USB_DEV - 1, CRED_USB_VID, CRED_USB_PID, cam->model->serial);
	fprintf(fp, "A: authorized=1\nA: bConfigurationValue=1\nA: bDeviceClass=ef\n"
		"A: bDeviceProtocol=01\nA: bDeviceSubClass=02\nA: bMaxPacketSize0=9\n"
		"A: bNumConfigurations=1\nA: bNumInterfaces= 3\nA: bcdDevice=0100\n"
		"A: bmAttributes=c0\nA: busnum=%d\nA: devnum=%d\nA: devpath=1\n"
		"A: dev=189:%d\nA: idProduct=%04x\nA: idVendor=%04x\n"
		"A: manufacturer=First Light Imaging\nA: product=%s (credsim)\nA: serial=%s\n"
		"A: speed=5000\nA: version= 3.00\nH: descriptors=",
		USB_BUS, USB_DEV, (USB_BUS - 1) * 128 + USB_DEV - 1, CRED_USB_PID, CRED_USB_VID,
		cam->model->type, cam->model->serial);
	hex(fp, descriptors, sizeof(descriptors));
	fputc('\n', fp);
}

static void interface(FILE *fp, int number, int cls, int sub, int proto, int endpoints,
		      const char *driver)
{
	fprintf(fp, "P: %s/%d-1:1.%d\nE: DEVTYPE=usb_interface\n", USB_SYSFS + 4, USB_BUS, number);
	if (driver)
		fprintf(fp, "E: DRIVER=%s\n", driver);
	fprintf(fp, "E: PRODUCT=%x/%x/100\nE: TYPE=239/2/1\nE: INTERFACE=%d/%d/%d\n"
		"E: SUBSYSTEM=usb\nA: authorized=1\nA: bAlternateSetting= 0\n"
		"A: bInterfaceClass=%02x\nA: bInterfaceNumber=%02x\nA: bInterfaceProtocol=%02x\n"
		"A: bInterfaceSubClass=%02x\nA: bNumEndpoints=%02x\n\n",
		CRED_USB_VID, CRED_USB_PID, cls, sub, proto, cls, number, proto, sub, endpoints);
}

/* The serial port: umockdev backs a tty node with a pseudo-terminal. Its
 * `device` link leads to the USB interface, as in sysfs, so port listings
 * (libserialport) see the camera's USB IDs on it. */
static void tty(FILE *fp)
{
	fprintf(fp, "P: %s/%d-1:1.1/tty/ttyACM0\nN: ttyACM0\nE: DEVNAME=/dev/ttyACM0\n"
		"E: SUBSYSTEM=tty\nE: MAJOR=166\nE: MINOR=0\nA: dev=166:0\n"
		"L: device=../../../%d-1:1.1\n\n", USB_SYSFS + 4, USB_BUS, USB_BUS);
}

static void parents(FILE *fp)
{
	fprintf(fp, "P: /devices/pci0000:00/0000:00:14.0/usb%d\nN: bus/usb/%03d/001\n"
		"E: DEVNAME=/dev/bus/usb/%03d/001\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n"
		"E: BUSNUM=%03d\nE: DEVNUM=001\nE: MAJOR=189\nE: MINOR=%d\nE: SUBSYSTEM=usb\n"
		"A: busnum=%d\nA: devnum=1\nA: idProduct=0003\nA: idVendor=1d6b\nA: speed=5000\n\n",
		USB_BUS, USB_BUS, USB_BUS, USB_BUS, (USB_BUS - 1) * 128, USB_BUS);
	fprintf(fp, "P: /devices/pci0000:00/0000:00:14.0\nE: DRIVER=xhci_hcd\nE: SUBSYSTEM=pci\n"
		"A: class=0x0c0330\n");
}

int usb_describe(const struct camera *cam, const char *path, char *msg, size_t msglen)
{
	char tmp[4200];
	FILE *fp;

	if (camera_is_one(cam)) {
		snprintf(msg, msglen, "a C-RED One has no USB link (Camera Link only)");
		return -1;
	}
	if (!(fp = out_create(path, tmp, sizeof(tmp), msg, msglen)))
		return -1;
	device(fp, cam);
	interface(fp, 0, 0xff, 0, 0, 1, NULL);
	interface(fp, 1, 2, 2, 1, 1, "cdc_acm");
	tty(fp);
	interface(fp, 2, 10, 0, 0, 2, "cdc_acm");
	parents(fp);
	if (out_commit(fp, tmp, path, msg, msglen))
		return -1;
	snprintf(msg, msglen, "sysfs path %s", USB_SYSFS);
	return 0;
}

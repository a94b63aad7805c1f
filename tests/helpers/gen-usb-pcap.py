#!/usr/bin/env python3
"""Write a usbmon capture (pcap, link type 220: USB Linux with the 64-byte
mmapped header) of a C-RED streaming over USB, for umockdev-run --pcap.

It is what the host sees when credgrab runs against a camera that sends
the bytes of STREAM: a stale-data flush that comes back empty (leave it out
with --no-flush for a host run with --usb-flush 0), the vendor start
request (bmRequestType 0x40, bRequest 1, wValue 0, wIndex 0, no data),
TRANSFERS bulk IN URBs of TRANSFER_SIZE bytes on endpoint 0x81 queued at
once, each completed with the next TRANSFER_SIZE bytes of the stream and
queued again once the host has read it, then the stop request (bRequest 2).

umockdev replays in order and matches each URB the host submits by type,
endpoint and length: the bulk URB length must equal the host's
--transfer-size, and a control URB's length is its wLength (the setup
packet is in the header).
"""
import argparse
import struct
import sys

BUS, DEV = 2, 5
CONTROL, BULK = 2, 3


def packet(out, urb_id, kind, xfer, ep, urb_len, data=b"", setup=b"\0" * 8, t=[0]):
    t[0] += 100  # microseconds between events, for umockdev's stuck warnings
    hdr = struct.pack("<QBBBBHccqiiII8siiII", urb_id, ord(kind), xfer, ep, DEV, BUS,
                      b"\0" if kind == "S" and xfer == CONTROL else b"-",
                      b"\0" if data else b"<", 1700000000 + t[0] // 1000000,
                      t[0] % 1000000, 0, urb_len, len(data), setup, 0, 0, 0, 0)
    assert len(hdr) == 64
    out.write(struct.pack("<IIII", 1700000000 + t[0] // 1000000, t[0] % 1000000,
                          64 + len(data), 64 + len(data)))
    out.write(hdr + data)


def control(out, urb_id, request, request_type):
    # the setup packet rides in the header; urb_len is wLength (0)
    setup = struct.pack("<BBHHH", request_type, request, 0, 0, 0)
    packet(out, urb_id, "S", CONTROL, 0x00, 0, setup=setup)
    packet(out, urb_id, "C", CONTROL, 0x00, 0)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("stream")
    p.add_argument("--transfers", type=int, default=2)
    p.add_argument("--transfer-size", type=int, default=4096)
    p.add_argument("--requests", default="1,2", help="START,STOP vendor requests")
    p.add_argument("--request-type", type=lambda v: int(v, 0), default=0x40)
    p.add_argument("--no-flush", action="store_true",
                   help="the host does not flush stale data first (--usb-flush 0)")
    p.add_argument("--completions", type=int,
                   help="transfers the host takes before it stops (default: all)")
    a = p.parse_args()
    data = open(a.stream, "rb").read()
    size = a.transfer_size
    chunks = [data[i:i + size] for i in range(0, len(data), size)]
    done = a.completions or len(chunks)
    out = sys.stdout.buffer
    out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 1 << 20, 220))
    ids = iter(range(0x1000, 0x100000, 0x40))
    if not a.no_flush:
        flush_id = next(ids)
        packet(out, flush_id, "S", BULK, 0x81, size)
        packet(out, flush_id, "C", BULK, 0x81, 0)
    start, stop = (int(r, 0) for r in a.requests.split(","))
    control(out, next(ids), start, a.request_type)
    flying = []
    for _ in range(a.transfers):
        flying.append(next(ids))
        packet(out, flying[-1], "S", BULK, 0x81, size)
    for k, chunk in enumerate(chunks[:done]):
        urb = flying.pop(0)
        packet(out, urb, "C", BULK, 0x81, len(chunk), chunk)
        if k + 1 < done:  # the host queues the transfer again once read
            flying.append(next(ids))
            packet(out, flying[-1], "S", BULK, 0x81, size)
    control(out, next(ids), stop, a.request_type)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Write a synthetic C-RED camera stream (headerless, 16-bit little-endian
frames with image tags, see lib/cred-frame.h) to standard output, for the
credgrab tests and benchmark.

Frame k (counter START+k) holds pixel (x, y) = (x + 3*y + 5*k) % 4096,
minus 2048 for signed (C-RED 3) streams; the tags overwrite the first
pixels. Options shape the stream: --drop K skips frame k (a pure drop),
--garbage K:N puts N random bytes before frame k, --cut K:N keeps only the
first N bytes of frame k.
"""
import argparse
import random
import struct
import sys


def frame(model, w, h, k, counter, signed, tags, reads=1):
    base = bytearray()
    row = []
    for y in range(h):
        for x in range(w):
            v = (x + 3 * y + 5 * k) % 4096
            if signed:
                v -= 2048
            row.append(v)
    base = bytearray(struct.pack("<%d%s" % (w * h, "h" if signed else "H"), *row))
    if tags == "cred3":
        gain, marker = k % 3, k & 1
        base[0:8] = struct.pack("<HHHH", counter & 0xFFFF, counter >> 16, 0,
                                0xFFF8 | gain << 1 | marker)
    elif tags == "credone":
        base[0:6] = struct.pack("<HHH", counter & 0xFFFF, counter >> 16, k % reads)
    return bytes(base)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("-m", "--model", default="cred3", choices=["cred3", "credone"])
    p.add_argument("-W", "--width", type=int)
    p.add_argument("-H", "--height", type=int)
    p.add_argument("-n", "--count", type=int, default=10)
    p.add_argument("--start", type=int, default=1000)
    p.add_argument("--tags", choices=["cred3", "credone", "none"])
    p.add_argument("--reads", type=int, default=1,
                   help="C-RED One: reads per ramp; pixel 2 counts them (k %% READS)")
    p.add_argument("--drop", type=int, action="append", default=[])
    p.add_argument("--garbage", action="append", default=[])
    p.add_argument("--cut", action="append", default=[])
    p.add_argument("--fast", action="store_true",
                   help="the same pixels in every frame, only the tags change (benchmarks)")
    a = p.parse_args()
    w = a.width or (640 if a.model == "cred3" else 320)
    h = a.height or (512 if a.model == "cred3" else 256)
    tags = a.tags or a.model
    signed = a.model == "cred3"
    garbage = {int(g.split(":")[0]): int(g.split(":")[1]) for g in a.garbage}
    cut = {int(c.split(":")[0]): int(c.split(":")[1]) for c in a.cut}
    rnd = random.Random(1)
    out = sys.stdout.buffer
    if a.fast:
        fast(out, a, w, h, signed, tags)
        return
    for k in range(a.count):
        if k in a.drop:
            continue
        if k in garbage:
            out.write(bytes(rnd.getrandbits(8) for _ in range(garbage[k])))
        data = frame(a.model, w, h, k, (a.start + k) & 0xFFFFFFFF, signed, tags, a.reads)
        out.write(data[:cut[k]] if k in cut else data)
    out.flush()


def fast(out, a, w, h, signed, tags):
    """Frame 0's pixels every time, new tags per frame, written in batches."""
    body = bytearray(frame(a.model, w, h, 0, 0, signed, tags, a.reads))
    batch = bytearray()
    for k in range(a.count):
        counter = (a.start + k) & 0xFFFFFFFF
        struct.pack_into("<HH", body, 0, counter & 0xFFFF, counter >> 16)
        batch += body
        if len(batch) >= 8 << 20:
            out.write(batch)
            batch = bytearray()
    out.write(batch)
    out.flush()


if __name__ == "__main__":
    main()

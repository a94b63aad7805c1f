#!/usr/bin/env python3
"""Helpers for the frame tests against credsim (tests/credsim-frames.bats,
tests/credgrab-usb.bats). Frames are the camera stream: 16-bit
little-endian pixels, W per row, H rows, back to back.

  tags FILE W H            one line per frame: counter pixel2 pixel3
  stats FILE W H SIGNED    min max mean median of the pixels after the
                           tags (first frame), SIGNED 1 for int16
  column-values FILE W H X0 X1   the distinct values of columns X0..X1-1
  chain RAW CORR W H BIAS FLAT ADU LO HI
                           check CORR == clamp((RAW - BIAS) * FLAT >> 13 + ADU)
                           pixel by pixel (signed pixels, tags skipped)
  same-but FILE1 FILE2 W H X Y   the frames are equal but for pixel (X, Y)
                           of each, which in FILE2 equals pixel (X-1, Y)
  subset GOT SENT W H      every frame of GOT is, byte for byte, a frame
                           SENT holds; prints the counters of GOT
  pcap-data PCAP           the bytes of the bulk IN completions on 0x81
  query CMD...             answers of the camera at $CRED_SIM_TCP, one
                           block per command (fails on an error)
  sendfile KIND FILE       send a file with `sendfile KIND SIZE MD5`
  fill FILE W H VALUE      a file of W*H 16-bit values
  slow-read SOCKET SECONDS BYTES   connect, wait, then read BYTES to stdout
  drain SOCKET BYTES       read BYTES as fast as possible and throw them
                           away; prints the seconds it took
"""
import hashlib
import os
import socket
import struct
import sys
import time


def frames(path, w, h):
    data = open(path, "rb").read()
    size = w * h * 2
    return [data[i:i + size] for i in range(0, len(data) - size + 1, size)]


def pixels(frame, signed):
    return struct.unpack("<%d%s" % (len(frame) // 2, "h" if signed else "H"), frame)


def cmd_tags(path, w, h):
    for f in frames(path, int(w), int(h)):
        p = struct.unpack("<4H", f[:8])
        print(p[0] | p[1] << 16, p[2], p[3])


def cmd_stats(path, w, h, signed):
    f = frames(path, int(w), int(h))[0]
    p = sorted(pixels(f, signed == "1")[4:])
    print(p[0], p[-1], "%.3f" % (sum(p) / len(p)), p[len(p) // 2])


def cmd_column_values(path, w, h, x0, x1):
    w, h, x0, x1 = int(w), int(h), int(x0), int(x1)
    seen = set()
    for f in frames(path, w, h):
        p = pixels(f, False)
        for y in range(h):
            seen.update(p[y * w + x0:y * w + x1])
    print(" ".join(str(v) for v in sorted(seen)))


def cmd_chain(raw, corr, w, h, bias, flat, adu, lo, hi):
    w, h = int(w), int(h)
    bias, flat, adu, lo, hi = int(bias), int(flat), int(adu), int(lo), int(hi)
    a, b = frames(raw, w, h), frames(corr, w, h)
    assert len(a) == len(b) and a, (len(a), len(b))
    for fa, fb in zip(a, b):
        pa, pb = pixels(fa, True), pixels(fb, True)
        for i in range(4, len(pa)):
            want = max(lo, min(hi, ((pa[i] - bias) * flat >> 13) + adu))
            if pb[i] != want:
                sys.exit("pixel %d: raw %d gave %d, expected %d" % (i, pa[i], pb[i], want))
    print("%d frames checked" % len(a))


def cmd_same_but(f1, f2, w, h, x, y):
    w, h, x, y = int(w), int(h), int(x), int(y)
    a, b = frames(f1, w, h), frames(f2, w, h)
    assert len(a) == len(b) and a
    k = y * w + x
    for fa, fb in zip(a, b):
        pa, pb = pixels(fa, True), pixels(fb, True)
        diff = [i for i in range(len(pa)) if pa[i] != pb[i]]
        assert diff in ([], [k]), diff[:10]
        assert pb[k] == pb[k - 1], (pb[k], pb[k - 1])
    print("ok")


def cmd_subset(got, sent, w, h):
    data = open(sent, "rb").read()
    for f in frames(got, int(w), int(h)):
        c = struct.unpack("<I", f[:4])[0]
        if data.find(f) < 0:
            sys.exit("frame %d is not one that was sent" % c)
        print(c)


def cmd_pcap_data(path):
    data = open(path, "rb").read()
    magic, _, _, _, _, _, link = struct.unpack("<IHHiIII", data[:24])
    assert magic == 0xA1B2C3D4 and link == 220, (hex(magic), link)
    out, i = sys.stdout.buffer, 24
    while i < len(data):
        _, _, caplen, _ = struct.unpack("<IIII", data[i:i + 16])
        rec = data[i + 16:i + 16 + caplen]
        i += 16 + caplen
        kind, xfer, ep = rec[8], rec[9], rec[10]
        dlen = struct.unpack("<I", rec[36:40])[0]
        if kind == ord("C") and xfer == 3 and ep == 0x81 and dlen:
            out.write(rec[64:64 + dlen])


def connect():
    host, port = os.environ["CRED_SIM_TCP"].rsplit(":", 1)
    return socket.create_connection((host, int(port)), timeout=60)


def answer(s):
    text = b""
    while not text.endswith(b"fli-cli>"):
        chunk = s.recv(65536)
        if not chunk:
            sys.exit("sim-frames: the camera hung up")
        text += chunk
    return text[:-len(b"fli-cli>")].decode(errors="replace").replace("\r", "").strip("\n")


def cmd_query(*cmds):
    with connect() as s:
        for c in cmds:
            s.sendall(c.encode() + b"\n")
            text = answer(s)
            if "rror" in text:
                sys.exit("sim-frames: %r -> %r" % (c, text))
            print(text)


def cmd_sendfile(kind, path):
    data = open(path, "rb").read()
    md5 = hashlib.md5(data).hexdigest()
    with connect() as s:
        s.sendall(("sendfile %s %d %s\n" % (kind, len(data), md5)).encode() + data)
        text = answer(s)
    if "OK" not in text:
        sys.exit("sim-frames: sendfile %s -> %r" % (kind, text))


def cmd_fill(path, w, h, value):
    open(path, "wb").write(struct.pack("<H", int(value, 0)) * (int(w) * int(h)))


def cmd_slow_read(path, seconds, nbytes):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    time.sleep(float(seconds))
    left, out = int(nbytes), sys.stdout.buffer
    s.settimeout(60)
    while left:
        chunk = s.recv(min(left, 1 << 20))
        if not chunk:
            sys.exit("sim-frames: the stream ended")
        out.write(chunk)
        left -= len(chunk)


def cmd_drain(path, nbytes):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    buf = memoryview(bytearray(4 << 20))
    left, start = int(nbytes), time.monotonic()
    while left:
        n = s.recv_into(buf, min(left, len(buf)))
        if not n:
            sys.exit("sim-frames: the stream ended")
        left -= n
    print("%.6f" % (time.monotonic() - start))


def main():
    cmds = {
        "tags": cmd_tags, "stats": cmd_stats, "column-values": cmd_column_values,
        "chain": cmd_chain, "same-but": cmd_same_but, "subset": cmd_subset, "pcap-data": cmd_pcap_data,
        "query": cmd_query, "sendfile": cmd_sendfile, "fill": cmd_fill,
        "slow-read": cmd_slow_read, "drain": cmd_drain,
    }
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        sys.exit(__doc__)
    cmds[sys.argv[1]](*sys.argv[2:])


if __name__ == "__main__":
    main()

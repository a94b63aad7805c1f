#!/usr/bin/env python3
"""Helpers of the crednuc tests (plain Python: struct and array only).

  nuc.py frames --kind dark|flat [--model M] [-W W] [-H H] [-n N]
                [--outlier] [--level L]        y4m frames on stdout
  nuc.py expect-bias [-W W] [-H H]             the bias file the dark frames
                                               give (tags as the neighbour)
  nuc.py expect-flat [-W W] [-H H] [--level L] the flat file they give
  nuc.py pattern-bias [-W W] [-H H]            the dark pattern alone, as a
                                               bias file (for --bias)
  nuc.py compare A B --tolerance T             two 16-bit files differ by at
                                               most T per value
  nuc.py stats [--skip-tags N]                 y4m frames on stdin: "MEAN
                                               SPREAD" of the per-pixel means
                                               (spread = their standard
                                               deviation: fixed pattern)
  nuc.py response [--skip-tags N]              y4m frames on stdin: relative
                                               spread (std/mean) of the
                                               per-pixel means
  nuc.py wire HOST:PORT SCRIPT...              talk raw to the interpreter

Dark frame k: pixel (x, y) = BASE + (7x + 13y) % 50 + ((k + x + y) % 5) - 2,
so over a multiple of 5 frames the noise averages to exactly 0; with
--outlier frame 0 adds 5000 everywhere (a cosmic-ray shower) that median
and clip must ignore. Flat frame: dark pattern + LEVEL * gain(x, y) with
gain = 1 + 0.05 * ((x + 2y) % 5 - 2), no noise.
"""
import array
import argparse
import socket
import struct
import sys
import time

BASE = 1000


def pattern(x, y):
    return BASE + (7 * x + 13 * y) % 50


def gain(x, y):
    return 1 + 0.05 * ((x + 2 * y) % 5 - 2)


def tags(counter):
    return [counter & 0xFFFF, counter >> 16, 0, 0xFFF8]


def frame_values(a, k):
    vals = array.array("i", [0]) * (a.width * a.height)
    for y in range(a.height):
        row = y * a.width
        for x in range(a.width):
            v = pattern(x, y)
            if a.kind == "dark":
                v += (k + x + y) % 5 - 2
                if a.outlier and k == 0:
                    v += 5000
            else:
                v += round(a.level * gain(x, y))
            vals[row + x] = v
    if a.model == "cred3":
        vals[0:4] = array.array("i", tags(k + 1))
    else:
        vals[0:3] = array.array("i", tags(k + 1)[:3])
    return vals


def cmd_frames(a):
    out = sys.stdout.buffer
    signed = 1 if a.model == "cred3" else 0
    out.write(("YUV4MPEG2 W%d H%d F100:1 Ip A1:1 Cmono16 XMODEL=%s XSIGNED=%d\n"
               % (a.width, a.height, a.model, signed)).encode())
    for k in range(a.frames):
        vals = frame_values(a, k)
        out.write(b"FRAME\n")
        fmt = "<%d%s" % (len(vals), "h" if signed else "H")
        # tag pixels are 16-bit patterns: store them unsigned
        raw = [v if (not signed or v < 32768) else v - 65536 for v in vals]
        out.write(struct.pack(fmt, *raw))
    out.flush()


def write16(values):
    sys.stdout.buffer.write(struct.pack("<%dH" % len(values), *values))


def ntags(model):
    return 4 if model == "cred3" else 3


def cmd_pattern_bias(a):
    write16([pattern(i % a.width, i // a.width) for i in range(a.width * a.height)])


def cmd_expect_bias(a):
    vals = [pattern(i % a.width, i // a.width) for i in range(a.width * a.height)]
    t = ntags(a.model)
    vals[0:t] = [vals[t]] * t
    write16(vals)


def cmd_expect_flat(a):
    resp = [round(a.level * gain(i % a.width, i // a.width)) for i in range(a.width * a.height)]
    t = ntags(a.model)
    s = sorted(resp[t:])
    n = len(s)
    target = s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2
    vals = [min(65535, round(target / r * 8192)) for r in resp]
    vals[0:t] = [8192] * t
    write16(vals)


def read16(path):
    data = open(path, "rb").read()
    return struct.unpack("<%dH" % (len(data) // 2), data)


def cmd_compare(a):
    x, y = read16(a.a), read16(a.b)
    if len(x) != len(y):
        sys.exit("sizes differ: %d and %d values" % (len(x), len(y)))
    worst = max((abs(p - q), i) for i, (p, q) in enumerate(zip(x, y)))
    if worst[0] > a.tolerance:
        sys.exit("value %d differs by %d (%d vs %d)" % (worst[1], worst[0], x[worst[1]],
                                                        y[worst[1]]))


def read_y4m(stream):
    header = stream.readline().split()
    w = int([t for t in header if t.startswith(b"W")][0][1:])
    h = int([t for t in header if t.startswith(b"H")][0][1:])
    signed = b"XSIGNED=1" in header
    sums = array.array("d", [0.0]) * (w * h)
    n = 0
    while True:
        line = stream.readline()
        if not line:
            break
        data = stream.read(2 * w * h)
        if len(data) < 2 * w * h:
            break
        vals = array.array("h" if signed else "H")
        vals.frombytes(data)
        for i, v in enumerate(vals):
            sums[i] += v
        n += 1
    if not n:
        sys.exit("no frames")
    return [s / n for s in sums], w, h


def mean_std(means):
    m = sum(means) / len(means)
    return m, (sum((v - m) ** 2 for v in means) / len(means)) ** 0.5


def cmd_stats(a):
    means, _, _ = read_y4m(sys.stdin.buffer)
    m, s = mean_std(means[a.skip_tags:])
    print("%.3f %.3f" % (m, s))


def cmd_response(a):
    means, _, _ = read_y4m(sys.stdin.buffer)
    m, s = mean_std(means[a.skip_tags:])
    print("%.6f" % (s / m))


def read_until_prompt(s, limit=30):
    buf = b""
    end = time.time() + limit
    while b"fli-cli>" not in buf and time.time() < end:
        s.settimeout(max(0.1, end - time.time()))
        try:
            d = s.recv(65536)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return buf


def cmd_wire(a):
    """SCRIPT steps: 'send:TEXT' (a line), 'bytes:PATH' (raw file bytes),
    'answer' (print the answer up to the prompt), 'content:N' (read N raw
    bytes and print their MD5, then the rest up to the prompt)."""
    import hashlib
    host, port = a.addr.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    for step in a.script:
        kind, _, arg = step.partition(":")
        if kind == "send":
            s.sendall(arg.encode() + b"\n")
        elif kind == "bytes":
            s.sendall(open(arg, "rb").read())
        elif kind == "answer":
            sys.stdout.write(read_until_prompt(s).decode(errors="replace").replace("\r", ""))
            sys.stdout.write("\n")
        elif kind == "content":
            n, data = int(arg), b""
            s.settimeout(30)
            while len(data) < n:
                d = s.recv(n - len(data))
                if not d:
                    break
                data += d
            print("content %d %s" % (len(data), hashlib.md5(data).hexdigest()))
            rest = read_until_prompt(s)
            print("after %r" % rest)
    s.close()


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("frames", "expect-bias", "expect-flat", "pattern-bias"):
        q = sub.add_parser(name)
        q.add_argument("--model", default="cred3")
        q.add_argument("-W", "--width", type=int, default=64)
        q.add_argument("-H", "--height", type=int, default=8)
        q.add_argument("-n", "--frames", type=int, default=10)
        q.add_argument("--kind", default="dark")
        q.add_argument("--outlier", action="store_true")
        q.add_argument("--level", type=float, default=2000)
    q = sub.add_parser("compare")
    q.add_argument("a")
    q.add_argument("b")
    q.add_argument("--tolerance", type=int, default=0)
    for name in ("stats", "response"):
        q = sub.add_parser(name)
        q.add_argument("--skip-tags", type=int, default=4)
    q = sub.add_parser("wire")
    q.add_argument("addr")
    q.add_argument("script", nargs="+")
    a = p.parse_args()
    {"frames": cmd_frames, "expect-bias": cmd_expect_bias, "expect-flat": cmd_expect_flat,
     "pattern-bias": cmd_pattern_bias, "compare": cmd_compare, "stats": cmd_stats,
     "response": cmd_response, "wire": cmd_wire}[a.cmd](a)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Archives for the credfw tests.

  fw-archive.py firmware OUT VERSION     a release: version file + an image
  fw-archive.py noversion OUT            a tar.gz without a version file
  fw-archive.py hostile OUT KIND ARG     a log archive with one hostile member
      KIND: dotdot, absolute (ARG: the absolute path), symlink, abssymlink,
            hardlink, device, big (ARG: size in bytes), fifo
  fw-archive.py frames OUT N [W H]       N raw 16-bit frames, frame k pixel i =
                                         (i * 7 + k * 1000) & 0xffff
"""
import io
import struct
import sys
import tarfile


def add_bytes(tar, name, data, kind=tarfile.REGTYPE, link=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.mode = 0o644
    info.linkname = link
    if kind == tarfile.REGTYPE:
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    else:
        if kind == tarfile.CHRTYPE:
            info.devmajor, info.devminor = 1, 3
        tar.addfile(info)


def firmware(out, version):
    with tarfile.open(out, "w:gz", format=tarfile.USTAR_FORMAT) as t:
        add_bytes(t, "version", (version + "\n").encode())
        add_bytes(t, "rootfs.img", bytes(range(256)) * 16)


def noversion(out):
    with tarfile.open(out, "w:gz", format=tarfile.USTAR_FORMAT) as t:
        add_bytes(t, "rootfs.img", b"x" * 100)


def hostile(out, kind, arg):
    with tarfile.open(out, "w:gz", format=tarfile.GNU_FORMAT) as t:
        add_bytes(t, "logs/fine.log", b"a harmless first member\n")
        if kind == "dotdot":
            add_bytes(t, "logs/../../evil.txt", b"escaped\n")
        elif kind == "absolute":
            add_bytes(t, arg, b"escaped\n")
        elif kind == "symlink":
            add_bytes(t, "logs/link", b"", tarfile.SYMTYPE, "../../outside")
        elif kind == "abssymlink":
            add_bytes(t, "logs/link", b"", tarfile.SYMTYPE, "/etc/passwd")
        elif kind == "hardlink":
            add_bytes(t, "logs/hard", b"", tarfile.LNKTYPE, "../outside.txt")
        elif kind == "device":
            add_bytes(t, "logs/null", b"", tarfile.CHRTYPE)
        elif kind == "fifo":
            add_bytes(t, "logs/pipe", b"", tarfile.FIFOTYPE)
        elif kind == "big":
            add_bytes(t, "logs/big.log", b"z" * int(arg))
        else:
            sys.exit("unknown kind " + kind)


def frames(out, n, w=320, h=256):
    with open(out, "wb") as f:
        for k in range(n):
            f.write(struct.pack("<%dH" % (w * h), *[(i * 7 + k * 1000) & 0xFFFF for i in range(w * h)]))


if __name__ == "__main__":
    what, out = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    if what == "firmware":
        firmware(out, rest[0])
    elif what == "noversion":
        noversion(out)
    elif what == "hostile":
        hostile(out, rest[0], rest[1] if len(rest) > 1 else "")
    elif what == "frames":
        frames(out, int(rest[0]), *[int(x) for x in rest[1:3]])
    else:
        sys.exit(__doc__)

#!/usr/bin/env python3
"""Wait for credsim to have delivered frames to its first frame client.

usage: ring-gate.py FRAMES FRAME_BYTES [copy]

Asks the simulator (CRED_SIM_TCP) with `sim frames` until its oldest frame
client has been handed FRAMES frames of FRAME_BYTES bytes (frames queued
for it less the bytes still queued), up to 120 s. With `copy`, then copies
standard input to standard output: a pipe reader that reads nothing
until then. Exits 1 if the frames never come.
"""
import os
import re
import shutil
import socket
import sys
import time


def delivered(frame_bytes):
    host, port = os.environ["CRED_SIM_TCP"].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(b"sim frames\n")
        data = b""
        while not data.endswith(b"fli-cli>"):
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    m = re.search(rb"client \d+: (\d+) frames sent, \d+ not sent, (\d+) bytes queued", data)
    if not m:
        return 0
    return (int(m.group(1)) * frame_bytes - int(m.group(2))) // frame_bytes


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    want, size = int(sys.argv[1]), int(sys.argv[2])
    for _ in range(1200):
        if delivered(size) >= want:
            break
        time.sleep(0.1)
    else:
        sys.exit("ring-gate: fewer than %d frames delivered" % want)
    if sys.argv[3:] == ["copy"]:
        shutil.copyfileobj(sys.stdin.buffer, sys.stdout.buffer, 1 << 20)


if __name__ == "__main__":
    main()

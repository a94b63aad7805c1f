#!/bin/sh
# Frames through a frame grabber source: the GenTL producer stand-in
# (build/tests/gentl-sim.cti) reads C-RED One frames from a Unix socket
# and credgrab writes them as raw frames to standard output. Printed as a
# ratio to the C-RED One's 573 MB/s (goal >= 3), next to what the same
# socket gives a plain reader (the ceiling of this machine).
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
N=${BENCH_GRABBER_FRAMES:-20000}
W=320
H=256
tmp=$(mktemp -d)
srv=
trap '[ -z "$srv" ] || kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM

# A camera that sends N tagged frames, as fast as they are read, to every
# client (the counter patched into one frame buffer: no time spent rendering).
python3 - "$tmp/frames.sock" "$W" "$H" "$N" <<'PY' &
import os, socket, struct, sys
path, w, h, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
size, batch = w * h * 2, 32
block = bytearray(os.urandom(size * batch))
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
while True:
    c, _ = srv.accept()
    try:
        for first in range(0, n, batch):
            k = min(batch, n - first)
            for j in range(k):
                i = first + j
                struct.pack_into('<HHH', block, j * size, i & 0xffff, i >> 16, 0)
            c.sendall(memoryview(block)[:k * size])
    except OSError:
        pass
    c.close()
PY
srv=$!
i=0
while [ ! -S "$tmp/frames.sock" ] && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done

now() { date +%s.%N; }
bytes=$((N * W * H * 2))

t0=$(now)
CRED_SIM_FRAMES="$tmp/frames.sock" CRED_GENTL_SIM_GEOMETRY="${W}x$H" \
	credgrab -s gentl:build/tests/gentl-sim.cti --no-camera -m credone -n "$N" -q > /dev/null
t1=$(now)
socat -u -b 1048576 "UNIX-CONNECT:$tmp/frames.sock" STDOUT > /dev/null
t2=$(now)

awk -v b="$bytes" -v t0="$t0" -v t1="$t1" -v t2="$t2" -v n="$N" 'BEGIN {
	grab = b / (t1 - t0) / 1e6; plain = b / (t2 - t1) / 1e6
	printf "grabber: %d C-RED One frames through the GenTL stand-in to raw stdout: %.0f MB/s = %.2fx the C-RED One'"'"'s 573 MB/s (goal >= 3); socat reading the same socket: %.0f MB/s (credgrab at %.2f of it)\n", n, grab, grab / 573, plain, grab / plain
}'

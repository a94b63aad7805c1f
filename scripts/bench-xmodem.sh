#!/bin/sh
# XMODEM upload speed: our sender against lrzsz's sx, both sending the same
# file to lrzsz's rx (CRC mode) behind a pty. The default size is 4 MiB:
# rx idles 1 s after EOT whoever the sender is, and a bias-sized file
# (640x512x2 bytes) crosses a pty in well under a second, so a small file
# would mostly measure that constant (BENCH_XMODEM_BYTES=655360 for the
# bias size).
# The runs alternate (ours, sx, ours, sx, ...) so both see the same machine
# load; each side's median is kept. Goal: ratio sx/ours >= 1.0 (ours at
# least as fast). The timing is done by the unit-test binary's bench mode,
# from starting rx to rx having exited (rx waits 1 s after EOT in both).
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
T="$B/tests/test-xmodem"
RUNS=${BENCH_XMODEM_RUNS:-7}
BYTES=${BENCH_XMODEM_BYTES:-4194304}

if [ ! -x "$T" ]; then
	echo "bench-xmodem: $T not built" >&2
	exit 1
fi
for p in rx sx socat; do
	command -v "$p" >/dev/null || { echo "bench-xmodem: '$p' not installed (lrzsz, socat)" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -c "$BYTES" /dev/urandom >"$tmp/data.bin"

median() {
	sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

for block in 128 1k; do
	: >"$tmp/ours" && : >"$tmp/sx"
	i=0
	while [ "$i" -lt "$RUNS" ]; do
		for sender in ours sx; do
			CRED_BENCH_XMODEM="$tmp/data.bin" CRED_BENCH_SENDER=$sender \
				CRED_BENCH_BLOCK=$block "$T" >>"$tmp/$sender"
		done
		i=$((i + 1))
	done
	ours=$(median <"$tmp/ours")
	sx=$(median <"$tmp/sx")
	awk -v b="$block" -v o="$ours" -v s="$sx" -v n="$RUNS" -v z="$BYTES" 'BEGIN {
		printf "xmodem %s blocks, %d bytes to rx -c, median of %d: ours %.3f s, sx %.3f s, ratio sx/ours %.2f (goal >= 1.0)\n",
			b, z, n, o, s, s / o
	}'
done

#!/bin/sh
# crednuc speed goals, printed as ratios measured in this run (no
# assertions):
#
# 1. Uploads against the wire limit. credsim emulates a 115200 baud 8N1
#    line (11520 bytes/s each way). A full-frame bias file (655360 bytes)
#    needs 56.9 s raw and 59.1 s by XMODEM-CRC with 128-byte blocks (133
#    bytes a block). To keep the bench short the camera is cropped to 640x32
#    and 640x64 and those files (40960 and 81920 bytes) are sent; the full
#    frame's time is extrapolated from the two (the fixed cost counted once).
#    Goal: extrapolated / wire within 1.05.
# 2. A mean bias from 256 full frames (a 168 MB y4m file) against `cat`
#    reading the same file, both from the page cache, the median of
#    BENCH_RUNS runs each (scripts/timing.sh). Goal: cat time / crednuc
#    time >= 0.3.
# The XMODEM sender against lrzsz's sx is bench-xmodem.sh.
set -eu
cd "$(dirname "$0")/.."
B=${B:-build}
PATH="$PWD/$B/bin:$PATH"
export CRED_LOCK_DIR

tmp=$(mktemp -d)
CRED_LOCK_DIR="$tmp/locks"
mkdir -p "$CRED_LOCK_DIR"
trap 'rm -rf "$tmp"' EXIT

. scripts/timing.sh

# ---- 1. uploads at 115200 baud --------------------------------------------------

BAUD=115200

# upload_times ROWS: "METHOD BYTES SECONDS" for raw and XMODEM uploads of a
# 640xROWS bias file through a cropped camera at BAUD.
upload_times() {
	bytes=$((640 * $1 * 2))
	python3 -c '
import struct, sys
n = int(sys.argv[1]) // 2
sys.stdout.buffer.write(struct.pack("<%dH" % n, *[900 + (i * 37) % 200 for i in range(n)]))
' "$bytes" >"$tmp/bias.bin"
	credsim --baud "$BAUD" --no-pty -- sh -c "
		set -e
		credctl -q set cropping.columns 0-639 cropping.rows 0-$(($1 - 1)) cropping on
		s=\$(date +%s.%N); crednuc -q -t 120 upload bias '$tmp/bias.bin'; e=\$(date +%s.%N)
		echo raw $bytes \$s \$e
		s=\$(date +%s.%N); crednuc -q -t 120 upload --xmodem bias '$tmp/bias.bin'; e=\$(date +%s.%N)
		echo xmodem $bytes \$s \$e
	" | awk '{ printf "%s %s %.3f\n", $1, $2, $4 - $3 }'
}

# Two sizes give the time per byte and the fixed cost (opening, checks,
# the camera's verdict); the full frame is extrapolated from them.
{ upload_times 32; upload_times 64; } >"$tmp/uploads"
awk -v baud="$BAUD" '
{ t[$1, n[$1]++] = $3; b[$1, n[$1] - 1] = $2 }
END {
	full = 655360
	for (m = 0; m < 2; m++) {
		name = m ? "xmodem" : "raw"
		b1 = b[name, 0]; b2 = b[name, 1]; t1 = t[name, 0]; t2 = t[name, 1]
		est = t2 + (t2 - t1) / (b2 - b1) * (full - b2)
		wire = m ? (full / 128) * 133 * 10 / baud : full * 10 / baud
		printf "crednuc upload %-6s at %d baud: %d B in %.2f s, %d B in %.2f s; " \
		       "full frame (%d B) extrapolated %.1f s, wire limit %.1f s: ratio %.3f " \
		       "(goal <= 1.05)\n", name, baud, b1, t1, b2, t2, full, est, wire, est / wire
	}
}' "$tmp/uploads"

# ---- 2. mean bias of 256 full frames against cat ---------------------------------------

python3 -c '
import array, sys
w, h, n = 640, 512, 256
out = sys.stdout.buffer
out.write(b"YUV4MPEG2 W640 H512 F600:1 Ip A1:1 Cmono16 XMODEL=cred3 XSIGNED=1\n")
base = array.array("h", [1000 + (i * 7) % 50 for i in range(w * h)])
for k in range(n):
    base[0], base[1] = (k + 1) & 0x7FFF, 0
    out.write(b"FRAME\n")
    out.write(base.tobytes())
' >"$tmp/darks.y4m"
cat "$tmp/darks.y4m" >/dev/null # into the page cache

nuc_bias() {
	rm -f "$tmp/mean.bin"
	crednuc -q bias -o "$tmp/mean.bin" "$tmp/darks.y4m"
}
t_cat=$(median_time cat "$tmp/darks.y4m")
t_nuc=$(median_time nuc_bias)
size=$(wc -c <"$tmp/darks.y4m")
awk -v c="$t_cat" -v n="$t_nuc" -v size="$size" 'BEGIN {
	printf "crednuc bias (mean of 256 full frames, %.0f MB y4m): %.3f s, cat %.3f s: " \
	       "ratio cat/crednuc %.2f (goal >= 0.3)\n", size / 1e6, n, c, c / n
}'

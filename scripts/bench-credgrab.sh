#!/bin/sh
# credgrab speed and memory, measured side by side in one run (make bench):
#   1. a replayed stream to raw stdout, against cat on the same bytes (goal >= 0.9)
#   2. a replayed stream to a FITS cube, against the C-RED One's full data
#      rate of 573 MB/s (320x256 pixels, 2 bytes, 3500 fps; goal >= 3)
#   3. peak memory for 1,000 and 100,000 frames (goal: the same)
#   4. credsim's paced stream at the camera's full rate (C-RED 3 full frame
#      at 600 fps, C-RED One at 3500 fps; BENCH_SECONDS each, default 10)
#      into every output format: frames dropped by cause (goal 0) and the
#      frame ring's high-water mark
# Files go to a RAM-backed folder when there is one, so the numbers are
# credgrab's and not the disk's. Nothing here is asserted.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
GEN="python3 tests/helpers/gen-stream.py"
RATE_CREDONE=573440000   # bytes per second: 320 * 256 * 2 * 3500

dir=
for d in /dev/shm "${TMPDIR:-/tmp}"; do
	if [ -d "$d" ] && [ -w "$d" ]; then dir=$(mktemp -d "$d/credgrab-bench.XXXXXX"); break; fi
done
trap 'rm -rf "$dir"' EXIT INT TERM HUP PIPE

. "$(dirname "$0")/timing.sh"
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
mbs() { echo "$1 $2" | awk '{ printf "%.0f", $1 / $2 / 1e6 }'; }

echo "credgrab benchmark (files in $dir)"

# 1. replay to raw stdout against cat
$GEN -m cred3 --fast -n 2000 > "$dir/cred3.raw"
bytes=$(stat -c %s "$dir/cred3.raw")
cat "$dir/cred3.raw" > /dev/null
t_cat=$(median_time cat "$dir/cred3.raw")
t_grab=$(median_time credgrab -q -t 0 -m cred3 -s "file:$dir/cred3.raw" -o -)
echo "  raw to stdout: cat $(mbs "$bytes" "$t_cat") MB/s, credgrab $(mbs "$bytes" "$t_grab") MB/s:" \
     "ratio $(ratio "$t_cat" "$t_grab") (goal >= 0.9)"

# 2. replay to a FITS cube against the C-RED One's full rate
$GEN -m credone --fast -n 3000 > "$dir/credone.raw"
bytes=$(stat -c %s "$dir/credone.raw")
cat "$dir/credone.raw" > /dev/null
t_fits=$(median_time credgrab -q -t 0 --force -m credone -s "file:$dir/credone.raw" -o "$dir/cube.fits")
rate=$(echo "$bytes $t_fits" | awk '{ print $1 / $2 }')
# what the folder itself takes: a plain copy into a new file there
copy() { rm -f "$dir/copy.raw"; cat "$dir/credone.raw" > "$dir/copy.raw"; }
t_copy=$(median_time copy)
echo "  FITS cube: $(mbs "$bytes" "$t_fits") MB/s against the C-RED One's 573 MB/s:" \
     "ratio $(ratio "$rate" "$RATE_CREDONE") (goal >= 3)"
echo "    against a plain copy into a new file in the same folder ($(mbs "$bytes" "$t_copy") MB/s):" \
     "ratio $(ratio "$t_copy" "$t_fits") (goal >= 0.8)"
rm -f "$dir/cube.fits" "$dir/credone.raw" "$dir/copy.raw"

# 3. peak memory, small frames so 100,000 of them stay quick
peak_kb() {
	n=$1
	shift
	if [ -x /usr/bin/time ]; then
		$GEN -W 64 -H 16 --fast -n "$n" |
			/usr/bin/time -f %M credgrab -q -t 0 --force "$@" 2>&1 >/dev/null | tail -n 1
	else
		echo "?"
	fi
}
for out in "$dir/mem.fits" "-"; do
	a=$(peak_kb 1000 -m cred3 --width 64 --height 16 -s - -o "$out")
	b=$(peak_kb 100000 -m cred3 --width 64 --height 16 -s - -o "$out")
	what=$([ "$out" = - ] && echo "raw to stdout" || echo "FITS cube")
	echo "  peak memory, $what: 1,000 frames $a KiB, 100,000 frames $b KiB (goal: the same)"
done

# 4. the simulator's paced stream at full rate into each output format
SECS=${BENCH_SECONDS:-10}
# the JSON summary credgrab left at the end of $1, as one line of figures
figures() {
	python3 - "$1" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
i = text.rfind("\n{\n")
try:
    o = json.loads(text[i + 1:] if i >= 0 else text[text.index("{"):])
except ValueError:
    sys.exit("no summary: " + text.strip().replace("\n", " ")[:200])
d, r = o["dropped"], o["ring"]
print("%d frames, dropped %d by the camera + %d ring full (goal 0), ring high-water "
      "%d of %d frames (%.0f of %.0f MiB)" % (o["frames"], d["camera"], d["ring_full"],
      r["high_water"], r["frames"], r["high_water_bytes"] / 2**20, r["bytes"] / 2**20))
EOF
}
full_rate() {
	model=$1 fps=$2 out=$3
	if [ "$out" = pipe ]; then
		grab="credgrab -q --allow-drops --duration $SECS --json=stderr -o - 2> '$dir/run.txt' | cat > '$dir/pipe.raw'"
	else
		grab="credgrab -q --allow-drops --duration $SECS --json -o '$dir/$out' > '$dir/run.txt' 2>&1"
	fi
	credsim -m "$model" -- sh -c "python3 tests/helpers/sim-frames.py query 'set fps $fps' \
		> /dev/null && $grab" || true
	echo "    $out: $(figures "$dir/run.txt")"
	rm -rf "$dir"/out* "$dir/pipe.raw" "$dir/run.txt"
}
for m in "cred3 600 C-RED 3 640x512" "credone 3500 C-RED One 320x256"; do
	set -- $m
	echo "  credsim's paced stream, $3 $4 $5 at $2 fps for $SECS s, into $dir:"
	for out in out.raw pipe out.y4m out.fits 'out-%05d.fits' out.fits.fz 'out-%05d.png'; do
		full_rate "$1" "$2" "$out"
	done
done

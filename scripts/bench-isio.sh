#!/bin/sh
# credgrab into a milk ImageStreamIO stream, measured in one run (make bench):
#   1. a replayed C-RED One stream into a stream (-o isio:NAME), against the
#      C-RED One's full data rate of 573 MB/s (goal >= 3)
#   2. peak memory for 1,000 and 100,000 frames into a stream (goal: the same)
# The stream lives in a RAM-backed folder when there is one (MILK_SHM_DIR).
# Nothing here is asserted.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
GEN="python3 tests/helpers/gen-stream.py"
RATE_CREDONE=573440000   # bytes per second: 320 * 256 * 2 * 3500

dir=
for d in /dev/shm "${TMPDIR:-/tmp}"; do
	if [ -d "$d" ] && [ -w "$d" ]; then dir=$(mktemp -d "$d/credgrab-isio-bench.XXXXXX"); break; fi
done
trap 'rm -rf "$dir"' EXIT INT TERM HUP PIPE
MILK_SHM_DIR=$dir
export MILK_SHM_DIR

. "$(dirname "$0")/timing.sh"
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }
mbs() { echo "$1 $2" | awk '{ printf "%.0f", $1 / $2 / 1e6 }'; }

echo "credgrab into an ImageStreamIO stream (in $dir)"

# 1. replay into a stream (reused after the first run, as in a pipeline)
$GEN -m credone --fast -n 3000 > "$dir/credone.raw"
bytes=$(stat -c %s "$dir/credone.raw")
cat "$dir/credone.raw" > /dev/null
t_isio=$(median_time credgrab -q -t 0 -m credone -s "file:$dir/credone.raw" -o isio:bench)
rate=$(echo "$bytes $t_isio" | awk '{ print $1 / $2 }')
t_cat=$(median_time cat "$dir/credone.raw")
# credgrab's own CPU seconds, which a loaded machine does not stretch
cpu=?
if [ -x /usr/bin/time ]; then
	cpu=$(/usr/bin/time -f "%U %S" credgrab -q -t 0 -m credone -s "file:$dir/credone.raw" \
		-o isio:bench 2>&1 >/dev/null | tail -n 1 | awk '{ print $1 + $2 }')
fi
echo "  replay into a stream: $(mbs "$bytes" "$t_isio") MB/s against the C-RED One's 573 MB/s:" \
     "ratio $(ratio "$rate" "$RATE_CREDONE") (goal >= 3)"
echo "    (cat of the same bytes: $(mbs "$bytes" "$t_cat") MB/s; credgrab used $cpu s of CPU:" \
     "$([ "$cpu" = ? ] || [ "$cpu" = 0 ] && echo "?" || mbs "$bytes" "$cpu") MB/s of CPU time)"
rm -f "$dir/credone.raw"

# 2. peak memory, small frames so 100,000 of them stay quick
peak_kb() {
	if [ -x /usr/bin/time ]; then
		$GEN -W 64 -H 16 --fast -n "$1" |
			/usr/bin/time -f %M credgrab -q -t 0 -m cred3 --width 64 --height 16 -s - \
				--isio-buffer 16 -o isio:mem 2>&1 >/dev/null | tail -n 1
	else
		echo "?"
	fi
}
a=$(peak_kb 1000)
b=$(peak_kb 100000)
echo "  peak memory into a stream: 1,000 frames $a KiB, 100,000 frames $b KiB (goal: the same)"

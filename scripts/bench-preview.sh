#!/bin/sh
# The 8-bit preview's cost (make bench): a replayed C-RED 3 full-frame
# stream to standard output as the exact y4m stream and as the y4m8
# preview (percentiles, smoothing, the stretch), side by side; time per
# frame and the preview's rate against the camera's fastest full-frame
# rate, 600 fps (goal >= 1: a live view keeps up with the camera). Nothing
# here is asserted.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
N=1200

dir=$(mktemp -d "${TMPDIR:-/tmp}/credgrab-preview-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM HUP PIPE
python3 tests/helpers/gen-stream.py -m cred3 --fast -n "$N" > "$dir/cred3.raw"
cat "$dir/cred3.raw" > /dev/null

. "$(dirname "$0")/timing.sh"
grab() { credgrab -q -t 0 -m cred3 -s "file:$dir/cred3.raw" -f "$1" -o -; }
t16=$(median_time grab y4m)
t8=$(median_time grab y4m8)
echo "preview benchmark: $N C-RED 3 frames of 640x512 to standard output"
echo "$t16 $t8 $N" | awk '{
	printf "  y4m  %.3f ms a frame (%.0f fps)\n", 1000 * $1 / $3, $3 / $1
	printf "  y4m8 %.3f ms a frame (%.0f fps): %.3f ms more than y4m, %.2f times its time\n",
		1000 * $2 / $3, $3 / $2, 1000 * ($2 - $1) / $3, $2 / $1
	printf "  y4m8 against the camera'"'"'s 600 fps: ratio %.2f (goal >= 1)\n", $3 / $2 / 600 }'

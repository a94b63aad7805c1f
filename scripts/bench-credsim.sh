#!/bin/sh
# credsim frame generation (make bench): frames produced unpaced and read
# back through the frame socket by a reader that throws them away (one
# recv() copy, tests/helpers/sim-frames.py drain), against
# each model's full-frame rate (C-RED 3: 600 fps at 640x512; C-RED One:
# 3500 fps at 320x256). Goal: a ratio of at least 2. The median of
# BENCH_RUNS runs (scripts/timing.sh); nothing here is asserted.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
SF="$PWD/tests/helpers/sim-frames.py"
export SF
. scripts/timing.sh

dir=$(mktemp -d "${TMPDIR:-/tmp}/credsim-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT INT TERM
cd "$dir"
export TMPDIR="$dir"
python3 "$SF" fill bias.bin 640 512 1500
python3 "$SF" fill flat.bin 640 512 0x2100

# read_time MODEL FRAMES FRAME-BYTES [CAMERA-COMMAND...]: seconds to read
# that many frames (credsim's start-up is not counted). A command "files"
# uploads bias.bin and flat.bin first.
read_time() {
	model=$1
	n=$(($2 * $3))
	shift 3
	credsim -m "$model" --no-pacing -- sh -c '
		n=$1
		shift
		if [ "${1-}" = files ]; then
			shift
			python3 "$SF" sendfile bias bias.bin && python3 "$SF" sendfile flat flat.bin ||
				exit 1
		fi
		[ $# -eq 0 ] || python3 "$SF" query "$@" > /dev/null || exit 1
		exec python3 "$SF" drain "$CRED_SIM_FRAMES" "$n"' sh "$n" "$@"
}

# bench LABEL CAMERA-FPS MODEL FRAMES FRAME-BYTES [CAMERA-COMMAND...]
bench() {
	label=$1 cam=$2 frames=$4 bytes=$5
	shift 2
	t=$(median_of read_time "$@")
	echo "$frames $bytes $cam $t" | awk -v label="$label" '{
		fps = $1 / $4
		printf "  %s: %.0f fps, %.0f MB/s: ratio to the camera'\''s %d fps %.2f (goal >= 2)\n",
			label, fps, fps * $2 / 1e6, $3, fps / $3 }'
}

echo "credsim benchmark (unpaced frames read through the frame socket)"
C3=$((640 * 512 * 2))
ONE=$((320 * 256 * 2))
bench "C-RED 3 640x512" 600 cred3 3000 $C3
bench "C-RED 3 640x512, bias and flat on" 600 cred3 3000 $C3 files "set bias on" "set flat on"
bench "C-RED One 320x256, CDS (the factory mode)" 3500 credone 15000 $ONE
bench "C-RED One 320x256, single read" 3500 credone 15000 $ONE "set mode globalresetsingle"

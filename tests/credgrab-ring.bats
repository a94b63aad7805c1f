#!/usr/bin/env bats
# credgrab's frame ring against credsim's paced stream: an output that
# pauses (a pipe nobody reads yet, writes held by tests/shim/hold-writes.c)
# is absorbed by a ring large enough, a ring too small drops frames counted
# exactly and apart from the camera's, and Ctrl-C drains the ring (a second
# one stops at once). Every wait is on an event (what credsim says it has
# delivered); nothing here measures time.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
GATE="$BATS_TEST_DIRNAME/helpers/ring-gate.py"
SHIM="$CRED_TEST_BUILD/tests/hold-writes.so"
export SF GATE SHIM
# 640x64 frames at 100 fps: 8 MB/s, a frame larger than a pipe's buffer
W=640
H=64
FS=$((W * H * 2))
export FS
SETUP=("set cropping columns 0-639" "set cropping rows 0-63" "set cropping on" "set fps 100")

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

# credsim with a bound on the whole run
grab_sim() {
	timeout 300 credsim "$@"
}

# KEY of the JSON summary credgrab left at the end of FILE (dots go down)
json_of() {
	python3 - "$1" "$2" <<'EOF2'
import json, sys
text = open(sys.argv[1]).read()
obj = json.loads(text[text.rindex("\n{\n") + 1:] if "\n{\n" in text else text[text.index("{"):])
for k in sys.argv[2].split("."):
    obj = obj[k]
print(obj)
EOF2
}

# the frames of a C-RED 3 FITS cube (big-endian int16) as camera bytes
fits_to_raw() {
	python3 - "$1" "$2" <<'EOF2'
import sys
data = open(sys.argv[1], "rb").read()
keys, off = {}, 0
while True:
    card = data[off:off + 80].decode("ascii")
    off += 80
    if card.startswith("END "):
        break
    if "=" in card[:10]:
        keys[card[:8].strip()] = card[10:].split("/")[0].strip()
start = (off + 2879) // 2880 * 2880
n = int(keys["NAXIS1"]) * int(keys["NAXIS2"]) * int(keys["NAXIS3"]) * 2
px = bytearray(data[start:start + n])
px[0::2], px[1::2] = px[1::2], px[0::2]
open(sys.argv[2], "wb").write(px)
EOF2
}

# counters of FILE's frames: "FIRST LAST COUNT"
span() {
	python3 "$SF" subset "$1" sent.raw "$W" "$H" |
		awk 'NR == 1 { f = $1 } { l = $1; n++ } END { print f, l, n }'
}

@test "a ring large enough absorbs a pipe read late: 0 dropped, the frames sent byte for byte" {
	run grab_sim --stream-copy sent.raw -- sh -c 'python3 "$SF" query "$@" > /dev/null &&
		credgrab -n 80 --buffer 8M -o - --json=stderr 2> err.txt |
		python3 "$GATE" 60 "$FS" copy > got.raw' sh "${SETUP[@]}"
	assert_success
	run cat err.txt
	assert_output --partial "80 frames of 640x64"
	assert_output --partial " 0 dropped"
	[ "$(json_of err.txt dropped.ring_full)" = 0 ]
	[ "$(json_of err.txt dropped.camera)" = 0 ]
	[ "$(json_of err.txt ring.frames)" = $((8 * 1048576 / FS)) ]
	# the ring held what the pipe did not take
	[ "$(json_of err.txt ring.high_water)" -ge 20 ]
	[ "$(stat -c %s got.raw)" -eq $((80 * FS)) ]
	cmp got.raw <(head -c $((80 * FS)) sent.raw)
}

@test "a ring too small drops frames with the ring full, counted exactly, and says why" {
	run grab_sim --stream-copy sent.raw -- sh -c 'python3 "$SF" query "$@" > /dev/null &&
		{ credgrab -n 30 --buffer $((4 * FS)) -o - --json=stderr 2> err.txt; echo $? > rc; } |
		python3 "$GATE" 40 "$FS" copy > got.raw' sh "${SETUP[@]}"
	assert_success
	[ "$(cat rc)" = 1 ]
	run cat err.txt
	assert_output --partial "30 frames of 640x64"
	assert_output --partial "with the ring full)"
	assert_output --partial "the output is too slow for the frame rate"
	assert_output --partial "--allow-drops accepts this"
	full=$(json_of err.txt dropped.ring_full)
	[ "$full" -gt 0 ]
	[ "$(json_of err.txt dropped.camera)" = 0 ]
	[ "$(json_of err.txt ring.frames)" = 4 ]
	[ "$(json_of err.txt ring.high_water)" = 4 ]
	[ "$(json_of err.txt acquired)" = $((30 + full)) ]
	# every frame written was sent, in order; the gaps are the drops, exactly
	[ "$(stat -c %s got.raw)" -eq $((30 * FS)) ]
	read -r first last n < <(span got.raw)
	[ "$n" = 30 ]
	[ $((last - first + 1 - n)) = "$full" ]
	# a ring that cannot hold a frame is a usage error
	run credgrab -s sent.raw -m cred3 --width 640 --height 64 --buffer 1k -o x.raw
	assert_failure 2
	assert_output --partial "holds no frame of 81920 bytes"
}


@test "Ctrl-C with the ring full: the ring is drained, every frame acquired is in the cube" {
	run grab_sim --stream-copy sent.raw -- sh -c 'python3 "$SF" query "$@" > /dev/null || exit 1
		sh -c '\''echo $$ > pid; CRED_TEST_HOLD=$PWD/hold LD_PRELOAD=$SHIM exec credgrab \
			-t 0 --buffer $((4 * FS)) --allow-drops --json=stderr -o cube.fits'\'' 2> err.txt &
		python3 "$GATE" 8 "$FS" && touch hold &&
		python3 "$GATE" 40 "$FS" && kill -INT "$(cat pid)" && rm hold
		wait $!' sh "${SETUP[@]}"
	assert_success
	fitsverify -q cube.fits
	frames=$(json_of err.txt frames)
	full=$(json_of err.txt dropped.ring_full)
	[ "$full" -gt 0 ]
	[ "$(json_of err.txt dropped.unwritten)" = 0 ]
	[ "$(json_of err.txt dropped.camera)" = 0 ]
	[ "$(json_of err.txt acquired)" = $((frames + full)) ]
	[ "$(fits_key cube.fits NAXIS3)" = "$frames" ]
	fits_to_raw cube.fits got.raw
	[ "$(stat -c %s got.raw)" -eq $((frames * FS)) ]
	read -r first last n < <(span got.raw)
	[ "$n" = "$frames" ]
	[ $((last - first + 1 - n)) -le "$full" ]
	[ -z "$(ls -A | grep '^\.credtools-')" ]
}

@test "a second Ctrl-C stops at once: a valid cube, the frames left in the ring counted" {
	run grab_sim -- sh -c 'python3 "$SF" query "$@" > /dev/null || exit 1
		sh -c '\''echo $$ > pid; CRED_TEST_HOLD=$PWD/hold LD_PRELOAD=$SHIM exec credgrab \
			-t 0 --buffer $((8 * FS)) --allow-drops --json=stderr -o cube.fits'\'' 2> err.txt &
		python3 "$GATE" 8 "$FS" && touch hold &&
		python3 "$GATE" 40 "$FS" && kill -INT "$(cat pid)" && kill -INT "$(cat pid)" && rm hold
		wait $!' sh "${SETUP[@]}"
	assert_failure 130 # cut short: 128 + SIGINT, the file whole all the same
	fitsverify -q cube.fits
	frames=$(json_of err.txt frames)
	left=$(json_of err.txt dropped.unwritten)
	[ "$left" -gt 0 ]
	[ "$(json_of err.txt acquired)" = $((frames + left + $(json_of err.txt dropped.ring_full))) ]
	[ "$(fits_key cube.fits NAXIS3)" = "$frames" ]
	run cat err.txt
	assert_output --partial "left unwritten in the ring at the second interrupt"
}

@test "--json goes to standard output with a file, and is refused with frames on it" {
	python3 "$BATS_TEST_DIRNAME/helpers/gen-stream.py" -W 64 -H 16 -n 5 > s.raw
	run --separate-stderr credgrab -s s.raw -m cred3 --width 64 --height 16 -o out.raw --json
	assert_success
	echo "$output" > out.json
	[ "$(json_of out.json frames)" = 5 ]
	[ "$(json_of out.json format)" = raw ]
	[ "$(json_of out.json exit_status)" = 0 ]
	# a file waits for the writer: nothing dropped, a small ring
	[ "$(json_of out.json dropped.ring_full)" = 0 ]
	run credgrab -s s.raw -m cred3 --width 64 --height 16 -o - --json
	assert_failure 2
	assert_output --partial "use --json=stderr"
	for bad in "--json=xml" "--buffer 0" "--buffer 12x" "--buffer -1M" "--buffer 2s"; do
		run credgrab -s s.raw -m cred3 --width 64 --height 16 -o out2.raw $bad
		assert_failure 2
		assert_output --partial "Try 'credgrab --help'"
	done
	run credgrab -s s.raw -m cred3 --width 64 --height 16 -o out2.raw --buffer 100000G
	assert_failure 2
	assert_output --partial "more than the"
}

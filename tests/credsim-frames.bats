#!/usr/bin/env bats
# credsim's frame stream, read by credgrab through the simulator socket:
# geometry, pixel formats, readout modes, the correction chain, tags,
# triggered acquisition, synchronisation, pacing and faults. Byte-exact
# checks compare with what credsim says it sent (--stream-copy). Nothing
# here measures time; every wait is bounded.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
export SF
C3=$((640 * 512 * 2))

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

sf() {
	python3 "$SF" "$@"
}

# credsim with a bound on the whole run
sim() {
	timeout 300 credsim "$@"
}

# the counters of the frames in FILE (W H) follow one another
consecutive() {
	sf tags "$1" "$2" "$3" | awk 'NR > 1 && $1 != c + 1 { print "gap after " c; exit 1 } { c = $1 }'
}

# FILE is the start of what was sent
sent_prefix() {
	cmp "$1" <(head -c "$(stat -c %s "$1")" "$2")
}

@test "credsim -- credgrab reads the simulator's stream with no option, byte for byte" {
	run sim --no-pacing --stream-copy sent.raw -- credgrab -n 10 -o got.raw
	assert_success
	assert_output --partial "10 frames of 640x512"
	assert_output --partial " 0 dropped"
	[ "$(stat -c %s got.raw)" -eq $((10 * C3)) ]
	sent_prefix got.raw sent.raw
	# counter 0..9, pixel 2 zero (CDS), pixel 3: bits 15-3 set, medium gain (1)
	run sf tags got.raw 640 512
	assert_output "$(for i in $(seq 0 9); do echo "$i 0 65530"; done)"
	# 14-bit values before any correction, in a signed format
	read -r lo hi _ < <(sf stats got.raw 640 512 1)
	[ "$lo" -ge 0 ] && [ "$hi" -le 16383 ] && [ "$hi" -gt "$lo" ]
}

@test "the frame socket is exported in CRED_SIM_FRAMES and removed at the end" {
	run sim -- sh -c 'test -S "$CRED_SIM_FRAMES" && echo "$CRED_SIM_FRAMES"'
	assert_success
	assert_output --regexp "^$TMPDIR/credsim-[0-9]+/frames\$"
	[ ! -e "$output" ]
	[ -z "$(ls -A "$TMPDIR")" ]
	run sim --no-frames -- sh -c 'echo "[${CRED_SIM_FRAMES-unset}]"'
	assert_output "[unset]"
	run sim --no-pty --frames "$BATS_TEST_TMPDIR/my.sock" -- sh -c \
		'test -S my.sock && exec credgrab -s "sim:$BATS_TEST_TMPDIR/my.sock" -n 2 -o two.raw'
	assert_success
	[ "$(stat -c %s two.raw)" -eq $((2 * C3)) ]
	[ ! -e my.sock ]
	# without the simulator there is no default socket
	run env -u CRED_SIM_FRAMES credgrab -s sim -m cred3 -n 1 -o x.raw
	assert_failure 2
	assert_output --partial "no simulator socket"
}

@test "the same seed gives the same stream; another seed another" {
	sim --no-pacing --seed 7 -- credgrab -n 4 -o a.raw -q
	sim --no-pacing --seed 7 -- credgrab -n 4 -o b.raw -q
	sim --no-pacing --seed 8 -- credgrab -n 4 -o c.raw -q
	cmp a.raw b.raw
	run cmp -s a.raw c.raw
	assert_failure
	# and every frame is new: the noise follows the counter
	run cmp -s <(head -c $C3 a.raw | tail -c +9) <(head -c $((2 * C3)) a.raw | tail -c $((C3 - 8)))
	assert_failure
}

@test "C-RED 3 croppings: the window decides the geometry" {
	local crop cols rows w h
	for crop in "64-127 0-15" "0-639 100-103" "320-639 256-511" "32-63 508-511"; do
		read -r cols rows <<<"$crop"
		w=$((${cols#*-} - ${cols%-*} + 1))
		h=$((${rows#*-} - ${rows%-*} + 1))
		rm -f got.raw sent.raw
		run sim --no-pacing --stream-copy sent.raw -- sh -c "python3 \"\$SF\" query \
			'set cropping columns $cols' 'set cropping rows $rows' 'set cropping on' \
			> /dev/null && exec credgrab -n 4 -o got.raw -v"
		assert_success
		assert_output --partial "${w}x${h} signed frames, C-RED 3 tags"
		[ "$(stat -c %s got.raw)" -eq $((4 * w * h * 2)) ]
		sent_prefix got.raw sent.raw
		consecutive got.raw "$w" "$h"
	done
}

# one_mode W H EXPECTED-PIXEL2 CAMERA-COMMAND...: a C-RED One readout,
# six frames; checks the geometry, the bytes, the tags
one_mode() {
	local w=$1 h=$2 want=$3
	shift 3
	rm -f got.raw sent.raw
	run sim -m credone --no-pacing --stream-copy sent.raw -- sh -c \
		'python3 "$SF" query "$@" > /dev/null && exec credgrab -n 6 -o got.raw -v' sh "$@"
	assert_success
	assert_output --partial "${w}x${h} unsigned frames, C-RED One tags"
	[ "$(stat -c %s got.raw)" -eq $((6 * w * h * 2)) ]
	sent_prefix got.raw sent.raw
	consecutive got.raw "$w" "$h"
	[ "$(sf tags got.raw "$w" "$h" | awk '{ printf "%s ", $2 }')" = "$want" ]
}

@test "C-RED One readout modes: raw row widths and read positions" {
	# processed CDS and single reads (the factory mode): one frame per exposure
	one_mode 320 256 "0 0 0 0 0 0 " "set mode globalresetcds"
	one_mode 320 256 "0 0 0 0 0 0 " "set mode globalresetsingle"
	one_mode 320 256 "0 0 0 0 0 0 " "set mode rollingresetsingle"
	# raw images: every read a frame, pixel 2 counts the reads
	one_mode 320 256 "1 2 1 2 1 2 " "set mode globalresetcds" "set rawimages on"
	one_mode 320 256 "1 2 3 4 1 2 " "set mode globalresetbursts" "set nbreadworeset 4" \
		"set rawimages on"
	one_mode 320 256 "0 0 0 0 0 0 " "set mode globalresetbursts" "set nbreadworeset 4"
	# rolling Nreadout, N=2, two column blocks: 2*2*64 + 64*2 pixels a row
	one_mode 384 8 "0 0 0 0 0 0 " "set cropping columns 1-2" "set cropping rows 1-8" \
		"set cropping on" "set mode rollingresetnro" "set nbreadworeset 2"
	# 32 invalid pixels between the reads, 64 between the groups
	assert_equal "$(sf column-values got.raw 384 8 64 96)" 0
	assert_equal "$(sf column-values got.raw 384 8 160 224)" 0
	assert_equal "$(sf column-values got.raw 384 8 288 320)" 0
	# IOTA: 2 line reads of 2 samples of 2 blocks, 32 invalid pixels between
	# the line reads, bursts of 3 frames
	one_mode 288 4 "1 2 3 1 2 3 " "set cropping columns 1,3" "set cropping rows 1-4" \
		"set cropping on" "set mode rollingresetiota" "set nloop 2" "set nsamplepixel 2" \
		"set nbreadworeset 3"
	assert_equal "$(sf column-values got.raw 288 4 128 160)" 0
}

@test "C-RED One pixels are unsigned and follow the e-APD gain" {
	local m1 m30
	# in CDS the reset level is subtracted: what is left scales with the gain
	sim -m credone --no-pacing -- sh -c 'python3 "$SF" query "set mode globalresetcds" > /dev/null &&
		exec credgrab -n 1 -o g1.raw -q'
	sim -m credone --no-pacing -- sh -c 'python3 "$SF" query "set mode globalresetcds" \
		"set gain 30" > /dev/null && exec credgrab -n 1 -o g30.raw -q'
	# medians: hot pixels saturate at any gain
	read -r _ _ _ m1 < <(sf stats g1.raw 320 256 0)
	read -r _ _ _ m30 < <(sf stats g30.raw 320 256 0)
	[ "$m30" -gt $((5 * m1 + 5)) ]
}

# a 64x16 C-RED 3 window: a quicker frame for pixel-by-pixel checks
WINDOW=("set cropping columns 64-127" "set cropping rows 0-15" "set cropping on")

@test "the correction chain: bias, then flat, then the ADU offset, in signed pixels" {
	sf fill bias.bin 640 512 2000
	sf fill flat.bin 640 512 0x4000
	sim --no-pacing --seed 3 -- sh -c 'python3 "$SF" query "$@" > /dev/null &&
		exec credgrab -n 4 -o raw.raw -q' sh "${WINDOW[@]}"
	run sim --no-pacing --seed 3 -- sh -c 'python3 "$SF" sendfile bias bias.bin &&
		python3 "$SF" sendfile flat flat.bin &&
		python3 "$SF" query "$@" "set bias on" "set flat on" "set aduoffset 100" > /dev/null &&
		exec credgrab -n 4 -o corr.raw -q' sh "${WINDOW[@]}"
	assert_success
	# flat 0x4000 is a gain of 2.0: (raw - 2000) * 2 + 100, clamped to int16
	run sf chain raw.raw corr.raw 64 16 2000 16384 100 -32768 32767
	assert_success
	read -r lo _ _ < <(sf stats corr.raw 64 16 1)
	[ "$lo" -lt 0 ]
}

@test "bad pixel correction comes first: a pixel of the user map takes its left neighbour" {
	python3 -c 'import sys; m = bytearray(40960); m[(5 * 640 + 100) // 8] |= 0x80 >> (100 % 8)
sys.stdout.buffer.write(m)' > bpm.bin
	sim --no-pacing -- sh -c 'python3 "$SF" query "$@" "set badpixel off" > /dev/null &&
		exec credgrab -n 3 -o off.raw -q' sh "${WINDOW[@]}"
	sim --no-pacing -- sh -c 'python3 "$SF" sendfile userbadpixel bpm.bin &&
		python3 "$SF" query "$@" "set badpixel on" > /dev/null &&
		exec credgrab -n 3 -o on.raw -q' sh "${WINDOW[@]}"
	# pixel (100, 5) is (36, 5) in the window starting at column 64
	run sf same-but off.raw on.raw 64 16 36 5
	assert_success
}

@test "C-RED 3 HDR extended sends unsigned pixels" {
	# uncorrected hot pixels show the top of the unsigned range
	run sim --no-pacing -- sh -c 'python3 "$SF" query "set hdr on" "set hdr extended on" \
		"set badpixel off" > /dev/null && exec credgrab -n 2 -o hdr.raw -v'
	assert_success
	assert_output --partial "640x512 unsigned frames, C-RED 3 tags"
	read -r lo hi _ < <(sf stats hdr.raw 640 512 0)
	[ "$lo" -ge 0 ] && [ "$hi" -eq 65535 ]
}

# mean C-RED 3 level in the window after COMMANDS
level() {
	rm -f lvl.raw
	sim --no-pacing -- sh -c 'python3 "$SF" query "$@" > /dev/null &&
		exec credgrab -n 1 -o lvl.raw -q' sh "${WINDOW[@]}" "set fps 100" "$@"
	sf stats lvl.raw 64 16 1 | awk '{ print $3 }'
}

@test "the signal follows integration time, sensibility and sensor temperature" {
	local short long low high cold warm
	short=$(level "set tint 0.0001")
	long=$(level "set tint 0.009")
	low=$(level "set tint 0.009" "set sensibility low")
	high=$(level "set tint 0.009" "set sensibility high")
	cold=$(level "set tint 0.009" "sim temperature snake 10")
	warm=$(level "set tint 0.009" "sim temperature snake 50")
	awk -v a="$short" -v b="$long" 'BEGIN { exit !(b > a) }'
	awk -v a="$low" -v b="$high" 'BEGIN { exit !(b > a) }'
	# dark current doubles every few degrees
	awk -v a="$cold" -v b="$warm" 'BEGIN { exit !(b > a + 10) }'
}

@test "without image tags the stream still starts on a frame boundary" {
	run sim --no-pacing --stream-copy sent.raw -- sh -c 'python3 "$SF" query "$@" \
		"set imagetags off" > /dev/null && exec credgrab -n 3 -o got.raw -v' sh "${WINDOW[@]}"
	assert_success
	assert_output --partial "64x16 signed frames, no tags"
	[ "$(stat -c %s got.raw)" -eq $((3 * 64 * 16 * 2)) ]
	sent_prefix got.raw sent.raw
}

@test "triggered acquisition: nbframesperswtrig frames per swtrig, none after swtrigabort" {
	run sim -- sh -c '
		q() { python3 "$SF" query "$@"; }
		# until `sim frames` says PATTERN (bounded)
		until_says() {
			for i in $(seq 300); do q "sim frames" | grep -q "$1" && return 0; sleep 0.1; done
			echo "never: $1"; q "sim frames"; return 1
		}
		q "set swsynchro on" "set nbframesperswtrig 3" > /dev/null || exit 9
		until_says "waiting for swtrig" || exit 9
		credgrab -t 3 -o got.raw 2> grab.err &
		until_says "^client" || exit 9
		q swtrig > /dev/null && until_says "waiting for swtrig" || exit 9
		q swtrig > /dev/null && until_says "waiting for swtrig" || exit 9
		wait $!
		echo "credgrab: $?"
		cat grab.err
		q "set fps 5" "set nbframesperswtrig 1000" swtrig > /dev/null
		q "sim frames" | grep "^state"
		q swtrigabort "sim frames" | grep "^state"'
	assert_success
	assert_line "credgrab: 3"
	assert_output --partial "credgrab: 6 frames of 640x512"
	assert_output --partial " 0 dropped"
	assert_line "state: streaming"
	assert_line "state: triggered acquisition (swsynchro on): waiting for swtrig"
	consecutive got.raw 640 512
	[ "$(stat -c %s got.raw)" -eq $((6 * C3)) ]
}

@test "extsynchro on: no frame, and credgrab says why" {
	run sim -- sh -c 'python3 "$SF" query "set extsynchro on" "sim frames" &&
		exec credgrab -n 1 -t 1 -o x.raw'
	assert_failure 3
	assert_output --partial "extsynchro is on: frames wait for an external synchronisation signal"
	assert_output --partial "credgrab: no data from 'sim:"
	assert_output --partial "(external synchronisation is on (extsynchro)"
}

@test "swsynchro on and no swtrig: credgrab says it waits for a trigger" {
	run sim -- sh -c 'python3 "$SF" query "set swsynchro on" && exec credgrab -n 1 -t 1 -o x.raw'
	assert_failure 3
	assert_output --partial "(triggered acquisition is on (swsynchro): the camera sends frames only after swtrig)"
	[ ! -e x.raw ]
}

@test "frames stop while the camera is not operational" {
	run sim -m credone -- sh -c 'python3 "$SF" query "set standby on" "sim frames" &&
		exec credgrab -n 1 -t 1 -o x.raw'
	assert_failure 3
	assert_output --partial "not operational (status: standby)"
	assert_output --partial "credgrab: no data from 'sim:"
	assert_output --partial "(the camera is 'standby', not operational)"
	run sim -- sh -c 'python3 "$SF" query "sim state safe" "sim frames"'
	assert_output --partial "not operational (status: safe)"
}

@test "a slow reader misses frames, the counter shows it, commands are still answered" {
	run sim -- sh -c '
		python3 "$SF" slow-read "$CRED_SIM_FRAMES" 2 $((160 * 655360)) > slow.raw &
		r=$!
		sleep 0.5
		python3 "$SF" query "fps raw" "sim frames"
		wait $r'
	assert_success
	assert_line "600"
	assert_line --regexp "^client 1: "
	# whole frames, aligned, counters rising with at least one gap (a
	# client's queue holds 64 MiB: about 100 frames)
	run sf tags slow.raw 640 512
	[ "${#lines[@]}" -eq 160 ]
	printf '%s\n' "${lines[@]}" | awk '$3 != 65530 { exit 1 } NR > 1 && $1 <= c { exit 1 }
		NR > 1 && $1 > c + 1 { gap = 1 } { c = $1 } END { exit !gap }'
}

@test "stream faults: drops counted exactly, corruption never misaligns, the camera gone" {
	run sim --no-pacing --stream-copy sent.raw --frame-fault drop:3@5 --frame-fault corrupt@12 \
		-- credgrab -n 12 --allow-drops -o got.raw
	assert_success
	# 5-7 dropped; 12 corrupted, and 11 cannot be confirmed before it
	assert_output --partial "12 frames of 640x512"
	assert_output --partial " 5 dropped"
	run sf subset got.raw sent.raw 640 512
	assert_success
	assert_output "$(printf '%s\n' 0 1 2 3 4 8 9 10 13 14 15 16)"
	# the camera goes: its stream ends after frame 4, a lost link (exit 3);
	# the frames before it are kept
	run sim --no-pacing --frame-fault gone@5 -- credgrab -n 10 -o gone.raw
	assert_failure 3
	assert_output --partial "the stream ended after 5 frames: the camera or its link is gone"
	assert_output --partial "5 frames of 640x512"
	[ "$(sf tags gone.raw 640 512 | awk '{ printf "%s ", $1 }')" = "0 1 2 3 4 " ]
	# a stall holds the stream back and loses nothing when unpaced
	run sim --no-pacing --frame-fault stall:300@2 -- credgrab -n 6 -o stall.raw
	assert_success
	assert_output --partial " 0 dropped"
}

@test "sim frames fault at run time; bad frame options are usage errors" {
	run sim --no-pacing -- sh -c 'python3 "$SF" query "sim frames fault drop:2@1" \
		"sim frames fault truncate:100@100000" > /dev/null &&
		credgrab -n 4 --allow-drops -o a.raw -q &&
		python3 "$SF" query "sim frames fault" "sim frames fault clear" "sim frames fault"'
	assert_success
	assert_line "drop:2@1 (fired 2)"
	assert_line "truncate:100@100000 (fired 0)"
	assert_line "no frame faults"
	run sf tags a.raw 640 512
	assert_output "$(printf '0 0 65530\n3 0 65530\n4 0 65530\n5 0 65530')"
	run sim --frame-fault bogus -- true
	assert_failure 2
	assert_output --partial "invalid frame fault 'bogus'"
	run sim --no-frames --stream-copy x.raw -- true
	assert_failure 2
	run sim --usb-transfer-size 2000 -- true
	assert_failure 2
	assert_output --partial "multiple of 1024"
	touch exists.raw
	run sim --stream-copy exists.raw -- true
	assert_failure 1
	assert_output --partial "'exists.raw' exists"
	[ -z "$(ls -A "$TMPDIR")" ]
}

#!/usr/bin/env bats
# Closer to the real cameras (issue 15): where the manuals say something
# the client and the simulator could both get wrong the same way, each
# side is checked on its own: firmware gates on writes, integration time
# granularity, the C-RED One readout speed rules, the gain lock, the getter
# and upload refusals, presets, the frame clock under --time-scale and the
# answer variants of real firmware.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credsim credgrab
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

teardown() {
	common_teardown
}

@test "firmware gates: HDR reads on 1.1.0, its writes refused; CC sources left to the camera" {
	start_sim cred3 --firmware 1.1.0
	run credctl get hdr hdr.extended hdr.calibration
	assert_success
	assert_output $'off\noff\noff'
	run credctl set hdr on
	assert_failure 1
	assert_output --partial "needs firmware 3.1.1"
	# the table says 1.1.1, the prose 1.1.0: credctl sends, the camera
	# (credsim follows the table) refuses with its own words
	run credctl set extsynchro.source cc1
	assert_failure 1
	assert_output --partial "camera rejected"
	run credctl set swsynchro.source external
	assert_failure 1
	stop_sim
	start_sim cred3 --firmware 1.1.1
	run credctl set extmarker.source cc2
	assert_success
	assert_output cc2
}

# hex of LEN bytes at OFFSET of FILE: "45 23 01 00"
bytes_at() {
	od -An -tx1 -v -j "$2" -N "$3" "$1" | xargs
}

@test "credsim's own tags match the bytes worked out from the manuals" {
	local kind model counter pixel2 cap marker want setup size w h n=0
	while IFS=$'\t' read -r kind model counter pixel2 cap marker want; do
		[ "$kind" = tags ] && [ $((counter)) -lt 4 ] || continue
		if [ "$model" = cred3 ]; then
			[ "$marker" = 0 ] || continue # no frame marker input here
			local sens=(high medium low)
			setup="set sensibility ${sens[$cap]}" size=8 w=640 h=512
		else
			setup="set mode globalresetsingle" size=6 w=320 h=256
			[ "$pixel2" = 0 ] || setup="set mode globalresetcds;set rawimages on"
		fi
		rm -f f.raw
		sim "$model" --no-pacing -- sh -c 'IFS=";"; for c in $1; do credctl raw "$c" >/dev/null || exit 9; done
			exec credgrab -n 4 -o f.raw -q' sh "$setup" || fail "grab for $counter"
		assert_equal "$(bytes_at f.raw $((counter * w * h * 2)) $size)" "$want"
		n=$((n + 1))
	done < "$BATS_TEST_DIRNAME/data/wire-vectors.tsv"
	[ "$n" -ge 5 ]
}

@test "credsim's own C-RED One row widths match the manual's" {
	local kind mode w nro nloop nsample row cols n=0
	while IFS=$'\t' read -r kind mode w nro nloop nsample row; do
		[ "$kind" = width ] || continue
		cols="set cropping off"
		[ "$w" = 320 ] || cols="set cropping columns 1-$((w / 32))"
		run sim credone -- sh -c 'for c in "$@"; do credctl raw "$c" >/dev/null || exit 9; done
			credctl raw "sim frames"' sh "$cols" "set cropping rows 1-8" "set cropping on" \
			"set nbreadworeset $nro" "set nloop $nloop" "set nsamplepixel $nsample" "set mode $mode"
		assert_success
		if [ "$row" = - ]; then
			assert_line --partial "format: none"
		else
			assert_line --partial "format: ${row}x8 "
		fi
		n=$((n + 1))
	done < "$BATS_TEST_DIRNAME/data/wire-vectors.tsv"
	[ "$n" -ge 11 ]
}

# maxfps of the C-RED One after COMMANDS
one_maxfps() {
	sim credone -- sh -c 'for c in "$@"; do credctl raw "$c" >/dev/null || exit 9; done
		exec credctl get maxfps' sh "$@"
}

# close A B: |A - B| <= 1e-4 * B
close() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= 1e-4 * b) }' ||
		fail "$1 is not $2"
}

@test "C-RED One speed rules: factory mode, CDS at half speed, NDR reads at the single read pace, IOTA as printed" {
	# start-up: "Global Reset Full Frame @3500FPS", unity gain
	run sim credone -- credctl get mode fps gain
	assert_success
	assert_output $'globalresetsingle\n3500\n1'
	single=$(one_maxfps)
	close "$single" 3500
	# CDS: "twice lower than the maximum frame rate in single read mode"
	close "$(one_maxfps 'set mode globalresetcds')" 1750
	# bursts of 4 reads at the single read pace
	close "$(one_maxfps 'set mode globalresetbursts' 'set nbreadworeset 4')" 875
	# IOTA, full frame, Nloop 3, Nsample 2: 10 MHz / 2 / ((10*3 + 3/2 + 2) * 259)
	# = 5e6 / 8676.5 = 576.2692
	close "$(one_maxfps 'set mode rollingresetiota' 'set nloop 3' 'set nsamplepixel 2')" 576.2692
	# 2 columns blocks, 8 rows, Nloop 2, Nsample 2: 5e6 / ((2*2 + 1.5 + 1) * 11)
	close "$(one_maxfps 'set cropping columns 1-2' 'set cropping rows 1-8' 'set cropping on' \
		'set mode rollingresetiota' 'set nloop 2' 'set nsamplepixel 2')" 69930.0699
	# the stream: raw burst reads one single read time (1/3500 s) apart
	run sim credone -- sh -c 'for c in "set mode globalresetbursts" "set nbreadworeset 4" \
		"set rawimages on" "set fps 100"; do credctl raw "$c" >/dev/null || exit 9; done
		credctl raw "sim frames"'
	assert_success
	assert_line "timing: an exposure every 0.010000000 s, its reads 0.000285714 s apart"
}

@test "--time-scale speeds slow processes, never the frame stream" {
	# 20 fps at a time scale of 100 would be 2000 full frames a second
	# (2.6 GB/s) if the frame clock followed simulated time
	run sim cred3 --time-scale 100 -- sh -c 'credctl set fps 20 >/dev/null &&
		credgrab -n 8 -o x.raw -q && credctl raw "sim frames"'
	assert_success
	assert_line "timing: a frame every 0.050000000 s"
	assert_line "pacing: the frame rate, in real time"
	[ "$(stat -c %s x.raw)" -eq $((8 * 640 * 512 * 2)) ]
	# counters one after the other: nothing dropped
	od -An -tu2 -w655360 -v x.raw | awk '{ c = $1 + 65536 * $2; if (NR > 1 && c != p + 1) exit 1; p = c }'
}

@test "integration time granularity: the camera keeps its step, credctl says so" {
	# on: 50 clocks of 18.214 MHz = 2.74514e-6 s; 0.0001234 s is 44.95
	# steps, kept as 45: 0.000123531 s
	run --separate-stderr sim cred3 -- credctl set tint 0.0001234
	assert_success
	close "$output" 0.00012353135
	[[ $stderr == *"the camera kept tint $output, not the 0.0001234 asked"* ]] || fail "stderr: $stderr"
	# off: one clock (54.9 ns): 2247.5 clocks, kept as 2248 = 0.000123422 s
	run --separate-stderr sim cred3 -- credctl set tintgranularity off tint 0.0001234
	assert_success
	close "${lines[1]}" 0.000123421544
	# a value on the step (45 steps, as the camera printed it) is kept
	# as asked, without a word
	run --separate-stderr sim cred3 -- credctl set tint 0.00012353135
	assert_success
	assert_output 0.00012353135
	assert_equal "$stderr" ""
}

@test "gain above the lock: the camera clamps, credctl tells" {
	run --separate-stderr sim credone -- sh -c 'credctl set gain 80 && credctl get maxpossiblegain'
	assert_success
	assert_output $'60\n60'
	[[ $stderr == *"the camera kept gain 60, not the 80 asked (clamped at its limit)"* ]] ||
		fail "stderr: $stderr"
	# the simulator says so itself
	run sim credone -- credctl raw set gain 75
	assert_success
	assert_output --partial "Gain locked to 60"
	run --separate-stderr sim credone -- credctl set gain 30
	assert_success
	assert_output 30
	assert_equal "$stderr" ""
}

@test "getter regeneration: the camera itself refuses a cold start and any interruption" {
	start_sim credone --state operational
	# credctl raw bypasses credctl's own checks: these are the camera's
	run credctl raw exec redovacuum
	assert_failure 1
	assert_output --partial "set cooling off and let it warm up"
	credctl raw set cooling off
	[ "$(credctl raw status raw)" = ready ]
	run credctl raw exec redovacuum
	assert_failure 1
	assert_output --partial "room temperature with cooling off (cryostat at 80 K"
	# 90 minutes to warm up from 80 K
	credctl raw sim advance 6000 >/dev/null
	run credctl raw exec redovacuum
	assert_success
	[ "$(credctl raw status raw)" = vacuumrege ]
	# "CAN NOT BE INTERRUPTED"
	run credctl raw shutdown
	assert_failure 1
	assert_output --partial "it cannot be interrupted"
	run credctl raw restorefactory
	assert_failure 1
	assert_output --partial "it cannot be interrupted"
	[ "$(credctl raw status raw)" = vacuumrege ]
	# once done, shutdown is taken again
	credctl raw sim advance 7300 >/dev/null
	run credctl raw shutdown
	assert_success
}

@test "uploads the camera refuses: a bias above 16383, a file of the wrong size" {
	local SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
	python3 "$SF" fill ok.bin 640 512 16383
	python3 "$SF" fill high.bin 640 512 100
	# pixel 1000 is 16384: 0x4000, little endian 00 40
	printf '\000\100' | dd of=high.bin bs=1 seek=2000 conv=notrunc status=none
	head -c $((640 * 512 * 2 - 2)) ok.bin > short.bin
	start_sim cred3
	export CRED_SIM_TCP=$SIM_TCP
	# straight to the camera, past any check of our own tools
	run python3 "$SF" sendfile bias high.bin
	assert_failure
	assert_output --partial "bias file pixel 1000 is 16384, outside 0-16383"
	run python3 "$SF" sendfile bias_hdr_c1 high.bin
	assert_failure
	assert_output --partial "outside 0-16383"
	run python3 "$SF" sendfile flat short.bin
	assert_failure
	assert_output --partial "flat file must be 655360 bytes"
	run python3 "$SF" sendfile bias ok.bin
	assert_success
	run credctl raw sim files
	assert_output --partial "bias"
}

@test "presets: bare 'preset' (reload in the prose, read in the table) is never sent" {
	run sim cred3 -v -- sh -c 'credctl preset && credctl -y preset 2 && credctl preset reload &&
		credctl get preset && credctl set preset 1 && credctl status >/dev/null'
	assert_success
	# what the camera received, from its own log
	local log=$output
	[ "$(grep -c "'preset raw' ->" <<<"$log")" -ge 5 ]
	grep -q "'set preset' ->" <<<"$log"
	grep -q "'set preset 2' ->" <<<"$log"
	run grep -E "credsim: .*: 'preset' ->" <<<"$log"
	assert_failure
	# the check itself can see a bare preset
	run sim cred3 -v -- credctl raw preset
	assert_success
	assert_output --regexp "credsim: .*: 'preset' ->"
}

@test "answer variants: Result:OK, syntax error in any case, event lines without 'event'" {
	start_sim cred3
	run credctl raw sim variant result-nospace
	assert_output "Result:OK"
	run credctl set fps 100 tint 0.001
	assert_success
	run --separate-stderr credctl -y preset 2
	assert_success
	assert_output 2
	local v
	for v in syntax-lower syntax-upper; do
		credctl raw sim variant "$v" >/dev/null
		run credctl raw frobnicate
		assert_failure 1
		assert_output --partial "camera rejected 'frobnicate'"
		run credctl set agc.priority overexposed
		assert_success
	done
	run credctl raw sim variant
	assert_output $'result-nospace\nsyntax-upper'
	run credctl raw sim variant nonsense
	assert_failure 1
	credctl raw sim variant clear >/dev/null
	credctl raw sim variant event-bare >/dev/null
	credctl raw set events on >/dev/null
	# the events come right after this command's answer, as bare lines:
	# reported, not taken for its answer or the next one
	run --separate-stderr credctl raw sim temperature CPU 95
	assert_success
	assert_output "Result: OK"
	[[ $stderr == *"warning: CPU temperature 95.0 C above 85 C"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"status changed to safe"* ]] || fail "stderr: $stderr"
	run --separate-stderr credctl get fps
	assert_success
	assert_output --regexp '^[0-9.]+$'
	run credctl --json raw status
	assert_success
	assert_output --partial safe
}

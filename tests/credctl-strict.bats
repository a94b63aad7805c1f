#!/usr/bin/env bats
# Strict answers: no silent wrong data from the line. A byte lost on a
# serial line turns 600 into 60, operational into oational, 0-319 into
# -319. Every answer a tool uses is checked against the form the manual
# gives; out of form it is asked once more, else it is reported as garbled
# (exit 3) with what came. Values that decide the frames' geometry or go
# into files are read twice and must agree. A late tail of one answer is
# never shown as the next value. `sim fault` proves each fault fired.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credsim credgrab
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

# ---- credctl status ----

@test "status: a frame rate cut short (600 -> 60 or 00) is read again, never shown" {
	run --separate-stderr sim cred3 --fault 'drop:1/fps@1' -- sh -c 'credctl status && credctl raw sim fault'
	assert_success
	assert_line --regexp '^frame rate: +600 Hz$'
	refute_line --regexp '^frame rate: +(60|00) Hz$'
	assert_output --partial "(matched 3, fired 1)"
}

@test "status: a state word cut short is asked again; cut twice it is garbled (exit 3), not shown" {
	run --separate-stderr sim cred3 --fault 'drop/status@1' -- sh -c 'credctl status && credctl raw sim fault'
	assert_success
	assert_line --regexp '^state: +operational$'
	assert_output --partial "(matched 2, fired 1)"
	run --separate-stderr sim cred3 --fault 'drop/status@1' --fault 'drop/status@2' -- credctl status
	assert_failure 3
	refute_output --partial "state:"
	refute_output --partial "frame rate:"
	[[ $stderr == *"garbled answer to 'status raw' (asked twice): \""* ]] || fail "stderr: $stderr"
	[[ $stderr == *"(expected one of starting, configuring, operational,"* ]] || fail "stderr: $stderr"
}

@test "status on the C-RED One: a state cut short is garbled, the readout mode is read twice" {
	run --separate-stderr sim credone --fault 'drop:4/status@1' --fault 'drop:4/status@2' -- credctl status
	assert_failure 3
	[[ $stderr == *"garbled answer to 'status raw' (asked twice)"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"poorvacuum"* ]] || fail "the C-RED One's states: $stderr"
	run --separate-stderr sim credone --fault 'drop:3/mode@1' -- sh -c 'credctl status && credctl raw sim fault'
	assert_success
	assert_line --regexp '^readout mode: +globalresetsingle$'
	assert_output --partial "fired 1"
}

@test "status under a late tail on every answer: every value is the camera's own" {
	sim cred3 -- credctl status >clean.txt
	run --separate-stderr sim cred3 --fault late-tail -- credctl status
	assert_success
	[ "$output" = "$(cat clean.txt)" ] || fail "late tails changed the report: $output"
}

# ---- credctl get / set ----

@test "get: a value out of the manual's form is asked again, twice out of form it is garbled" {
	# "medium" minus 3 bytes is no sensibility; asked twice, both cut.
	run --separate-stderr sim cred3 --fault 'drop/sensibility@1' --fault 'drop/sensibility@2' -- \
		credctl get sensibility
	assert_failure 3
	assert_output ""
	[[ $stderr == *"garbled answer to 'sensibility raw' (asked twice): \""*"(expected one of low, medium, high)"* ]] ||
		fail "stderr: $stderr"
	# Once cut, then clean: the right value, exit 0.
	run --separate-stderr sim cred3 --fault 'drop/sensibility@1' -- credctl get sensibility
	assert_success
	assert_output medium
}

@test "get: two readings that disagree are read a third time; no two alike is garbled" {
	# fps goes into files: read twice. 600 cut once: the third read decides.
	run --separate-stderr sim cred3 --fault 'drop:1/fps@2' -- sh -c 'credctl get fps && credctl raw sim fault'
	assert_success
	assert_line --index 0 600
	assert_output --partial "fired 1"
	# A window cut into another valid window (0-639 -> 0-63x) then into
	# nothing: what came is in the message, nothing on stdout.
	run --separate-stderr sim cred3 --fault 'drop:3/cropping columns@2' \
		--fault 'drop:5/cropping columns@3' --fault 'drop:5/cropping columns@4' -- credctl get cropping.columns
	assert_failure 3
	assert_output ""
	[[ $stderr == *"garbled answer"*"cropping columns raw"* ]] || fail "stderr: $stderr"
}

@test "get: a measurement cut on the line is read again; it must keep its layout" {
	# 27.50 C cut by one byte: 7.50, 2.50, 27.0, 27.5 (another layout) or
	# 2750 (no temperature): whichever seed, the value is the camera's.
	local seed
	for seed in 1 2 3 4 5; do
		run --separate-stderr sim cred3 --seed "$seed" --fault 'drop:1/temperatures snake@1' -- \
			credctl get temperatures.snake
		assert_success
		assert_output 27.50
	done
	# Cut to no number twice: garbled.
	run --separate-stderr sim cred3 --fault 'drop:5/temperatures snake@1' \
		--fault 'drop:5/temperatures snake@2' -- credctl get temperatures.snake
	assert_failure 3
	[[ $stderr == *"garbled answer to 'temperatures snake raw' (asked twice)"* ]] || fail "stderr: $stderr"
}

@test "set: a garbled read-back is reported as garbled (exit 3), the value is not printed" {
	# set reads fps twice before (to report what moved), then reads it back.
	run --separate-stderr sim cred3 --fault 'drop:3/fps@3' --fault 'drop:3/fps@4' -- sh -c '
		credctl set fps 100; echo "rc=$?"; credctl get fps'
	assert_success
	assert_line --index 0 rc=3
	assert_line --index 1 100
	[[ $stderr == *"garbled answer to 'fps raw' (asked twice)"* ]] || fail "stderr: $stderr"
}

@test "set: a late tail of set cropping is not taken for the read-back" {
	run --separate-stderr sim cred3 --fault 'late-tail/set cropping@1' -- sh -c '
		credctl set cropping.columns 0-319 cropping.rows 0-255 && credctl raw sim fault'
	assert_success
	assert_line --index 0 0-319
	assert_line --index 1 0-255
	assert_output --partial "fired 1"
}

@test "get: a late tail of a free-text answer is not the next answer" {
	local tail
	for tail in 1 10 25 60; do
		run --separate-stderr sim cred3 --fault "late-tail:$tail/version firmware build@1" -- \
			sh -c 'credctl get version.firmware.build version.fpga hwuid version.hardware &&
				credctl raw sim fault'
		assert_success
		assert_line --index 0 "2021-06-15 10:21:03"
		assert_line --index 1 "2.4.0"
		assert_line --index 2 "0x7c2a91e05d34b816"
		assert_line --index 3 "1.2"
		assert_output --partial "fired 1"
	done
}

# ---- the model ----

@test "the model is read twice: a cut camera type is read again" {
	run --separate-stderr sim cred3 --fault 'drop:2/cameratype@1' -- sh -c 'credctl status && credctl raw sim fault'
	assert_success
	assert_line --regexp '^model: +C-RED 3$'
	assert_output --partial "fired 1"
	run --separate-stderr sim cred3 --fault 'drop:2/cameratype@1' --fault 'drop:3/cameratype@2' \
		--fault 'drop:4/cameratype@3' -- credctl status
	assert_failure 3
	[[ $stderr == *"garbled answers to 'cameratype raw'"* ]] || fail "stderr: $stderr"
}

# ---- credgrab: geometry and FITS headers ----

crop_and_fault() {
	credctl set cropping.columns 0-319 cropping.rows 0-255 cropping on >/dev/null &&
		credctl raw "sim fault $1" >/dev/null && shift &&
		{ [ $# -eq 0 ] || credctl raw "sim fault $1" >/dev/null; }
}

@test "credgrab: a cropping window cut on the line never becomes the geometry" {
	export -f crop_and_fault
	# Cut once: asked again, the frames are the camera's 320x256.
	run --separate-stderr sim cred3 --no-pacing -- bash -c '
		crop_and_fault "drop:1/cropping columns@1" &&
		credgrab --allow-drops -n 4 -o x.fits'
	assert_success
	[ "$(fits_key x.fits NAXIS1)" = 320 ] || fail "NAXIS1 $(fits_key x.fits NAXIS1)"
	[ "$(fits_key x.fits NAXIS2)" = 256 ] || fail "NAXIS2 $(fits_key x.fits NAXIS2)"
	[ "$(fits_key x.fits CROPCOLS)" = 0-319 ] || fail "CROPCOLS $(fits_key x.fits CROPCOLS)"
	# Cut twice: no file, exit 3, the message says what came.
	run --separate-stderr sim cred3 --no-pacing -- bash -c '
		crop_and_fault "drop:5/cropping columns@1" "drop:5/cropping columns@2" &&
		credgrab --allow-drops -n 4 -o y.fits'
	assert_failure 3
	[ ! -e y.fits ] || fail "y.fits written"
	[[ $stderr == *"cannot read the frame geometry from the camera: garbled answer to 'cropping columns raw' (asked twice): \"\""* ]] ||
		fail "stderr: $stderr"
	run ls -A
	refute_output --partial ".credtools-"
}

@test "credgrab: the frame rate and exposure in the FITS header are the camera's" {
	run --separate-stderr sim cred3 --no-pacing --fault 'drop:1/fps@2' --fault 'drop:1/tint@1' -- \
		sh -c 'credgrab -n 2 -o f.fits && credctl raw sim fault'
	assert_success
	run python3 -c "import sys; sys.exit(float('$(fits_key f.fits FRATE)') != 600)"
	assert_success
	run sim cred3 -- credctl get tint
	local tint=$output
	run python3 -c "import sys; a=float('$(fits_key f.fits EXPTIME)'); b=float('$tint'); sys.exit(abs(a-b) > 1e-12*b)"
	assert_success
}

@test "credgrab: a garbled value for a header keyword leaves no file" {
	# The firmware version goes into FIRMWARE: cut on every read.
	run --separate-stderr sim cred3 --no-pacing --fault 'drop:5/version firmware' -- \
		credgrab -n 2 -o v.fits
	assert_failure 3
	[ ! -e v.fits ] || fail "v.fits written"
	[[ $stderr == *"garbled"*"version firmware raw"* ]] || fail "stderr: $stderr"
}

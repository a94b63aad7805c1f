#!/usr/bin/env bats
# crednuc end to end against credsim's frames: grab with credgrab, build,
# upload, switch on, and check that the camera's next frames are corrected.
# The window is cropped to 128x96 (HDR's minimum is 96x72) so the statistics stay quick in plain
# Python.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

NUC_PY="$BATS_TEST_DIRNAME/helpers/nuc.py"

setup() {
	common_setup
	require_bin crednuc credsim credctl credgrab
	cd "$BATS_TEST_TMPDIR"
	start_sim cred3
	# credgrab's default source under credsim: the frame socket
	CRED_SIM_FRAMES=$(credctl sim frames | sed -n 's/^socket: //p')
	export CRED_SIM_FRAMES
	[ -S "$CRED_SIM_FRAMES" ] || fail "no frame socket: $(credctl sim frames)"
	credctl set cropping.columns 0-127 cropping.rows 0-95 cropping on >/dev/null
}

teardown() {
	common_teardown
}

# grab N: N frames of the camera as the y4m pipe stream on stdout.
grab() {
	credgrab -n "$1" -o - -f y4m
}

# stats N: "MEAN SPREAD" of the per-pixel means of N frames (tags left out).
stats() {
	grab "$1" | python3 "$NUC_PY" stats --skip-tags 4
}

# check EXPR with the numbers given, in Python.
holds() {
	python3 -c "import sys; a = [float(x) for x in sys.argv[2:]]; sys.exit(0 if eval(sys.argv[1]) else 1)" "$@"
}

@test "bias: built from grabbed darks, uploaded and enabled, it zeroes the frames" {
	credctl set tint 0.00002 >/dev/null # short exposures: darks in all but name
	read -r mean0 spread0 < <(stats 32)
	holds 'a[0] > 500 and a[1] > 10' "$mean0" "$spread0" ||
		fail "uncorrected frames: mean $mean0, spread $spread0"
	run bash -c 'credgrab -q -n 64 -o - -f y4m | crednuc bias -o bias.bin'
	assert_success
	assert_output --partial "bias.bin: bias for a C-RED 3 128x96 window from 64 frames"
	run crednuc check bias.bin
	assert_success
	run crednuc upload --enable bias bias.bin
	assert_success
	read -r mean1 spread1 < <(stats 32)
	holds 'abs(a[0]) < 5' "$mean1" || fail "corrected mean $mean1 (was $mean0)"
	holds 'a[1] < a[0] / 5' "$spread0" "$spread1" ||
		fail "fixed pattern $spread1 (was $spread0): not corrected"
	crednuc disable bias
	read -r mean2 _ < <(stats 8)
	holds 'abs(a[0] - a[1]) < 20' "$mean2" "$mean0" || fail "bias off: mean $mean2, not $mean0"
}

@test "flat: built from bias-corrected frames, it evens out the response" {
	# a bias from darks first, with bad pixels replaced, as the manual orders
	# them; then a longer exposure of the (not so flat) sky as the flat field
	crednuc enable badpixel
	credctl set tint 0.00002 >/dev/null
	credgrab -q -n 64 -o - -f y4m | crednuc -q bias -o bias.bin
	crednuc -q upload --enable bias bias.bin
	credctl set fps 100 >/dev/null # and the longest exposure it allows
	read -r before < <(grab 32 | python3 "$NUC_PY" response --skip-tags 4)
	run crednuc flat --no-bias --method median -o flat.bin -- credgrab -q -n 64 -o - -f y4m
	assert_success
	assert_output --partial "flat.bin: flat for a C-RED 3 128x96 window from 64 frames (median)"
	run crednuc upload --xmodem --enable flat flat.bin
	assert_success
	read -r after < <(grab 32 | python3 "$NUC_PY" response --skip-tags 4)
	holds 'a[1] < a[0] / 3' "$before" "$after" ||
		fail "response spread $after after the flat, $before before"
}

@test "an HDR bias built through a command gets the calibration set for it" {
	credctl set hdr on >/dev/null
	run crednuc -v bias --hdr c1 -o bias_c1.bin -- credgrab -q -n 16 -o - -f y4m
	assert_success
	assert_output --partial "hdr calibration c1 (was off)"
	assert_output --partial "hdr calibration back to off"
	run credctl get hdr.calibration
	assert_output "off"
	run crednuc upload bias_hdr_c1 bias_c1.bin
	assert_success
	# the C1 image is corrected by the C1 file
	credctl set hdr.calibration c1 bias on >/dev/null
	read -r mean _ < <(stats 16)
	holds 'abs(a[0]) < 10' "$mean" || fail "C1 frames corrected to a mean of $mean"
}

@test "frames of the wrong window are refused and nothing is written" {
	credgrab -q -n 8 -o darks.y4m -f y4m
	credctl set cropping off >/dev/null
	run crednuc bias -o bias.bin darks.y4m
	assert_failure 1
	assert_output --partial "the frames are 128x96, but the camera's window is 640x512"
	[ ! -e bias.bin ]
}

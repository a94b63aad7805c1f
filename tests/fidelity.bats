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
	require_bin credctl credsim
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

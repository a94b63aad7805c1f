#!/usr/bin/env bats
# credctl over every transport credsim offers: TCP, the pty through
# libserialport (LD_PRELOAD shim) and through plain termios, and the Camera
# Link serial API (clser: with the test library).

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

@test "tcp: status and a raw command" {
	run sim cred3 --export tcp -- sh -c 'echo "$CRED_PORT"; credctl status && credctl fps raw'
	assert_success
	assert_line --index 0 --regexp '^tcp:127\.0\.0\.1:[0-9]+$'
	assert_line --regexp '^model: +C-RED 3$'
}

@test "pty through libserialport (with the pty shim)" {
	local shim="$CRED_TEST_BUILD/tests/sp-pty-shim.so"
	[ -f "$shim" ] || fail "missing $shim"
	run --separate-stderr sim cred3 --export pty -- \
		env LD_PRELOAD="$shim" CRED_DEBUG=1 credctl status
	assert_success
	assert_line --regexp '^model: +C-RED 3$'
	[[ $stderr == *"serial: using libserialport"* ]] || fail "libserialport not used: $stderr"
}

@test "pty through termios when libserialport refuses it" {
	run --separate-stderr sim credone --export pty -- env CRED_DEBUG=1 credctl info
	assert_success
	assert_line --regexp '^model: +C-RED One$'
	[[ $stderr == *"serial: using termios"* ]] || fail "stderr: $stderr"
}

@test "pty given as serial:PATH and as a plain path" {
	run sim cred3 --export pty -- sh -c 'credctl -p "serial:$CRED_SIM_PTY" fps raw && credctl -p "$CRED_SIM_PTY" tint raw'
	assert_success
	[ "${#lines[@]}" -eq 2 ]
}

@test "clser: the Camera Link serial API" {
	local lib="$CRED_TEST_BUILD/tests/libclser-sim.so"
	[ -f "$lib" ] || fail "missing $lib"
	run --separate-stderr sim credone -- credctl -p "clser:$lib" status
	assert_success
	assert_line --regexp '^model: +C-RED One$'
	run sim cred3 -- credctl -p "clser:$lib#0" --json get fps
	assert_success
	echo "$output" | json_ok
}

@test "-vv traces the wire" {
	run --separate-stderr sim cred3 -- credctl -vv fps raw
	assert_success
	[[ $stderr == *'fps raw\n'* ]] || fail "no trace: $stderr"
}

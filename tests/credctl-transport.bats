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

# A umockdev test bed: two C-RED 3 on USB (CDC-ACM ttys with First Light's
# IDs) and an FTDI serial adapter, as sysfs describes them.
write_usb_bed() {
	local n=3 tty vid pid product serial
	while read -r tty vid pid product serial; do
		local dev="/devices/pci0000:00/0000:00:14.0/usb1/1-$n"
		printf 'P: %s\nN: bus/usb/001/%03d\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\n' "$dev" "$n"
		printf 'A: busnum=1\nA: devnum=%d\nA: idVendor=%s\nA: idProduct=%s\n' "$n" "$vid" "$pid"
		printf 'A: manufacturer=Test\nA: product=%s\nA: serial=%s\n\n' "${product//_/ }" "$serial"
		printf 'P: %s/1-%d:1.0\nE: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\n\n' "$dev" "$n"
		printf 'P: %s/1-%d:1.0/tty/%s\nN: %s\nL: device=../../../1-%d:1.0\n' "$dev" "$n" "$tty" "$tty" "$n"
		printf 'E: SUBSYSTEM=tty\nE: DEVNAME=/dev/%s\n\n' "$tty"
		n=$((n + 1))
	done >"$1" <<-EOT
		ttyACM0 2faf 0001 C-RED_3 FLI-0042
		ttyACM1 2faf 0001 C-RED_3 FLI-0043
		ttyUSB0 0403 6001 FT232R_USB_UART A1B2
	EOT
}

@test "list shows USB serial ports and which are C-REDs (umockdev)" {
	command -v umockdev-run >/dev/null || fail "umockdev-run is missing (scripts/deps.sh)"
	write_usb_bed "$BATS_TEST_TMPDIR/usb.umockdev"
	run umockdev-run -d "$BATS_TEST_TMPDIR/usb.umockdev" -- credctl list
	assert_success
	assert_line --regexp '^/dev/ttyACM0 +2faf:0001 +C-RED +FLI-0042 +C-RED 3$'
	assert_line --regexp '^/dev/ttyACM1 +2faf:0001 +C-RED +FLI-0043 '
	assert_line --regexp '^/dev/ttyUSB0 +0403:6001 +- +A1B2 +FT232R USB UART$'
	run umockdev-run -d "$BATS_TEST_TMPDIR/usb.umockdev" -- credctl --json list
	assert_success
	run python3 -c '
import json, sys
ports = {p["name"]: p for p in json.load(sys.stdin)}
assert ports["/dev/ttyACM0"]["cred"] and ports["/dev/ttyACM0"]["usb_vid"] == 0x2faf, ports
assert not ports["/dev/ttyUSB0"]["cred"], ports
' <<<"$output"
	assert_success
}

@test "auto with two cameras refuses to guess and names them" {
	command -v umockdev-run >/dev/null || fail "umockdev-run is missing (scripts/deps.sh)"
	write_usb_bed "$BATS_TEST_TMPDIR/usb.umockdev"
	run umockdev-run -d "$BATS_TEST_TMPDIR/usb.umockdev" -- credctl status
	assert_failure 3
	assert_output --partial "/dev/ttyACM0"
	assert_output --partial "/dev/ttyACM1"
	assert_output --partial "use -p"
}

@test "auto finds the one C-RED on USB and talks to it (umockdev)" {
	command -v umockdev-run >/dev/null || fail "umockdev-run is missing (scripts/deps.sh)"
	write_usb_bed "$BATS_TEST_TMPDIR/usb.umockdev"
	# Only the first camera: CRED_USB_* unchanged, the others filtered out
	# of the bed by keeping its first three records (device, interface, tty).
	awk 'BEGIN { RS = ""; ORS = "\n\n" } NR <= 3' "$BATS_TEST_TMPDIR/usb.umockdev" >"$BATS_TEST_TMPDIR/one.umockdev"
	# The camera's side of the line, as umockdev replays it: a camera word
	# passed straight through is sent as it is (no resync, no model query).
	printf '%s\n' 'w 0 fps raw^J' 'r 0 600^M^Jfli-cli>' >"$BATS_TEST_TMPDIR/acm0.script"
	run --separate-stderr umockdev-run -d "$BATS_TEST_TMPDIR/one.umockdev" \
		-s "/dev/ttyACM0=$BATS_TEST_TMPDIR/acm0.script" -- env CRED_DEBUG=1 credctl -m cred3 fps raw
	assert_success
	assert_output 600
	[[ $stderr == *"auto: using '/dev/ttyACM0'"* ]] || fail "stderr: $stderr"
}

#!/usr/bin/env bats
# credgrab's libusb source for real, under umockdev-run, replaying the
# usbmon captures and device description credsim writes (`sim usb record`,
# `sim usb device`): a clean stream, drops, corruption, short and
# truncated transfers, an endpoint stall, the device gone. Byte-exact
# checks compare with the bulk data in the capture itself.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
export SF
SYSFS=/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1
C3=$((640 * 512 * 2))

setup() {
	command -v umockdev-run > /dev/null || skip "umockdev-run is not installed"
	# as skip_umockdev_pcap_under_asan in helpers.bash (not loaded here)
	[ "${CRED_SANITIZE:-}" != 1 ] ||
		skip "umockdev's USB capture replay is timing-bound: not under AddressSanitizer (make check SANITIZE=1)"
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
}

sf() {
	python3 "$SF" "$@"
}

# record PCAP FRAMES [CREDSIM-OPTION...] [-- CAMERA-COMMAND...]: the
# camera's stream as a capture, and the device description dev.umockdev.
# Unpaced, the counter waits at 0 for the recording.
record() {
	local pcap=$1 n=$2 opts=(--no-pacing)
	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	rm -f dev.umockdev
	timeout 300 credsim "${opts[@]}" -- sh -c 'p=$1 n=$2; shift 2
		python3 "$SF" query "$@" "sim usb device dev.umockdev" "sim usb record $p $n"' \
		sh "$pcap" "$n" "$@"
}

# usb_grab PCAP CREDGRAB-OPTION...: credgrab on the replayed camera
usb_grab() {
	local pcap=$1
	shift
	timeout 300 umockdev-run -d dev.umockdev -p "$SYSFS=$pcap" -- \
		credgrab -s usb --no-camera -m cred3 "$@"
}

counters() {
	sf tags "$1" "${2:-640}" "${3:-512}" | awk '{ printf "%s ", $1 }'
}

@test "a clean stream: credgrab gets the recorded frames byte for byte" {
	run record s.pcap 12
	assert_success
	assert_output --partial "12 frames in "
	assert_output --partial "transfers of 524288 bytes"
	assert_output --partial "sysfs path $SYSFS"
	sf pcap-data s.pcap > sent.raw
	[ "$(stat -c %s sent.raw)" -eq $((12 * C3)) ]
	run usb_grab s.pcap -n 12 -o got.raw
	assert_success
	assert_output --partial "12 frames of 640x512"
	assert_output --partial " 0 dropped"
	cmp got.raw sent.raw
	[ "$(counters got.raw)" = "0 1 2 3 4 5 6 7 8 9 10 11 " ]
	run usb_grab s.pcap -n 12 -o cube.fits
	assert_success
	fitsverify -q cube.fits
}

@test "transfers of the host's size and count, a cropped window, no stale-data flush" {
	run record s.pcap 20 --usb-transfer-size 4096 --usb-transfers 2 --usb-no-flush -- \
		"set cropping columns 64-127" "set cropping rows 0-15" "set cropping on"
	assert_success
	assert_output --partial "transfers of 4096 bytes"
	sf pcap-data s.pcap > sent.raw
	run usb_grab s.pcap --width 64 --height 16 --transfer-size 4096 --transfers 2 \
		--usb-flush 0 -n 20 -o got.raw
	assert_success
	assert_output --partial "20 frames of 64x16"
	cmp got.raw sent.raw
	# a host asking for other transfers gets no answer
	run usb_grab s.pcap --width 64 --height 16 --transfer-size 8192 --transfers 2 \
		--usb-flush 0 -n 20 -t 1 -o other.raw
	assert_failure 3
	refute_output --partial "frames of 64x16"
}

@test "dropped frames are counted exactly" {
	run record s.pcap 12 --frame-fault drop:2@3 --frame-fault drop@7
	assert_success
	sf pcap-data s.pcap > sent.raw
	[ "$(stat -c %s sent.raw)" -eq $((9 * C3)) ]
	run usb_grab s.pcap -n 9 -o got.raw
	assert_failure 1
	assert_output --partial "9 frames of 640x512"
	assert_output --partial "3 frames dropped"
	run usb_grab s.pcap -n 9 --allow-drops -o got2.raw
	assert_success
	assert_output --partial " 3 dropped"
	cmp got2.raw sent.raw
	[ "$(counters got2.raw)" = "0 1 2 5 6 8 9 10 11 " ]
}

@test "corrupted bytes: frames are lost, never misaligned" {
	run record s.pcap 12 --frame-fault corrupt:16@4
	assert_success
	sf pcap-data s.pcap > sent.raw
	run usb_grab s.pcap -n 10 --allow-drops -o got.raw
	assert_success
	# 4 is broken; 3 is not confirmed by a tag after it
	assert_output --partial " 2 dropped"
	assert_output --partial "resyncs"
	run sf subset got.raw sent.raw 640 512
	assert_success
	assert_output "$(printf '%s\n' 0 1 2 5 6 7 8 9 10 11)"
}

@test "short transfers lose nothing" {
	run record s.pcap 12 --frame-fault short:100@2 --frame-fault short@5 \
		--frame-fault short:999999@8
	assert_success
	sf pcap-data s.pcap > sent.raw
	[ "$(stat -c %s sent.raw)" -eq $((12 * C3)) ]
	run usb_grab s.pcap -n 12 -o got.raw
	assert_success
	assert_output --partial " 0 dropped"
	cmp got.raw sent.raw
}

@test "a truncated frame is lost and the stream found again" {
	run record s.pcap 12 --frame-fault truncate:5000@4
	assert_success
	sf pcap-data s.pcap > sent.raw
	[ "$(stat -c %s sent.raw)" -eq $((12 * C3 - 5000)) ]
	run usb_grab s.pcap -n 11 --allow-drops -o got.raw
	assert_success
	assert_output --partial " 1 dropped"
	run sf subset got.raw sent.raw 640 512
	assert_success
	assert_output "$(printf '%s\n' 0 1 2 3 5 6 7 8 9 10 11)"
}

@test "an endpoint stall or the device gone ends the run as a lost link" {
	run record stall.pcap 12 --frame-fault stall@5
	assert_success
	assert_output --partial "then an endpoint stall"
	sf pcap-data stall.pcap > sent.raw
	[ "$(stat -c %s sent.raw)" -eq $((5 * C3)) ]
	run usb_grab stall.pcap -n 12 -o got.raw
	assert_failure 3
	assert_output --partial "credgrab: 'usb:2.5': the endpoint stalled"
	cmp got.raw <(head -c "$(stat -c %s got.raw)" sent.raw)
	run record gone.pcap 12 --frame-fault gone@6
	assert_success
	assert_output --partial "then the device is gone"
	run usb_grab gone.pcap -n 12 -o gone.raw
	assert_failure 3
	assert_output --partial "credgrab: 'usb:2.5': connection lost"
}

@test "extsynchro on: the recording holds no frame and credgrab says why" {
	run record s.pcap 5 -- "set extsynchro on"
	assert_success
	assert_output --partial "0 frames in 0 transfers"
	assert_output --partial "stopped: extsynchro is on"
	run usb_grab s.pcap -n 1 -t 1 -o x.raw
	assert_failure 3
	assert_output --partial "no data from 'usb:2.5'"
	assert_output --partial "external or triggered synchronisation"
}

@test "the serial port of the composite device, and no USB on a C-RED One" {
	run record s.pcap 2
	assert_success
	# one USB device: the port list sees its serial port as the C-RED's
	run timeout 300 umockdev-run -d dev.umockdev -- credctl list
	assert_success
	assert_output --regexp "/dev/ttyACM0 +2faf:0001 +C-RED +C3-0142"
	# credgrab looks for the camera's command port beside the imaging
	# interface: the device's CDC-ACM tty (a pty without a camera here)
	run timeout 300 umockdev-run -d dev.umockdev -p "$SYSFS=s.pcap" -- \
		credgrab -s usb -v -n 2 -o got.raw
	assert_success
	assert_output --partial "/dev/ttyACM0"
	assert_output --partial "2 frames of 640x512"
	run timeout 300 credsim -m credone -- python3 "$SF" query "sim usb record one.pcap 2"
	assert_failure
	assert_output --partial "a C-RED One has no USB link"
	[ ! -e one.pcap ]
}

#!/usr/bin/env bats
# credgrab from Camera Link frame grabbers, through the stand-ins in
# tests/shim: libpdv-sim.so (EDT's libpdv, the edt: source) and
# gentl-sim.cti (a GenTL producer, the gentl: source). Both serve
# credsim's frame stream from its socket; what credsim sent is compared
# byte for byte (--stream-copy); faults are injected by the stand-ins
# (CRED_PDV_SIM_FAULTS, CRED_GENTL_SIM_FAULTS) or by credsim.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
PDV="$CRED_TEST_BUILD/tests/libpdv-sim.so"
CTI="$CRED_TEST_BUILD/tests/gentl-sim.cti"
CTI_MIN="$CRED_TEST_BUILD/tests/gentl-sim-minimal.cti"

setup() {
	common_setup
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	require_bin credgrab credsim libpdv-sim.so gentl-sim.cti
	export CRED_EDT_LIB="$PDV"
	unset GENICAM_GENTL64_PATH CRED_PDV_SIM_FAULTS CRED_GENTL_SIM_FAULTS
}

teardown() {
	common_teardown
}

sf() {
	python3 "$SF" "$@"
}

# geometry MODEL: "W H" of its full frame; configures both stand-ins for it
geometry() {
	case $1 in
	cred3) W=640 H=512 ;;
	credone) W=320 H=256 ;;
	esac
	export CRED_PDV_SIM_CONFIG="${W}x${H}x16" CRED_GENTL_SIM_GEOMETRY="${W}x${H}"
}

# grab MODEL [credsim options] -- credgrab options: credgrab under credsim
grab() {
	local model=$1
	shift
	local simopts=()
	while [ "$1" != -- ]; do
		simopts+=("$1")
		shift
	done
	shift
	geometry "$model"
	timeout 300 credsim -m "$model" --no-pacing "${simopts[@]}" -- credgrab "$@"
}

# counters FILE: the counters of the frames in FILE (W H of the last geometry)
counters() {
	sf tags "$1" "$W" "$H" | awk '{ printf "%s ", $1 }'
}

fits_naxis3() {
	python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
for i in range(0, len(data), 80):
    card = data[i:i + 80].decode('ascii')
    if card[:8].rstrip() == 'NAXIS3':
        print(card[10:].split('/')[0].strip())
        break
PY
}

@test "edt: the frames credsim sent, byte for byte, for both models" {
	for model in cred3 credone; do
		geometry "$model"
		rm -f sent.raw got.raw
		run grab "$model" --stream-copy sent.raw -- -s edt -n 8 -o got.raw
		assert_success
		assert_output --partial "8 frames of ${W}x${H}"
		assert_output --partial ", 0 dropped"
		[ "$(stat -c %s got.raw)" -eq $((8 * W * H * 2)) ]
		cmp got.raw <(head -c $((8 * W * H * 2)) sent.raw)
	done
}

@test "credsim: a stream copy cut by ulimit -f is not left half-written, and says why" {
	geometry cred3
	# 8 frames are 5 MiB; the limit is 1 MiB (sh's ulimit -f counts 512-byte
	# blocks; bash's would be 2 MiB)
	run sh -c 'ulimit -f 2048; exec timeout 300 credsim -m cred3 --no-pacing \
		--stream-copy sent.raw -- credgrab -s edt -n 8 -f raw -o - >/dev/null'
	assert_success # credsim lives on: it was the copy, not the camera, that failed
	assert_output --partial "credsim: no stream copy written: cannot write 'sent.raw': File too large"
	[ ! -e sent.raw ]
	[ -z "$(ls -A | grep '^sent\.raw')" ] || fail "left: $(ls -A)"
}

@test "gentl: the frames credsim sent, byte for byte, for both models" {
	for model in cred3 credone; do
		geometry "$model"
		rm -f sent.raw got.raw
		run grab "$model" --stream-copy sent.raw -- -s "gentl:$CTI" -n 8 -o got.raw
		assert_success
		assert_output --partial "8 frames of ${W}x${H}"
		cmp got.raw <(head -c $((8 * W * H * 2)) sent.raw)
	done
}

@test "edt: lost frames and overruns are counted exactly, timeouts are only idle" {
	for model in cred3 credone; do
		geometry "$model"
		rm -f sent.raw got.fits
		export CRED_PDV_SIM_FAULTS="drop:3@2,overrun@6,timeout@8"
		run grab "$model" --stream-copy sent.raw -- -s edt:0:0 -n 10 -o got.fits
		assert_failure 1
		assert_output --partial "10 frames of ${W}x${H}"
		assert_output --partial "4 dropped, 1 incomplete"
		assert_output --partial "4 frames dropped by the camera or the link (--allow-drops accepts this)"
		fitsverify -q got.fits
		[ "$(fits_naxis3 got.fits)" = 10 ]
		rm -f sent.raw
		run grab "$model" --stream-copy sent.raw -- -s edt -n 10 -o got.raw --allow-drops
		assert_success
		run sf subset got.raw sent.raw "$W" "$H"
		assert_success
		[ "$(echo $output)" = "0 1 5 7 8 9 10 11 12 13" ]
		rm -f got.raw
	done
}

@test "gentl: underruns and incomplete buffers are counted exactly" {
	for model in cred3 credone; do
		geometry "$model"
		rm -f sent.raw got.raw
		export CRED_GENTL_SIM_FAULTS="underrun:2@3,incomplete@6"
		run grab "$model" --stream-copy sent.raw -- -s "gentl:$CTI" -n 10 -o got.raw --allow-drops
		assert_success
		assert_output --partial "3 dropped, 1 incomplete, 2 lost by the grabber"
		run sf subset got.raw sent.raw "$W" "$H"
		assert_success
		[ "$(echo $output)" = "0 1 2 5 7 8 9 10 11 12" ]
	done
	# the camera's own drops too (a gap in the counter)
	unset CRED_GENTL_SIM_FAULTS
	geometry cred3
	run grab cred3 --frame-fault drop:2@4 -- -s "gentl:$CTI" -n 6 -o cam.raw
	assert_failure 1
	assert_output --partial "2 dropped"
	[ "$(counters cam.raw)" = "0 1 2 3 6 7 " ]
}

@test "without tags, the grabber's own counters are the drop count" {
	export CRED_GENTL_SIM_FAULTS="underrun:2@3,incomplete@6"
	run grab cred3 -- -s "gentl:$CTI" -n 10 --tags none -o got.raw
	assert_failure 1
	assert_output --partial "3 dropped, 1 incomplete, 2 lost by the grabber"
	# EDT counts only what it knows: the overrun
	export CRED_PDV_SIM_FAULTS="drop:3@2,overrun@6"
	run grab cred3 -- -s edt -n 10 --tags none -o got2.raw
	assert_failure 1
	assert_output --partial "1 dropped, 1 incomplete"
}

@test "a grabber library that does not load is no answer (exit 3)" {
	CRED_EDT_LIB="$BATS_TEST_TMPDIR/none.so" run grab cred3 -- -s edt -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "cannot load EDT's libpdv '$BATS_TEST_TMPDIR/none.so' (from CRED_EDT_LIB)"
	CRED_EDT_LIB="$CRED_TEST_BUILD/tests/libclser-sim.so" run grab cred3 -- -s edt -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "EDT's libpdv lacks pdv_open_channel"
	run grab cred3 -- -s "gentl:$BATS_TEST_TMPDIR/none.cti" -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "cannot load GenTL producer '$BATS_TEST_TMPDIR/none.cti'"
	run grab cred3 -- -s "gentl:$CRED_TEST_BUILD/tests/libclser-sim.so" -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "is not a GenTL producer: it lacks GCInitLib"
	[ ! -e a.raw ]
}

@test "no such EDT unit, no device behind a producer: exit 3; a bad spec: exit 2" {
	run grab cred3 -- -s edt:1:0 -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "cannot open EDT unit 1 channel 0 (pdv1_0)"
	CRED_GENTL_SIM_DEVICES=0 run grab cred3 -- -s "gentl:$CTI" -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "GenTL producer '$CTI' has no device (1 interface"
	run grab cred3 -- -s "gentl:$CTI#CL0/CL0-cam7" -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "has no device 'CL0-cam7' on interface CL0"
	run credgrab -s edt:zero -m cred3 -o a.raw
	assert_failure 2
	assert_output --partial "bad EDT source 'edt:zero'"
	run credgrab -s gentl: -m cred3 -o a.raw
	assert_failure 2
	[ ! -e a.raw ]
}

@test "a grabber configured for another geometry: both named, with the initcam hint" {
	geometry cred3
	run timeout 300 credsim -m credone --no-pacing -- credgrab -s edt -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "'edt:0:0' is configured for 640x512 frames of 16-bit pixels but the camera sends 320x256 frames"
	assert_output --partial "initcam -u 0 -c 0 -f CONFIG"
	CRED_PDV_SIM_CONFIG=640x512x8 run timeout 300 credsim -m cred3 --no-pacing -- credgrab -s edt -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "frames of 8-bit pixels"
	run timeout 300 credsim -m credone --no-pacing -- credgrab -s "gentl:$CTI" -n 2 -o a.raw
	assert_failure 3
	assert_output --partial "delivers 655360-byte frames but the camera sends 320x256 frames"
	[ ! -e a.raw ]
}

@test "an error in the middle: exit 3, the producer's text, and the FITS so far is valid" {
	for model in cred3 credone; do
		geometry "$model"
		rm -f e.fits g.fits
		CRED_PDV_SIM_FAULTS=error@4 run grab "$model" -- -s edt -n 10 -o e.fits
		assert_failure 3
		assert_output --partial "'edt:0:0' stopped delivering images"
		fitsverify -q e.fits
		[ "$(fits_naxis3 e.fits)" = 4 ]
		CRED_GENTL_SIM_FAULTS=error@5 run grab "$model" -- -s "gentl:$CTI" -n 10 -o g.fits
		assert_failure 3
		assert_output --partial "EventGetData failed: simulated grabber failure: the Camera Link link went down (GC_ERR_IO, -1010)"
		fitsverify -q g.fits
		[ "$(fits_naxis3 g.fits)" = 5 ]
	done
}

@test "a producer without the optional functions still loads and grabs" {
	export CRED_GENTL_SIM_FAULTS="underrun:2@3,error@8"
	run grab cred3 -- -s "gentl:$CTI_MIN" -n 10 -o m.raw --allow-drops
	assert_failure 3
	# no GCGetLastError: the standard's name for the code
	assert_output --partial "EventGetData failed with GC_ERR_IO (-1010)"
	# no DSGetInfo: the tags still count the lost frames
	assert_output --partial "6 frames of 640x512"
	assert_output --partial "2 dropped"
}

@test "a silent grabber ends the run with no answer (exit 3)" {
	geometry cred3
	run timeout 300 credsim -m cred3 -- sh -c 'python3 "$0" query "set swsynchro on" > /dev/null &&
		exec credgrab -s edt -t 1 -o s.raw' "$SF"
	assert_failure 3
	assert_output --partial "no data from 'edt:0:0' for 1 s"
	assert_output --partial "swsynchro"
	CRED_GENTL_SIM_FAULTS=timeout:3000@2 run grab cred3 -- -s "gentl:$CTI" -t 1 -n 5 -o t.raw
	assert_failure 3
	assert_output --partial "no data from 'gentl:$CTI' for 1 s"
	[ "$(counters t.raw)" = "0 1 " ]
}

@test "scrambled frames (swapped cables, wrong taps) are named, not just counted" {
	CRED_PDV_SIM_SCRAMBLE=1 run grab cred3 -- -s edt -n 5 -o s.raw
	assert_failure 1
	assert_output --partial "32 of 32 frames from 'edt:0:0' failed the tag check: the Camera Link cables may be swapped"
	assert_output --partial "wrong tap geometry"
	[ ! -e s.raw ]
	CRED_GENTL_SIM_SCRAMBLE=1 run grab credone -- -s "gentl:$CTI" -n 5 -o s.fits
	assert_failure 1
	assert_output --partial "failed the tag check: the Camera Link cables may be swapped"
}

@test "--list-sources: EDT channels and GenTL devices, as a table and as JSON" {
	export CRED_PDV_SIM_UNITS=2 CRED_PDV_SIM_CHANNELS=2 CRED_GENTL_SIM_INTERFACES=2
	export GENICAM_GENTL64_PATH="$CRED_TEST_BUILD/tests"
	run --separate-stderr credgrab --list-sources
	assert_success
	assert_line --regexp "^edt:1:1	First Light Imaging C-RED \(stand-in\) - EDT unit 1 channel 1, configured for 640x512 16-bit$"
	assert_line "gentl:$CTI#CL1/CL1-cam0	First Light Imaging C-RED (stand-in) serial SIM100 - $CTI"
	assert_line "gentl:$CTI_MIN#CL0/CL0-cam0	(no device information) - $CTI_MIN"
	[ "$(echo "$output" | grep -c '^edt:')" -eq 4 ]
	run --separate-stderr credgrab --list-sources --json
	assert_success
	echo "$output" | json_ok
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
s = {e["source"]: e for e in d["sources"]}
e = s[sys.argv[1] + "#CL0/CL0-cam0"]
assert (e["kind"], e["vendor"], e["serial"]) == ("gentl", "First Light Imaging", "SIM000"), e
assert s["edt:0:1"]["kind"] == "edt"
' "gentl:$CTI"
	# a listed source is what -s takes; a bare .cti name is found on the path
	run grab cred3 -- -s "gentl:gentl-sim.cti#CL1/CL1-cam0" -n 3 -o l.raw
	assert_success
	assert_output --partial "3 frames of 640x512"
	# nothing found: said with -v, and never an error
	CRED_EDT_LIB=/nonexistent.so GENICAM_GENTL64_PATH= run credgrab --list-sources -v
	assert_success
	assert_output --partial "EDT: cannot load EDT's libpdv"
	assert_output --partial "GenTL: no producer (.cti) in \$GENICAM_GENTL64_PATH"
	run credgrab --json
	assert_failure 2
}

@test "--list-sources: a C-RED on USB (umockdev)" {
	CRED_EDT_LIB=/nonexistent.so run timeout 120 umockdev-run \
		-d "$BATS_TEST_DIRNAME/data/cred3-usb.umockdev" -- credgrab --list-sources --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [(e["source"], e["kind"]) for e in d["sources"]] == [("usb:2.5", "usb")], d
'
}

# fits_axis3 of the temporary file credgrab is writing, or nothing
pending_frames() {
	local tmp
	tmp=$(ls -A | grep '^\.credtools-' | head -n 1)
	[ -n "$tmp" ] && fits_naxis3 "$tmp"
}

@test "Ctrl-C while a grabber waits for a trigger: the FITS holds the frames written" {
	geometry cred3
	for spec in edt "gentl:$CTI"; do
		rm -f cube.fits
		start_sim cred3 --frames "$BATS_TEST_TMPDIR/f.sock"
		export CRED_SIM_FRAMES="$BATS_TEST_TMPDIR/f.sock" CRED_SIM_TCP="$SIM_TCP"
		sf query "set swsynchro on" "set nbframesperswtrig 5" > /dev/null
		credgrab -s "$spec" -t 0 -o cube.fits 2> err.txt &
		grabber=$!
		# the trigger only once the grabber reads the camera's stream
		for _ in $(seq 300); do
			sf query "sim frames" | grep -q "^client" && break
			sleep 0.1
		done
		sf query swtrig > /dev/null
		# until the file being written holds a frame (the burst is on its way)
		for _ in $(seq 300); do
			n=$(pending_frames) || true
			[ "${n:-0}" -ge 1 ] && break
			sleep 0.1
		done
		kill -INT "$grabber"
		for _ in $(seq 300); do
			kill -0 "$grabber" 2>/dev/null || break
			sleep 0.1
		done
		rc=0
		kill -0 "$grabber" 2>/dev/null && { kill -KILL "$grabber"; fail "Ctrl-C did not stop credgrab"; }
		wait "$grabber" || rc=$?
		stop_sim
		[ "$rc" -eq 0 ] || { cat err.txt; false; }
		n=$(sed -n 's/^credgrab: \([0-9]*\) frames\{0,1\} of 640x512.*/\1/p' err.txt)
		[ "${n:-0}" -ge 1 ]
		fitsverify -q cube.fits
		[ "$(fits_naxis3 cube.fits)" = "$n" ]
		[ -z "$(ls -A | grep '^\.credtools-')" ]
		rm -f "$BATS_TEST_TMPDIR/f.sock"
	done
}

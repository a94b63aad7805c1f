#!/usr/bin/env bats
# credfw against credsim: versions and feature bits, firmware upgrades (the
# round trip to 9.9.9, every refusal and failure), licenses across a
# simulated reboot, logs with safe extraction of hostile archives, and the
# C-RED One test pattern read back through credgrab.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

ARC="$BATS_TEST_DIRNAME/helpers/fw-archive.py"
CMP="$BATS_TEST_DIRNAME/helpers/fw-compare.py"

setup() {
	common_setup
	require_bin credfw credsim credctl credgrab
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	# the full-disk test's tmpfs, should it fail before unmounting it
	! mountpoint -q "$BATS_TEST_TMPDIR/box" || umount "$BATS_TEST_TMPDIR/box"
	common_teardown
}

firmware_is() {
	run credctl raw "version firmware raw"
	assert_success
	assert_output "$1"
}

# ---- help, usage --------------------------------------------------------------

@test "--help goes to stdout with exit 0; -V names both versions" {
	run --separate-stderr credfw --help
	assert_success
	assert_line --partial "Usage: credfw"
	[ -z "$stderr" ]
	run credfw -V
	assert_success
	assert_line --regexp '^credfw \(credtools\) [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "usage errors exit 2 and name the problem" {
	run credfw
	assert_failure 2
	assert_output --partial "no command given"
	run credfw frobnicate
	assert_failure 2
	run credfw upgrade
	assert_failure 2
	assert_output --partial "one firmware file"
	run credfw logs
	assert_failure 2
	assert_output --partial "-o DIR"
	run credfw license
	assert_failure 2
	run credfw license install a b
	assert_failure 2
	run credfw license enable 'bad/name'
	assert_failure 2
	assert_output --partial "invalid license name 'bad/name'"
	run credfw testpattern sideways
	assert_failure 2
	run credfw upgrade --http-port 70000 x
	assert_failure 2
	run credfw logs -o d --max-size 12q
	assert_failure 2
}

@test "every option of --help is in the man page and both completions" {
	run credfw --help
	assert_success
	local opts
	opts=$(echo "$output" | grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ]
	for o in $opts; do
		grep -qF -- "${o//-/\\-}" "$CRED_TOP/man/credfw.1" || fail "man page lacks $o"
		grep -q -- "$o" "$CRED_TOP/completions/bash/credfw" || fail "bash completion lacks $o"
		grep -q -- "$o" "$CRED_TOP/completions/zsh/_credfw" || fail "zsh completion lacks $o"
	done
	for sub in version upgrade license logs testpattern; do
		grep -q "^\.B.* $sub" "$CRED_TOP/man/credfw.1" || fail "man page lacks $sub"
	done
	mandoc -T lint -W warning "$CRED_TOP/man/credfw.1" | grep -v 'cannot parse date' | { ! grep .; }
	bash -n "$CRED_TOP/completions/bash/credfw"
	run bash -c 'source "$1"; COMP_WORDS=(credfw license ""); COMP_CWORD=2; _credfw
		printf "%s\n" "${COMPREPLY[@]}"' sh "$CRED_TOP/completions/bash/credfw"
	assert_success
	assert_line "install"
	assert_line "remove"
}

# ---- version --------------------------------------------------------------------

@test "version on a C-RED 3: every part, the feature bits decoded, the licenses" {
	run sim cred3 -- credfw version
	assert_success
	assert_line "model: C-RED 3"
	assert_line "firmware: 3.1.1"
	assert_line --regexp '^firmware detailed: 3\.1\.1-'
	assert_line --regexp '^firmware build: '
	assert_line --regexp '^fpga: '
	assert_line --regexp '^hardware: '
	refute_line --partial "fpga detailed"
	assert_line "hardware features: 0x0601"
	assert_line --regexp '^  HW_FEATURES_INTERFACE_CL +operated via Camera Link$'
	assert_line --regexp '^  HW_FEATURES_INTERFACE_CL_CC '
	refute_line --partial "HW_FEATURES_INTERFACE_USB"
	assert_line "software features: 0x001d"
	assert_line --regexp '^  SW_FEATURES_READOUT_HDR '
	refute_line --partial "SW_FEATURES_READOUT_NDR"
	assert_line --regexp '^  hdr\.lic +enabled$'
}

@test "version --json on a C-RED 3 over USB: the USB bit, licenses with their state" {
	run sim cred3 -- sh -c 'credctl sim interface usb >/dev/null && credfw version --json'
	assert_success
	echo "$output" | json_ok
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["model"] == "cred3" and d["model_name"] == "C-RED 3", d
assert d["version.firmware"] == "3.1.1" and d["version.firmware.detailed"], d
assert d["hwfeatures"]["bits"] == ["HW_FEATURES_INTERFACE_USB"], d
assert "SW_FEATURES_AGC" in d["swfeatures"]["bits"], d
assert d["licenses"] == [{"name": "hdr.lic", "state": "enabled"}], d
'
}

@test "version on a C-RED One: FPGA details, no feature bits, no licenses" {
	run sim credone -- credfw version
	assert_success
	assert_line "model: C-RED One"
	assert_line --regexp '^fpga detailed: '
	refute_line --partial "features"
	refute_line --partial "licenses"
	run sim credone -- credfw version --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert "version.fpga.detailed" in d and "hwfeatures" not in d and "licenses" not in d, d
'
}

# ---- upgrade ----------------------------------------------------------------------

@test "upgrade round trip on a C-RED 3: 3.1.1 -> 9.9.9, the camera reports 9.9.9" {
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	start_sim cred3 --time-scale 10
	run credfw upgrade -y -v fw.tar.gz
	assert_success
	assert_line --regexp "^fw\.tar\.gz: [0-9]+ bytes, MD5 $(md5sum <fw.tar.gz | cut -d' ' -f1)$"
	assert_line --regexp '^  version +6 bytes$'
	assert_line --regexp "camera status: (starting|configuring)"
	assert_line "firmware: 3.1.1 -> 9.9.9"
	firmware_is 9.9.9
	run credfw version
	assert_line "firmware: 9.9.9"
	run credctl raw "status raw"
	assert_output "operational"
}

@test "upgrade round trip on a C-RED One (warm, ready): 9.9.9 afterwards" {
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	start_sim credone --time-scale 10
	credctl sim state ready >/dev/null
	run credfw upgrade -y fw.tar.gz
	assert_success
	assert_line "firmware: 2.3.0 -> 9.9.9"
	firmware_is 9.9.9
}

@test "upgrade --serial: exec uploadfirmware and XMODEM on a C-RED 3, refused on a C-RED One" {
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	python3 "$ARC" noversion bad.tar.gz
	start_sim cred3 --time-scale 10
	run credfw upgrade -y --serial bad.tar.gz
	assert_failure 1
	assert_output --partial "the camera refused the firmware file"
	assert_output --partial "no version file"
	firmware_is 3.1.1
	run credfw upgrade -y --serial fw.tar.gz
	assert_success
	assert_line "firmware: 3.1.1 -> 9.9.9"
	firmware_is 9.9.9
	stop_sim
	start_sim credone
	credctl sim state ready >/dev/null
	run credfw upgrade -y --serial fw.tar.gz
	assert_failure 1
	assert_output --partial "the C-RED One has no exec uploadfirmware"
	firmware_is 2.3.0
}

@test "upgrade refuses a safe, locked, busy or regenerating camera, and a cooled C-RED One" {
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	start_sim cred3
	for st in safe locked; do
		credctl sim state "$st" >/dev/null
		run credfw upgrade -y fw.tar.gz
		assert_failure 1
		assert_output --partial "cannot upgrade now"
		assert_output --partial "(status: $st)"
	done
	assert_output --partial "contact First Light Imaging"
	credctl sim state operational >/dev/null
	credctl set fps 10 >/dev/null
	credctl raw "buildnuc bias 256" >/dev/null
	# the busy camera refuses even cameratype: the model is given
	run credfw -m cred3 upgrade -y fw.tar.gz
	assert_failure 1
	assert_output --partial "busy building a NUC file"
	credctl -m cred3 raw "buildnuc abort" >/dev/null
	firmware_is 3.1.1
	stop_sim
	start_sim credone
	run credfw upgrade -y fw.tar.gz
	assert_failure 1
	assert_output --partial "the camera is cooled: switch the cooling off"
	credctl sim state vacuumrege >/dev/null
	run credfw upgrade -y fw.tar.gz
	assert_failure 1
	assert_output --partial "getter regeneration"
	firmware_is 2.3.0
}

@test "upgrade: a file the camera rejects, a damaged archive, no confirmation" {
	python3 "$ARC" noversion bad.tar.gz
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	start_sim cred3 --time-scale 10
	run credfw upgrade -y bad.tar.gz
	assert_failure 1
	assert_output --partial "the camera refused the firmware"
	assert_output --partial "no version file"
	assert_output --partial "it still runs firmware 3.1.1"
	firmware_is 3.1.1
	head -c 100 fw.tar.gz >cut.tar.gz
	run credfw upgrade -y cut.tar.gz
	assert_failure 1
	assert_output --partial "'cut.tar.gz' is a damaged archive"
	run credfw upgrade fw.tar.gz </dev/null
	assert_failure 2
	assert_output --partial "-y"
	run credfw upgrade -n fw.tar.gz
	assert_success
	assert_line "camera: C-RED 3, firmware 3.1.1"
	firmware_is 3.1.1
	run credfw upgrade -y missing.tar.gz
	assert_failure 1
	assert_output "credfw: cannot open 'missing.tar.gz': No such file or directory"
}

@test "upgrade: the camera cannot fetch the URL; the camera does not come back in time" {
	python3 "$ARC" firmware fw.tar.gz 9.9.9
	start_sim cred3
	credctl sim transfer-fault fetch-fail >/dev/null
	run credfw upgrade -y fw.tar.gz
	assert_failure 1
	assert_output --partial "the camera refused the firmware"
	assert_output --partial "failed"
	assert_output --partial "--http-host"
	credctl sim transfer-fault clear >/dev/null
	firmware_is 3.1.1
	# a boot takes 20 simulated seconds at time scale 1: longer than allowed
	run credfw upgrade -y --boot-timeout 1 fw.tar.gz
	assert_failure 3
	assert_output --partial "after the upgrade: the camera did not finish booting within 1 s (status: starting)"
	assert_output --partial "credctl status"
	run credctl raw "status raw"
	assert_output "starting"
}

# ---- licenses ------------------------------------------------------------------------

@test "license list, install (sendfile and XMODEM), disable, enable, remove" {
	printf 'FLI-LICENSE agc\n' >agc.lic
	printf 'FLI-LICENSE extra\n' >extra.bin
	start_sim cred3 --time-scale 10
	run credfw license list
	assert_success
	assert_output --regexp '^hdr\.lic +enabled$'
	run credfw license install agc.lic
	assert_success
	assert_line --regexp "^agc\.lic: 16 bytes, MD5 $(md5sum <agc.lic | cut -d' ' -f1)$"
	assert_line "installed agc.lic (enabled at the next boot)"
	assert_output --partial "takes effect at the next boot"
	run credfw license install --xmodem --name x.lic extra.bin
	assert_success
	run credctl sim files
	assert_line --regexp "^license:x\.lic 18 $(md5sum <extra.bin | cut -d' ' -f1)$"
	run credfw license disable agc.lic
	assert_success
	run credfw license list --json
	assert_success
	echo "$output" | python3 -c '
import json, sys
d = {l["name"]: l["state"] for l in json.load(sys.stdin)}
assert d == {"hdr.lic": "enabled", "agc.lic": "disabled", "x.lic": "enabled"}, d
'
	run credfw license enable agc.lic
	assert_success
	run credfw license remove x.lic </dev/null
	assert_failure 2
	run credfw license remove -y x.lic
	assert_success
	run credfw license list
	refute_output --partial "x.lic"
	run credfw license remove -y nothere.lic
	assert_failure 1
	assert_output --partial "no license file 'nothere.lic'"
}

@test "license state across a simulated reboot: a change takes effect at the next boot" {
	start_sim cred3 --time-scale 10
	run credctl set hdr on
	assert_success
	credctl set hdr off >/dev/null
	run credfw license disable hdr.lic
	assert_success
	assert_output --partial "hdr.lic: disabled at the next boot"
	run credfw license list
	assert_output --regexp '^hdr\.lic +disabled$'
	# not rebooted yet: HDR still works
	run credctl set hdr on
	assert_success
	credctl set hdr off >/dev/null
	run credfw license enable hdr.lic </dev/null
	assert_success
	run credfw license disable hdr.lic --reboot -y -v
	assert_success
	assert_output --regexp "camera status: (starting|configuring)"
	assert_output --partial "the change is in effect"
	run credctl set hdr on
	assert_failure 1
	run credfw license list
	assert_output --regexp '^hdr\.lic +disabled$'
	run credfw license enable hdr.lic --reboot -y
	assert_success
	run credctl set hdr on
	assert_success
}

@test "licenses on a C-RED One: refused, exit 1" {
	start_sim credone
	printf 'x\n' >a.lic
	for args in "list" "install a.lic" "enable a.lic" "disable a.lic" "remove -y a.lic"; do
		run credfw license $args
		assert_failure 1
		assert_output "credfw: the C-RED One has no license files"
	done
}

# ---- logs ---------------------------------------------------------------------------------

@test "logs on both models: unpacked into DIR, --from, --keep-archive, no overwrite" {
	for model in cred3 credone; do
		run sim "$model" -- credfw logs -o "$model" --keep-archive
		assert_success
		assert_line "$model: 2 files"
		assert_output --partial "archive kept as '$model/logs-1.tar.gz'"
		[ -s "$model/logs/messages.log" ]
		[ -s "$model/logs/camera.log" ]
		tar tzf "$model/logs-1.tar.gz" | grep -qx logs/camera.log
	done
	grep -q "C-RED 3 firmware 3.1.1" cred3/logs/messages.log
	grep -q "firmware 2.3.0" credone/logs/messages.log
	start_sim cred3
	run credfw logs -o late --from 2999-01-01
	assert_success
	[ ! -s late/logs/camera.log ]
	run credfw logs -o late
	assert_failure 1
	assert_output --partial "'logs/messages.log': it exists already"
	run credfw logs -o bad --from 'yesterday'
	assert_failure 1
	assert_output --partial "invalid date 'yesterday'"
}

# hostile KIND MEMBER REASON [ARG [OPTIONS]]: a hostile log archive is
# refused, the member named with the reason, and nothing is written at all.
hostile() {
	local kind=$1 member=$2 reason=$3 arg=${4:-} extra=${5:-}
	rm -rf box && mkdir -p box
	python3 "$ARC" hostile "$kind.tgz" "$kind" "$arg"
	credctl sim logs-archive "$PWD/$kind.tgz" >/dev/null
	run credfw logs -o box/out $extra
	assert_failure 1
	assert_output --partial "refused archive member '$member': $reason"
	assert_output --partial "nothing was unpacked"
	run find box -mindepth 1 # not even box/out, which credfw made
	assert_output ""
	[ ! -e outside ] && [ ! -e outside.txt ] && [ ! -e evil.txt ]
}

@test "logs: hostile archives are refused whole, the member named, exit 1" {
	start_sim cred3
	hostile dotdot "logs/../../evil.txt" "path leads out of the directory"
	hostile absolute "$BATS_TEST_TMPDIR/abs-evil.txt" "absolute path" "$BATS_TEST_TMPDIR/abs-evil.txt"
	[ ! -e "$BATS_TEST_TMPDIR/abs-evil.txt" ]
	hostile symlink "logs/link" "link leads out of the directory"
	hostile abssymlink "logs/link" "link leads out of the directory"
	hostile hardlink "logs/hard" "link leads out of the directory"
	hostile device "logs/null" "device file"
	hostile fifo "logs/pipe" "special file"
	hostile big "logs/big.log" "larger than the limit for one file" 5000 "--max-size 1000"
	# --keep-archive keeps even a refused archive, for a look at it
	run credfw logs -o kept --keep-archive --max-size 1k
	assert_failure 1
	[ -s kept/logs-*.tar.gz ]
	# back to the camera's own logs
	credctl sim logs-archive off >/dev/null
	run credfw logs -o fine
	assert_success
}

@test "logs on a full disk: the error says so, and nothing is left half unpacked" {
	mkdir box
	mount -t tmpfs -o size=64k tmpfs box || skip "cannot mount a tmpfs (not root)"
	start_sim cred3
	# a first member that fits, a second that does not
	python3 "$ARC" hostile big.tgz big 400000
	credctl sim logs-archive "$PWD/big.tgz" >/dev/null
	run credfw logs -o box/out
	assert_failure 1
	assert_output --partial "cannot unpack the logs into 'box/out': cannot write 'logs/big.log': No space left on device (free some space there"
	assert_output --partial "nothing was unpacked"
	run find box -mindepth 1
	assert_output ""
	# with room, the same archive unpacks whole
	umount box
	run credfw logs -o box/out
	assert_success
	assert_line "box/out: 2 files"
	[ "$(stat -c %s box/out/logs/big.log)" = 400000 ]
}

# ---- test patterns ---------------------------------------------------------------------------

@test "testpattern round trip: 32 frames uploaded, credgrab reads the same pixels back" {
	python3 "$ARC" frames frames.raw 32
	run sim credone --no-pacing -- sh -c '
		credfw testpattern status &&
		credfw testpattern upload frames.raw &&
		credfw testpattern on &&
		credfw testpattern status --json &&
		credgrab -n 40 -o got.raw -q &&
		credfw testpattern off &&
		credgrab -n 2 -o sensor.raw -q'
	assert_success
	assert_line "off"
	assert_line --regexp '^test pattern: 32 images from 32 frames'
	assert_line "testpattern: on"
	assert_line --partial '"testpattern": "on"'
	assert_line "testpattern: off"
	run python3 "$CMP" got.raw frames.raw 32
	assert_success
	assert_output "40"
	run python3 "$CMP" sensor.raw frames.raw 32
	assert_failure
}

@test "testpattern: fewer frames repeat in order (FITS in), more than 32 and bad geometry refused" {
	python3 "$ARC" frames three.raw 3
	python3 "$ARC" frames many.raw 33
	python3 "$ARC" frames wide.raw 1 640 512
	credgrab -s three.raw -m credone --tags none -f fits -o three.fits -q
	credgrab -s wide.raw -m cred3 --tags none -f fits -o wide.fits -q
	run sim credone --no-pacing -- sh -c '
		credfw testpattern upload three.fits && credfw testpattern on >/dev/null &&
		credgrab -n 8 -o got.raw -q'
	assert_success
	assert_output --partial "3 frames repeated in order"
	run python3 "$CMP" got.raw three.raw 3
	assert_success
	start_sim credone
	run credfw testpattern upload many.raw
	assert_failure 2
	assert_output --partial "more than 32 frames"
	run credfw testpattern upload wide.fits
	assert_failure 2
	assert_output --partial "full sensor geometry"
	run credfw testpattern upload nothing.fits
	assert_failure 1
	assert_output --partial "nothing.fits"
	stop_sim
	start_sim cred3
	for a in "upload three.raw" on off status; do
		run credfw testpattern $a
		assert_failure 1
		assert_output "credfw: the C-RED 3 has no test patterns"
	done
}

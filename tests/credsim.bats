#!/usr/bin/env bats
# credsim, the simulated camera: driven for real over TCP (bash /dev/tcp)
# and its pseudo-terminal. Waits are bounded; nothing asserts durations.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
bats_require_minimum_version 1.5.0

setup() {
	if [ -n "${CRED_TEST_BUILD:-}" ] && [ -x "$CRED_TEST_BUILD/bin/credsim" ]; then
		CREDSIM=$CRED_TEST_BUILD/bin/credsim
	else
		CREDSIM=$(command -v credsim) || skip "credsim not built"
	fi
	REPO=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
	# the default pty directory goes here, so leftovers are seen
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	SIM_PID=
	SIM_FD=7
}

teardown() {
	exec 7>&- 8>&- 9>&- 2>/dev/null || true
	if [ -n "$SIM_PID" ]; then
		kill "$SIM_PID" 2>/dev/null || true
		wait "$SIM_PID" 2>/dev/null || true
	fi
}

# Start credsim serving in the background; TCP and PTY get its endpoints
# and fd 7 a TCP connection to it. (fd 3 belongs to bats: the background
# process must not keep it.)
start_sim() {
	"$CREDSIM" "$@" >"$BATS_TEST_TMPDIR/endpoints" 2>"$BATS_TEST_TMPDIR/stderr" 3>&- &
	SIM_PID=$!
	for _ in $(seq 100); do
		[ "$(wc -l <"$BATS_TEST_TMPDIR/endpoints")" -ge 2 ] && break
		sleep 0.1
	done
	TCP=$(sed -n 's/^tcp://p' "$BATS_TEST_TMPDIR/endpoints")
	PTY=$(sed -n 2p "$BATS_TEST_TMPDIR/endpoints")
	[ -n "$TCP" ] && [ -n "$PTY" ] || { cat "$BATS_TEST_TMPDIR/stderr"; return 1; }
	exec 7<>"/dev/tcp/${TCP%:*}/${TCP##*:}"
}

# Read one answer (up to the prompt) from $SIM_FD, without the prompt and
# the carriage returns.
answer() {
	local chunk acc=
	while IFS= read -r -d '>' -t 10 chunk <&"$SIM_FD"; do
		acc+=$chunk
		[[ $acc == *fli-cli ]] && break
		acc+='>'
	done
	[[ $acc == *fli-cli ]] || { echo "no answer (got '$acc')" >&2; return 1; }
	acc=${acc%fli-cli}
	acc=${acc//$'\r'/}
	printf '%s\n' "${acc%$'\n'}"
}

cmd() {
	printf '%s\n' "$1" >&"$SIM_FD"
	answer
}

# Poll `status raw` until it says $1 (at most about 20 s).
wait_status() {
	local s
	for _ in $(seq 200); do
		s=$(cmd "status raw" | grep -v '^event:' | tail -n 1)
		[ "$s" = "$1" ] && return 0
		sleep 0.1
	done
	echo "status stayed '$s', expected '$1'" >&2
	return 1
}

# ---- command line ----

@test "--help is on stdout, --version, usage errors exit 2" {
	run "$CREDSIM" --help
	assert_success
	assert_output --partial "Usage: credsim"
	run "$CREDSIM" -V
	assert_success
	assert_output --partial "credsim (credtools)"
	run "$CREDSIM" --bogus
	assert_failure 2
	run "$CREDSIM" -m cred5
	assert_failure 2
	assert_output --partial "unknown model 'cred5'"
	run "$CREDSIM" --no-tcp --no-pty
	assert_failure 2
	run "$CREDSIM" --time-scale 0
	assert_failure 2
	run "$CREDSIM" --firmware 3.1
	assert_failure 2
	run "$CREDSIM" --fault stall:x
	assert_failure 2
	assert_output --partial "invalid fault 'stall:x'"
	run "$CREDSIM" --state poorvacuum
	assert_failure 2
	assert_output --partial "no state 'poorvacuum' on a C-RED 3"
}

@test "the man page and the completions cover every option of --help" {
	local opt
	run "$CREDSIM" --help
	for opt in $(printf '%s\n' "$output" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "${opt//-/\\\\-}" "$REPO/man/credsim.1" || fail "man page lacks $opt"
		grep -q -- "$opt" "$REPO/completions/bash/credsim" || fail "bash completion lacks $opt"
		grep -q -- "$opt" "$REPO/completions/zsh/_credsim" || fail "zsh completion lacks $opt"
	done
}

@test "the man page documents every sim command" {
	local line
	start_sim
	run cmd "sim help"
	assert_success
	while read -r line; do
		line=${line%%  *}
		line=${line%% <*}
		grep -q -- "^\.BI\? \"\?$line\( \|\"\|$\)" "$REPO/man/credsim.1" ||
			fail "man page lacks '$line'"
	done <<<"$output"
}

@test "tests/data command tables are what credsim implements" {
	local m
	for m in cred3 credone; do
		start_sim -m "$m"
		run cmd "sim commands"
		assert_success
		diff <(printf '%s\n' "$output") "$REPO/tests/data/commands-$m.tsv" ||
			fail "tests/data/commands-$m.tsv differs from 'sim commands'"
		kill "$SIM_PID"
		wait "$SIM_PID" || true
		SIM_PID=
	done
}

# ---- endpoints and protocol ----

@test "serves TCP and the pty, keeps state across connections, cleans up on SIGTERM" {
	start_sim
	[ -L "$PTY" ]
	run cmd "set fps 250"
	assert_output "Result: OK"
	exec 7>&-
	exec 7<>"/dev/tcp/${TCP%:*}/${TCP##*:}"
	run cmd "fps raw"
	assert_output "250"
	# the pty: open, use, close, reopen
	exec 8<>"$PTY"
	SIM_FD=8
	run cmd "fps raw"
	assert_output "250"
	exec 8>&-
	exec 8<>"$PTY"
	run cmd "set fps 300"
	assert_output "Result: OK"
	exec 8>&-
	SIM_FD=7
	run cmd "fps"
	assert_output "Frames per second: 300.000000"
	kill "$SIM_PID"
	wait "$SIM_PID" || true
	SIM_PID=
	[ ! -e "$PTY" ]
	[ -z "$(ls -A "$TMPDIR")" ]
}

@test "two TCP clients at once each get their own answers" {
	start_sim
	exec 9<>"/dev/tcp/${TCP%:*}/${TCP##*:}"
	printf 'fps raw\n' >&7
	printf 'cameratype raw\n' >&9
	SIM_FD=9
	run answer
	assert_output "C-RED 3"
	SIM_FD=7
	run answer
	assert_output "600"
	exec 9>&-
	run cmd "status raw"
	assert_output "operational"
}

@test "--pty LINK is used and never overwritten" {
	start_sim --pty "$BATS_TEST_TMPDIR/cam"
	[ "$PTY" = "$BATS_TEST_TMPDIR/cam" ]
	[ -L "$PTY" ]
	run "$CREDSIM" --pty "$BATS_TEST_TMPDIR/cam" -- true
	assert_failure 1
	assert_output --partial "cannot create '$BATS_TEST_TMPDIR/cam': File exists"
}

@test "empty line answers the bare prompt; \\r and \\r\\n end lines" {
	start_sim
	printf '\n' >&7
	run bash -c 'head -c 10 <&7 | od -An -c | tr -s " "'
	assert_output " \r \n f l i - c l i >"
	printf 'fps raw\r\n' >&7
	run answer
	assert_output "600"
	printf 'fps raw\rstatus raw\r' >&7
	run answer
	assert_output "600"
	run answer
	assert_output "operational"
	# one \r\n gave one answer: the next is the answer to the next command
	run cmd "cameratype raw"
	assert_output "C-RED 3"
}

@test "answers: raw and verbose forms of the contract commands" {
	start_sim
	run cmd "cameratype raw"
	assert_output "C-RED 3"
	run cmd "cameratype"
	assert_line --index 0 "Camera type: C-RED 3"
	assert_line --partial "Serial number:"
	assert_line --partial "Sensor:"
	assert_line --partial "Interface:"
	run cmd "version firmware raw"
	assert_output "3.1.1"
	run cmd "version"
	assert_line --index 0 "Firmware version: 3.1.1"
	run cmd "status raw"
	assert_output "operational"
	run cmd "fps raw"
	assert_output "600"
	run cmd "fps"
	assert_output "Frames per second: 600.000000"
	run cmd "minfps raw"
	assert_output "0.0001"
	run cmd "maxfps raw"
	assert_output "600"
	run cmd "maxfpsusb raw"
	assert_output --regexp '^[0-9.]+$'
	run cmd "mintint raw"
	assert_output --regexp '^[0-9.e-]+$'
	run cmd "bias raw"
	assert_output "off"
	run cmd "imagetags raw"
	assert_output "on"
	run cmd "cropping raw"
	assert_output "off"
	run cmd "cropping columns raw"
	assert_output "0-639"
	run cmd "cropping rows raw"
	assert_output "0-511"
	run cmd "cropping"
	assert_output "Cropping off: columns: 0-639 rows:    0-511"
	run cmd "temperatures CPU raw"
	assert_output --regexp '^[0-9]+\.[0-9][0-9]$'
	run cmd "temperatures"
	assert_line --index 0 --regexp '^CPU temperature: [0-9.]+ C$'
	assert_equal "${#lines[@]}" 5
	run cmd "temp snake raw"
	assert_output --regexp '^[0-9]+\.[0-9][0-9]$'
	run cmd "hwuid raw"
	assert_output --regexp '^0x[0-9a-f]+$'
	run cmd "swfeatures raw"
	assert_output "0x001d"
	run cmd "licenses"
	assert_output $'hdr.lic\nOK'
	run cmd "preset raw"
	assert_output "0"
}

@test "answers: C-RED One forms" {
	start_sim -m credone
	run cmd "cameratype raw"
	assert_output "C-RED ONE"
	run cmd "version firmware raw"
	assert_output "2.3.0"
	run cmd "cropping raw"
	assert_output "off:1-10:1-256"
	run cmd "cropping columns raw"
	assert_output "1-10"
	run cmd "pressure raw"
	assert_output "2.3e-05"
	run cmd "pressure"
	assert_output "Pressure: 2.3e-05 mbar"
	run cmd "temperatures raw"
	assert_output --regexp '^([0-9.]+:){7}[0-9.]+$'
	run cmd "temperatures cryostat diode"
	assert_output "Cryostat diode temperature: 80.00 K"
	run cmd "powers raw"
	assert_output --regexp '^[0-9.]+:[0-9.]+$'
	run cmd "getter nbregeneration raw"
	assert_output "0"
	run cmd "getter regeremainingtime raw"
	assert_output "0"
	run cmd "all raw"
	assert_output --regexp '^operational:3500:1:globalresetsingle:'
	[ "$(awk -F: '{print NF}' <<<"$output")" -eq 33 ]
	run cmd "maxpossiblegain raw"
	assert_output "60"
	run cmd "mode raw"
	assert_output "globalresetsingle"
	run cmd "temperature"
	assert_line --partial "Water temperature:"
}

@test "rejections: syntax errors, ranges, granularity" {
	start_sim
	run cmd "xyzzy"
	assert_output "Syntax error next to 'xyzzy'"
	run cmd "set fps"
	assert_output "Syntax error next to 'fps'"
	run cmd "max"
	assert_output "Syntax error next to 'max'"
	run cmd "set fps 700"
	assert_output "Error: fps out of range [0.0001-600]"
	run cmd "set fps abc"
	assert_output --partial "Error: invalid value 'abc'"
	run cmd "set cropping columns 0-319 rows 0-255"
	assert_output "Syntax error next to 'rows'"
	run cmd "set cropping columns 0-300"
	assert_output --partial "Error: invalid cropping columns '0-300'"
	run cmd "set cropping columns 16-319"
	assert_output --partial "Error:"
	run cmd "set cropping rows 0-513"
	assert_output --partial "Error:"
	run cmd "set cropping rows 2-255"
	assert_output --partial "Error:"
	run cmd "set tint 5"
	assert_output --partial "Error: tint out of range"
	run cmd "set ip address 300.1.1.1"
	assert_output --partial "Error: invalid IPv4 address"
	run cmd "set darkoptimlevel 101"
	assert_output "Error: darkoptimlevel out of range [0-100]"
	run cmd "snake nope"
	assert_output "Error: unknown snake parameter 'nope'"
	run cmd "set voltage vref 2.0"
	assert_output --partial "Error: VREF is adjusted automatically"
	run cmd "set extsynchro source cc1"
	assert_output "Result: OK"
	run cmd "sim interface usb"
	run cmd "set extsynchro source cc2"
	assert_output --partial "Error:"
	run cmd "swtrig"
	assert_output --partial "Error: software synchronization is off"
	# a line longer than any command is refused whole, never cut and run
	run cmd "set password $(printf 'A%.0s' $(seq 5000))"
	assert_output "Syntax error next to 'set'"
	run cmd "password raw"
	assert_output "flicred1"
}

@test "set fps resets tint to the maximum; tint range follows fps" {
	start_sim
	run cmd "set tint 0.0005"
	assert_output "Result: OK"
	# kept on the granularity's step: 182 x 50 clocks of 18.214 MHz
	run cmd "tint raw"
	assert_output "0.00049961568"
	run cmd "set fps 100"
	assert_output "Result: OK"
	tint=$(cmd "tint raw")
	maxtint=$(cmd "maxtint raw")
	assert_equal "$tint" "$maxtint"
	awk -v t="$tint" 'BEGIN { exit !(t > 0.0099 && t < 0.01) }'
	run cmd "set tint 0.009"
	assert_output "Result: OK"
	run cmd "set fps 600"
	run cmd "set tint 0.009"
	assert_output --partial "Error: tint out of range"
	run cmd "tintgranularity raw"
	assert_output "on"
	hi=$(cmd "mintint raw")
	run cmd "set tintgranularity off"
	lo=$(cmd "mintint raw")
	awk -v a="$lo" -v b="$hi" 'BEGIN { exit !(a < b) }'
}

@test "maxfps follows cropping; fps is pulled into range; HDR needs 96x72" {
	start_sim
	run cmd "set cropping columns 0-319"
	assert_output "Result: OK"
	run cmd "set cropping rows 0-255"
	assert_output "Result: OK"
	run cmd "maxfps raw"
	assert_output "600"
	run cmd "set cropping on"
	assert_output "Result: OK"
	small=$(cmd "maxfps raw")
	awk -v m="$small" 'BEGIN { exit !(m > 600) }'
	run cmd "set fps $small"
	assert_output "Result: OK"
	run cmd "set cropping rows 0-511"
	assert_output "Result: OK"
	mid=$(cmd "maxfps raw")
	awk -v a="$mid" -v b="$small" 'BEGIN { exit !(a < b) }'
	run cmd "fps raw"
	assert_output "$mid"
	run cmd "cropping raw"
	assert_output "on"
	run cmd "set cropping rows 0-71"
	run cmd "set hdr on"
	assert_output "Result: OK"
	run cmd "set cropping rows 0-63"
	assert_output --partial "Error: HDR mode needs a window of at least 96x72"
	run cmd "set cropping off"
	run cmd "maxfps raw"
	assert_output "600"
}

@test "C-RED One: list cropping, mode change resets gain, gain range" {
	start_sim -m credone
	run cmd "set cropping columns 1,3,9-10"
	assert_output "Result: OK"
	run cmd "set cropping rows 1-64,100,102-103"
	assert_output "Result: OK"
	run cmd "cropping raw"
	assert_output "off:1,3,9-10:1-64,100,102-103"
	run cmd "set cropping columns 0-3"
	assert_output --partial "Error:"
	run cmd "set cropping columns 1,11"
	assert_output --partial "Error:"
	run cmd "set cropping rows 1,"
	assert_output --partial "Error:"
	run cmd "set cropping on"
	big=$(cmd "maxfps raw")
	awk -v m="$big" 'BEGIN { exit !(m > 3500) }'
	run cmd "set gain 25"
	assert_output "Result: OK"
	# above the COMMON voltage limit the gain is locked, not refused
	run cmd "set gain 61"
	assert_line "Result: OK"
	run cmd "gain raw"
	assert_output "60"
	run cmd "set gain 0"
	assert_output --partial "Error: gain out of range"
	run cmd "set mode globalreset"
	assert_output "Result: OK"
	run cmd "mode raw"
	assert_output "globalresetsingle"
	run cmd "gain raw"
	assert_output "1"
	run cmd "set nloop 65"
	assert_output "Error: nloop out of range [1-64]"
}

@test "presets: save, load, reload, restorefactory reboots" {
	start_sim --time-scale 50
	run cmd "set fps 100"
	run cmd "save"
	assert_output "Result: OK"
	run cmd "set preset 4"
	assert_output "Result: OK"
	run cmd "preset raw"
	assert_output "4"
	run cmd "fps raw"
	assert_output "600"
	run cmd "set fps 200"
	run cmd "save"
	run cmd "set fps 300"
	run cmd "set preset"
	run cmd "fps raw"
	assert_output "200"
	run cmd "set preset 0"
	run cmd "fps raw"
	assert_output "100"
	run cmd "set preset 10"
	assert_output "Syntax error next to '10'"
	run cmd "restorefactory"
	assert_output "Result: OK"
	wait_status operational
	run cmd "set preset 4"
	run cmd "fps raw"
	assert_output "600"
}

@test "every command of the tables is known (C-RED 3 and C-RED One)" {
	local m kind command args fw desc line a out bad=
	for m in cred3 credone; do
		start_sim -m "$m" --time-scale 1000
		# fields split on \037, not on tabs: IFS whitespace would merge empty fields
		while IFS=$'\037' read -r kind command args fw desc; do
			[ "$kind" = kind ] && continue
			case $command in
			sendfile* | xsendfile* | "recvfile "*content | "exec uploadfirmware" | shutdown | reboot | restorefactory | \
			"buildnuc bias" | "buildnuc flat"*) continue ;;
			esac
			line=$command
			for a in $args; do
				case $a in
				'<fpsValue>') a=100 ;;
				'<intValue>') a=0.001 ;;
				'<vrefValue>') a=2.0 ;;
				'<columnsValue>') [ "$m" = cred3 ] && a=0-319 || a=1-5 ;;
				'<rowsValue>') [ "$m" = cred3 ] && a=0-255 || a=1-128 ;;
				'<password>') a=flicred1 ;;
				'<ip>' | '<gateway>' | '<dns>') a=192.168.0.30 ;;
				'<mask>') a=255.255.255.0 ;;
				'<parameter>') a=blm_en ;;
				'<license>' | '<licence>') a=nolicense.lic ;;
				'<from>') a=2024-01-01 ;;
				'<url>') a=http://127.0.0.1:9/file ;;
				'<delay>') a=0.0001 ;;
				*) [ "$command" = "set agc roi" ] && a=0,0,64,64 || a=1 ;;
				esac
				line="$line $a"
			done
			out=$(cmd "$line") || fail "no answer to '$line'"
			[[ $out == "Syntax error"* ]] && bad="$bad; $m '$line': $out"
		done < <(tr '\t' '\037' <"$REPO/tests/data/commands-$m.tsv")
		kill "$SIM_PID"
		wait "$SIM_PID" || true
		SIM_PID=
	done
	[ -z "$bad" ] || fail "unknown commands:$bad"
}

@test "firmware gates commands as unknown" {
	start_sim --firmware 1.0.0
	run cmd "hwfeatures"
	assert_output "Syntax error next to 'hwfeatures'"
	run cmd "extsynchro source"
	assert_output "Syntax error next to 'source'"
	run cmd "version firmware raw"
	assert_output "1.0.0"
	exec 7>&-
	kill "$SIM_PID"
	wait "$SIM_PID" || true
	start_sim --firmware 1.1.0
	run cmd "hwfeatures raw"
	assert_output "0x0601"
	run cmd "set extsynchro source external"
	assert_output "Result: OK"
	run cmd "set extsynchro source cc1"
	assert_output "Syntax error next to 'cc1'"
	run cmd "set hdr on"
	assert_output "Syntax error next to 'hdr'"
}

# ---- files ----

@test "sendfile: correct MD5, wrong MD5, wrong size, stalled upload" {
	start_sim
	# random values within the bias range 0-16383 (14 bits)
	python3 -c 'import os, sys; d = bytearray(os.urandom(655360)); d[1::2] = bytes(b & 0x3f for b in d[1::2]); sys.stdout.buffer.write(d)' >"$BATS_TEST_TMPDIR/bias"
	md5=$(md5sum "$BATS_TEST_TMPDIR/bias" | cut -d' ' -f1)
	{ printf 'sendfile bias 655360 %s\n' "$md5"; cat "$BATS_TEST_TMPDIR/bias"; } >&7
	run answer
	assert_output "Result: OK"
	{ printf 'sendfile flat 655360 %s\r\n' 0123456789abcdef0123456789abcdef; cat "$BATS_TEST_TMPDIR/bias"; } >&7
	run answer
	assert_output --partial "Error: sendfile flat: MD5 mismatch"
	head -c 100 "$BATS_TEST_TMPDIR/bias" >"$BATS_TEST_TMPDIR/small"
	{ printf 'sendfile bias 100 %s\n' "$(md5sum <"$BATS_TEST_TMPDIR/small" | cut -d' ' -f1)"
	  cat "$BATS_TEST_TMPDIR/small"; } >&7
	run answer
	assert_output --partial "bias file must be 655360 bytes"
	run cmd "sendfile bias 12 nothex"
	assert_output --partial "Error: invalid MD5 'nothex'"
	# 1000 bytes then silence: the interpreter restarts after its timeout
	{ printf 'sendfile bias 655360 %s\n' "$md5"; head -c 1000 "$BATS_TEST_TMPDIR/bias"; } >&7
	run answer
	assert_output "Error: sendfile bias: timeout, received 1000 of 655360 bytes"
	run cmd "status raw"
	assert_output "operational"
}

@test "recvfile returns the bad pixel maps; sendfile userbadpixel replaces the user one" {
	start_sim
	run cmd "recvfile factbadpixel size raw"
	assert_output "40960"
	md5=$(cmd "recvfile factbadpixel md5sum raw")
	printf 'recvfile factbadpixel content\n' >&7
	head -c 40960 <&7 >"$BATS_TEST_TMPDIR/fact"
	run answer
	assert_output ""
	assert_equal "$(md5sum <"$BATS_TEST_TMPDIR/fact" | cut -d' ' -f1)" "$md5"
	head -c 40960 /dev/zero >"$BATS_TEST_TMPDIR/user"
	umd5=$(md5sum <"$BATS_TEST_TMPDIR/user" | cut -d' ' -f1)
	{ printf 'sendfile userbadpixel 40960 %s\n' "$umd5"; cat "$BATS_TEST_TMPDIR/user"; } >&7
	run answer
	assert_output "Result: OK"
	run cmd "recvfile userbadpixel md5sum raw"
	assert_output "$umd5"
	run cmd "recvfile factbadpixel md5sum raw"
	assert_output "$md5"
}

@test "xsendfile starts an XMODEM receiver; an unreachable URL fails" {
	start_sim
	printf 'xsendfile bias 655360 0123456789abcdef0123456789abcdef\n' >&7
	IFS= read -r -n 1 -t 10 start <&7
	[ "$start" = C ] # CRC-16 asked for
	printf '\030\030' >&7 # the sender cancels
	run answer
	assert_output "Error: xsendfile bias: transfer cancelled by the sender after 0 blocks"
	run cmd "getbias http://127.0.0.1:9/bias.bin"
	assert_output --partial "Error: getbias: download of 'http://127.0.0.1:9/bias.bin' failed"
}

@test "license files: sendfile license, disable, enable, delete" {
	start_sim
	printf 'feature=test\n' >"$BATS_TEST_TMPDIR/lic"
	{ printf 'sendfile license test.lic 13 %s\n' "$(md5sum <"$BATS_TEST_TMPDIR/lic" | cut -d' ' -f1)"
	  cat "$BATS_TEST_TMPDIR/lic"; } >&7
	run answer
	assert_output "Result: OK"
	run cmd "licenses"
	assert_output $'hdr.lic\ntest.lic\nOK'
	run cmd "exec disablelicense test.lic"
	assert_output "OK"
	run cmd "licenses raw"
	assert_output $'hdr.lic\ntest.lic.disabled'
	run cmd "exec dellicense test.lic"
	run cmd "exec dellicense test.lic"
	assert_output "Error: no license file 'test.lic'"
}

# ---- states ----

@test "C-RED 3: prevsafe, continue, reboot through starting, events" {
	start_sim --state prevsafe --time-scale 20
	run cmd "status raw"
	assert_output "prevsafe"
	run cmd "set events on"
	run cmd "continue"
	assert_output "Result: OK"
	wait_status operational
	run cmd "continue"
	assert_output --partial "Error: nothing to continue"
	run cmd "reboot"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output --partial "event: status changed to starting (reboot requested)"
	wait_status operational
	run cmd "status detailed raw"
	assert_output "boot completed"
}

@test "C-RED 3: starting refuses changes; --boot ends operational" {
	# real time: the boot takes 20 s, so the states are seen for sure
	start_sim --boot
	run cmd "status raw"
	assert_output "starting"
	run cmd "set fps 10"
	assert_output "Error: camera not ready (status: starting)"
	run cmd "fps raw"
	assert_output "600"
	run cmd "sim advance 16"
	run cmd "status raw"
	assert_output "configuring"
	run cmd "sim advance 5"
	wait_status operational
	run cmd "set fps 10"
	assert_output "Result: OK"
}

@test "shutdown: a last answer, then silence until sim power on" {
	start_sim
	run cmd "shutdown"
	assert_line --index 0 "Camera shut down: the power can be switched off"
	assert_line --index 1 "Result: OK"
	printf 'status raw\n\n' >&7
	run bash -c 'IFS= read -r -d ">" -t 1 x <&7'
	assert_failure
	run cmd "sim power on"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output "starting"
	run cmd "sim advance 30"
	wait_status operational
}

@test "safe mode on overheating; reboot leads to prevsafe" {
	start_sim --time-scale 20
	run cmd "set events on"
	run cmd "sim temperature cpu 95"
	assert_output --partial "Result: OK"
	run cmd "status raw"
	assert_line "event: error: CPU temperature 95.0 C above 90 C, entering safe mode"
	assert_equal "${lines[-1]}" "safe"
	run cmd "set fps 10"
	assert_output --partial "Error: command failed: camera in safe mode"
	run cmd "licenses raw"
	assert_output "hdr.lic"
	run cmd "sim temperature cpu 50"
	run cmd "reboot"
	wait_status prevsafe
}

@test "C-RED One: boot, continue, cooling to operational, standby, warm gain" {
	start_sim -m credone --boot --time-scale 50
	wait_status ready
	run cmd "set gain 5"
	assert_output --partial "Error: gain above 1 needs a cooled camera"
	run cmd "set events on"
	run cmd "set cooling on"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output --partial "isbeingcooled"
	run cmd "sim advance 2000"
	assert_output --partial "Result: OK"
	wait_status operational
	run cmd "temperatures cryostat diode raw"
	assert_output "80.00"
	run cmd "ptready raw"
	assert_output "on"
	run cmd "set gain 5"
	assert_output "Result: OK"
	run cmd "set standby on"
	wait_status standby
	run cmd "set standby off"
	wait_status operational
	run cmd "set cooling off"
	assert_output "Result: OK"
	wait_status ready
	run cmd "gain raw"
	assert_output "1"
}

@test "C-RED One: poor and faulty vacuum, prevsafe" {
	start_sim -m credone --state poorvacuum
	run cmd "pressure raw"
	assert_output "8.0e-03"
	run cmd "set cooling on"
	assert_output --partial "use continue first"
	run cmd "continue"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output "ready"
	run cmd "sim state faultyvacuum"
	run cmd "continue"
	assert_output --partial "Error: vacuum too poor"
	run cmd "exec redovacuum"
	assert_output --partial "pump the cryostat first"
	run cmd "sim state presave"
	run cmd "status raw"
	assert_output "prevsafe"
}

@test "C-RED One: getter regeneration and the lock rule" {
	start_sim -m credone --state ready
	run cmd "exec redovacuum"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output "vacuumrege"
	run cmd "getter regeremainingtime raw"
	assert_output --regexp '^7[0-9]{3}$'
	run cmd "set fps 10"
	assert_output --partial "getter regeneration in progress"
	run cmd "getter nbregeneration raw"
	assert_output "1"
	for _ in 1 2 3; do
		run cmd "sim advance 7300"
		wait_status ready
		run cmd "exec redovacuum"
		assert_output "Result: OK"
	done
	run cmd "sim advance 7300"
	wait_status ready
	run cmd "pressure raw"
	assert_output "4.0e-06"
	run cmd "exec redovacuum"
	assert_output "Error: getter regeneration refused: 4 regenerations within 48 hours, camera locked"
	run cmd "status raw"
	assert_output "locked"
	# 48 hours later the count window has passed, but locked is for good
	run cmd "sim advance 200000"
	run cmd "status raw"
	assert_output "locked"
}

@test "C-RED One: water temperature warns, then trips safe mode" {
	start_sim -m credone
	run cmd "set events on"
	run cmd "sim water 45"
	assert_output --partial "Result: OK"
	run cmd "status raw"
	assert_line --index 0 "event: warning: Water temperature 45.0 C above 40 C"
	assert_line --index 1 "operational"
	run cmd "sim water 51"
	run cmd "status raw"
	assert_output --partial "status changed to safe"
	assert_line --index 2 "safe"
	run cmd "cooling raw"
	assert_output "off"
	run cmd "sim pressure 7e-3"
	run cmd "pressure raw"
	assert_output --partial "getter regeneration recommended"
}

@test "C-RED 3: buildnuc makes the camera busy; progress and abort" {
	start_sim
	run cmd "buildnuc bias 5"
	assert_output "Error: nbframes out of range [10-256]"
	run cmd "set fps 20"
	run cmd "buildnuc bias 256"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output --partial "Error: camera busy"
	run cmd "buildnuc progress raw"
	assert_output --regexp '^[0-9]+\.[0-9]$'
	run cmd "buildnuc abort"
	assert_output "Result: OK"
	run cmd "status raw"
	assert_output "operational"
	run cmd "set events on"
	run cmd "set fps 600"
	run cmd "buildnuc bias 10"
	for _ in $(seq 100); do
		out=$(cmd "buildnuc progress raw")
		[[ $out == *"buildnuc bias done"* ]] && break
		sleep 0.1
	done
	[[ $out == *"event: buildnuc bias done"* ]]
	run cmd "exec buildbias"
	assert_output "Compute bias image........Done"
}

# ---- faults ----

@test "fault double-prompt on the Nth matching command" {
	start_sim --fault 'double-prompt/fps@2'
	run cmd "fps raw"
	assert_output "600"
	run cmd "cameratype raw"
	assert_output "C-RED 3"
	run cmd "fps raw"
	assert_output "600"
	run answer
	assert_output ""
	run cmd "sim fault"
	assert_output "double-prompt/fps@2 (matched 2, fired 1)"
}

@test "fault late-tail: part of the answer comes again after the prompt" {
	start_sim -m credone --fault 'late-tail:100/pressure'
	run cmd "pressure raw"
	assert_output "2.3e-05"
	run answer
	assert_output "e-05"
	run cmd "fps raw"
	assert_output "3500"
}

@test "faults drop, garbage, stall, no-answer, switched at run time" {
	start_sim
	run cmd "sim fault drop:3/cameratype"
	assert_output "Result: OK"
	run cmd "cameratype raw"
	assert_equal "${#output}" 4
	refute_output "C-RED 3"
	run cmd "sim fault clear"
	run cmd "cameratype raw"
	assert_output "C-RED 3"
	run cmd "sim fault garbage:6/led@1"
	printf 'led raw\n' >&7
	head -c 6 <&7 >/dev/null
	run answer
	assert_output "on"
	run cmd "sim fault stall:4000/hwuid@1"
	printf 'hwuid raw\n' >&7
	run bash -c 'IFS= read -r -d ">" -t 1 x <&7'
	assert_failure
	run answer
	assert_output --regexp '^0x'
	run cmd "sim fault no-answer/tint@1"
	printf 'tint raw\n' >&7
	run bash -c 'IFS= read -r -d ">" -t 1 x <&7'
	assert_failure
	run cmd ""
	assert_output ""
	run cmd "tint raw"
	assert_output --regexp '^0\.00'
	run cmd "sim fault nonsense"
	assert_output --partial "Error: invalid fault 'nonsense'"
}

# ---- running a command ----

@test "-- COMMAND: environment, exit status, signals, no leftovers" {
	run "$CREDSIM" -- sh -c 'echo "$CRED_PORT|$CRED_SIM_TCP|$CRED_SIM_PTY"; test -L "$CRED_SIM_PTY"'
	assert_success
	assert_output --regexp '^tcp:127\.0\.0\.1:[0-9]+\|127\.0\.0\.1:[0-9]+\|.*/credsim-[0-9]+/tty$'
	run "$CREDSIM" --export pty -- sh -c 'echo "$CRED_PORT"'
	assert_output --regexp '/credsim-[0-9]+/tty$'
	run "$CREDSIM" --no-pty -- sh -c 'echo "[${CRED_SIM_PTY-unset}]"'
	assert_output "[unset]"
	run "$CREDSIM" -- sh -c 'exit 7'
	assert_failure 7
	run "$CREDSIM" -- sh -c 'kill -TERM $$'
	assert_failure 143
	run -127 "$CREDSIM" -- /nonexistent/command
	run "$CREDSIM" -m credone -- bash -c \
		'exec 7<>/dev/tcp/${CRED_SIM_TCP%:*}/${CRED_SIM_TCP##*:}; printf "status raw\n" >&7
		 IFS= read -r -d ">" -t 10 out <&7; printf "%s" "${out%%$'"'"'\r\n'"'"'fli-cli}"'
	assert_success
	assert_output "operational"
	[ -z "$(ls -A "$TMPDIR")" ]
}

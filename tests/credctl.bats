#!/usr/bin/env bats
# credctl against credsim over TCP: options, subcommands, JSON, presets,
# waiting, the shell, and the help text against the man page.

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

# ---- help, version, usage errors -------------------------------------------

@test "--help goes to stdout with exit 0" {
	run --separate-stderr credctl --help
	assert_success
	assert_line --partial "Usage: credctl"
	[ -z "$stderr" ]
	run credctl -h
	assert_success
	assert_line --partial "Usage: credctl"
}

@test "-V shows the tool and library versions" {
	run credctl -V
	assert_success
	assert_line --regexp '^credctl \(credtools\) [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --regexp '^libcred [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "an unknown option is a usage error on stderr" {
	run --separate-stderr credctl --no-such-option status
	assert_failure 2
	[ -z "$output" ]
	[[ $stderr == *"credctl: unknown option '--no-such-option'"* ]]
	[[ $stderr == *"Try 'credctl --help'"* ]]
	run credctl -Z status
	assert_failure 2
	assert_output --partial "unknown option '-Z'"
}

@test "missing arguments and commands are usage errors" {
	run credctl
	assert_failure 2
	assert_output --partial "no command given"
	run credctl -p
	assert_failure 2
	assert_output --partial "needs an argument"
	run credctl -t abc status
	assert_failure 2
	assert_output --partial "invalid timeout 'abc'"
	run credctl -t 5x status
	assert_failure 2
	run credctl -m cred9 status
	assert_failure 2
	assert_output --partial "unknown model 'cred9'"
}

@test "every long option in --help is in the man page and back" {
	local man="$CRED_TOP/man/credctl.1"
	run bash -c "credctl --help | grep -o -- '--[a-z][a-z-]*' | sort -u"
	assert_success
	local help_opts=$output
	# In roff a dash is written \-.
	run bash -c "sed 's/\\\\-/-/g' '$man' | grep -o -- '--[a-z][a-z-]*' | sort -u"
	assert_success
	local man_opts=$output
	[ -n "$help_opts" ] && [ -n "$man_opts" ]
	if [ "$help_opts" != "$man_opts" ]; then
		diff <(echo "$help_opts") <(echo "$man_opts") || true
		fail "long options differ between --help (<) and credctl.1 (>)"
	fi
}

@test "every subcommand in --help is documented in the man page" {
	local man="$CRED_TOP/man/credctl.1" sub
	for sub in get set status info temps wait list preset shell raw; do
		credctl --help | grep -qE "^  $sub( |$)" || fail "--help lacks $sub"
		grep -qE "^\.(B|BI|BR) $sub( |$)" "$man" || fail "credctl.1 lacks $sub"
	done
}

# ---- status, info, temps ----------------------------------------------------

@test "status of a C-RED 3" {
	run sim cred3 -- credctl status
	assert_success
	assert_line --regexp '^model: +C-RED 3$'
	assert_line --regexp '^state: +[a-z]+'
	assert_line --regexp '^frame rate: +[0-9.]+ Hz$'
	assert_line --regexp '^integration time: +[0-9.e-]+ s$'
	assert_line --regexp '^bias correction: +(on|off)'
	assert_line 'temperatures:'
	assert_line --regexp '^  sensor: +-?[0-9.]+ C$'
}

@test "status of a C-RED One" {
	run sim credone -- credctl status
	assert_success
	assert_line --regexp '^model: +C-RED One$'
	assert_line --regexp '^state: +[a-z]+'
	assert_line --regexp '^gain: +[0-9.]+'
	assert_line --regexp '^  water: +-?[0-9.]+ C$'
}

@test "info names model and versions" {
	run sim cred3 -- credctl info
	assert_success
	assert_line --regexp '^model: +C-RED 3$'
	assert_line --regexp '^firmware: +[0-9]+\.[0-9]+'
	assert_line --regexp '^hardware id: +.+'
	assert_line --regexp '^FPGA version: +.+'
	run sim credone -- credctl info
	assert_success
	assert_line --regexp '^model: +C-RED One$'
}

@test "temps lists the model's temperatures" {
	run sim cred3 -- credctl temps
	assert_success
	assert_line --regexp '^CPU: +-?[0-9.]+ C$'
	assert_line --regexp '^ambient: +-?[0-9.]+ C$'
	run sim credone -- credctl temps
	assert_success
	assert_line --regexp '^cryostat \(diode\): +-?[0-9.]+ K$'
}

# ---- get and set --------------------------------------------------------------

@test "get prints values in the order asked" {
	run sim cred3 -- sh -c 'credctl get fps tint; credctl fps raw; credctl tint raw'
	assert_success
	[ "${#lines[@]}" -eq 4 ]
	# get agrees with the camera's own raw answers.
	[ "$(echo "${lines[0]}" | awk '{print $1+0}')" = "$(echo "${lines[2]}" | awk '{print $1+0}')" ]
	[ "$(echo "${lines[1]}" | awk '{print $1+0}')" = "$(echo "${lines[3]}" | awk '{print $1+0}')" ]
}

@test "get -v adds names and units" {
	run sim cred3 -- credctl -v get fps
	assert_success
	assert_line --regexp '^fps: [0-9.]+ Hz$'
}

@test "get of an unknown name is a usage error with a hint" {
	run sim cred3 -- credctl get fps nosuchparam
	assert_failure 2
	assert_output --partial "unknown parameter 'nosuchparam'"
	assert_output --partial "credctl get --list"
	refute_line --regexp '^[0-9.]+$'
	run credctl get
	assert_failure 2
}

@test "get --list needs no camera and -q gives names only" {
	CRED_PORT=/dev/nonexistent run credctl get --list
	assert_success
	assert_line 'C-RED 3:'
	assert_line 'C-RED One:'
	assert_line --regexp '^  fps +rw '
	run credctl -m credone -q get --list
	assert_success
	assert_line gain
	refute_line sensibility
	run credctl -q get --list
	assert_success
	[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -d)" = "" ]
}

@test "set writes, reads back, and get sees it" {
	run sim cred3 -- sh -c 'credctl set fps 100 && credctl get fps'
	assert_success
	[ "$(awk '{print $1+0}' <<<"${lines[0]}")" = 100 ]
	[ "$(awk '{print $1+0}' <<<"${lines[1]}")" = 100 ]
}

@test "set several values in the order the camera needs" {
	# tint is given first but must be sent after fps (which resets it).
	run sim cred3 -- sh -c 'credctl set tint 0.001 fps 200 && credctl get fps tint'
	assert_success
	[ "$(awk '{print $1+0}' <<<"${lines[2]}")" = 200 ]
	[ "$(awk '{print $1+0}' <<<"${lines[3]}")" = 0.001 ]
}

@test "set rejects a value out of range before sending, with the range" {
	run sim cred3 -- sh -c 'credctl get fps; credctl set fps 100000; echo "rc=$?"; credctl get fps'
	assert_success
	assert_line "rc=2"
	assert_output --regexp "fps.*600"
	# Nothing was sent: the frame rate did not change.
	[ "${lines[0]}" = "${lines[-1]}" ]
}

@test "set rejects junk numbers and odd arguments" {
	run sim cred3 -- credctl set fps 10abc
	assert_failure 2
	run sim cred3 -- credctl set fps
	assert_failure 2
	assert_output --partial "NAME VALUE pairs"
	run sim cred3 -- credctl set nosuch 1
	assert_failure 2
	assert_output --partial "get --list"
}

@test "set refuses read-only parameters" {
	run sim cred3 -- credctl set maxfps 10
	assert_failure 2
	assert_output --partial "'maxfps' is read-only"
}

@test "set of a switch on a C-RED One" {
	run sim credone -- sh -c 'credctl set bias on && credctl get bias && credctl set bias off && credctl get bias'
	assert_success
	assert_equal "${lines[*]}" "on on off off"
}

# ---- raw commands ----------------------------------------------------------------

@test "a camera command passes through and prints the answer" {
	run sim cred3 -- credctl fps raw
	assert_success
	assert_output --regexp '^[0-9.]+$'
	run sim cred3 -- credctl raw status
	assert_success
	[ -n "$output" ]
}

@test "a rejected camera command exits 1 with the camera's text on stderr" {
	run --separate-stderr sim cred3 -- credctl xyzzy plugh
	assert_failure 1
	[ -z "$output" ]
	[[ $stderr == *"credctl: camera rejected 'xyzzy plugh': "* ]]
	[[ $stderr == *xyzzy* ]]
}

@test "raw sends commands named like subcommands" {
	run sim cred3 -- credctl raw set fps 50
	assert_success
	assert_output --partial OK
	run sim cred3 -- sh -c 'credctl raw set fps 50 >/dev/null && credctl raw fps raw'
	assert_success
	[ "$(awk '{print $1+0}' <<<"$output")" = 50 ]
	run credctl raw
	assert_failure 2
}

# ---- JSON ------------------------------------------------------------------------

@test "--json output parses for every data command" {
	local cmd
	for cmd in "get fps tint" "status" "info" "temps" "preset" "fps raw" "list" \
		"set fps 100" "wait operational"; do
		run sim cred3 -- sh -c "credctl --json $cmd"
		assert_success
		echo "$output" | json_ok || fail "credctl --json $cmd: not JSON: $output"
	done
	run credctl --json -m credone get --list
	assert_success
	echo "$output" | json_ok
}

@test "--json values are typed" {
	run sim cred3 -- credctl --json get fps
	assert_success
	run python3 -c 'import json,sys; d=json.load(sys.stdin); assert isinstance(d["fps"], (int, float)), d' <<<"$output"
	assert_success
	run sim cred3 -- credctl --json status
	assert_success
	run python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["model"] == "C-RED 3"; assert isinstance(d["temperatures"], dict) and d["temperatures"]' <<<"$output"
	assert_success
	run sim cred3 -- credctl status --json
	assert_success
	echo "$output" | json_ok
}

# ---- presets -------------------------------------------------------------------

@test "preset shows and loads presets" {
	run sim cred3 -- sh -c 'credctl preset 3 && credctl preset && credctl raw preset raw'
	assert_success
	assert_equal "${lines[*]}" "3 3 3"
}

@test "preset rejects bad numbers and models without presets" {
	run sim cred3 -- credctl preset 12
	assert_failure 2
	assert_output --partial "0-9"
	run sim cred3 -- credctl preset two
	assert_failure 2
	run sim credone -- credctl preset
	assert_failure 1
	assert_output --partial "no presets"
}

@test "preset save works on both models" {
	run sim cred3 -- credctl preset save
	assert_success
	run sim credone -- credctl preset save
	assert_success
}

@test "preset restore-factory asks, and refuses to guess without a terminal" {
	run --separate-stderr sim cred3 -- credctl preset restore-factory </dev/null
	assert_failure 2
	[[ $stderr == *"use -y"* ]]
	run sim cred3 -- credctl -y preset restore-factory </dev/null
	assert_success
}

# ---- wait --------------------------------------------------------------------

@test "wait returns the state once reached" {
	run sim cred3 -- credctl wait -t 60 operational
	assert_success
	assert_output operational
}

@test "wait times out with exit 3 and the last state" {
	run sim cred3 -- credctl wait -t 1 --interval 0.2 standby
	assert_failure 3
	assert_output --partial "waiting for 'standby'"
	assert_output --partial "last state: 'operational'"
}

@test "wait rejects unknown states" {
	run credctl wait operationnal
	assert_failure 2
	assert_output --partial "unknown state 'operationnal'"
	run credctl wait
	assert_failure 2
}

# ---- shell ---------------------------------------------------------------------

@test "shell reads commands from a pipe" {
	run --separate-stderr sim cred3 -- sh -c 'printf "# a comment\n\nfps raw\nxyzzy\ntint raw\n" | credctl shell'
	assert_failure 1
	[ "${#lines[@]}" -eq 2 ]
	assert_line --index 0 --regexp '^[0-9.]+$'
	assert_line --index 1 --regexp '^[0-9.e-]+$'
	[[ $stderr == *"camera rejected 'xyzzy'"* ]]
}

@test "shell stops at quit" {
	run sim cred3 -- sh -c 'printf "fps raw\nquit\nxyzzy\n" | credctl shell'
	assert_success
	assert_output --regexp '^[0-9.]+$'
}

@test "interactive shell: completion, answers and history" {
	export HOME="$BATS_TEST_TMPDIR"
	# "fp<Tab>" completes to "fps" from the C-RED 3's command table.
	run sim cred3 -- bash -c "$(declare -f pty_run); pty_run 'credctl> ' 'fp\\t raw\\n' 'xyzzy\\n' 'quit\\n' -- credctl shell"
	assert_success
	assert_line --regexp '^[0-9.]+$'
	assert_output --partial "camera rejected 'xyzzy'"
	run cat "$HOME/.credctl_history"
	assert_success
	assert_output --partial 'fps raw'
	assert_output --partial 'xyzzy'
}

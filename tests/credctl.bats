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

# complete WORDS...: what the bash completion offers for the last word.
complete_words() {
	bash -c '
		source "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_credctl credctl "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
		printf "%s\n" "${COMPREPLY[@]}"' sh "$CRED_TOP/completions/bash/credctl" "$@"
}

@test "bash completion: subcommands, options, names, states, presets" {
	run complete_words credctl ""
	assert_success
	for w in get set status info temps wait list preset shell raw --port --json --wait-lock; do
		assert_line "$w"
	done
	run complete_words credctl -m credone get g
	assert_success
	assert_line gain
	refute_line sensibility
	run complete_words credctl -m cred3 set fps 100 t
	assert_success
	assert_line tint
	run complete_words credctl wait op
	assert_line operational
	run complete_words credctl preset r
	assert_line reload
	assert_line restore-factory
	# Without bash-completion, --model=cred3 comes as three words.
	run complete_words credctl --model = cred3 get se
	assert_line sensibility
	run complete_words credctl -m c
	assert_line cred3
	assert_line credone
}

@test "completions know every long option and subcommand of --help" {
	local opt sub
	for opt in $(credctl --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -q -- "$opt" "$CRED_TOP/completions/bash/credctl" || fail "bash completion lacks $opt"
		grep -q -- "${opt#--}" "$CRED_TOP/completions/zsh/_credctl" || fail "zsh completion lacks $opt"
	done
	for sub in get set status info temps wait list preset shell raw; do
		grep -q "'$sub:" "$CRED_TOP/completions/zsh/_credctl" || fail "zsh completion lacks $sub"
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
	assert_line --regexp '^serial number: +.+'
	assert_line --regexp '^software features: +SW_FEATURES_READOUT_CDS( |$)'
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
	run sim cred3 -- sh -c 'credctl set fps 100 2>/dev/null && credctl get fps'
	assert_success
	[ "$(awk '{print $1+0}' <<<"${lines[0]}")" = 100 ]
	[ "$(awk '{print $1+0}' <<<"${lines[1]}")" = 100 ]
}

@test "set several values in the order the camera needs" {
	# tint is given first but must be sent after fps (which resets it).
	# (granularity off: 1 ms is a whole number of clocks, kept as asked)
	run sim cred3 -- sh -c 'credctl set tintgranularity off >/dev/null &&
		credctl set tint 0.001 fps 200 && credctl get fps tint'
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

@test "raw reaches a powered-off simulator: sim power on brings it back" {
	start_sim cred3
	run credctl raw sim power off
	assert_success
	# The camera stays silent to real commands: no answer, exit 3, and the
	# open itself does not fail first (the message names the command).
	run --separate-stderr credctl -t 0.5 raw fps raw
	assert_failure 3
	[[ $stderr == *"no answer to 'fps raw'"* ]] || fail "stderr: $stderr"
	# Without raw, opening the camera asks its model first: no answer.
	run credctl -t 0.5 status
	assert_failure 3
	# The simulator's own line goes through and powers it on again.
	run credctl raw sim power on
	assert_success
	assert_output --partial OK
	run credctl raw sim power on
	assert_success
	run credctl raw cameratype raw
	assert_success
	assert_output --partial "C-RED 3"
}

@test "raw to a camera that never answers: no answer, exit 3" {
	start_silent_server
	run --separate-stderr credctl -p "tcp:$SILENT_ADDR" -t 0.3 raw sim power on
	assert_failure 3
	[[ $stderr == *"no answer to 'sim power on'"* ]] || fail "stderr: $stderr"
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
	run python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["model"] == "cred3" and d["model_name"] == "C-RED 3"; assert isinstance(d["temperatures.snake"], float)' <<<"$output"
	assert_success
	run sim cred3 -- credctl status --json
	assert_success
	echo "$output" | json_ok
}

# ---- presets -------------------------------------------------------------------

@test "preset shows and loads presets" {
	run sim cred3 -- sh -c 'credctl -y preset 3 && credctl preset && credctl raw preset raw'
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
	run sim cred3 -- credctl wait --deadline 60 operational
	assert_success
	assert_output operational
}

@test "wait times out with exit 3 and the last state" {
	run sim cred3 -- credctl wait --deadline 1 --interval 0.2 standby
	assert_failure 3
	assert_output --partial "waiting for 'standby'"
	assert_output --partial "last state: 'operational'"
}

@test "wait follows a C-RED One cooling down to operational" {
	# ready -> set cooling on -> isbeingcooled -> operational, with the
	# simulated clock running fast.
	run --separate-stderr sim credone --state ready --time-scale 1000 -- sh -c '
		credctl raw status raw
		credctl raw set cooling on >/dev/null &&
		credctl wait --interval 0.2 --deadline 600 operational'
	assert_success
	assert_line --index 0 ready
	assert_line --index 1 operational
	# No progress line when stderr is not a terminal.
	[ -z "$stderr" ] || fail "stderr: $stderr"
}

@test "wait shows the current state on a terminal" {
	start_sim credone --state ready --time-scale 200
	credctl raw set cooling on
	run pty_run 'unused' -- credctl wait --interval 0.2 --deadline 600 operational
	assert_success
	assert_output --partial 'isbeingcooled'
	assert_line --regexp 'operational$'
}

@test "wait stops at once when the camera goes to safe mode" {
	run --separate-stderr sim credone -- sh -c 'credctl raw sim state safe >/dev/null; credctl wait --deadline 600 operational'
	assert_failure 1
	[[ $stderr == *"state 'safe'"*"power cycle"* ]] || fail "stderr: $stderr"
	# ... unless safe is what it waits for.
	run sim credone -- sh -c 'credctl raw sim state safe >/dev/null; credctl wait --deadline 600 operational safe'
	assert_success
	assert_output safe
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
	start_sim cred3
	# "fp<Tab>" completes to "fps" from the C-RED 3's command table.
	run pty_run 'credctl> ' 'fp\t raw\n' 'xyzzy\n' 'quit\n' -- credctl shell
	assert_success
	assert_line --regexp '^[0-9.]+$'
	assert_output --partial "camera rejected 'xyzzy'"
	# libedit's history file writes blanks as \040.
	run cat "$HOME/.credctl_history"
	assert_success
	assert_line --regexp '^fps(\\040| )raw$'
	assert_line xyzzy
}

@test "interactive shell: events show up while it waits at the prompt" {
	export HOME="$BATS_TEST_TMPDIR"
	start_sim cred3
	# A second client on the simulator's pty changes the state; the shell
	# (on TCP) shows the camera's event without any command of its own.
	run pty_run 'credctl> ' 'set events on\n' \
		"@sh:credctl -p '$SIM_PTY' raw sim state prevsafe" \
		'@wait:status changed to prevsafe' 'quit\n' -- credctl shell
	assert_success
	assert_line --partial 'event: status changed to prevsafe'
}

@test "shell --json: events are objects of their own" {
	run --separate-stderr sim cred3 -- sh -c 'printf "set events on\nsim state prevsafe\nfps raw\n" | credctl --json shell'
	assert_success
	run python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert [o["command"] for o in objs if "command" in o] == ["set events on", "sim state prevsafe", "fps raw"], objs
assert any(o.get("event", "").startswith("event: status changed to prevsafe") for o in objs), objs
' <<<"$output"
	assert_success
}

@test "shell --json gives one object per command" {
	run --separate-stderr sim credone -- sh -c 'printf "fps raw\nxyzzy\n" | credctl --json shell'
	assert_failure 1
	[ "${#lines[@]}" -eq 2 ]
	run python3 -c '
import json, sys
a, b = (json.loads(l) for l in sys.stdin)
assert a["command"] == "fps raw" and a["status"] == 0 and float(a["answer"]) > 0, a
assert b["command"] == "xyzzy" and b["status"] == 1 and "xyzzy" in b["error"], b
' <<<"$output"
	assert_success
}

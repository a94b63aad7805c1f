#!/usr/bin/env bats
# credtools-json(7): every --json command of every tool prints one JSON
# value with the documented keys and types, on success and on failure.
# Checked with jq against credsim.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	require_bin credctl credsim crednuc credbpm credfw credgrab
	command -v jq >/dev/null || fail "jq is missing (scripts/deps.sh installs it)"
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	mkdir "$BATS_TEST_TMPDIR/work"
	cd "$BATS_TEST_TMPDIR/work"
}

teardown() {
	common_teardown
}

# jrun COMMAND...: run with stderr apart; stdout must be exactly one JSON value.
jrun() {
	run --separate-stderr "$@"
	[ "$(jq -s length <<<"$output")" = 1 ] ||
		fail "not one JSON value from '$*' (status $status): $output"
}

# has EXPR: the JSON output satisfies the jq expression.
has() {
	jq -e "$1" <<<"$output" >/dev/null || fail "'$1' is false for: $output"
}

# error_object STATUS: the error object of credtools-json(7), with STATUS.
error_object() {
	[ "$status" -eq "$1" ] || fail "exit status $status, expected $1: $output"
	has '.error | (.program | type) == "string" and (.message | type) == "string" and
		(.kind | IN("refused", "usage", "no_answer", "interrupted")) and (keys | length) == 4'
	has ".error.exit_status == $1"
	has '.error.kind == if .error.exit_status > 128 then "interrupted"
		else {"1": "refused", "2": "usage", "3": "no_answer"}[.error.exit_status | tostring] end'
}

# done_object COMMAND: the done object for a successful command.
done_object() {
	[ "$status" -eq 0 ] || fail "exit status $status: $output $stderr"
	has ".command == \"$1\" and .exit_status == 0 and (.program | type) == \"string\""
}

@test "numbers are the shortest text that reads back, reals stay reals" {
	start_sim cred3
	jrun credctl --json temps
	# the camera says 52.3: no 52.299999999999997
	[[ $output == *'"temperatures.cpu": 52.3,'* ]]
	jrun credctl --json get fps tint preset
	[[ $output == *'"fps": 600.0'* ]]
	has '(.fps | type) == "number" and (.tint | type) == "number" and .preset == 0'
	! grep -E '[0-9]{15,}' <<<"$output"
}

@test "credctl: get, set, status, temps, info, raw, preset, dump, apply" {
	start_sim cred3
	jrun credctl --json get fps cropping.columns hdr
	has '(.fps | type) == "number" and .["cropping.columns"] == "0-639" and .hdr == "off"'
	jrun credctl --json get --list
	has 'type == "array" and all(.[]; (.model | IN("cred3", "credone")) and
		([.name, .access, .range, .unit, .help] | all(type == "string")))'
	jrun credctl --json set fps 100
	has '.fps == 100 and (.moved.tint.before | type) == "number" and .moved.tint.after == .tint'
	jrun credctl --json status
	has '.model == "cred3" and .model_name == "C-RED 3" and .status == "operational"'
	has '(.fps | type) == "number" and .preset == 0 and .["cropping.columns"] == "0-639"'
	has '(.["temperatures.snake"] | type) == "number" and (has("state") | not) and (has("temperatures") | not)'
	jrun credctl --json temps
	has 'keys == (keys | map(select(startswith("temperatures.")))) and all(.[]; type == "number")'
	jrun credctl --json info
	has '.model == "cred3" and (.["version.firmware"] | type) == "string" and
		(.["version.fpga"] | type) == "string" and (.hwuid | type) == "string"'
	has '(.hwfeatures.value | type) == "number" and (.hwfeatures.bits | type) == "array"'
	has '.licenses | all(.[]; (.name | type) == "string" and (.state | IN("enabled", "disabled")))'
	jrun credctl --json raw fps raw
	has '.command == "fps raw" and (.answer | type) == "string" and (.value | type) == "number"'
	jrun credctl --json preset
	has '.preset == 0'
	jrun credctl --json preset save
	has '.preset == 0 and (.saved | type) == "object"'
	jrun credctl --json -y preset load 1
	has '.preset == 1 and (.discarded | type) == "object"'
	jrun credctl --json dump
	has '.model == "cred3" and (.["version.firmware"] | type) == "string" and (.settings.tint | type) == "number"'
	printf '%s\n' "$output" > lab.json
	jrun credctl --json apply lab.json
	has '(.applied | type) == "number" and .differences == {}'
	jrun credctl --json -y reboot
	has '.status == "operational" and .model == "cred3"'
}

@test "credctl: failures are error objects with the exit status" {
	start_sim cred3
	jrun credctl --json get nosuch
	error_object 2
	jrun credctl --json set fps 100000
	error_object 2
	jrun credctl --json set tint 5parsec
	error_object 2
	jrun credctl --json cooling on
	error_object 1
	jrun credctl --json apply missing.json
	error_object 2
	jrun credctl --json preset load 42
	error_object 2
	jrun credctl --json raw set nosuch 1
	[ "$status" -ne 0 ] && error_object "$status"
	jrun credctl --json --bogus status
	error_object 2
	jrun credctl --json -p tcp:127.0.0.1:1 status
	error_object 3
	# a wait the deadline ends is no answer (3) in the object as in the status
	jrun credctl --json --deadline 1 wait --interval 0.1 safe
	error_object 3
}

@test "credctl on a C-RED One: check, getter, wait, set mode" {
	start_sim credone
	jrun credctl --json check all
	has '.model == "credone" and .model_name == "C-RED One" and .level == "OK"'
	has '(.values.pressure | type) == "number" and .values.status == "operational" and
		(.values["temperatures.water"] | type) == "number" and (.values["getter.nbregeneration"] | type) == "number"'
	has '(.["version.firmware"] | type) == "string" and (.limits.pressure.warning | type) == "number"'
	jrun credctl --json getter status
	has '.status == "operational" and (.["getter.nbregeneration"] | type) == "number" and
		(.["powers.getter"] | type) == "number" and (.pressure | type) == "number"'
	jrun credctl --json wait operational
	has '.status == "operational" and (.elapsed | type) == "number" and (has("state") | not)'
	credctl set gain 3 >/dev/null 2>&1
	jrun credctl --json set mode globalresetcds
	has '.mode == "globalresetcds" and .gain == 1 and .moved.gain == {"before": 3, "after": 1}'
	jrun credctl --json status
	has '.model == "credone" and (.pressure | type) == "number" and (.gain | type) == "number"'
	jrun credctl --json preset load 2
	error_object 1
}

@test "crednuc: check, bias, upload, enable, camera and their failures" {
	sim cred3 -- credgrab -n 4 -o frames.fits 2>/dev/null
	start_sim cred3
	jrun crednuc --json bias -o bias.bin frames.fits
	done_object bias
	jrun crednuc --json check bias.bin
	has '.valid == true and .model == "cred3" and (.width | type) == "number" and (.mean | type) == "number"'
	jrun crednuc --json upload bias bias.bin
	done_object upload
	jrun crednuc --json enable bias
	done_object enable
	jrun crednuc --json camera bias --frames=10
	done_object camera
	jrun crednuc --json check
	error_object 2
	jrun crednuc --json upload bias missing.bin
	[ "$status" -ne 0 ] && error_object "$status"
	jrun crednuc --json enable nosuch
	error_object 2
	jrun crednuc --json -p tcp:127.0.0.1:1 enable bias
	error_object 3
}

@test "credbpm: stats, list, diff, download and their failures" {
	start_sim cred3
	jrun credbpm --json download -o map.pbm
	done_object download
	jrun credbpm --json stats map.pbm
	has '[.width, .height, .pixels, .bad, .fraction, .clusters, .largest_cluster, .unfixable] | all(type == "number")'
	jrun credbpm --json list map.pbm
	has 'type == "array" and all(.[]; length == 2)'
	jrun credbpm --json diff map.pbm map.pbm
	has '.added == 0 and .removed == 0 and .added_pixels == []'
	jrun credbpm --json enable
	done_object enable
	jrun credbpm --json stats missing.pbm
	[ "$status" -ne 0 ] && error_object "$status"
	jrun credbpm --json nosuch
	error_object 2
}

@test "credfw: version, license list, testpattern and their failures" {
	start_sim cred3
	jrun credfw --json version
	has '.model == "cred3" and .model_name == "C-RED 3" and (.["version.firmware"] | type) == "string"'
	has '(.swfeatures.value | type) == "number" and (has("versions") | not)'
	# the feature bits as credctl info names them (the manual's names)
	features=$(jq -c '{hwfeatures, swfeatures}' <<<"$output")
	jrun credctl --json info
	[ "$(jq -c '{hwfeatures, swfeatures}' <<<"$output")" = "$features" ] ||
		fail "credctl info and credfw version differ: $output vs $features"
	has '.hwfeatures.bits | index("HW_FEATURES_INTERFACE_CL_FULL")'
	jrun credfw --json license list
	has 'all(.[]; (.state | IN("enabled", "disabled")))'
	jrun credfw --json testpattern status
	error_object 1
	jrun credfw --json upgrade missing.tar.gz
	[ "$status" -ne 0 ] && error_object "$status"
	stop_sim
	start_sim credone
	jrun credfw --json testpattern status
	has '(.testpattern | type) == "string"'
	jrun credfw --json version
	has '.model == "credone" and (.["version.fpga.detailed"] | type) == "string"'
}

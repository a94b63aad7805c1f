#!/usr/bin/env bats
# credctl set's side effects and units, settings files (dump/apply), presets
# and reboot, against credsim.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	require_bin credctl credsim
	command -v jq >/dev/null || fail "jq is missing (scripts/deps.sh installs it)"
	# the preset records of these tests, never the user's
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	mkdir "$BATS_TEST_TMPDIR/work"
	cd "$BATS_TEST_TMPDIR/work"
}

teardown() {
	common_teardown
}

# ---- set: side effects said aloud -----------------------------------------------

@test "set fps on a C-RED 3 says that it reset tint, in text and JSON" {
	start_sim cred3
	run credctl set tint 1ms
	assert_success
	before=$(credctl get tint)
	run --separate-stderr credctl set fps 100
	assert_success
	assert_output 100
	[[ $stderr == *"tint changed too: $before -> "*" s (a side effect of setting fps)"* ]]
	after=$(credctl get tint)
	[ "$after" != "$before" ]
	credctl set tint 1ms >/dev/null 2>&1
	run --separate-stderr credctl --json set fps 50
	assert_success
	jq -e '.fps == 50' <<<"$output"
	jq -e '.moved.tint.before < .moved.tint.after and (.tint == .moved.tint.after)' <<<"$output"
	# -q keeps stderr quiet; fps and tint set together move nothing else
	run --separate-stderr credctl -q --json set fps 60 tint 2ms
	assert_success
	[ -z "$stderr" ]
	jq -e '.moved == {} and .fps == 60.0 and (.tint | type) == "number"' <<<"$output"
}

@test "a readout mode change on a C-RED One says that it reset the gain" {
	start_sim credone
	run credctl set gain 5
	assert_success
	run --separate-stderr credctl set mode globalresetcds
	assert_success
	assert_output globalresetcds
	[[ $stderr == *"gain changed too: 5 -> 1 (a side effect of setting mode)"* ]]
	credctl set gain 4 >/dev/null
	run credctl --json set mode rollingresetnro
	assert_success
	jq -e '.gain == 1 and .moved.gain.before == 4 and .moved.gain.after == 1' <<<"$output"
	# a setting that moves nothing reports nothing
	run --separate-stderr credctl set bias on
	assert_success
	[ -z "$stderr" ]
}

@test "set takes units and names the unit it expects" {
	start_sim cred3
	run --separate-stderr credctl set fps 100 tint 5ms
	assert_success
	[[ ${lines[1]} == 0.0049* || ${lines[1]} == 0.005* ]]
	run --separate-stderr credctl set tint 200us
	assert_success
	[[ $output == 0.000200* || $output == 0.0002* ]]
	run --separate-stderr credctl set fps 0.05kHz
	assert_success
	assert_output 50
	run credctl set tint 5parsec
	assert_failure 2
	assert_output --partial "tint must be a number in s, or with a unit: s, ms, us, ns (got '5parsec')"
	run credctl set fps 2kHz
	assert_failure 2
	assert_output --partial "fps must be between"
	run credctl set fps 10ms
	assert_failure 2
	assert_output --partial "fps must be a number in Hz, or with a unit: Hz, kHz (got '10ms')"
	[ "$(credctl get fps)" = 50 ]
}

# ---- dump and apply -----------------------------------------------------------------

@test "dump, change, apply, dump again: identical" {
	start_sim cred3
	run credctl dump -o a.json
	assert_success
	jq -e '.model == "cred3" and .model_name == "C-RED 3" and (.["version.firmware"] | type) == "string"' a.json
	jq -e '.settings.fps | type == "number"' a.json
	jq -e '.settings["cropping.columns"] == "0-639" and (.settings | has("preset") | not)' a.json
	credctl set cropping.columns 64-319 cropping on sensibility low fps 100 tint 2ms >/dev/null 2>&1
	credctl dump -o b.json
	! cmp -s a.json b.json
	run credctl apply a.json
	assert_success
	assert_output --partial "read back differently"
	credctl dump -o c.json
	cmp a.json c.json
	# the same on a C-RED One, through standard output
	stop_sim
	start_sim credone
	credctl dump > one.json
	credctl set mode globalresetcds fps 500 cropping.rows 1-128 cropping on >/dev/null 2>&1
	run credctl --json apply one.json
	assert_success
	jq -e '.applied > 10 and .differences == {}' <<<"$output"
	credctl dump | cmp - one.json
}

@test "dump never replaces a file without --force" {
	start_sim cred3
	echo keep > a.json
	run credctl dump -o a.json
	assert_failure 1
	assert_output --partial "'a.json' exists (use --force to replace it)"
	[ "$(cat a.json)" = keep ]
	run credctl dump -o a.json --force
	assert_success
	jq -e .settings a.json >/dev/null
	[ "$(ls -A)" = a.json ]
}

@test "apply checks every value first: nothing is applied when one is out of range" {
	start_sim cred3
	credctl dump -o a.json
	jq '.settings.sensibility = "low" | .settings.aduoffset = 99999' a.json > bad.json
	run credctl apply bad.json
	assert_failure 2
	assert_output --partial "aduoffset must be between 0 and 32767 (got 99999)"
	[ "$(credctl get sensibility)" = medium ]
	# a tint beyond what the file's own fps allows: judged once fps is
	# sent, then everything is put back
	jq '.settings.fps = 100.0 | .settings.sensibility = "low" | .settings.tint = 0.5' a.json > late.json
	run credctl apply late.json
	assert_failure 2
	assert_output --partial "tint must be between"
	assert_output --partial "the previous settings are back"
	credctl dump -o after.json
	cmp a.json after.json
	# names, types and models that do not fit
	jq '.settings.nosuch = 1' a.json > unknown.json
	run credctl apply unknown.json
	assert_failure 2
	assert_output --partial "unknown setting 'nosuch'"
	jq '.settings.preset = 3' a.json > preset.json
	run credctl apply preset.json
	assert_failure 2
	assert_output --partial "'preset' is not a setting a file can apply"
	jq '.model = "credone"' a.json > other.json
	run credctl apply other.json
	assert_failure 2
	assert_output --partial "holds credone settings, the camera is a C-RED 3"
	echo '{' > broken.json
	run credctl apply broken.json
	assert_failure 2
	assert_output --partial "cannot read 'broken.json'"
	run --separate-stderr credctl --json apply missing.json
	assert_failure 2
	jq -e '.error.kind == "usage" and .error.exit_status == 2' <<<"$output"
}

# ---- presets ------------------------------------------------------------------------

@test "preset save N keeps the running settings in preset N and confirms it" {
	start_sim cred3
	credctl set fps 100 >/dev/null 2>&1
	run credctl preset save 4
	assert_success
	assert_output --regexp '^saved [0-9]+ settings into preset 4$'
	run credctl preset
	assert_output 4
	[ "$(credctl get fps)" = 100 ]
	run credctl --json preset save
	assert_success
	jq -e '.preset == 4 and .saved.fps == 100.0' <<<"$output"
	# preset 0 was left as it was
	run credctl -y preset load 0
	assert_success
	[ "$(credctl get fps)" = 600 ]
	run credctl preset load 4
	assert_success
	[ "$(credctl get fps)" = 100 ]
}

@test "preset load says what it discards and asks when there are unsaved changes" {
	start_sim cred3
	# no record of preset 0 yet: it cannot tell, so it asks
	run --separate-stderr credctl preset load 2 </dev/null
	assert_failure 2
	[[ $stderr == *"no record of what preset 0 holds"* ]]
	[[ $stderr == *"use -y to confirm"* ]]
	[ "$(credctl preset)" = 0 ]
	run credctl -y preset load 2
	assert_success
	# as loaded: no question
	run credctl preset load 3
	assert_success
	assert_output 3
	credctl set fps 100 >/dev/null 2>&1
	run --separate-stderr credctl preset load 2 </dev/null
	assert_failure 2
	[[ $stderr == *"Unsaved changes to preset 3"* ]]
	[[ $stderr == *"fps: 100.0 (saved: 600.0)"* ]]
	[ "$(credctl get fps)" = 100 ]
	run --separate-stderr credctl -y --json preset load 2
	assert_success
	jq -e '.preset == 2 and .discarded.fps.discarded == 100.0 and .discarded.fps.now == 600.0' <<<"$output"
	run credctl preset load 12
	assert_failure 2
	run credctl preset load
	assert_failure 2
}

@test "preset save on a C-RED One saves and says what is never saved" {
	start_sim credone
	run credctl preset save
	assert_success
	assert_output --regexp '^saved [0-9]+ settings \(the gain and the cooling state are never saved\)$'
	run credctl preset load 1
	assert_failure 1
	assert_output --partial "has no presets"
}

# ---- reboot --------------------------------------------------------------------------

@test "reboot waits until the camera is operational again" {
	start_sim cred3 --time-scale 20
	credctl set fps 100 >/dev/null 2>&1
	run credctl reboot </dev/null
	assert_failure 2
	assert_output --partial "use -y to confirm"
	[ "$(credctl get fps)" = 100 ]
	run --separate-stderr credctl -y reboot
	assert_success
	assert_output operational
	# the unsaved frame rate is gone: the preset came back
	[ "$(credctl get fps)" = 600 ]
	run credctl -y --json reboot
	assert_success
	jq -e '.status == "operational" and .model == "cred3" and (.["version.firmware"] | type) == "string"' <<<"$output"
}

@test "reboot --boot-timeout bounds the wait for the boot: exit 3 with the state seen" {
	start_sim cred3 # real time: the boot takes far longer than 2 s
	run credctl -y reboot --boot-timeout 2
	assert_failure 3
	assert_output --partial "the camera did not finish booting within 2 s (status: starting)"
	run credctl -y reboot --boot-timeout 0
	assert_failure 2
	assert_output --partial "invalid boot timeout '0'"
}

@test "reboot on a C-RED One: no such command, said so" {
	start_sim credone
	run credctl -y reboot
	assert_failure
	assert_output --partial "reboot"
}

@test "check thresholds take units: 1e-6mbar, 50Pa; a wrong one names what it expects" {
	start_sim credone
	run credctl check vacuum -w 1e-6mbar -c 50Pa
	assert_failure 1
	assert_output --partial "WARNING"
	run credctl check vacuum -w 1e-4 -c 0.001bar
	assert_success
	# check's usage errors are UNKNOWN (3), the monitoring convention
	run credctl check vacuum -w 5kg
	assert_failure 3
	assert_output --partial "invalid warning pressure '5kg': unknown unit 'kg' (expected mbar, Pa, bar)"
}

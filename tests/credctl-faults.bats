#!/usr/bin/env bats
# credctl against a simulator that misbehaves the way real links do (credsim
# --fault): late tails, double prompts, stalls, garbage, lost bytes and
# missing answers. Each fault must either be recovered from (the right
# answer, exit 0) or reported as no answer (exit 3) -- never a wrong value
# -- and the next command must work again. `sim fault` proves each fault
# really fired.

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

# faulted_read FAULT: read fps with FAULT on the first fps command, then
# read it again cleanly and list the faults. Prints "first=VALUE rc=STATUS",
# "clean=VALUE", then the simulator's fault list.
faulted_read() {
	sim cred3 --fault "$1" -- sh -c '
		v=$(credctl get fps); echo "first=$v rc=$?"
		echo "clean=$(credctl get fps)"
		credctl raw sim fault' 2>/dev/null
}

@test "read-only commands recover from late tails, double prompts, stalls, garbage, a missed answer" {
	local fault clean
	for fault in late-tail/fps@1 double-prompt/fps@1 stall/fps@1 garbage/fps@1 \
		no-answer/fps@1 late-tail:50/fps@1 garbage:40/fps@1; do
		run faulted_read "$fault"
		assert_success
		clean=${lines[1]#clean=}
		[[ $clean =~ ^[0-9.]+$ ]] || fail "$fault: clean read '$clean'"
		# Recovered: the same value as the clean read, exit 0.
		[ "${lines[0]}" = "first=$clean rc=0" ] || fail "$fault: ${lines[0]}, clean $clean"
		assert_output --partial "fired 1"
	done
}

# The line has no checksum: a value lost or cut short on the line is out
# of the form the manual gives (empty, not a number in range), so it is
# asked again; lost twice, it is a garbled answer (exit 3), never a value.
@test "a value lost on the line is asked again, lost twice it is garbled (exit 3)" {
	run faulted_read drop/fps@1
	assert_success
	assert_output --partial "fired 1"
	assert_line --index 0 --regexp '^first=[0-9.]+ rc=0$'
	[ "${lines[0]}" = "first=${lines[1]#clean=} rc=0" ] || fail "$output"
	run --separate-stderr sim cred3 --fault drop/fps@1 --fault drop/fps@2 -- credctl get fps
	assert_failure 3
	assert_output ""
	[[ $stderr == *"garbled answer to 'fps raw' (asked twice): \"\""* ]] || fail "stderr: $stderr"
}

@test "a command that never answers: exit 3, then the camera is usable again" {
	run --separate-stderr sim cred3 --fault no-answer/fps -- sh -c '
		credctl fps raw; echo "rc=$?"
		credctl tint raw; echo "rc=$?"'
	assert_success
	assert_line --index 0 rc=3
	assert_line --index 1 --regexp '^[0-9.e-]+$'
	assert_line --index 2 rc=0
	[[ $stderr == *"no answer to 'fps raw'"* ]] || fail "stderr: $stderr"
}

@test "a stalled or garbled set is not sent twice and is reported as no answer" {
	local fault
	for fault in "stall/set fps@1" "no-answer/set fps@1" "garbage/set fps@1"; do
		run --separate-stderr sim cred3 --fault "$fault" -- sh -c '
			credctl set fps 100; echo "rc=$?"
			credctl get fps
			credctl raw sim fault'
		assert_success
		assert_line --index 0 rc=3
		# The camera did take it (it only answered badly) and still answers.
		[ "$(awk '{print $1+0}' <<<"${lines[1]}")" = 100 ] || fail "$fault: $output"
		assert_output --partial "(matched 1, fired 1)"
	done
}

@test "a late tail after set cropping is not taken for the next answer" {
	run sim cred3 --fault 'late-tail/set cropping@1' -- sh -c '
		credctl set cropping.columns 0-319 && credctl get cropping.rows fps && credctl raw sim fault'
	assert_success
	assert_line --index 0 0-319
	assert_line --index 1 0-511
	assert_line --index 2 --regexp '^[0-9.]+$'
	assert_output --partial "fired 1"
}

@test "events are reported, not taken for answers" {
	run --separate-stderr sim cred3 -- sh -c '
		credctl raw set events on >/dev/null
		credctl raw sim state prevsafe >/dev/null
		credctl get fps'
	assert_success
	assert_output --regexp '^[0-9.]+$'
	[[ $stderr == *"credctl: camera event: status changed to prevsafe"* ]] || fail "stderr: $stderr"
}

#!/usr/bin/env bats
# The one rule for interruptions (credtools(7), EXIT STATUS), tool by tool:
# a run cut short before its count, duration, state or transfer end exits
# 128 + the signal (130 SIGINT, 143 SIGTERM) and says what was left
# undone; a run with nothing to reach whose output is complete exits 0.
# Every signal is sent once an event shows the tool is where it is meant
# to be stopped (its data flowing, its port taken, its line printed).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credgrab crednuc credbpm credfw credsim
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

# wait_until COMMAND...: until COMMAND succeeds (fails after the helpers'
# limit).
wait_until() {
	local i=0
	until "$@"; do
		sleep 0.1
		i=$((i + 1))
		[ "$i" -lt $((HELPER_WAIT_LIMIT * 10)) ] || fail "gave up waiting for: $*"
	done
}

# a simulator at 20 fps whose frames credgrab finds (CRED_SIM_FRAMES)
start_grab_sim() {
	start_sim cred3 --frames "$BATS_TEST_TMPDIR/f.sock"
	export CRED_SIM_FRAMES="$BATS_TEST_TMPDIR/f.sock"
	credctl set fps 20 >/dev/null
}

writing_cube() { ls -A | grep -q '^\.credtools-'; }
port_locked() { ls "$CRED_LOCK_DIR" | grep -q lock; }

# stop_with SIGNAL OUT: send SIGNAL to the process whose id is in OUT.pid
# (started by run_bg OUT sh -c 'echo $$ >OUT.pid; exec TOOL ...'), wait
# for it to end, and set rc to its exit status.
stop_with() {
	kill -"$1" "$(cat "$2.pid")"
	wait_for_file "$2.rc" || fail "$2 did not end after SIG$1: $(cat "$2")"
	rc=$(cat "$2.rc")
}

@test "credgrab: -n or --duration not reached exits 130 (SIGINT) or 143 (SIGTERM)" {
	start_grab_sim
	for sig in INT TERM; do
		rm -f "n$sig.raw"
		run_bg "n$sig" sh -c 'echo $$ >"$1.pid"; exec credgrab -n 100000 -f raw -o - >"$1.raw"' sh "n$sig"
		wait_for_file "n$sig.raw" # frames flow: the signals are caught
		stop_with "$sig" "n$sig"
		[ "$rc" = "$([ $sig = INT ] && echo 130 || echo 143)" ] || fail "SIG$sig: $rc: $(cat "n$sig")"
		grep -qE "interrupted after [0-9]+ of 100000 frames" "n$sig" || fail "$(cat "n$sig")"
	done
	run_bg d sh -c 'echo $$ >d.pid; exec credgrab --duration 3600 -o d.fits'
	wait_for_file d.pid
	wait_until writing_cube # the cube is being written
	stop_with INT d
	[ "$rc" = 130 ] || fail "$rc: $(cat d)"
	grep -q "interrupted after" d
	fitsverify -q d.fits # whole all the same
}

@test "credgrab: without a count, Ctrl-C is the normal end: exit 0, the output whole" {
	start_grab_sim
	run_bg g sh -c 'echo $$ >g.pid; exec credgrab -f raw -o - >g.raw'
	wait_for_file g.raw
	stop_with INT g
	[ "$rc" = 0 ] || fail "$rc: $(cat g)"
	run grep -c interrupted g
	assert_output 0
}

@test "crednuc: frames cut short exit 143 on SIGTERM, no file written" {
	start_grab_sim
	run_bg b sh -c 'echo $$ >b.pid; exec crednuc bias -o cut.bin -- sh -c \
		"credgrab -q -n 3 -f y4m -o - && echo >sent && exec sleep 60"'
	wait_for_file sent # crednuc has read frames: it is in its loop
	stop_with TERM b
	[ "$rc" = 143 ] || fail "$rc: $(cat b)"
	grep -qE "interrupted after [0-9]+ frames" b || fail "$(cat b)"
	[ ! -e cut.bin ]
}

@test "credbpm: detect cut short exits 130, no map written" {
	start_grab_sim
	run_bg m sh -c 'echo $$ >m.pid; exec credbpm detect --dark - -o cut.bpm -- sh -c \
		"credgrab -q -n 3 -f y4m -o - && echo >sent && exec sleep 60"'
	wait_for_file sent
	stop_with INT m
	[ "$rc" = 130 ] || fail "$rc: $(cat m)"
	grep -q "interrupted" m || fail "$(cat m)"
	[ ! -e cut.bpm ]
}

@test "credctl: a wait stopped before its state exits 130 (SIGINT) or 143 (SIGTERM)" {
	start_sim cred3
	for sig in INT TERM; do
		rm -rf "$CRED_LOCK_DIR"/*
		run_bg "w$sig" sh -c 'echo $$ >"$1.pid"; exec credctl -v wait --interval 0.1 safe' sh "w$sig"
		# -v names the camera once it is open; the polls come after
		wait_until grep -q firmware "w$sig"
		stop_with "$sig" "w$sig"
		[ "$rc" = "$([ $sig = INT ] && echo 130 || echo 143)" ] || fail "SIG$sig: $rc: $(cat "w$sig")"
		grep -q "stopped waiting for 'safe' (last state: 'operational')" "w$sig" || fail "$(cat "w$sig")"
	done
}

@test "credctl --json: an interrupted wait prints the error object, kind interrupted" {
	start_sim cred3
	run_bg j sh -c 'echo $$ >j.pid; exec credctl --json -v wait --interval 0.1 safe 2>j.err' sh
	wait_until grep -q firmware j.err
	stop_with INT j
	[ "$rc" = 130 ] || fail "$rc: $(cat j j.err)"
	jq -e '.error.kind == "interrupted" and .error.exit_status == 130 and
		(.error.message | startswith("stopped waiting for"))' j || fail "$(cat j)"
}

@test "credfw: Ctrl-C while it follows a reboot exits 130" {
	python3 "$BATS_TEST_DIRNAME/helpers/fw-archive.py" firmware fw.tar.gz 9.9.9
	start_sim cred3
	run_bg u sh -c 'echo $$ >u.pid; exec credfw -v upgrade -y fw.tar.gz'
	wait_for_text u "camera status:" # the upgrade is done, the reboot followed
	stop_with INT u
	[ "$rc" = 130 ] || fail "$rc: $(cat u)"
	grep -q "stopped waiting for the camera after the upgrade" u || fail "$(cat u)"
}

@test "credctl: Ctrl-C while a reboot is followed exits 130" {
	start_sim cred3
	run_bg r sh -c 'echo $$ >r.pid; exec credctl -y -v reboot'
	wait_for_text r "camera status:" # the reboot is under way
	stop_with INT r
	[ "$rc" = 130 ] || fail "$rc: $(cat r)"
	grep -q "stopped waiting: the camera is still rebooting" r || fail "$(cat r)"
}

@test "credsim: serving ends with 0 on SIGINT, SIGTERM and SIGHUP; with a command, its status" {
	for sig in INT TERM HUP; do
		run_bg "s$sig" sh -c 'echo $$ >"$1.pid"; exec credsim --no-pty' sh "s$sig"
		wait_for_text "s$sig" "tcp:" # it serves
		stop_with "$sig" "s$sig"
		[ "$rc" = 0 ] || fail "SIG$sig: $rc: $(cat "s$sig")"
	done
	run credsim -- sh -c 'kill -INT $$'
	assert_failure 130
}

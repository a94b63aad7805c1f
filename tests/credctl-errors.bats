#!/usr/bin/env bats
# credctl failure paths: ports that cannot be opened, locked ports, cameras
# that do not answer or vanish, rejections and bad values, each with its
# exit status and a message that says what happened.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credsim
}

teardown() {
	exec 5>&- 2>/dev/null || true
	common_teardown
	[ -z "${PUBLIC_DIR:-}" ] || rm -rf "$PUBLIC_DIR"
}

@test "a missing port: exit 3, the path and the system's reason" {
	run --separate-stderr credctl -p /dev/ttyNOSUCH0 status
	assert_failure 3
	[ -z "$output" ]
	[[ $stderr == "credctl: cannot open '/dev/ttyNOSUCH0': No such file or directory"* ]]
	run credctl -p serial:/dev/ttyNOSUCH0 status
	assert_failure 3
}

@test "a bad port spec is a usage error" {
	run credctl -p bogus:thing status
	assert_failure 2
	assert_output --partial "bogus:thing"
}

@test "auto with no camera says to use -p or CRED_PORT" {
	CRED_USB_VID=0001 CRED_USB_PID=0001 run credctl -p auto status
	assert_failure 3
	assert_output --regexp "use -p .*CRED_PORT"
	CRED_USB_VID=0001 CRED_USB_PID=0001 run credctl status
	assert_failure 3
	assert_output --regexp "use -p .*CRED_PORT"
}

@test "a port the user may not open: exit 3, Permission denied" {
	# Root opens any device, so the client runs as nobody (setpriv); the
	# pty's slave is root's, mode 0620, group tty.
	setpriv --reuid=65534 --regid=65534 --clear-groups true ||
		skip "cannot drop privileges here (setpriv refused)"
	start_sim cred3
	local dev
	dev=$(readlink -f "$SIM_PTY")
	PUBLIC_DIR=$(mktemp -d /tmp/credctl-locks.XXXXXX)
	chmod 1777 "$PUBLIC_DIR"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups \
		env CRED_LOCK_DIR="$PUBLIC_DIR" "$CRED_TEST_BUILD/bin/credctl" -p "$dev" status
	assert_failure 3
	[[ $stderr == "credctl: cannot open '$dev': Permission denied"* ]] || fail "stderr: $stderr"
}

# A credctl shell holding the simulator's port until fd 5 closes. Sets
# HOLDER (its pid) once the shell has answered, i.e. holds the lock.
hold_port() {
	mkfifo "$BATS_TEST_TMPDIR/in"
	credctl shell <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/holder.out" 2>&1 3>&- &
	HOLDER=$!
	BG_PIDS+=($HOLDER)
	exec 5>"$BATS_TEST_TMPDIR/in"
	echo "fps raw" >&5
	wait_for_file "$BATS_TEST_TMPDIR/holder.out" || fail "holder never answered"
}

@test "a locked port: exit 3 with the holder's pid" {
	start_sim cred3
	hold_port
	run --separate-stderr credctl status
	assert_failure 3
	[[ $stderr == *"in use by process $HOLDER"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"--wait-lock"* ]]
	run credctl --wait-lock=0.2 fps raw
	assert_failure 3
}

@test "--wait-lock gets the port once the holder lets go" {
	start_sim cred3
	hold_port
	# The waiter traces its lock attempt (CRED_DEBUG): once that line is
	# there, it has met the held lock and must wait.
	run_bg "$BATS_TEST_TMPDIR/waiter" env CRED_DEBUG=1 credctl --wait-lock=120 fps raw
	wait_for_text "$BATS_TEST_TMPDIR/waiter" "lock:" || fail "waiter did not start"
	[ ! -e "$BATS_TEST_TMPDIR/waiter.rc" ]
	exec 5>&-
	wait "$HOLDER"
	wait_for_file "$BATS_TEST_TMPDIR/waiter.rc" || fail "waiter never finished"
	[ "$(cat "$BATS_TEST_TMPDIR/waiter.rc")" = 0 ] || fail "$(cat "$BATS_TEST_TMPDIR/waiter")"
	grep -qE '^[0-9.]+$' "$BATS_TEST_TMPDIR/waiter"
}

@test "lock files go with their holder, and a port that never opened leaves none" {
	start_sim cred3
	hold_port
	[ "$(ls "$CRED_LOCK_DIR" | wc -l)" = 1 ]
	exec 5>&-
	wait "$HOLDER"
	run credctl status
	assert_success
	[ -z "$(ls "$CRED_LOCK_DIR")" ] || fail "left behind: $(ls "$CRED_LOCK_DIR")"
	run credctl -p /dev/ttyNOSUCH0 status
	assert_failure 3
	[ -z "$(ls "$CRED_LOCK_DIR")" ] || fail "left behind: $(ls "$CRED_LOCK_DIR")"
}

@test "a symbolic or hard link planted as a lock file is refused and its target untouched" {
	start_sim cred3
	hold_port
	name=$(ls "$CRED_LOCK_DIR")
	exec 5>&-
	wait "$HOLDER"
	echo "precious" >"$BATS_TEST_TMPDIR/target"
	chmod 0600 "$BATS_TEST_TMPDIR/target"
	ln -s "$BATS_TEST_TMPDIR/target" "$CRED_LOCK_DIR/$name"
	run --separate-stderr credctl status
	assert_failure 3
	[[ $stderr == *"refusing the lock file"*"symbolic link"* ]] || fail "stderr: $stderr"
	rm "$CRED_LOCK_DIR/$name"
	ln "$BATS_TEST_TMPDIR/target" "$CRED_LOCK_DIR/$name"
	run --separate-stderr credctl status
	assert_failure 3
	[[ $stderr == *"refusing the lock file"*"one link"* ]] || fail "stderr: $stderr"
	[ "$(cat "$BATS_TEST_TMPDIR/target")" = precious ]
	[ "$(stat -c %a "$BATS_TEST_TMPDIR/target")" = 600 ]
}

@test "a camera that never answers: exit 3" {
	start_silent_server
	run --separate-stderr credctl -t 0.5 -p "tcp:$SILENT_ADDR" status
	assert_failure 3
	[[ $stderr == *"$SILENT_ADDR"* ]] || fail "stderr: $stderr"
}

@test "a link lost in the middle of a shell: exit 3" {
	start_sim cred3
	hold_port
	stop_sim
	echo "fps raw" >&5
	exec 5>&-
	# Not `run wait`: run's subshell is not the holder's parent.
	status=0
	wait "$HOLDER" || status=$?
	[ "$status" -eq 3 ] || fail "shell exited $status: $(cat "$BATS_TEST_TMPDIR/holder.out")"
}

@test "a camera rejection: exit 1 with the camera's text" {
	run --separate-stderr sim cred3 -- credctl set fps abc
	assert_failure 2
	run --separate-stderr sim cred3 -- credctl raw set fps abc
	assert_failure 1
	[[ $stderr == *"camera rejected 'set fps abc'"* ]] || fail "stderr: $stderr"
}

@test "a bad value: exit 2 with the range, for each model" {
	run sim cred3 -- credctl set tint 99999
	assert_failure 2
	assert_output --partial tint
	run sim credone -- credctl set fps 0
	assert_failure 2
	assert_output --partial fps
	run sim credone -- credctl set gain -3
	assert_failure 2
	assert_output --partial gain
}

@test "--wait-lock without a limit blocks until the holder lets go" {
	start_sim cred3
	hold_port
	run_bg "$BATS_TEST_TMPDIR/waiter" credctl --wait-lock fps raw
	# The kernel lists a process blocked on a lock as "->" in /proc/locks.
	local i=0
	until grep -q -- '-> FLOCK' /proc/locks; do
		sleep 0.1
		i=$((i + 1))
		[ $i -lt 600 ] || fail "the waiter never blocked on the lock"
	done
	[ ! -e "$BATS_TEST_TMPDIR/waiter.rc" ]
	exec 5>&-
	wait "$HOLDER"
	wait_for_file "$BATS_TEST_TMPDIR/waiter.rc" || fail "waiter never finished"
	[ "$(cat "$BATS_TEST_TMPDIR/waiter.rc")" = 0 ] || fail "$(cat "$BATS_TEST_TMPDIR/waiter")"
}

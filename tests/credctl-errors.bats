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

# A credctl shell on the simulator, reading its commands from fd 5 (a
# FIFO); SHELL_PID once it has answered one command.
start_shell() {
	mkfifo "$BATS_TEST_TMPDIR/in"
	credctl shell <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/shell.out" 2>&1 3>&- &
	SHELL_PID=$!
	BG_PIDS+=($SHELL_PID)
	exec 5>"$BATS_TEST_TMPDIR/in"
	echo "fps raw" >&5
	wait_for_file "$BATS_TEST_TMPDIR/shell.out" || fail "the shell never answered"
}

# The port's lock is held per exchange: a process holds it for a long
# time only inside a long exchange. Here credctl waits for an answer the
# simulator holds back (a stall on hwuid, on that connection only), so it
# holds the lock until it is killed. Sets HOLDER once the command is sent
# (traced by CRED_DEBUG), i.e. the lock is taken.
hold_port() {
	start_sim cred3 --fault 'stall:600000/hwuid'
	CRED_DEBUG=1 credctl -t 600 raw hwuid >"$BATS_TEST_TMPDIR/holder.out" 2>&1 3>&- &
	HOLDER=$!
	BG_PIDS+=($HOLDER)
	wait_for_text "$BATS_TEST_TMPDIR/holder.out" '"hwuid' ||
		fail "the holder never sent its command: $(cat "$BATS_TEST_TMPDIR/holder.out")"
}

# Kill the holder (it leaves its lock file behind, as any killed process).
release_port() {
	kill "$HOLDER"
	wait "$HOLDER" 2>/dev/null || true
}

@test "a locked port: exit 3 with the holder's pid" {
	hold_port
	run --separate-stderr credctl --wait-lock=0 status
	assert_failure 3
	[[ $stderr == *"in use by process $HOLDER"* ]] || fail "stderr: $stderr"
	[[ $stderr == *"--wait-lock"* ]]
	run credctl --wait-lock=0.2 fps raw
	assert_failure 3
}

@test "--wait-lock gets the port once the holder lets go" {
	hold_port
	# The waiter traces its lock attempt (CRED_DEBUG): once that line is
	# there, it has met the held lock and must wait.
	run_bg "$BATS_TEST_TMPDIR/waiter" env CRED_DEBUG=1 credctl --wait-lock=120 fps raw
	wait_for_text "$BATS_TEST_TMPDIR/waiter" "lock:" || fail "waiter did not start"
	[ ! -e "$BATS_TEST_TMPDIR/waiter.rc" ]
	release_port
	wait_for_file "$BATS_TEST_TMPDIR/waiter.rc" || fail "waiter never finished"
	[ "$(cat "$BATS_TEST_TMPDIR/waiter.rc")" = 0 ] || fail "$(cat "$BATS_TEST_TMPDIR/waiter")"
	grep -qE '^[0-9.]+$' "$BATS_TEST_TMPDIR/waiter"
}

@test "by default a busy port is waited for a few seconds" {
	hold_port
	# without --wait-lock: the default wait (5 s) meets the holder, then
	# the holder goes and the waiter gets the port
	run_bg "$BATS_TEST_TMPDIR/waiter" env CRED_DEBUG=1 credctl fps raw
	wait_for_text "$BATS_TEST_TMPDIR/waiter" "lock:" || fail "waiter did not start"
	release_port
	wait_for_file "$BATS_TEST_TMPDIR/waiter.rc" || fail "waiter never finished"
	# (on a machine too loaded to finish within 5 s it reports the holder)
	rc=$(cat "$BATS_TEST_TMPDIR/waiter.rc")
	[ "$rc" = 0 ] || grep -q "in use by process $HOLDER" "$BATS_TEST_TMPDIR/waiter" ||
		fail "$(cat "$BATS_TEST_TMPDIR/waiter")"
}

@test "lock files exist only during an exchange; a killed holder's is taken over and removed" {
	start_sim cred3
	start_shell
	# the shell is idle: no lock, no lock file
	[ -z "$(ls "$CRED_LOCK_DIR")" ] || fail "idle shell left: $(ls "$CRED_LOCK_DIR")"
	exec 5>&-
	wait "$SHELL_PID"
	stop_sim
	hold_port
	[ "$(ls "$CRED_LOCK_DIR" | wc -l)" = 1 ]
	grep -qx "$HOLDER" "$CRED_LOCK_DIR"/*
	release_port
	# killed inside its exchange: its file stays, unlocked, until the next
	# user takes it and removes it when it lets go
	[ "$(ls "$CRED_LOCK_DIR" | wc -l)" = 1 ]
	run credctl --wait-lock=0 status
	assert_success
	[ -z "$(ls "$CRED_LOCK_DIR")" ] || fail "left behind: $(ls "$CRED_LOCK_DIR")"
	run credctl -p /dev/ttyNOSUCH0 status
	assert_failure 3
	[ -z "$(ls "$CRED_LOCK_DIR")" ] || fail "left behind: $(ls "$CRED_LOCK_DIR")"
}

@test "a symbolic or hard link planted as a lock file is refused and its target untouched" {
	hold_port
	name=$(ls "$CRED_LOCK_DIR")
	release_port
	rm "$CRED_LOCK_DIR/$name"
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
	start_shell
	stop_sim
	echo "fps raw" >&5
	exec 5>&-
	# Not `run wait`: run's subshell is not the shell's parent.
	status=0
	wait "$SHELL_PID" || status=$?
	[ "$status" -eq 3 ] || fail "shell exited $status: $(cat "$BATS_TEST_TMPDIR/shell.out")"
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
	release_port
	wait_for_file "$BATS_TEST_TMPDIR/waiter.rc" || fail "waiter never finished"
	[ "$(cat "$BATS_TEST_TMPDIR/waiter.rc")" = 0 ] || fail "$(cat "$BATS_TEST_TMPDIR/waiter")"
}

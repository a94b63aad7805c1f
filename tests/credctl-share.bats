#!/usr/bin/env bats
# Sharing the camera: the port lock is held per exchange, so an idle
# credctl shell or a long wait never keeps other tools out; two processes
# never interleave inside one exchange. The shell in daily use: credctl's
# commands inside it, raw, Ctrl-C, history on every way out. -t and
# --deadline mean one thing everywhere. Typos get a "did you mean", and
# the cron example runs under cron's PATH.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credsim credgrab credbpm
	export HOME="$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

# An interactive shell on a pseudo-terminal while other processes use the
# same camera (CRED_PORT and CRED_SIM_FRAMES come from credsim). Each
# check waits for what the terminal shows, never for a time.
@test "an idle shell keeps nobody out; events reach it between its commands; Ctrl-C; history on SIGTERM" {
	cd "$BATS_TEST_TMPDIR"
	run sim cred3 -- python3 - <<'PYEOF'
import os, pty, select, signal, subprocess, sys, time
limit = float(os.environ.get("HELPER_WAIT_LIMIT", "60"))
pid, fd = pty.fork()
if pid == 0:
    os.execvp("credctl", ["credctl", "shell"])
out = b""
def wait_for(text, count=1):
    global out
    end = time.time() + limit
    while out.count(text.encode()) < count:
        if time.time() > end:
            sys.exit("gave up waiting for %r; terminal:\n%s" % (text, out.decode(errors="replace")))
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError: # EIO: the shell has gone
                sys.exit("the shell ended while waiting for %r; terminal:\n%s" % (text, out.decode(errors="replace")))
def send(s):
    os.write(fd, s.encode())
def other(*cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s failed (%d) while the shell was idle: %s" % (cmd, p.returncode, p.stderr))
    return p.stdout
wait_for("credctl> ")
send("raw set events on\n")
wait_for("credctl> ", 2)
# the shell sits at its prompt: others get the port at once
other("credctl", "--wait-lock=0", "get", "fps")
other("credctl", "--wait-lock=0", "check", "status")
other("credgrab", "--wait-lock=0", "-n", "2", "-o", "frames.raw")
other("credctl", "--wait-lock=0", "raw", "sim", "state", "prevsafe")
# the camera's event arrives while the shell waits: shown without a command
wait_for("status changed to prevsafe")
# credctl's own commands inside the shell, and a typo
send("get fps tint\n")
wait_for("credctl> ", 3)
send("stauts\n")
wait_for("did you mean 'status'?")
# Ctrl-C drops the line being edited
send("abc def")
wait_for("abc def")
send("\x03")
wait_for("^C")
send("tint raw\n")
wait_for("credctl> ", 6)
# Ctrl-C stops a long command, not the session
send("wait operational\n")
wait_for("waiting for 'operational'")
send("\x03")
wait_for("stopped waiting for 'operational'")
wait_for("credctl> ", 7)
os.kill(pid, signal.SIGTERM)
end = time.time() + limit
while True: # bounded: a shell that ignores SIGTERM fails the test, not the run
    done, st = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    if time.time() > end:
        os.kill(pid, signal.SIGKILL)
        sys.exit("the shell did not end on SIGTERM; terminal:\n%s" % out.decode(errors="replace"))
    time.sleep(0.1)
print(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(st))
PYEOF
	assert_success
	refute_output --partial "rejected 'abc"
	refute_output --partial "abc deftint"
	[ -s "$BATS_TEST_TMPDIR/frames.raw" ]
	# history written on SIGTERM; the dropped line is not in it
	run cat "$HOME/.credctl_history"
	assert_line --regexp '^get(\\040| )fps(\\040| )tint$'
	assert_line --regexp '^tint(\\040| )raw$'
	refute_line --partial abc
}

@test "two shells on one line never mix their commands' answers" {
	# The simulator's pty is one line for both: only the lock keeps each
	# answer with its command. (--wait-lock: a shell fed as fast as a pipe
	# goes takes the lock back at once, and a bounded wait polls.)
	cd "$BATS_TEST_TMPDIR"
	run sim cred3 -- sh -c '
		yes "cameratype raw" | head -n 40 | credctl -p "$CRED_SIM_PTY" --wait-lock=120 shell >a.out 2>&1 &
		a=$!
		yes "fps raw" | head -n 40 | credctl -p "$CRED_SIM_PTY" --wait-lock=120 shell >b.out 2>&1 &
		b=$!
		credctl -p "$CRED_SIM_PTY" --wait-lock=60 set tint 0.001 >c.out 2>&1
		wait $a && wait $b'
	[ "$status" -eq 0 ] || fail "$(cat a.out b.out c.out)"
	run cat a.out
	[ "${#lines[@]}" -eq 40 ]
	run grep -cvx 'C-RED 3' a.out
	assert_output 0
	run grep -cvE '^[0-9.]+$' b.out
	assert_output 0
	[ "$(wc -l <b.out)" -eq 40 ]
}

@test "credctl commands inside the shell; raw reaches camera commands of the same name" {
	run --separate-stderr sim cred3 -- sh -c 'printf "get fps\nraw status\nstatus\nshell\nset tint 0.001\n" | credctl shell'
	assert_success
	assert_line --index 0 --regexp '^[0-9.]+$'
	assert_line --index 1 'Status: operational'
	assert_line --regexp '^state: +operational$'
	[[ $stderr == *"already in the shell"* ]] || fail "stderr: $stderr"
	run --separate-stderr sim cred3 -- sh -c 'printf "get fps\nraw fps raw\ncheck status\n" | credctl --json shell'
	assert_success
	run python3 -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert objs[0]["command"] == "get fps" and objs[0]["status"] == 0 and objs[0]["result"]["fps"] > 0, objs
assert objs[1]["command"] == "fps raw" and float(objs[1]["answer"]) > 0, objs
assert objs[2]["command"] == "check status" and objs[2]["status"] == 0, objs
' <<<"$output"
	assert_success
}

@test "-t is each answer's limit wherever it is written; --deadline bounds the whole wait" {
	for args in "--deadline 1 wait --interval 0.2 standby" "wait --deadline 1 --interval 0.2 standby"; do
		# shellcheck disable=SC2086
		run --separate-stderr sim cred3 -- credctl $args
		assert_failure 3
		[[ $stderr == *"deadline of 1 s passed waiting for 'standby' (last state: 'operational')"* ]] ||
			fail "$args: $stderr"
	done
	# status answers held back: each poll gives up after -t, before or
	# after the subcommand alike, and the wait goes on to the deadline
	for args in "-t 0.3 --deadline 2 wait --interval 0.1 standby" "wait -t 0.3 --deadline 2 --interval 0.1 standby"; do
		# shellcheck disable=SC2086
		run --separate-stderr sim cred3 --fault 'stall:60000/status' -- credctl $args
		assert_failure 3
		[[ $stderr == *"deadline of 2 s passed"*"(last state: 'no answer')"* ]] || fail "$args: $stderr"
	done
}

@test "--deadline in another tool: credgrab stops as on Ctrl-C, says why, exit 3" {
	cd "$BATS_TEST_TMPDIR"
	# 5 s: credgrab's questions to the camera (each read twice) come out of
	# the deadline too, and a loaded machine slows them.
	run --separate-stderr sim cred3 -- sh -c 'credctl set fps 100 >/dev/null &&
		credgrab --deadline 5 -n 100000 -o long.raw'
	assert_failure 3
	[[ $stderr == *"deadline of 5 s passed"* ]] || fail "stderr: $stderr"
	# what it had is kept, as after Ctrl-C; no temporary file is left
	[ -s long.raw ]
	[ -z "$(ls -A | grep -vxE 'locks|long.raw|separate-stderr-.*')" ] || fail "left behind: $(ls -A)"
}

@test "a typo of a subcommand: did you mean, after the camera rejects it" {
	run --separate-stderr sim cred3 -- credctl stauts
	assert_failure 1
	[[ $stderr == *"camera rejected 'stauts'"*"did you mean 'status'?"* ]] || fail "stderr: $stderr"
	run --separate-stderr sim cred3 -- credctl raw stauts
	assert_failure 1
	[[ $stderr != *"did you mean"* ]] || fail "raw is meant: $stderr"
	run --separate-stderr sim cred3 -- credctl xyzzy
	[[ $stderr != *"did you mean"* ]] || fail "no near name: $stderr"
	run --separate-stderr credbpm uplaod
	assert_failure 2
	[[ $stderr == *"unknown command 'uplaod' (did you mean 'upload'?)"* ]] || fail "stderr: $stderr"
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

@test "set completion offers only writable names, get every readable one" {
	run complete_words credctl -m cred3 set m
	assert_success
	[[ $output != *maxfps* && $output != *minfps* ]] || fail "read-only names offered: $output"
	run complete_words credctl -m cred3 get m
	assert_line maxfps
	run complete_words credctl -m cred3 set f
	assert_line fps
	run complete_words credctl --deadline 3 -m cred3 set t
	assert_line tint
}

@test "the crontab example runs under cron's minimal environment" {
	local prefix=$BATS_TEST_TMPDIR/prefix tab cmd path
	make -C "$CRED_TOP" -s install install-contrib PREFIX="$prefix" >/dev/null
	tab=$prefix/share/doc/credtools/examples/credtools.crontab
	path=$(sed -n 's/^PATH=//p' "$tab")
	[ "$path" = "$prefix/bin:/usr/bin:/bin" ] || fail "PATH line: $path"
	# the every-15-minutes check, on the simulator instead of /dev/cred0
	cmd=$(grep '^\*/15' "$tab" | cut -d' ' -f6- | sed 's/^ *//')
	start_sim credone
	mkdir -p "$HOME/credtools"
	cmd=${cmd//\/dev\/cred0/$SIM_PTY}
	# as cron runs it: sh, HOME, the crontab's PATH and nothing else
	run env -i HOME="$HOME" PATH="$path" CRED_LOCK_DIR="$CRED_LOCK_DIR" sh -c "$cmd"
	assert_success
	[ -s "$HOME/credtools/health.jsonl" ]
	# without the PATH line, cron's own PATH does not find the tools
	run env -i HOME="$HOME" PATH=/usr/bin:/bin sh -c "$cmd"
	assert_output --partial "not found"
	make -C "$CRED_TOP" -s uninstall uninstall-contrib PREFIX="$prefix" >/dev/null
}

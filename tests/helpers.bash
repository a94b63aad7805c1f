# Shared helpers for the credtools bats suites.
#
#   load helpers            (in every .bats file, after bats-support/assert)
#
# What it gives:
#   - the built binaries first on PATH ($CRED_TEST_BUILD, else ./build);
#   - a private lock directory per test ($CRED_LOCK_DIR), so suites never
#     see each other's port locks;
#   - sim MODEL [CREDSIM-OPTIONS] -- COMMAND...: run COMMAND against a fresh
#     simulator (credsim picks a free TCP port; COMMAND gets CRED_PORT);
#   - start_sim / stop_sim: a simulator in the background for tests that
#     need two clients at once (CRED_PORT, SIM_TCP, SIM_PTY are exported);
#   - run_bg / wait_for_file: background helpers that never hang bats;
#   - json_ok: stdin parses as JSON;
#   - fits_key FILE KEY: a keyword of a FITS file's first header.
# Timeouts here are generous limits for a loaded machine, never assertions.

bats_require_minimum_version 1.5.0 # run --separate-stderr, run -N

CRED_TOP="$(cd "$BATS_TEST_DIRNAME/.." && pwd)"
export CRED_TEST_BUILD="${CRED_TEST_BUILD:-$CRED_TOP/build}"
case ":$PATH:" in
*":$CRED_TEST_BUILD/bin:"*) ;;
*) export PATH="$CRED_TEST_BUILD/bin:$PATH" ;;
esac
# Tests pass ports explicitly or through the simulator, never the caller's.
unset CRED_PORT CRED_DEBUG

# Seconds any wait in a helper may take before the test fails.
HELPER_WAIT_LIMIT=${HELPER_WAIT_LIMIT:-60}

# Call from setup(): a lock directory of our own. BATS_TEST_TMPDIR is
# removed by bats after each test.
common_setup() {
	export CRED_LOCK_DIR="$BATS_TEST_TMPDIR/locks"
	mkdir -p "$CRED_LOCK_DIR"
	# state files (preset records, the getter journal) of the test, never
	# the user's
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	SIM_PIDS=()
	BG_PIDS=()
}

# Call from teardown(): stop whatever start_sim/run_bg left running.
common_teardown() {
	stop_sim
	local pid
	for pid in "${BG_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	BG_PIDS=()
}

# Fail (not skip) when a binary the suite needs is missing: a missing tool
# is a broken build, not an excuse.
require_bin() {
	local b
	for b in "$@"; do
		[ -x "$CRED_TEST_BUILD/bin/$b" ] || [ -x "$CRED_TEST_BUILD/tests/$b" ] ||
			fail "missing $b in $CRED_TEST_BUILD (run make first)"
	done
}

# sim MODEL [credsim options] -- COMMAND...
sim() {
	local model=$1
	shift
	credsim -m "$model" "$@"
}

# wait_for_file PATH [SECONDS]: until PATH exists and is not empty.
wait_for_file() {
	local path=$1 limit=${2:-$HELPER_WAIT_LIMIT} i=0
	while [ ! -s "$path" ]; do
		sleep 0.1
		i=$((i + 1))
		[ "$i" -lt $((limit * 10)) ] || return 1
	done
}

# wait_for_text PATH TEXT [SECONDS]: until PATH contains TEXT.
wait_for_text() {
	local path=$1 text=$2 limit=${3:-$HELPER_WAIT_LIMIT} i=0
	until grep -qF -- "$text" "$path" 2>/dev/null; do
		sleep 0.1
		i=$((i + 1))
		[ "$i" -lt $((limit * 10)) ] || return 1
	done
}

# start_sim MODEL [credsim options]: a simulator in the background until
# stop_sim (or teardown). Exports CRED_PORT=tcp:ADDR, SIM_TCP, SIM_PTY.
start_sim() {
	local model=$1 info="$BATS_TEST_TMPDIR/sim.$RANDOM"
	shift
	# The child records what credsim gave it, then stays until killed;
	# fd 3 is closed so bats does not wait for the background job.
	credsim -m "$model" "$@" -- sh -c \
		'echo "$CRED_SIM_TCP $CRED_SIM_PTY $$" > "$1.tmp" && mv "$1.tmp" "$1" && exec sleep 100000' \
		sh "$info" >"$info.log" 2>&1 3>&- &
	SIM_PIDS+=($!)
	wait_for_file "$info" || fail "credsim did not start: $(cat "$info.log" 2>/dev/null)"
	read -r SIM_TCP SIM_PTY SIM_CHILD <"$info"
	export SIM_TCP SIM_PTY CRED_PORT="tcp:$SIM_TCP"
}

stop_sim() {
	local pid
	[ -z "${SIM_CHILD:-}" ] || kill "$SIM_CHILD" 2>/dev/null || true
	for pid in "${SIM_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	SIM_PIDS=()
	SIM_CHILD=
	return 0
}

# run_bg OUTFILE COMMAND...: start COMMAND in the background with stdout and
# stderr in OUTFILE and its exit status in OUTFILE.rc when it ends. File
# descriptors 3-9 are closed in it, so it keeps no pipe of the test's open
# (bats waits on fd 3; a test's fifo writer must be able to close).
run_bg() {
	local out=$1
	shift
	# set +e: bats runs tests under set -e, which the subshell inherits and
	# which would skip writing a failing status.
	( set +e; "$@" >"$out" 2>&1; echo $? >"$out.rc" ) 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	BG_PIDS+=($!)
}

# json_ok: standard input is valid JSON.
json_ok() {
	python3 -m json.tool >/dev/null
}

# start_silent_server: a TCP server on a free loopback port that accepts
# connections and never answers (a camera that is powered off behind a
# terminal server). Exports SILENT_ADDR=127.0.0.1:PORT.
start_silent_server() {
	local info="$BATS_TEST_TMPDIR/silent.$RANDOM"
	python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write("127.0.0.1:%d\n" % s.getsockname()[1])
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
conns = []
while True:
    c, _ = s.accept()
    conns.append(c)
' "$info" >/dev/null 2>&1 3>&- &
	BG_PIDS+=($!)
	wait_for_file "$info" || fail "silent server did not start"
	read -r SILENT_ADDR <"$info"
	export SILENT_ADDR
}

# pty_run PROMPT STEP... -- COMMAND...: run COMMAND on a pseudo-terminal
# (for interactive programs). Each STEP waits until PROMPT has appeared once
# more than the lines sent so far, then:
#   TEXT         sends TEXT (C escapes such as \t for Tab, \n for Enter);
#   @sh:CMD      runs CMD with sh (another client poking the camera);
#   @wait:TEXT   waits until TEXT has appeared on the terminal.
# Prints what the terminal showed (CR removed) and exits with COMMAND's
# status. Every wait gives up after HELPER_WAIT_LIMIT seconds.
pty_run() {
	python3 - "$@" <<'PYEOF'
import os, pty, select, subprocess, sys, time
args = sys.argv[1:]
prompt = args[0].encode()
sep = args.index("--")
steps, cmd = args[1:sep], args[sep + 1:]
limit = float(os.environ.get("HELPER_WAIT_LIMIT", "60"))
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b""
def pump(timeout):
    global out
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return True
    try:
        d = os.read(fd, 4096)
    except OSError:
        return False
    out += d
    return bool(d)
def wait_for(pred, what):
    end = time.time() + limit
    while not pred():
        if time.time() > end or not pump(0.2):
            sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
            sys.exit("pty_run: gave up waiting for " + what)
sent = 0
for step in steps:
    wait_for(lambda: out.count(prompt) > sent, "the prompt")
    if step.startswith("@sh:"):
        subprocess.run(step[4:], shell=True, check=True)
    elif step.startswith("@wait:"):
        wait_for(lambda: step[6:].encode() in out, repr(step[6:]))
    else:
        os.write(fd, step.encode().decode("unicode_escape").encode())
        sent += 1
# Read until the program ends (EOF on the pty).
end = time.time() + limit
while time.time() < end and pump(1):
    pass
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
sys.exit(os.waitstatus_to_exitcode(st))
PYEOF
}

# The value of a FITS header keyword of the first HDU (headers are ASCII).
fits_key() {
	python3 - "$1" "$2" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
for i in range(0, len(data), 80):
    card = data[i:i + 80].decode('ascii')
    if card.startswith('END' + ' ' * 77):
        break
    if card[:8].rstrip() == sys.argv[2]:
        print(card[10:].split('/')[0].strip().strip("'").strip())
        break
EOF
}

# skip_umockdev_pcap_under_asan: make check SANITIZE=1 (CRED_SANITIZE=1)
# skips the test, saying why. umockdev's replay of a USB capture needs the
# program to keep pace with it (else "Replay may be stuck" and the control
# request goes unanswered), which a program slowed by AddressSanitizer on a
# busy machine does not; every other umockdev test runs sanitized.
skip_umockdev_pcap_under_asan() {
	[ "${CRED_SANITIZE:-}" != 1 ] ||
		skip "umockdev's USB capture replay is timing-bound: not under AddressSanitizer (make check SANITIZE=1)"
}

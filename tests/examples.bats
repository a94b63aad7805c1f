#!/usr/bin/env bats
# Every command example of README.md and the man pages runs, as written,
# against credsim. The examples are read from the documents when the test
# runs (tests/helpers/examples.py says what counts as one: man-page
# .EX/.EE blocks, README ```sh fences); nothing is copied here but the
# skip list below. Each block runs in a fresh folder against a fresh
# simulator that sends frames as fast as they are read (--no-pacing: a
# loaded machine drops nothing) and whose time runs 100 times faster
# (reboots and builds take seconds), with the input files it reads but does not
# write made first by the tools themselves. It runs on a terminal
# (helpers/on-terminal.py) where every "Continue? [y/N]" is answered y, as
# the reader would. A failure names the file and line.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

EXAMPLES="$BATS_TEST_DIRNAME/helpers/examples.py"
ARC="$BATS_TEST_DIRNAME/helpers/fw-archive.py"
export ON_TERMINAL="$BATS_TEST_DIRNAME/helpers/on-terminal.py"

setup() {
	common_setup
	require_bin credctl credgrab crednuc credbpm credfw credsim
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

# What cannot run here, each with its reason: "skip|FILE|TEXT|REASON"
# skips a command of FILE containing TEXT. "credone|FILE|TEXT|REASON" runs
# the block holding TEXT against a C-RED One (the default is a C-RED 3, or
# a C-RED One when the block says -m credone). An entry that matches no
# example fails the test, so the list cannot go stale.
write_skips() {
	cat >skips <<'EOF'
# the build itself: the test runs inside it
skip|README.md|make demo|builds the tree in place; make demo is its own test
skip|README.md|make check|make check runs this very test
skip|README.md|make|builds or installs the tree; install.bats covers make install
# hardware this machine has not
skip|README.md|CRED_PORT=clser:|needs an EDT Camera Link grabber (credgrab-cl.bats uses a stand-in)
skip|man/credgrab.1|initcam|needs an EDT Camera Link grabber and EDT's initcam
skip|man/credgrab.1|export CRED_PORT=clser:|needs a Camera Link grabber's serial library
skip|man/credgrab.1|credgrab -s edt:|needs an EDT Camera Link grabber (credgrab-cl.bats uses a stand-in)
skip|man/credgrab.1|credgrab -s gentl:grablink|needs a Euresys Grablink and its GenTL producer
skip|man/credgrab.1|credctl status|the camera behind the Camera Link grabber of the lines above
skip|man/credsim.1|umockdev-run -d DEV.umockdev|DEV, STREAM and N stand for a recording (credgrab-usb.bats records and replays one)
# programs that are not ours and need a display or a milk install
skip|man/credgrab.1|ffplay|needs a display
skip|man/credgrab.1|credgrab --duration 10|10 s of full frames from the unpaced simulator outrun the FITS writer on a busy machine (ring full, exit 1); credgrab.bats tests --duration
# the milk example: its lines make sense only together, with milk
skip|man/credgrab.1|--isio-buffer 100 -o isio:cred3 &|feeds milk, which is not installed here (credgrab-isio.bats reads such a stream)
skip|man/credgrab.1|milk-shmimmon|milk is not installed here (credgrab-isio.bats reads the stream)
skip|man/credgrab.1|import ImageStreamIOWrap|milk's Python module is not installed here
skip|man/credgrab.1|credgrab --isio-remove cred3|removes the stream of the skipped lines above (credgrab-isio.bats covers it)
skip|README.md|--isio-buffer 100 -o isio:cred3 &|feeds milk, which is not installed here (credgrab-isio.bats reads such a stream)
# placeholders and machine-wide effects
skip|man/credsim.1|./my-test|./my-test stands for the reader's own test script
skip|man/credsim.1|--tcp 127.0.0.1:4000|a fixed port may be taken on a shared machine (credsim.bats covers --tcp and --pty)
skip|README.md|--log /var/log/credtools|writes the system's log folder
# test patterns are a C-RED One feature
skip|man/credctl.1|credctl getter regenerate|two simulated hours, 72 s at the test's time scale (credctl-ops.bats runs one faster)
credone|man/credfw.1|testpattern|the C-RED One's test patterns
credone|man/credctl.1|credctl cooling on|cooling and the getter are the C-RED One's
EOF
}

# The input files examples read without writing them.
FIXTURES="darks.fits flats.fits frames.fits factory.bpm user.bpm run.raw
fli-firmware.tar.gz fli-firmware-3.2.0.tar.gz hdr.lic health.jsonl"

# make_fixture NAME: made in the current folder, against the simulator the
# example runs on (CRED_PORT).
make_fixture() {
	case $1 in
	# (what the frames show does not matter here: drops neither)
	darks.fits | flats.fits | frames.fits) credgrab -q --allow-drops -n 8 -o "$1" ;;
	factory.bpm) credbpm download --factory -o "$1" ;;
	user.bpm) credbpm download -o "$1" ;;
	# a C-RED One stream cropped to 96x40, as the camera sent it
	run.raw) credsim -m credone --no-pacing --stream-copy run.raw -- sh -c \
		'credctl set cropping.columns 1-3 cropping.rows 1-40 cropping on >/dev/null &&
		 credgrab -q -n 4 -f raw -o - >/dev/null' ;;
	fli-firmware*.tar.gz) python3 "$ARC" firmware "$1" 3.2.0 ;;
	hdr.lic) printf 'FLI-LICENSE hdr\n' >"$1" ;;
	health.jsonl) credctl check --log="$1" all >/dev/null || [ -s "$1" ] ;;
	*) echo "no recipe for fixture $1"; return 1 ;;
	esac
}
export -f make_fixture
export ARC

# run_example N FILE LINE MODEL FIXTURE...: the example's output, and its
# status (the example's, or 1 when a fixture could not be made).
run_example() {
	local n=$1 file=$2 line=$3 model=$4
	shift 4
	mkdir "ex$n"
	(
		cd "ex$n" || exit 1
		credsim -m "$model" --no-pacing --time-scale 100 -- bash -c '
			for f in "${@:2}"; do
				make_fixture "$f" >/dev/null 2>fixture.err ||
					{ echo "cannot make the input $f: $(cat fixture.err)"; exit 1; }
			done
			exec python3 "$ON_TERMINAL" bash "$1"' sh "../out/$n.sh" "$@"
	) >"ex$n.log" 2>&1
}

@test "every command example in README.md and the man pages runs against credsim" {
	write_skips
	echo "$FIXTURES" >fixtures
	mkdir out
	(cd "$CRED_TOP" && python3 "$EXAMPLES" "$BATS_TEST_TMPDIR/skips" \
		"$BATS_TEST_TMPDIR/fixtures" "$BATS_TEST_TMPDIR/out" README.md man/*.[1-9])
	local failed=0 count=0
	while read -r n file line model fixtures; do
		# EXAMPLES_MATCH=TEXT runs only the examples whose FILE:LINE has TEXT
		[[ $file:$line == *"${EXAMPLES_MATCH:-}"* ]] || continue
		count=$((count + 1))
		# shellcheck disable=SC2086 # the fixtures are words
		if run_example "$n" "$file" "$line" "$model" $fixtures; then
			rm -rf "ex$n" # (a cube of 10 s of frames is large)
		else
			failed=$((failed + 1))
			echo "== example at $file:$line ($model) failed:"
			cat "ex$n.log"
		fi
	done <out/index
	echo "$count examples, $failed failed"
	[ -n "${EXAMPLES_MATCH:-}" ] || [ "$count" -gt 20 ] || fail "only $count examples found: is the convention still followed?"
	[ "$failed" -eq 0 ]
}

@test "a failing example is reported with its file and line" {
	# The check above must be able to fail, and say where.
	mkdir -p man out
	printf '.TH X 1\n.SH EXAMPLES\n.EX\ncredctl status\ncredctl set fps 1e9\n.EE\n' >man/x.1
	printf 'text\n\n```sh\ncredctl \\\n  nosuchcommand\n```\n' >README.md
	: >skips
	echo "$FIXTURES" >fixtures
	python3 "$EXAMPLES" skips fixtures out README.md man/x.1
	run cat out/index
	assert_line "1 README.md 4 cred3 "
	assert_line "2 man/x.1 4 cred3 "
	run run_example 1 README.md 4 cred3
	assert_failure
	run cat ex1.log
	assert_output --partial "FAILED with exit status 1 at README.md:4: credctl nosuchcommand"
	refute_output --partial "FAILED with exit status 1 at README.md:5"
	run run_example 2 man/x.1 4 cred3
	assert_failure
	run cat ex2.log
	assert_output --partial "FAILED with exit status 2 at man/x.1:5: credctl set fps 1e9"
}

@test "examples: roff escapes, -p pointed at the simulator, stale skip entries" {
	mkdir -p man out
	printf '.TH X 1\n.SH EXAMPLES\n.EX\ncredctl \\-p /dev/ttyACM0 \\-\\-json get fps  # a comment\n.EE\n' >man/x.1
	printf 'skip|man/x.1|no such text|a reason\n' >skips
	echo "$FIXTURES" >fixtures
	run python3 "$EXAMPLES" skips fixtures out man/x.1
	assert_failure
	assert_output --partial "skip entry matches no example: man/x.1|no such text"
	run grep -F 'credctl -p "$CRED_PORT" --json get fps ||' out/1.sh
	assert_success
}

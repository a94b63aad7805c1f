#!/usr/bin/env bats
# credgrab into milk ImageStreamIO 2.00 shared-memory streams (-o isio:NAME).
# The reader is tests/tools/isio-read.c, written from milk's public layout
# as byte offsets: it waits on a semaphore for every frame and checks the
# order, the counters and the slices; the pixels are compared with what
# credsim says it sent (--stream-copy). The simulated camera sends small
# frames (a 64x16 window) at 20 fps, so a loaded machine cannot make the
# reader fall behind, and the checks compare with what was sent, so a
# frame the simulator drops for a slow client changes nothing (the runs
# take --allow-drops: drops are not the point here). Every wait is bounded.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

GEN="$BATS_TEST_DIRNAME/helpers/gen-stream.py"
SF="$BATS_TEST_DIRNAME/helpers/sim-frames.py"
export SF
# what the simulated camera is set to first: a 64x16 window at 20 fps
CAM='python3 "$SF" query "set cropping columns 64-127" "set cropping rows 0-15" "set cropping on" "set fps 20" >/dev/null'
FSIZE=$((64 * 16 * 2))
READ="$CRED_TEST_BUILD/tests/isio-read"
SMALL=(-m cred3 --width 64 --height 16 --no-camera)

setup() {
	common_setup
	require_bin credgrab credsim isio-read
	cd "$BATS_TEST_TMPDIR" || exit 1
	export TMPDIR=$BATS_TEST_TMPDIR/tmp MILK_SHM_DIR=$BATS_TEST_TMPDIR/shm
	mkdir -p "$TMPDIR" "$MILK_SHM_DIR"
}

teardown() {
	common_teardown
}

gen() {
	python3 "$GEN" -W 64 -H 16 "$@"
}

# one metadata line of the stream: field NAME VALUE
md() {
	"$READ" "$1" | awk -v k="$2" '$1 == k { $1 = ""; sub(/^ /, ""); print }'
}

kw() {
	"$READ" "$1" | awk -v k="$2" '$1 == "kw" && $2 == k { print $4 }'
}

# FILE is the start of what was sent
sent_prefix() {
	cmp "$1" <(head -c "$(stat -c %s "$1")" "$2")
}

# frames_sent GOT LIST SENT SIZE FIRST: the frames in GOT, whose stream
# counts are the "frame K" lines of LIST, are frames K - FIRST of SENT
frames_sent() {
	python3 - "$@" <<'EOF'
import sys
got, lst, sent, size, first = sys.argv[1:]
size, first = int(size), int(first)
ks = [int(l.split()[1]) for l in open(lst) if l.startswith('frame ')]
g, s = open(got, 'rb').read(), open(sent, 'rb').read()
assert len(g) == len(ks) * size, 'size of the frames read'
for i, k in enumerate(ks):
    j = k - first
    assert g[i * size:(i + 1) * size] == s[j * size:(j + 1) * size], 'frame %d' % k
EOF
}

# start the reader on stream NAME for COUNT frames into got.raw, and wait
# until it waits on its semaphore
start_reader() {
	run_bg reader.out "$READ" -n "$2" -o got.raw "$1"
	wait_for_text reader.out ready || fail "the reader did not start: $(cat reader.out)"
}

wait_reader() {
	wait_for_file reader.out.rc || fail "the reader did not end"
	[ "$(cat reader.out.rc)" -eq 0 ] || fail "reader: $(cat reader.out)"
}

@test "--help names the stream options, -f takes isio" {
	run credgrab --help
	assert_success
	assert_output --partial "isio:NAME"
	assert_output --partial "--isio-buffer N"
	assert_output --partial "--isio-remove NAME"
	assert_output --partial "--isio-poll SECONDS"
	gen -n 2 > s.raw
	run credgrab "${SMALL[@]}" -s s.raw -f isio -o plain
	assert_success
	[ -f "$MILK_SHM_DIR/plain.im.shm" ]
	[ ! -e plain ]
}

@test "a reader waiting on the semaphore gets frames in order, with their counter and pixels (2-D stream)" {
	# the stream exists first (a one-frame run), so the reader can wait on it
	run credsim -- sh -c "$CAM && credgrab -n 1 --allow-drops -o isio:cam"
	assert_success
	inode=$(stat -c %i "$MILK_SHM_DIR/cam.im.shm")
	start_reader cam 20
	run credsim --stream-copy sent.raw -- sh -c "$CAM && credgrab -n 20 --allow-drops -o isio:cam"
	assert_success
	assert_output --partial "20 frames of 64x16"
	drops=$(sed -n 's/.*, \([0-9]*\) dropped.*/\1/p' <<<"$output")
	wait_reader
	# reused, not replaced: the reader's mapping is the stream's file
	[ "$(stat -c %i "$MILK_SHM_DIR/cam.im.shm")" -eq "$inode" ]
	# frames 2..21 (the first run wrote frame 1), in order; a 2-D stream
	# keeps only the newest frame, so after a burst the reader sees that one
	run awk '/^frame/ { if ($2 <= k || $2 < 2 || $2 > 21) print "bad order at " $2; k = $2; n++ }
		END { if (n == 0) print "no frame" }' reader.out
	assert_output ""
	frames_sent got.raw reader.out sent.raw $FSIZE 2
	assert_equal "$(md cam version)" "2.00"
	assert_equal "$(md cam size)" "64 16 0"
	assert_equal "$(md cam datatype)" 4     # int16: C-RED 3 CDS
	assert_equal "$(md cam cnt0)" 21
	assert_equal "$(md cam write)" 0
	assert_equal "$(md cam owner)" 0
	# DROPS counts what credgrab saw missing
	assert_equal "$(kw cam DROPS)" "$drops"
}

@test "--isio-buffer N: a 3-D circular buffer, every frame in its slice with its count" {
	run credsim -- sh -c "$CAM && credgrab -n 1 --allow-drops --isio-buffer 32 -o isio:cube"
	assert_success
	start_reader cube 40
	run credsim --stream-copy sent.raw -- sh -c "$CAM && credgrab -n 40 --allow-drops --isio-buffer 32 -o isio:cube"
	assert_success
	wait_reader
	sent_prefix got.raw sent.raw
	[ "$(stat -c %s got.raw)" -eq $((40 * FSIZE)) ]
	run awk '/^frame/ { print $2, $4 }' reader.out
	assert_output "$(for i in $(seq 2 41); do echo "$i $(((i - 1) % 32))"; done)"
	assert_equal "$(md cube size)" "64 16 32"
	assert_equal "$(md cube imagetype)" 0x20001
	assert_equal "$(md cube cnt1)" 8
}

@test "the camera's state is in the keywords; FRAMECNT and DROPS follow the frames" {
	run credsim --no-pacing --frame-fault drop:3@5 -- credgrab -n 10 --allow-drops -o isio:cam
	assert_success
	assert_output --partial "10 frames of 640x512"
	assert_output --partial ", 3 dropped"
	# counters 0-4 and 8-12 came
	assert_equal "$(kw cam FRAMECNT)" 12
	assert_equal "$(kw cam DROPS)" 3
	[ -n "$(kw cam SENSIBIL)" ]
	[ -n "$(kw cam FRATE)" ]
	[ -n "$(kw cam EXPTIME)" ]
	[ -n "$(kw cam DET-TMP)" ]
	assert_equal "$(kw cam IMGTAGS)" 1
}

# wait_for_kw NAME KEY VALUE: until the stream's keyword has that value
wait_for_kw() {
	local i
	for i in $(seq $((HELPER_WAIT_LIMIT * 10))); do
		[ "$(kw "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
	done
	fail "keyword $2 of $1 is '$(kw "$1" "$2")', not '$3'"
}

@test "keywords follow the camera's state during the run (--isio-poll)" {
	run_bg grab.out credsim -- sh -c "$CAM"' && echo "$CRED_PORT" > port &&
		echo $$ > grab.pid && exec credgrab -t 0 --allow-drops --isio-poll 0.2 -o isio:cam'
	wait_for_file port || fail "credsim did not start: $(cat grab.out)"
	wait_for_file grab.pid
	wait_for_kw cam SENSIBIL medium
	assert_equal "$(kw cam FRATE)" 20
	CRED_PORT=$(cat port) credctl --wait-lock=30 set fps 10 >/dev/null
	CRED_PORT=$(cat port) credctl --wait-lock=30 set sensibility high >/dev/null
	wait_for_kw cam FRATE 10
	wait_for_kw cam SENSIBIL high
	kill -INT "$(cat grab.pid)"
	wait_for_file grab.out.rc
	assert_equal "$(cat grab.out.rc)" 0
}

@test "C-RED One frames are uint16" {
	run credsim -m credone --no-pacing -- credgrab -n 2 -o isio:one
	assert_success
	assert_equal "$(md one datatype)" 3
	assert_equal "$(md one size)" "320 256 0"
}

@test "a stream of another shape is refused unless --force, which replaces it" {
	gen -n 2 > s.raw
	run credgrab "${SMALL[@]}" -s s.raw -o isio:cam
	assert_success
	python3 "$GEN" -W 32 -H 16 -n 2 > t.raw
	run credgrab -m cred3 --width 32 --height 16 --no-camera -s t.raw -o isio:cam
	assert_failure 1
	assert_output --partial "stream 'cam' holds 64x16 int16 frames, not 32x16 int16 frames (use --force"
	assert_equal "$(md cam size)" "64 16 0"
	assert_equal "$(md cam cnt0)" 2
	run credgrab "${SMALL[@]}" --isio-buffer 4 -s s.raw -o isio:cam
	assert_failure 1
	assert_output --partial "not 64x16 int16 frames in 4 slices"
	run credgrab -m cred3 --width 32 --height 16 --no-camera --force -s t.raw -o isio:cam
	assert_success
	assert_equal "$(md cam size)" "32 16 0"
	assert_equal "$(md cam cnt0)" 2
	# a stream of float pixels (datatype 9, at byte 136 of the metadata)
	cp "$MILK_SHM_DIR/cam.im.shm" "$MILK_SHM_DIR/flt.im.shm"
	printf '\011' | dd of="$MILK_SHM_DIR/flt.im.shm" bs=1 seek=136 conv=notrunc status=none
	run credgrab -m cred3 --width 32 --height 16 --no-camera -s t.raw -o isio:flt
	assert_failure 1
	assert_output --partial "stream 'flt' holds 32x16 non-16-bit frames in a form credgrab cannot write"
	run credgrab --isio-remove flt
	assert_success
	# a file that is no stream is left alone too
	echo hello > "$MILK_SHM_DIR/junk.im.shm"
	run credgrab "${SMALL[@]}" -s s.raw -o isio:junk
	assert_failure 1
	assert_output --partial "is not an ImageStreamIO 2.00 stream"
	assert_equal "$(cat "$MILK_SHM_DIR/junk.im.shm")" hello
}

@test "a stream a running writer owns is refused, and its removal, unless --force" {
	mkfifo in.fifo
	run_bg writer.out credgrab "${SMALL[@]}" -t 0 -s in.fifo -o isio:cam
	exec 5>in.fifo
	gen -n 3 >&5
	# the writer owns the stream once it has written its frames
	for _ in $(seq 600); do [ "$(md cam cnt0 2>/dev/null)" = 3 ] && break; sleep 0.1; done
	owner=$(md cam owner)
	[ "$owner" -gt 0 ]
	gen -n 2 > s.raw
	run credgrab "${SMALL[@]}" -s s.raw -o isio:cam
	assert_failure 1
	assert_output --partial "stream 'cam' belongs to running process $owner"
	run credgrab --isio-remove cam
	assert_failure 1
	assert_output --partial "belongs to running process $owner"
	# --force writes anyway, and removes
	run credgrab "${SMALL[@]}" --force -s s.raw -o isio:cam
	assert_success
	assert_equal "$(md cam cnt0)" 5
	run credgrab --isio-remove cam --force
	assert_success
	[ ! -e "$MILK_SHM_DIR/cam.im.shm" ]
	# the writer goes on into its mapping and ends cleanly
	gen -n 1 --start 1003 >&5
	exec 5>&-
	wait_for_file writer.out.rc
	assert_equal "$(cat writer.out.rc)" 0
	run cat writer.out
	assert_output --partial "4 frames of 64x16"
}

@test "Ctrl-C leaves a whole stream: write flag clear, every frame counted, kept for readers" {
	run credsim -- sh -c "$CAM && credgrab -n 1 --allow-drops -o isio:cam"
	assert_success
	start_reader cam 3
	run_bg grab.out credsim -- sh -c "$CAM"' && echo $$ > grab.pid && exec credgrab -t 0 --allow-drops -o isio:cam'
	wait_reader
	kill -INT "$(cat grab.pid)"
	wait_for_file grab.out.rc
	[ "$(cat grab.out.rc)" -eq 0 ] || fail "credgrab: $(cat grab.out)"
	frames=$(sed -n 's/^credgrab: \([0-9]*\) frames.*/\1/p' grab.out)
	[ "$frames" -ge 3 ]
	assert_equal "$(md cam cnt0)" $((frames + 1))
	assert_equal "$(md cam write)" 0
	assert_equal "$(md cam owner)" 0
}

@test "--isio-remove removes a stream; a missing one, a bad name and a foreign file fail" {
	gen -n 1 > s.raw
	run credgrab "${SMALL[@]}" -s s.raw -o isio:cam
	assert_success
	run credgrab --isio-remove cam
	assert_success
	[ ! -e "$MILK_SHM_DIR/cam.im.shm" ]
	run credgrab --isio-remove cam
	assert_failure 1
	assert_output --partial "no stream 'cam'"
	run credgrab --isio-remove ../etc
	assert_failure 2
	assert_output --partial "invalid stream name '../etc'"
	echo hello > "$MILK_SHM_DIR/junk.im.shm"
	run credgrab --isio-remove junk --force
	assert_failure 1
	assert_output --partial "not an ImageStreamIO 2.00 stream: left alone"
	[ -e "$MILK_SHM_DIR/junk.im.shm" ]
}

@test "stream option misuse is a usage error" {
	gen -n 1 > s.raw
	for args in "--isio-buffer 4 -o x.raw" "-o isio:" "-o isio:a/b" "-o isio:.hidden" \
		"-f isio -o -" "--isio-buffer 0 -o isio:cam" "--isio-buffer x -o isio:cam" \
		"--isio-poll -1 -o isio:cam"; do
		# shellcheck disable=SC2086
		run credgrab "${SMALL[@]}" -s s.raw $args
		assert_failure 2
	done
	[ -z "$(ls "$MILK_SHM_DIR")" ]
}

@test "the man page and the completions know the stream options" {
	local opt
	for opt in isio-buffer isio-poll isio-remove; do
		grep -q -- "isio\\\\-${opt#isio-}" "$CRED_TOP/man/credgrab.1" || fail "man page lacks --$opt"
		grep -q -- "--$opt" "$CRED_TOP/completions/bash/credgrab" || fail "bash completion lacks --$opt"
		grep -q -- "--$opt=" "$CRED_TOP/completions/zsh/_credgrab" || fail "zsh completion lacks --$opt"
	done
	grep -q "MILK_SHM_DIR" "$CRED_TOP/man/credgrab.1"
	gen -n 1 > s.raw
	run credgrab "${SMALL[@]}" -s s.raw -o isio:cam
	assert_success
	# bash completion offers the streams (a plain bash; compopt works only
	# inside a real completion)
	complete_words() {
		bash --norc --noprofile -c 'compopt() { :; }
			source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			_credgrab; printf "%s\n" "${COMPREPLY[@]}"' sh "$CRED_TOP/completions/bash/credgrab" "$@"
	}
	run complete_words credgrab -o isio:c
	assert_output isio:cam
	run complete_words credgrab --isio-remove ""
	assert_output cam
	run complete_words credgrab -f i
	assert_output isio
}

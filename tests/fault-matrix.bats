#!/usr/bin/env bats
# The fault matrix: each tool under each fault that applies to it (a line
# that drops, garbles, stalls or repeats an answer, a transfer that is
# corrupted, loses bytes or dies, frames that go missing, a full disk, a
# file size limit, SIGINT and SIGTERM at a chosen moment), three checks
# per cell: the exit status, a message that says what happened, and no
# partial or corrupt output (fitsverify on any FITS left, whole frames in a
# raw or y4m file, no temporary file anywhere). The cells, their faults
# and what they expect are data: tests/data/fault-matrix.tsv. One test per
# tool; the matrix and its pass count are printed at the end (fd 3).

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

MATRIX="$BATS_TEST_DIRNAME/data/fault-matrix.tsv"
ARC="$BATS_TEST_DIRNAME/helpers/fw-archive.py"
# How long a tool may take to end after its signal (the uploads it stops
# would take a minute), and to reach the event the signal waits for.
STOP_LIMIT_S=10
EVENT_LIMIT_S=60

setup_file() {
	local in=$BATS_FILE_TMPDIR/in
	mkdir -p "$in"
	# A bias file for a 128x64 window, a bad pixel map, a firmware release.
	python3 -c 'import sys, struct; n = 128 * 64
sys.stdout.buffer.write(struct.pack("<%dH" % n, *[900 + (i * 37) % 200 for i in range(n)]))' \
		>"$in/bias.bin"
	python3 -c 'import sys; b = bytearray(40960); b[100] = 0x80; b[2000] = 0x11
sys.stdout.buffer.write(b)' >"$in/map.bpm"
	python3 "$ARC" firmware "$in/fw.tar.gz" 9.9.9
	: >"$BATS_FILE_TMPDIR/results"
}

setup() {
	common_setup
	require_bin credctl credgrab crednuc credbpm credfw credsim
	command -v fitsverify >/dev/null || fail "fitsverify is missing (make deps)"
	MOUNTS=()
}

teardown() {
	local m
	for m in "${MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || true
	done
	common_teardown
}

# The matrix with a pass count, after the last test.
teardown_file() {
	python3 - "$BATS_FILE_TMPDIR/results" >&3 <<'EOF'
import sys
rows, cols, cells = [], [], {}
for line in open(sys.argv[1]):
    tool, fault, verdict = line.rstrip("\n").split("\t")[:3]
    if tool not in rows: rows.append(tool)
    if fault not in cols: cols.append(fault)
    cells[tool, fault] = verdict
w = max([len(r) for r in rows] + [4])
print("# fault matrix (ok: passed, FAIL: failed, .: does not apply)")
for i, c in enumerate(cols):
    print("# %s %2d %s" % (" " * w, i, c))
print("# %s %s" % ("".ljust(w), " ".join("%2d" % i for i in range(len(cols)))))
for r in rows:
    marks = []
    for c in cols:
        v = cells.get((r, c))
        marks.append(" ." if v is None else "ok" if v == "ok" else "XX")
    print("# %s %s" % (r.ljust(w), " ".join(marks)))
n = len(cells)
secs = [int(l.rstrip("\n").split("\t")[3]) for l in open(sys.argv[1])]
print("# %d s in all; the slowest cells:" % sum(secs))
lines = sorted(open(sys.argv[1]), key=lambda l: -int(l.rstrip("\n").split("\t")[3]))
for l in lines[:5]:
    t, f, v, sec = l.rstrip("\n").split("\t")
    print("#   %s x %s: %s s" % (t, f, sec))
ok = sum(1 for v in cells.values() if v == "ok")
print("# fault matrix: %d of %d cells pass" % (ok, n))
for (r, c), v in cells.items():
    if v != "ok":
        print("# FAIL %s x %s: %s" % (r, c, v))
EOF
}

# tool_field NAME INDEX: a field of the tool row NAME (1: model, 2: setup,
# 3: command, 4: output, 5: disk, 6: fsize).
tool_field() {
	awk -F'\t' -v t="$1" -v i="$2" '$1 == "tool" && $2 == t { print $(i + 2) }' "$MATRIX"
}

# whole_output KIND FILE: FILE is a complete output of that kind.
whole_output() {
	local kind=$1 f=$2
	case $kind in
	fits | fits:*)
		fitsverify -q -e "$f" | grep -q "verification OK" || { echo "fitsverify fails on $f"; return 1; }
		# fits:KEY=VALUE: a header value the camera said (numbers compared as numbers)
		if [ "$kind" != fits ]; then
			local kv=${kind#fits:} v
			v=$(fits_key "$f" "${kv%%=*}")
			awk -v a="$v" -v b="${kv#*=}" 'BEGIN { exit !(a == b || a + 0 == b + 0 && a != "") }' ||
				{ echo "$f: ${kv%%=*} is '$v', not ${kv#*=}"; return 1; }
		fi ;;
	raw:*)
		[ $(($(stat -c %s "$f") % ${kind#raw:})) = 0 ] || { echo "$f ends mid-frame"; return 1; } ;;
	size:*)
		[ "$(stat -c %s "$f")" = "${kind#size:}" ] || { echo "$f is $(stat -c %s "$f") bytes"; return 1; } ;;
	files:*)
		local n
		n=$(find "$f" -type f | wc -l)
		[ "$n" = "${kind#files:}" ] || { echo "$f holds $n files, not ${kind#files:}"; return 1; } ;;
	y4m)
		python3 - "$f" <<'EOF' || return 1
import sys
d = open(sys.argv[1], "rb").read()
head, _, rest = d.partition(b"\n")
w = int([x for x in head.split() if x.startswith(b"W")][0][1:])
h = int([x for x in head.split() if x.startswith(b"H")][0][1:])
while rest:
    line, nl, rest = rest.partition(b"\n")
    if not nl or not line.startswith(b"FRAME") or len(rest) < w * h * 2:
        sys.exit(sys.argv[1] + " ends mid-frame")
    rest = rest[w * h * 2:]
EOF
		;;
	*) [ "$kind" = - ] || { echo "unknown output kind $kind"; return 1; } ;;
	esac
}

# check_cell DIR EXIT MESSAGES OUTPUT: the three checks; prints what failed.
check_cell() {
	local dir=$1 want=$2 messages=$3 output=$4 rc pat f left=0 bad=""
	rc=$(cat "$dir/rc" 2>/dev/null || echo none)
	[ "$rc" = "$want" ] || bad+="exit $rc, not $want; "
	if [ "$messages" != - ]; then
		while IFS= read -r pat; do
			[ -n "$pat" ] || continue
			grep -qE -- "$pat" "$dir/tool.log" || bad+="no line matches '$pat'; "
		done < <(sed 's/ ;; /\n/g' <<<"$messages")
	fi
	f=$(find "$dir" -name '.credtools-*' | head -1)
	[ -z "$f" ] || bad+="temporary file left: ${f#"$dir"/}; "
	for f in "$dir"/out/*; do
		[ -e "$f" ] || continue
		left=$((left + 1))
		[ "$output" != - ] || { bad+="unexpected output ${f##*/}; "; continue; }
		whole_output "$output" "$f" >"$dir/whole.log" 2>&1 || bad+="$(tr '\n' ' ' <"$dir/whole.log"); "
	done
	if [ "$want" = 0 ] && [ "$output" != - ] && [ "$left" = 0 ]; then
		bad+="no output although it succeeded; "
	fi
	printf '%s' "$bad"
}

# The script the simulator's child runs: setup, then the tool (its output
# in tool.log, its status in rc), for a signal cell sent when the event
# came, with the time to stop bounded.
cell_script() {
	local setup=$1 command=$2 fault=$3 when=$4 fsize=$5 script=""
	[ "$setup" = - ] || script+="$setup >setup.log 2>&1 || { echo setup failed >rc; exit 0; }; "
	[ "$fault" != ulimit-f ] || script+="ulimit -f $fsize; "
	case $fault in
	SIGINT | SIGTERM)
		local event
		case $when in
		log:*) event="grep -qF -- \"${when#log:}\" sim.log" ;;
		tmp) event='[ -n "$(find "$OUT" -name ".credtools-*" -size +0)" ]' ;;
		*) event=false ;;
		esac
		# A background job of sh starts with SIGINT ignored: give it back.
		script+="env --default-signal=INT,TERM $command >tool.log 2>&1 & p=\$!; i=0; "
		script+="until $event; do sleep 0.1; i=\$((i + 1)); "
		script+="[ \$i -lt $((EVENT_LIMIT_S * 10)) ] || { echo 'no event' >>tool.log; break; }; done; "
		script+="kill -${fault#SIG} \$p; i=0; "
		script+="while kill -0 \$p 2>/dev/null; do sleep 0.1; i=\$((i + 1)); "
		script+="[ \$i -lt $((STOP_LIMIT_S * 10)) ] || { echo 'still running ${STOP_LIMIT_S} s after the signal' >>tool.log; kill -9 \$p; break; }; done; "
		script+="wait \$p; echo \$? >rc"
		;;
	*) script+="$command >tool.log 2>&1; echo \$? >rc" ;;
	esac
	printf '%s' "$script"
}

# run_cell TOOL FAULT SIMOPTS WHEN EXIT MESSAGES: one cell; appends its
# verdict to the results.
run_cell() {
	local tool=$1 fault=$2 simopts=$3 when=$4 want=$5 messages=$6
	local dir=$BATS_TEST_TMPDIR/$tool.$fault model setup command output disk fsize bad opts=() start
	model=$(tool_field "$tool" 1) setup=$(tool_field "$tool" 2) command=$(tool_field "$tool" 3)
	output=$(tool_field "$tool" 4) disk=$(tool_field "$tool" 5) fsize=$(tool_field "$tool" 6)
	mkdir -p "$dir/out"
	if [ "$fault" = disk-full ]; then
		mount -t tmpfs -o "size=$disk" tmpfs "$dir/out" || fail "cannot mount a tmpfs"
		MOUNTS+=("$dir/out")
	fi
	[ "$simopts" = - ] || eval "opts=($simopts)"
	start=$SECONDS
	(
		cd "$dir" || exit 1
		export IN=$BATS_FILE_TMPDIR/in OUT=$dir/out
		credsim -m "$model" -v "${opts[@]}" -- sh -c \
			"$(cell_script "$setup" "$command" "$fault" "$when" "$fsize")" >sim.out 2>sim.log 3>&-
	)
	bad=$(check_cell "$dir" "$want" "$messages" "$output")
	if [ "$fault" = disk-full ]; then
		umount "$dir/out"
		unset 'MOUNTS[-1]'
	fi
	printf '%s\t%s\t%s\t%s\n' "$tool" "$fault" "${bad:-ok}" $((SECONDS - start)) \
		>>"$BATS_FILE_TMPDIR/results"
	[ -z "$bad" ] || {
		echo "$tool x $fault: $bad"
		sed 's/^/    | /' "$dir/tool.log" 2>/dev/null | head -20
	}
	[ -z "$bad" ]
}

# run_tool TOOL: every cell of that tool; fails when one does.
run_tool() {
	local failed=0 kind tool fault simopts when want messages
	while IFS=$'\t' read -r kind tool fault simopts when want messages; do
		[ "$kind" = cell ] && [ "$tool" = "$1" ] || continue
		run_cell "$tool" "$fault" "$simopts" "$when" "$want" "$messages" || failed=$((failed + 1))
	done <"$MATRIX"
	[ "$failed" = 0 ] || fail "$1: $failed cells failed"
}

@test "credctl status" { run_tool status; }
@test "credctl set" { run_tool set; }
@test "credctl check" { run_tool check; }
@test "credgrab to FITS" { run_tool grab-fits; }
@test "credgrab to raw" { run_tool grab-raw; }
@test "credgrab to y4m" { run_tool grab-y4m; }
@test "credgrab until stopped" { run_tool grab-long; }
@test "crednuc upload (sendfile)" { run_tool nuc-raw; }
@test "crednuc upload --xmodem" { run_tool nuc-xmodem; }
@test "crednuc upload --url" { run_tool nuc-url; }
@test "crednuc bias --fits" { run_tool nuc-build; }
@test "credbpm upload" { run_tool bpm-upload; }
@test "credbpm download" { run_tool bpm-download; }
@test "credfw upgrade" { run_tool fw-upgrade; }
@test "credfw logs" { run_tool fw-logs; }

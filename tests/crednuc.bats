#!/usr/bin/env bats
# crednuc against credsim: help and usage, uploads by sendfile, XMODEM and
# URL with the line's faults (corrupted and lost bytes, a dead line, NAK
# storms, cancels), recvfile, checks of files against a model and window,
# builds from synthetic frames with known answers, the camera's own builds
# and the correction switches.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

NUC_PY="$BATS_TEST_DIRNAME/helpers/nuc.py"

setup() {
	common_setup
	require_bin crednuc credsim credctl
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

# A full-frame C-RED 3 bias file (values 900-1099) and its MD5.
make_bias() {
	python3 -c '
import struct, sys
n = int(sys.argv[1]) * int(sys.argv[2])
sys.stdout.buffer.write(struct.pack("<%dH" % n, *[900 + (i * 37) % 200 for i in range(n)]))
' "${1:-640}" "${2:-512}" >"${3:-bias.bin}"
}

md5() {
	md5sum <"$1" | cut -d' ' -f1
}

# The camera's file of that kind: "SIZE MD5", or nothing.
sim_file() {
	credctl sim files | awk -v k="$1" '$1 == k { print $2, $3 }'
}

# The interpreter still answers after whatever happened.
interpreter_usable() {
	run credctl fps raw
	assert_success
	assert_output "600"
}

# ---- help, usage ----------------------------------------------------------------

@test "--help goes to stdout with exit 0; -V names both versions" {
	run --separate-stderr crednuc --help
	assert_success
	assert_line --partial "Usage: crednuc"
	[ -z "$stderr" ]
	run crednuc -V
	assert_success
	assert_line --regexp '^crednuc \(credtools\) [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --regexp '^libcred [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "every long option in --help is in the man page and back" {
	local man="$CRED_TOP/man/crednuc.1"
	run bash -c "crednuc --help | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u"
	local help_opts=$output
	run bash -c "sed 's/\\\\-/-/g' '$man' | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u"
	local man_opts=$output
	[ -n "$help_opts" ] && [ -n "$man_opts" ]
	if [ "$help_opts" != "$man_opts" ]; then
		diff <(echo "$help_opts") <(echo "$man_opts") || true
		fail "long options differ between --help (<) and crednuc.1 (>)"
	fi
}

@test "every subcommand is in --help, the man page and both completions" {
	local sub
	for sub in bias flat check upload enable disable camera; do
		crednuc --help | grep -qE "^  $sub( |$)" || fail "--help lacks $sub"
		grep -qE "^\.(B|BI|BR) \"?$sub( |\"|$)" "$CRED_TOP/man/crednuc.1" || fail "crednuc.1 lacks $sub"
		grep -qw -- "$sub" "$CRED_TOP/completions/bash/crednuc" || fail "bash completion lacks $sub"
		grep -qw -- "$sub" "$CRED_TOP/completions/zsh/_crednuc" || fail "zsh completion lacks $sub"
	done
}

@test "bash completion offers subcommands, kinds and options" {
	complete_words() {
		bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null
			source "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_crednuc crednuc "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}"
			printf "%s\n" "${COMPREPLY[@]}"' sh "$CRED_TOP/completions/bash/crednuc" "$@"
	}
	run complete_words crednuc up
	assert_output "upload"
	run complete_words crednuc upload flat_hdr
	assert_line "flat_hdr_c1"
	assert_line "flat_hdr_c2"
	run complete_words crednuc bias --meth
	assert_output "--method"
	run complete_words crednuc bias --method m
	assert_line "mean"
	assert_line "median"
}

@test "usage errors exit 2 with a hint" {
	run --separate-stderr crednuc frobnicate
	assert_failure 2
	[[ $stderr == *"unknown command 'frobnicate'"* ]]
	[[ $stderr == *"Try 'crednuc --help'"* ]]
	run crednuc bias --method mode x.y4m
	assert_failure 2
	assert_output --partial "invalid --method 'mode'"
	run crednuc flat f.y4m
	assert_failure 2
	assert_output --partial "--bias FILE, or --no-bias"
	run crednuc upload bias
	assert_failure 2
	run crednuc upload fla flat.bin
	assert_failure 2
	assert_output --partial "unknown calibration file kind 'fla'"
	run crednuc upload --1k bias bias.bin
	assert_failure 2
	assert_output --partial "add --xmodem"
	run crednuc camera --frames 5 bias
	assert_failure 2
	run crednuc enable lights
	assert_failure 2
}

# ---- uploads ----------------------------------------------------------------------

@test "upload by sendfile: the camera holds exactly the file" {
	make_bias
	start_sim cred3
	run crednuc upload bias bias.bin
	assert_success
	assert_output --partial "uploaded as bias by sendfile (655360 bytes, MD5 $(md5 bias.bin)"
	run sim_file bias
	assert_output "655360 $(md5 bias.bin)"
}

@test "upload by XMODEM: CRC with 128 and 1024-byte blocks, checksum mode" {
	make_bias
	start_sim cred3
	run crednuc upload --xmodem bias bias.bin
	assert_success
	assert_output --partial "by XMODEM (655360 bytes"
	run sim_file bias
	assert_output "655360 $(md5 bias.bin)"
	make_bias 640 512 flat.bin
	run crednuc -q upload --xmodem --1k flat flat.bin
	assert_success
	[ -z "$output" ]
	run sim_file flat
	assert_output "655360 $(md5 flat.bin)"
	credctl sim transfer-fault checksum
	make_bias 640 512 other.bin
	printf 'x' | dd of=other.bin bs=1 seek=1000 conv=notrunc 2>/dev/null
	run crednuc upload --xmodem bias other.bin
	assert_success
	run sim_file bias
	assert_output "655360 $(md5 other.bin)"
}

@test "upload by URL: the camera fetches from a one-shot server" {
	make_bias
	start_sim cred3
	run crednuc upload --url bias_hdr_c1 bias.bin
	assert_success
	assert_output --partial "uploaded as bias_hdr_c1 by URL"
	run sim_file bias_hdr_c1
	assert_output "655360 $(md5 bias.bin)"
	run crednuc upload --url=127.0.0.1 --http-port 0 flat bias.bin
	assert_failure 2
	credctl sim transfer-fault fetch-fail
	run crednuc upload --url flat bias.bin
	assert_failure 1
	assert_output --partial "download of 'http://127.0.0.1:"
	assert_output --partial "failed"
	run sim_file flat
	assert_output ""
	interpreter_usable
}

@test "URL upload on a serial port needs the address the camera can reach" {
	make_bias 128 64
	run sim cred3 --export pty -- crednuc upload --no-check --url bias bias.bin
	assert_failure 2
	assert_output --partial "not a network connection"
}

@test "a corrupted byte: sendfile is refused (MD5), XMODEM resends the block" {
	make_bias
	start_sim cred3 --transfer-fault corrupt:5000
	run crednuc upload bias bias.bin
	assert_failure 1
	assert_output --partial "MD5 mismatch"
	run sim_file bias
	assert_output ""
	interpreter_usable
	run crednuc upload --xmodem bias bias.bin
	assert_success
	run sim_file bias
	assert_output "655360 $(md5 bias.bin)"
}

@test "a wrong MD5 in the command: the camera refuses the file" {
	make_bias
	start_sim cred3
	run python3 "$NUC_PY" wire "$SIM_TCP" "send:sendfile bias 655360 0123456789abcdef0123456789abcdef" \
		bytes:bias.bin answer "send:fps raw" answer
	assert_success
	assert_line --partial "Error: sendfile bias: MD5 mismatch (expected 0123456789abcdef0123456789abcdef, received $(md5 bias.bin))"
	assert_line "600"
	run sim_file bias
	assert_output ""
}

@test "a byte lost in the middle: sendfile times out, XMODEM recovers" {
	make_bias
	start_sim cred3 --transfer-fault lose:300000
	run crednuc upload bias bias.bin
	assert_failure 1
	assert_output --partial "timeout, received 655359 of 655360 bytes"
	interpreter_usable
	run crednuc upload --xmodem bias bias.bin
	assert_success
	run sim_file bias
	assert_output "655360 $(md5 bias.bin)"
}

@test "the line goes dead in the middle of an XMODEM upload" {
	make_bias
	start_sim cred3 --transfer-fault cut:100000
	run crednuc upload --xmodem bias bias.bin
	assert_failure 1
	assert_output --partial "upload as bias by XMODEM failed"
	run sim_file bias
	assert_output ""
	interpreter_usable
}

@test "NAK storms: three refusals per block pass, twelve make the sender give up" {
	make_bias 128 64
	start_sim cred3 --transfer-fault nak:3@1 --transfer-fault nak:12@2
	credctl set cropping.columns 0-127 cropping.rows 0-63 cropping on >/dev/null
	run crednuc upload --xmodem bias bias.bin
	assert_success
	run sim_file bias
	assert_output --regexp '^655360 '
	run crednuc upload --xmodem flat bias.bin
	assert_failure 1
	assert_output --partial "rejected"
	run sim_file flat
	assert_output ""
	interpreter_usable
}

@test "CAN: the camera cancels, or the sender does on Ctrl-C" {
	make_bias 128 64
	start_sim cred3 --transfer-fault cancel:5@1 --baud 9600
	credctl set cropping.columns 0-127 cropping.rows 0-63 cropping on >/dev/null
	run crednuc upload --xmodem bias bias.bin
	assert_failure 1
	assert_output --partial "transfer cancelled by the camera at block 5"
	# 16 KiB at 960 bytes/s: SIGINT lands in the middle
	crednuc upload --xmodem flat bias.bin >up.log 2>&1 3>&- &
	local pid=$! rc=0
	BG_PIDS+=($pid)
	sleep 2
	kill -INT "$pid"
	wait "$pid" || rc=$?
	[ "$rc" = 130 ] || fail "exit status $rc: $(cat up.log)" # interrupted: 128 + SIGINT
	grep -q "upload interrupted" up.log || fail "$(cat up.log)"
	run sim_file flat
	assert_output ""
	run credctl fps raw
	assert_success
}

@test "the file is checked against the camera's window before anything is sent" {
	make_bias
	start_sim cred3
	credctl set cropping.columns 0-319 cropping.rows 0-255 cropping on >/dev/null
	run crednuc upload bias bias.bin
	assert_failure 1
	assert_output --partial "the size for the full 640x512 sensor, but the window is 320x256"
	assert_output --partial "nothing sent"
	run sim_file bias
	assert_output ""
	# the camera refuses it too
	run crednuc upload --no-check bias bias.bin
	assert_failure 1
	assert_output --partial "must be 163840 bytes for the current 320x256 window"
	make_bias 320 256 small.bin
	run crednuc upload --enable bias small.bin
	assert_success
	run credctl get bias
	assert_output "on"
	# the camera keeps it on the whole sensor
	run sim_file bias
	assert_output --regexp '^655360 '
}

@test "C-RED One: bias and flat by sendfile and URL; no XMODEM" {
	make_bias 320 256
	start_sim credone
	run crednuc upload bias bias.bin
	assert_success
	run sim_file bias
	assert_output "163840 $(md5 bias.bin)"
	run crednuc upload --url flat bias.bin
	assert_success
	run sim_file flat
	assert_output "163840 $(md5 bias.bin)"
	run crednuc upload --xmodem bias bias.bin
	assert_failure 1
	assert_output --partial "the C-RED One has no 'xsendfile bias' command"
	# a selection of column blocks and rows
	credctl set cropping.columns 1,3 cropping.rows 1-16 cropping on >/dev/null
	make_bias 64 16 sel.bin
	run crednuc upload bias sel.bin
	assert_success
	run sim_file bias
	assert_output --regexp '^163840 '
}

@test "baud emulation: uploads still arrive whole" {
	make_bias 64 16
	start_sim cred3 --baud 19200
	credctl set cropping.columns 0-63 cropping.rows 0-15 cropping on >/dev/null
	run crednuc upload bias bias.bin
	assert_success
	run crednuc upload --xmodem flat bias.bin
	assert_success
	credctl sim files >files.txt
	grep -q "^bias 655360 " files.txt
	grep -q "^flat 655360 " files.txt
}

@test "a progress line with the time left, only on a terminal" {
	make_bias 64 32
	start_sim cred3 --baud 19200
	credctl set cropping.columns 0-63 cropping.rows 0-31 cropping on >/dev/null
	run pty_run unused -- crednuc upload --xmodem bias bias.bin
	assert_success
	assert_output --partial "bias.bin "
	assert_output --partial "ETA"
	assert_output --partial "uploaded as bias by XMODEM"
	run crednuc upload bias bias.bin
	assert_success
	refute_output --partial "ETA"
}

@test "recvfile: size, md5sum and content of the bad pixel maps agree" {
	start_sim cred3
	read -r size sum < <(credctl sim files | awk '$1 == "userbadpixel" { print $2, $3 }')
	run python3 "$NUC_PY" wire "$SIM_TCP" "send:recvfile userbadpixel size raw" answer \
		"send:recvfile userbadpixel md5sum raw" answer "send:recvfile userbadpixel content" \
		"content:$size"
	assert_success
	assert_line "$size"
	assert_line "$sum"
	assert_line "content $size $sum"
	assert_line "after b'\\r\\nfli-cli>'"
}

# ---- check ----------------------------------------------------------------------------

@test "check: a valid file, as text and JSON, against the camera or offline" {
	make_bias
	run crednuc check -m cred3 bias.bin
	assert_success
	assert_line "bias.bin: a valid bias file for a C-RED 3 640x512 window (the full sensor)"
	assert_line "values: 900 to 1099 ADU, mean 999.50"
	start_sim cred3
	run --separate-stderr crednuc check --json bias.bin
	assert_success
	echo "$output" | json_ok
	[[ $output == *'"valid": true'* ]]
	[[ $output == *'"window": "the camera'"'"'s window"'* ]]
	cp bias.bin mine.bin
	run crednuc check mine.bin
	assert_failure 2
	assert_output --partial "use --kind"
	run crednuc check --kind flat_hdr_c2 mine.bin
	assert_success
	assert_output --partial "valid flat_hdr_c2 file"
}

@test "check: wrong geometry, values out of range, truncated, wrong model" {
	make_bias 320 256
	run crednuc check -m cred3 bias.bin
	assert_failure 1
	assert_output --partial "bias file is 163840 bytes; a 640x512 C-RED 3 bias needs 655360"
	run crednuc check -m cred3 --geometry 320x256 bias.bin
	assert_success
	run crednuc check -m cred3 --geometry 100x100 bias.bin
	assert_failure 1
	assert_output --partial "multiple of 32 columns"
	head -c 163839 bias.bin >bias_short.bin
	run crednuc check -m cred3 --geometry 320x256 bias_short.bin
	assert_failure 1
	assert_output --partial "truncated"
	python3 -c 'import struct,sys; sys.stdout.buffer.write(struct.pack("<H", 20000) * (320*256))' >bias_hot.bin
	run crednuc check -m cred3 --geometry 320x256 bias_hot.bin
	assert_failure 1
	assert_output --partial "above 16383"
	run crednuc check -m credone bias_hot.bin
	assert_success
	run crednuc check -m credone --kind bias_hdr_c1 bias_hot.bin
	assert_failure 1
	assert_output --partial "no HDR mode"
}

# ---- builds from frames ------------------------------------------------------------------

@test "bias from y4m frames: mean, median and clip give the known answer" {
	python3 "$NUC_PY" frames -n 15 --outlier >darks.y4m
	python3 "$NUC_PY" expect-bias >expected.bin
	run crednuc bias --method median -o median.bin darks.y4m
	assert_success
	assert_output --partial "median.bin: bias for a C-RED 3 64x8 window from 15 frames (median)"
	cmp median.bin expected.bin
	crednuc -q bias --method clip -o clip.bin <darks.y4m
	cmp clip.bin expected.bin
	# the mean feels the outlier frame
	crednuc -q bias -o mean.bin darks.y4m
	run python3 "$NUC_PY" compare mean.bin expected.bin
	assert_failure
	python3 "$NUC_PY" frames -n 10 >clean.y4m
	crednuc -q bias -o clean.bin --fits clean.fits clean.y4m
	cmp clean.bin expected.bin
	fitsverify -q clean.fits
}

@test "bias: --frames, --skip, several inputs, a command after --" {
	python3 "$NUC_PY" frames -n 15 --outlier >darks.y4m
	python3 "$NUC_PY" expect-bias >expected.bin
	crednuc -q bias --skip 1 --frames 10 -o skip.bin darks.y4m
	cmp skip.bin expected.bin
	# frames 1-5 and 6-10 in two files
	python3 "$NUC_PY" frames -n 5 >first.y4m
	python3 "$NUC_PY" frames -n 10 | python3 -c '
import sys
d = sys.stdin.buffer.read()
h = d.index(b"\n") + 1
sys.stdout.buffer.write(d[:h] + d[h + 5 * (6 + 64 * 8 * 2):])' >second.y4m
	crednuc -q bias -o two.bin first.y4m second.y4m
	cmp two.bin expected.bin
	run crednuc bias -o cmd.bin -- python3 "$NUC_PY" frames -n 10
	assert_success
	assert_output --partial "from 10 frames"
	cmp cmd.bin expected.bin
	run crednuc bias -o fail.bin -- false
	assert_failure 1
	[ ! -e fail.bin ]
}

@test "bias from a FITS cube written by credgrab, and from tagged raw frames" {
	require_bin credgrab
	python3 "$NUC_PY" expect-bias >expected.bin
	# the camera stream: the y4m frames without their header lines
	python3 "$NUC_PY" frames -n 10 | python3 -c '
import sys
d = sys.stdin.buffer.read()
h, size = d.index(b"\n") + 1, 6 + 64 * 8 * 2
sys.stdout.buffer.write(b"".join(d[h + i * size + 6:h + (i + 1) * size] for i in range(10)))
' >darks.raw
	credgrab -q -s file:darks.raw --no-camera -m cred3 --width 64 --height 8 -o darks.fits
	run crednuc bias -o fits.bin darks.fits
	assert_success
	assert_output --partial "from 10 frames"
	cmp fits.bin expected.bin
	crednuc -q -m cred3 bias --width 64 --height 8 -o raw.bin darks.raw
	cmp raw.bin expected.bin
}

@test "Ctrl-C while frames come: no file, and the command is stopped" {
	# After three frames the producer falls silent for a minute: Ctrl-C
	# must end the wait for its next frame, within 5 s.
	crednuc bias -o cut.bin -- sh -c \
		'echo $$ >child.pid; python3 "$1" frames -n 3; echo >sent; exec sleep 60' sh "$NUC_PY" \
		>bias.log 2>&1 3>&- &
	local pid=$! rc=0
	BG_PIDS+=($pid)
	wait_for_file sent
	kill -INT "$pid"
	timeout 5 tail -s 0.1 --pid="$pid" -f /dev/null ||
		fail "crednuc still waits 5 s after SIGINT: $(cat bias.log)"
	wait "$pid" || rc=$?
	[ "$rc" = 130 ] || fail "exit status $rc: $(cat bias.log)" # interrupted: 128 + SIGINT
	grep -qE "interrupted after [0-9]+ frames" bias.log || fail "$(cat bias.log)"
	run kill -0 "$(cat child.pid)"
	assert_failure # the command is gone
	ls -A >files.txt
	run grep -E 'cut\.bin' files.txt
	assert_failure
}

@test "raw frames on a pipe take the camera's geometry, pixel format and tags (credgrab | crednuc)" {
	start_sim cred3 --frames "$BATS_TEST_TMPDIR/f.sock"
	export CRED_SIM_FRAMES="$BATS_TEST_TMPDIR/f.sock"
	credctl set fps 20 cropping.columns 0-127 cropping.rows 0-63 cropping on >/dev/null
	run sh -c 'credgrab -q -n 4 | crednuc bias -o cam.bin'
	assert_success
	assert_output --partial "C-RED 3 128x64 window from 4 frames"
	[ "$(stat -c %s cam.bin)" = $((128 * 64 * 2)) ]
	run sh -c 'credgrab -q -n 4 | credbpm detect --dark - -o cam.bpm'
	assert_success
	[ -s cam.bpm ]
}

@test "bias from raw frames needs their geometry; output never overwritten" {
	python3 -c '
import struct, sys
for k in range(4):
    sys.stdout.buffer.write(struct.pack("<%dh" % (64 * 8), *[1000 + i % 7 for i in range(64 * 8)]))
' >darks.raw
	run crednuc bias -o raw.bin darks.raw
	assert_failure 2
	assert_output --partial "no camera to tell their format"
	assert_output --partial "add the geometry: --width W --height H"
	# a camera named but silent: no answer, and what to add all the same
	run crednuc -p tcp:127.0.0.1:1 bias -o raw.bin darks.raw
	assert_failure 3
	assert_output --partial "--width W --height H"
	run crednuc -m cred3 bias --width 64 --height 8 --tags none -o raw.bin darks.raw
	assert_success
	echo x >taken.bin
	run crednuc -m cred3 bias --width 64 --height 8 --tags none -o taken.bin darks.raw
	assert_failure 1
	assert_output --partial "'taken.bin' exists (use --force to replace it)"
	[ "$(cat taken.bin)" = x ]
	run crednuc -m cred3 bias --force --width 64 --height 8 --tags none -o taken.bin darks.raw
	assert_success
	cmp taken.bin raw.bin
}

@test "bias: bad input leaves no file behind" {
	python3 "$NUC_PY" frames -n 5 >darks.y4m
	# frames of another model
	python3 "$NUC_PY" frames -n 5 --model credone >one.y4m
	run crednuc -m cred3 bias -o a.bin one.y4m
	assert_failure 1
	assert_output --partial "the frames come from a C-RED One, but the file is for a C-RED 3"
	# a window the model cannot have
	python3 "$NUC_PY" frames -n 5 -W 40 -H 8 >odd.y4m
	run crednuc bias -o b.bin odd.y4m
	assert_failure 1
	assert_output --partial "multiple of 32 columns"
	# the camera's window differs
	start_sim cred3
	run crednuc bias -o c.bin darks.y4m
	assert_failure 1
	assert_output --partial "the frames are 64x8, but the camera's window is 640x512"
	run crednuc bias -o d.bin --geometry 64x8 darks.y4m
	assert_success
	# a stream cut in the middle of a frame
	head -c 3000 darks.y4m >cut.y4m
	run crednuc bias --geometry 64x8 -o e.bin cut.y4m
	assert_failure 1
	# values out of range: a bias below 0
	python3 -c '
import struct, sys
sys.stdout.buffer.write(b"YUV4MPEG2 W64 H8 F100:1 Ip A1:1 Cmono16 XMODEL=cred3 XSIGNED=1\n")
for k in range(3):
    sys.stdout.buffer.write(b"FRAME\n" + struct.pack("<512h", *[-50 if i == 100 else 1000 for i in range(512)]))
' >negative.y4m
	run crednuc bias --geometry 64x8 -o f.bin negative.y4m
	assert_failure 1
	assert_output --partial "1 bias values do not fit 0 to 16383"
	assert_output --partial "pixel (36, 1), is -50.0"
	run crednuc -q bias --geometry 64x8 --clamp -o g.bin negative.y4m
	assert_success
	ls -A >files.txt
	run grep -E '^(a|b|c|e|f)\.bin|^\.' files.txt
	assert_failure
}

@test "flat from frames: factors in the manual's fixed point, dead pixels reported" {
	python3 "$NUC_PY" frames --kind flat -n 5 >flats.y4m
	python3 "$NUC_PY" pattern-bias >pattern.bin
	python3 "$NUC_PY" expect-flat >expected.bin
	run crednuc flat --bias pattern.bin -o flat.bin --fits flat.fits flats.y4m
	assert_success
	python3 "$NUC_PY" compare flat.bin expected.bin --tolerance 1
	fitsverify -q flat.fits
	# 1.0 is 0x2000: the tag pixels hold it
	[ "$(od -An -tx2 -N8 flat.bin | tr -s ' ')" = " 2000 2000 2000 2000" ]
	run crednuc check -m cred3 --geometry 64x8 flat.bin
	assert_success
	# without subtracting the bias, a bias file of the wrong size is an error
	make_bias 32 8 wrong.bin
	run crednuc flat --bias wrong.bin -o x.bin flats.y4m
	assert_failure 1
	assert_output --partial "must be 1024 bytes"
	# darks as flats: nothing responds after the bias
	python3 "$NUC_PY" frames -n 5 >darks.y4m
	run crednuc flat --bias pattern.bin -o y.bin darks.y4m
	assert_failure 1
	[ ! -e x.bin ] && [ ! -e y.bin ]
}

@test "flat: factors that do not fit fail unless --clamp" {
	python3 -c '
import struct, sys
sys.stdout.buffer.write(b"YUV4MPEG2 W64 H8 F100:1 Ip A1:1 Cmono16 XMODEL=cred3 XSIGNED=1\n")
v = [1000] * 512
v[200] = 100   # factor 10: above 7.9998
v[300] = 0     # no response
for k in range(2):
    sys.stdout.buffer.write(b"FRAME\n" + struct.pack("<512h", *v))
' >flats.y4m
	run crednuc flat --no-bias -o f.bin flats.y4m
	assert_failure 1
	assert_output --partial "1 flat factors do not fit 0 to 7.9999"
	assert_output --partial "1 pixels do not respond"
	[ ! -e f.bin ]
	run crednuc -q flat --no-bias --clamp -o f.bin flats.y4m
	assert_success
	python3 -c '
import struct
v = struct.unpack("<512H", open("f.bin", "rb").read())
assert v[200] == 0xFFFF and v[300] == 0x2000 and v[10] == 0x2000, (v[200], v[300], v[10])
'
}

# ---- the camera's own builds, switches ---------------------------------------------------------

@test "camera build with buildnuc, and the legacy exec build" {
	start_sim cred3 --time-scale 20
	run crednuc camera --frames 64 bias
	assert_success
	assert_output --partial "the camera built its bias file"
	run sim_file bias
	assert_output --regexp '^655360 '
	stop_sim
	start_sim cred3 --firmware 1.0.0
	run crednuc camera flat
	assert_success
	run sim_file flat
	assert_output --regexp '^655360 '
	run crednuc camera --frames 64 bias
	assert_failure 1
	assert_output --partial "--frames needs buildnuc"
	credctl set fps 4 >/dev/null
	run crednuc camera bias
	assert_failure 1
	assert_output --partial "needs more than 5 fps"
	stop_sim
	start_sim credone
	run crednuc camera bias
	assert_success
	run crednuc camera flat_hdr_c1
	assert_failure 1
	assert_output --partial "no HDR mode"
}

@test "Ctrl-C aborts a buildnuc build and leaves the camera free" {
	start_sim cred3
	credctl set fps 10 >/dev/null
	crednuc camera bias >build.log 2>&1 3>&- &
	local pid=$! rc=0
	BG_PIDS+=($pid)
	# the camera is busy once the build runs (asked without taking the port)
	for _ in $(seq 300); do
		python3 "$NUC_PY" wire "$SIM_TCP" "send:buildnuc progress raw" answer 2>/dev/null |
			grep -q '^[1-9]' && break
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid" || rc=$?
	[ "$rc" = 130 ] || fail "exit status $rc: $(cat build.log)" # interrupted: 128 + SIGINT
	grep -q "aborted (buildnuc abort)" build.log || fail "$(cat build.log)"
	run credctl buildnuc progress raw
	assert_output "0.0"
	run credctl set fps 20
	assert_success
}

@test "HDR flats set the calibration for the build and put it back" {
	start_sim cred3 --time-scale 20
	run crednuc camera flat_hdr_c1
	assert_failure 1
	assert_output --partial "HDR files need HDR mode"
	credctl set hdr on >/dev/null
	run credctl get hdr.calibration
	assert_output "off"
	run crednuc -v camera --frames 32 flat_hdr_c1
	assert_success
	assert_output --partial "hdr calibration c1 (was off)"
	run credctl get hdr.calibration
	assert_output "off"
	run sim_file flat_hdr_c1
	assert_output --regexp '^655360 '
	run crednuc camera flat_hdr_c2
	assert_success
}

@test "enable and disable corrections; the C-RED One has fewer" {
	start_sim cred3
	run crednuc enable flat
	assert_success
	assert_output --partial "flat correction is on without bias correction"
	run crednuc enable bias badpixel adaptbias
	assert_success
	run credctl get bias flat badpixel adaptbias
	assert_output $'on\non\non\non'
	run crednuc disable flat adaptbias
	assert_success
	run credctl get flat adaptbias
	assert_output $'off\noff'
	stop_sim
	start_sim credone
	run crednuc enable badpixel
	assert_failure 1
	assert_output --partial "the C-RED One has no badpixel correction"
	run crednuc enable bias
	assert_success
}

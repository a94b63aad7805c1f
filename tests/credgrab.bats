#!/usr/bin/env bats
# credgrab on synthetic camera streams (tests/helpers/gen-stream.py):
# byte-exact raw output, FITS checked with fitsverify and read back, the
# y4m pipe stream, PNG, overwrite protection, usage errors, drops and
# corruption, and a Ctrl-C in the middle of a cube.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

GEN="$BATS_TEST_DIRNAME/helpers/gen-stream.py"
# small frames keep the suite fast; the geometry options say what they are
GEOM=(-m cred3 --width 64 --height 16)
FSIZE=$((64 * 16 * 2))

setup() {
	cd "$BATS_TEST_TMPDIR" || exit 1
}

gen() {
	python3 "$GEN" -W 64 -H 16 "$@"
}


@test "--help goes to stdout and names every option" {
	run credgrab --help
	assert_success
	assert_output --partial "Usage: credgrab [OPTIONS]"
	for opt in --source --output --format --count --duration --keyword --force \
		--allow-drops --model --width --height --signed --unsigned --tags --no-camera \
		--transfers --transfer-size --usb-ids --usb-interface --usb-endpoint \
		--usb-requests --port --timeout --verbose --quiet --help --version; do
		assert_output --partial -- "$opt"
	done
}

@test "--version names the tool and the library" {
	run credgrab --version
	assert_success
	assert_line --regexp '^credgrab \(credtools\) [0-9]+\.[0-9]+\.[0-9]+$'
	assert_line --regexp '^libcred [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "bad options are usage errors (exit 2)" {
	gen -n 2 > s.raw
	for args in "--bogus" "-n 0" "-n ten" "--width 0" "-f jpeg" "-m credtwo" \
		"--tags cred9" "--transfer-size 1000" "--usb-ids 2faf" "-k =1" \
		"-k TOOLONGKEY=1" "--duration -1" "-t x" "extra"; do
		run credgrab -s s.raw "${GEOM[@]}" -o out.raw $args
		assert_failure 2
		assert_output --partial "credgrab: "
		assert_output --partial "Try 'credgrab --help'"
	done
	run credgrab -s s.raw "${GEOM[@]}" -n
	assert_failure 2
	assert_output --partial "needs an argument"
	[ ! -e out.raw ]
}

@test "outputs that cannot be are usage errors" {
	gen -n 2 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -f fits
	assert_failure 2
	assert_output --partial "fits cannot go to standard output"
	run credgrab -s s.raw "${GEOM[@]}" -o out.txt
	assert_failure 2
	assert_output --partial "cannot tell the format of 'out.txt'"
	run credgrab -s s.raw "${GEOM[@]}" -n 2 -o one.png
	assert_failure 2
	assert_output --partial "a PNG holds one frame"
	run credgrab -s s.raw -o out.raw
	assert_failure 2
	assert_output --partial "the frame geometry is unknown"
	[ ! -e out.raw ] && [ ! -e one.png ]
}

@test "a missing source is no answer (exit 3)" {
	run credgrab -s file:nothing-here.raw "${GEOM[@]}" -o out.raw
	assert_failure 3
	assert_output "credgrab: cannot open 'nothing-here.raw': No such file or directory"
	[ ! -e out.raw ]
}

@test "a full standard output is an output problem (exit 1) that says where" {
	gen -n 5 > s.raw
	for f in raw y4m; do
		run bash -c "credgrab -s s.raw ${GEOM[*]} -f $f -o - > /dev/full"
		assert_failure 1
		assert_output "credgrab: cannot write to standard output: No space left on device (free some space there, or write the file elsewhere)"
	done
}

@test "raw output to a file and to stdout is byte-exact" {
	gen -n 20 > s.raw
	run credgrab -s file:s.raw "${GEOM[@]}" -o out.raw
	assert_success
	assert_output --partial "20 frames of 64x16"
	assert_output --partial "0 dropped"
	cmp s.raw out.raw
	credgrab -q -s s.raw "${GEOM[@]}" > out2.raw
	cmp s.raw out2.raw
	credgrab -q -s - "${GEOM[@]}" < s.raw > out3.raw
	cmp s.raw out3.raw
	# nothing else left in the folder
	[ "$(ls -A | sort | tr '\n' ' ')" = "out.raw out2.raw out3.raw s.raw " ]
}

@test "-n stops after COUNT frames" {
	gen -n 20 > s.raw
	credgrab -q -s s.raw "${GEOM[@]}" -n 3 -o out.raw
	[ "$(stat -c %s out.raw)" -eq $((3 * FSIZE)) ]
	cmp out.raw <(head -c $((3 * FSIZE)) s.raw)
}

@test "a stream starting mid-frame is found" {
	gen -n 10 > s.raw
	tail -c +1001 s.raw > cut.raw
	run credgrab -s cut.raw "${GEOM[@]}" -o out.raw
	assert_success
	assert_output --partial "9 frames"
	cmp out.raw <(tail -c $((9 * FSIZE)) s.raw)
}

@test "dropped frames are counted and fail the run without --allow-drops" {
	gen -n 20 --drop 3 --drop 7 --drop 8 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o out.raw
	assert_failure 1
	assert_output --partial "17 frames"
	assert_output --partial "credgrab: 3 frames dropped"
	# the frames that came are all written, byte for byte
	cmp s.raw out.raw
	run credgrab -s s.raw "${GEOM[@]}" -o out2.raw --allow-drops
	assert_success
	assert_output --partial "3 dropped"
	cmp s.raw out2.raw
}

@test "corruption: only whole, aligned frames are written" {
	gen -n 30 --garbage 5:1000 --cut 12:1500 --garbage 20:77 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o out.raw --allow-drops
	assert_success
	assert_output --partial "resyncs"
	# every frame written is one of the frames generated, by its counter
	python3 - out.raw <<EOF
import struct, subprocess, sys
data = open(sys.argv[1], 'rb').read()
assert len(data) % $FSIZE == 0
frames = [data[i:i + $FSIZE] for i in range(0, len(data), $FSIZE)]
clean = subprocess.run(['python3', '$GEN', '-W', '64', '-H', '16', '-n', '30'],
                       capture_output=True, check=True).stdout
orig = {struct.unpack('<I', clean[i:i + 4])[0]: clean[i:i + $FSIZE]
        for i in range(0, len(clean), $FSIZE)}
counters = [struct.unpack('<I', f[:4])[0] for f in frames]
assert all(orig[c] == f for c, f in zip(counters, frames)), 'misaligned frame'
assert counters == sorted(set(counters))
# the frames before each damage (their end cannot be confirmed) and the
# damaged one are lost, all the others are there
lost = sorted(set(range(1000, 1030)) - set(counters))
assert lost == [1004, 1012, 1019], lost
EOF
}

@test "FITS cube passes fitsverify and reads back" {
	gen -n 6 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o cube.fits -k OBJECT=dark -k FILTER=H
	assert_success
	run fitsverify -q cube.fits
	assert_success
	assert_output --partial "verification OK"
	[ "$(fits_key cube.fits NAXIS)" = 3 ]
	[ "$(fits_key cube.fits NAXIS1)" = 64 ]
	[ "$(fits_key cube.fits NAXIS2)" = 16 ]
	[ "$(fits_key cube.fits NAXIS3)" = 6 ]
	[ "$(fits_key cube.fits BITPIX)" = 16 ]
	[ -z "$(fits_key cube.fits BZERO)" ]      # C-RED 3 pixels are signed
	[ "$(fits_key cube.fits INSTRUME)" = "C-RED 3" ]
	[ -n "$(fits_key cube.fits DETECTOR)" ]
	[ "$(fits_key cube.fits OBJECT)" = dark ]
	[ "$(fits_key cube.fits FILTER)" = H ]
	[[ "$(fits_key cube.fits DATE-OBS)" =~ ^20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T ]]
	# pixels: big-endian int16, frame k pixel (x, y) = (x + 3y + 5k) % 4096 - 2048
	python3 - cube.fits <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
start = 2880 * next(i for i in range(0, len(data) // 2880)
                    if b'END' + b' ' * 77 in [data[i * 2880 + j:i * 2880 + j + 80]
                                              for j in range(0, 2880, 80)]) + 2880
for k in range(6):
    for (x, y) in [(10, 0), (63, 15), (5, 7)]:
        off = start + (k * 64 * 16 + y * 64 + x) * 2
        v = struct.unpack('>h', data[off:off + 2])[0]
        assert v == (x + 3 * y + 5 * k) % 4096 - 2048, (k, x, y, v)
# the FRAMES table follows, with one row per frame
assert b"EXTNAME = 'FRAMES  '" in data
EOF
}

@test "C-RED One FITS is unsigned with BZERO 32768" {
	python3 "$GEN" -m credone -W 64 -H 8 -n 4 > s.raw
	run credgrab -s s.raw -m credone --width 64 --height 8 -o one.fits
	assert_success
	fitsverify -q one.fits
	[ "$(fits_key one.fits BZERO)" = 32768 ]
	[ "$(fits_key one.fits INSTRUME)" = "C-RED One" ]
	[ "$(fits_key one.fits NAXIS3)" = 4 ]
}

@test "one FITS file per frame with a %d pattern" {
	gen -n 4 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o 'dark-%03d.fits'
	assert_success
	for k in 0 1 2 3; do
		fitsverify -q "dark-00$k.fits"
		[ "$(fits_key "dark-00$k.fits" NAXIS)" = 2 ]
		[ "$(fits_key "dark-00$k.fits" COUNTER)" = $((1000 + k)) ]
	done
	[ ! -e dark-004.fits ]
}

@test "tile-compressed .fits.fz passes fitsverify" {
	gen -n 5 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o cube.fits.fz
	assert_success
	run fitsverify -q cube.fits.fz
	assert_success
	grep -qa "ZIMAGE  =                    T" cube.fits.fz
	grep -qa "ZCMPTYPE= 'RICE_1  '" cube.fits.fz
}

@test "y4m pipe stream: ffmpeg-readable header, a FRAME line per frame" {
	gen -n 3 > s.raw
	credgrab -q -s s.raw "${GEOM[@]}" -f y4m > out.y4m
	header=$(head -n 1 out.y4m)
	[ "$header" = "YUV4MPEG2 W64 H16 F0:0 Cmono16 XMODEL=cred3 XSIGNED=1" ]
	[ "${#header}" -lt 96 ]
	python3 - out.y4m s.raw <<EOF
import sys
data = open(sys.argv[1], 'rb').read()
raw = open(sys.argv[2], 'rb').read()
pos = data.index(b'\n') + 1
for k in range(3):
    end = data.index(b'\n', pos)
    line = data[pos:end].decode()
    assert line.startswith('FRAME XCOUNT=%d XTIME=' % (1000 + k)), line
    assert line.endswith('XGAIN=%d XMARK=%d' % (k % 3, k & 1)), line
    assert len(line) < 80
    assert data[end + 1:end + 1 + $FSIZE] == raw[k * $FSIZE:(k + 1) * $FSIZE]
    pos = end + 1 + $FSIZE
assert pos == len(data)
EOF
}

@test "PNG quick-look is a valid 8-bit grayscale image" {
	gen -n 3 > s.raw
	run credgrab -s s.raw "${GEOM[@]}" -o look.png
	assert_success
	assert_output --partial "1 frame of 64x16"
	run file look.png
	assert_output --partial "PNG image data, 64 x 16, 8-bit grayscale"
	if command -v pngcheck >/dev/null; then pngcheck -q look.png; fi
}

@test "an existing output is never replaced without --force" {
	gen -n 2 > s.raw
	echo precious > out.fits
	run credgrab -s s.raw "${GEOM[@]}" -o out.fits
	assert_failure 1
	assert_output "credgrab: 'out.fits' exists (use --force to replace it)"
	[ "$(cat out.fits)" = precious ]
	run credgrab -s s.raw "${GEOM[@]}" -o out.fits --force
	assert_success
	fitsverify -q out.fits
	# per-frame files too
	echo precious > f-001.raw
	run credgrab -s s.raw "${GEOM[@]}" -o 'f-%03d.raw'
	assert_failure 1
	assert_output --partial "'f-001.raw' exists"
	[ "$(cat f-001.raw)" = precious ]
}

@test "Ctrl-C in the middle of a cube leaves a valid FITS with the frames written" {
	gen -n 7 > s.raw
	# the frames, then a source that stays open and silent
	mkfifo pipe
	( cat s.raw; exec sleep 60 ) > pipe &
	feeder=$!
	credgrab -s - "${GEOM[@]}" -t 0 -o cube.fits < pipe 2> err.txt &
	grabber=$!
	# wait (up to 30 s) until the file being written holds all 7 frames
	for _ in $(seq 300); do
		tmp=$(ls -A | grep '^\.credtools-' | head -n 1)
		[ -n "$tmp" ] && [ "$(fits_key "$tmp" NAXIS3)" = 7 ] && break
		sleep 0.1
	done
	kill -INT "$grabber"
	rc=0
	wait "$grabber" || rc=$?
	kill "$feeder" 2>/dev/null || true
	[ "$rc" -eq 0 ]
	run cat err.txt
	assert_output --partial "7 frames of 64x16"
	run fitsverify -q cube.fits
	assert_success
	[ "$(fits_key cube.fits NAXIS3)" = 7 ]
	[ -z "$(ls -A | grep '^\.credtools-')" ]
}

@test "--duration and -t end a silent or endless source" {
	gen -n 2 > s.raw
	mkfifo pipe
	( cat s.raw; exec sleep 60 ) > pipe &
	feeder=$!
	run timeout 30 credgrab -s - "${GEOM[@]}" -t 0.5 -o out.raw < pipe
	kill "$feeder" 2>/dev/null || true
	assert_failure 3
	assert_output --partial "no data from 'standard input' for 0.5 s"
	# what came before the silence is kept
	cmp s.raw out.raw
	( cat s.raw; exec sleep 60 ) > pipe &
	feeder=$!
	run timeout 30 credgrab -s - "${GEOM[@]}" -t 0 --duration 1 -o out2.raw < pipe
	kill "$feeder" 2>/dev/null || true
	assert_success
	cmp s.raw out2.raw
}

@test "sim:SOCKET reads the stream a simulator serves on a Unix socket" {
	gen -n 6 > s.raw
	# a stand-in for the simulator's frame socket: the stream to whoever connects
	python3 - "$BATS_TEST_TMPDIR/frames.sock" s.raw <<'EOF2' &
import socket, sys
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sys.argv[1])
srv.listen(1)
srv.settimeout(60)
conn, _ = srv.accept()
conn.sendall(open(sys.argv[2], 'rb').read())
conn.close()
EOF2
	server=$!
	for _ in $(seq 300); do [ -S frames.sock ] && break; sleep 0.1; done
	run credgrab -s "sim:$BATS_TEST_TMPDIR/frames.sock" "${GEOM[@]}" -n 6 -o out.raw
	wait "$server"
	assert_success
	assert_output --partial "6 frames of 64x16"
	cmp s.raw out.raw
	run credgrab -s "sim:$BATS_TEST_TMPDIR/frames.sock" "${GEOM[@]}" -o out2.raw
	assert_failure 3
	assert_output --partial "cannot connect to '$BATS_TEST_TMPDIR/frames.sock'"
}

@test "a status line only on a terminal" {
	gen -n 4 > s.raw
	mkfifo pipe
	# a source that pauses, so the status line has time to show
	( cat s.raw; sleep 2; cat s.raw ) > pipe &
	feeder=$!
	script -qec "credgrab -s - ${GEOM[*]} -t 0 -o out.raw --allow-drops < pipe" /dev/null > tty.log
	wait "$feeder"
	grep -q $'\r4 frames  .* fps  .* MB/s  0 dropped' tty.log
	grep -q "credgrab: 8 frames of 64x16" tty.log
	# not on a pipe
	( cat s.raw; sleep 2; cat s.raw ) > pipe &
	feeder=$!
	credgrab -s - "${GEOM[@]}" -t 0 -o out2.raw --allow-drops < pipe 2> pipe.log
	wait "$feeder"
	! grep -q $'\r' pipe.log
	grep -q "credgrab: 8 frames of 64x16" pipe.log
}

@test "a stream without tags is cut by size" {
	python3 "$GEN" -W 32 -H 4 -n 5 --tags none > s.raw
	run credgrab -s s.raw --width 32 --height 4 --tags none -o out.raw
	assert_success
	assert_output --partial "5 frames of 32x4"
	cmp s.raw out.raw
}

@test "no frame in the data is a failed check" {
	head -c 50000 /dev/urandom > noise.raw
	run credgrab -s noise.raw "${GEOM[@]}" -o out.raw
	assert_failure 1
	assert_output --partial "no frame found in 50000 bytes"
}

@test "USB without a camera is no answer (exit 3)" {
	run timeout 30 credgrab -s usb --usb-ids 2faf:fff1 --no-camera -m cred3 -o out.raw
	assert_failure 3
	assert_output --partial "credgrab: "
	[ ! -e out.raw ]
}

@test "the man page and the completions cover every option of --help" {
	run credgrab --help
	assert_success
	opts=$(echo "$output" | grep -o -- '--[a-z][a-z-]*' | sort -u)
	[ -n "$opts" ]
	man="$BATS_TEST_DIRNAME/../man/credgrab.1"
	for opt in $opts; do
		# roff writes dashes as \-
		grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$man" || { echo "man: $opt"; false; }
		grep -q -- "$opt" "$BATS_TEST_DIRNAME/../completions/bash/credgrab" || { echo "bash: $opt"; false; }
		grep -q -- "$opt" "$BATS_TEST_DIRNAME/../completions/zsh/_credgrab" || { echo "zsh: $opt"; false; }
	done
	# and nothing the tool does not know
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$BATS_TEST_DIRNAME/../completions/bash/credgrab" | sort -u); do
		echo "$opts" | grep -qx -- "$opt" || { echo "unknown in bash completion: $opt"; false; }
	done
}

# ---- USB, replayed by umockdev from a usbmon capture ------------------------

UMOCKDEV_DEV="$BATS_TEST_DIRNAME/data/cred3-usb.umockdev"
SYSFS=/sys/devices/pci0000:00/0000:00:14.0/usb2/2-1

# usb_grab PCAP CREDGRAB-ARGS...: credgrab on the simulated camera (a test
# that uses it calls skip_umockdev_pcap_under_asan first: under `run` a
# skip would end only the subshell)
usb_grab() {
	local pcap=$1
	shift
	timeout 120 umockdev-run -d "$UMOCKDEV_DEV" -p "$SYSFS=$pcap" -- \
		credgrab -s usb --no-camera "${GEOM[@]}" --transfers 2 --transfer-size 4096 "$@"
}

@test "USB: frames from the imaging interface, byte-exact" {
	skip_umockdev_pcap_under_asan
	gen -n 10 > s.raw
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw --transfers 2 \
		--transfer-size 4096 > cam.pcap
	run usb_grab cam.pcap -n 9 -o out.raw
	assert_success
	assert_output --partial "9 frames of 64x16"
	cmp out.raw <(head -c $((9 * FSIZE)) s.raw)
	# the same without the stale-data flush
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw --transfers 2 \
		--transfer-size 4096 --no-flush > cam2.pcap
	run usb_grab cam2.pcap --usb-flush 0 -n 9 -o out2.raw
	assert_success
	cmp out.raw out2.raw
}

@test "USB: the start and stop requests are configurable" {
	skip_umockdev_pcap_under_asan
	gen -n 6 > s.raw
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw --transfers 2 \
		--transfer-size 4096 --requests 0x10,0x11 --request-type 0x41 > cam.pcap
	run usb_grab cam.pcap --usb-requests 0x10,0x11 --usb-request-type 0x41 -n 5 -o out.raw
	assert_success
	cmp out.raw <(head -c $((5 * FSIZE)) s.raw)
	# the camera does not answer requests it does not know
	run usb_grab cam.pcap -n 5 -o out2.raw
	assert_failure 3
	assert_output --partial "cannot start streaming on 'usb:2.5'"
}

@test "USB: a FITS cube with drops counted across transfer boundaries" {
	skip_umockdev_pcap_under_asan
	gen -n 14 --drop 4 --drop 9 > s.raw
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw --transfers 2 \
		--transfer-size 4096 > cam.pcap
	# the stream stops after the last transfer: the last frame is delivered
	# when the line goes quiet, then the timeout ends the run
	run usb_grab cam.pcap -t 1 -o cube.fits
	assert_failure 3
	assert_output --partial "12 frames of 64x16"
	assert_output --partial "no data from 'usb:2.5'"
	fitsverify -q cube.fits
	[ "$(fits_key cube.fits NAXIS3)" = 12 ]
	run usb_grab cam.pcap -n 12 -o cube2.fits
	assert_failure 1
	assert_output --partial "2 frames dropped"
	[ "$(fits_key cube2.fits NAXIS3)" = 12 ]
}

@test "USB: damaged transfers never give a misaligned frame" {
	skip_umockdev_pcap_under_asan
	gen -n 16 --cut 5:700 --garbage 11:333 > s.raw
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw --transfers 3 \
		--transfer-size 4096 > cam.pcap
	run timeout 120 umockdev-run -d "$UMOCKDEV_DEV" -p "$SYSFS=cam.pcap" -- \
		credgrab -s usb:2.5 --no-camera "${GEOM[@]}" --transfers 3 --transfer-size 4096 \
		-t 1 -o out.raw --allow-drops
	assert_output --partial "resyncs"
	gen -n 16 > clean.raw
	python3 - out.raw clean.raw <<EOF2
import struct, sys
out = open(sys.argv[1], 'rb').read()
clean = open(sys.argv[2], 'rb').read()
frames = [out[i:i + $FSIZE] for i in range(0, len(out), $FSIZE)]
orig = {struct.unpack('<I', clean[i:i + 4])[0]: clean[i:i + $FSIZE]
        for i in range(0, len(clean), $FSIZE)}
assert all(orig[struct.unpack('<I', f[:4])[0]] == f for f in frames)
lost = sorted(set(orig) - {struct.unpack('<I', f[:4])[0] for f in frames})
# frame 5 is cut short (4, before it, still ends where 5's tag starts);
# 10 is followed by garbage where 11's tag should be
assert lost == [1005, 1010], lost
EOF2
}

@test "USB: no camera at the given address, or a transfer size the camera does not use" {
	skip_umockdev_pcap_under_asan
	gen -n 4 > s.raw
	python3 "$BATS_TEST_DIRNAME/helpers/gen-usb-pcap.py" s.raw > cam.pcap
	run timeout 120 umockdev-run -d "$UMOCKDEV_DEV" -p "$SYSFS=cam.pcap" -- \
		credgrab -s usb:2.9 --no-camera "${GEOM[@]}" -o out.raw
	assert_failure 3
	assert_output --partial "no C-RED (2faf:0001) at usb:2.9"
	run timeout 120 umockdev-run -d "$UMOCKDEV_DEV" -p "$SYSFS=cam.pcap" -- \
		credgrab -s usb:1.x --no-camera "${GEOM[@]}" -o out.raw
	assert_failure 2
	assert_output --partial "bad USB source 'usb:1.x'"
	[ ! -e out.raw ]
	# transfers of another size than the recorded ones are never answered
	run usb_grab cam.pcap --transfer-size 8192 -t 1 -o out.raw
	assert_failure 3
	assert_output --partial "credgrab: cannot start streaming on 'usb:2.5': no answer"
	[ ! -e out.raw ]
}

# ---- the geometry and state from the camera (credsim) ------------------------

CAM="$BATS_TEST_DIRNAME/helpers/cam-cmd.py"

@test "camera: a cropped C-RED 3's geometry and state come from its command port" {
	gen -n 5 > s.raw
	run timeout 120 credsim -m cred3 -- sh -c "python3 '$CAM' 'set cropping columns 64-127' \
		'set cropping rows 0-15' 'set cropping on' 'set fps 200' 'set sensibility low' &&
		exec credgrab -s s.raw -o cube.fits -v"
	assert_success
	assert_output --partial "64x16 signed frames, C-RED 3 tags"
	fitsverify -q cube.fits
	[ "$(fits_key cube.fits NAXIS1)" = 64 ]
	[ "$(fits_key cube.fits NAXIS2)" = 16 ]
	[ "$(fits_key cube.fits NAXIS3)" = 5 ]
	[ "$(fits_key cube.fits CROPPED)" = T ]
	[ "$(fits_key cube.fits CROPCOLS)" = 64-127 ]
	[ "$(fits_key cube.fits CROPROWS)" = 0-15 ]
	[ "$(fits_key cube.fits SENSIBIL)" = low ]
	[ "$(fits_key cube.fits FRATE)" = 200. ]
	[ -n "$(fits_key cube.fits EXPTIME)" ]
	[ -n "$(fits_key cube.fits FIRMWARE)" ]
	[ -n "$(fits_key cube.fits SERIAL)" ]
	[ -n "$(fits_key cube.fits DET-TMP)" ]
	# the options still win over the camera
	run timeout 120 credsim -m cred3 -- credgrab -s s.raw -o full.raw --width 64 --height 16
	assert_success
	cmp s.raw full.raw
}

@test "camera: a C-RED One in rolling Nreadout sends rows of 2*N*width + 64*N pixels" {
	python3 "$GEN" -m credone -W 384 -H 8 -n 4 --reads 2 > s.raw
	run timeout 120 credsim -m credone -- sh -c "python3 '$CAM' 'set cropping columns 1-2' \
		'set cropping rows 1-8' 'set cropping on' 'set mode rollingresetnro' \
		'set nbreadworeset 2' && exec credgrab -s s.raw -o one.fits -v"
	assert_success
	assert_output --partial "384x8 unsigned frames, C-RED One tags"
	fitsverify -q one.fits
	[ "$(fits_key one.fits NAXIS1)" = 384 ]
	[ "$(fits_key one.fits NAXIS3)" = 4 ]
	[ "$(fits_key one.fits READMODE)" = rollingresetnro ]
	[ "$(fits_key one.fits DET-NSMP)" = 2 ]
	[ "$(fits_key one.fits BZERO)" = 32768 ]
}

@test "camera: a command port that cannot be reached is no answer (exit 3)" {
	gen -n 2 > s.raw
	run credgrab -p "$BATS_TEST_TMPDIR/no-such-tty" -s s.raw -o out.raw
	assert_failure 3
	assert_output --partial "cannot read the frame geometry from the camera"
	[ ! -e out.raw ]
	# --no-camera uses the options instead
	run credgrab -p "$BATS_TEST_TMPDIR/no-such-tty" --no-camera "${GEOM[@]}" -s s.raw -o out.raw
	assert_success
}

#!/usr/bin/env bats
# credgrab's 8-bit preview (-f y4m8) as a player sees it: ffmpeg decodes
# it and the picture has the mean, contrast and clipping of the PNG's
# percentile stretch applied to the exact 16-bit stream of the same
# credsim scene, for signed (C-RED 3, bias-corrected pixels around zero)
# and unsigned (C-RED One) pixels. The exact stream (-f y4m) stays exact.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

CHECK="$BATS_TEST_DIRNAME/helpers/preview-check.py"

setup() {
	common_setup
	require_bin credgrab credsim credctl crednuc
	command -v ffmpeg >/dev/null || fail "ffmpeg is missing (scripts/deps.sh installs it)"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

teardown() {
	common_teardown
}

# grab_both MODEL SETUP W H: under credsim, after SETUP, a live view (20
# frames of the preview piped into ffmpeg, into live.gray), then 20 frames
# of the camera stream replayed as the exact stream (exact.y4m) and as the
# preview (decoded.gray), so the two show the same frames.
grab_both() {
	local model=$1 setup=$2 w=$3 h=$4
	run timeout 300 credsim -m "$model" --no-pacing -- sh -c "$setup
		credgrab -q -n 20 -f y4m8 | ffmpeg -v error -f yuv4mpegpipe -i - \
			-f rawvideo -pix_fmt gray live.gray &&
		credgrab -q -n 20 -o frames.raw &&
		credgrab -q -s frames.raw -f y4m -o exact.y4m &&
		credgrab -q -s frames.raw -f y4m8 | ffmpeg -v error -f yuv4mpegpipe -i - \
			-f rawvideo -pix_fmt gray decoded.gray"
	assert_success
	run /usr/bin/python3 "$CHECK" live.gray "$w" "$h" 20
	echo "live: $output"
	assert_success
	run /usr/bin/python3 "$CHECK" decoded.gray "$w" "$h" 20 exact.y4m
	echo "replay: $output"
	assert_success
}

@test "y4m8: the C-RED 3's signed pixels around zero (bias on) as the stretch says" {
	grab_both cred3 'credctl set cropping.columns 0-127 cropping.rows 0-63 cropping on >/dev/null &&
		credgrab -q -n 16 -f y4m -o darks.y4m && crednuc bias -q -o bias.bin darks.y4m &&
		crednuc upload -q bias bias.bin </dev/null && crednuc enable -q bias &&' 128 64
	head -n 1 exact.y4m | grep -q "XSIGNED=1"
	# the scene really has negative pixels: a stretch taking them as
	# unsigned would clip half the picture
	assert_output --regexp "stretch -[0-9]+\.\.[0-9]+"
}

@test "y4m8: the C-RED One's unsigned pixels as the stretch says" {
	grab_both credone 'credctl set cropping.columns 1-4 cropping.rows 1-64 cropping on >/dev/null &&' 128 64
	head -n 1 exact.y4m | grep -q "XSIGNED=0"
}

@test "y4m8: full C-RED 3 frames, percentiles from every 4th pixel, as documented" {
	run timeout 300 credsim -m cred3 --no-pacing -- sh -c '
		credgrab -q -n 5 -o frames.raw && credgrab -q -s frames.raw -f y4m -o exact.y4m &&
		credgrab -q -s frames.raw -f y4m8 | ffmpeg -v error -f yuv4mpegpipe -i - \
			-f rawvideo -pix_fmt gray decoded.gray'
	assert_success
	run /usr/bin/python3 "$CHECK" decoded.gray 640 512 5 exact.y4m
	echo "$output"
	assert_success
}

@test "y4m8: the header ffmpeg reads, and the 16-bit stream decodes to the exact pixels" {
	run timeout 300 credsim -m cred3 --no-pacing -- sh -c '
		credctl set cropping.columns 0-63 cropping.rows 0-31 cropping on >/dev/null &&
		credgrab -q -n 3 -f y4m8 -o preview.y4m && credgrab -q -n 3 -f y4m -o exact.y4m'
	assert_success
	run head -n 1 preview.y4m
	assert_output --regexp '^YUV4MPEG2 W64 H32 F[0-9]+:1 Cmono XMODEL=cred3 XSIGNED=1'
	# 3 frames of one byte a pixel, each after a bare FRAME line
	/usr/bin/python3 - preview.y4m <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
pos = data.index(b'\n') + 1
for k in range(3):
    end = data.index(b'\n', pos)
    assert data[pos:end] == b'FRAME', data[pos:end]
    pos = end + 1 + 64 * 32
assert pos == len(data), "not 3 frames of 8-bit pixels"
EOF
	ffmpeg -v error -f yuv4mpegpipe -i exact.y4m -f rawvideo -pix_fmt gray16le exact.gray16
	/usr/bin/python3 - exact.y4m exact.gray16 <<'EOF'
import sys
data, decoded = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
pos, pixels = data.index(b'\n') + 1, b''
while pos < len(data):
    pos = data.index(b'\n', pos) + 1
    pixels += data[pos:pos + 64 * 32 * 2]
    pos += 64 * 32 * 2
assert pixels == decoded and len(decoded) == 3 * 64 * 32 * 2, "16-bit stream not exact"
EOF
}

@test "y4m8: frame readers refuse the preview; usage checks" {
	run timeout 300 credsim -m cred3 --no-pacing -- sh -c '
		credctl set cropping.columns 0-63 cropping.rows 0-31 cropping on >/dev/null &&
		credgrab -q -n 2 -f y4m8 -o preview.y4m'
	assert_success
	run crednuc bias -o bias.bin preview.y4m
	assert_failure
	assert_output --partial "8-bit preview"
	assert_output --partial "-f y4m"
	[ ! -e bias.bin ]
	run credgrab -f y4m9 -o x.y4m
	assert_failure 2
	assert_output --partial "raw, y4m, y4m8, fits"
}

@test "y4m8: the stretch follows a change smoothly, and a new scene at once" {
	# 64x16 C-RED 3 frames: 20 of -100..99, 20 shifted up by 40 (an overlapping
	# range: followed over about 10 frames, the rate being unknown), then 10
	# at 20000.. (a range that does not overlap: taken at once)
	/usr/bin/python3 - > s.raw <<'EOF'
import struct, sys
for k in range(50):
    base = -100 if k < 20 else -60 if k < 40 else 20000
    px = [base + i % 200 for i in range(64 * 16)]
    px[0:4] = [k, 0, 0, -8]
    sys.stdout.buffer.write(struct.pack("<%dh" % len(px), *px))
EOF
	credgrab -q -s s.raw -m cred3 --width 64 --height 16 -f y4m8 |
		ffmpeg -v error -f yuv4mpegpipe -i - -f rawvideo -pix_fmt gray decoded.gray
	run /usr/bin/python3 - decoded.gray <<'EOF'
import sys
d = open(sys.argv[1], 'rb').read()
n = 64 * 16
m = [sum(d[k * n + 4:(k + 1) * n]) / (n - 4) for k in range(len(d) // n)]
print(" ".join("%.0f" % x for x in m))
assert len(m) == 50, len(m)
# every frame has the same shape: a steady stretch shows each as frame 0
assert 100 < m[0] < 155 and all(abs(x - m[0]) < 1 for x in m[:20]), "not steady"
assert m[20] - m[19] > 20, "the limits jumped with the frame: the view would flicker"
assert all(m[k + 1] <= m[k] + 0.5 for k in range(20, 39)), "not a smooth return"
assert m[39] - m[0] < (m[20] - m[0]) / 3, "the limits did not follow"
assert all(abs(x - m[0]) < 1 for x in m[40:]), "a new scene was not taken at once"
EOF
	echo "$output"
	assert_success
}

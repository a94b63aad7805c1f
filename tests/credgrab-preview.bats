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

# grab_both MODEL SETUP: under credsim, 20 frames of the exact stream into
# exact.y4m, then 20 of the preview through ffmpeg into decoded.gray.
grab_both() {
	local model=$1 setup=$2
	run timeout 300 credsim -m "$model" --no-pacing -- sh -c "$setup
		credgrab -q -n 20 -f y4m -o exact.y4m &&
		credgrab -q -n 20 -f y4m8 | ffmpeg -v error -f yuv4mpegpipe -i - \
			-f rawvideo -pix_fmt gray decoded.gray"
	assert_success
}

@test "y4m8: the C-RED 3's signed pixels around zero (bias on) as the stretch says" {
	grab_both cred3 'credctl set cropping.columns 0-127 cropping.rows 0-63 cropping on >/dev/null &&
		credgrab -q -n 16 -f y4m -o darks.y4m && crednuc bias -q -o bias.bin darks.y4m &&
		crednuc upload -q bias bias.bin </dev/null && crednuc enable -q bias &&'
	head -n 1 exact.y4m | grep -q "XSIGNED=1"
	run /usr/bin/python3 "$CHECK" exact.y4m decoded.gray 20
	echo "$output"
	assert_success
	# the scene really has negative pixels: a stretch taking them as
	# unsigned would clip half the picture
	assert_output --regexp "stretch -[0-9]+\.\.[0-9]+"
}

@test "y4m8: the C-RED One's unsigned pixels as the stretch says" {
	grab_both credone 'credctl set cropping.columns 1-4 cropping.rows 1-64 cropping on >/dev/null &&'
	head -n 1 exact.y4m | grep -q "XSIGNED=0"
	run /usr/bin/python3 "$CHECK" exact.y4m decoded.gray 20
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
	# 3 frames of one byte a pixel, each after its FRAME line
	/usr/bin/python3 - preview.y4m <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
pos = data.index(b'\n') + 1
for k in range(3):
    end = data.index(b'\n', pos)
    assert data[pos:end].startswith(b'FRAME XCOUNT='), data[pos:end]
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

#!/usr/bin/env bats
# credbpm: map files (list, stats, diff, merge, set/clear, every format,
# PBM and PNG checked with netpbm), the camera's maps against credsim
# (download, upload, restore-factory with MD5 checks, transfer faults both
# ways, a camera that reads back another map), detection from credsim's
# darks and flats measured against its factory map, and bad input.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

NUC_PY="$BATS_TEST_DIRNAME/helpers/nuc.py"

setup() {
	common_setup
	require_bin credbpm credsim credctl credgrab
	command -v pnmfile >/dev/null || fail "netpbm is missing (scripts/deps.sh installs it)"
	cd "$BATS_TEST_TMPDIR"
}

teardown() {
	common_teardown
}

md5() {
	md5sum <"$1" | cut -d' ' -f1
}

# The camera's file of that kind: its MD5 as credsim holds it.
sim_md5() {
	credctl sim files | awk -v k="$1" '$1 == k { print $3 }'
}

# empty_map FILE [BYTES]: a map with no bad pixel.
empty_map() {
	head -c "${2:-40960}" /dev/zero >"$1"
}

# Frames for detect: lower the frame rate so a loaded machine drops none,
# switch the correction off and light the sensor.
grab_set() { # LIGHT... OUT
	local out=${*: -1}
	credctl sim light "${@:1:$#-1}" >/dev/null
	credgrab -q -n 24 -o "$out"
}

# ---- help, usage --------------------------------------------------------------------

@test "--help on stdout with exit 0; -V; usage errors exit 2" {
	run --separate-stderr credbpm --help
	assert_success
	assert_line --partial "Usage: credbpm"
	[ -z "$stderr" ]
	run credbpm -V
	assert_success
	assert_line --regexp '^credbpm \(credtools\) [0-9]+\.[0-9]+\.[0-9]+$'
	run credbpm
	assert_failure 2
	assert_output --partial "no command given"
	run credbpm frobnicate
	assert_failure 2
	assert_output --partial "unknown command 'frobnicate'"
	run credbpm list
	assert_failure 2
	run credbpm convert -f gif x.bin -o y
	assert_failure 2
	assert_output --partial "invalid format 'gif'"
}

@test "every option of --help is in the man page and both completions" {
	local opt cmd
	for opt in $(credbpm --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$CRED_TOP/man/credbpm.1" ||
			fail "$opt not in credbpm.1"
		grep -qF -- "$opt" "$CRED_TOP/completions/bash/credbpm" || fail "$opt not in bash completion"
		grep -qF -- "$opt" "$CRED_TOP/completions/zsh/_credbpm" || fail "$opt not in zsh completion"
	done
	for cmd in download upload restore-factory enable disable detect stats list diff merge set clear convert; do
		grep -qF -- "${cmd//-/\\-}" "$CRED_TOP/man/credbpm.1" || fail "$cmd not in credbpm.1"
		grep -qF -- "$cmd" "$CRED_TOP/completions/bash/credbpm" || fail "$cmd not in bash completion"
	done
	# the page's lint and the completions' parsing are checked in docs.bats
}

# ---- map files ------------------------------------------------------------------------

@test "set, list, clear, stats: positions as the manual counts them" {
	empty_map m.bpm
	run credbpm set m.bpm 0 0 9 0 639 511 417 100 417 101 50 7 51 7 52 7
	assert_success
	# bit 7 of byte 0 is pixel 0; pixel 9 is bit 6 of byte 1
	run python3 -c 'import sys; b=open("m.bpm","rb").read(); print(len(b), b[0], b[1], b[40959])'
	assert_output "40960 128 64 1"
	run credbpm list m.bpm
	assert_success
	assert_output "$(printf '0 0\n9 0\n50 7\n51 7\n52 7\n417 100\n417 101\n639 511')"
	run credbpm stats --json m.bpm
	assert_success
	echo "$output" | json_ok
	[ "$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["bad"], d["clusters"], d["largest_cluster"], d["unfixable"])')" = "8 2 3 1" ]
	run credbpm clear m.bpm 9 0 52 7
	assert_success
	run credbpm stats m.bpm
	assert_line "bad pixels:      6"
	run credbpm set m.bpm 640 0
	assert_failure 2
	assert_output --partial "must be an integer within 0-639"
}

@test "diff exits 1 with added and removed pixels, like cmp; merge takes the union" {
	empty_map a.bpm
	credbpm set a.bpm 1 1 2 2
	cp a.bpm b.bpm
	run credbpm diff a.bpm b.bpm
	assert_success
	assert_output ""
	credbpm clear b.bpm 1 1
	credbpm set b.bpm 3 3
	run --separate-stderr credbpm diff a.bpm b.bpm
	assert_failure 1
	assert_output "$(printf -- '-1 1\n+3 3')"
	assert_equal "$stderr" "credbpm: 1 added, 1 removed"
	run credbpm merge a.bpm b.bpm -o u.txt
	assert_success
	run credbpm list u.txt
	assert_output "$(printf '1 1\n2 2\n3 3')"
	run credbpm merge a.bpm b.bpm -o u.txt
	assert_failure 1
	assert_output --partial "exists (use --force"
	empty_map one.bpm 10240
	run credbpm merge a.bpm one.bpm -o v.bpm
	assert_failure 1
	assert_output --partial "differ in size (640x512 and 320x256)"
	[ ! -e v.bpm ]
}

@test "convert: bin, pbm, fits, txt round trips are exact; FITS passes fitsverify" {
	empty_map m.bpm
	credbpm set m.bpm 0 0 5 3 639 0 0 511 320 256
	credbpm convert m.bpm -o m.pbm
	credbpm convert m.pbm -o m.fits
	run fitsverify -q m.fits
	assert_success
	credbpm convert m.fits -o m.txt
	credbpm convert m.txt -o back.bpm
	cmp m.bpm back.bpm
	credbpm convert -f txt m.bpm -o - | grep -q '^320 256$'
	# -f and --from override the names
	credbpm convert --from pbm -f bin m.pbm -o raw.map
	cmp m.bpm raw.map
	# a C-RED One map has the same layout at 320x256
	empty_map one.bpm 10240
	credbpm set one.bpm 319 255
	credbpm convert one.bpm -o one.pbm
	run pnmfile one.pbm
	assert_output --partial "320 by 256"
}

@test "PBM: netpbm reads credbpm's pixels where they are; credbpm reads netpbm's" {
	empty_map m.bpm
	credbpm set m.bpm 0 0 7 0 8 0 100 200 639 511
	credbpm convert m.bpm -o m.pbm
	run pnmfile m.pbm
	assert_output --partial "PBM raw, 640 by 512"
	# the plain (ASCII) form lists every pixel: 1 is black, bad
	pamtopnm -plain <m.pbm >plain.pbm
	run python3 -c '
import sys
t = open("plain.pbm").read().split("\n", 2)
assert t[0] == "P1" and t[1] == "640 512", t[:2]
bits = [c for c in t[2] if c in "01"]
print(" ".join("%d,%d" % (i % 640, i // 640) for i, c in enumerate(bits) if c == "1"))'
	assert_output "0,0 7,0 8,0 100,200 639,511"
	# netpbm's image back into credbpm: three black pixels drawn in a plain PBM
	python3 -c '
rows = [["0"] * 640 for _ in range(512)]
for x, y in ((3, 4), (600, 10), (639, 511)):
    rows[y][x] = "1"
print("P1\n640 512\n" + "\n".join("".join(r) for r in rows))' >drawn.plain
	pamtopnm <drawn.plain >drawn.pbm
	run pnmfile drawn.pbm
	assert_output --partial "PBM raw"
	run credbpm list drawn.pbm
	assert_success
	assert_output "$(printf '3 4\n600 10\n639 511')"
	pbmmake -black 640 512 >black.pbm
	run credbpm stats black.pbm
	assert_line "bad pixels:      327680"
}

@test "PNG: bad pixels in red, alone or over a frame (read back with netpbm)" {
	empty_map m.bpm
	credbpm set m.bpm 10 20 600 500
	credbpm convert m.bpm -o m.png
	run bash -c 'pngtopam m.png | pamtopnm -plain | python3 -c "
import sys
v = sys.stdin.read().split()
assert v[0] == \"P3\" and v[1:4] == [\"640\", \"512\", \"255\"], v[:4]
px = list(map(int, v[4:]))
print(\" \".join(\"%d,%d\" % (i % 640, i // 640) for i in range(640 * 512) if px[3*i:3*i+3] == [255, 0, 0]))"'
	assert_success
	assert_output "10,20 600,500"
	python3 -c '
import struct
w, h = 640, 512
hdr = ["SIMPLE  =                    T", "BITPIX  =                   16", "NAXIS   =                    2",
       "NAXIS1  =                  640", "NAXIS2  =                  512", "END"]
h80 = "".join(s.ljust(80) for s in hdr)
h80 += " " * (-len(h80) % 2880)
data = b"".join(struct.pack(">h", (x * 7 + y) % 3000) for y in range(h) for x in range(w))
data += b"\0" * (-len(data) % 2880)
open("frame.fits", "wb").write(h80.encode() + data)'
	run credbpm convert m.bpm --over frame.fits -o over.png
	assert_success
	run pnmfile <(pngtopam over.png)
	assert_output --partial "640 by 512"
	run credbpm convert m.bpm --over frame.fits -o over.pbm
	assert_failure 2
	assert_output --partial "--over is for PNG"
	run credbpm list m.png
	assert_failure 2
	assert_output --partial "cannot be read back"
}

@test "bad input: wrong size, wrong geometry, a PBM of the wrong size, a folder, garbage text" {
	head -c 1000 /dev/zero >small.bpm
	run credbpm stats small.bpm
	assert_failure 1
	assert_output --partial "'small.bpm': 1000 bytes is not a bad pixel map (40960 bytes"
	empty_map one.bpm 10240
	run credbpm -m cred3 stats one.bpm
	assert_failure 1
	assert_output --partial "10240 bytes is not a C-RED 3 bad pixel map"
	pbmmake -white 100 100 >small.pbm
	run credbpm stats small.pbm
	assert_failure 1
	assert_output --partial "'small.pbm' is 100x100: a bad pixel map is 640x512 (C-RED 3) or 320x256"
	pbmmake -white 640 512 | head -c 2000 >cut.pbm
	run credbpm stats cut.pbm
	assert_failure 1
	assert_output --partial "a 640x512 PBM holds 40960 bytes of pixels"
	mkdir folder.bpm
	run credbpm stats folder.bpm
	assert_failure 1
	assert_output --regexp "cannot (open|read) 'folder.bpm'.*(Is a directory)"
	run credbpm stats missing.bpm
	assert_failure 1
	assert_output "credbpm: cannot open 'missing.bpm': No such file or directory"
	printf '# credbpm 640x512\n1 2\nthree 4\n' >bad.txt
	run credbpm list bad.txt
	assert_failure 1
	assert_output --partial "'bad.txt' line 3: expected 'X Y'"
	printf '# credbpm 640x512\n1 2\n\0003 4\n' >nul.txt
	run credbpm list nul.txt
	assert_failure 1
	assert_output --partial "'nul.txt' holds a NUL byte (at byte 22)"
	printf '700 2\n' >out.txt
	run credbpm list out.txt
	assert_failure 1
	assert_output --partial "outside the 640x512 map"
}

# ---- the camera's maps --------------------------------------------------------------------

@test "download: user and factory maps, checked against the camera's MD5; never a file on failure" {
	start_sim cred3
	run credbpm download -o user.bpm
	assert_success
	assert_output --partial "MD5 $(sim_md5 userbadpixel), checked"
	assert_equal "$(md5 user.bpm)" "$(sim_md5 userbadpixel)"
	run credbpm download --factory -o fact.pbm
	assert_success
	credbpm convert fact.pbm -o fact.bpm
	assert_equal "$(md5 fact.bpm)" "$(sim_md5 factbadpixel)"
	run credbpm download -o user.bpm
	assert_failure 1
	assert_output --partial "exists (use --force"
	# the line corrupts a byte of the content, and again when it is asked
	# for once more: the MD5 says so, no file is kept
	credctl sim transfer-fault corrupt:100@1 >/dev/null
	credctl sim transfer-fault corrupt:100@2 >/dev/null
	run credbpm download -o bad.bpm
	assert_failure 1
	assert_output --partial "cannot download the user bad pixel map"
	assert_output --partial "MD5"
	[ ! -e bad.bpm ]
	run credbpm download -o good.bpm
	assert_success
}

@test "upload: asks first, sends, reads back; restore-factory puts the factory map back" {
	start_sim cred3
	empty_map mine.bpm
	credbpm set mine.bpm 1 1 2 2 3 3
	before=$(sim_md5 userbadpixel)
	run credbpm upload mine.bpm </dev/null
	assert_failure 2
	assert_output --partial "use -y"
	assert_equal "$(sim_md5 userbadpixel)" "$before"
	run credbpm upload mine.bpm <<<"n"
	[ "$status" -ne 0 ]
	assert_equal "$(sim_md5 userbadpixel)" "$before"
	run credbpm -y upload mine.bpm
	assert_success
	assert_output --partial "uploaded as the user map, 3 bad pixels (40960 bytes, MD5 $(md5 mine.bpm), read back)"
	assert_equal "$(sim_md5 userbadpixel)" "$(md5 mine.bpm)"
	credbpm download -o back.bpm
	cmp mine.bpm back.bpm
	# a map in another format goes up as the camera's bytes
	credbpm set mine.bpm 4 4
	credbpm convert mine.bpm -o mine.txt
	run credbpm upload -y mine.txt
	assert_success
	assert_equal "$(sim_md5 userbadpixel)" "$(md5 mine.bpm)"
	run credbpm restore-factory -y
	assert_success
	assert_equal "$(sim_md5 userbadpixel)" "$(sim_md5 factbadpixel)"
}

@test "upload: a camera that reads back another map fails with exit 1; bad files send nothing" {
	start_sim cred3
	before=$(sim_md5 userbadpixel)
	empty_map mine.bpm
	credctl sim transfer-fault discard >/dev/null
	run credbpm -y upload mine.bpm
	assert_failure 1
	assert_output --partial "reads back another one"
	assert_equal "$(sim_md5 userbadpixel)" "$before"
	credctl sim transfer-fault clear >/dev/null
	# the line corrupts a byte: the camera refuses it, its map stays
	credctl sim transfer-fault corrupt:10@1 >/dev/null
	run credbpm -y upload mine.bpm
	assert_failure 1
	assert_output --partial "MD5 mismatch"
	assert_equal "$(sim_md5 userbadpixel)" "$before"
	credctl sim transfer-fault clear >/dev/null
	empty_map one.bpm 10240
	run credbpm -y upload one.bpm
	assert_failure 1
	assert_output --partial "is a 320x256 map, not one for this C-RED 3 (nothing sent)"
	head -c 100 /dev/zero >small.bpm
	run credbpm -y upload small.bpm
	assert_failure 1
	mkdir dir.bpm
	run credbpm -y upload dir.bpm
	assert_failure 1
	assert_output --partial "dir.bpm"
	assert_equal "$(sim_md5 userbadpixel)" "$before"
}

@test "the camera refuses a user map of the wrong size sent by hand" {
	start_sim cred3
	before=$(sim_md5 userbadpixel)
	head -c 4096 /dev/zero >short.bin
	run python3 "$NUC_PY" wire "$SIM_TCP" "send:sendfile userbadpixel 4096 $(md5 short.bin)" \
		bytes:short.bin answer
	assert_output --partial "userbadpixel file must be 40960 bytes (640x512 sensor), got 4096"
	assert_equal "$(sim_md5 userbadpixel)" "$before"
}

@test "enable and disable switch the camera's correction" {
	start_sim cred3
	run credbpm disable
	assert_success
	assert_equal "$(credctl badpixel raw)" "off"
	run credbpm enable
	assert_success
	assert_equal "$(credctl badpixel raw)" "on"
}

@test "a C-RED One or firmware before 1.1.0: camera commands say there is no map transfer" {
	start_sim credone
	for c in download "upload x.bpm" restore-factory enable; do
		empty_map x.bpm 10240
		run credbpm -y $c
		assert_failure 1
		assert_output --partial "a C-RED One has no bad pixel map transfer"
	done
	stop_sim
	start_sim cred3 --firmware 1.0.9
	run credbpm download -o x.bpm
	assert_failure 1
	assert_output --partial "firmware 1.0.9 is older than 1.1.0"
	[ ! -e x.bpm ] || [ "$(stat -c %s x.bpm)" = 10240 ]
}

# ---- detection ------------------------------------------------------------------------------

# precision_recall TRUTH FOUND: prints "precision P recall R" and checks both.
precision_recall() {
	credbpm diff --json "$1" "$2" >d.json || true
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open("d.json"))
n_found = sum(bin(b).count("1") for b in open(sys.argv[2], "rb").read())
fp, fn = d["added"], d["removed"]
tp = n_found - fp
p, r = tp / max(1, tp + fp), tp / max(1, tp + fn)
print("precision %.4f recall %.4f (true %d, false %d, missed %d)" % (p, r, tp, fp, fn))
sys.exit(0 if p >= 0.95 and r >= 0.95 else 1)
PY
}

@test "detect: darks and flats from credsim recover its factory map (precision, recall >= 0.95)" {
	start_sim cred3
	export CRED_SIM_FRAMES=$(credctl sim frames | sed -n 's/^socket: //p')
	credctl set fps 10 >/dev/null
	credbpm disable
	grab_set dark darks.fits
	grab_set flat 6000 flats.fits
	run --separate-stderr credbpm --json detect --dark darks.fits --flat flats.fits -o found.bpm
	assert_success
	echo "$output" | json_ok
	echo "$stderr" | grep -E '^credbpm: hot [0-9]+, noisy [0-9]+, dead [0-9]+, low [0-9]+, high [0-9]+: [0-9]+ bad pixels$'
	for c in hot noisy dead low high; do
		n=$(echo "$output" | python3 -c "import json,sys; print(json.load(sys.stdin)['$c'])")
		[ "$n" -gt 10 ] || fail "only $n $c pixels found"
	done
	credbpm download --factory -o truth.bpm
	run precision_recall truth.bpm found.bpm
	echo "# $output" >&3
	assert_success
	# --merge adds a map; the output is not replaced without --force
	empty_map extra.bpm
	credbpm set extra.bpm 5 5
	run credbpm detect --dark darks.fits --flat flats.fits --merge extra.bpm -o found.bpm
	assert_failure 1
	run credbpm detect --dark darks.fits --flat flats.fits --merge extra.bpm -o found.bpm --force
	assert_success
	run credbpm list found.bpm
	assert_line "5 5"
}

@test "detect: frames from a command after --, a cropped window at its origin" {
	start_sim cred3
	export CRED_SIM_FRAMES=$(credctl sim frames | sed -n 's/^socket: //p')
	credbpm disable
	credctl set cropping.columns 320-447 cropping.rows 64-191 cropping on >/dev/null
	credctl set fps 50 >/dev/null
	credctl sim light dark >/dev/null
	# the window's place comes from the camera
	run credbpm detect --dark - -o win.bpm -- credgrab -q -n 16 -o - -f y4m
	assert_success
	assert_output --partial "the frames cover 128x128 at 320,64: 95.0% of the 640x512 sensor was not seen"
	# or from --origin, for files of frames and no camera
	credgrab -q -n 16 -o win.fits
	run env -u CRED_PORT credbpm detect --dark win.fits --origin 320,64 -o file.bpm
	assert_success
	cmp win.bpm file.bpm
	run env -u CRED_PORT credbpm detect --dark win.fits -o zero.bpm
	assert_success
	assert_output --partial "at 0,0 (no --origin)"
	credbpm download --factory -o truth.bpm
	# the hot and noisy pixels found are factory pixels inside the window
	run credbpm list win.bpm
	[ "${#lines[@]}" -gt 0 ]
	credbpm list truth.bpm >truth.txt
	for l in "${lines[@]}"; do
		read -r x y <<<"$l"
		[ "$x" -ge 320 ] && [ "$x" -le 447 ] && [ "$y" -ge 64 ] && [ "$y" -le 191 ] || fail "$l outside"
		grep -qx "$l" truth.txt || fail "$l is not a factory bad pixel"
	done
}

@test "detect: bad input (no frames, an empty stream, mismatched sets, a folder)" {
	run credbpm detect -o x.bpm
	assert_failure 2
	assert_output --partial "needs frames"
	run credbpm detect --dark - -o x.bpm </dev/null
	assert_failure 1
	assert_output "credbpm: cannot read frames from '-': 'standard input' is empty: no frames"
	[ ! -e x.bpm ]
	mkdir frames.fits
	run credbpm detect --dark frames.fits -o x.bpm
	assert_failure 1
	assert_output --partial "frames.fits"
	run credbpm detect --dark - --flat - -o x.bpm
	assert_failure 2
	run credbpm detect --dark a.fits -o x.bpm -- true
	assert_failure 2
	assert_output --partial "a command after -- feeds --dark - or --flat -"
	run credbpm detect --dark - -o x.bpm -- false
	assert_failure 1
	[ ! -e x.bpm ]
	run credbpm detect --hot 0 --dark a.fits -o x.bpm
	assert_failure 2
	# a single frame: hot pixels only, and a warning
	python3 -c '
import struct
w, h = 640, 512
hdr = ["SIMPLE  =                    T", "BITPIX  =                   16", "NAXIS   =                    2",
       "NAXIS1  =                  640", "NAXIS2  =                  512", "END"]
h80 = "".join(s.ljust(80) for s in hdr)
h80 += " " * (-len(h80) % 2880)
px = [1000 + (x * 7 + y * 3) % 20 for y in range(h) for x in range(w)]
px[5 * w + 9] = 16000
px[300 * w + 600] = 16000
data = struct.pack(">%dh" % (w * h), *px)
data += b"\0" * (-len(data) % 2880)
open("one.fits", "wb").write(h80.encode() + data)'
	run credbpm detect --dark one.fits -o one.bpm
	assert_success
	assert_output --partial "warning: one dark frame: noisy pixels need two or more"
	assert_output --partial "hot 2, noisy 0"
	run credbpm list one.bpm
	assert_output "$(printf '9 5\n600 300')"
}

# ---- the simulator's maps ---------------------------------------------------------------

@test "credsim: the factory map follows --seed; the user map starts equal to it" {
	start_sim cred3 --seed 7
	a=$(sim_md5 factbadpixel)
	assert_equal "$(sim_md5 userbadpixel)" "$a"
	stop_sim
	start_sim cred3 --seed 7
	assert_equal "$(sim_md5 factbadpixel)" "$a"
	stop_sim
	start_sim cred3 --seed 8
	[ "$(sim_md5 factbadpixel)" != "$a" ]
	run credctl sim light flat bright
	assert_failure 1
	assert_output --partial "invalid level 'bright'"
	run credctl sim light
	assert_output "scene"
}

@test "credsim: with correction on, the user map's pixels take a neighbour's value" {
	start_sim cred3
	export CRED_SIM_FRAMES=$(credctl sim frames | sed -n 's/^socket: //p')
	credctl set fps 10 >/dev/null
	credctl sim light dark >/dev/null
	# on (the factory setting) with the factory map: the defects are hidden
	credgrab -q -n 8 -o on.fits
	run --separate-stderr credbpm --json detect --dark on.fits -o on.bpm
	assert_success
	hidden=$(echo "$output" | python3 -c 'import json,sys; print(json.load(sys.stdin)["found"])')
	# an empty user map: the camera corrects nothing, the hot and noisy pixels show
	empty_map none.bpm
	credbpm -y upload none.bpm
	credgrab -q -n 8 -o none.fits
	run --separate-stderr credbpm --json detect --dark none.fits -o none.found
	assert_success
	shown=$(echo "$output" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["hot"] + d["noisy"])')
	echo "# correction on: $hidden found; user map empty: $shown hot and noisy" >&3
	[ "$hidden" -le 2 ]
	[ "$shown" -gt 100 ]
}

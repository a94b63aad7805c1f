#!/usr/bin/env bats
# credgrab's FITS files as a FITS user reads them (astropy, fitsverify):
# the keywords have the types and the values credsim was set to, the
# pixels the right BZERO/BSCALE for signed (C-RED 3) and unsigned (C-RED
# One) data, the per-frame table one row a frame with the camera's counter
# and strictly increasing host times at 100 fps; what the camera did not
# say is left out.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

CHECK="$BATS_TEST_DIRNAME/helpers/fits-check.py"

setup() {
	common_setup
	require_bin credgrab credsim credctl
	/usr/bin/python3 -c 'import astropy' 2>/dev/null ||
		fail "astropy is missing (scripts/deps.sh installs python3-astropy)"
	cd "$BATS_TEST_TMPDIR" || exit 1
}

teardown() {
	common_teardown
}

# value FILE: the text after "LABEL: " in a `credctl raw` answer line
answer() {
	sed -n "s/^$2: *//p" "$1" | tr -d '\r'
}

@test "fits: a cropped C-RED 3 at 100 fps, keywords and frame table as set" {
	run timeout 300 credsim -m cred3 -- sh -c '
		credctl set cropping.columns 64-191 cropping.rows 8-71 cropping on >/dev/null &&
		credctl set fps 100 tint 0.004 sensibility low >/dev/null &&
		credctl get tint > tint && credctl raw cameratype > id && credctl get hwuid > hwuid &&
		credgrab -n 100 --allow-drops -o cube.fits'
	assert_success
	run fitsverify -q cube.fits
	assert_success
	version=$(credgrab --version | sed -n 's/^libcred //p')
	run /usr/bin/python3 "$CHECK" cube.fits signed frames=100 \
		"EXPTIME=float:$(cat tint)" FRATE=float:100 SENSIBIL=str:low \
		"SERIAL=str:$(answer id 'Serial number')" "HWUID=str:$(cat hwuid)" \
		INSTRUME=str:"C-RED 3" DETECTOR=str FIRMWARE=str \
		CROPPED=bool:T CROPCOLS=str:64-191 CROPROWS=str:8-71 \
		CROPX0=int:64 CROPY0=int:8 LTV1=int:-64 LTV2=int:-8 \
		DET-TMP=float TEMPCPU=float TEMPBACK=float TEMPINTF=float TEMPAMB=float \
		HDR=bool:F "CREATOR=str:credtools $version" TIMESYS=str:UTC \
		DATE-OBS=str DATE-END=str BUNIT=str:ADU \
		-DETGAIN -READMODE -DET-TSET -BZERO
	echo "$output"
	assert_success
	# the serial number and the hardware id are two things
	[ "$(answer id 'Serial number')" != "$(cat hwuid)" ]
}

@test "fits: a C-RED One's unsigned pixels, its gain and mode; EXPTIME only where the manual says it" {
	run timeout 300 credsim -m credone -- sh -c '
		credctl set cropping.columns 2-3 cropping.rows 10-20 cropping on >/dev/null &&
		credctl set mode globalresetsingle >/dev/null && credctl set fps 100 gain 5 >/dev/null &&
		credctl get fps > fps && credctl raw cameratype > id &&
		credgrab -n 100 --allow-drops -o single.fits &&
		credctl set cropping.columns 2-3,5 mode globalresetcds >/dev/null &&
		credgrab -n 5 --allow-drops -o cds.fits'
	assert_success
	fitsverify -q single.fits
	fitsverify -q cds.fits
	run /usr/bin/python3 "$CHECK" single.fits unsigned frames=100 \
		"EXPTIME=float:$(/usr/bin/python3 -c "print(repr(1 / float('$(cat fps)')))")" \
		"FRATE=float:$(cat fps)" DETGAIN=int:5 READMODE=str:globalresetsingle \
		"SERIAL=str:$(answer id 'Serial number')" INSTRUME=str:"C-RED One" \
		CROPX0=int:32 CROPY0=int:9 LTV1=int:-32 LTV2=int:-9 \
		DET-TMP=float DET-TSET=float TEMPWATR=float TEMPPTC=float DET-PRES=float \
		-SENSIBIL -TEMPCPU
	echo "$output"
	assert_success
	# CDS: no integration time from the camera; three column blocks that are
	# not one run: no column origin
	run /usr/bin/python3 "$CHECK" cds.fits unsigned frames=5 READMODE=str:globalresetcds \
		-EXPTIME -CROPX0 -LTV1 CROPY0=int:9 LTV2=int:-9
	echo "$output"
	assert_success
}

@test "fits: one file per frame has the frame's time, counter and the camera's keywords" {
	run timeout 300 credsim -m cred3 -- sh -c '
		credctl set cropping.columns 0-63 cropping.rows 0-31 cropping on fps 100 >/dev/null &&
		credgrab -n 3 --allow-drops -o "f-%d.fits"'
	assert_success
	for k in 0 1 2; do
		fitsverify -q "f-$k.fits"
		/usr/bin/python3 "$CHECK" "f-$k.fits" signed FRAMENUM=int:$k COUNTER=int \
			DATE-OBS=str DATE-END=str SERIAL=str CROPX0=int:0 LTV1=int:0
	done
	# strictly later, frame after frame
	/usr/bin/python3 - f-0.fits f-1.fits f-2.fits <<'EOF'
import sys
from astropy.io import fits
h = [fits.getheader(p) for p in sys.argv[1:]]
assert h[0]['DATE-OBS'] == h[0]['DATE-END']
assert h[0]['DATE-OBS'] < h[1]['DATE-OBS'] < h[2]['DATE-OBS'], [x['DATE-OBS'] for x in h]
assert h[0]['COUNTER'] < h[1]['COUNTER'] < h[2]['COUNTER']
EOF
}

@test "fits: without a camera, what it did not say is left out" {
	run timeout 300 credsim -m cred3 --no-pacing -- sh -c '
		credctl set cropping.columns 0-63 cropping.rows 0-31 cropping on >/dev/null &&
		credgrab -q -n 4 -o frames.raw'
	assert_success
	run credgrab -s frames.raw -m cred3 --width 64 --height 32 -o cube.fits
	assert_success
	fitsverify -q cube.fits
	run /usr/bin/python3 "$CHECK" cube.fits signed frames=4 INSTRUME=str:"C-RED 3" CREATOR=str \
		-SERIAL -HWUID -EXPTIME -FRATE -CROPX0 -LTV1 -DET-TMP -SENSIBIL -FIRMWARE
	echo "$output"
	assert_success
}

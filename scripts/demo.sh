#!/bin/sh
# `make demo`: the suite's main jobs against the built-in simulated cameras:
# status and info of each model, then frames into a FITS cube and a
# quick-look PNG.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
out=${DEMO_DIR:-demo-output}
mkdir -p "$out"

for model in cred3 credone; do
	echo "== simulated $model: credctl status and credctl info"
	credsim -m "$model" -- sh -c 'credctl status && credctl info'
	echo
	echo "== simulated $model: 100 frames into $out/$model.fits and a quick look"
	credsim -m "$model" -- sh -c "
		credgrab -q -n 100 -o '$out/$model.fits' --force &&
		credgrab -q -n 1 -o '$out/$model.png' --force"
	ls -l "$out/$model.fits" "$out/$model.png"
	echo
done

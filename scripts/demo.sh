#!/bin/sh
# `make demo`: the suite's main job against the built-in simulated cameras.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
for model in cred3 credone; do
	echo "== simulated $model: credctl status and credctl info"
	credsim -m "$model" -- sh -c 'credctl status && credctl info'
done

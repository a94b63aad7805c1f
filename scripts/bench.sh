#!/bin/sh
# `make bench`: speed and memory goals, printed as ratios measured side by
# side in one run. Each goal adds a script scripts/bench-*.sh.
set -eu
cd "$(dirname "$0")/.."
PATH="$PWD/build/bin:$PATH"
found=0
for b in scripts/bench-*.sh; do
	[ -f "$b" ] || continue
	found=1
	sh "$b"
done
[ "$found" -eq 1 ] || echo "bench: no benchmarks in this build"

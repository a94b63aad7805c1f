#!/bin/bash
# make fuzz: run each libFuzzer harness for a while.
#   tests/fuzz/run.sh BUILD SECONDS NAME...
# Each fuzzer starts from the seeds in tests/fuzz/corpus/NAME (read only)
# and keeps what it finds in BUILD/fuzz-corpus/NAME (kept between runs).
# A crash, leak or timeout leaves its input in BUILD/fuzz-crashes/: once
# fixed, copy it into tests/fuzz/corpus/NAME so make check replays it.
# FUZZ_TIMEOUT: seconds one input may take (30: cfitsio decompressing a
# corrupt tile-compressed cube under ASan takes 10 and more).
cd "$(dirname "$0")/../.." || exit 2
b=$1 secs=$2
shift 2
failed=""
# A huge allocation returns NULL as it would without ASan (a file header may
# announce anything), so the code that handles it is what is tested.
export ASAN_OPTIONS="allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
for name in "$@"; do
	# absolute: a harness may change folder (fuzz-sim.c)
	work="$PWD/$b/fuzz-corpus/$name"
	mkdir -p "$work" "$b/fuzz-crashes"
	echo "== fuzz $name for ${secs}s"
	if ! "$b/fuzz/$name" -max_total_time="$secs" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$PWD/$b/fuzz-crashes/$name-" \
		"$work" "$PWD/tests/fuzz/corpus/$name" >"$b/fuzz-$name.log" 2>&1; then
		failed="$failed $name"
		tail -n 60 "$b/fuzz-$name.log"
	fi
	grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$b/fuzz-$name.log" | tail -n 2
done
if [ -n "$failed" ]; then
	echo "fuzz: findings in:$failed (inputs in $b/fuzz-crashes/)"
	exit 1
fi
echo "fuzz: $# targets, no finding"

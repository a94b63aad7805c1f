#!/bin/sh
# Run every unit test binary and every bats suite; print one closing line
# "N passed, N failed" that counts suites (a unit binary or a .bats file).
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export PATH="$PWD/$B/bin:$PATH"
export CRED_TEST_BUILD="$PWD/$B"
pass=0 fail=0 failed=""

for t in "$B"/tests/test-*; do
	[ -x "$t" ] || continue
	if "$t"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed="$failed $t"; fi
done

for s in tests/*.bats; do
	[ -f "$s" ] || continue
	if bats "$s"; then pass=$((pass + 1)); else fail=$((fail + 1)); failed="$failed $s"; fi
done

[ -n "$failed" ] && echo "failed suites:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]

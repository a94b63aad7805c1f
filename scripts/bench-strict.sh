#!/bin/sh
# Strict answers: the cost of reading twice what decides the frames'
# geometry or goes into files. Side by side against the simulator, in one
# run: 20 reads of a value read twice (fps) against 20 of a value read
# once (led), medians of 5 runs (each credctl also opens the port and
# reads the model twice); and how many questions `credctl status` asks.
set -eu

result=$(credsim -m cred3 -- sh -c '
	now_ms() { date +%s%3N; }
	med() { sort -n | sed -n 3p; }
	names() { n=""; for i in $(seq 20); do n="$n $1"; done; echo $n; }
	twice=$(for r in 1 2 3 4 5; do t0=$(now_ms); credctl get $(names fps) >/dev/null; echo $(($(now_ms) - t0)); done | med)
	once=$(for r in 1 2 3 4 5; do t0=$(now_ms); credctl get $(names led) >/dev/null; echo $(($(now_ms) - t0)); done | med)
	asked=$(CRED_DEBUG=1 credctl status 2>&1 >/dev/null | grep -c " > [0-9]* \"[a-z]")
	echo "$twice $once $asked"')
set -- $result
echo "strict answers: 20 reads of a value read twice (fps) ${1} ms, of a value read once (led) ${2} ms: ratio $(awk "BEGIN { printf \"%.2f\", $1 / $2 }")"
echo "strict answers: credctl status asks $3 questions on a C-RED 3"

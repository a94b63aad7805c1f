# Shared by the bench scripts (sourced): timing a command the one way
# DESIGN.md asks, the median of several runs side by side, not a best.

now() { date +%s.%N; }

# The median of the numbers on standard input, one per line; fails when
# there are not BENCH_RUNS of them (a run that failed is not left out).
median() {
	sort -g | awk -v want="${BENCH_RUNS:-5}" '{ v[NR] = $1 } END {
		if (NR != want) {
			printf "timing: %d of %d runs gave a time\n", NR, want > "/dev/stderr"
			exit 1
		}
		print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# Median wall-clock seconds of BENCH_RUNS (default 5) runs of a command,
# its stdout to /dev/null.
median_time() {
	for _ in $(seq "${BENCH_RUNS:-5}"); do
		t0=$(now)
		"$@" > /dev/null
		t1=$(now)
		echo "$t0 $t1" | awk '{ print $2 - $1 }'
	done | median
}

# The median of what BENCH_RUNS runs of a command print (one number each:
# a time the command measures itself).
median_of() {
	for _ in $(seq "${BENCH_RUNS:-5}"); do
		"$@"
	done | median
}

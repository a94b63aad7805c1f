#!/bin/bash
# Run every unit test binary and every bats suite (or the suites named as
# arguments); print one closing line "N passed, N failed" that counts
# suites (a unit binary or a .bats file).
#
# Suites run side by side (CHECK_JOBS at a time, default twice the cores):
# each test starts its own simulator on its own port, socket and lock
# folder, so suites share nothing. Each suite's output is kept apart and
# shown whole when it ends, so the log reads as if they ran one by one.
# The largest suites start first so that the last one to finish is short.
cd "$(dirname "$0")/.." || exit 2
B=${B:-build}
export PATH="$PWD/$B/bin:$PATH"
export CRED_TEST_BUILD="$PWD/$B"
jobs_max=${CHECK_JOBS:-$(($(nproc) * 2))}
logs=$(mktemp -d) || exit 2
trap 'rm -rf "$logs"' EXIT

# SANITIZE=1 (make check SANITIZE=1, B=build-san): every sanitized process
# writes its reports to files in one folder (log_path, suffixed with the
# pid) instead of its stderr, so a report from a tool whose stderr a test
# swallows still fails the run; the folder is inspected at the end. The
# first error ends the process (halt_on_error) with status 86, which no
# tool uses. A huge allocation returns NULL as it would without ASan
# (allocator_may_return_null), so the code that handles it is tested.
# The LD_PRELOAD shims (tests/shim, built with the sanitizers too) come
# before libasan in the library list, so ASan's link-order check is off
# (verify_asan_link_order=0).
san_logs=
if [ "${SANITIZE:-}" = 1 ]; then
	san_logs="$logs/sanitizers"
	mkdir "$san_logs" || exit 2
	export CRED_SANITIZE=1
	export ASAN_OPTIONS="log_path=$san_logs/asan:halt_on_error=1:exitcode=86:detect_leaks=1:verify_asan_link_order=0:strict_string_checks=1:allocator_may_return_null=1"
	export LSAN_OPTIONS="log_path=$san_logs/lsan:exitcode=86"
	export UBSAN_OPTIONS="log_path=$san_logs/ubsan:halt_on_error=1:print_stacktrace=1:exitcode=86"
fi

# The test helpers' python3 (standard library only): Debian's own when a
# version manager's shim comes first on PATH. A pyenv shim costs half a
# second per call, against 40 ms, and the suites call python3 hundreds of
# times.
mkdir "$logs/bin" || exit 2
if [ -x /usr/bin/python3 ] && [ "$(command -v python3)" != /usr/bin/python3 ]; then
	ln -s /usr/bin/python3 "$logs/bin/python3"
fi
# SANITIZE=1: umockdev-run through tests/helpers/umockdev-run-san (no
# log_path under umockdev's preload library).
if [ -n "$san_logs" ] && CRED_REAL_UMOCKDEV_RUN=$(command -v umockdev-run); then
	export CRED_REAL_UMOCKDEV_RUN
	ln -s "$PWD/tests/helpers/umockdev-run-san" "$logs/bin/umockdev-run"
fi
export PATH="$logs/bin:$PATH"

# Arguments: only these suites (unit test binaries, .bats files).
suites=("$@")
if [ $# -eq 0 ]; then
	for t in "$B"/tests/test-*; do
		[ -x "$t" ] && suites+=("$t")
	done
	# bats files, the largest first
	while read -r _ s; do suites+=("$s"); done < <(wc -c tests/*.bats | grep -v ' total$' | sort -rn)
fi

run_suite() { # suite log
	local t0=$SECONDS
	case $1 in
	*.bats) bats "$1" ;;
	*) "$1" ;;
	esac >"$2" 2>&1
	echo $? >"$2.rc"
	# how long it took, so a slow suite shows in the log (CI's time limit)
	echo $((SECONDS - t0)) >"$2.s"
}

# What ended so far, each suite's log whole, then the count and the
# sanitizer reports. Also when a time guard stops the run (SIGTERM): the
# suites still running are named as not finished.
report() {
	local i=0 s pass=0 fail=0 unfinished=0 failed="" reports=0 r

	for s in "${suites[@]}"; do
		if [ -e "$logs/$i.rc" ]; then
			echo "== $s ($(cat "$logs/$i.s" 2>/dev/null)s)"
			cat "$logs/$i"
			if [ "$(cat "$logs/$i.rc")" = 0 ]; then
				pass=$((pass + 1))
			else
				fail=$((fail + 1)) failed="$failed $s"
			fi
		else
			unfinished=$((unfinished + 1))
		fi
		i=$((i + 1))
	done
	[ -n "$failed" ] && echo "failed suites:$failed"
	echo "$pass passed, $fail failed"
	[ "$unfinished" -eq 0 ] || echo "$unfinished suites not run to the end (the run was stopped)"
	if [ -n "$san_logs" ]; then
		for r in "$san_logs"/*; do
			[ -e "$r" ] || continue
			# a warning alone (a huge allocation refused) is no report
			if grep -qE 'ERROR: |runtime error:' "$r"; then
				echo "== sanitizer report ${r##*/}"
				reports=$((reports + 1))
			else
				echo "== sanitizer warning ${r##*/}"
			fi
			cat "$r"
		done
		echo "$reports sanitizer reports"
	fi
	[ "$fail" -eq 0 ] && [ "$unfinished" -eq 0 ] && [ "$pass" -gt 0 ] && [ "$reports" -eq 0 ]
}
trap 'trap - TERM INT; report; kill $(jobs -p) 2>/dev/null; exit 124' TERM INT

# The unit tests first, one at a time: they are quick, and the XMODEM ones
# talk to lrzsz's rx, whose own timeouts do not survive a machine kept busy
# by the suites running side by side.
i=0
for s in "${suites[@]}"; do
	case $s in
	*.bats)
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
		run_suite "$s" "$logs/$i" &
		;;
	*) run_suite "$s" "$logs/$i" ;;
	esac
	i=$((i + 1))
done
wait
report

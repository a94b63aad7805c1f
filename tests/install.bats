#!/usr/bin/env bats
# make install / uninstall: the tools find the shared libcred where they are
# installed, and a program built with `pkg-config libcred` against the
# installed headers and library runs.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	require_bin credctl
	command -v pkg-config >/dev/null || fail "pkg-config is missing (make deps)"
}

@test "make install stages libcred, its headers and libcred.pc; uninstall removes them" {
	local dest=$BATS_TEST_TMPDIR/dest root=$BATS_TEST_TMPDIR/dest/opt/cred
	run make -C "$CRED_TOP" -s install DESTDIR="$dest" PREFIX=/opt/cred
	assert_success
	[ -x "$root/lib/libcred.so.0" ]
	[ "$(readlink "$root/lib/libcred.so")" = libcred.so.0 ]
	[ -f "$root/include/credtools/cred.h" ]
	[ -f "$root/include/credtools/cred-clock.h" ]
	grep -qx 'libdir=/opt/cred/lib' "$root/lib/pkgconfig/libcred.pc"
	grep -qx 'Cflags: -I${includedir}/credtools' "$root/lib/pkgconfig/libcred.pc"
	grep -q '^Requires.private: .*libserialport' "$root/lib/pkgconfig/libcred.pc"

	# The installed tool loads the installed library, not the build's.
	run env -u LD_LIBRARY_PATH ldd "$root/bin/credctl"
	assert_success
	assert_output --partial "libcred.so.0 => $root/bin/../lib/libcred.so.0"
	run "$root/bin/credctl" --version
	assert_success
	assert_line --regexp '^libcred [0-9]+\.[0-9]+\.[0-9]+$'

	# A program of someone else's, built from the pkg-config flags alone.
	cat >"$BATS_TEST_TMPDIR/hello.c" <<'C'
#include <stdio.h>
#include <cred.h>

int main(void)
{
	char when[40];

	cred_format_utc(86400.25, 2, 1, when, sizeof(when));
	printf("%s %s %s\n", cred_version(), cred_model_by_key("credone")->name, when);
	return 0;
}
C
	local flags
	flags=$(PKG_CONFIG_PATH="$root/lib/pkgconfig" PKG_CONFIG_SYSROOT_DIR="$dest" \
		pkg-config --cflags --libs libcred)
	[[ $flags == *"-I$root/include/credtools"* ]]
	# shellcheck disable=SC2086 # the flags are words
	run cc -o "$BATS_TEST_TMPDIR/hello" "$BATS_TEST_TMPDIR/hello.c" $flags
	assert_success
	run env LD_LIBRARY_PATH="$root/lib" "$BATS_TEST_TMPDIR/hello"
	assert_success
	assert_output --regexp '^[0-9.]+ C-RED One 1970-01-02T00:00:00\.25Z$'

	run make -C "$CRED_TOP" -s uninstall DESTDIR="$dest" PREFIX=/opt/cred
	assert_success
	[ -z "$(find "$dest" -type f -o -type l 2>/dev/null)" ]
}

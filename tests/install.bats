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

# ---- the staged tree works by itself ------------------------------------------
# One install into a private DESTDIR, used by the tests below the way a
# user would: the staged binaries, man pages and completions, nothing from
# the build tree (its bin is taken off PATH).

stage() {
	STAGE=$BATS_TEST_TMPDIR/stage
	ROOT=$STAGE/opt/cred
	make -C "$CRED_TOP" -s install DESTDIR="$STAGE" PREFIX=/opt/cred >/dev/null ||
		fail "make install failed"
	STAGED_TOOLS=(credctl credgrab crednuc credbpm credfw credsim)
	# The build's bin off PATH: only the staged tools can answer.
	PATH=$(tr ':' '\n' <<<"$PATH" | grep -vxF "$CRED_TEST_BUILD/bin" | paste -sd:)
	export PATH="$ROOT/bin:$PATH"
	unset LD_LIBRARY_PATH
}

@test "the staged tools run from the staged tree: --version, --help, a command against the staged credsim" {
	stage
	local t
	for t in "${STAGED_TOOLS[@]}"; do
		[ "$(command -v "$t")" = "$ROOT/bin/$t" ] || fail "$t is not the staged one: $(command -v "$t")"
		run --separate-stderr "$t" --version
		assert_success
		assert_line --regexp "^$t \\(credtools\\) [0-9]+\\.[0-9]+\\.[0-9]+"
		run --separate-stderr "$t" --help
		assert_success
		assert_line --partial "Usage: $t"
		[ -z "$stderr" ] || fail "$t --help wrote to stderr: $stderr"
	done
	run credsim -m cred3 -- sh -c 'credctl status && credctl get fps'
	assert_success
	assert_output --partial "C-RED 3"
	assert_line --regexp '^[0-9.]+$'
}

@test "the staged man pages render from the staged man folder" {
	stage
	local t page
	for t in "${STAGED_TOOLS[@]}" credtools; do
		page=$(man -M "$ROOT/share/man" -w "$t")
		[[ $page == "$ROOT/share/man/"* ]] || fail "$t: man found '$page', not the staged page"
		run mandoc -T lint -W warning "$page"
		assert_success
		run env MANWIDTH=80 man -M "$ROOT/share/man" "$t"
		assert_success
		assert_output --partial "EXIT STATUS"
	done
}

@test "the staged completions load in bash and zsh" {
	stage
	local t
	for t in credctl credgrab crednuc credbpm credfw credsim; do
		run bash --norc --noprofile -c '
			source "$1" || exit 1
			fn=$(complete -p "$2" | sed -n "s/.*-F \([^ ]*\).*/\1/p")
			[ -n "$fn" ] || exit 1
			COMP_WORDS=("$2" --he) COMP_CWORD=1 COMP_LINE="$2 --he" COMP_POINT=${#COMP_LINE}
			"$fn" "$2" --he "$2"
			printf "%s\n" "${COMPREPLY[@]}"' sh "$ROOT/share/bash-completion/completions/$t" "$t"
		assert_success
		assert_line -- --help
		run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D &&
			autoload -Uz "_$2" && whence -v "_$2"' sh "$ROOT/share/zsh/site-functions" "$t"
		assert_success
		assert_output --partial "$ROOT/share/zsh/site-functions/_$t"
	done
}

@test "make uninstall DESTDIR=... leaves nothing behind" {
	stage
	[ -n "$(find "$STAGE" -type f)" ]
	run make -C "$CRED_TOP" -s uninstall DESTDIR="$STAGE" PREFIX=/opt/cred
	assert_success
	# Empty folders go too, up to DESTDIR itself.
	if [ -e "$STAGE" ]; then
		run find "$STAGE" -mindepth 1
		assert_output ""
	fi
}

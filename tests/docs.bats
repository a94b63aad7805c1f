#!/usr/bin/env bats
# The documents that ship with the tools cannot rot unnoticed: every man
# page lints clean, every bash completion parses and completes in a plain
# bash (no bash-completion package), every zsh completion loads in zsh,
# and every tool has its page and both completions.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() { cd "$BATS_TEST_TMPDIR"; }

TOP="$BATS_TEST_DIRNAME/.."

tools() {
	local d
	for d in "$TOP"/cmd/*/; do
		d=$(basename "$d")
		[ "$d" = common ] || echo "$d"
	done
}

@test "every man page lints clean (mandoc and groff)" {
	for m in "$TOP"/man/*.[1-9]; do
		out=$(mandoc -T lint -W warning "$m" 2>&1 | grep -v STYLE || true)
		[ -z "$out" ] || { echo "$out"; false; }
		out=$(groff -ww -z -man "$m" 2>&1 || true)
		[ -z "$out" ] || { echo "$m: $out"; false; }
	done
}

@test "a man page that nests an unclosed .RS is caught by the lint" {
	# The check above must be able to fail: a page with a broken date and
	# an .RS without its .RE gives warnings.
	printf '.TH X 1 "someday"\n.SH NAME\nx \\- y\n.SH DESCRIPTION\n.RS\ntext\n' >bad.1
	run sh -c 'mandoc -T lint -W warning bad.1 2>&1 | grep -v STYLE'
	assert_output --partial "WARNING"
}

@test "every tool has a man page and both completions" {
	for t in $(tools); do
		[ -f "$TOP/man/$t.1" ] || { echo "no man/$t.1"; false; }
		[ -f "$TOP/completions/bash/$t" ] || { echo "no bash completion for $t"; false; }
		[ -f "$TOP/completions/zsh/_$t" ] || { echo "no zsh completion for $t"; false; }
	done
}

@test "every bash completion parses and completes options without bash-completion" {
	for t in $(tools); do
		f="$TOP/completions/bash/$t"
		bash -n "$f" || { echo "$f does not parse"; false; }
		# A plain bash: no bash-completion, so _init_completion & co. are absent.
		run bash --norc --noprofile -c '
			source "$1" || exit 1
			fn=$(complete -p "$2" | sed -n "s/.*-F \([^ ]*\).*/\1/p")
			[ -n "$fn" ] || { echo "no completion function"; exit 1; }
			COMP_WORDS=("$2" --he) COMP_CWORD=1 COMP_LINE="$2 --he" COMP_POINT=${#COMP_LINE}
			"$fn" "$2" --he "$2"
			printf "%s\n" "${COMPREPLY[@]}"' sh "$f" "$t"
		[ "$status" -eq 0 ] || { echo "$t: $output"; false; }
		echo "$output" | grep -qx -- --help || { echo "$t: '--he' did not complete to --help: $output"; false; }
	done
}

@test "every zsh completion loads in zsh" {
	command -v zsh >/dev/null || fail "zsh is not installed (make deps installs it)"
	for t in $(tools); do
		f="$TOP/completions/zsh/_$t"
		zsh -n "$f" || { echo "$f does not parse"; false; }
		run zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D && autoload -Uz "_$2" && whence -w "_$2"' \
			sh "$TOP/completions/zsh" "$t"
		[ "$status" -eq 0 ] || { echo "$t: $output"; false; }
	done
}

#!/bin/sh
# Install the Debian packages credtools needs to build and test.
# As root it installs what is missing; otherwise it says exactly what to run.
set -eu

PACKAGES="build-essential pkg-config
libserialport-dev libusb-1.0-0-dev libcfitsio-dev libarchive-dev nettle-dev
libmicrohttpd-dev libcurl4-gnutls-dev libjansson-dev libedit-dev libpng-dev libcmocka-dev
bats bats-support bats-assert lrzsz socat umockdev fitsverify gnuplot-nox
mandoc groff-base zsh netpbm ffmpeg python3-astropy jq"
# make fuzz only (scripts/deps.sh fuzz): clang with libFuzzer and the
# sanitizer runtimes.
FUZZ_PACKAGES="clang libclang-rt-14-dev"
[ "${1:-}" = fuzz ] && PACKAGES="$PACKAGES $FUZZ_PACKAGES"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: run as root:  apt-get install -y$missing" >&2
	exit 1
fi

echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have no package lists yet.
if ! apt-get install -y --no-install-recommends $missing >/dev/null; then
	apt-get update -qq
	apt-get install -y --no-install-recommends $missing >/dev/null
fi

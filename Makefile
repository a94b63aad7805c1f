# credtools: one non-recursive make. Each folder adds its part in Module.mk
# (i2c-tools style); sources are found by wildcard so a new file needs no edit.
VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
DESTDIR    ?=

CC      ?= cc
CFLAGS  ?= -O2 -g
WARNINGS := -Wall -Wextra -Wshadow -Wno-unused-parameter
B := build

# make check SANITIZE=1: everything built again in build-san/ (never mixed
# with build/) under AddressSanitizer (with LeakSanitizer) and
# UndefinedBehaviorSanitizer; tests/run-all.sh then fails on any report.
SANITIZE ?=
ifeq ($(SANITIZE),1)
B := build-san
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer
endif
# make fuzz: the libFuzzer harnesses (tests/fuzz/Module.mk), built by clang
# in build-fuzz/ with the library instrumented for coverage.
FUZZ ?=
ifeq ($(FUZZ),1)
B := build-fuzz
CC := clang
SAN_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
endif

# Libraries found with pkg-config; `make deps` installs their Debian packages.
PKGS := libserialport libusb-1.0 cfitsio libarchive nettle libmicrohttpd jansson libedit libpng libcurl
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

ALL_CPPFLAGS = -Ilib -Icmd -D_GNU_SOURCE -DCRED_VERSION='"$(VERSION)"' $(PKG_CFLAGS) $(CPPFLAGS)
ALL_CFLAGS   = -std=gnu11 -fPIC -fvisibility=hidden $(WARNINGS) $(CFLAGS) $(SAN_FLAGS)
LINK_LIBS    = $(PKG_LIBS) -ldl -lpthread -lm
# Programs record only the shared libraries they use: every tool links the
# whole PKG_LIBS list, and each needless one costs start-up time.
PROG_LDFLAGS = -Wl,--as-needed $(SAN_FLAGS) $(LDFLAGS)

# Objects are kept (not removed as intermediates), so a second make does nothing.
.SECONDARY:

.PHONY: all check check-run fuzz fuzz-run deps-fuzz demo demo-run bench bench-run deps install uninstall clean
all:

include lib/Module.mk
include cmd/Module.mk
include tests/Module.mk
include tests/fuzz/Module.mk
include man/Module.mk
include contrib/Module.mk

$(B)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# check, demo and bench build with every core (JOBS= to build one file at a time).
JOBS ?= -j$(shell nproc)

# The dependency step runs first, then a fresh make that sees the installed
# packages through pkg-config.
deps:
	@scripts/deps.sh

check: deps
	@$(MAKE) --no-print-directory $(JOBS) check-run

demo: deps
	@$(MAKE) --no-print-directory $(JOBS) demo-run

# make fuzz FUZZ_SECONDS=300 FUZZ_TARGETS="cli xmodem": clang and
# libFuzzer are needed for this target only (scripts/deps.sh fuzz).
fuzz: deps-fuzz
	@$(MAKE) --no-print-directory $(JOBS) FUZZ=1 fuzz-run

deps-fuzz:
	@scripts/deps.sh fuzz

bench: deps
	@$(MAKE) --no-print-directory $(JOBS) bench-run

demo-run: all
	@scripts/demo.sh

bench-run: all
	@scripts/bench.sh

clean:
	rm -rf build build-san build-fuzz

# Last, the folders install made, when nothing else lives in them (rmdir
# -p stops at the first one that is not empty, such as /usr/bin).
rmdirs = for d in $(1); do rmdir -p --ignore-fail-on-non-empty "$(DESTDIR)$$d" 2>/dev/null || true; done
uninstall:
	$(call rmdirs,$(BINDIR) $(PKGCONFIGDIR) $(LIBDIR) $(CRED_INCDIR) $(INCLUDEDIR) $(MANDIR)/man1 $(MANDIR)/man7 $(BASHCOMPDIR) $(ZSHCOMPDIR))

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# One folder per binary: cmd/TOOL/*.c, linked with the shared helper layer
# cmd/common/ and the shared libcred. cmd/credsim/ is the simulator (a
# camera, not a client tool: it does not use cmd/common/, and links libcred
# statically, for its clock only).
TOOLS := $(sort $(filter-out common credsim,$(notdir $(patsubst %/,%,$(dir $(wildcard cmd/*/*.c))))))
COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard cmd/common/*.c))
BINS := $(TOOLS:%=$(B)/bin/%) $(B)/bin/credsim
TOOL_CPPFLAGS := -Icmd/common
# The tools find libcred.so.0 in the lib folder beside their bin folder:
# build/lib in the build tree, $(PREFIX)/lib once installed. Set RPATH
# for another layout (empty when LIBDIR is a folder ld.so searches anyway).
RPATH ?= $$ORIGIN/../lib
# Linking the shared libcred loads all of its libraries (cfitsio's curl,
# libmicrohttpd's gnutls: ~45 in all) at every start, about 35 ms of CPU
# more than the archive; TOOLS_LIBCRED=$(B)/libcred.a links that instead.
TOOLS_LIBCRED ?= $(LIBCRED_SO)
TOOL_LDFLAGS = $(if $(RPATH),-Wl$(comma)-rpath$(comma)'$(RPATH)')
comma := ,

all: $(BINS)

define tool_rule
$(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c)): ALL_CPPFLAGS += $(TOOL_CPPFLAGS)
$(B)/bin/$(1): $(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c)) $(COMMON_OBJS) $(TOOLS_LIBCRED)
	@mkdir -p $$(@D)
	$$(CC) $$(PROG_LDFLAGS) $$(TOOL_LDFLAGS) -o $$@ $$^ $$(LINK_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))
$(COMMON_OBJS): ALL_CPPFLAGS += $(TOOL_CPPFLAGS)

# credsim fetches URLs (libcurl) as the camera does for getbias URL; libcred
# links libcurl too (PKGS), for cred_http_fetch (the camera's logs).
SIM_PKGS := libcurl
SIM_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard cmd/credsim/*.c))
$(SIM_OBJS): ALL_CPPFLAGS += $(shell pkg-config --cflags $(SIM_PKGS) 2>/dev/null)
$(B)/bin/credsim: $(SIM_OBJS) $(LIBCRED_A)
	@mkdir -p $(@D)
	$(CC) $(PROG_LDFLAGS) -o $@ $^ $(LINK_LIBS) $(shell pkg-config --libs $(SIM_PKGS) 2>/dev/null) -lutil

install: install-bin
install-bin: $(BINS)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(BINDIR)/

uninstall: uninstall-bin
uninstall-bin:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(BINS)))

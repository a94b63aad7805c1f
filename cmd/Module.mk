# One folder per binary: cmd/TOOL/*.c, linked with the shared helper layer
# cmd/common/ and libcred. cmd/credsim/ is the simulator (a camera, not a
# client tool: it does not use cmd/common/).
TOOLS := $(sort $(filter-out common credsim,$(notdir $(patsubst %/,%,$(dir $(wildcard cmd/*/*.c))))))
COMMON_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard cmd/common/*.c))
BINS := $(TOOLS:%=$(B)/bin/%) $(B)/bin/credsim
TOOL_CPPFLAGS := -Icmd/common

all: $(BINS)

define tool_rule
$(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c)): ALL_CPPFLAGS += $(TOOL_CPPFLAGS)
$(B)/bin/$(1): $(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1)/*.c)) $(COMMON_OBJS) $(LIBCRED_A)
	@mkdir -p $$(@D)
	$$(CC) $$(PROG_LDFLAGS) -o $$@ $$^ $$(LINK_LIBS)
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

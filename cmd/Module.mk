# One binary per tool: cmd/TOOL.c plus any cmd/TOOL-*.c, linked with
# tools-common and libcred. The simulator lives in cmd/credsim/.
TOOLS := $(sort $(filter-out tools-common,$(basename $(notdir $(wildcard cmd/cred*.c)))))
TOOLS := $(filter-out $(foreach t,$(TOOLS),$(filter $(t)-%,$(TOOLS))),$(TOOLS))
COMMON_OBJS := $(B)/cmd/tools-common.o
BINS := $(TOOLS:%=$(B)/bin/%) $(B)/bin/credsim

all: $(BINS)

define tool_rule
$(B)/bin/$(1): $(patsubst %.c,$(B)/%.o,$(wildcard cmd/$(1).c cmd/$(1)-*.c)) $(COMMON_OBJS) $(LIBCRED_A)
	@mkdir -p $$(@D)
	$$(CC) $$(PROG_LDFLAGS) -o $$@ $$^ $$(LINK_LIBS)
endef
$(foreach t,$(TOOLS),$(eval $(call tool_rule,$(t))))

# credsim does not use tools-common (it is a camera, not a client tool).
# It alone fetches URLs (libcurl), as the camera does for getbias URL.
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

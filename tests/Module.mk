# tests/unit/test-*.c: cmocka unit tests of libcred (linked statically, so
# hidden internals are reachable). tests/shim/*.c: one shared object each
# (LD_PRELOAD shims, the Camera Link serial test library). tests/*.bats: the
# tool suites, run against credsim.
UNIT_SRCS  := $(wildcard tests/unit/test-*.c)
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
SHIM_SRCS  := $(wildcard tests/shim/*.c)
SHIM_LIBS  := $(SHIM_SRCS:tests/shim/%.c=$(B)/tests/%.so)

# GenTL producers are found by their .cti name (GENICAM_GENTL64_PATH).
CTI_LIBS   := $(B)/tests/gentl-sim.cti $(B)/tests/gentl-sim-minimal.cti

all: $(UNIT_BINS) $(SHIM_LIBS) $(CTI_LIBS)

$(B)/tests/%.cti: $(B)/tests/%.so
	cp $< $@

$(B)/tests/test-%: $(B)/tests/unit/test-%.o $(LIBCRED_A)
	@mkdir -p $(@D)
	$(CC) $(PROG_LDFLAGS) -o $@ $^ $(LINK_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

$(B)/tests/gentl-sim-minimal.so: tests/shim/gentl-sim.c
$(B)/tests/%.so: tests/shim/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fvisibility=default -shared -o $@ $< -ldl

check-run: all
	@B=$(B) SANITIZE=$(SANITIZE) tests/run-all.sh

# The tools' shared layer is unit-tested through its objects (cmd/common/),
# which come before libcred on the link line.
$(B)/tests/unit/test-tools-common.o: ALL_CPPFLAGS += $(TOOL_CPPFLAGS)
$(B)/tests/test-tools-common: $(B)/tests/unit/test-tools-common.o $(COMMON_OBJS) $(LIBCRED_A)
	@mkdir -p $(@D)
	$(CC) $(PROG_LDFLAGS) -o $@ $^ $(LINK_LIBS) $(shell pkg-config --libs cmocka 2>/dev/null)

# tests/tools/*.c: small test programs (build/tests/NAME), e.g. isio-read,
# the ImageStreamIO stream reader.
TOOL_TEST_SRCS := $(wildcard tests/tools/*.c)
TOOL_TEST_BINS := $(TOOL_TEST_SRCS:tests/tools/%.c=$(B)/tests/%)

all: $(TOOL_TEST_BINS)

$(B)/tests/%: tests/tools/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lpthread

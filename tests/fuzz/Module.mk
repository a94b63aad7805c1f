# tests/fuzz/fuzz-NAME.c: libFuzzer harnesses (tests/fuzz/fuzz.h), seeds in
# tests/fuzz/corpus/NAME/.
#  - Every build makes $(B)/tests/test-fuzz-NAME: the harness with a small
#    replay driver (replay.c) that feeds each file of the corpus once;
#    tests/run-all.sh runs it with the unit tests (make check; under the
#    sanitizers with SANITIZE=1).
#  - make fuzz (FUZZ=1: clang, build-fuzz/) links the harnesses with
#    libFuzzer and runs each for FUZZ_SECONDS (tests/fuzz/run.sh);
#    FUZZ_TARGETS=NAME... picks some.
FUZZ_SRCS    := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_NAMES   := $(FUZZ_SRCS:tests/fuzz/fuzz-%.c=%)
FUZZ_REPLAYS := $(FUZZ_NAMES:%=$(B)/tests/test-fuzz-%)
FUZZ_BINS    := $(FUZZ_NAMES:%=$(B)/fuzz/%)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_NAMES)

# The simulator's interpreter harness links credsim's objects but its main.
SIM_LIB_OBJS = $(filter-out $(B)/cmd/credsim/main.o,$(SIM_OBJS))
FUZZ_SIM_LIBS = $(shell pkg-config --libs $(SIM_PKGS) 2>/dev/null) -lutil

$(B)/tests/fuzz/fuzz-%.o: ALL_CPPFLAGS += -Itests/fuzz -Icmd/credsim
$(B)/tests/test-fuzz-sim $(B)/fuzz/sim: $(SIM_LIB_OBJS)
$(B)/tests/test-fuzz-sim $(B)/fuzz/sim: FUZZ_LIBS = $(FUZZ_SIM_LIBS)

ifneq ($(FUZZ),1)
all: $(FUZZ_REPLAYS)
endif

$(B)/tests/fuzz/replay-%.o: tests/fuzz/replay.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -DFUZZ_CORPUS='"tests/fuzz/corpus/$*"' -c -o $@ $<

# libcred.a last: the simulator's objects use it too.
$(B)/tests/test-fuzz-%: $(B)/tests/fuzz/fuzz-%.o $(B)/tests/fuzz/replay-%.o $(LIBCRED_A)
	@mkdir -p $(@D)
	$(CC) $(PROG_LDFLAGS) -o $@ $(filter-out %.a,$^) $(LIBCRED_A) $(LINK_LIBS) $(FUZZ_LIBS)

$(B)/fuzz/%: $(B)/tests/fuzz/fuzz-%.o $(LIBCRED_A)
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined $(LDFLAGS) -o $@ $(filter-out %.a,$^) $(LIBCRED_A) $(LINK_LIBS) $(FUZZ_LIBS)

fuzz-run: $(FUZZ_TARGETS:%=$(B)/fuzz/%)
	@tests/fuzz/run.sh $(B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

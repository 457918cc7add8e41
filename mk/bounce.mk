# Bounce analyzer (issue 3): core objects, the bounce-analyze CLI, tests,
# fuzz target. Knowledge lives in db/knowledge/bounce_*.hdf.
BOUNCE_OBJS := $(OBJDIR)/src/bounce_analyze.o $(OBJDIR)/src/bounce_buf.o \
               $(OBJDIR)/src/bounce_decode.o $(OBJDIR)/src/bounce_dsn.o $(OBJDIR)/src/bounce_gate.o \
               $(OBJDIR)/src/bounce_header.o $(OBJDIR)/src/bounce_ip.o \
               $(OBJDIR)/src/bounce_json.o $(OBJDIR)/src/bounce_mime.o \
               $(OBJDIR)/src/bounce_result.o $(OBJDIR)/src/knowledge_bounce.o
CORE_OBJS += $(BOUNCE_OBJS)

BINS += $(OUT)/tools/bounce-analyze
$(OUT)/tools/bounce-analyze: $(OBJDIR)/tools/bounce_analyze.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

UNIT_TESTS += $(OUT)/build/tests/test_bounce
FUZZERS += fuzz_bounce fuzz_bounce_mime

# bench helpers (not part of all): the GMime comparison and the speed driver
$(OUT)/build/bench/bounce_speed: bench/bounce_speed.c $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
# GMime is only the benchmark's baseline: the analyzer has its own MIME layer
$(OUT)/build/bench/bounce_gmime: bench/bounce_gmime.c $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(shell pkg-config --cflags gmime-3.0) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) \
	  $(shell pkg-config --libs gmime-3.0)

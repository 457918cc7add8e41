# DNSBL engine: address parsing, catalogue, c-ares checker, cache + health
# store, the blcheck CLI, its unit tests and fuzz targets.
CORE_OBJS += $(OBJDIR)/src/ipaddr.o $(OBJDIR)/src/dnsbl_answer.o \
             $(OBJDIR)/src/knowledge_dnsbl.o $(OBJDIR)/src/store_dnsbl.o \
             $(OBJDIR)/src/dnsbl.o

BINS += $(OUT)/tools/blcheck

$(OUT)/tools/blcheck: $(OBJDIR)/tools/blcheck.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

UNIT_TESTS += $(OUT)/build/tests/test_ipaddr $(OUT)/build/tests/test_dnsbl_answer \
              $(OUT)/build/tests/test_dnsbl \
              $(OUT)/build/tests/test_dnsbl_catalogue

FUZZERS += fuzz_ipaddr fuzz_dnsbl_answer

# The delaying UDP proxy used by bench/dnsbl.sh.
$(OUT)/build/bench/udp-delay: bench/udp-delay.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

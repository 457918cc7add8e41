# Customer accounts and mail forwards (issue 6): core objects, portalctl,
# tests and the import parser's fuzz target. The pages (page_login.o,
# page_forwards.o) are in WEB_OBJS in mk/web.mk.
CORE_OBJS += $(OBJDIR)/src/knowledge_isp.o $(OBJDIR)/src/forwards_import.o \
             $(OBJDIR)/src/store_forwards.o $(OBJDIR)/src/store_throttle.o \
             $(OBJDIR)/src/purge.o $(OBJDIR)/src/demo_forwards.o

BINS += $(OUT)/tools/portalctl
$(OUT)/tools/portalctl: $(OBJDIR)/tools/portalctl.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

UNIT_TESTS += $(OUT)/build/tests/test_forwards_import $(OUT)/build/tests/test_knowledge_isp
FUZZERS += fuzz_forwards_import

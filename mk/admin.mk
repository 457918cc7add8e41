# Admin dashboard and monitoring of our outgoing servers (issue 7): core
# objects, unit tests. The pages (page_admin.o, page_submissions.o) are in
# WEB_OBJS in mk/web.mk; `portalctl monitor` is in tools/portalctl.c.
CORE_OBJS += $(OBJDIR)/src/store_admin.o $(OBJDIR)/src/store_monitor.o \
             $(OBJDIR)/src/monitor.o $(OBJDIR)/src/csv.o $(OBJDIR)/src/svg_chart.o

UNIT_TESTS += $(OUT)/build/tests/test_csv $(OUT)/build/tests/test_store_admin

# bench helper (not part of all): the dashboard query set, timed (bench/admin.sh)
$(OUT)/build/bench/admin_queries: bench/admin_queries.c $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

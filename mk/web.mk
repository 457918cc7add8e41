# The FastCGI program.
CORE_OBJS += $(OBJDIR)/src/render.o $(OBJDIR)/src/store_auth.o $(OBJDIR)/src/store_reports.o $(OBJDIR)/src/password.o \
             $(OBJDIR)/src/demo.o

WEB_OBJS := $(addprefix $(OBJDIR)/cgi-bin/, main.o worker.o http.o fields.o csrf.o session.o \
	router.o modules.o page_home.o page_healthz.o \
	page_login.o page_forwards.o \
	check.o page_check.o page_report.o report_view.o page_cache.o \
	admin_link.o page_admin.o page_submissions.o)

BINS += $(OUT)/cgi-bin/portal.fcgi

$(OUT)/cgi-bin/portal.fcgi: $(WEB_OBJS) $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# Check, explain, share (reports).
CORE_OBJS += $(OBJDIR)/src/explain.o $(OBJDIR)/src/explain_load.o

# fields.c lives with the web program; its unit test links it directly.
UNIT_TESTS += $(OUT)/build/tests/test_web_units
$(OUT)/build/tests/test_web_units: $(OBJDIR)/tests/unit/test_web_units.o $(OBJDIR)/cgi-bin/fields.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Core pieces every module uses: errors, logging, configuration, the store.
MIGRATIONS := db/schema.sql $(sort $(wildcard db/migrations/[0-9]*.sql))

CORE_OBJS += $(OBJDIR)/src/err.o $(OBJDIR)/src/log.o $(OBJDIR)/src/neo_error.o $(OBJDIR)/src/config.o \
             $(OBJDIR)/src/store.o $(OBJDIR)/gen/migrations.o

$(OUT)/build/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(MIGRATIONS)

$(OBJDIR)/gen/migrations.o: $(OUT)/build/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

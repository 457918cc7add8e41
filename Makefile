# Blacklist Help Desk: GNU make build.
# Targets: all deps run test test-asan test-fresh fuzz bench lint install clean.
#
# Nothing here lists files by hand: the layout is the build.
#   src/<engine>/*.c   the core engines       -> libportal.a
#   cgi-bin/*.c        the FastCGI program    -> libweb.a + cgi-bin/portal.fcgi
#   tools/NAME.c       one CLI each           -> tools/NAME (underscores become dashes)
#   tests/unit/test_*.c, tests/fuzz/fuzz_*.c, bench/*.c  tests, fuzzers, bench helpers

PREFIX  ?= /usr/local
DESTDIR ?=
PORT    ?= 8080
CONF    ?=
# OUT is where binaries land: "." builds them in place (the contract in
# docs/ARCHITECTURE.md); test-asan uses build-asan so both builds coexist.
OUT     ?= .
OBJDIR  := $(OUT)/build/obj
SAN     ?= 0
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)

CC      ?= cc
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wformat=2 -Wno-format-nonliteral -Werror=implicit-function-declaration
OPT     ?= -O2 -g
PKGS    := libcares sqlite3 libsodium jansson libpcre2-8
# pkg-config is asked when make reads this file. On a fresh machine the
# packages arrive only when `deps` runs, so the targets that install (run,
# test, test-asan, fuzz, bench) build in a second make that reads the flags
# after the install; a direct build without them stops with a clear error.
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
NEED_PKGS   = $(if $(PKG_LIBS),,$(error pkg-config does not know $(PKGS): run 'make deps' first (make run and make test do it)))
CPPFLAGS += -Isrc -I$(OUT)/build/gen -I/usr/include/ClearSilver $(PKG_CFLAGS) \
            -DPORTAL_DATADIR=\"$(CURDIR)\" -DPORTAL_VERSION=\"$(VERSION)\"
CFLAGS   += $(CSTD) $(WARN) $(OPT) -fstack-protector-strong -D_FORTIFY_SOURCE=2 -pthread
LDLIBS   += -lneo_cgi -lneo_cs -lneo_utl -lz -lfcgi $(PKG_LIBS) -lm -pthread
LDFLAGS  += -Wl,--as-needed

ifeq ($(SAN),1)
CC       := clang
OPT      := -O1 -g -fno-omit-frame-pointer
CFLAGS   := $(filter-out -D_FORTIFY_SOURCE=2,$(CFLAGS)) -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

# --- what the folders hold ---------------------------------------------------
MIGRATIONS := db/schema.sql $(sort $(wildcard db/migrations/[0-9]*.sql))
CORE_SRCS  := $(sort $(wildcard src/*/*.c))
CORE_OBJS  := $(CORE_SRCS:%.c=$(OBJDIR)/%.o) $(OBJDIR)/gen/migrations.o
WEB_SRCS   := $(sort $(wildcard cgi-bin/*.c))
WEB_OBJS   := $(filter-out $(OBJDIR)/cgi-bin/main.o,$(WEB_SRCS:%.c=$(OBJDIR)/%.o))
TOOL_SRCS  := $(sort $(wildcard tools/*.c))
TOOLS      := $(foreach t,$(TOOL_SRCS),$(OUT)/$(subst _,-,$(t:%.c=%)))
BINS       := $(OUT)/cgi-bin/portal.fcgi $(TOOLS)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(OUT)/build/tests/%,$(sort $(wildcard tests/unit/test_*.c)))
FUZZERS    := $(patsubst tests/fuzz/%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
LIBPORTAL  := $(OBJDIR)/libportal.a
LIBWEB     := $(OBJDIR)/libweb.a

all: bins
bins: $(BINS)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)$(NEED_PKGS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)

$(OUT)/build/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	scripts/embed-sql.sh $@ $(MIGRATIONS)

$(OBJDIR)/gen/migrations.o: $(OUT)/build/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIBPORTAL): $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(LIBWEB): $(WEB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(OUT)/cgi-bin/portal.fcgi: $(OBJDIR)/cgi-bin/main.o $(LIBWEB) $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# tools/NAME.c -> tools/NAME with dashes (bounce_analyze.c -> bounce-analyze).
define tool_rule
$(OUT)/$(subst _,-,$(1:%.c=%)): $(OBJDIR)/$(1:%.c=%.o) $(LIBPORTAL)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach t,$(TOOL_SRCS),$(eval $(call tool_rule,$(t))))

# Unit tests (cmocka) may test the web program's pure parts too.
$(OUT)/build/tests/%: $(OBJDIR)/tests/unit/%.o $(LIBWEB) $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# The normal build replays fuzz corpora through a plain driver (tests/fuzz/replay.c),
# so make test needs no clang; make fuzz builds the real libFuzzer binaries.
$(OUT)/build/replay/%: $(OBJDIR)/tests/fuzz/%.o $(OBJDIR)/tests/fuzz/replay.o $(LIBWEB) $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
FUZZ_SRCS    = $(CORE_SRCS) $(OUT)/build/gen/migrations.c $(filter-out cgi-bin/main.c,$(WEB_SRCS))
build-fuzz/%: tests/fuzz/%.c $(FUZZ_SRCS)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $^ $(LDLIBS)

# Bench helpers (not part of all). GMime is only the baseline of
# bench/bounce-speed; udp-delay and hello stand alone.
$(OUT)/build/bench/%: bench/%.c $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(OUT)/build/bench/bounce_gmime: bench/bounce_gmime.c $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(shell pkg-config --cflags gmime-3.0) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS) \
	  $(shell pkg-config --libs gmime-3.0)
$(OUT)/build/bench/udp-delay: bench/udp-delay.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $<

# --- the commands people type -------------------------------------------------
SUBMAKE = $(MAKE) --no-print-directory
TEST_ENV = OUT="$(OUT)" UNIT_TESTS="$(UNIT_TESTS)" FUZZERS="$(FUZZERS)"

deps:
	@scripts/deps.sh

run: deps
	@$(SUBMAKE) all
	@OUT="$(OUT)" scripts/run.sh --port "$(PORT)" --conf "$(CONF)"

test: deps
	@$(SUBMAKE) all unit-tests fuzz-replay-bins
	@$(SUBMAKE) test-run

test-asan: deps
	@$(SUBMAKE) OUT=build-asan SAN=1 all unit-tests fuzz-replay-bins
	@$(SUBMAKE) OUT=build-asan SAN=1 test-run

# The whole suite in a brand-new minimal Debian 12 root (debootstrap), as a
# newcomer's machine would run it: scripts/test-fresh.sh.
test-fresh:
	@scripts/test-fresh.sh

test-run:
	@$(TEST_ENV) SAN="$(SAN)" scripts/test.sh

unit-tests: $(UNIT_TESTS)
fuzz-replay-bins: $(FUZZERS:%=$(OUT)/build/replay/%)

fuzz: deps
	@$(SUBMAKE) $(FUZZERS:%=build-fuzz/%)
	@scripts/fuzz.sh $(FUZZ_SECONDS)

bench: deps
	@$(SUBMAKE) all
	@scripts/bench.sh

lint:
	@scripts/lint-layout.sh
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
	  --suppress=missingIncludeSystem -Isrc src cgi-bin tools

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/blhelpdesk/cgi-bin $(DESTDIR)$(PREFIX)/bin \
	  $(DESTDIR)$(PREFIX)/share/blhelpdesk $(DESTDIR)$(PREFIX)/share/doc/blhelpdesk
	install -m 0755 cgi-bin/portal.fcgi $(DESTDIR)$(PREFIX)/lib/blhelpdesk/cgi-bin/
	for b in $(TOOLS); do install -m 0755 $$b $(DESTDIR)$(PREFIX)/bin/; done
	cp -R templates static db conf $(DESTDIR)$(PREFIX)/share/blhelpdesk/
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/blhelpdesk/

clean:
	rm -rf build build-asan build-fuzz $(BINS) run/tmp

# keep objects of unit tests and fuzz replays between runs
.SECONDARY:

.PHONY: all bins deps run test test-asan test-fresh test-run unit-tests fuzz fuzz-replay-bins bench lint install clean

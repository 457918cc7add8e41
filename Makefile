# Blacklist Help Desk: GNU make build.
# Targets: all deps run test test-asan test-fresh fuzz bench lint install clean.
# Each module adds its objects, binaries and tests in mk/<module>.mk.

PREFIX  ?= /usr/local
DESTDIR ?=
PORT    ?= 8080
CONF    ?=
# OUT is where binaries land: "." builds them in place (the contract in
# docs/DESIGN §4); test-asan uses build-asan so both builds can coexist.
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
CFLAGS   += $(CSTD) $(WARN) $(OPT) -fstack-protector-strong -D_FORTIFY_SOURCE=2
LDLIBS   += -lneo_cgi -lneo_cs -lneo_utl -lz -lfcgi $(PKG_LIBS) -lm
LDFLAGS  += -Wl,--as-needed

ifeq ($(SAN),1)
CC       := clang
OPT      := -O1 -g -fno-omit-frame-pointer
CFLAGS   := $(filter-out -D_FORTIFY_SOURCE=2,$(CFLAGS)) -fsanitize=address,undefined -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif

LIBPORTAL := $(OBJDIR)/libportal.a

# Filled by mk/*.mk
CORE_OBJS :=
BINS      :=
UNIT_TESTS :=
FUZZERS   :=

all: bins

include $(sort $(wildcard mk/*.mk))

bins: $(BINS)

$(OBJDIR)/%.o: %.c
	@mkdir -p $(dir $@)$(NEED_PKGS)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(OBJDIR) -name '*.d' 2>/dev/null)

$(OBJDIR)/libportal.a: $(CORE_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Unit tests: tests/unit/NAME.c -> $(OUT)/build/tests/NAME (cmocka).
$(OUT)/build/tests/%: $(OBJDIR)/tests/unit/%.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# Fuzz targets: tests/fuzz/NAME.c defines LLVMFuzzerTestOneInput.
$(OUT)/build/replay/%: $(OBJDIR)/tests/fuzz/%.o $(OBJDIR)/tests/fuzz/replay.o $(LIBPORTAL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

CORE_SRCS = $(patsubst $(OBJDIR)/%.o,%.c,$(patsubst $(OBJDIR)/gen/%.o,$(OUT)/build/gen/%.c,$(CORE_OBJS)))
build-fuzz/%: tests/fuzz/%.c $(CORE_SRCS)
	@mkdir -p $(dir $@)
	clang $(CPPFLAGS) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRCS) $(LDLIBS)

deps:
	@scripts/deps.sh

SUBMAKE = $(MAKE) --no-print-directory

run: deps
	@$(SUBMAKE) all
	@OUT="$(OUT)" scripts/run.sh --port "$(PORT)" --conf "$(CONF)"

TEST_ENV = OUT="$(OUT)" UNIT_TESTS="$(UNIT_TESTS)" FUZZERS="$(FUZZERS)"

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

FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined
fuzz: deps
	@$(SUBMAKE) $(FUZZERS:%=build-fuzz/%)
	@scripts/fuzz.sh $(FUZZ_SECONDS)

# The normal build replays fuzz corpora through a plain driver (tests/fuzz/replay.c),
# so make test needs no clang; make fuzz builds the real libFuzzer binaries.
fuzz-replay-bins: $(FUZZERS:%=$(OUT)/build/replay/%)

bench: deps
	@$(SUBMAKE) all
	@scripts/bench.sh

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
	  --suppress=missingIncludeSystem -Isrc src cgi-bin tools

install: all
	install -d $(DESTDIR)$(PREFIX)/lib/blhelpdesk/cgi-bin $(DESTDIR)$(PREFIX)/bin \
	  $(DESTDIR)$(PREFIX)/share/blhelpdesk $(DESTDIR)$(PREFIX)/share/doc/blhelpdesk
	install -m 0755 cgi-bin/portal.fcgi $(DESTDIR)$(PREFIX)/lib/blhelpdesk/cgi-bin/
	for b in $(filter $(OUT)/tools/%,$(BINS)); do install -m 0755 $$b $(DESTDIR)$(PREFIX)/bin/; done
	cp -R templates static db conf $(DESTDIR)$(PREFIX)/share/blhelpdesk/
	install -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/blhelpdesk/

clean:
	rm -rf build build-asan build-fuzz $(BINS) run/tmp

# keep objects of unit tests and fuzz replays between runs
.SECONDARY:

.PHONY: all bins deps run test test-asan test-fresh test-run unit-tests fuzz fuzz-replay-bins bench lint install clean

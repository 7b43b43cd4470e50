# rrdb — build, test, bench and install.
#
#   make          build build/bin/: rr-record, rr-replay, rr-query, rr-diff
#   make deps     install missing Debian packages (needs root; quiet when all present)
#   make demo     deps + build + record and replay a sample program
#   make test     deps + build + every test (unit tests, tracee programs, bad input, tools)
#   make test-nested  every tracee program nested: recorded, its replay recorded, compared
#   make unit     the unit tests only (tests/unit/*.c, built into build/unit/)
#   make bench    speed and trace-size ratios against native runs and strace -f, nested, gdb reverse-continue
#   make install PREFIX=/usr/local
#   make valgrind the unit tests under valgrind (built without sanitizers)
#   make fuzz     each libFuzzer target in tests/fuzz/ for FUZZ_SECONDS (default 60) seconds
#   SANITIZE=1    build with AddressSanitizer and UndefinedBehaviorSanitizer (.ci/run does)

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
CFLAGS   ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
CPPFLAGS := -D_GNU_SOURCE -Ilibtrace -I$(BUILD)/gen
LDLIBS   := -lsqlite3 -llz4 -lelf -lcapstone
ifeq ($(SANITIZE),1)
CFLAGS   += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += -fsanitize=address,undefined
endif
ALL_CFLAGS = $(CFLAGS) $(WARNINGS) -std=gnu11 -MMD -MP

DEBIAN_PACKAGES := gcc make libc6-dev libsqlite3-dev libelf-dev liblz4-dev libcapstone-dev \
                   sqlite3 strace util-linux coreutils time valgrind clang libclang-rt-14-dev openssl \
                   bubblewrap gdb

LIBTRACE_SRC := $(wildcard libtrace/*.c)
GEN_SRC      := $(BUILD)/gen/syscall_table_data.c $(BUILD)/gen/trace_schema.c $(BUILD)/gen/constants_data.c
LIBTRACE_OBJ := $(LIBTRACE_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
TOOLS        := rr-record rr-replay rr-diff rr-query
TOOL_BINS    := $(TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC     := $(wildcard tests/unit/*.c)
UNIT_BINS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

HELPER_BINS  := $(patsubst tests/helpers/%.c,$(BUILD)/helpers/%,$(wildcard tests/helpers/*.c))

.PHONY: all deps demo test test-nested unit bench install clean valgrind fuzz
all: $(TOOL_BINS) $(HELPER_BINS)

$(BUILD)/gen/syscall_table_data.c: schema/syscalls.tsv schema/ioctls.tsv schema/gen_syscall_table.awk
	@mkdir -p $(@D)
	awk -f schema/gen_syscall_table.awk schema/syscalls.tsv schema/ioctls.tsv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/constants_data.c: schema/constants.tsv schema/gen_constants.awk
	@mkdir -p $(@D)
	awk -f schema/gen_constants.awk schema/constants.tsv > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/timeline_page.c: tools/rr-query/timeline.html tools/rr-query/gen_page_string.awk
	@mkdir -p $(@D)
	awk -f tools/rr-query/gen_page_string.awk tools/rr-query/timeline.html > $@.tmp && mv $@.tmp $@

# The syscall buffer library (preload/): a freestanding flat blob, embedded
# in rr-record as C data (the recorder maps it into each recorded process).
SB_CFLAGS := -O2 -fPIC -ffreestanding -nostdlib -fno-stack-protector -mgeneral-regs-only \
             -fno-asynchronous-unwind-tables -fcf-protection=none -fno-builtin $(WARNINGS) -std=gnu11
$(BUILD)/preload/syscall_buffer.elf: preload/syscall_buffer.c preload/syscall_buffer.ld libtrace/syscall_buffer_abi.h
	@mkdir -p $(@D)
	$(CC) $(SB_CFLAGS) -Ilibtrace -c preload/syscall_buffer.c -o $(@D)/syscall_buffer.o
	ld -T preload/syscall_buffer.ld --orphan-handling=error -e sb_entry -o $@ $(@D)/syscall_buffer.o

$(BUILD)/gen/syscall_buffer_blob.c: $(BUILD)/preload/syscall_buffer.elf preload/gen_blob.awk
	@mkdir -p $(@D)
	objcopy -O binary -j .text $< $(<D)/syscall_buffer.bin
	{ nm $<; echo BYTES; od -An -v -tx1 $(<D)/syscall_buffer.bin; } | awk -f preload/gen_blob.awk > $@.tmp && mv $@.tmp $@
$(BUILD)/obj/gen/syscall_buffer_blob.o: CPPFLAGS += -Itools/rr-record
$(BUILD)/lib/librr-record.a: $(BUILD)/obj/gen/syscall_buffer_blob.o

# rr-query's timeline page, embedded: part of its library.
$(BUILD)/lib/librr-query.a: $(BUILD)/obj/gen/timeline_page.o

$(BUILD)/gen/trace_schema.c: schema/trace.sql schema/gen_sql_string.awk
	@mkdir -p $(@D)
	awk -f schema/gen_sql_string.awk schema/trace.sql > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/lib/libtrace.a: $(LIBTRACE_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# One rule per tool: its modules (tools/NAME/*.c but main.c) form a static
# library, build/lib/libNAME.a, that unit tests (and fuzz targets) link too;
# the tool is main.o linked with it and libtrace.
define tool_rule
$(BUILD)/lib/lib$(1).a: $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out tools/$(1)/main.c,$(wildcard tools/$(1)/*.c)))
	@mkdir -p $$(@D)
	rm -f $$@ && ar rcs $$@ $$^
$(BUILD)/bin/$(1): $(BUILD)/obj/tools/$(1)/main.o $(BUILD)/lib/lib$(1).a $(BUILD)/lib/libtrace.a
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
$(BUILD)/obj/tools/$(1)/%.o: CPPFLAGS += -Itools/$(1)
endef
$(foreach tool,$(TOOLS),$(eval $(call tool_rule,$(tool))))

# A unit test tests/unit/test_TOOL*.c (TOOL spelt with '_': test_rr_query.c)
# sees that tool's headers and links its library; the others link libtrace only.
unit_tool = $(firstword $(foreach t,$(TOOLS),$(if $(filter test_$(subst -,_,$(t))%,$(1)),$(t))))
define unit_rule
$(BUILD)/unit/$(1): tests/unit/$(1).c $(if $(2),$(BUILD)/lib/lib$(2).a) $(BUILD)/lib/libtrace.a
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) $(if $(2),-Itools/$(2)) $$(ALL_CFLAGS) $$(LDFLAGS) -o $$@ $$(filter %.c %.a,$$^) $$(LDLIBS)
endef
$(foreach unit,$(UNIT_SRC:tests/unit/%.c=%),$(eval $(call unit_rule,$(unit),$(call unit_tool,$(unit)))))

# Test helpers (tests/helpers/*.c): small programs the runners use, linked
# with libtrace (trace_reseal: a trace changed on purpose made consistent).
$(BUILD)/helpers/%: tests/helpers/%.c $(BUILD)/lib/libtrace.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.a,$^) $(LDLIBS)

# --- fuzzing ----------------------------------------------------------------
# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer into $(BUILD)/fuzz/. Each links the code it
# fuzzes: libtrace, and the tool's own sources but its main.c.
# `make fuzz` runs each for FUZZ_SECONDS from the seeds in tests/fuzz/corpus/
# (new inputs go to $(BUILD)/fuzz/corpus/, crashes to $(BUILD)/fuzz/crashes/).
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer $(WARNINGS) -std=gnu11
FUZZ_TARGETS := $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LIB_OBJ := $(LIBTRACE_SRC:%.c=$(FUZZ_DIR)/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(FUZZ_DIR)/obj/gen/%.o) \
                $(FUZZ_DIR)/obj/tests/fuzz/trace_template.o
fuzz_tool_obj = $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(filter-out tools/$(1)/main.c,$(wildcard tools/$(1)/*.c)))

$(FUZZ_DIR)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -c $< -o $@
$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@
$(FUZZ_DIR)/obj/tools/rr-query/%.o $(FUZZ_DIR)/obj/tests/fuzz/fuzz_query.o \
    $(FUZZ_DIR)/obj/tests/fuzz/fuzz_trace_rows.o: CPPFLAGS += -Itools/rr-query
$(FUZZ_DIR)/obj/tools/rr-diff/%.o $(FUZZ_DIR)/obj/tests/fuzz/fuzz_aligner.o: CPPFLAGS += -Itools/rr-diff

$(FUZZ_DIR)/fuzz_query $(FUZZ_DIR)/fuzz_trace_rows: $(call fuzz_tool_obj,rr-query) $(FUZZ_DIR)/obj/gen/timeline_page.o
$(FUZZ_DIR)/fuzz_aligner: $(call fuzz_tool_obj,rr-diff)
$(FUZZ_DIR)/fuzz_%: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_%.o $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LDLIBS)

fuzz: deps $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
	@bash tests/fuzz/run-fuzz.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
-include $(shell find $(FUZZ_DIR)/obj -name '*.d' 2>/dev/null)

deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: deps all
	@sh tests/demo.sh $(BUILD)

test: deps all $(UNIT_BINS)
	@bash tests/run-all.sh $(BUILD)

# Minutes rather than seconds (every program recorded under rr-replay under
# rr-record): apart from `make test`, which must stay short; CI runs both.
test-nested: deps all
	@bash tests/nested-all.sh $(BUILD)/bin

unit: $(UNIT_BINS)
	@bash tests/run-all.sh --unit $(BUILD)

bench: deps all
	@bash bench/run.sh $(BUILD)
	@bash bench/query.sh $(BUILD)
	@bash bench/diff.sh $(BUILD)
	@bash bench/nested.sh $(BUILD)
	@bash bench/gdb.sh $(BUILD)

valgrind: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/valgrind SANITIZE= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/valgrind/unit/%)
	@for unit in $(UNIT_SRC:tests/unit/%.c=$(BUILD)/valgrind/unit/%); do \
	    echo "valgrind $$unit"; \
	    valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
	        $$unit > /dev/null || exit 9; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(TOOLS:%=man/%.1) $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj $(BUILD)/unit $(BUILD)/helpers -name '*.d' 2>/dev/null)

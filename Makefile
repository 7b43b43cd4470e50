# rrdb — build, test, bench and install.
#
#   make          build build/bin/: rr-record, rr-replay, rr-query, rr-diff
#   make deps     install missing Debian packages (needs root; quiet when all present)
#   make demo     deps + build + record and replay a sample program
#   make test     deps + build + every test (tracee programs, bad input, unit tests)
#   make bench    speed and trace-size ratios against native runs and strace -f
#   make install PREFIX=/usr/local
#   make valgrind the libtrace unit tests under valgrind (built without sanitizers)
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
                   sqlite3 strace util-linux coreutils time valgrind

LIBTRACE_SRC := $(wildcard libtrace/*.c)
GEN_SRC      := $(BUILD)/gen/syscall_table_data.c $(BUILD)/gen/trace_schema.c
LIBTRACE_OBJ := $(LIBTRACE_SRC:%.c=$(BUILD)/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)
TOOLS        := rr-record rr-replay rr-diff rr-query
TOOL_BINS    := $(TOOLS:%=$(BUILD)/bin/%)
UNIT_SRC     := $(wildcard tests/unit/*.c)
UNIT_BINS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

.PHONY: all deps demo test bench install clean valgrind
all: $(TOOL_BINS)

$(BUILD)/gen/syscall_table_data.c: schema/syscalls.tsv schema/ioctls.tsv schema/gen_syscall_table.awk
	@mkdir -p $(@D)
	awk -f schema/gen_syscall_table.awk schema/syscalls.tsv schema/ioctls.tsv > $@.tmp && mv $@.tmp $@

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

# One rule per tool: its own sources (tools/NAME/*.c) linked with libtrace.
define tool_rule
$(BUILD)/bin/$(1): $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard tools/$(1)/*.c)) $(BUILD)/lib/libtrace.a
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
$(BUILD)/obj/tools/$(1)/%.o: CPPFLAGS += -Itools/$(1)
endef
$(foreach tool,$(TOOLS),$(eval $(call tool_rule,$(tool))))

$(BUILD)/unit/%: tests/unit/%.c $(BUILD)/lib/libtrace.a
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/lib/libtrace.a $(LDLIBS)

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

bench: deps all
	@bash bench/run.sh $(BUILD)
	@bash bench/query.sh $(BUILD)
	@bash bench/diff.sh $(BUILD)
	@bash bench/nested.sh $(BUILD)

valgrind: deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/valgrind SANITIZE= $(BUILD)/valgrind/unit/test_libtrace
	valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=9 \
	    $(BUILD)/valgrind/unit/test_libtrace

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# selftests/tools: tests of the ready-to-run tools (user/tools/).
# The tools and the two picture programs are staged into
# $(STAGE)/lib/tools/ (under lib/, so the runner does not mistake them for
# tests); test_*.sh put that directory on PATH.  The flame graph and heat
# map tests run on the host (selftests/host-tests.list) and are not
# executable, so the guest runner skips them.
TOOLS_SRCS   := $(filter-out %.c %.h %/Makefile,$(wildcard $(TOP)/user/tools/*))
TOOLS_PICS   := ktrace-flamegraph ktrace-heatmap ktrace-timeline
TOOLS_STAGED := $(addprefix $(STAGE)/lib/tools/,$(notdir $(TOOLS_SRCS)) $(TOOLS_PICS))
# frame pointers in toolwork so ustack() can walk it
CFLAGS_tools := -fno-omit-frame-pointer

.PHONY: tools-build
tools-build:
	@$(MAKE) -C $(TOP)/user/tools

# test_readme.sh runs README.md's commands as written: the README and, for
# its `ktrace -c 'ls /'` (pid provider on libc's malloc), a dynamically
# linked ls with its libraries (the guest's busybox ls is static, no symbols)
DYNLS_LIBS    := $(shell ldd /usr/bin/ls 2>/dev/null | awk '/=> \//{ print $$3 }')
README_STAGED := $(STAGE)/lib/README.md $(STAGE)/lib/dynbin/ls \
	$(addprefix $(STAGE)/lib/dynbin/lib/,$(notdir $(DYNLS_LIBS)))

guest: $(TOOLS_STAGED) $(README_STAGED)
guest: STAGED += $(TOOLS_STAGED) $(README_STAGED)
host: tools-build

$(addprefix $(TOP)/build/user/,$(TOOLS_PICS)): tools-build

$(STAGE)/lib/tools/ktrace-flamegraph: $(TOP)/build/user/ktrace-flamegraph
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/tools/ktrace-heatmap: $(TOP)/build/user/ktrace-heatmap
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/tools/ktrace-timeline: $(TOP)/build/user/ktrace-timeline
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/tools/%: $(TOP)/user/tools/%
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/README.md: $(TOP)/README.md
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/dynbin/ls: /usr/bin/ls
	@mkdir -p $(@D)
	@cp -L $< $@
define dynls_lib
$(STAGE)/lib/dynbin/lib/$(notdir $(1)): $(1)
	@mkdir -p $$(@D)
	@cp -L $$< $$@
endef
$(foreach l,$(DYNLS_LIBS),$(eval $(call dynls_lib,$(l))))

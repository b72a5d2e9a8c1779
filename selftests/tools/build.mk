# selftests/tools: tests of the ready-to-run tools (user/tools/).
# The tools and the two picture programs are staged into
# $(STAGE)/lib/tools/ (under lib/, so the runner does not mistake them for
# tests); test_*.sh put that directory on PATH.  The flame graph and heat
# map tests run on the host (selftests/host-tests.list) and are not
# executable, so the guest runner skips them.
TOOLS_SRCS   := $(filter-out %.c %.h %/Makefile,$(wildcard $(TOP)/user/tools/*))
TOOLS_PICS   := ktrace-flamegraph ktrace-heatmap
TOOLS_STAGED := $(addprefix $(STAGE)/lib/tools/,$(notdir $(TOOLS_SRCS)) $(TOOLS_PICS))
# frame pointers in toolwork so ustack() can walk it
CFLAGS_tools := -fno-omit-frame-pointer

.PHONY: tools-build
tools-build:
	@$(MAKE) -C $(TOP)/user/tools

guest: $(TOOLS_STAGED)
guest: STAGED += $(TOOLS_STAGED)
host: tools-build

$(addprefix $(TOP)/build/user/,$(TOOLS_PICS)): tools-build

$(STAGE)/lib/tools/ktrace-flamegraph: $(TOP)/build/user/ktrace-flamegraph
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/tools/ktrace-heatmap: $(TOP)/build/user/ktrace-heatmap
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/tools/%: $(TOP)/user/tools/%
	@mkdir -p $(@D)
	@cp -p $< $@

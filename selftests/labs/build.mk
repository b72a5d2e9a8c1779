# selftests/labs: the ktrace-lab labs (user/labs/), each started, solved by
# its reference solution, checked (right and wrong) and stopped in the guest.
# The lab programs and ktrace-lab are staged into $(STAGE)/lib/labs/ (under
# lib/, so the runner does not take them for tests); the tools the
# solutions use are staged by tools/build.mk.
LABS_SRCS   := $(wildcard $(TOP)/user/labs/[0-9][0-9]-*.c)
LABS_STAGED := $(addprefix $(STAGE)/lib/labs/,ktrace-lab $(notdir $(LABS_SRCS:.c=)))

.PHONY: labs-build
labs-build:
	@$(MAKE) -C $(TOP)/user/labs

guest: $(LABS_STAGED)
guest: STAGED += $(LABS_STAGED)

$(TOP)/build/user/ktrace-lab $(addprefix $(TOP)/build/user/labs/,$(notdir $(LABS_SRCS:.c=))): labs-build

$(STAGE)/lib/labs/ktrace-lab: $(TOP)/build/user/ktrace-lab
	@mkdir -p $(@D)
	@cp -p $< $@
$(STAGE)/lib/labs/%: $(TOP)/build/user/labs/%
	@mkdir -p $(@D)
	@cp -p $< $@

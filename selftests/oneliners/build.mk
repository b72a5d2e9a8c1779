# selftests/oneliners: test_oneliners.sh reads the one-liners from
# docs/oneliners.md itself (the one list), staged beside it for the guest.
EXTRA_STAGED += $(STAGE)/oneliners/oneliners.md
$(STAGE)/oneliners/oneliners.md: $(TOP)/docs/oneliners.md
	@mkdir -p $(@D)
	@cp -p $< $@

# providers: workload-dyn, the workload linked dynamically (pid provider on libc)
EXTRA_STAGED += $(STAGE)/providers/workload-dyn
$(STAGE)/providers/workload-dyn: providers/workload.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -pthread

# usdt_gen: its probes come from the header `ktrace -h` makes of usdt_gen.d
# (the CLI is built first if it is not there)
KTRACE_HOST_CLI := $(TOP)/build/user/ktrace
$(KTRACE_HOST_CLI):
	@$(MAKE) -C $(TOP)/user
$(BUILD)/gen/usdt_gen_probes.h: providers/usdt_gen.d $(KTRACE_HOST_CLI)
	@mkdir -p $(@D)
	@echo "  KTRACE  -h $@"
	@$(KTRACE_HOST_CLI) -h -s $< -o $@
$(STAGE)/providers/usdt_gen: providers/usdt_gen.c $(BUILD)/gen/usdt_gen_probes.h
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) -I$(BUILD)/gen $(CFLAGS) -o $@ $< $(LDFLAGS)

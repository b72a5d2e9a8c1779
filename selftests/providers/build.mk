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

# ustack: ustack_app.c as a dynamic program with and without frame pointers,
# each with its chain ust_lib_* in a shared library of the same flags
# (found through $ORIGIN); ustack_app itself is the generic static build.
UST_FLAGS_fp   := -O2 -g -fno-omit-frame-pointer -mno-omit-leaf-frame-pointer
UST_FLAGS_nofp := -O2 -g -fomit-frame-pointer
EXTRA_STAGED += $(foreach v,fp nofp,$(STAGE)/providers/ustack_$(v) $(STAGE)/providers/libustack_$(v).so)
$(STAGE)/providers/libustack_%.so: providers/ustack_app.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(UST_FLAGS_$*) -Wall -Werror -fPIC -shared -DUSTACK_LIB_ONLY -o $@ $<
$(STAGE)/providers/ustack_%: providers/ustack_app.c $(STAGE)/providers/libustack_%.so
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(UST_FLAGS_$*) -Wall -Werror -DUSTACK_MAIN_ONLY -o $@ $< \
		-L$(@D) -lustack_$* -Wl,-rpath,'$$ORIGIN'

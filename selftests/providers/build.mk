# providers: workload-dyn, the workload linked dynamically (pid provider on libc)
EXTRA_STAGED += $(STAGE)/providers/workload-dyn
$(STAGE)/providers/workload-dyn: providers/workload.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -pthread

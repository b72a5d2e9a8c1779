/* B8: context switches by process (sched:::on-cpu, the stable provider) */
BEGIN { printf("READY\n"); }
sched:::on-cpu { @[execname] = count(); }

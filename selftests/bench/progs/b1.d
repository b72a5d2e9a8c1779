/* B1: syscall count by process */
BEGIN { printf("READY\n"); }
syscall::read:entry { @[execname] = count(); }

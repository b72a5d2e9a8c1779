/* B7: empty clause on the syscall provider (attach floor) */
BEGIN { printf("READY\n"); }
syscall::read:entry {}

/* B4: one line per event (pace: close(2) of fd 1000000 + phase) */
BEGIN { printf("READY\n"); }
syscall::close:entry /arg0 >= 1000000/ { printf("%d\n", arg0); }

/* B7: a firing that records nothing on the syscall provider (attach floor) */
/*
 * Not an empty clause: in D that records the probe (DTrace's default
 * action, a buffer record per event), which bpftrace's empty probe does
 * not.  A false predicate runs the clause machinery and records nothing.
 */
BEGIN { printf("READY\n"); }
syscall::read:entry /0/ {}

/* B7: a firing that records nothing on fbt (attach floor) */
/* Not an empty clause: in D that records the probe (see b7tp.d). */
BEGIN { printf("READY\n"); }
fbt::vfs_read:entry /0/ {}

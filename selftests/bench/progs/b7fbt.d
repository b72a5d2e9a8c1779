/* B7: empty clause on fbt (attach floor) */
BEGIN { printf("READY\n"); }
fbt::vfs_read:entry {}

/* B13: an aggregation growing to K distinct keys (keyloop's descriptors); one
 * copy holds 1,000,000 keys (32 bytes each) and no snapshot empties it mid-run */
#pragma D option aggsize=64m
#pragma D option aggrate=3600s
BEGIN { printf("READY\n"); }
syscall::close:entry /arg0 >= 4000000/ { @[arg0] = count(); }

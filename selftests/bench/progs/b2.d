/* B2: kernel function entry */
BEGIN { printf("READY\n"); }
fbt::vfs_read:entry { @[pid] = count(); }

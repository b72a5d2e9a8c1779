# The workload of tst.trace_kernel_bytes.d (run by its .args, as -c's
# command takes no shell syntax): cat with RLIMIT_NOFILE 77 soft, 99 hard
# (soft first: a hard limit below the soft one is refused).
ulimit -S -n 77
ulimit -H -n 99
exec cat /ktrace-corpus-nofile

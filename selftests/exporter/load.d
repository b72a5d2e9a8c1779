// The program of test_prometheus.sh: ktrace-exporter serves it, ktrace -s
// prints it (the metric lines are comments to ktrace).
// metric: @reads test_reads labels=comm help=read(2) calls of the workload
// metric: @bytes test_read_bytes sum=@bytessum help=Bytes returned per read(2) of the workload
// metric: @conns test_connects labels=comm help=TCP connects of the workload
syscall::read:return /execname == "xload"/ {
	@reads[execname] = count();
	@bytes = quantize(arg0);
	@bytessum = sum(arg0);
}
fbt::tcp_v4_connect:entry /execname == "xload"/ { @conns[execname] = count(); }

// The program of test_prometheus.sh: ktrace-exporter serves it, ktrace -s
// prints it (the metric lines are comments to ktrace).
// metric: @reads test_reads labels=comm help=read(2) calls of the workload
// metric: @bytes test_read_bytes sum=@bytessum help=Bytes returned per read(2) of the workload
// metric: @conns test_connects labels=comm help=TCP connects of the workload
// metric: @again test_reads_truncated labels=comm help=read(2) calls, the aggregation truncated every second
// metric: @bavg test_read_bytes_avg help=Mean bytes per read(2) of the workload
// metric: @bmin test_read_bytes_min help=Fewest bytes a read(2) of the workload returned
// metric: @bmax test_read_bytes_max help=Most bytes a read(2) of the workload returned
// metric: @bsd test_read_bytes_stddev help=Standard deviation of the bytes per read(2)
syscall::read:return /execname == "xload"/ {
	@reads[execname] = count();
	@bytes = quantize(arg0);
	@bytessum = sum(arg0);
	@again[execname] = count();
	@bavg = avg(arg0);
	@bmin = min(arg0);
	@bmax = max(arg0);
	@bsd = stddev(arg0);
}
/* the program empties @again: its counter must not lose anything */
tick-1s { trunc(@again); }
fbt::tcp_v4_connect:entry /execname == "xload"/ { @conns[execname] = count(); }

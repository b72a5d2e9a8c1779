/*
 * Every aggregating function on read(2)s of 1..100 bytes (bufload reads 100,
 * fd 42): count 100, sum 5050, avg 50, min 1, max 100, stddev 29 (DTrace's
 * integer formula: sqrt(338350 / 100 - 50^2) = sqrt(883)), quantize 1, 2,
 * 4, ..., 64 with 1, 2, 4, 8, 16, 32, 37; lquantize and llquantize layouts.
 */
syscall::read:entry
/pid == $target && arg0 == 42/
{
	@c = count();
	@s = sum(arg2);
	@a = avg(arg2);
	@mi = min(arg2);
	@ma = max(arg2);
	@sd = stddev(arg2);
	@q = quantize(arg2);
	@lq = lquantize(arg2, 0, 100, 10);
	@llq = llquantize(arg2, 10, 0, 2, 10);
}

/*
 * A constant << is folded in 64 bits, as DTrace folds it: (1 << 63) - 1
 * is INT64_MAX although 1 is an int (DTrace's aggs/tst.neglquant passes it
 * as lquantize's increment); a shift computed at run time is narrowed to
 * its type.
 */
#pragma D option quiet

int one;

BEGIN
{
	printf("%lld\n", (long long)((1 << 63) - 1));
	one = 1;
	printf("%lld\n", (long long)(one << 40));
	@ = sum((1 << 62));
	exit(0);
}

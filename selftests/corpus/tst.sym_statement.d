/*
 * sym(), func() and mod() written as statements are actions: each records
 * its value as trace() would (DTrace's sym/func/mod actions).  0 is no
 * kernel symbol: printed in hex.
 */
#pragma D option quiet

BEGIN
{
	sym(0);
	printf("|\n");
	trace(sym(0));
	printf("|\n");
	func(0);
	printf("|\n");
	mod(0);
	printf("|\n");
	exit(0);
}

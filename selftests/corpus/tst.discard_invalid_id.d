/*
 * commit() and discard() of an id above nspec are an illegal operation
 * (arg5 the id); of speculation 0 they do nothing, as in DTrace.
 */
#pragma D option nspec=8
BEGIN
{
	commit(0);
	discard(0);
	x = 1;
	discard(1024);
	x = 2;
}

ERROR
{
	printf("clause %d fault %d id %d\n", arg2, arg4, arg5);
}

BEGIN
{
	printf("x %d\n", x);
	exit(0);
}

/* A NULL dereference faults; the consumer reports it as DTrace does. */
BEGIN
{
	trace(*(int *)0);
}

BEGIN
{
	exit(1);
}

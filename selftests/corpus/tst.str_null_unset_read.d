/*
 * A thread-local or associative string nobody assigned is NULL: reading
 * its characters faults (DTRACEFLT_BADADDR at address 0), as DTrace's.
 */
#pragma D option quiet

self string t;
string a[int];

BEGIN
{
	trace(self->t);
}

BEGIN
{
	trace(a[7]);
}

BEGIN
{
	printf("%d %d\n", self->t == NULL, a[7] == NULL);
	exit(0);
}

ERROR
{
	printf("fault %d at %d\n", arg4, arg5);
}

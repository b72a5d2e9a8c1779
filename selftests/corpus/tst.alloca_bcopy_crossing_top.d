/*
 * bcopy() into alloca() memory: one ending at the top runs, one starting
 * at the top is an invalid address, one starting below it and running past
 * it an invalid size (arg5 the size).
 */
BEGIN
{
	s = (char *)alloca(16);
	bcopy("01", &s[14], 2);
	printf("%c%c\n", s[14], s[15]);
}

BEGIN
{
	s = (char *)alloca(16);
	bcopy("01", &s[15], 2);
}

BEGIN
{
	s = (char *)alloca(16);
	bcopy("0", &s[16], 1);
}

ERROR
{
	printf("clause %d fault %d value %d\n", arg2, arg4,
	    arg4 == DTRACEFLT_BADADDR ? arg5 - (long)s : arg5);
}

BEGIN
{
	exit(0);
}

/* alloca() memory lasts its clause: a later clause's read of it faults */
BEGIN
{
	s = (char *)alloca(1);
	*s = 'a';
	printf("%c\n", *s);
}

BEGIN
{
	printf("%c\n", *s);
}

ERROR
{
	printf("clause %d fault %d at the old pointer: %d\n", arg2, arg4, arg5 == (long)s);
	exit(0);
}

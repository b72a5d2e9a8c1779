/*
 * alloca(15) gives 16 bytes: the 16th is writable, the 17th is past the
 * top and faults (invalid address, at its address).
 */
BEGIN
{
	s = (char *)alloca(15);
	s[15] = 'a';
	printf("%c\n", s[15]);
}

BEGIN
{
	s = (char *)alloca(15);
	s[16] = 'b';
}

ERROR
{
	printf("clause %d fault %d at offset %d of the buffer\n", arg2, arg4, arg5 - (long)s);
	exit(0);
}

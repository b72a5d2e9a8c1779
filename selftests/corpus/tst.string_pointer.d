/*
 * Strings and char pointers: bcopy() from a string, (string) of a pointer
 * to alloca() memory (the string there), a char * given a string (its
 * characters), and NULL where a string is read faulting as in DTrace.
 */
char *c;

BEGIN
{
	this->s = (char *)alloca(10);
	bcopy(probename, this->s, 6);
	printf("%s\n", (string)this->s);
	c = probeprov;
	printf("%c%c\n", c[0], c[5]);
}

BEGIN
{
	n = strlen(0);
	printf("not reached: %d\n", n);
}

ERROR
{
	printf("fault %d\n", arg4);
	exit(0);
}

/* alloca() may give a clause all of scratchsize, and bcopy() fill it to its top */
#pragma D option quiet
#pragma D option scratchsize=8
BEGIN
{
	s = (char *)alloca(8);
	bcopy("01234567", s, 8);
	printf("%c %c\n", s[0], s[7]);
	exit(0);
}

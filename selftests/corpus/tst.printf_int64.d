BEGIN
{
	x = 1099511627776;
	printf("%d %x\n", x, x);
	exit(0);
}

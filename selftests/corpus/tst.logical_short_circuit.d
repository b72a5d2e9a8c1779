BEGIN
{
	x = 0;
	printf("%d %d %d %d\n", x != 0 && 10 / x > 1, x == 0 || 10 / x > 1, 1 ^^ 1, 1 ^^ 0);
	exit(0);
}

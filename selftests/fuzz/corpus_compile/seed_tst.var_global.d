int x;

BEGIN
{
	x = 10;
	x++;
	printf("%d\n", x);
	exit(0);
}

BEGIN
{
	x = *(int *)0;
}

BEGIN
{
	z = 0;
	y = 1 / z;
}

ERROR
{
	n++;
}

BEGIN
{
	printf("%d\n", n);
	exit(0);
}

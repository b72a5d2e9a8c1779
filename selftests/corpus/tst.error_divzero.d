BEGIN
{
	z = 0;
	x = 1 / z;
}

ERROR
{
	printf("fault %d\n", arg4);
}

BEGIN
{
	exit(0);
}
